//! The `post_reactions` table: who reacted how to which post.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::post_reactions;
use super::DbConnection;
use crate::domain::ids::{PostId, UserId};
use crate::error::Error;

/// Adds a reaction; `false` when the member had already reacted this way. The insert is
/// a savepoint, so a concurrent duplicate (two taps at once) leaves the surrounding
/// transaction usable.
pub fn add(
    conn: &mut DbConnection,
    post_id: PostId,
    user_id: UserId,
    kind: &str,
    at: i64,
) -> Result<bool, Error> {
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(post_reactions::table)
            .values((
                post_reactions::post_id.eq(post_id),
                post_reactions::user_id.eq(user_id),
                post_reactions::kind.eq(kind),
                post_reactions::created_at.eq(at),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Removes a reaction; `false` when there was none.
pub fn remove(
    conn: &mut DbConnection,
    post_id: PostId,
    user_id: UserId,
    kind: &str,
) -> Result<bool, Error> {
    let deleted = diesel::delete(
        post_reactions::table
            .filter(post_reactions::post_id.eq(post_id))
            .filter(post_reactions::user_id.eq(user_id))
            .filter(post_reactions::kind.eq(kind)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

/// `(post_id, kind, count)` for every kind with at least one reaction on these posts: one
/// grouped query for a whole page of a thread.
pub fn counts(
    conn: &mut DbConnection,
    post_ids: &[PostId],
) -> Result<Vec<(PostId, String, i64)>, Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(post_reactions::table
        .filter(post_reactions::post_id.eq_any(post_ids))
        .group_by((post_reactions::post_id, post_reactions::kind))
        .select((
            post_reactions::post_id,
            post_reactions::kind,
            diesel::dsl::count_star(),
        ))
        .load(conn)?)
}

/// `(post_id, kind)` of one member's reactions among these posts.
pub fn mine(
    conn: &mut DbConnection,
    post_ids: &[PostId],
    user_id: UserId,
) -> Result<Vec<(PostId, String)>, Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(post_reactions::table
        .filter(post_reactions::post_id.eq_any(post_ids))
        .filter(post_reactions::user_id.eq(user_id))
        .select((post_reactions::post_id, post_reactions::kind))
        .load(conn)?)
}

/// How many members other than `except_user` reacted to a post this way.
pub fn count_others(
    conn: &mut DbConnection,
    post_id: PostId,
    kind: &str,
    except_user: Option<UserId>,
) -> Result<i64, Error> {
    let mut query = post_reactions::table
        .filter(post_reactions::post_id.eq(post_id))
        .filter(post_reactions::kind.eq(kind))
        .into_boxed();
    if let Some(user) = except_user {
        query = query.filter(post_reactions::user_id.ne(user));
    }
    Ok(query.count().get_result(conn)?)
}

/// `(user_id, kind, created_at)` of a post's reactions, oldest first, at most `limit`.
pub fn of_post(
    conn: &mut DbConnection,
    post_id: PostId,
    limit: i64,
) -> Result<Vec<(UserId, String, i64)>, Error> {
    Ok(post_reactions::table
        .filter(post_reactions::post_id.eq(post_id))
        .order((
            post_reactions::created_at.asc(),
            post_reactions::user_id.asc(),
        ))
        .limit(limit)
        .select((
            post_reactions::user_id,
            post_reactions::kind,
            post_reactions::created_at,
        ))
        .load(conn)?)
}

/// `(post_id, kind, created_at)` of a member's reactions, for their export.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(PostId, String, i64)>, Error> {
    Ok(post_reactions::table
        .filter(post_reactions::user_id.eq(user_id))
        .order((
            post_reactions::created_at.asc(),
            post_reactions::post_id.asc(),
        ))
        .select((
            post_reactions::post_id,
            post_reactions::kind,
            post_reactions::created_at,
        ))
        .load(conn)?)
}
