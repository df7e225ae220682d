//! Private messages on the websocket: a `message.created` or `message.status_changed`
//! event goes only to the `user` topic of the members who may read the message — every
//! participant once it is published, its author alone while it is held, nobody once it is
//! removed. Recipients and text are read from the tables at delivery time, like posts.

use std::collections::HashMap;

use serde_json::json;

use crate::domain::event::EventPayload;
use crate::domain::ids::{MessageId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::service::messages::MessageView;
use crate::service::views::Authors;
use crate::store::events::{EventKind, EventRow};
use crate::store::messages::{self as store, MessageRow};
use crate::store::DbConnection;

/// A message as delivered, with who may receive it.
#[derive(Debug, Clone)]
pub struct LiveMessage {
    /// The participants (ids) this message goes to.
    pub recipients: Vec<UserId>,
    /// The `data` of the event.
    pub data: serde_json::Value,
}

fn message_id_of(row: &EventRow) -> Option<MessageId> {
    let kind = EventKind::parse(&row.kind)?;
    if !matches!(
        kind,
        EventKind::MessageCreated | EventKind::MessageStatusChanged
    ) {
        return None;
    }
    match kind.read_payload(&row.payload).ok()? {
        EventPayload::Message(payload) => payload.message_id.map(MessageId),
        _ => None,
    }
}

/// Who may read a message now.
fn recipients(conn: &mut DbConnection, message: &MessageRow) -> Result<Vec<UserId>, Error> {
    if message.status == PostStatus::Held.as_str() {
        return Ok(vec![message.author_id]);
    }
    if message.status != PostStatus::Published.as_str() {
        return Ok(Vec::new());
    }
    Ok(store::members(conn, message.conversation_id)?
        .into_iter()
        .filter_map(|m| m.user_id)
        .collect())
}

/// The messages a batch of events names, by event id.
pub fn load(
    conn: &mut DbConnection,
    rows: &[EventRow],
) -> Result<HashMap<i64, LiveMessage>, Error> {
    let mut loaded = HashMap::new();
    for row in rows {
        let Some(message_id) = message_id_of(row) else {
            continue;
        };
        let Some(message) = store::find_message(conn, message_id)? else {
            continue;
        };
        let authors = Authors::load(conn, [Some(message.author_id.0)])?;
        // Only the author ever receives a held message, so its note may go along.
        let view = MessageView::from_row(&message, &authors, Some(message.author_id));
        loaded.insert(
            row.id,
            LiveMessage {
                recipients: recipients(conn, &message)?,
                data: json!({ "message": view }),
            },
        );
    }
    Ok(loaded)
}
