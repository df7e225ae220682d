//! The `users` table.

use diesel::prelude::*;

use super::schema::{memberships, username_skeletons, users};
use super::DbConnection;
use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::ids::UserId;
use crate::domain::user::SiteRole;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub site_role: SiteRole,
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
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: UserId) -> Result<Option<UserRow>, Error> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> Result<Option<UserRow>, Error> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn find_many(conn: &mut DbConnection, ids: &[UserId]) -> Result<Vec<UserRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(UserRow::as_select())
        .load(conn)?)
}

/// `(username, display name)` of the accounts among `usernames` that exist.
pub fn display_names(
    conn: &mut DbConnection,
    usernames: &[String],
) -> Result<Vec<(String, String)>, Error> {
    if usernames.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::username.eq_any(usernames))
        .select((users::username, users::display_name))
        .load(conn)?)
}

pub fn update_profile(
    conn: &mut DbConnection,
    id: UserId,
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

/// Records what a username looks like (see `domain::user::skeleton`).
pub fn insert_skeleton(
    conn: &mut DbConnection,
    user_id: UserId,
    skeleton: &str,
) -> Result<(), Error> {
    diesel::insert_into(username_skeletons::table)
        .values((
            username_skeletons::user_id.eq(user_id),
            username_skeletons::skeleton.eq(skeleton),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether some account's username looks like `skeleton`.
pub fn skeleton_taken(conn: &mut DbConnection, skeleton: &str) -> Result<bool, Error> {
    Ok(diesel::select(diesel::dsl::exists(
        username_skeletons::table.filter(username_skeletons::skeleton.eq(skeleton)),
    ))
    .get_result(conn)?)
}

/// Accounts whose username has no skeleton yet (made before skeletons were kept).
fn without_skeleton(conn: &mut DbConnection) -> Result<Vec<(UserId, String)>, Error> {
    let with = username_skeletons::table.select(username_skeletons::user_id);
    Ok(users::table
        .filter(users::id.ne_all(with))
        .select((users::id, users::username))
        .load(conn)?)
}

/// Staff among `ids`: site admins and active moderators of any community, with
/// `"admin"` or `"moderator"`.
pub fn staff_among(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> Result<Vec<(UserId, &'static str)>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let admins: Vec<UserId> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::site_role.eq(SiteRole::Admin.as_str()))
        .select(users::id)
        .load(conn)?;
    let moderators: Vec<UserId> = memberships::table
        .filter(memberships::user_id.eq_any(ids))
        .filter(memberships::role.eq(MembershipRole::Moderator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .select(memberships::user_id)
        .distinct()
        .load(conn)?;
    let mut staff: Vec<(UserId, &'static str)> = admins.iter().map(|id| (*id, "admin")).collect();
    staff.extend(
        moderators
            .into_iter()
            .filter(|id| !admins.contains(id))
            .map(|id| (id, MembershipRole::Moderator.as_str())),
    );
    Ok(staff)
}

/// The display names of every staff member (admins and active moderators).
pub fn staff_display_names(conn: &mut DbConnection) -> Result<Vec<(UserId, String)>, Error> {
    let moderators = memberships::table
        .filter(memberships::role.eq(MembershipRole::Moderator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .select(memberships::user_id);
    Ok(users::table
        .filter(
            users::site_role
                .eq(SiteRole::Admin.as_str())
                .or(users::id.eq_any(moderators)),
        )
        .select((users::id, users::display_name))
        .load(conn)?)
}

/// Gives every account made before skeletons were kept its skeleton (run at start, after
/// the migrations).
pub fn backfill_skeletons(conn: &mut DbConnection) -> Result<(), Error> {
    for (id, username) in without_skeleton(conn)? {
        insert_skeleton(conn, id, &crate::domain::user::skeleton(&username))?;
    }
    Ok(())
}

/// Accounts registered with this address, compared without regard to case.
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> Result<Vec<UserRow>, Error> {
    Ok(users::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("LOWER(users.email) = ")
                .bind::<diesel::sql_types::Text, _>(email.to_lowercase()),
        )
        .order(users::id)
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn set_password_hash(conn: &mut DbConnection, id: UserId, hash: &str) -> Result<(), Error> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}
