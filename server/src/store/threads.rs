//! The `threads` table.

use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use super::communities::{CommunityRow, MembershipRow};
use super::schema::{communities, memberships, threads};
use super::DbConnection;
use crate::domain::ids::{CommunityId, ThreadId, UserId};
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = threads)]
pub struct ThreadRow {
    pub id: i64,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub title: String,
    pub pinned: bool,
    pub locked: bool,
    pub post_count: i64,
    pub created_at: i64,
    pub last_post_at: i64,
}

/// Position in a community's thread listing: pinned first, then most recent activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadCursor {
    pub pinned: bool,
    pub last_post_at: i64,
    pub id: i64,
}

pub fn insert(conn: &mut DbConnection, row: &ThreadRow) -> Result<(), Error> {
    diesel::insert_into(threads::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<ThreadRow>, Error> {
    Ok(threads::table
        .find(id)
        .select(ThreadRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// A thread, its community and `user`'s membership there, in one joined query (what every
/// reply checks twice: before screening and in its write transaction).
pub fn find_with_community(
    conn: &mut DbConnection,
    id: ThreadId,
    user: UserId,
) -> Result<Option<(ThreadRow, CommunityRow, Option<MembershipRow>)>, Error> {
    Ok(threads::table
        .inner_join(communities::table)
        .left_join(
            memberships::table.on(memberships::community_id
                .eq(communities::id)
                .and(memberships::user_id.eq(user))),
        )
        .filter(threads::id.eq(id))
        .select((
            ThreadRow::as_select(),
            CommunityRow::as_select(),
            Option::<MembershipRow>::as_select(),
        ))
        .get_result(conn)
        .optional()?)
}

/// Threads of a community ordered pinned first, then by latest activity, continuing
/// after `after` (keyset pagination on `(pinned, last_post_at, id)`). One fixed query
/// shape, so it stays a prepared statement: the first page starts after an imaginary
/// pinned thread from the end of time.
///
/// A thread with no published post (its opening post held or removed) is listed only for
/// its author and, with `include_unpublished`, for moderators.
pub fn list(
    conn: &mut DbConnection,
    community_id: CommunityId,
    viewer_id: Option<UserId>,
    include_unpublished: bool,
    after: Option<ThreadCursor>,
    limit: i64,
) -> Result<Vec<ThreadRow>, Error> {
    let cursor = after.unwrap_or(ThreadCursor {
        pinned: true,
        last_post_at: i64::MAX,
        id: i64::MAX,
    });
    let later_in_same_group = threads::pinned.eq(cursor.pinned).and(
        threads::last_post_at
            .lt(cursor.last_post_at)
            .or(threads::last_post_at
                .eq(cursor.last_post_at)
                .and(threads::id.lt(cursor.id))),
    );
    let unpinned_after_pinned = threads::pinned
        .eq(false)
        .and(cursor.pinned.into_sql::<Bool>());
    Ok(threads::table
        .filter(threads::community_id.eq(community_id))
        .filter(
            threads::post_count
                .gt(0)
                .or(threads::author_id.eq(viewer_id.unwrap_or(UserId(-1))))
                .or(include_unpublished.into_sql::<Bool>()),
        )
        .filter(unpinned_after_pinned.or(later_in_same_group))
        .order((
            threads::pinned.desc(),
            threads::last_post_at.desc(),
            threads::id.desc(),
        ))
        .limit(limit)
        .select(ThreadRow::as_select())
        .load(conn)?)
}

/// Records a new published post in the thread's counters. Concurrent replies may commit
/// in another order than their times, so the latest activity only moves forward.
pub fn record_post(conn: &mut DbConnection, id: i64, at: i64) -> Result<(), Error> {
    let latest = case_when(threads::last_post_at.lt(at), at.into_sql::<BigInt>())
        .otherwise(threads::last_post_at);
    diesel::update(threads::table.find(id))
        .set((
            threads::post_count.eq(threads::post_count + 1),
            threads::last_post_at.eq(latest),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn adjust_post_count(conn: &mut DbConnection, id: i64, delta: i64) -> Result<(), Error> {
    diesel::update(threads::table.find(id))
        .set(threads::post_count.eq(threads::post_count + delta))
        .execute(conn)?;
    Ok(())
}

pub fn set_flags(
    conn: &mut DbConnection,
    id: i64,
    pinned: bool,
    locked: bool,
) -> Result<(), Error> {
    diesel::update(threads::table.find(id))
        .set((threads::pinned.eq(pinned), threads::locked.eq(locked)))
        .execute(conn)?;
    Ok(())
}

/// The rows among `ids` that exist, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<ThreadRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(threads::table
        .filter(threads::id.eq_any(ids))
        .select(ThreadRow::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> Result<i64, Error> {
    Ok(threads::table.count().get_result(conn)?)
}
