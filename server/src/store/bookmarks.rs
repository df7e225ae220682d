//! The `bookmarks` table: posts a member saved.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::bookmarks;
use super::DbConnection;
use crate::domain::ids::{PostId, UserId};
use crate::error::Error;

/// Saves a post for a member; saving it again changes nothing. The insert is a
/// savepoint, so a concurrent duplicate leaves the surrounding transaction usable.
pub fn add(
    conn: &mut DbConnection,
    user_id: UserId,
    post_id: PostId,
    at: i64,
) -> Result<(), Error> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(bookmarks::table)
            .values((
                bookmarks::user_id.eq(user_id),
                bookmarks::post_id.eq(post_id),
                bookmarks::created_at.eq(at),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) | Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(()),
        Err(other) => Err(other.into()),
    }
}

pub fn remove(conn: &mut DbConnection, user_id: UserId, post_id: PostId) -> Result<(), Error> {
    diesel::delete(
        bookmarks::table
            .filter(bookmarks::user_id.eq(user_id))
            .filter(bookmarks::post_id.eq(post_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// `(post_id, saved_at)` of a member's bookmarks, newest first, at most `limit`.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: UserId,
    limit: i64,
) -> Result<Vec<(PostId, i64)>, Error> {
    Ok(bookmarks::table
        .filter(bookmarks::user_id.eq(user_id))
        .order((bookmarks::created_at.desc(), bookmarks::post_id.desc()))
        .limit(limit)
        .select((bookmarks::post_id, bookmarks::created_at))
        .load(conn)?)
}

/// Which of these posts the member saved.
pub fn saved_among(
    conn: &mut DbConnection,
    user_id: UserId,
    post_ids: &[PostId],
) -> Result<Vec<PostId>, Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(bookmarks::table
        .filter(bookmarks::user_id.eq(user_id))
        .filter(bookmarks::post_id.eq_any(post_ids))
        .select(bookmarks::post_id)
        .load(conn)?)
}
