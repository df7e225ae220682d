//! The `email_confirmations` table: single-use links that prove a member reads an address,
//! stored as SHA-256 digests, and the `users` columns they change (`email`,
//! `email_unconfirmed`).

use diesel::prelude::*;

use super::schema::{email_confirmations, users};
use super::DbConnection;
use crate::domain::ids::UserId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_confirmations)]
pub struct ConfirmationRow {
    pub token_hash: String,
    pub user_id: UserId,
    /// The address the link proves.
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// Stores a new link for a member, voiding the member's earlier ones: only the latest
/// link works, so a change of mind (a second new address) cannot be undone by the first.
pub fn replace(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: UserId,
    email: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), Error> {
    void_for_user(conn, user_id)?;
    diesel::insert_into(email_confirmations::table)
        .values((
            email_confirmations::token_hash.eq(token_hash),
            email_confirmations::user_id.eq(user_id),
            email_confirmations::email.eq(email),
            email_confirmations::created_at.eq(now),
            email_confirmations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, token_hash: &str) -> Result<Option<ConfirmationRow>, Error> {
    Ok(email_confirmations::table
        .find(token_hash)
        .select(ConfirmationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Spends a link. False if it was already spent (two clicks racing).
pub fn spend(conn: &mut DbConnection, token_hash: &str, now: i64) -> Result<bool, Error> {
    let updated = diesel::update(
        email_confirmations::table
            .filter(email_confirmations::token_hash.eq(token_hash))
            .filter(email_confirmations::used_at.is_null()),
    )
    .set(email_confirmations::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Forgets every link of a member (a new link, a confirmed address, erasure).
pub fn void_for_user(conn: &mut DbConnection, user_id: UserId) -> Result<(), Error> {
    diesel::delete(email_confirmations::table.filter(email_confirmations::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}

/// Sets a member's address as confirmed.
pub fn set_confirmed_email(
    conn: &mut DbConnection,
    user_id: UserId,
    email: &str,
) -> Result<(), Error> {
    diesel::update(users::table.find(user_id))
        .set((users::email.eq(email), users::email_unconfirmed.eq(false)))
        .execute(conn)?;
    Ok(())
}

/// Marks a new member as having to confirm their address before taking part.
pub fn mark_unconfirmed(conn: &mut DbConnection, user_id: UserId) -> Result<(), Error> {
    diesel::update(users::table.find(user_id))
        .set(users::email_unconfirmed.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Whether a member still has to confirm their address (false for an unknown id).
pub fn is_unconfirmed(conn: &mut DbConnection, user_id: UserId) -> Result<bool, Error> {
    Ok(users::table
        .find(user_id)
        .select(users::email_unconfirmed)
        .first(conn)
        .optional()?
        .unwrap_or(false))
}
