//! Private conversations: the `conversations`, `conversation_members`, `messages` and
//! `message_reports` tables. Messages belong to no community; who may read one is decided
//! by the participants' rows alone.

use diesel::prelude::*;

use super::schema::memberships;
use super::schema_messages::{conversation_members, conversations, message_reports, messages};
use super::DbConnection;
use crate::domain::community::MembershipState;
use crate::domain::ids::{ConversationId, MessageId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversations)]
pub struct ConversationRow {
    pub id: ConversationId,
    pub created_at: i64,
    pub last_message_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conversation_members)]
pub struct MemberRow {
    pub id: i64,
    pub conversation_id: ConversationId,
    /// `None` once the member erased their account.
    pub user_id: Option<UserId>,
    pub last_read_at: i64,
    pub muted: bool,
    pub joined_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = messages)]
pub struct MessageRow {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub author_id: UserId,
    pub body_source: String,
    pub body_html: String,
    pub status: String,
    pub moderation_note: Option<String>,
    pub created_at: i64,
    /// When it reached the other participants: `created_at`, or when a site admin
    /// published it after screening held it; `None` until then.
    pub published_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = message_reports)]
pub struct MessageReportRow {
    pub id: i64,
    pub message_id: MessageId,
    pub reporter_id: Option<UserId>,
    pub reason: String,
    pub message_text: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

/// Whether two members are both active members of at least one community.
pub fn share_a_community(conn: &mut DbConnection, a: UserId, b: UserId) -> Result<bool, Error> {
    let active = MembershipState::Active.as_str();
    let of_a: Vec<i64> = memberships::table
        .filter(memberships::user_id.eq(a))
        .filter(memberships::state.eq(active))
        .select(memberships::community_id)
        .load(conn)?;
    if of_a.is_empty() {
        return Ok(false);
    }
    let shared: i64 = memberships::table
        .filter(memberships::user_id.eq(b))
        .filter(memberships::state.eq(active))
        .filter(memberships::community_id.eq_any(of_a))
        .count()
        .get_result(conn)?;
    Ok(shared > 0)
}

pub fn insert_conversation(conn: &mut DbConnection, row: &ConversationRow) -> Result<(), Error> {
    diesel::insert_into(conversations::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_conversation(
    conn: &mut DbConnection,
    id: ConversationId,
) -> Result<Option<ConversationRow>, Error> {
    Ok(conversations::table
        .find(id)
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_member(conn: &mut DbConnection, row: &MemberRow) -> Result<(), Error> {
    diesel::insert_into(conversation_members::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A member's row in a conversation: `None` when they are not a participant.
pub fn membership(
    conn: &mut DbConnection,
    conversation_id: ConversationId,
    user_id: UserId,
) -> Result<Option<MemberRow>, Error> {
    Ok(conversation_members::table
        .filter(conversation_members::conversation_id.eq(conversation_id))
        .filter(conversation_members::user_id.eq(user_id))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every participant's row (erased members' included), in the order they joined.
pub fn members(
    conn: &mut DbConnection,
    conversation_id: ConversationId,
) -> Result<Vec<MemberRow>, Error> {
    Ok(conversation_members::table
        .filter(conversation_members::conversation_id.eq(conversation_id))
        .order((
            conversation_members::joined_at.asc(),
            conversation_members::id.asc(),
        ))
        .select(MemberRow::as_select())
        .load(conn)?)
}

/// The participants' rows of several conversations.
pub fn members_of_many(
    conn: &mut DbConnection,
    ids: &[ConversationId],
) -> Result<Vec<MemberRow>, Error> {
    Ok(conversation_members::table
        .filter(conversation_members::conversation_id.eq_any(ids))
        .order((
            conversation_members::joined_at.asc(),
            conversation_members::id.asc(),
        ))
        .select(MemberRow::as_select())
        .load(conn)?)
}

/// A member's conversations, most recent message first, after the keyset
/// `(last_message_at, id)` of the previous page.
pub fn conversations_of(
    conn: &mut DbConnection,
    user_id: UserId,
    after: Option<(i64, ConversationId)>,
    limit: i64,
) -> Result<Vec<ConversationRow>, Error> {
    let mine = conversation_members::table
        .filter(conversation_members::user_id.eq(user_id))
        .select(conversation_members::conversation_id);
    let mut query = conversations::table
        .filter(conversations::id.eq_any(mine))
        .select(ConversationRow::as_select())
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            conversations::last_message_at
                .lt(at)
                .or(conversations::last_message_at
                    .eq(at)
                    .and(conversations::id.lt(id))),
        );
    }
    Ok(query
        .order((
            conversations::last_message_at.desc(),
            conversations::id.desc(),
        ))
        .limit(limit)
        .load(conn)?)
}

/// Every conversation a member takes part in (for their export).
pub fn all_conversations_of(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<ConversationId>, Error> {
    Ok(conversation_members::table
        .filter(conversation_members::user_id.eq(user_id))
        .order(conversation_members::conversation_id.asc())
        .select(conversation_members::conversation_id)
        .load(conn)?)
}

pub fn insert_message(conn: &mut DbConnection, row: &MessageRow) -> Result<(), Error> {
    diesel::insert_into(messages::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Moves the conversation up the participants' lists.
pub fn touch(
    conn: &mut DbConnection,
    conversation_id: ConversationId,
    now: i64,
) -> Result<(), Error> {
    diesel::update(conversations::table.find(conversation_id))
        .set(conversations::last_message_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn find_message(conn: &mut DbConnection, id: MessageId) -> Result<Option<MessageRow>, Error> {
    Ok(messages::table
        .find(id)
        .select(MessageRow::as_select())
        .first(conn)
        .optional()?)
}

/// A page of the messages `viewer` may read in a conversation (published ones, and their
/// own whatever their status), oldest first, after message id `after`.
pub fn page(
    conn: &mut DbConnection,
    conversation_id: ConversationId,
    viewer: UserId,
    after: Option<MessageId>,
    limit: i64,
) -> Result<Vec<MessageRow>, Error> {
    let mut query = messages::table
        .filter(messages::conversation_id.eq(conversation_id))
        .filter(
            messages::status
                .eq(PostStatus::Published.as_str())
                .or(messages::author_id.eq(viewer)),
        )
        .select(MessageRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(messages::id.gt(after));
    }
    Ok(query.order(messages::id.asc()).limit(limit).load(conn)?)
}

/// Every message of a conversation, oldest first (for an export).
pub fn all_in(
    conn: &mut DbConnection,
    conversation_id: ConversationId,
) -> Result<Vec<MessageRow>, Error> {
    Ok(messages::table
        .filter(messages::conversation_id.eq(conversation_id))
        .order(messages::id.asc())
        .select(MessageRow::as_select())
        .load(conn)?)
}

/// Published messages from others that arrived (were published) after the member last
/// read: a held message published later counts even if they read the conversation since
/// it was written.
pub fn unread(conn: &mut DbConnection, member: &MemberRow, user_id: UserId) -> Result<i64, Error> {
    Ok(messages::table
        .filter(messages::conversation_id.eq(member.conversation_id))
        .filter(messages::published_at.gt(member.last_read_at))
        .filter(messages::author_id.ne(user_id))
        .filter(messages::status.eq(PostStatus::Published.as_str()))
        .count()
        .get_result(conn)?)
}

/// The member's rows in every conversation they take part in.
pub fn memberships_of(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<MemberRow>, Error> {
    Ok(conversation_members::table
        .filter(conversation_members::user_id.eq(user_id))
        .select(MemberRow::as_select())
        .load(conn)?)
}

pub fn mark_read(conn: &mut DbConnection, member_id: i64, now: i64) -> Result<(), Error> {
    diesel::update(conversation_members::table.find(member_id))
        .set(conversation_members::last_read_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn set_muted(conn: &mut DbConnection, member_id: i64, muted: bool) -> Result<(), Error> {
    diesel::update(conversation_members::table.find(member_id))
        .set(conversation_members::muted.eq(muted))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(
    conn: &mut DbConnection,
    message_id: MessageId,
    status: PostStatus,
) -> Result<(), Error> {
    diesel::update(messages::table.find(message_id))
        .set((
            messages::status.eq(status.as_str()),
            messages::moderation_note.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that a message reached its recipients at `now`, unless it already had.
pub fn mark_published(
    conn: &mut DbConnection,
    message_id: MessageId,
    now: i64,
) -> Result<(), Error> {
    diesel::update(
        messages::table
            .find(message_id)
            .filter(messages::published_at.is_null()),
    )
    .set(messages::published_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// Held messages, oldest first, after id `after` (the site admins' review list).
pub fn held(
    conn: &mut DbConnection,
    after: Option<MessageId>,
    limit: i64,
) -> Result<Vec<MessageRow>, Error> {
    let mut query = messages::table
        .filter(messages::status.eq(PostStatus::Held.as_str()))
        .select(MessageRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(messages::id.gt(after));
    }
    Ok(query.order(messages::id.asc()).limit(limit).load(conn)?)
}

/// Records a report; `false` when this member already reported the message.
pub fn insert_report(conn: &mut DbConnection, row: &MessageReportRow) -> Result<bool, Error> {
    let already: i64 = message_reports::table
        .filter(message_reports::message_id.eq(row.message_id))
        .filter(message_reports::reporter_id.eq(row.reporter_id))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(false);
    }
    diesel::insert_into(message_reports::table)
        .values(row)
        .execute(conn)?;
    Ok(true)
}

/// Open reports, oldest first, after id `after`.
pub fn open_reports(
    conn: &mut DbConnection,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<MessageReportRow>, Error> {
    let mut query = message_reports::table
        .filter(message_reports::resolved_at.is_null())
        .select(MessageReportRow::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(message_reports::id.gt(after));
    }
    Ok(query
        .order(message_reports::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// Closes every open report on a message.
pub fn resolve_reports(
    conn: &mut DbConnection,
    message_id: MessageId,
    now: i64,
) -> Result<(), Error> {
    diesel::update(
        message_reports::table
            .filter(message_reports::message_id.eq(message_id))
            .filter(message_reports::resolved_at.is_null()),
    )
    .set(message_reports::resolved_at.eq(now))
    .execute(conn)?;
    Ok(())
}
