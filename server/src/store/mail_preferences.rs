//! The `mail_preferences` table (one row per member who changed a default) and the
//! notifications the mail job still has to deal with (`notifications.mailed_at`).

use diesel::prelude::*;

use super::schema::{mail_preferences, notifications, users};
use super::DbConnection;
use crate::domain::ids::UserId;
use crate::domain::user::SiteRole;
use crate::error::Error;
use crate::store::notifications::NotificationRow;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = mail_preferences)]
pub struct PreferencesRow {
    pub user_id: UserId,
    pub reply_to_thread: String,
    pub reply_to_post: String,
    pub mention: String,
    pub watched_thread: String,
    pub moderation_outcome: String,
    pub private_message: String,
    pub show_content: bool,
    pub time_zone: String,
    pub digest_hour: i32,
    pub last_daily_at: Option<i64>,
    pub last_weekly_at: Option<i64>,
    pub updated_at: i64,
}

pub fn find(conn: &mut DbConnection, user_id: UserId) -> Result<Option<PreferencesRow>, Error> {
    Ok(mail_preferences::table
        .find(user_id)
        .select(PreferencesRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Writes a member's whole row, inserting it the first time.
pub fn save(conn: &mut DbConnection, row: &PreferencesRow) -> Result<(), Error> {
    let updated = diesel::update(mail_preferences::table.find(row.user_id))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(mail_preferences::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Notifications not yet dealt with by mail, created after `since`, with ids above
/// `after_id`, in id order (a page of them).
pub fn unmailed(
    conn: &mut DbConnection,
    since: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, Error> {
    Ok(notifications::table
        .filter(notifications::mailed_at.is_null())
        .filter(notifications::created_at.gt(since))
        .filter(notifications::id.gt(after_id))
        .order(notifications::id.asc())
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)?)
}

/// A member's username, address and site role, if they still exist.
pub fn recipient(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Option<(String, Option<String>, SiteRole)>, Error> {
    users::table
        .find(user_id)
        .select((users::username, users::email, users::site_role))
        .get_result::<(String, Option<String>, String)>(conn)
        .optional()?
        .map(|(username, email, role)| Ok((username, email, SiteRole::try_from(role)?)))
        .transpose()
}

/// Claims one notification for the mail job: sets `mailed_at` only if it is still unset.
/// On PostgreSQL a second job claiming the same row waits for the first to commit and
/// then finds it taken.
pub fn claim(conn: &mut DbConnection, id: i64, at: i64) -> Result<bool, Error> {
    let updated = diesel::update(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::mailed_at.is_null()),
    )
    .set(notifications::mailed_at.eq(Some(at)))
    .execute(conn)?;
    Ok(updated == 1)
}
