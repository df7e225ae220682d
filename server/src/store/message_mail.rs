//! What the private-message mail job reads and claims: recently published messages and,
//! per member of a conversation, `mailed_through` (the publication time of the newest
//! message the job has dealt with for them). Publication time, not creation: a message
//! screening held and a site admin published later is news at that moment.

use diesel::prelude::*;

use super::schema_messages::{conversation_members, messages};
use super::DbConnection;
use crate::domain::ids::{ConversationId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;

/// A published message, without its words (the job never needs them).
#[derive(Debug, Clone, Queryable)]
pub struct RecentMessage {
    pub conversation_id: ConversationId,
    pub author_id: UserId,
    pub published_at: i64,
}

/// A member of a conversation as the job sees them.
#[derive(Debug, Clone, Queryable)]
pub struct MailedMember {
    pub id: i64,
    pub conversation_id: ConversationId,
    pub user_id: UserId,
    pub last_read_at: i64,
    pub muted: bool,
    pub mailed_through: i64,
}

/// Messages published after `since` and still published, in the order they were.
pub fn published_since(conn: &mut DbConnection, since: i64) -> Result<Vec<RecentMessage>, Error> {
    Ok(messages::table
        .filter(messages::published_at.gt(since))
        .filter(messages::status.eq(PostStatus::Published.as_str()))
        .order((messages::published_at.asc(), messages::id.asc()))
        .select((
            messages::conversation_id,
            messages::author_id,
            messages::published_at.assume_not_null(),
        ))
        .load(conn)?)
}

/// The members of these conversations who still have an account.
pub fn members_behind(
    conn: &mut DbConnection,
    conversation_ids: &[ConversationId],
) -> Result<Vec<MailedMember>, Error> {
    let rows: Vec<(i64, ConversationId, Option<UserId>, i64, bool, i64)> =
        conversation_members::table
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
