//! Sign-in sessions (one per login, the "token family") and their refresh tokens.
//! Refresh tokens are stored only as SHA-256 hashes.

use diesel::prelude::*;

use super::schema::{refresh_tokens, sessions, users};
use super::users::UserRow;
use super::DbConnection;
use crate::domain::ids::{SessionId, UserId};
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub token_hash: String,
    pub session_id: SessionId,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

pub fn create(
    conn: &mut DbConnection,
    id: SessionId,
    user_id: UserId,
    now: i64,
) -> Result<(), Error> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn insert_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
    session_id: SessionId,
    now: i64,
    expires_at: i64,
) -> Result<(), Error> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<RefreshTokenRow>, Error> {
    Ok(refresh_tokens::table
        .find(token_hash)
        .select(RefreshTokenRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Marks a refresh token spent. Returns false if it was already spent, which makes
/// single use hold even when two requests race with the same token.
pub fn spend_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
    now: i64,
) -> Result<bool, Error> {
    let updated = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke(conn: &mut DbConnection, session_id: SessionId, now: i64) -> Result<(), Error> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(session_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}

pub fn is_active(conn: &mut DbConnection, session_id: SessionId) -> Result<bool, Error> {
    let found: Option<SessionId> = sessions::table
        .filter(sessions::id.eq(session_id))
        .filter(sessions::revoked_at.is_null())
        .select(sessions::id)
        .get_result(conn)
        .optional()?;
    Ok(found.is_some())
}

/// The user behind an access token, if its session has not been revoked.
pub fn active_user(
    conn: &mut DbConnection,
    session_id: SessionId,
    user_id: UserId,
) -> Result<Option<UserRow>, Error> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The user a session belongs to.
pub fn owner(conn: &mut DbConnection, session_id: SessionId) -> Result<Option<UserRow>, Error> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::id.eq(session_id))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Revokes every session of a member but `keep` (the one that changed the password).
pub fn revoke_all_of_user(
    conn: &mut DbConnection,
    user_id: UserId,
    keep: Option<SessionId>,
    now: i64,
) -> Result<(), Error> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep.unwrap_or(SessionId(0))))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}
