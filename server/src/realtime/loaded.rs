//! Events as delivered: a row of the `events` log together with the rows it names (the
//! post, the thread, the community), read from the database at delivery time. The log
//! carries ids and states only, so the content always comes from the tables.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::web::Bytes;

use serde_json::json;
use serde_json::value::RawValue;

use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::content_note::{ContentNote, ContentNotes};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, MembershipPayload, NotificationsPayload};
use crate::domain::ids::{CommunityId, PostId, ThreadId, UserId};
use crate::error::Error;
use crate::realtime::messages::{self as live_messages, LiveMessage};
use crate::realtime::outbound;
use crate::realtime::protocol::ServerMessage;
use crate::realtime::surveys::{self as live_surveys, LiveSurvey};
use crate::service::notifications::{self, NotificationView};
use crate::service::reactions::{self, Reactions};
use crate::service::views::{Authors, PostView, ThreadView};
use crate::store::communities::{self, CommunityRow};
use crate::store::events::{EventKind, EventRow};
use crate::store::notifications::{self as notification_store, NotificationRow};
use crate::store::posts::{self, PostRow};
use crate::store::threads::{self, ThreadRow};
use crate::store::DbConnection;

/// A membership change, from the event's payload.
#[derive(Debug, Clone)]
pub struct MemberChange {
    pub user_id: i64,
    pub change: String,
    pub role: Option<MembershipRole>,
    pub state: Option<MembershipState>,
}

/// One event with the rows it refers to, shared by every connection that receives it.
pub struct LoadedEvent {
    pub id: i64,
    pub kind: Option<EventKind>,
    pub kind_text: String,
    pub community: Option<Arc<CommunityRow>>,
    pub thread: Option<ThreadRow>,
    pub post: Option<PostRow>,
    pub member: Option<MemberChange>,
    /// For `notification.created`: the notifications stored, one per recipient.
    pub notifications: Vec<NotificationRow>,
    /// For `notification.created` about a post with content notes: the notes each
    /// recipient folds away, by user id, so the excerpt is left out where folded.
    notification_collapse: HashMap<i64, ContentNotes>,
    /// For `message.created` and `message.status_changed`: the message and its readers.
    pub message: Option<LiveMessage>,
    /// For `survey.opened`: the survey and the members it invites.
    pub survey: Option<LiveSurvey>,
    /// The post's reaction counts at delivery time (`mine` left out: the data is shared).
    reactions: Option<Reactions>,
    /// The post's content notes at delivery time, so live posts fold like rendered ones.
    content_notes: Vec<ContentNote>,
    /// The thread's content notes, for thread events (folded on the community page).
    thread_notes: Vec<ContentNote>,
    authors: Arc<Authors>,
    /// `data` as every viewer but the post's author sees it, serialized once for all the
    /// connections it goes to (10,000 subscribers of a thread make one, not 10,000).
    shared_data: OnceLock<Box<RawValue>>,
    /// The whole websocket frame (envelope and shared `data`) per topic name, encoded
    /// once: 10,000 subscribers of a thread share one buffer, and each connection's
    /// queue holds a reference to it, not a copy.
    shared_frames: Mutex<Vec<(Box<str>, Bytes)>>,
}

/// Where the hub routes an event: connections interested in any of these keys get it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteKey {
    /// `community:` and `mod:` subscriptions of one community.
    Community(i64),
    Thread(i64),
    /// Every connection signed in as this user (membership changes, `user` topic).
    User(i64),
}

impl LoadedEvent {
    pub fn community_id(&self) -> Option<i64> {
        self.community.as_ref().map(|c| c.id.0)
    }

    pub fn is_post_event(&self) -> bool {
        matches!(
            self.kind,
            Some(
                EventKind::PostCreated
                    | EventKind::PostEdited
                    | EventKind::PostDeleted
                    | EventKind::PostStatusChanged
                    | EventKind::PostReactionsChanged
            )
        )
    }

    /// A queue item opened or decided: for the community's moderators.
    pub fn is_moderation_event(&self) -> bool {
        matches!(
            self.kind,
            Some(
                EventKind::ModerationQueued
                    | EventKind::ModerationDecided
                    | EventKind::WellbeingOpened
            )
        )
    }

    /// A community's settings changed: every connection re-checks its subscriptions to
    /// it, whatever their topic (a thread subscription has no community route key).
    pub fn concerns_every_connection(&self) -> bool {
        self.kind == Some(EventKind::CommunityUpdated)
    }

    /// The notification of this event addressed to `user`, if any.
    pub fn notification_for(&self, user: UserId) -> Option<&NotificationRow> {
        self.notifications.iter().find(|n| n.user_id == user.0)
    }

    pub fn is_thread_event(&self) -> bool {
        matches!(
            self.kind,
            Some(EventKind::ThreadCreated | EventKind::ThreadUpdated)
        )
    }

    pub fn route_keys(&self) -> Vec<RouteKey> {
        let mut keys = Vec::with_capacity(4);
        if let Some(id) = self.community_id() {
            keys.push(RouteKey::Community(id));
        }
        if let Some(thread) = &self.thread {
            keys.push(RouteKey::Thread(thread.id));
        }
        if let Some(author) = self.post.as_ref().and_then(|p| p.author_id) {
            keys.push(RouteKey::User(author));
        }
        if let Some(member) = &self.member {
            keys.push(RouteKey::User(member.user_id));
        }
        keys.extend(self.notifications.iter().map(|n| RouteKey::User(n.user_id)));
        if let Some(message) = &self.message {
            keys.extend(message.recipients.iter().map(|id| RouteKey::User(id.0)));
        }
        if let Some(survey) = &self.survey {
            keys.extend(survey.recipients.iter().map(|id| RouteKey::User(*id)));
        }
        keys
    }

    /// Whether `viewer` sees a `data` of their own (the post's author, a notification's
    /// recipient) rather than the one every other viewer shares.
    pub fn data_is_personal_for(&self, viewer: Option<&CurrentUser>) -> bool {
        viewer.is_some_and(|v| self.post_author_is(v.id) || self.notification_for(v.id).is_some())
    }

    /// The `event` message on `topic` for a viewer who sees the shared `data`, as an
    /// encoded websocket frame built on first use and shared afterwards.
    pub fn shared_frame(&self, topic: &str) -> Bytes {
        let mut frames = self
            .shared_frames
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, frame)) = frames.iter().find(|(name, _)| &**name == topic) {
            return frame.clone();
        }
        let data = self.shared_data.get_or_init(|| raw(&self.data_for(None)));
        let frame = outbound::encode_text(&self.message_json(topic, data));
        frames.push((topic.into(), frame.clone()));
        frame
    }

    /// The `event` message on `topic` for `viewer`, whose `data` is their own.
    pub fn personal_message(&self, topic: &str, viewer: Option<&CurrentUser>) -> String {
        self.message_json(topic, &raw(&self.data_for(viewer)))
    }

    fn message_json(&self, topic: &str, data: &RawValue) -> String {
        ServerMessage::Event {
            event_id: self.id.to_string(),
            topic,
            kind: &self.kind_text,
            data,
        }
        .to_json()
    }

    /// The event's `data` as `viewer` would see it through the API (a post's markdown
    /// source only for its author).
    pub fn data_for(&self, viewer: Option<&CurrentUser>) -> serde_json::Value {
        let slug = self.community.as_ref().map(|c| c.slug.as_str());
        if let Some(message) = &self.message {
            return message.data.clone();
        }
        if let Some(survey) = &self.survey {
            return survey.data.clone();
        }
        if let Some(user) = viewer {
            if let Some(view) = self.notification_view(user.id) {
                return json!({ "notification": view });
            }
        }
        if let (Some(post), Some(EventKind::PostReactionsChanged)) = (&self.post, self.kind) {
            // Counts only: read at delivery, so the last event of a burst carries the
            // final numbers whatever order concurrent reactions committed in.
            return json!({
                "community": slug,
                "post_id": PostId(post.id),
                "thread_id": ThreadId(post.thread_id),
                "reactions": self.reactions.unwrap_or_default(),
            });
        }
        if let Some(post) = self
            .post
            .as_ref()
            .filter(|_| self.is_post_event() || self.is_moderation_event())
        {
            let mut view = PostView::from_row(post, &self.authors, viewer.map(|u| u.id))
                .with_reactions(self.reactions.as_ref());
            view.content_notes.clone_from(&self.content_notes);
            return json!({ "community": slug, "post": view });
        }
        if let (Some(thread), Some(slug)) = (&self.thread, slug) {
            if self.is_thread_event() {
                let mut view = ThreadView::from_row(thread, slug, &self.authors);
                view.content_notes.clone_from(&self.thread_notes);
                return json!({ "thread": view });
            }
        }
        if let Some(member) = &self.member {
            return json!({
                "community": slug,
                "user": self.authors.get(Some(member.user_id)),
                "change": member.change,
                "role": member.role,
                "state": member.state,
            });
        }
        json!({ "community": slug })
    }

    fn notification_view(&self, user: UserId) -> Option<NotificationView> {
        let none = ContentNotes::default();
        let post_notes = ContentNotes::from_notes(self.content_notes.iter().copied());
        Some(notifications::view(
            self.notification_for(user)?,
            self.post.as_ref()?,
            self.thread.as_ref()?,
            self.community.as_ref()?,
            &self.authors,
            notifications::Notes {
                post: &post_notes,
                collapse: self.notification_collapse.get(&user.0).unwrap_or(&none),
            },
        ))
    }

    /// Whether this user is invited to the survey an event announces.
    pub fn survey_for(&self, user: UserId) -> bool {
        self.survey
            .as_ref()
            .is_some_and(|s| s.recipients.contains(&user.0))
    }

    /// Whether this user may receive the event's private message.
    pub fn message_for(&self, user: UserId) -> bool {
        self.message
            .as_ref()
            .is_some_and(|m| m.recipients.contains(&user))
    }

    /// Whether the post of a post event was written by this user.
    pub fn post_author_is(&self, user: UserId) -> bool {
        self.post
            .as_ref()
            .is_some_and(|p| p.author_id == Some(user.0))
    }
}

fn raw(value: &serde_json::Value) -> Box<RawValue> {
    // Serializing a `Value` cannot fail (its map keys are strings); `null` is the default.
    serde_json::value::to_raw_value(value).unwrap_or_default()
}

/// Loads the rows a batch of events refers to, with one query per table.
pub fn load(conn: &mut DbConnection, rows: Vec<EventRow>) -> Result<Vec<LoadedEvent>, Error> {
    let post_ids: Vec<i64> = rows.iter().filter_map(|r| r.post_id).collect();
    let posts: HashMap<i64, PostRow> = posts::find_many(conn, &post_ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let thread_ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.thread_id)
        .chain(posts.values().map(|p| p.thread_id))
        .collect();
    let threads: HashMap<i64, ThreadRow> = threads::find_many(conn, &thread_ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let community_ids: Vec<CommunityId> = rows
        .iter()
        .filter_map(|r| r.community_id)
        .map(CommunityId)
        .collect();
    let communities: HashMap<i64, Arc<CommunityRow>> =
        communities::find_many(conn, &community_ids)?
            .into_iter()
            .map(|c| (c.id.0, Arc::new(c)))
            .collect();
    let members: Vec<Option<MemberChange>> = rows.iter().map(member_change).collect();
    let reactions = if posts.is_empty() {
        HashMap::new()
    } else {
        let ids: Vec<i64> = posts.keys().copied().collect();
        reactions::counts_for(conn, &ids)?
    };
    let ids: Vec<i64> = posts.keys().copied().collect();
    let notes = crate::service::content_notes::of_posts(conn, &ids)?;
    let thread_event_ids: Vec<i64> = rows
        .iter()
        .filter(|r| {
            matches!(
                EventKind::parse(&r.kind),
                Some(EventKind::ThreadCreated | EventKind::ThreadUpdated)
            )
        })
        .filter_map(|r| r.thread_id)
        .collect();
    let thread_notes = crate::service::content_notes::of_threads(conn, &thread_event_ids)?;
    let notification_ids: Vec<i64> = rows.iter().flat_map(notification_ids_of).collect();
    let mut notifications: HashMap<i64, Vec<NotificationRow>> = HashMap::new();
    for row in notification_store::find_many(conn, &notification_ids)? {
        notifications.entry(row.post_id).or_default().push(row);
    }
    let mut messages = live_messages::load(conn, &rows)?;
    let mut surveys = live_surveys::load(conn, &rows)?;
    let authors = Arc::new(Authors::load(
        conn,
        posts
            .values()
            .map(|p| p.author_id)
            .chain(threads.values().map(|t| t.author_id))
            .chain(members.iter().map(|m| m.as_ref().map(|m| m.user_id)))
            .chain(notifications.values().flatten().map(|n| n.actor_id)),
    )?);
    rows.into_iter()
        .zip(members)
        .map(|(row, member)| {
            let wanted = notification_ids_of(&row);
            let notifications: Vec<NotificationRow> = row
                .post_id
                .and_then(|id| notifications.get(&id))
                .map(|rows| {
                    rows.iter()
                        .filter(|n| wanted.contains(&n.id))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let post = row.post_id.and_then(|id| posts.get(&id).cloned());
            let reactions = post
                .as_ref()
                .map(|p| reactions.get(&p.id).copied().unwrap_or_default());
            let content_notes = post
                .as_ref()
                .and_then(|p| notes.get(&p.id))
                .map(|n| n.as_slice().to_vec())
                .unwrap_or_default();
            let mut notification_collapse = HashMap::new();
            if !content_notes.is_empty() {
                for notification in &notifications {
                    let collapse = crate::service::content_notes::collapse_for_member(
                        conn,
                        crate::domain::ids::UserId(notification.user_id),
                        notification.community_id,
                    )?;
                    notification_collapse.insert(notification.user_id, collapse);
                }
            }
            let thread_id = row.thread_id.or(post.as_ref().map(|p| p.thread_id));
            let thread_notes = row
                .thread_id
                .and_then(|id| thread_notes.get(&id))
                .map(|n| n.as_slice().to_vec())
                .unwrap_or_default();
            Ok(LoadedEvent {
                id: row.id,
                kind: EventKind::parse(&row.kind),
                community: row
                    .community_id
                    .and_then(|id| communities.get(&id).cloned()),
                thread: thread_id.and_then(|id| threads.get(&id).cloned()),
                post,
                member,
                notifications,
                notification_collapse,
                message: messages.remove(&row.id),
                survey: surveys.remove(&row.id),
                reactions,
                content_notes,
                thread_notes,
                kind_text: row.kind,
                authors: authors.clone(),
                shared_data: OnceLock::new(),
                shared_frames: Mutex::new(Vec::new()),
            })
        })
        .collect()
}

#[cfg(test)]
impl LoadedEvent {
    /// A `thread.updated` event for one thread, without loading anything.
    pub(crate) fn thread_updated(id: i64, thread_id: i64) -> LoadedEvent {
        LoadedEvent {
            id,
            kind: Some(EventKind::ThreadUpdated),
            kind_text: EventKind::ThreadUpdated.as_str().into(),
            community: None,
            thread: Some(ThreadRow {
                id: thread_id,
                community_id: 1,
                author_id: None,
                title: String::new(),
                pinned: false,
                locked: false,
                post_count: 0,
                created_at: 0,
                last_post_at: 0,
            }),
            post: None,
            member: None,
            notifications: Vec::new(),
            notification_collapse: HashMap::new(),
            message: None,
            survey: None,
            reactions: None,
            content_notes: Vec::new(),
            thread_notes: Vec::new(),
            authors: Arc::new(Authors::default()),
            shared_data: OnceLock::new(),
            shared_frames: Mutex::new(Vec::new()),
        }
    }
}

/// The payload of an event of one of `kinds`. One that does not read is logged and
/// skipped: delivery goes on without what it would have added, as a batch that failed
/// to load would be retried for ever.
fn payload_of(row: &EventRow, kinds: &[EventKind]) -> Option<EventPayload> {
    let kind = EventKind::parse(&row.kind).filter(|kind| kinds.contains(kind))?;
    kind.read_payload(&row.payload)
        .map_err(|error| {
            tracing::warn!(event_id = row.id, kind = row.kind, %error, "unreadable event payload");
        })
        .ok()
}

/// The notification ids a `notification.created` event lists.
fn notification_ids_of(row: &EventRow) -> Vec<i64> {
    match payload_of(row, &[EventKind::NotificationCreated]) {
        Some(EventPayload::Notifications(NotificationsPayload { notification_ids })) => {
            notification_ids
        }
        _ => Vec::new(),
    }
}

/// Who a `membership.changed` event is about; none once erasure removed their id.
fn member_change(row: &EventRow) -> Option<MemberChange> {
    let Some(EventPayload::Membership(MembershipPayload {
        change,
        role,
        state,
        user_id,
    })) = payload_of(row, &[EventKind::MembershipChanged])
    else {
        return None;
    };
    Some(MemberChange {
        user_id: user_id?,
        change,
        role,
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_frame_is_encoded_once_per_topic() {
        let event = LoadedEvent::thread_updated(5, 7);
        let first = event.shared_frame("thread:7");
        let again = event.shared_frame("thread:7");
        assert_eq!(
            first.as_ptr(),
            again.as_ptr(),
            "the same buffer, not a copy"
        );
        let other = event.shared_frame("community:x");
        assert_ne!(first, other);
        let start = first.iter().position(|b| *b == b'{').expect("a JSON text");
        let text = std::str::from_utf8(&first[start..]).expect("utf-8");
        assert!(text.starts_with(r#"{"type":"event","event_id":"5","topic":"thread:7","kind":"thread.updated","data":"#), "{text}");
    }
}
