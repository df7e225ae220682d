//! The `password_resets` table: single-use reset tokens, stored as SHA-256 digests.

use diesel::prelude::*;

use super::schema::password_resets;
use super::DbConnection;
use crate::domain::ids::UserId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = password_resets)]
pub struct ResetRow {
    pub token_hash: String,
    pub user_id: UserId,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub fn insert(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: UserId,
    now: i64,
    expires_at: i64,
) -> Result<(), Error> {
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(token_hash),
            password_resets::user_id.eq(user_id),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, token_hash: &str) -> Result<Option<ResetRow>, Error> {
    Ok(password_resets::table
        .find(token_hash)
        .select(ResetRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Spends a token. False if it was already spent: single use holds even when two requests
/// race with the same token.
pub fn spend(conn: &mut DbConnection, token_hash: &str, now: i64) -> Result<bool, Error> {
    let updated = diesel::update(
        password_resets::table
            .filter(password_resets::token_hash.eq(token_hash))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Voids every token of a member (after any change of password) and forgets tokens that
/// expired before `expired_before`, anyone's.
pub fn void_for_user(
    conn: &mut DbConnection,
    user_id: UserId,
    expired_before: i64,
) -> Result<(), Error> {
    diesel::delete(
        password_resets::table.filter(
            password_resets::user_id
                .eq(user_id)
                .or(password_resets::expires_at.lt(expired_before)),
        ),
    )
    .execute(conn)?;
    Ok(())
}
