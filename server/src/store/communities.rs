//! The `communities` and `memberships` tables.

use diesel::prelude::*;

use super::schema::{communities, memberships, mod_queue, posts, users};
use super::DbConnection;
use crate::domain::community::{
    CommunityKind, JoinPolicy, MembershipRole, MembershipState, Visibility,
};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::moderation::QueueState;
use crate::domain::post::PostStatus;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = communities)]
pub struct CommunityRow {
    pub id: CommunityId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub rules: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: CommunityKind,
    pub condition_tags: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub visibility: Visibility,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub join_policy: JoinPolicy,
    pub member_count: i64,
    pub created_by: Option<UserId>,
    pub created_at: i64,
    /// The community's moderation policy as JSON; `{}` means the defaults.
    pub moderation_policy: String,
    /// A private community shown in the directory, where members may ask to join.
    pub listed: bool,
    /// The language the community talks in (`en`, `es`; issue 21).
    pub language: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub community_id: CommunityId,
    pub user_id: UserId,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub role: MembershipRole,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub state: MembershipState,
    pub created_at: i64,
    pub updated_at: i64,
    /// Set by a moderator's suspension: no posting until then.
    pub suspended_until: Option<i64>,
}

pub fn insert(conn: &mut DbConnection, row: &CommunityRow) -> Result<(), Error> {
    diesel::insert_into(communities::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<CommunityRow>, Error> {
    Ok(communities::table
        .filter(communities::slug.eq(slug))
        .select(CommunityRow::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: CommunityId) -> Result<Option<CommunityRow>, Error> {
    Ok(communities::table
        .find(id)
        .select(CommunityRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// The communities among `ids` that exist, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[CommunityId]) -> Result<Vec<CommunityRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(communities::table
        .filter(communities::id.eq_any(ids))
        .select(CommunityRow::as_select())
        .load(conn)?)
}

/// Who may see what when listing communities.
#[derive(Debug, Clone, Copy)]
pub enum ListScope {
    /// Anonymous visitors: public communities and listed private ones.
    Public,
    /// A member: public ones, listed private ones and private ones they are an active
    /// member of.
    Member(UserId),
    /// Site admins see every community.
    Everything,
}

/// Communities in slug order, after `after_slug` (keyset pagination).
pub fn list(
    conn: &mut DbConnection,
    scope: ListScope,
    language: Option<&str>,
    after_slug: Option<&str>,
    limit: i64,
) -> Result<Vec<CommunityRow>, Error> {
    let mut query = communities::table
        .select(CommunityRow::as_select())
        .into_boxed();
    match scope {
        ListScope::Public => {
            query = query.filter(
                communities::visibility
                    .eq(Visibility::Public.as_str())
                    .or(communities::listed.eq(true)),
            );
        }
        ListScope::Member(user_id) => {
            let own = memberships::table
                .filter(memberships::user_id.eq(user_id))
                .filter(memberships::state.eq(MembershipState::Active.as_str()))
                .select(memberships::community_id);
            query = query.filter(
                communities::visibility
                    .eq(Visibility::Public.as_str())
                    .or(communities::listed.eq(true))
                    .or(communities::id.eq_any(own)),
            );
        }
        ListScope::Everything => {}
    }
    if let Some(language) = language {
        query = query.filter(communities::language.eq(language.to_owned()));
    }
    if let Some(after) = after_slug {
        query = query.filter(communities::slug.gt(after.to_owned()));
    }
    Ok(query
        .order(communities::slug.asc())
        .limit(limit)
        .load(conn)?)
}

/// Writes a community's editable fields (not its slug, counts or policy).
pub fn update_details(conn: &mut DbConnection, row: &CommunityRow) -> Result<(), Error> {
    diesel::update(communities::table.find(row.id))
        .set((
            communities::name.eq(&row.name),
            communities::description.eq(&row.description),
            communities::rules.eq(&row.rules),
            communities::kind.eq(row.kind.as_str()),
            communities::condition_tags.eq(&row.condition_tags),
            communities::visibility.eq(row.visibility.as_str()),
            communities::join_policy.eq(row.join_policy.as_str()),
            communities::listed.eq(row.listed),
            communities::language.eq(&row.language),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn adjust_member_count(
    conn: &mut DbConnection,
    id: CommunityId,
    delta: i64,
) -> Result<(), Error> {
    diesel::update(communities::table.find(id))
        .set(communities::member_count.eq(communities::member_count + delta))
        .execute(conn)?;
    Ok(())
}

pub fn find_membership(
    conn: &mut DbConnection,
    community_id: CommunityId,
    user_id: UserId,
) -> Result<Option<MembershipRow>, Error> {
    Ok(memberships::table
        .find((community_id, user_id))
        .select(MembershipRow::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn insert_membership(conn: &mut DbConnection, row: &MembershipRow) -> Result<(), Error> {
    diesel::insert_into(memberships::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn update_membership(
    conn: &mut DbConnection,
    community_id: CommunityId,
    user_id: UserId,
    role: MembershipRole,
    state: MembershipState,
    now: i64,
) -> Result<(), Error> {
    diesel::update(memberships::table.find((community_id, user_id)))
        .set((
            memberships::role.eq(role.as_str()),
            memberships::state.eq(state.as_str()),
            memberships::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn suspend_membership(
    conn: &mut DbConnection,
    community_id: CommunityId,
    user_id: UserId,
    until: i64,
) -> Result<(), Error> {
    diesel::update(memberships::table.find((community_id, user_id)))
        .set(memberships::suspended_until.eq(Some(until)))
        .execute(conn)?;
    Ok(())
}

pub fn delete_membership(
    conn: &mut DbConnection,
    community_id: CommunityId,
    user_id: UserId,
) -> Result<(), Error> {
    diesel::delete(memberships::table.find((community_id, user_id))).execute(conn)?;
    Ok(())
}

/// Memberships of one community in a given state, with usernames, in username order.
pub fn list_members(
    conn: &mut DbConnection,
    community_id: CommunityId,
    state: MembershipState,
    after_username: Option<&str>,
    limit: i64,
) -> Result<Vec<(MembershipRow, String, String)>, Error> {
    let mut query = memberships::table
        .inner_join(users::table)
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::state.eq(state.as_str()))
        .select((
            MembershipRow::as_select(),
            users::username,
            users::display_name,
        ))
        .into_boxed();
    if let Some(after) = after_username {
        query = query.filter(users::username.gt(after.to_owned()));
    }
    Ok(query.order(users::username.asc()).limit(limit).load(conn)?)
}

/// A member's memberships, for `GET /me`.
pub fn memberships_of_user(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(MembershipRow, String)>, Error> {
    Ok(memberships::table
        .inner_join(communities::table)
        .filter(memberships::user_id.eq(user_id))
        .select((MembershipRow::as_select(), communities::slug))
        .order(communities::slug.asc())
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> Result<i64, Error> {
    Ok(communities::table.count().get_result(conn)?)
}

/// (id, slug, name, visibility) of every community: small, read per search.
pub fn directory(
    conn: &mut DbConnection,
) -> Result<Vec<(CommunityId, String, String, Visibility)>, Error> {
    let rows: Vec<(CommunityId, String, String, String)> = communities::table
        .select((
            communities::id,
            communities::slug,
            communities::name,
            communities::visibility,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, slug, name, visibility)| Ok((id, slug, name, Visibility::parse(&visibility)?)))
        .collect()
}

/// A member's memberships as (community id, role, state).
pub fn roles_of(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(CommunityId, MembershipRole, MembershipState)>, Error> {
    let rows: Vec<(CommunityId, String, String)> = memberships::table
        .filter(memberships::user_id.eq(user_id))
        .select((
            memberships::community_id,
            memberships::role,
            memberships::state,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, role, state)| {
            Ok((
                id,
                MembershipRole::parse(&role)?,
                MembershipState::parse(&state)?,
            ))
        })
        .collect()
}

/// Published posts per community, as (community id, count).
pub fn published_post_counts(conn: &mut DbConnection) -> Result<Vec<(CommunityId, i64)>, Error> {
    Ok(posts::table
        .filter(posts::status.eq(PostStatus::Published.as_str()))
        .filter(posts::deleted_at.is_null())
        .group_by(posts::community_id)
        .select((posts::community_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Open moderation queue items per community, as (community id, count).
pub fn open_queue_counts(conn: &mut DbConnection) -> Result<Vec<(CommunityId, i64)>, Error> {
    Ok(mod_queue::table
        .filter(mod_queue::state.eq(QueueState::Open.as_str()))
        .group_by(mod_queue::community_id)
        .select((mod_queue::community_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Active moderators of every community, as (community id, username), by username.
pub fn all_moderators(conn: &mut DbConnection) -> Result<Vec<(CommunityId, String)>, Error> {
    Ok(memberships::table
        .inner_join(users::table)
        .filter(memberships::role.eq(MembershipRole::Moderator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .order(users::username.asc())
        .select((memberships::community_id, users::username))
        .load(conn)?)
}

/// Replaces a community's moderation policy (JSON, already validated).
pub fn set_moderation_policy(
    conn: &mut DbConnection,
    community_id: CommunityId,
    policy_json: &str,
) -> Result<(), Error> {
    diesel::update(communities::table.find(community_id))
        .set(communities::moderation_policy.eq(policy_json))
        .execute(conn)?;
    Ok(())
}
