//! What an event of the `events` log carries besides its kind and ids: one serde type,
//! written by the services and read back by realtime delivery.
//!
//! The stored form is the JSON the services wrote before this type existed, byte for
//! byte: fields in alphabetical order (as `serde_json::Value` printed them), ids as
//! decimal strings. Erasure relies on that form: it replaces every `"<user id>"` in the
//! payloads with `null` (see `store::privacy::erase_user`), so every id that can name a
//! member reads back as `None` once erased. The kind is stored in its own column, so
//! the payload carries no tag: `EventRow::payload` picks the shape by the kind.

use serde::{Deserialize, Serialize};

use super::community::{MembershipRole, MembershipState, Visibility};
use super::moderation::Decision;
use super::post::PostStatus;
use super::user::ErasePosts;

/// One event's payload. It never holds post text: readers load content from the tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EventPayload {
    /// `user.registered`, `user.profile_updated`.
    User(UserPayload),
    /// `user.consent_changed`.
    Consent(ConsentPayload),
    /// `user.erased`.
    Erasure(ErasurePayload),
    /// `community.created`.
    CommunityCreated(CommunityCreatedPayload),
    /// `community.updated`.
    CommunityUpdated(CommunityUpdatedPayload),
    /// `membership.changed`.
    Membership(MembershipPayload),
    /// `thread.updated`.
    ThreadFlags(ThreadFlagsPayload),
    /// `post.created`, `post.edited`, `post.deleted`, `post.status_changed`.
    Post(PostPayload),
    /// `moderation.queued`.
    Queued(QueuedPayload),
    /// `moderation.decided`.
    Decided(DecidedPayload),
    /// `notification.created`.
    Notifications(NotificationsPayload),
    /// `moderation.wellbeing`.
    Wellbeing(WellbeingPayload),
    /// `message.created`, `message.status_changed`.
    Message(MessagePayload),
    /// `message.reported` (the reporter is not recorded).
    MessageReported(MessageReportedPayload),
    /// `mute.changed`: `{}` for a thread, the conversation and state for a conversation.
    Mute(MutePayload),
    /// `post.reactions_changed`.
    Reactions(ReactionsPayload),
    /// `survey.opened`.
    Survey(SurveyPayload),
    /// `thread.created`, `moderation.policy_changed`, `block.changed`, `page.changed`: `{}`.
    Empty(EmptyPayload),
}

impl EventPayload {
    /// The stored text.
    pub fn to_text(&self) -> String {
        // Serializing these types cannot fail: every map key is a field name.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPayload {
    #[serde(with = "id_text")]
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentPayload {
    /// The consent's name: `profile_audience`, `discoverable` or `insights_opt_in`.
    pub consent: String,
    /// Its new value, as stored in the consent history.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasurePayload {
    pub post_count: usize,
    pub posts: ErasePosts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityCreatedPayload {
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityUpdatedPayload {
    /// Whether a private community is shown in the directory; events written before
    /// listing existed read as unlisted.
    #[serde(default)]
    pub listed: bool,
    pub visibility: Visibility,
    pub was_visibility: Visibility,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipPayload {
    /// What happened, in words (`joined`, `approved`, `banned`, …).
    pub change: String,
    /// The membership after the change; `None` when it was removed.
    pub role: Option<MembershipRole>,
    pub state: Option<MembershipState>,
    #[serde(with = "id_text")]
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadFlagsPayload {
    pub locked: bool,
    pub pinned: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostPayload {
    #[serde(with = "id_text")]
    pub author_id: Option<i64>,
    /// Written by erasure, which rewrites a member's posts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub erased: bool,
    pub status: PostStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedPayload {
    #[serde(with = "id_text")]
    pub queue_item_id: Option<i64>,
    /// `screening` or `reports`.
    pub source: String,
}

/// A wellbeing item opened for a member who may be at risk (`service::care`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WellbeingPayload {
    /// `medium` or `high`.
    pub level: String,
    /// Set for `high`: the item is listed first and the moderators are mailed.
    pub urgent: bool,
    #[serde(with = "id_text")]
    pub wellbeing_item_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecidedPayload {
    pub action: Decision,
    #[serde(with = "id_text")]
    pub author_id: Option<i64>,
    /// `None` when a moderator removed a post that had no queue item.
    #[serde(with = "id_text")]
    pub queue_item_id: Option<i64>,
    pub status: PostStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPayload {
    #[serde(with = "id_list")]
    pub notification_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmptyPayload {}

/// A private message written or decided (`service::messages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagePayload {
    #[serde(with = "id_text")]
    pub conversation_id: Option<i64>,
    #[serde(with = "id_text")]
    pub message_id: Option<i64>,
    /// The message's status after the change (`published`, `held`, `removed`).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageReportedPayload {
    #[serde(with = "id_text")]
    pub message_id: Option<i64>,
}

/// A reaction added (`on`) or taken back; counts are read at delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReactionsPayload {
    /// `with_you`, `thank_you`, `me_too` or `helpful`.
    pub kind: String,
    pub on: bool,
}

/// A survey opened to its invitees (`service::surveys::closing`); who they are is read
/// at delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyPayload {
    #[serde(with = "id_text")]
    pub survey_id: Option<i64>,
}

/// A thread mute carries nothing (the thread is the event's own column); a conversation
/// mute names the conversation and the new state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutePayload {
    #[serde(default, with = "id_text", skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
}

/// An id as a decimal string, or `null` (absent, or erased).
mod id_text {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    // `serde(with)` hands the field by reference.
    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(id: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match id {
            Some(id) => s.collect_str(id),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| text.parse().map_err(D::Error::custom))
            .transpose()
    }
}

/// A list of ids as decimal strings. Reading skips a `null`, which only erasure writes.
mod id_list {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ids: &[i64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ids.iter().map(ToString::to_string))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
        Vec::<Option<String>>::deserialize(d)?
            .into_iter()
            .flatten()
            .map(|text| text.parse().map_err(D::Error::custom))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Each variant is stored exactly as the `json!` literal the services wrote before.
    #[test]
    fn stored_form_is_the_old_literal_form() {
        let cases: Vec<(&str, EventPayload, serde_json::Value)> = vec![
            (
                "user.registered",
                EventPayload::User(UserPayload { user_id: Some(42) }),
                json!({ "user_id": 42.to_string() }),
            ),
            (
                "user.consent_changed",
                EventPayload::Consent(ConsentPayload {
                    consent: "discoverable".into(),
                    value: "true".into(),
                }),
                json!({ "consent": "discoverable", "value": "true" }),
            ),
            (
                "user.erased",
                EventPayload::Erasure(ErasurePayload {
                    post_count: 3,
                    posts: ErasePosts::Anonymize,
                }),
                json!({ "posts": ErasePosts::Anonymize.as_str(), "post_count": 3 }),
            ),
            (
                "community.created",
                EventPayload::CommunityCreated(CommunityCreatedPayload {
                    slug: "lung-cancer".into(),
                }),
                json!({ "slug": "lung-cancer" }),
            ),
            (
                "community.updated",
                EventPayload::CommunityUpdated(CommunityUpdatedPayload {
                    listed: true,
                    visibility: Visibility::Private,
                    was_visibility: Visibility::Public,
                }),
                json!({
                    "listed": true,
                    "visibility": Visibility::Private,
                    "was_visibility": Visibility::Public,
                }),
            ),
            (
                "membership.changed",
                EventPayload::Membership(MembershipPayload {
                    change: "joined".into(),
                    role: Some(MembershipRole::Member),
                    state: Some(MembershipState::Active),
                    user_id: Some(7),
                }),
                json!({
                    "user_id": 7.to_string(),
                    "change": "joined",
                    "role": Some(MembershipRole::Member),
                    "state": Some(MembershipState::Active),
                }),
            ),
            (
                "membership.changed",
                EventPayload::Membership(MembershipPayload {
                    change: "left".into(),
                    role: None,
                    state: None,
                    user_id: Some(7),
                }),
                json!({
                    "user_id": 7.to_string(),
                    "change": "left",
                    "role": None::<MembershipRole>,
                    "state": None::<MembershipState>,
                }),
            ),
            (
                "thread.updated",
                EventPayload::ThreadFlags(ThreadFlagsPayload {
                    locked: false,
                    pinned: true,
                }),
                json!({ "pinned": true, "locked": false }),
            ),
            (
                "post.created",
                EventPayload::Post(PostPayload {
                    author_id: Some(9),
                    erased: false,
                    status: PostStatus::Held,
                }),
                json!({ "status": PostStatus::Held, "author_id": Some(9).map(|a: i64| a.to_string()) }),
            ),
            (
                "post.edited (erasure)",
                EventPayload::Post(PostPayload {
                    author_id: None,
                    erased: true,
                    status: PostStatus::Published,
                }),
                json!({ "status": PostStatus::Published, "author_id": null, "erased": true }),
            ),
            (
                "moderation.queued",
                EventPayload::Queued(QueuedPayload {
                    queue_item_id: Some(11),
                    source: "screening".into(),
                }),
                json!({ "queue_item_id": 11.to_string(), "source": "screening" }),
            ),
            (
                "message.created",
                EventPayload::Message(MessagePayload {
                    conversation_id: Some(21),
                    message_id: Some(22),
                    status: "held".into(),
                }),
                json!({ "conversation_id": 21.to_string(), "message_id": 22.to_string(), "status": "held" }),
            ),
            (
                "message.reported",
                EventPayload::MessageReported(MessageReportedPayload {
                    message_id: Some(22),
                }),
                json!({ "message_id": 22.to_string() }),
            ),
            (
                "mute.changed",
                EventPayload::Mute(MutePayload {
                    conversation_id: Some(21),
                    muted: Some(true),
                }),
                json!({ "conversation_id": 21.to_string(), "muted": true }),
            ),
            (
                "mute.changed",
                EventPayload::Mute(MutePayload {
                    conversation_id: None,
                    muted: None,
                }),
                json!({}),
            ),
            (
                "post.reactions_changed",
                EventPayload::Reactions(ReactionsPayload {
                    kind: "with_you".into(),
                    on: true,
                }),
                json!({ "kind": "with_you", "on": true }),
            ),
            (
                "moderation.wellbeing",
                EventPayload::Wellbeing(WellbeingPayload {
                    level: "high".into(),
                    urgent: true,
                    wellbeing_item_id: Some(12),
                }),
                json!({ "wellbeing_item_id": 12.to_string(), "level": "high", "urgent": true }),
            ),
            (
                "moderation.decided",
                EventPayload::Decided(DecidedPayload {
                    action: Decision::Remove,
                    author_id: Some(9),
                    queue_item_id: None,
                    status: PostStatus::Removed,
                }),
                json!({
                    "queue_item_id": None::<String>,
                    "action": Decision::Remove.as_str(),
                    "status": PostStatus::Removed.as_str(),
                    "author_id": Some(9.to_string()),
                }),
            ),
            (
                "notification.created",
                EventPayload::Notifications(NotificationsPayload {
                    notification_ids: vec![5, 6],
                }),
                json!({ "notification_ids": vec![5.to_string(), 6.to_string()] }),
            ),
            (
                "survey.opened",
                EventPayload::Survey(SurveyPayload {
                    survey_id: Some(31),
                }),
                json!({ "survey_id": 31.to_string() }),
            ),
            (
                "thread.created",
                EventPayload::Empty(EmptyPayload {}),
                json!({}),
            ),
        ];
        for (name, payload, old) in cases {
            assert_eq!(payload.to_text(), old.to_string(), "{name}");
        }
    }
}
