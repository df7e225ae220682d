//! The `users` table.

use diesel::prelude::*;

use super::schema::users;
use super::DbConnection;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub site_role: String,
    pub profile_role: Option<String>,
    pub conditions: String,
    pub bio: String,
    pub show_role: bool,
    pub show_conditions: bool,
    pub show_bio: bool,
    pub created_at: i64,
    /// Who sees the shared profile fields: `members`, `communities` or `nobody`.
    pub profile_audience: String,
    /// Whether members with the same condition may find this member.
    pub discoverable: bool,
    /// Whether this member's posts may count towards de-identified insights.
    pub insights_opt_in: bool,
}

/// Profile fields to change; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges {
    pub display_name: Option<String>,
    pub profile_role: Option<Option<String>>,
    pub conditions: Option<String>,
    pub bio: Option<String>,
    pub show_role: Option<bool>,
    pub show_conditions: Option<bool>,
    pub show_bio: Option<bool>,
}

pub fn insert(conn: &mut DbConnection, row: &UserRow) -> Result<(), Error> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<UserRow>, Error> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> Result<Option<UserRow>, Error> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<UserRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn update_profile(
    conn: &mut DbConnection,
    id: i64,
    changes: &ProfileChanges,
) -> Result<(), Error> {
    let nothing_to_change = changes.display_name.is_none()
        && changes.profile_role.is_none()
        && changes.conditions.is_none()
        && changes.bio.is_none()
        && changes.show_role.is_none()
        && changes.show_conditions.is_none()
        && changes.show_bio.is_none();
    if !nothing_to_change {
        diesel::update(users::table.find(id))
            .set(changes)
            .execute(conn)?;
    }
    Ok(())
}

pub fn count(conn: &mut DbConnection) -> Result<i64, Error> {
    Ok(users::table.count().get_result(conn)?)
}
