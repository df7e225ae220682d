//! The `blocks` and `thread_mutes` tables: whom a member does not want to hear from, and
//! the threads they silenced.

use std::collections::HashSet;

use diesel::prelude::*;

use super::schema::users;
use super::schema_messages::{blocks, thread_mutes};
use super::DbConnection;
use crate::domain::ids::{ThreadId, UserId};
use crate::error::Error;

/// Records that `blocker` blocks `blocked`; `false` when it already did.
pub fn insert(
    conn: &mut DbConnection,
    blocker: UserId,
    blocked: UserId,
    now: i64,
) -> Result<bool, Error> {
    if exists(conn, blocker, blocked)? {
        return Ok(false);
    }
    diesel::insert_into(blocks::table)
        .values((
            blocks::blocker_id.eq(blocker),
            blocks::blocked_id.eq(blocked),
            blocks::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// `false` when there was no such block.
pub fn delete(conn: &mut DbConnection, blocker: UserId, blocked: UserId) -> Result<bool, Error> {
    let deleted = diesel::delete(blocks::table.find((blocker, blocked))).execute(conn)?;
    Ok(deleted > 0)
}

pub fn exists(conn: &mut DbConnection, blocker: UserId, blocked: UserId) -> Result<bool, Error> {
    Ok(blocks::table
        .find((blocker, blocked))
        .select(blocks::blocker_id)
        .first::<UserId>(conn)
        .optional()?
        .is_some())
}

/// The members `blocker` blocks and when, oldest block first.
pub fn list(conn: &mut DbConnection, blocker: UserId) -> Result<Vec<(UserId, i64)>, Error> {
    Ok(blocks::table
        .filter(blocks::blocker_id.eq(blocker))
        .order((blocks::created_at.asc(), blocks::blocked_id.asc()))
        .select((blocks::blocked_id, blocks::created_at))
        .load(conn)?)
}

/// Everyone `blocker` blocks.
pub fn blocked_by(conn: &mut DbConnection, blocker: UserId) -> Result<HashSet<UserId>, Error> {
    Ok(blocks::table
        .filter(blocks::blocker_id.eq(blocker))
        .select(blocks::blocked_id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect())
}

/// Those among `candidates` who block `author`.
pub fn blockers_among(
    conn: &mut DbConnection,
    author: UserId,
    candidates: &[UserId],
) -> Result<HashSet<UserId>, Error> {
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(blocks::table
        .filter(blocks::blocked_id.eq(author))
        .filter(blocks::blocker_id.eq_any(candidates))
        .select(blocks::blocker_id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect())
}

/// Whether `member` blocks any of `others` or any of them blocks `member`.
pub fn any_between(
    conn: &mut DbConnection,
    member: UserId,
    others: &[UserId],
) -> Result<bool, Error> {
    if others.is_empty() {
        return Ok(false);
    }
    let count: i64 = blocks::table
        .filter(
            blocks::blocker_id
                .eq(member)
                .and(blocks::blocked_id.eq_any(others))
                .or(blocks::blocked_id
                    .eq(member)
                    .and(blocks::blocker_id.eq_any(others))),
        )
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// A member's id by username.
pub fn user_id_named(conn: &mut DbConnection, username: &str) -> Result<Option<UserId>, Error> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(users::id)
        .first(conn)
        .optional()?)
}

/// Mutes a thread for a member (nothing when it already is).
pub fn mute_thread(
    conn: &mut DbConnection,
    user: UserId,
    thread: ThreadId,
    now: i64,
) -> Result<(), Error> {
    let muted = thread_mutes::table
        .find((user, thread))
        .select(thread_mutes::user_id)
        .first::<UserId>(conn)
        .optional()?
        .is_some();
    if !muted {
        diesel::insert_into(thread_mutes::table)
            .values((
                thread_mutes::user_id.eq(user),
                thread_mutes::thread_id.eq(thread),
                thread_mutes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unmute_thread(conn: &mut DbConnection, user: UserId, thread: ThreadId) -> Result<(), Error> {
    diesel::delete(thread_mutes::table.find((user, thread))).execute(conn)?;
    Ok(())
}

pub fn thread_muted(
    conn: &mut DbConnection,
    user: UserId,
    thread: ThreadId,
) -> Result<bool, Error> {
    Ok(thread_mutes::table
        .find((user, thread))
        .select(thread_mutes::user_id)
        .first::<UserId>(conn)
        .optional()?
        .is_some())
}

/// Those among `candidates` who muted `thread`.
pub fn muters_among(
    conn: &mut DbConnection,
    thread: ThreadId,
    candidates: &[UserId],
) -> Result<HashSet<UserId>, Error> {
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(thread_mutes::table
        .filter(thread_mutes::thread_id.eq(thread))
        .filter(thread_mutes::user_id.eq_any(candidates))
        .select(thread_mutes::user_id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect())
}
