//! What de-identified insights read (opted-in members' published posts) and their audit log.

use diesel::prelude::*;

use super::schema::{insights_audit, posts, users};
use super::DbConnection;
use crate::domain::post::PostStatus;
use crate::error::Error;

/// A post that may count: (author id, thread id, post id, created at, rendered HTML).
pub type CountedPost = (i64, i64, i64, i64, String);

/// Published, not deleted posts of one community created in `[from, to)` (microseconds),
/// by members who opted in to insights — their choice as it stands now.
pub fn counted_posts(
    conn: &mut DbConnection,
    community_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<CountedPost>, Error> {
    let rows: Vec<(Option<i64>, i64, i64, i64, String)> = posts::table
        .inner_join(users::table.on(posts::author_id.eq(users::id.nullable())))
        .filter(posts::community_id.eq(community_id))
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .filter(posts::deleted_at.is_null())
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(to))
        .filter(users::insights_opt_in.eq(true))
        .select((
            posts::author_id,
            posts::thread_id,
            posts::id,
            posts::created_at,
            posts::body_html,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(author, thread, post, at, html)| author.map(|a| (a, thread, post, at, html)))
        .collect())
}

pub struct AuditEntry<'a> {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub channel: &'a str,
    pub community_id: i64,
    pub from_month: &'a str,
    pub to_month: &'a str,
    pub format: &'a str,
    pub outcome: &'a str,
    pub created_at: i64,
}

pub fn audit(conn: &mut DbConnection, entry: &AuditEntry<'_>) -> Result<(), Error> {
    diesel::insert_into(insights_audit::table)
        .values((
            insights_audit::id.eq(entry.id),
            insights_audit::actor_id.eq(entry.actor_id),
            insights_audit::channel.eq(entry.channel),
            insights_audit::community_id.eq(entry.community_id),
            insights_audit::from_month.eq(entry.from_month),
            insights_audit::to_month.eq(entry.to_month),
            insights_audit::format.eq(entry.format),
            insights_audit::outcome.eq(entry.outcome),
            insights_audit::created_at.eq(entry.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn audit_count(conn: &mut DbConnection, community_id: i64) -> Result<i64, Error> {
    Ok(insights_audit::table
        .filter(insights_audit::community_id.eq(community_id))
        .count()
        .get_result(conn)?)
}

/// One actor's audit rows, oldest first: (channel, format, outcome). For reviews of what
/// a research partner looked at, and for tests.
pub fn audit_of_actor(
    conn: &mut DbConnection,
    actor_id: i64,
) -> Result<Vec<(String, String, String)>, Error> {
    Ok(insights_audit::table
        .filter(insights_audit::actor_id.eq(actor_id))
        .order((insights_audit::created_at.asc(), insights_audit::id.asc()))
        .select((
            insights_audit::channel,
            insights_audit::format,
            insights_audit::outcome,
        ))
        .load(conn)?)
}
