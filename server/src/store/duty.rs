//! Bereavement, appeals and clinician context (issue 19): `memorials`, `clinicians`,
//! `context_notes` and `appeals`, and the reads of `mod_log` an appeal needs.

use std::collections::HashSet;

use diesel::prelude::*;

use super::moderation::ModLogRow;
use super::schema::{memberships, mod_log};
use super::schema_duty::{appeals, clinicians, context_notes, memorials};
use super::{DbConnection, MultiBackend};
use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::duty::AppealState;
use crate::domain::ids::{CommunityId, PostId, UserId};
use crate::domain::moderation::Decision;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memorials)]
pub struct MemorialRow {
    pub user_id: UserId,
    pub memorialised_by: Option<UserId>,
    pub memorialised_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clinicians)]
pub struct ClinicianRow {
    pub user_id: UserId,
    pub role: String,
    pub verified_by: Option<UserId>,
    pub verified_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = context_notes)]
pub struct ContextNoteRow {
    pub id: i64,
    pub post_id: PostId,
    pub community_id: CommunityId,
    pub writer_id: UserId,
    /// The writer's role when they last wrote it.
    pub label: String,
    pub body_source: String,
    pub body_html: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = appeals)]
pub struct AppealRow {
    pub id: i64,
    /// The `mod_log` row appealed against.
    pub decision_id: i64,
    pub community_id: CommunityId,
    pub appellant_id: UserId,
    pub body: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: AppealState,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

// --- memorials ---

pub fn memorial(conn: &mut DbConnection, user_id: UserId) -> Result<Option<MemorialRow>, Error> {
    Ok(memorials::table
        .find(user_id)
        .select(MemorialRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_memorial(conn: &mut DbConnection, row: &MemorialRow) -> Result<(), Error> {
    diesel::insert_into(memorials::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Whether there was a memorial to remove.
pub fn delete_memorial(conn: &mut DbConnection, user_id: UserId) -> Result<bool, Error> {
    Ok(diesel::delete(memorials::table.find(user_id)).execute(conn)? > 0)
}

/// The memorialised accounts among `ids`.
pub fn memorialised_among(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> Result<HashSet<UserId>, Error> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(memorials::table
        .filter(memorials::user_id.eq_any(ids))
        .select(memorials::user_id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect())
}

/// The communities a member belongs to in any state, for the log entries that record a
/// memorial where the member's fellow members read.
pub fn communities_of(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<CommunityId>, Error> {
    Ok(memberships::table
        .filter(memberships::user_id.eq(user_id))
        .select(memberships::community_id)
        .order(memberships::community_id)
        .load(conn)?)
}

// --- clinicians ---

pub fn clinician(conn: &mut DbConnection, user_id: UserId) -> Result<Option<ClinicianRow>, Error> {
    Ok(clinicians::table
        .find(user_id)
        .select(ClinicianRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records a verification, replacing an earlier one (a changed role).
pub fn save_clinician(conn: &mut DbConnection, row: &ClinicianRow) -> Result<(), Error> {
    diesel::delete(clinicians::table.find(row.user_id)).execute(conn)?;
    diesel::insert_into(clinicians::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Whether there was a verification to withdraw.
pub fn delete_clinician(conn: &mut DbConnection, user_id: UserId) -> Result<bool, Error> {
    Ok(diesel::delete(clinicians::table.find(user_id)).execute(conn)? > 0)
}

// --- context notes ---

pub fn insert_note(conn: &mut DbConnection, row: &ContextNoteRow) -> Result<(), Error> {
    diesel::insert_into(context_notes::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_note(conn: &mut DbConnection, id: i64) -> Result<Option<ContextNoteRow>, Error> {
    Ok(context_notes::table
        .find(id)
        .select(ContextNoteRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_note(conn: &mut DbConnection, row: &ContextNoteRow) -> Result<(), Error> {
    diesel::update(context_notes::table.find(row.id))
        .set((
            context_notes::label.eq(&row.label),
            context_notes::body_source.eq(&row.body_source),
            context_notes::body_html.eq(&row.body_html),
            context_notes::edited_at.eq(row.edited_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete_note(conn: &mut DbConnection, id: i64) -> Result<(), Error> {
    diesel::delete(context_notes::table.find(id)).execute(conn)?;
    Ok(())
}

/// The notes on these posts, oldest first.
pub fn notes_for_posts(
    conn: &mut DbConnection,
    post_ids: &[PostId],
) -> Result<Vec<ContextNoteRow>, Error> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(context_notes::table
        .filter(context_notes::post_id.eq_any(post_ids))
        .order(context_notes::id)
        .select(ContextNoteRow::as_select())
        .load(conn)?)
}

pub fn notes_by(conn: &mut DbConnection, writer_id: UserId) -> Result<Vec<ContextNoteRow>, Error> {
    Ok(context_notes::table
        .filter(context_notes::writer_id.eq(writer_id))
        .order(context_notes::id)
        .select(ContextNoteRow::as_select())
        .load(conn)?)
}

// --- appeals ---

pub fn insert_appeal(conn: &mut DbConnection, row: &AppealRow) -> Result<(), Error> {
    diesel::insert_into(appeals::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_appeal(conn: &mut DbConnection, id: i64) -> Result<Option<AppealRow>, Error> {
    Ok(appeals::table
        .find(id)
        .select(AppealRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn appeal_for_decision(
    conn: &mut DbConnection,
    decision_id: i64,
) -> Result<Option<AppealRow>, Error> {
    Ok(appeals::table
        .filter(appeals::decision_id.eq(decision_id))
        .select(AppealRow::as_select())
        .first(conn)
        .optional()?)
}

/// Open appeals in these communities, oldest first.
pub fn open_appeals(
    conn: &mut DbConnection,
    community_ids: &[CommunityId],
) -> Result<Vec<AppealRow>, Error> {
    if community_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(appeals::table
        .filter(appeals::community_id.eq_any(community_ids))
        .filter(appeals::state.eq(AppealState::Open.as_str()))
        .order(appeals::id)
        .select(AppealRow::as_select())
        .load(conn)?)
}

pub fn appeals_by(conn: &mut DbConnection, appellant_id: UserId) -> Result<Vec<AppealRow>, Error> {
    Ok(appeals::table
        .filter(appeals::appellant_id.eq(appellant_id))
        .order(appeals::id)
        .select(AppealRow::as_select())
        .load(conn)?)
}

/// Records the outcome of an open appeal; `false` when it was no longer open.
pub fn decide_appeal(
    conn: &mut DbConnection,
    id: i64,
    state: AppealState,
    by: UserId,
    at: i64,
) -> Result<bool, Error> {
    Ok(diesel::update(
        appeals::table
            .find(id)
            .filter(appeals::state.eq(AppealState::Open.as_str())),
    )
    .set((
        appeals::state.eq(state.as_str()),
        appeals::decided_by.eq(Some(by)),
        appeals::decided_at.eq(Some(at)),
    ))
    .execute(conn)?
        > 0)
}

/// What erasure takes with a member: their appeals and the context notes they wrote.
pub fn erase_member(conn: &mut DbConnection, user_id: UserId) -> Result<(), Error> {
    diesel::delete(appeals::table.filter(appeals::appellant_id.eq(user_id))).execute(conn)?;
    diesel::delete(context_notes::table.filter(context_notes::writer_id.eq(user_id)))
        .execute(conn)?;
    diesel::update(appeals::table.filter(appeals::decided_by.eq(user_id)))
        .set(appeals::decided_by.eq(None::<UserId>))
        .execute(conn)?;
    diesel::update(memorials::table.filter(memorials::memorialised_by.eq(user_id)))
        .set(memorials::memorialised_by.eq(None::<UserId>))
        .execute(conn)?;
    diesel::update(clinicians::table.filter(clinicians::verified_by.eq(user_id)))
        .set(clinicians::verified_by.eq(None::<UserId>))
        .execute(conn)?;
    diesel::delete(memorials::table.find(user_id)).execute(conn)?;
    diesel::delete(clinicians::table.find(user_id)).execute(conn)?;
    Ok(())
}

/// Rows of these tables that still name the member (for erasure's check).
pub fn references_to(conn: &mut DbConnection, user_id: UserId) -> Result<i64, Error> {
    let appeals: i64 = appeals::table
        .filter(
            appeals::appellant_id
                .eq(user_id)
                .or(appeals::decided_by.eq(user_id)),
        )
        .count()
        .get_result(conn)?;
    let notes: i64 = context_notes::table
        .filter(context_notes::writer_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let memorials: i64 = memorials::table
        .filter(
            memorials::user_id
                .eq(user_id)
                .or(memorials::memorialised_by.eq(user_id)),
        )
        .count()
        .get_result(conn)?;
    let clinicians: i64 = clinicians::table
        .filter(
            clinicians::user_id
                .eq(user_id)
                .or(clinicians::verified_by.eq(user_id)),
        )
        .count()
        .get_result(conn)?;
    Ok(appeals + notes + memorials + clinicians)
}

// --- the decisions appealed against ---

pub fn find_decision(conn: &mut DbConnection, id: i64) -> Result<Option<ModLogRow>, Error> {
    Ok(mod_log::table
        .find(id)
        .select(ModLogRow::as_select())
        .first(conn)
        .optional()?)
}

/// The decisions about a member that removed their post or sanctioned them (what they
/// may appeal), newest first. Boxed: both reads below are an appeal's, rare next to a
/// page's.
fn removals_and_sanctions(target_user_id: UserId) -> mod_log::BoxedQuery<'static, MultiBackend> {
    mod_log::table
        .filter(mod_log::target_user_id.eq(target_user_id))
        .filter(
            mod_log::action
                .eq(Decision::Remove.as_str())
                .or(mod_log::sanction.is_not_null()),
        )
        .order(mod_log::id.desc())
        .into_boxed()
}

/// The latest decision about this post that removed it or sanctioned its author
/// (`target_user_id`), if any.
pub fn latest_decision_on_post(
    conn: &mut DbConnection,
    post_id: PostId,
    target_user_id: UserId,
) -> Result<Option<ModLogRow>, Error> {
    Ok(removals_and_sanctions(target_user_id)
        .filter(mod_log::post_id.eq(post_id))
        .select(ModLogRow::as_select())
        .first(conn)
        .optional()?)
}

/// The newest `limit` removals and sanctions about a member (what they may appeal),
/// newest first.
pub fn removals_and_sanctions_about(
    conn: &mut DbConnection,
    target_user_id: UserId,
    limit: i64,
) -> Result<Vec<ModLogRow>, Error> {
    Ok(removals_and_sanctions(target_user_id)
        .limit(limit)
        .select(ModLogRow::as_select())
        .load(conn)?)
}

/// How many active moderators a community has.
pub fn moderator_count(conn: &mut DbConnection, community_id: CommunityId) -> Result<i64, Error> {
    Ok(memberships::table
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::role.eq(MembershipRole::Moderator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .count()
        .get_result(conn)?)
}
