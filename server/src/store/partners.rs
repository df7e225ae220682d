//! Research partners' grants: which communities' insights a partner account may see.

use diesel::prelude::*;

use super::schema::{communities, users};
use super::schema_partners::partner_grants;
use super::DbConnection;
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::user::SiteRole;
use crate::error::Error;

/// One grant as the admins' list shows it.
#[derive(Debug, Clone, Queryable)]
pub struct GrantRow {
    pub username: String,
    pub slug: String,
    pub community_name: String,
    pub created_at: i64,
}

/// Grants `community_id` to `user_id`; granting twice keeps the first grant.
pub fn grant(
    conn: &mut DbConnection,
    user_id: UserId,
    community_id: CommunityId,
    granted_by: Option<UserId>,
    now: i64,
) -> Result<bool, Error> {
    if is_granted(conn, user_id, community_id)? {
        return Ok(false);
    }
    diesel::insert_into(partner_grants::table)
        .values((
            partner_grants::user_id.eq(user_id),
            partner_grants::community_id.eq(community_id),
            partner_grants::granted_by.eq(granted_by),
            partner_grants::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Removes a grant; `false` if there was none.
pub fn revoke(
    conn: &mut DbConnection,
    user_id: UserId,
    community_id: CommunityId,
) -> Result<bool, Error> {
    let removed = diesel::delete(
        partner_grants::table
            .filter(partner_grants::user_id.eq(user_id))
            .filter(partner_grants::community_id.eq(community_id)),
    )
    .execute(conn)?;
    Ok(removed > 0)
}

pub fn is_granted(
    conn: &mut DbConnection,
    user_id: UserId,
    community_id: CommunityId,
) -> Result<bool, Error> {
    let found: Option<i64> = partner_grants::table
        .filter(partner_grants::user_id.eq(user_id))
        .filter(partner_grants::community_id.eq(community_id))
        .select(partner_grants::user_id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// The communities granted to one partner: (slug, name), by name.
pub fn communities_of(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<(String, String)>, Error> {
    Ok(partner_grants::table
        .inner_join(communities::table)
        .filter(partner_grants::user_id.eq(user_id))
        .order(communities::name.asc())
        .select((communities::slug, communities::name))
        .load(conn)?)
}

/// Every grant, by partner then community.
pub fn all(conn: &mut DbConnection) -> Result<Vec<GrantRow>, Error> {
    Ok(partner_grants::table
        .inner_join(communities::table)
        .inner_join(users::table.on(users::id.eq(partner_grants::user_id)))
        .order((users::username.asc(), communities::slug.asc()))
        .select((
            users::username,
            communities::slug,
            communities::name,
            partner_grants::created_at,
        ))
        .load(conn)?)
}

/// Makes an account a research partner (which fences it off everything but insights).
pub fn make_partner(conn: &mut DbConnection, user_id: UserId) -> Result<(), Error> {
    diesel::update(users::table.filter(users::id.eq(user_id)))
        .set(users::site_role.eq(SiteRole::ResearchPartner.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Every community as (slug, name), by name: what an admin may look at.
pub fn all_communities(conn: &mut DbConnection) -> Result<Vec<(String, String)>, Error> {
    Ok(communities::table
        .order(communities::name.asc())
        .select((communities::slug, communities::name))
        .load(conn)?)
}
