//! Private conversations of 2 to 5 members who share at least one community.
//!
//! Messages belong to no community: who may read one is decided by the conversation's
//! participants alone, and nobody else — site admins included — reads a conversation,
//! except the messages screening held or a participant reported (`review`). Every
//! message is screened like a post (with the default policy and the author's trust
//! level); a held one is seen by its author and the site admins only. Members at trust
//! level 0 may answer but not start a conversation. A member who is blocked by, or
//! blocks, another participant, or shares no community with one, gets `403
//! cannot_message` — one code for all of these, so a block is never revealed.

pub mod export;
pub mod mail;
pub mod review;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, MessagePayload, MutePayload};
use crate::domain::ids::{format_time, next_id, now_micros, ConversationId, MessageId, UserId};
use crate::domain::post::{PostBody, PostStatus};
use crate::domain::user::Username;
use crate::error::Error;
use crate::rate_limit::AbuseLimits;
use crate::screening::{self, Screened};
use crate::service::cursor;
use crate::service::idempotency::{self, Answer, IdempotencyKey, Keyed};
use crate::service::moderation::author_trust;
use crate::service::views::{Authors, UserSummary};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::messages::{self as store, ConversationRow, MemberRow, MessageRow};
use crate::store::{blocks, DbConnection, Store};
use kindred_moderation::Screener;

/// The one answer for "you may not message this member", whatever the reason.
pub const CANNOT_MESSAGE: &str = "cannot_message";
/// Members in one conversation, its starter included.
pub const MAX_PARTICIPANTS: usize = 5;
/// What erased participants are called.
pub const FORMER_MEMBER: &str = "a former member";
/// Screening policy for messages: the defaults (messages belong to no community).
const MESSAGE_POLICY: &str = "{}";

/// `POST /conversations`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConversation {
    /// Usernames of the other participants: 1 to 4.
    #[schema(min_items = 1, max_items = 4)]
    pub to: Vec<String>,
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
}

/// `POST /conversations/{id}/messages`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
}

/// A participant: `user` is null once they erased their account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Participant {
    pub user: Option<UserSummary>,
    /// Their display name, or "a former member".
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversationView {
    pub id: ConversationId,
    pub participants: Vec<Participant>,
    /// Messages from the others since the viewer last opened it.
    pub unread_count: i64,
    /// A muted conversation counts no unread messages in the header.
    pub muted: bool,
    pub created_at: String,
    pub last_message_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub author: Option<UserSummary>,
    /// `published`, or `held` (seen by its author only, until a site admin looks).
    pub status: String,
    pub body_html: String,
    pub created_at: String,
    /// For the author of a held message: why, in plain words.
    pub moderation_note: Option<String>,
}

impl MessageView {
    pub fn from_row(row: &MessageRow, authors: &Authors, viewer: Option<UserId>) -> MessageView {
        MessageView {
            id: row.id,
            conversation_id: row.conversation_id,
            author: authors.get(Some(row.author_id.0)),
            status: row.status.clone(),
            body_html: row.body_html.clone(),
            created_at: format_time(row.created_at),
            moderation_note: row
                .moderation_note
                .clone()
                .filter(|_| viewer == Some(row.author_id)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedConversation {
    pub conversation: ConversationView,
    pub message: MessageView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SentMessage {
    pub message: MessageView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationPage {
    pub items: Vec<ConversationView>,
    pub next_cursor: Option<String>,
    /// Unread messages over every conversation that is not muted (the header's count).
    pub unread_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessagePage {
    pub conversation: ConversationView,
    /// Oldest first.
    pub items: Vec<MessageView>,
    pub next_cursor: Option<String>,
}

/// What a new message goes through before it is written.
#[derive(Clone, Copy)]
pub struct MessageChecks<'a> {
    pub screener: &'a Screener,
    pub limits: &'a AbuseLimits,
}

fn cannot_message() -> Error {
    Error::forbidden(
        CANNOT_MESSAGE,
        "you cannot message this member: you need to share a community, and they must accept messages from you",
    )
}

/// The other participants' usernames, parsed and without repeats or the sender.
fn recipients(user: &CurrentUser, to: &[String]) -> Result<Vec<Username>, Error> {
    if to.is_empty() {
        return Err(Error::invalid("to", "name at least one member to write to"));
    }
    if to.len() > 4 * MAX_PARTICIPANTS {
        return Err(too_many());
    }
    let mut names: Vec<Username> = Vec::new();
    for raw in to {
        let name = Username::parse(raw)
            .map_err(|_| Error::invalid("to", "each entry of to must be a username"))?;
        if name.as_str() == user.username {
            return Err(Error::invalid("to", "you are in the conversation already"));
        }
        if !names.iter().any(|n| n.as_str() == name.as_str()) {
            names.push(name);
        }
    }
    if names.len() + 1 > MAX_PARTICIPANTS {
        return Err(too_many());
    }
    Ok(names)
}

fn too_many() -> Error {
    Error::bad_request(
        "too_many_participants",
        format!("a conversation has at most {MAX_PARTICIPANTS} members, you included"),
    )
}

/// The trust level screening uses for this sender; `None` for site admins, who review
/// held messages and are not screened.
fn sender_trust(
    conn: &mut DbConnection,
    user: &CurrentUser,
    now: i64,
) -> Result<Option<u8>, Error> {
    if user.is_admin() {
        return Ok(None);
    }
    author_trust(conn, user.id, now).map(Some)
}

/// Refuses (with the one code) when the sender may not message any of `others`: a
/// block either way, no community shared, or nobody left to write to.
fn check_reachable(
    conn: &mut DbConnection,
    sender: UserId,
    others: &[UserId],
) -> Result<(), Error> {
    if others.is_empty() || blocks::any_between(conn, sender, others)? {
        return Err(cannot_message());
    }
    for other in others {
        if !store::share_a_community(conn, sender, *other)? {
            return Err(cannot_message());
        }
    }
    Ok(())
}

/// Resolves usernames to ids; an unknown name is a member one cannot message.
fn resolve(conn: &mut DbConnection, names: &[Username]) -> Result<Vec<UserId>, Error> {
    names
        .iter()
        .map(|name| blocks::user_id_named(conn, name.as_str())?.ok_or_else(cannot_message))
        .collect()
}

fn screen(screener: &Screener, trust: Option<u8>, body: &PostBody) -> Result<Screened, Error> {
    match trust {
        Some(trust) => screening::screen(screener, None, body.as_str(), trust, MESSAGE_POLICY),
        None => Ok(Screened::clean()),
    }
}

fn message_event(message: &MessageRow, now: i64) -> NewEvent {
    NewEvent {
        kind: EventKind::MessageCreated,
        community_id: None,
        thread_id: None,
        post_id: None,
        actor_id: Some(message.author_id),
        payload: EventPayload::Message(MessagePayload {
            conversation_id: Some(message.conversation_id.0),
            message_id: Some(message.id.0),
            status: message.status.clone(),
        }),
        created_at: now,
    }
}

/// Writes a screened message, moves the conversation up and marks it read for its author.
fn insert_message(
    conn: &mut DbConnection,
    sender: &MemberRow,
    body: &PostBody,
    body_html: String,
    screened: &Screened,
    now: i64,
) -> Result<MessageRow, Error> {
    let row = MessageRow {
        id: MessageId(next_id()),
        conversation_id: sender.conversation_id,
        author_id: sender.user_id.ok_or(Error::NotFound)?,
        body_source: body.as_str().to_owned(),
        body_html,
        status: screened.status.as_str().to_owned(),
        moderation_note: screened.note.clone(),
        created_at: now,
        published_at: (screened.status == PostStatus::Published).then_some(now),
    };
    store::insert_message(conn, &row)?;
    crate::service::care::after_message(conn, row.author_id.0, &screened.self_harm, now)?;
    if screened.status == PostStatus::Published {
        store::touch(conn, row.conversation_id, now)?;
    }
    store::mark_read(conn, sender.id, now)?;
    events::append(conn, message_event(&row, now))?;
    Ok(row)
}

/// Starts a conversation with its first message; the answer is a [`CreatedConversation`].
/// With a `key`, a retry of the same request gets the first answer (see `idempotency`).
pub fn start(
    store: &Store,
    checks: &MessageChecks,
    user: &CurrentUser,
    input: NewConversation,
    key: Option<IdempotencyKey>,
) -> Result<Answer, Error> {
    let names = recipients(user, &input.to)?;
    let body = PostBody::parse(&input.body)?;
    let now = now_micros();
    let named: Vec<&str> = names.iter().map(Username::as_str).collect();
    let keyed = key.map(|key| Keyed::conversation(key, &named, &body));
    if let Some(answer) = idempotency::stored(store, user.id, keyed.as_ref(), now)? {
        return Ok(answer);
    }
    let sender = user.id.to_string();
    let trust = store.read(|conn| {
        let trust = sender_trust(conn, user, now)?;
        if trust == Some(0) {
            return Err(Error::forbidden(
                "trust_level_too_low",
                "new members can answer messages but not start a conversation yet; take part in a community first",
            ));
        }
        if let Some(limit) = checks.limits.messages_for(trust) {
            limit.check(conn, &sender, now)?;
        }
        let others = resolve(conn, &names)?;
        check_reachable(conn, user.id, &others)?;
        Ok(trust)
    })?;
    let screened = screen(checks.screener, trust, &body)?;
    let body_html = body.render_html()?;
    store.write(|conn| {
        idempotency::once(conn, user.id, keyed.as_ref(), now, |conn| {
            let others = resolve(conn, &names)?;
            check_reachable(conn, user.id, &others)?;
            if let Some(limit) = checks.limits.messages_for(trust) {
                limit.take(conn, &sender, now)?;
            }
            let conversation = ConversationRow {
                id: ConversationId(next_id()),
                created_at: now,
                last_message_at: now,
            };
            store::insert_conversation(conn, &conversation)?;
            let mut own = None;
            for (position, member) in std::iter::once(user.id).chain(others).enumerate() {
                let row = MemberRow {
                    id: next_id(),
                    conversation_id: conversation.id,
                    user_id: Some(member),
                    last_read_at: if position == 0 { now } else { 0 },
                    muted: false,
                    joined_at: now,
                };
                store::insert_member(conn, &row)?;
                if position == 0 {
                    own = Some(row);
                }
            }
            let own = own.ok_or(Error::NotFound)?;
            let message = insert_message(conn, &own, &body, body_html, &screened, now)?;
            let authors = Authors::load(conn, [Some(user.id.0)])?;
            Answer::created(&CreatedConversation {
                conversation: view_of(conn, user.id, conversation.id)?,
                message: MessageView::from_row(&message, &authors, Some(user.id)),
            })
        })
    })
}

/// Answers in a conversation the member takes part in (404 for any other); the answer
/// is a [`SentMessage`]. With a `key`, a retry gets the first answer.
pub fn send(
    store: &Store,
    checks: &MessageChecks,
    user: &CurrentUser,
    conversation: ConversationId,
    input: NewMessage,
    key: Option<IdempotencyKey>,
) -> Result<Answer, Error> {
    let body = PostBody::parse(&input.body)?;
    let now = now_micros();
    let keyed = key.map(|key| Keyed::message(key, conversation.0, &body));
    if let Some(answer) = idempotency::stored(store, user.id, keyed.as_ref(), now)? {
        return Ok(answer);
    }
    let sender = user.id.to_string();
    let trust = store.read(|conn| {
        let (_, others) = participant(conn, user.id, conversation)?;
        let trust = sender_trust(conn, user, now)?;
        if let Some(limit) = checks.limits.messages_for(trust) {
            limit.check(conn, &sender, now)?;
        }
        check_reachable(conn, user.id, &others)?;
        Ok(trust)
    })?;
    let screened = screen(checks.screener, trust, &body)?;
    let body_html = body.render_html()?;
    store.write(|conn| {
        idempotency::once(conn, user.id, keyed.as_ref(), now, |conn| {
            let (own, others) = participant(conn, user.id, conversation)?;
            check_reachable(conn, user.id, &others)?;
            if let Some(limit) = checks.limits.messages_for(trust) {
                limit.take(conn, &sender, now)?;
            }
            let message = insert_message(conn, &own, &body, body_html, &screened, now)?;
            let authors = Authors::load(conn, [Some(user.id.0)])?;
            Answer::created(&SentMessage {
                message: MessageView::from_row(&message, &authors, Some(user.id)),
            })
        })
    })
}

/// The member's own row and the other (not erased) participants; 404 for a conversation
/// they do not take part in.
fn participant(
    conn: &mut DbConnection,
    user_id: UserId,
    conversation_id: ConversationId,
) -> Result<(MemberRow, Vec<UserId>), Error> {
    let own = store::membership(conn, conversation_id, user_id)?.ok_or(Error::NotFound)?;
    let others = store::members(conn, conversation_id)?
        .into_iter()
        .filter_map(|m| m.user_id)
        .filter(|id| *id != user_id)
        .collect();
    Ok((own, others))
}

/// The member's conversations, most recent first.
pub fn list(
    store: &Store,
    user: &CurrentUser,
    after: Option<&str>,
    limit: i64,
) -> Result<ConversationPage, Error> {
    let after = after
        .map(cursor::decode_time_id)
        .transpose()?
        .map(|(at, id)| (at, ConversationId(id)));
    store.read(|conn| {
        let mut rows = store::conversations_of(conn, user.id, after, limit + 1)?;
        let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            rows.pop();
            rows.last()
                .map(|c| cursor::encode_time_id(c.last_message_at, c.id.0))
        } else {
            None
        };
        let ids: Vec<ConversationId> = rows.iter().map(|c| c.id).collect();
        let views = views_of(conn, user.id, &rows, &ids)?;
        Ok(ConversationPage {
            items: views,
            next_cursor,
            unread_count: unread_total(conn, user.id)?,
        })
    })
}

/// Unread messages over the member's conversations that are not muted.
pub fn unread_total(conn: &mut DbConnection, user_id: UserId) -> Result<i64, Error> {
    let mut total = 0;
    for member in store::memberships_of(conn, user_id)? {
        if !member.muted {
            total += store::unread(conn, &member, user_id)?;
        }
    }
    Ok(total)
}

/// The header's count, for pages.
pub fn unread_count(store: &Store, user: &CurrentUser) -> Result<i64, Error> {
    store.read(|conn| unread_total(conn, user.id))
}

fn view_of(
    conn: &mut DbConnection,
    viewer: UserId,
    id: ConversationId,
) -> Result<ConversationView, Error> {
    let row = store::find_conversation(conn, id)?.ok_or(Error::NotFound)?;
    views_of(conn, viewer, std::slice::from_ref(&row), &[id])?
        .pop()
        .ok_or(Error::NotFound)
}

fn views_of(
    conn: &mut DbConnection,
    viewer: UserId,
    rows: &[ConversationRow],
    ids: &[ConversationId],
) -> Result<Vec<ConversationView>, Error> {
    let members = store::members_of_many(conn, ids)?;
    let authors = Authors::load(conn, members.iter().map(|m| m.user_id.map(|id| id.0)))?;
    let mut by_conversation: HashMap<ConversationId, Vec<&MemberRow>> = HashMap::new();
    for member in &members {
        by_conversation
            .entry(member.conversation_id)
            .or_default()
            .push(member);
    }
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let members = by_conversation.remove(&row.id).unwrap_or_default();
        let own = members.iter().find(|m| m.user_id == Some(viewer));
        let unread_count = match own {
            Some(own) => store::unread(conn, own, viewer)?,
            None => 0,
        };
        views.push(ConversationView {
            id: row.id,
            participants: members
                .iter()
                .map(|m| {
                    let user = authors.get(m.user_id.map(|id| id.0));
                    let name = user
                        .as_ref()
                        .map_or_else(|| FORMER_MEMBER.to_owned(), |u| u.display_name.clone());
                    Participant { user, name }
                })
                .collect(),
            unread_count,
            muted: own.is_some_and(|m| m.muted),
            created_at: format_time(row.created_at),
            last_message_at: format_time(row.last_message_at),
        });
    }
    Ok(views)
}

/// A page of a conversation's messages, oldest first. Reading it marks the conversation
/// read for the member.
pub fn messages(
    store: &Store,
    user: &CurrentUser,
    conversation: ConversationId,
    after: Option<&str>,
    limit: i64,
) -> Result<MessagePage, Error> {
    let after = after.map(cursor::decode_id).transpose()?.map(MessageId);
    let now = now_micros();
    store.write(|conn| {
        let (own, _) = participant(conn, user.id, conversation)?;
        let mut rows = store::page(conn, conversation, user.id, after, limit + 1)?;
        let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            rows.pop();
            rows.last().map(|m| cursor::encode_id(m.id.0))
        } else {
            None
        };
        if next_cursor.is_none() {
            store::mark_read(conn, own.id, now)?;
        }
        let authors = Authors::load(conn, rows.iter().map(|m| Some(m.author_id.0)))?;
        Ok(MessagePage {
            conversation: view_of(conn, user.id, conversation)?,
            items: rows
                .iter()
                .map(|m| MessageView::from_row(m, &authors, Some(user.id)))
                .collect(),
            next_cursor,
        })
    })
}

/// Mutes or unmutes a conversation for the member.
pub fn set_muted(
    store: &Store,
    user: &CurrentUser,
    conversation: ConversationId,
    muted: bool,
) -> Result<ConversationView, Error> {
    let now = now_micros();
    store.write(|conn| {
        let (own, _) = participant(conn, user.id, conversation)?;
        store::set_muted(conn, own.id, muted)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::MuteChanged,
                community_id: None,
                thread_id: None,
                post_id: None,
                actor_id: Some(user.id),
                payload: EventPayload::Mute(MutePayload {
                    conversation_id: Some(conversation.0),
                    muted: Some(muted),
                }),
                created_at: now,
            },
        )?;
        view_of(conn, user.id, conversation)
    })
}
