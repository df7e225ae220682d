//! `removal_reasons`: each community's canned reasons for removing a post, one of them
//! the default.

use diesel::prelude::*;

use super::schema_removal_reasons::removal_reasons;
use super::DbConnection;
use crate::domain::ids::CommunityId;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = removal_reasons)]
pub struct RemovalReasonRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub text: String,
    pub is_default: bool,
    pub created_at: i64,
}

/// A community's reasons, oldest first.
pub fn of_community(
    conn: &mut DbConnection,
    community_id: CommunityId,
) -> Result<Vec<RemovalReasonRow>, Error> {
    Ok(removal_reasons::table
        .filter(removal_reasons::community_id.eq(community_id))
        .order((removal_reasons::created_at.asc(), removal_reasons::id.asc()))
        .select(RemovalReasonRow::as_select())
        .load(conn)?)
}

/// The reasons of several communities, for a page of queue items.
pub fn of_communities(
    conn: &mut DbConnection,
    community_ids: &[CommunityId],
) -> Result<Vec<RemovalReasonRow>, Error> {
    Ok(removal_reasons::table
        .filter(removal_reasons::community_id.eq_any(community_ids))
        .order((removal_reasons::created_at.asc(), removal_reasons::id.asc()))
        .select(RemovalReasonRow::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, row: &RemovalReasonRow) -> Result<(), Error> {
    diesel::insert_into(removal_reasons::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

/// Deletes one of a community's reasons; false when it has no such reason.
pub fn delete(conn: &mut DbConnection, community_id: CommunityId, id: i64) -> Result<bool, Error> {
    let deleted = diesel::delete(
        removal_reasons::table
            .find(id)
            .filter(removal_reasons::community_id.eq(community_id)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// Makes `id` the community's only default.
pub fn set_default(
    conn: &mut DbConnection,
    community_id: CommunityId,
    id: i64,
) -> Result<(), Error> {
    diesel::update(removal_reasons::table.filter(removal_reasons::community_id.eq(community_id)))
        .set(removal_reasons::is_default.eq(removal_reasons::id.eq(id)))
        .execute(conn)?;
    Ok(())
}
