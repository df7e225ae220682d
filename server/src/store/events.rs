//! The append-only `events` log. Every state change writes one row here in the same
//! transaction as the change itself; realtime delivery, search indexing and moderation
//! read from it, so nothing is ever published that was not committed.

use diesel::prelude::*;

use super::schema::events;
use super::DbConnection;
use crate::domain::event::EventPayload;
use crate::domain::ids::UserId;
use crate::error::Error;

/// What happened. Stored as text; consumers match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    UserRegistered,
    ProfileUpdated,
    ConsentChanged,
    UserErased,
    CommunityCreated,
    /// A community's settings changed (visibility, join policy, description…).
    CommunityUpdated,
    MembershipChanged,
    ThreadCreated,
    ThreadUpdated,
    PostCreated,
    PostEdited,
    PostDeleted,
    /// A post's status changed (held, published again, removed).
    PostStatusChanged,
    /// A post entered the moderation queue, or its item changed.
    ModerationQueued,
    /// A moderator decided on a queue item.
    ModerationDecided,
    /// Notifications were stored; the payload lists their ids.
    NotificationCreated,
    /// A community's screening policy was replaced.
    ModerationPolicyChanged,
    /// A wellbeing item opened (or its level rose): a post's author may be at risk.
    WellbeingOpened,
    /// A member blocked or unblocked another; the payload names neither.
    BlockChanged,
    /// A private message was sent; the payload has its conversation's id and status.
    MessageCreated,
    /// A site admin published or removed a held or reported message.
    MessageStatusChanged,
    /// A message was reported to the site admins (the reporter is not recorded).
    MessageReported,
    /// A member muted or unmuted a conversation or a thread.
    MuteChanged,
    /// A member reacted to a post or took a reaction back; the payload names the kind.
    PostReactionsChanged,
    /// An approved survey reached its opening time; its invitees hear of it live.
    SurveyOpened,
    /// Something thread pages show changed without an event of its own: a context note
    /// (community, thread and post named), a community's default content notes (the
    /// community), a member's memorial or clinician badge (the member as actor). Read by
    /// the page cache (`crate::page_cache`); websockets deliver it to no one.
    PageChanged,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::UserRegistered => "user.registered",
            EventKind::ProfileUpdated => "user.profile_updated",
            EventKind::ConsentChanged => "user.consent_changed",
            EventKind::UserErased => "user.erased",
            EventKind::CommunityCreated => "community.created",
            EventKind::CommunityUpdated => "community.updated",
            EventKind::MembershipChanged => "membership.changed",
            EventKind::ThreadCreated => "thread.created",
            EventKind::ThreadUpdated => "thread.updated",
            EventKind::PostCreated => "post.created",
            EventKind::PostEdited => "post.edited",
            EventKind::PostDeleted => "post.deleted",
            EventKind::PostStatusChanged => "post.status_changed",
            EventKind::ModerationQueued => "moderation.queued",
            EventKind::ModerationDecided => "moderation.decided",
            EventKind::NotificationCreated => "notification.created",
            EventKind::ModerationPolicyChanged => "moderation.policy_changed",
            EventKind::WellbeingOpened => "moderation.wellbeing",
            EventKind::BlockChanged => "block.changed",
            EventKind::MessageCreated => "message.created",
            EventKind::MessageStatusChanged => "message.status_changed",
            EventKind::MessageReported => "message.reported",
            EventKind::MuteChanged => "mute.changed",
            EventKind::PostReactionsChanged => "post.reactions_changed",
            EventKind::SurveyOpened => "survey.opened",
            EventKind::PageChanged => "page.changed",
        }
    }

    pub fn parse(raw: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    /// Reads a stored payload of an event of this kind. A payload that does not have the
    /// kind's shape is an error.
    pub fn read_payload(self, raw: &str) -> Result<EventPayload, serde_json::Error> {
        Ok(match self {
            EventKind::UserRegistered | EventKind::ProfileUpdated => {
                EventPayload::User(serde_json::from_str(raw)?)
            }
            EventKind::ConsentChanged => EventPayload::Consent(serde_json::from_str(raw)?),
            EventKind::UserErased => EventPayload::Erasure(serde_json::from_str(raw)?),
            EventKind::CommunityCreated => {
                EventPayload::CommunityCreated(serde_json::from_str(raw)?)
            }
            EventKind::CommunityUpdated => {
                EventPayload::CommunityUpdated(serde_json::from_str(raw)?)
            }
            EventKind::MembershipChanged => EventPayload::Membership(serde_json::from_str(raw)?),
            EventKind::ThreadUpdated => EventPayload::ThreadFlags(serde_json::from_str(raw)?),
            EventKind::PostCreated
            | EventKind::PostEdited
            | EventKind::PostDeleted
            | EventKind::PostStatusChanged => EventPayload::Post(serde_json::from_str(raw)?),
            EventKind::ModerationQueued => EventPayload::Queued(serde_json::from_str(raw)?),
            EventKind::ModerationDecided => EventPayload::Decided(serde_json::from_str(raw)?),
            EventKind::WellbeingOpened => EventPayload::Wellbeing(serde_json::from_str(raw)?),
            EventKind::NotificationCreated => {
                EventPayload::Notifications(serde_json::from_str(raw)?)
            }
            EventKind::MessageCreated | EventKind::MessageStatusChanged => {
                EventPayload::Message(serde_json::from_str(raw)?)
            }
            EventKind::MessageReported => EventPayload::MessageReported(serde_json::from_str(raw)?),
            EventKind::MuteChanged => EventPayload::Mute(serde_json::from_str(raw)?),
            EventKind::PostReactionsChanged => EventPayload::Reactions(serde_json::from_str(raw)?),
            EventKind::SurveyOpened => EventPayload::Survey(serde_json::from_str(raw)?),
            EventKind::ThreadCreated
            | EventKind::ModerationPolicyChanged
            | EventKind::BlockChanged
            | EventKind::PageChanged => EventPayload::Empty(serde_json::from_str(raw)?),
        })
    }

    pub const ALL: [EventKind; 26] = [
        EventKind::UserRegistered,
        EventKind::ProfileUpdated,
        EventKind::ConsentChanged,
        EventKind::UserErased,
        EventKind::CommunityCreated,
        EventKind::CommunityUpdated,
        EventKind::MembershipChanged,
        EventKind::ThreadCreated,
        EventKind::ThreadUpdated,
        EventKind::PostCreated,
        EventKind::PostEdited,
        EventKind::PostDeleted,
        EventKind::PostStatusChanged,
        EventKind::ModerationQueued,
        EventKind::ModerationDecided,
        EventKind::NotificationCreated,
        EventKind::ModerationPolicyChanged,
        EventKind::WellbeingOpened,
        EventKind::BlockChanged,
        EventKind::MessageCreated,
        EventKind::MessageStatusChanged,
        EventKind::MessageReported,
        EventKind::MuteChanged,
        EventKind::PostReactionsChanged,
        EventKind::SurveyOpened,
        EventKind::PageChanged,
    ];
}

/// A new event. `payload` carries ids and states, never post text: consumers read
/// content from the tables, which stay the source of truth.
#[derive(Debug)]
pub struct NewEvent {
    pub kind: EventKind,
    pub community_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub actor_id: Option<UserId>,
    pub payload: EventPayload,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub community_id: Option<i64>,
    pub thread_id: Option<i64>,
    pub post_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub payload: String,
    pub created_at: i64,
}

pub fn append(conn: &mut DbConnection, event: NewEvent) -> Result<(), Error> {
    diesel::insert_into(events::table)
        .values((
            events::kind.eq(event.kind.as_str()),
            events::community_id.eq(event.community_id),
            events::thread_id.eq(event.thread_id),
            events::post_id.eq(event.post_id),
            events::actor_id.eq(event.actor_id),
            events::payload.eq(event.payload.to_text()),
            events::created_at.eq(event.created_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Events with an id greater than `after_id`, oldest first.
pub fn list_after(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> Result<Vec<EventRow>, Error> {
    Ok(events::table
        .filter(events::id.gt(after_id))
        .order(events::id.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// Events with `after_id < id <= up_to_id`, oldest first.
pub fn list_between(
    conn: &mut DbConnection,
    after_id: i64,
    up_to_id: i64,
    limit: i64,
) -> Result<Vec<EventRow>, Error> {
    Ok(events::table
        .filter(events::id.gt(after_id))
        .filter(events::id.le(up_to_id))
        .order(events::id.asc())
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?)
}

/// The events among `ids` that exist (committed), oldest first.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<EventRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(events::table
        .filter(events::id.eq_any(ids))
        .order(events::id.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}

/// The newest event id, or 0 for an empty log.
pub fn max_id(conn: &mut DbConnection) -> Result<i64, Error> {
    let max: Option<i64> = events::table
        .select(diesel::dsl::max(events::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// The id of the `n`-th event (counting from 1) after `after_id`, if there are that many:
/// how a replay learns that a gap is too long without counting the whole log.
pub fn nth_id_after(conn: &mut DbConnection, after_id: i64, n: i64) -> Result<Option<i64>, Error> {
    Ok(events::table
        .filter(events::id.gt(after_id))
        .order(events::id.asc())
        .offset(n.saturating_sub(1).max(0))
        .select(events::id)
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::{EventKind, EventPayload};
    use crate::domain::event::{
        CommunityUpdatedPayload, MembershipPayload, NotificationsPayload, PostPayload,
    };
    use crate::domain::post::PostStatus;

    #[test]
    fn every_kind_parses_back_from_its_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("post.unknown"), None);
    }

    /// A written payload reads back as itself; one of another kind's shape does not.
    #[test]
    fn payloads_read_back_by_kind() {
        let post = EventPayload::Post(PostPayload {
            author_id: Some(9),
            erased: false,
            status: PostStatus::Held,
        });
        for kind in [EventKind::PostCreated, EventKind::PostStatusChanged] {
            assert_eq!(
                kind.read_payload(&post.to_text()).ok().as_ref(),
                Some(&post)
            );
        }
        assert!(EventKind::MembershipChanged
            .read_payload(&post.to_text())
            .is_err());
        assert!(EventKind::PostCreated
            .read_payload(r#"{"author_id":null,"status":"lost"}"#)
            .is_err());
    }

    /// `community.updated` events written before private communities could be listed
    /// have no `listed`: they read as unlisted.
    #[test]
    fn community_updates_from_before_listing_read_as_unlisted() {
        let read = EventKind::CommunityUpdated
            .read_payload(r#"{"visibility":"private","was_visibility":"public"}"#)
            .ok();
        let Some(EventPayload::CommunityUpdated(CommunityUpdatedPayload { listed, .. })) = read
        else {
            panic!("not a community update: {read:?}");
        };
        assert!(!listed);
    }

    /// After erasure replaced a member's quoted id with `null` (see
    /// `privacy::erase_user`), the payload still reads, with the id gone.
    #[test]
    fn erased_ids_read_as_none() {
        let stored = r#"{"change":"joined","role":"member","state":"active","user_id":"7"}"#
            .replace("\"7\"", "null");
        let read = EventKind::MembershipChanged.read_payload(&stored).ok();
        let Some(EventPayload::Membership(MembershipPayload { user_id, .. })) = read else {
            panic!("not a membership payload: {read:?}");
        };
        assert_eq!(user_id, None);
        let stored = r#"{"notification_ids":["5","7"]}"#.replace("\"7\"", "null");
        assert_eq!(
            EventKind::NotificationCreated.read_payload(&stored).ok(),
            Some(EventPayload::Notifications(NotificationsPayload {
                notification_ids: vec![5]
            }))
        );
    }
}
