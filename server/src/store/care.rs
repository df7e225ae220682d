//! Duty of care (issue 19): `wellbeing_items` (posts whose author may be at risk, for the
//! moderators) and `care_prompts` (when a member last saw the crisis-resources panel).

use diesel::prelude::*;

use super::schema::{care_prompts, memberships, users, wellbeing_items};
use super::DbConnection;
use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::ids::{CommunityId, PostId, UserId};
use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = wellbeing_items)]
pub struct WellbeingItemRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub post_id: PostId,
    /// `medium` or `high`.
    pub level: String,
    /// `screening` or `report`.
    pub source: String,
    /// JSON array of sentences.
    pub sentences: String,
    pub reached_out_by: Option<UserId>,
    pub reached_out_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = care_prompts)]
pub struct CarePromptRow {
    pub user_id: UserId,
    pub shown_at: i64,
    pub dismissed_at: Option<i64>,
}

pub fn insert_item(conn: &mut DbConnection, row: &WellbeingItemRow) -> Result<(), Error> {
    diesel::insert_into(wellbeing_items::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_item(conn: &mut DbConnection, id: i64) -> Result<Option<WellbeingItemRow>, Error> {
    Ok(wellbeing_items::table
        .find(id)
        .select(WellbeingItemRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn item_for_post(
    conn: &mut DbConnection,
    post_id: PostId,
) -> Result<Option<WellbeingItemRow>, Error> {
    Ok(wellbeing_items::table
        .filter(wellbeing_items::post_id.eq(post_id))
        .select(WellbeingItemRow::as_select())
        .first(conn)
        .optional()?)
}

/// Raises an item's level (a report on a post screening had found at `medium`, then
/// screening at `high` after an edit, …).
pub fn set_item_level(conn: &mut DbConnection, id: i64, level: &str) -> Result<(), Error> {
    diesel::update(wellbeing_items::table.find(id))
        .set(wellbeing_items::level.eq(level))
        .execute(conn)?;
    Ok(())
}

/// The items of these communities: those nobody has reached out about first, then
/// `high` before `medium`, newest first; at most `limit`.
pub fn list_items(
    conn: &mut DbConnection,
    community_ids: &[CommunityId],
    limit: i64,
) -> Result<Vec<WellbeingItemRow>, Error> {
    if community_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<WellbeingItemRow> = wellbeing_items::table
        .filter(wellbeing_items::community_id.eq_any(community_ids))
        .order(wellbeing_items::id.desc())
        .limit(limit)
        .select(WellbeingItemRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|row| (row.reached_out_at.is_some(), row.level != "high"));
    Ok(rows)
}

pub fn record_reached_out(
    conn: &mut DbConnection,
    id: i64,
    moderator_id: UserId,
    at: i64,
) -> Result<(), Error> {
    diesel::update(wellbeing_items::table.find(id))
        .set((
            wellbeing_items::reached_out_by.eq(Some(moderator_id)),
            wellbeing_items::reached_out_at.eq(Some(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user ids and addresses of a community's active moderators who have an address.
pub fn moderator_addresses(
    conn: &mut DbConnection,
    community_id: CommunityId,
) -> Result<Vec<(UserId, String, String)>, Error> {
    let rows: Vec<(UserId, String, Option<String>)> = memberships::table
        .inner_join(users::table)
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::role.eq(MembershipRole::Moderator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .select((users::id, users::username, users::email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, email)| email.map(|email| (id, name, email)))
        .collect())
}

pub fn find_prompt(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<CarePromptRow>, Error> {
    Ok(care_prompts::table
        .find(user_id)
        .select(CarePromptRow::as_select())
        .first(conn)
        .optional()?)
}

/// Writes a member's prompt row, inserting it the first time.
pub fn save_prompt(conn: &mut DbConnection, row: &CarePromptRow) -> Result<(), Error> {
    let updated = diesel::update(care_prompts::table.find(row.user_id))
        .set((
            care_prompts::shown_at.eq(row.shown_at),
            care_prompts::dismissed_at.eq(row.dismissed_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(care_prompts::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
