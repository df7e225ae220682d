//! The queries behind `@mentions`: who a post names, and whom to suggest to a member
//! typing one.

use std::collections::HashSet;

use diesel::prelude::*;

use super::schema::{memberships, posts, users};
use super::DbConnection;
use crate::domain::ids::{CommunityId, ThreadId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;

/// `(id, username)` of the accounts with these (lowercased) usernames.
pub fn users_named(
    conn: &mut DbConnection,
    names: &[String],
) -> Result<Vec<(UserId, String)>, Error> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::username.eq_any(names))
        .select((users::id, users::username))
        .load(conn)?)
}

/// A member who may be suggested: `(id, username, display_name)`.
pub type Candidate = (UserId, String, String);

/// Where to look for members whose posts the caller can already read.
#[derive(Debug, Clone, Copy)]
pub enum AuthorsIn {
    Thread(ThreadId),
    Community(CommunityId),
}

/// Authors of published, undeleted posts in a thread or community whose username starts
/// with `prefix` (lowercase `[a-z0-9_]`), by username, at most `limit`. Erased members
/// have no row and are never found.
pub fn authors_with_prefix(
    conn: &mut DbConnection,
    place: AuthorsIn,
    prefix: &str,
    limit: i64,
) -> Result<Vec<Candidate>, Error> {
    // `_` is a wildcard for LIKE: escaped, so `jo_` matches only `jo_…`.
    let pattern = format!("{}%", prefix.replace('_', "\\_"));
    let mut query = users::table
        .inner_join(posts::table.on(posts::author_id.eq(users::id.nullable())))
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .filter(posts::deleted_at.is_null())
        .filter(users::username.like(pattern).escape('\\'))
        .select((users::id, users::username, users::display_name))
        .distinct()
        .order(users::username.asc())
        .limit(limit)
        .into_boxed();
    query = match place {
        AuthorsIn::Thread(id) => query.filter(posts::thread_id.eq(id)),
        AuthorsIn::Community(id) => query.filter(posts::community_id.eq(id)),
    };
    Ok(query.load(conn)?)
}

/// Those of `candidates` suspended from posting in the community right now.
pub fn suspended_among(
    conn: &mut DbConnection,
    community_id: CommunityId,
    candidates: &[UserId],
    now: i64,
) -> Result<HashSet<UserId>, Error> {
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::user_id.eq_any(candidates))
        .filter(memberships::suspended_until.gt(now))
        .select(memberships::user_id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect())
}
