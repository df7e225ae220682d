//! The `read_positions` table: how far each member has read in each thread.

use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::posts;
use super::schema_reading::read_positions;
use super::DbConnection;
use crate::domain::ids::{PostId, ThreadId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;

/// What a member has not read yet in one thread: published posts by others after their
/// position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unread {
    pub thread_id: ThreadId,
    pub last_read_post_id: PostId,
    pub new_posts: i64,
    /// The first of them; `None` when there are none.
    pub first_unread: Option<PostId>,
}

/// Moves a member's position in a thread to `post_id`, never backwards. `false` when the
/// position was already there or further.
pub fn advance(
    conn: &mut DbConnection,
    user_id: UserId,
    thread_id: ThreadId,
    post_id: PostId,
    at: i64,
) -> Result<bool, Error> {
    let forward = |conn: &mut DbConnection| {
        diesel::update(
            read_positions::table
                .filter(read_positions::user_id.eq(user_id))
                .filter(read_positions::thread_id.eq(thread_id))
                .filter(read_positions::last_read_post_id.lt(post_id)),
        )
        .set((
            read_positions::last_read_post_id.eq(post_id),
            read_positions::updated_at.eq(at),
        ))
        .execute(conn)
    };
    if forward(conn)? > 0 {
        return Ok(true);
    }
    // A savepoint, so that losing to a concurrent first read of the same thread leaves the
    // surrounding transaction usable: then that position is moved forward instead.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(read_positions::table)
            .values((
                read_positions::user_id.eq(user_id),
                read_positions::thread_id.eq(thread_id),
                read_positions::last_read_post_id.eq(post_id),
                read_positions::updated_at.eq(at),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Ok(forward(conn)? > 0)
        }
        Err(other) => Err(other.into()),
    }
}

/// The member's unread posts in each of these threads where they have a position: one
/// grouped query for a whole list. Threads they never opened are left out.
pub fn unread_in(
    conn: &mut DbConnection,
    user_id: UserId,
    thread_ids: &[ThreadId],
) -> Result<Vec<Unread>, Error> {
    if thread_ids.is_empty() {
        return Ok(Vec::new());
    }
    let positions: Vec<(ThreadId, PostId)> = read_positions::table
        .filter(read_positions::user_id.eq(user_id))
        .filter(read_positions::thread_id.eq_any(thread_ids))
        .select((read_positions::thread_id, read_positions::last_read_post_id))
        .load(conn)?;
    if positions.is_empty() {
        return Ok(Vec::new());
    }
    let counted: Vec<(ThreadId, i64, Option<PostId>)> = posts::table
        .inner_join(
            read_positions::table.on(read_positions::thread_id
                .eq(posts::thread_id)
                .and(read_positions::user_id.eq(user_id))),
        )
        .filter(posts::thread_id.eq_any(thread_ids))
        .filter(posts::id.gt(read_positions::last_read_post_id))
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .filter(posts::deleted_at.is_null())
        .filter(posts::author_id.is_null().or(posts::author_id.ne(user_id)))
        .group_by(posts::thread_id)
        .select((posts::thread_id, count_star(), min(posts::id)))
        .load(conn)?;
    Ok(positions
        .into_iter()
        .map(|(thread_id, last_read_post_id)| {
            let found = counted.iter().find(|(t, _, _)| *t == thread_id);
            Unread {
                thread_id,
                last_read_post_id,
                new_posts: found.map_or(0, |(_, n, _)| *n),
                first_unread: found.and_then(|(_, _, first)| *first),
            }
        })
        .collect())
}

/// `(thread_id, last_read_post_id, updated_at)` of every position a member holds, for
/// their export.
pub fn of_user(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(ThreadId, PostId, i64)>, Error> {
    Ok(read_positions::table
        .filter(read_positions::user_id.eq(user_id))
        .order(read_positions::thread_id.asc())
        .select((
            read_positions::thread_id,
            read_positions::last_read_post_id,
            read_positions::updated_at,
        ))
        .load(conn)?)
}

/// How many positions a member holds (erasure checks none is left).
pub fn count_of_user(conn: &mut DbConnection, user_id: UserId) -> Result<i64, Error> {
    Ok(read_positions::table
        .filter(read_positions::user_id.eq(user_id))
        .count()
        .get_result(conn)?)
}
