//! What site admins see of private messages: the ones screening held and the ones a
//! participant reported, each with its text, and their decision on it. Messages belong to
//! no community, so community moderators never see them. A report does not record who
//! made it in any event, and participants are never told.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{participant, MessageView};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, MessagePayload, MessageReportedPayload};
use crate::domain::ids::{format_time, next_id, now_micros, MessageId};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::service::cursor;
use crate::service::views::Authors;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::messages::{self as store, MessageReportRow};
use crate::store::Store;

/// `POST /messages/{id}/report`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportReceived {
    /// Always `received`: the site admins will look; the author is not told who reported.
    pub status: String,
}

/// A report as site admins read it: the message's text as it was when reported.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageReportView {
    pub id: String,
    pub message_id: MessageId,
    pub reason: String,
    pub message_text: String,
    pub author: Option<crate::service::views::UserSummary>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageReportPage {
    pub items: Vec<MessageReportView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldMessagePage {
    /// Oldest first, with their text.
    pub items: Vec<HeldMessage>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HeldMessage {
    pub message: MessageView,
    /// The markdown source.
    pub body: String,
    /// Why screening held it, as its author read it.
    pub moderation_note: Option<String>,
}

/// `POST /admin/messages/{id}/decision`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `publish` (deliver a held message) or `remove`.
    #[schema(pattern = "^(publish|remove)$")]
    pub action: String,
}

fn require_admin(user: &CurrentUser) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "not_admin",
            "only site admins review private messages",
        ))
    }
}

fn reason(raw: &str) -> Result<String, Error> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 1000 {
        return Err(Error::invalid(
            "reason",
            "reason must be 1 to 1,000 characters",
        ));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid("reason", "reason must be plain text"));
    }
    Ok(trimmed.to_owned())
}

/// A participant reports a message they can read (not their own): 404 for any other.
pub fn report(
    store: &Store,
    user: &CurrentUser,
    message_id: MessageId,
    input: &ReportInput,
) -> Result<ReportReceived, Error> {
    let reason = reason(&input.reason)?;
    let now = now_micros();
    store.write(|conn| {
        let message = store::find_message(conn, message_id)?.ok_or(Error::NotFound)?;
        participant(conn, user.id, message.conversation_id)?;
        let readable = message.status == PostStatus::Published.as_str();
        if !readable || message.author_id == user.id {
            return Err(Error::NotFound);
        }
        let fresh = store::insert_report(
            conn,
            &MessageReportRow {
                id: next_id(),
                message_id: message.id,
                reporter_id: Some(user.id),
                reason,
                message_text: message.body_source.clone(),
                created_at: now,
                resolved_at: None,
            },
        )?;
        if fresh {
            events::append(
                conn,
                NewEvent {
                    kind: EventKind::MessageReported,
                    community_id: None,
                    thread_id: None,
                    post_id: None,
                    actor_id: None,
                    payload: EventPayload::MessageReported(MessageReportedPayload {
                        message_id: Some(message.id.0),
                    }),
                    created_at: now,
                },
            )?;
        }
        Ok(ReportReceived {
            status: "received".into(),
        })
    })
}

/// Open reports on messages, oldest first.
pub fn reports(
    store: &Store,
    user: &CurrentUser,
    after: Option<&str>,
    limit: i64,
) -> Result<MessageReportPage, Error> {
    require_admin(user)?;
    let after = after.map(cursor::decode_id).transpose()?;
    store.read(|conn| {
        let mut rows = store::open_reports(conn, after, limit + 1)?;
        let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            rows.pop();
            rows.last().map(|r| cursor::encode_id(r.id))
        } else {
            None
        };
        let mut authors_of = Vec::with_capacity(rows.len());
        for row in &rows {
            authors_of.push(store::find_message(conn, row.message_id)?.map(|m| m.author_id.0));
        }
        let authors = Authors::load(conn, authors_of.iter().copied())?;
        Ok(MessageReportPage {
            items: rows
                .iter()
                .zip(authors_of)
                .map(|(row, author)| MessageReportView {
                    id: row.id.to_string(),
                    message_id: row.message_id,
                    reason: row.reason.clone(),
                    message_text: row.message_text.clone(),
                    author: authors.get(author),
                    created_at: format_time(row.created_at),
                })
                .collect(),
            next_cursor,
        })
    })
}

/// Messages screening held, oldest first.
pub fn held(
    store: &Store,
    user: &CurrentUser,
    after: Option<&str>,
    limit: i64,
) -> Result<HeldMessagePage, Error> {
    require_admin(user)?;
    let after = after.map(cursor::decode_id).transpose()?.map(MessageId);
    store.read(|conn| {
        let mut rows = store::held(conn, after, limit + 1)?;
        let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            rows.pop();
            rows.last().map(|m| cursor::encode_id(m.id.0))
        } else {
            None
        };
        let authors = Authors::load(conn, rows.iter().map(|m| Some(m.author_id.0)))?;
        Ok(HeldMessagePage {
            items: rows
                .iter()
                .map(|m| HeldMessage {
                    message: MessageView::from_row(m, &authors, None),
                    body: m.body_source.clone(),
                    moderation_note: m.moderation_note.clone(),
                })
                .collect(),
            next_cursor,
        })
    })
}

/// A site admin publishes a held message or removes a message; its reports are resolved.
pub fn decide(
    store: &Store,
    user: &CurrentUser,
    message_id: MessageId,
    input: &DecisionInput,
) -> Result<MessageView, Error> {
    require_admin(user)?;
    let status = match input.action.as_str() {
        "publish" => PostStatus::Published,
        "remove" => PostStatus::Removed,
        _ => return Err(Error::invalid("action", "action must be publish or remove")),
    };
    let now = now_micros();
    store.write(|conn| {
        let message = store::find_message(conn, message_id)?.ok_or(Error::NotFound)?;
        store::set_status(conn, message.id, status)?;
        // Published for the first time, it arrives now: it moves the conversation up, and
        // counts as unread and is mailed like a message sent at this moment.
        if status == PostStatus::Published && message.published_at.is_none() {
            store::mark_published(conn, message.id, now)?;
            store::touch(conn, message.conversation_id, now)?;
        }
        store::resolve_reports(conn, message.id, now)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::MessageStatusChanged,
                community_id: None,
                thread_id: None,
                post_id: None,
                actor_id: None,
                payload: EventPayload::Message(MessagePayload {
                    conversation_id: Some(message.conversation_id.0),
                    message_id: Some(message.id.0),
                    status: status.as_str().to_owned(),
                }),
                created_at: now,
            },
        )?;
        let updated = store::find_message(conn, message.id)?.ok_or(Error::NotFound)?;
        let authors = Authors::load(conn, [Some(updated.author_id.0)])?;
        Ok(MessageView::from_row(&updated, &authors, None))
    })
}
