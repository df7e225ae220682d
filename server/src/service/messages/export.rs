//! A member's conversations in their own data export. Their messages are all there; the
//! others' words only where they answer in a conversation the member wrote in (as a mail
//! thread would hold them), published ones only, and without the others' names.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ids::{format_time, ConversationId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::store::messages as store;
use crate::store::DbConnection;

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedConversation {
    pub id: ConversationId,
    pub created_at: String,
    /// Oldest first.
    pub messages: Vec<ExportedMessage>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedMessage {
    pub from_me: bool,
    pub body: String,
    pub status: String,
    pub created_at: String,
}

pub fn conversations_of(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<ExportedConversation>, Error> {
    let mut exported = Vec::new();
    for id in store::all_conversations_of(conn, user_id)? {
        let Some(conversation) = store::find_conversation(conn, id)? else {
            continue;
        };
        let messages = store::all_in(conn, id)?;
        if !messages.iter().any(|m| m.author_id == user_id) {
            continue;
        }
        exported.push(ExportedConversation {
            id,
            created_at: format_time(conversation.created_at),
            messages: messages
                .into_iter()
                .filter(|m| m.author_id == user_id || m.status == PostStatus::Published.as_str())
                .map(|m| ExportedMessage {
                    from_me: m.author_id == user_id,
                    body: m.body_source,
                    status: m.status,
                    created_at: format_time(m.created_at),
                })
                .collect(),
        });
    }
    Ok(exported)
}
