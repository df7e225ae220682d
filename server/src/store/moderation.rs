//! The moderation tables: `mod_queue` (posts waiting for a moderator), `reports` (members
//! reporting posts) and `mod_log` (every decision; append-only — there is deliberately no
//! update or delete function for it here).

use diesel::prelude::*;

use super::posts::{self as post_rows, TrustShare};
use super::schema::{mod_log, mod_queue, posts, reports, users};
use super::DbConnection;
use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::moderation::{ModAction, QueueState, ReportState};
use crate::domain::post::PostStatus;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mod_queue)]
pub struct QueueItemRow {
    pub id: i64,
    pub community_id: i64,
    pub post_id: i64,
    /// `screening` or `reports`.
    pub source: String,
    /// JSON array of label names.
    pub labels: String,
    /// JSON object label → score.
    pub scores: String,
    /// JSON array of reasons (rule, message, span, matched text).
    pub reasons: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: QueueState,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i64,
    pub post_id: i64,
    pub community_id: i64,
    pub reporter_id: i64,
    pub reason: String,
    pub weight: i64,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: ReportState,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mod_log)]
pub struct ModLogRow {
    pub id: i64,
    pub community_id: i64,
    pub queue_item_id: Option<i64>,
    pub post_id: Option<i64>,
    pub target_user_id: Option<i64>,
    pub moderator_id: Option<i64>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub action: ModAction,
    pub reason: String,
    pub note: Option<String>,
    pub sanction: Option<String>,
    pub created_at: i64,
}

pub fn insert_queue_item(conn: &mut DbConnection, row: &QueueItemRow) -> Result<(), Error> {
    diesel::insert_into(mod_queue::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_queue_item(conn: &mut DbConnection, id: i64) -> Result<Option<QueueItemRow>, Error> {
    Ok(mod_queue::table
        .find(id)
        .select(QueueItemRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The open queue item of a post, if any (a post has at most one open item).
pub fn open_item_for_post(
    conn: &mut DbConnection,
    post_id: i64,
) -> Result<Option<QueueItemRow>, Error> {
    Ok(mod_queue::table
        .filter(mod_queue::post_id.eq(post_id))
        .filter(mod_queue::state.eq(QueueState::Open.as_str()))
        .select(QueueItemRow::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces the screening result of an open item (after the author edits the post).
pub fn update_queue_findings(
    conn: &mut DbConnection,
    id: i64,
    labels: &str,
    scores: &str,
    reasons: &str,
    now: i64,
) -> Result<(), Error> {
    diesel::update(mod_queue::table.find(id))
        .set((
            mod_queue::labels.eq(labels),
            mod_queue::scores.eq(scores),
            mod_queue::reasons.eq(reasons),
            mod_queue::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn close_queue_item(conn: &mut DbConnection, id: i64, now: i64) -> Result<(), Error> {
    diesel::update(mod_queue::table.find(id))
        .set((
            mod_queue::state.eq(QueueState::Decided.as_str()),
            mod_queue::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Open items of the given communities, oldest first, after `after_id`.
pub fn list_open_items(
    conn: &mut DbConnection,
    community_ids: &[CommunityId],
    after_id: Option<i64>,
    limit: i64,
) -> Result<Vec<QueueItemRow>, Error> {
    if community_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(mod_queue::table
        .filter(mod_queue::community_id.eq_any(community_ids))
        .filter(mod_queue::state.eq(QueueState::Open.as_str()))
        .filter(mod_queue::id.gt(after_id.unwrap_or(0)))
        .order(mod_queue::id.asc())
        .limit(limit)
        .select(QueueItemRow::as_select())
        .load(conn)?)
}

/// How many items are open in the given communities.
pub fn count_open_items(
    conn: &mut DbConnection,
    community_ids: &[CommunityId],
) -> Result<i64, Error> {
    Ok(mod_queue::table
        .filter(mod_queue::community_id.eq_any(community_ids))
        .filter(mod_queue::state.eq(QueueState::Open.as_str()))
        .count()
        .get_result(conn)?)
}

pub fn insert_report(conn: &mut DbConnection, row: &ReportRow) -> Result<(), Error> {
    diesel::insert_into(reports::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_report(
    conn: &mut DbConnection,
    post_id: i64,
    reporter_id: UserId,
) -> Result<Option<ReportRow>, Error> {
    Ok(reports::table
        .filter(reports::post_id.eq(post_id))
        .filter(reports::reporter_id.eq(reporter_id))
        .select(ReportRow::as_select())
        .first(conn)
        .optional()?)
}

/// Open reports of some posts, oldest first.
pub fn open_reports_for_posts(
    conn: &mut DbConnection,
    post_ids: &[i64],
) -> Result<Vec<ReportRow>, Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(reports::table
        .filter(reports::post_id.eq_any(post_ids))
        .filter(reports::state.eq(ReportState::Open.as_str()))
        .order(reports::id.asc())
        .select(ReportRow::as_select())
        .load(conn)?)
}

/// Sum of the weights of open reports against a post.
pub fn open_report_weight(conn: &mut DbConnection, post_id: i64) -> Result<i64, Error> {
    let weights: Vec<i64> = reports::table
        .filter(reports::post_id.eq(post_id))
        .filter(reports::state.eq(ReportState::Open.as_str()))
        .select(reports::weight)
        .load(conn)?;
    Ok(weights.into_iter().sum())
}

/// Marks the open reports of a post upheld or dismissed.
pub fn resolve_reports(
    conn: &mut DbConnection,
    post_id: i64,
    outcome: ReportState,
) -> Result<(), Error> {
    diesel::update(
        reports::table
            .filter(reports::post_id.eq(post_id))
            .filter(reports::state.eq(ReportState::Open.as_str())),
    )
    .set(reports::state.eq(outcome.as_str()))
    .execute(conn)?;
    Ok(())
}

pub fn append_log(conn: &mut DbConnection, row: &ModLogRow) -> Result<(), Error> {
    diesel::insert_into(mod_log::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// A community's log, newest first, before `before_id`.
pub fn list_log(
    conn: &mut DbConnection,
    community_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<ModLogRow>, Error> {
    Ok(mod_log::table
        .filter(mod_log::community_id.eq(community_id))
        .filter(mod_log::id.lt(before_id.unwrap_or(i64::MAX)))
        .order(mod_log::id.desc())
        .limit(limit)
        .select(ModLogRow::as_select())
        .load(conn)?)
}

/// An author's account creation time and trust counters (published posts not deleted,
/// removed posts), kept up to date by the post writes in `store::posts`.
pub fn trust_counters(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<(i64, i64, i64)>, Error> {
    Ok(users::table
        .find(user_id)
        .select((
            users::created_at,
            users::published_posts,
            users::removed_posts,
        ))
        .get_result(conn)
        .optional()?)
}

/// [`trust_counters`] and whether the member's address still awaits confirmation
/// (`users.email_unconfirmed`): all that posting reads of its author, in one statement.
pub fn poster_standing(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<(i64, i64, i64, bool)>, Error> {
    Ok(users::table
        .find(user_id)
        .select((
            users::created_at,
            users::published_posts,
            users::removed_posts,
            users::email_unconfirmed,
        ))
        .get_result(conn)
        .optional()?)
}

/// How many decisions moderators took about a member, by action.
pub fn decisions_about(
    conn: &mut DbConnection,
    user_id: i64,
) -> Result<Vec<(ModAction, i64)>, Error> {
    mod_log::table
        .filter(mod_log::target_user_id.eq(user_id))
        .group_by(mod_log::action)
        .select((mod_log::action, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(action, count)| Ok((ModAction::try_from(action)?, count)))
        .collect()
}

/// The trust counters recomputed from the posts themselves, by their definition: what
/// the migration backfilled, and what the tests check the maintained counters against.
pub fn recounted_trust_counters(
    conn: &mut DbConnection,
    author_id: i64,
) -> Result<(i64, i64), Error> {
    let published = posts::table
        .filter(posts::author_id.eq(author_id))
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    let removed = posts::table
        .filter(posts::author_id.eq(author_id))
        .filter(posts::status.eq(PostStatus::Removed.as_str()))
        .count()
        .get_result(conn)?;
    Ok((published, removed))
}

/// Sets a post's status and the note its author sees, and moves the post's share of its
/// author's trust counters.
pub fn set_post_status(
    conn: &mut DbConnection,
    post_id: i64,
    status: PostStatus,
    note: Option<&str>,
) -> Result<(), Error> {
    let change = (
        posts::status.eq(status.as_str()),
        posts::moderation_note.eq(note),
    );
    // Conditional on the state just read, as in `posts::tombstone`: a concurrent change
    // (PostgreSQL) makes the update miss, and the loop reads the new state.
    while let Some(post_rows::TrustState {
        author_id,
        status: old_status,
        deleted_at,
    }) = post_rows::trust_state(conn, post_id)?
    {
        let unchanged = posts::table
            .find(post_id)
            .filter(posts::status.eq(old_status.as_str()));
        let changed = if deleted_at.is_some() {
            diesel::update(unchanged.filter(posts::deleted_at.is_not_null()))
                .set(change)
                .execute(conn)?
        } else {
            diesel::update(unchanged.filter(posts::deleted_at.is_null()))
                .set(change)
                .execute(conn)?
        };
        if changed == 1 {
            let deleted = deleted_at.is_some();
            return post_rows::adjust_trust_counters(
                conn,
                author_id,
                TrustShare::of(old_status, deleted),
                TrustShare::of(status, deleted),
            );
        }
    }
    Ok(())
}

/// Communities where the user is an active moderator.
pub fn moderated_community_ids(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<CommunityId>, Error> {
    use super::schema::memberships;
    Ok(memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::role.eq(MembershipRole::Moderator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .select(memberships::community_id)
        .load(conn)?)
}

/// Every community id (for site admins' queue).
pub fn all_community_ids(conn: &mut DbConnection) -> Result<Vec<CommunityId>, Error> {
    use super::schema::communities;
    Ok(communities::table.select(communities::id).load(conn)?)
}

/// A moderator's approve or remove decision on a queued post, with the item's labels and
/// the post's current text.
#[derive(Debug, Clone, Queryable)]
pub struct DecidedPostRow {
    pub log_id: i64,
    /// `approve` or `remove`.
    #[diesel(deserialize_as = String)]
    pub action: ModAction,
    /// JSON array of label names, as the queue item carried them.
    pub labels: String,
    pub body_source: String,
}

/// Every approve and remove decision on a queue item, oldest first; deleted posts (and
/// erased members' deleted posts) are left out.
pub fn decided_posts(conn: &mut DbConnection) -> Result<Vec<DecidedPostRow>, Error> {
    Ok(mod_log::table
        .inner_join(mod_queue::table.on(mod_log::queue_item_id.eq(mod_queue::id.nullable())))
        .inner_join(posts::table.on(posts::id.eq(mod_queue::post_id)))
        .filter(mod_log::action.eq_any([ModAction::Approve.as_str(), ModAction::Remove.as_str()]))
        .filter(posts::deleted_at.is_null())
        .order(mod_log::id.asc())
        .select((
            mod_log::id,
            mod_log::action,
            mod_queue::labels,
            posts::body_source,
        ))
        .load(conn)?)
}
