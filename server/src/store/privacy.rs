//! Consent records, what a member's data export reads, and erasure.

use diesel::prelude::*;

use super::schema::{
    communities, consent_history, events, idempotency_keys, memberships, mod_log, notifications,
    post_revisions, posts, reports, thread_watches, threads, users,
};
use super::DbConnection;
use crate::domain::community::MembershipState;
use crate::domain::ids::UserId;
use crate::domain::moderation::ModAction;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consent_history)]
pub struct ConsentRow {
    pub id: i64,
    pub user_id: i64,
    pub consent: String,
    pub value: String,
    pub created_at: i64,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ConsentChanges {
    pub profile_audience: Option<String>,
    pub discoverable: Option<bool>,
    pub insights_opt_in: Option<bool>,
}

pub fn set_consents(
    conn: &mut DbConnection,
    user_id: i64,
    changes: &ConsentChanges,
) -> Result<(), Error> {
    if changes.profile_audience.is_some()
        || changes.discoverable.is_some()
        || changes.insights_opt_in.is_some()
    {
        diesel::update(users::table.find(user_id))
            .set(changes)
            .execute(conn)?;
    }
    Ok(())
}

pub fn record_consent(
    conn: &mut DbConnection,
    id: i64,
    user_id: i64,
    consent: &str,
    value: &str,
    at: i64,
) -> Result<(), Error> {
    diesel::insert_into(consent_history::table)
        .values((
            consent_history::id.eq(id),
            consent_history::user_id.eq(user_id),
            consent_history::consent.eq(consent),
            consent_history::value.eq(value),
            consent_history::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn consent_history(conn: &mut DbConnection, user_id: i64) -> Result<Vec<ConsentRow>, Error> {
    Ok(consent_history::table
        .filter(consent_history::user_id.eq(user_id))
        .order(consent_history::id.asc())
        .select(ConsentRow::as_select())
        .load(conn)?)
}

/// Whether two members are both active in at least one community.
pub fn share_a_community(conn: &mut DbConnection, a: i64, b: i64) -> Result<bool, Error> {
    let (mine, theirs) = diesel::alias!(memberships as mine, memberships as theirs);
    let shared: i64 = mine
        .inner_join(
            theirs.on(theirs
                .field(memberships::community_id)
                .eq(mine.field(memberships::community_id))),
        )
        .filter(mine.field(memberships::user_id).eq(a))
        .filter(
            mine.field(memberships::state)
                .eq(MembershipState::Active.as_str()),
        )
        .filter(theirs.field(memberships::user_id).eq(b))
        .filter(
            theirs
                .field(memberships::state)
                .eq(MembershipState::Active.as_str()),
        )
        .count()
        .get_result(conn)?;
    Ok(shared > 0)
}

/// A post of the member, with where it stands, for their export.
pub type ExportedPost = (super::posts::PostRow, String, String);

/// Every post the member wrote, with its thread title and community slug.
pub fn posts_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<ExportedPost>, Error> {
    Ok(posts::table
        .inner_join(threads::table.inner_join(communities::table))
        .filter(posts::author_id.eq(user_id))
        .order(posts::id.asc())
        .select((
            super::posts::PostRow::as_select(),
            threads::title,
            communities::slug,
        ))
        .load(conn)?)
}

/// Earlier versions of some posts: (post id, source, time).
pub fn revisions_of(
    conn: &mut DbConnection,
    post_ids: &[i64],
) -> Result<Vec<(i64, String, i64)>, Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(post_revisions::table
        .filter(post_revisions::post_id.eq_any(post_ids))
        .order(post_revisions::id.asc())
        .select((
            post_revisions::post_id,
            post_revisions::body_source,
            post_revisions::created_at,
        ))
        .load(conn)?)
}

/// Reports the member made: (post id, reason, state, time).
pub fn reports_by(
    conn: &mut DbConnection,
    user_id: i64,
) -> Result<Vec<(i64, String, String, i64)>, Error> {
    Ok(reports::table
        .filter(reports::reporter_id.eq(user_id))
        .order(reports::id.asc())
        .select((
            reports::post_id,
            reports::reason,
            reports::state,
            reports::created_at,
        ))
        .load(conn)?)
}

/// A moderation decision about a member's post: (post id, action, reason, time).
pub type DecisionAbout = (Option<i64>, ModAction, String, i64);

/// Moderation decisions about the member's posts.
pub fn decisions_about(conn: &mut DbConnection, user_id: i64) -> Result<Vec<DecisionAbout>, Error> {
    mod_log::table
        .filter(mod_log::target_user_id.eq(user_id))
        .order(mod_log::id.asc())
        .select((
            mod_log::post_id,
            mod_log::action,
            mod_log::reason,
            mod_log::created_at,
        ))
        .load::<(Option<i64>, String, String, i64)>(conn)?
        .into_iter()
        .map(|(post, action, reason, at)| Ok((post, ModAction::try_from(action)?, reason, at)))
        .collect()
}

/// Ids of the threads a member started.
pub fn threads_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<i64>, Error> {
    Ok(threads::table
        .filter(threads::author_id.eq(user_id))
        .select(threads::id)
        .load(conn)?)
}

/// Replaces the titles of a member's threads (erasure with deletion of posts).
pub fn retitle_threads(conn: &mut DbConnection, user_id: i64, title: &str) -> Result<(), Error> {
    diesel::update(threads::table.filter(threads::author_id.eq(user_id)))
        .set(threads::title.eq(title))
        .execute(conn)?;
    Ok(())
}

/// Removes every trace of a member that the foreign keys do not: revisions of their posts,
/// their id in the event log and the moderation log. Then deletes the user row, which
/// cascades to sessions, tokens, memberships, reports and consents and turns their posts
/// and threads into "a former member"'s.
pub fn erase_user(conn: &mut DbConnection, user_id: i64, post_ids: &[i64]) -> Result<(), Error> {
    if !post_ids.is_empty() {
        diesel::delete(post_revisions::table.filter(post_revisions::post_id.eq_any(post_ids)))
            .execute(conn)?;
    }
    let quoted = format!("\"{user_id}\"");
    diesel::update(events::table.filter(events::actor_id.eq(user_id)))
        .set(events::actor_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::update(events::table.filter(events::payload.like(format!("%{quoted}%"))))
        .set(
            events::payload.eq(
                diesel::dsl::sql::<diesel::sql_types::Text>("REPLACE(payload, ")
                    .bind::<diesel::sql_types::Text, _>(quoted)
                    .sql(", 'null')"),
            ),
        )
        .execute(conn)?;
    diesel::update(mod_log::table.filter(mod_log::target_user_id.eq(user_id)))
        .set(mod_log::target_user_id.eq(None::<i64>))
        .execute(conn)?;
    super::mail::forget_user(conn, user_id)?;
    diesel::delete(users::table.find(user_id)).execute(conn)?;
    Ok(())
}

/// Whether any row of any table still names the member (used by tests and `user erase`).
pub fn references_to(conn: &mut DbConnection, user_id: i64) -> Result<i64, Error> {
    let quoted = format!("%\"{user_id}\"%");
    let counts = [
        users::table
            .filter(users::id.eq(user_id))
            .count()
            .get_result::<i64>(conn)?,
        memberships::table
            .filter(memberships::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        posts::table
            .filter(posts::author_id.eq(user_id))
            .count()
            .get_result(conn)?,
        threads::table
            .filter(threads::author_id.eq(user_id))
            .count()
            .get_result(conn)?,
        reports::table
            .filter(reports::reporter_id.eq(user_id))
            .count()
            .get_result(conn)?,
        mod_log::table
            .filter(
                mod_log::target_user_id
                    .eq(user_id)
                    .or(mod_log::moderator_id.eq(user_id)),
            )
            .count()
            .get_result(conn)?,
        consent_history::table
            .filter(consent_history::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        notifications::table
            .filter(
                notifications::user_id
                    .eq(user_id)
                    .or(notifications::actor_id.eq(user_id)),
            )
            .count()
            .get_result(conn)?,
        thread_watches::table
            .filter(thread_watches::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        // Stored answers hold the text of what the member created.
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        events::table
            .filter(
                events::actor_id
                    .eq(user_id)
                    .or(events::payload.like(quoted)),
            )
            .count()
            .get_result(conn)?,
        // Mail to the member (addresses, what it said) and their reset tokens.
        super::schema::mail_outbox::table
            .filter(super::schema::mail_outbox::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        super::schema::password_resets::table
            .filter(super::schema::password_resets::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        super::schema::mail_preferences::table
            .filter(super::schema::mail_preferences::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        super::schema::email_confirmations::table
            .filter(super::schema::email_confirmations::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        super::schema::post_reactions::table
            .filter(super::schema::post_reactions::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        super::schema::bookmarks::table
            .filter(super::schema::bookmarks::user_id.eq(user_id))
            .count()
            .get_result(conn)?,
        super::read_positions::count_of_user(conn, UserId(user_id))?,
        super::duty::references_to(conn, UserId(user_id))?,
        i64::from(super::countries::find(conn, user_id)?.is_some()),
    ];
    Ok(counts.iter().sum())
}
