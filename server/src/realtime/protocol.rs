//! The websocket protocol: JSON text messages with a `type` field.
//!
//! Client → server: `auth {token}`, `subscribe {topic}`, `unsubscribe {topic}`,
//! `resume {last_event_id}`, `ping`.
//!
//! Server → client: `hello`, `authenticated`, `subscribed`, `unsubscribed`, `resumed`,
//! `event {event_id, topic, kind, data}`, `resync`, `error {code, message}`, `pong`.
//!
//! Topics: `community:{slug}`, `thread:{id}`, `user` (the signed-in member's own
//! notifications) and `mod:{slug}` (a community's moderators). Ids are decimal strings,
//! as everywhere in the API.

use serde::{Deserialize, Serialize};

use crate::domain::community::CommunitySlug;
use crate::domain::ids::{ThreadId, UserId};

/// A message from the client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Sign in on this connection (instead of the cookie), or extend it with a fresh token
    /// for the same user.
    Auth {
        token: String,
    },
    Subscribe {
        topic: String,
    },
    Unsubscribe {
        topic: String,
    },
    /// Replay what the subscriptions missed after this event id, then go live.
    Resume {
        last_event_id: EventIdInput,
    },
    Ping,
}

/// An event id as the client sends it back: the string we sent, or a plain number.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum EventIdInput {
    Text(String),
    Number(i64),
}

impl EventIdInput {
    /// A non-negative id (0 means "from the start of the retained log").
    pub fn parse(&self) -> Option<i64> {
        match self {
            EventIdInput::Text(text) => text.parse::<i64>().ok(),
            EventIdInput::Number(n) => Some(*n),
        }
        .filter(|id| *id >= 0)
    }
}

/// The signed-in user, as `hello` and `authenticated` name them.
#[derive(Debug, Serialize)]
pub struct WhoAmI<'a> {
    pub id: UserId,
    pub username: &'a str,
}

/// A message to the client.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage<'a> {
    /// First message on every connection. `last_event_id` is where live delivery starts:
    /// a client that has seen nothing yet resumes from it after a reconnect.
    Hello {
        user: Option<WhoAmI<'a>>,
        last_event_id: String,
        heartbeat_secs: u64,
        max_subscriptions: usize,
    },
    Authenticated {
        user: WhoAmI<'a>,
    },
    Subscribed {
        topic: &'a str,
    },
    Unsubscribed {
        topic: &'a str,
        /// Set when the server ended the subscription (`access_revoked`).
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'a str>,
    },
    /// The replay after `resume` is done; what follows is live.
    Resumed {
        last_event_id: String,
    },
    Event {
        event_id: String,
        topic: &'a str,
        kind: &'a str,
        data: &'a serde_json::value::RawValue,
    },
    /// The gap since the client's last event is too old or too long to replay: reload
    /// over HTTP, then carry on from `last_event_id`.
    Resync {
        last_event_id: String,
    },
    Error {
        code: &'a str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        topic: Option<&'a str>,
    },
    Pong,
}

impl ServerMessage<'_> {
    pub fn to_json(&self) -> String {
        // Serializing these types cannot fail: every map key is a string.
        serde_json::to_string(self).unwrap_or_else(|_| String::from(r#"{"type":"error"}"#))
    }
}

/// A topic as the client names it, checked for shape (not yet for access).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Topic {
    Community(String),
    Thread(ThreadId),
    User,
    Moderation(String),
}

impl Topic {
    pub fn parse(raw: &str) -> Option<Topic> {
        if raw == "user" {
            return Some(Topic::User);
        }
        let (prefix, rest) = raw.split_once(':')?;
        match prefix {
            "community" => Some(Topic::Community(
                CommunitySlug::parse(rest).ok()?.as_str().to_owned(),
            )),
            "mod" => Some(Topic::Moderation(
                CommunitySlug::parse(rest).ok()?.as_str().to_owned(),
            )),
            "thread" => ThreadId::parse(rest).map(Topic::Thread),
            _ => None,
        }
    }

    /// The canonical name, as acks and events carry it.
    pub fn name(&self) -> String {
        match self {
            Topic::Community(slug) => format!("community:{slug}"),
            Topic::Thread(id) => format!("thread:{id}"),
            Topic::User => "user".into(),
            Topic::Moderation(slug) => format!("mod:{slug}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_parse_and_print() {
        for name in ["community:lung-cancer", "thread:42", "user", "mod:myeloma"] {
            let topic = Topic::parse(name).expect(name);
            assert_eq!(topic.name(), name);
        }
        for bad in [
            "",
            "users",
            "community:",
            "community:UPPER",
            "thread:abc",
            "thread:-1",
            "mod:a",
            "room:1",
        ] {
            assert_eq!(Topic::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn client_messages_parse_strictly() {
        let parse = |text: &str| serde_json::from_str::<ClientMessage>(text);
        assert!(matches!(
            parse(r#"{"type":"subscribe","topic":"user"}"#),
            Ok(ClientMessage::Subscribe { .. })
        ));
        assert!(matches!(
            parse(r#"{"type":"ping"}"#),
            Ok(ClientMessage::Ping)
        ));
        let resume = parse(r#"{"type":"resume","last_event_id":"17"}"#);
        assert!(
            matches!(resume, Ok(ClientMessage::Resume { last_event_id }) if last_event_id.parse() == Some(17))
        );
        let resume = parse(r#"{"type":"resume","last_event_id":17}"#);
        assert!(
            matches!(resume, Ok(ClientMessage::Resume { last_event_id }) if last_event_id.parse() == Some(17))
        );
        assert!(parse(r#"{"type":"subscribe","topic":"user","extra":1}"#).is_err());
        assert!(parse(r#"{"type":"shout"}"#).is_err());
        assert!(parse("not json").is_err());
    }

    #[test]
    fn server_messages_have_a_type() {
        let text = ServerMessage::Error {
            code: "not_found",
            message: "no such topic",
            topic: Some("community:x"),
        }
        .to_json();
        assert_eq!(
            text,
            r#"{"type":"error","code":"not_found","message":"no such topic","topic":"community:x"}"#
        );
        assert_eq!(ServerMessage::Pong.to_json(), r#"{"type":"pong"}"#);
    }
}
