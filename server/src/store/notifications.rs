//! The `notifications` and `thread_watches` tables, and the reader checks notification
//! fan-out needs (who among some users may read a community).

use std::collections::HashSet;

use diesel::prelude::*;

use super::schema::{communities, memberships, notifications, posts, thread_watches, users};
use super::{DbConnection, MultiBackend};
use crate::domain::community::{MembershipState, Visibility};
use crate::domain::notification::NotificationKind;
use crate::domain::post::PostStatus;
use crate::domain::user::SiteRole;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: NotificationKind,
    pub community_id: i64,
    pub thread_id: i64,
    pub post_id: i64,
    /// Who caused it (the replying member); `None` for moderation outcomes, which do not
    /// name the moderator, and after the actor erased their account.
    pub actor_id: Option<i64>,
    /// Extra words for the recipient, e.g. the reason a moderator gave.
    pub detail: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// Which of a user's notifications to mark read.
#[derive(Debug, Clone)]
pub enum ReadSelection {
    All,
    Ids(Vec<i64>),
}

/// One statement per row: multi-row inserts are not available through
/// `MultiConnection`, and a post notifies a handful of people.
pub fn insert_many(conn: &mut DbConnection, rows: &[NotificationRow]) -> Result<(), Error> {
    for row in rows {
        diesel::insert_into(notifications::table)
            .values(row.clone())
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes a recipient's notification of one kind about one post, if there is one.
pub fn forget(
    conn: &mut DbConnection,
    user_id: i64,
    post_id: i64,
    kind: NotificationKind,
) -> Result<(), Error> {
    diesel::delete(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::post_id.eq(post_id))
            .filter(notifications::kind.eq(kind.as_str())),
    )
    .execute(conn)?;
    Ok(())
}

/// Users already notified about a post (any kind but `kind_excluded`), so that a post
/// published a second time, after review, notifies nobody twice.
pub fn recipients_of_post(
    conn: &mut DbConnection,
    post_id: i64,
    kind_excluded: NotificationKind,
) -> Result<HashSet<i64>, Error> {
    Ok(notifications::table
        .filter(notifications::post_id.eq(post_id))
        .filter(notifications::kind.ne(kind_excluded.as_str()))
        .select(notifications::user_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<NotificationRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(notifications::table
        .filter(notifications::id.eq_any(ids))
        .select(NotificationRow::as_select())
        .load(conn)?)
}

/// A user's notifications that they may still read, newest first, below `before_id`.
/// A notification stays stored but is not shown while its community is closed to the
/// user (they left a private community, or were banned) or while its post is not public
/// (held, removed or deleted) — except a moderation outcome about their own post.
pub fn list_readable(
    conn: &mut DbConnection,
    user_id: i64,
    is_admin: bool,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<NotificationRow>, Error> {
    Ok(readable(user_id, is_admin)
        .filter(notifications::id.lt(before_id.unwrap_or(i64::MAX)))
        .order(notifications::id.desc())
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)?)
}

pub fn count_unread(conn: &mut DbConnection, user_id: i64, is_admin: bool) -> Result<i64, Error> {
    Ok(readable(user_id, is_admin)
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Which of `ids` (a user's notifications) they may still read, by the rules of
/// [`list_readable`]: checked again when mail about them goes out.
pub fn readable_among(
    conn: &mut DbConnection,
    user_id: i64,
    is_admin: bool,
    ids: &[i64],
) -> Result<HashSet<i64>, Error> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(readable(user_id, is_admin)
        .filter(notifications::id.eq_any(ids.to_vec()))
        .select(notifications::id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

/// The notifications behind [`list_readable`] and [`count_unread`].
fn readable(user_id: i64, is_admin: bool) -> notifications::BoxedQuery<'static, MultiBackend> {
    let mut query = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .into_boxed();
    if !is_admin {
        let active = memberships::table
            .filter(memberships::user_id.eq(user_id))
            .filter(memberships::state.eq(MembershipState::Active.as_str()))
            .select(memberships::community_id);
        let banned = memberships::table
            .filter(memberships::user_id.eq(user_id))
            .filter(memberships::state.eq(MembershipState::Banned.as_str()))
            .select(memberships::community_id);
        let public = communities::table
            .filter(communities::visibility.eq(Visibility::Public.as_str()))
            .select(communities::id);
        query = query.filter(
            notifications::community_id
                .eq_any(active)
                .or(notifications::community_id
                    .eq_any(public)
                    .and(notifications::community_id.ne_all(banned))),
        );
    }
    let public_posts = posts::table
        .filter(posts::deleted_at.is_null())
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .select(posts::id);
    query.filter(
        notifications::post_id
            .eq_any(public_posts)
            .or(notifications::kind.eq(NotificationKind::ModerationOutcome.as_str())),
    )
}

/// Marks notifications read; returns how many changed.
pub fn mark_read(
    conn: &mut DbConnection,
    user_id: i64,
    selection: &ReadSelection,
    at: i64,
) -> Result<usize, Error> {
    let mine = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null());
    let changed = match selection {
        ReadSelection::All => diesel::update(mine)
            .set(notifications::read_at.eq(Some(at)))
            .execute(conn)?,
        ReadSelection::Ids(ids) => diesel::update(mine.filter(notifications::id.eq_any(ids)))
            .set(notifications::read_at.eq(Some(at)))
            .execute(conn)?,
    };
    Ok(changed)
}

/// A member's own notifications, for their data export.
pub fn of_user(conn: &mut DbConnection, user_id: i64) -> Result<Vec<NotificationRow>, Error> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user_id))
        .order(notifications::id.asc())
        .select(NotificationRow::as_select())
        .load(conn)?)
}

// ---- watches ----

pub fn is_watching(conn: &mut DbConnection, thread_id: i64, user_id: i64) -> Result<bool, Error> {
    let found: i64 = thread_watches::table
        .filter(thread_watches::thread_id.eq(thread_id))
        .filter(thread_watches::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

pub fn watch(conn: &mut DbConnection, thread_id: i64, user_id: i64, at: i64) -> Result<(), Error> {
    if !is_watching(conn, thread_id, user_id)? {
        diesel::insert_into(thread_watches::table)
            .values((
                thread_watches::thread_id.eq(thread_id),
                thread_watches::user_id.eq(user_id),
                thread_watches::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unwatch(conn: &mut DbConnection, thread_id: i64, user_id: i64) -> Result<(), Error> {
    diesel::delete(
        thread_watches::table
            .filter(thread_watches::thread_id.eq(thread_id))
            .filter(thread_watches::user_id.eq(user_id)),
    )
    .execute(conn)?;
    Ok(())
}

pub fn watchers(conn: &mut DbConnection, thread_id: i64) -> Result<Vec<i64>, Error> {
    Ok(thread_watches::table
        .filter(thread_watches::thread_id.eq(thread_id))
        .select(thread_watches::user_id)
        .load(conn)?)
}

/// Threads a member watches, for their data export.
pub fn watched_by(conn: &mut DbConnection, user_id: i64) -> Result<Vec<i64>, Error> {
    Ok(thread_watches::table
        .filter(thread_watches::user_id.eq(user_id))
        .order(thread_watches::thread_id.asc())
        .select(thread_watches::thread_id)
        .load(conn)?)
}

// ---- who may read ----

/// The users among `candidates` who may read the community's published posts: for a
/// public community everyone but its banned members; for a private one its active
/// members and site admins.
pub fn readers_among(
    conn: &mut DbConnection,
    community_id: i64,
    public: bool,
    candidates: &[i64],
) -> Result<HashSet<i64>, Error> {
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    let in_community = memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::user_id.eq_any(candidates));
    let readers: HashSet<i64> = if public {
        let banned: HashSet<i64> = in_community
            .filter(memberships::state.eq(MembershipState::Banned.as_str()))
            .select(memberships::user_id)
            .load::<i64>(conn)?
            .into_iter()
            .collect();
        let existing: Vec<i64> = users::table
            .filter(users::id.eq_any(candidates))
            .select(users::id)
            .load(conn)?;
        existing
            .into_iter()
            .filter(|id| !banned.contains(id))
            .collect()
    } else {
        let members: Vec<i64> = in_community
            .filter(memberships::state.eq(MembershipState::Active.as_str()))
            .select(memberships::user_id)
            .load(conn)?;
        let admins: Vec<i64> = users::table
            .filter(users::id.eq_any(candidates))
            .filter(users::site_role.eq(SiteRole::Admin.as_str()))
            .select(users::id)
            .load(conn)?;
        members.into_iter().chain(admins).collect()
    };
    Ok(readers)
}

/// Ids of the users with these (lowercase) usernames.
pub fn users_named(conn: &mut DbConnection, names: &[String]) -> Result<Vec<i64>, Error> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::username.eq_any(names))
        .select(users::id)
        .load(conn)?)
}
