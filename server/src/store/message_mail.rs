//! What the private-message mail job reads and claims: recent published messages and,
//! per member of a conversation, `mailed_through` (the creation time of the newest message
//! the job has dealt with for them).

use diesel::prelude::*;

use super::schema_messages::{conversation_members, messages};
use super::DbConnection;
use crate::domain::post::PostStatus;
use crate::error::Error;

/// A published message, without its words (the job never needs them).
#[derive(Debug, Clone, Queryable)]
pub struct RecentMessage {
    pub conversation_id: i64,
    pub author_id: i64,
    pub created_at: i64,
}

/// A member of a conversation as the job sees them.
#[derive(Debug, Clone, Queryable)]
pub struct MailedMember {
    pub id: i64,
    pub conversation_id: i64,
    pub user_id: i64,
    pub last_read_at: i64,
    pub muted: bool,
    pub mailed_through: i64,
}

/// Published messages created after `since`, oldest first.
pub fn published_since(conn: &mut DbConnection, since: i64) -> Result<Vec<RecentMessage>, Error> {
    Ok(messages::table
        .filter(messages::created_at.gt(since))
        .filter(messages::status.eq(PostStatus::Published.as_str()))
        .order(messages::created_at.asc())
        .select((
            messages::conversation_id,
            messages::author_id,
            messages::created_at,
        ))
        .load(conn)?)
}

/// The members of these conversations who still have an account.
pub fn members_behind(
    conn: &mut DbConnection,
    conversation_ids: &[i64],
) -> Result<Vec<MailedMember>, Error> {
    let rows: Vec<(i64, i64, Option<i64>, i64, bool, i64)> = conversation_members::table
        .filter(conversation_members::conversation_id.eq_any(conversation_ids))
        .filter(conversation_members::user_id.is_not_null())
        .select((
            conversation_members::id,
            conversation_members::conversation_id,
            conversation_members::user_id,
            conversation_members::last_read_at,
            conversation_members::muted,
            conversation_members::mailed_through,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, conversation_id, user_id, last_read_at, muted, mailed_through)| {
                Some(MailedMember {
                    id,
                    conversation_id,
                    user_id: user_id?,
                    last_read_at,
                    muted,
                    mailed_through,
                })
            },
        )
        .collect())
}

/// Marks a member's messages up to `through` as dealt with, only if no other run did:
/// whoever moves the mark sends the mail.
pub fn claim(conn: &mut DbConnection, member_id: i64, through: i64) -> Result<bool, Error> {
    let updated = diesel::update(
        conversation_members::table
            .find(member_id)
            .filter(conversation_members::mailed_through.lt(through)),
    )
    .set(conversation_members::mailed_through.eq(through))
    .execute(conn)?;
    Ok(updated == 1)
}
