//! Live events: each is checked against the viewer's access (reloaded after a change to
//! their membership or the community) and the connection's subscriptions, then queued.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::topics::topic_allowed;
use super::{Connection, Step, Subscription, MAX_CACHED_ACCESS};
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::realtime::loaded::LoadedEvent;
use crate::realtime::outbound::Frame;
use crate::realtime::protocol::{ServerMessage, Topic};
use crate::service::access::CommunityAccess;
use crate::store::events::EventKind;

impl Connection {
    pub(super) async fn on_event(&mut self, event: Arc<LoadedEvent>) -> Step {
        // Most events find the access they need already loaded; reloading reads the
        // database, so that future is boxed rather than sized into every connection.
        if self.access_to_refresh(&event) {
            Box::pin(self.refresh_access(&event)).await?;
        }
        for frame in self.render(&event, |s| event.id > s.since) {
            self.send_frame(frame)?;
            self.state
                .realtime
                .events_sent
                .fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Whether [`Self::refresh_access`] has anything to do for `event`.
    fn access_to_refresh(&self, event: &LoadedEvent) -> bool {
        let Some(community_id) = event.community_id() else {
            return false;
        };
        let about_me = event.member.as_ref().is_some_and(|member| {
            self.user
                .as_ref()
                .is_some_and(|s| s.user.id.0 == member.user_id)
        });
        about_me
            || event.concerns_every_connection()
            || (self.community_needing_access(event).is_some()
                && !self.access.contains_key(&community_id))
    }

    /// Reloads the viewer's access when `event` changed it (their membership, the
    /// community's visibility) or when a subscription needs it and it is not loaded.
    async fn refresh_access(&mut self, event: &LoadedEvent) -> Step {
        let my_id = self.user.as_ref().map(|s| s.user.id.0);
        if let (Some(member), Some(community_id)) = (&event.member, event.community_id()) {
            if Some(member.user_id) == my_id {
                self.recheck_access(community_id).await?;
            }
        }
        if let Some(community_id) = event
            .community_id()
            .filter(|_| event.concerns_every_connection())
        {
            let subscribed = self
                .subscriptions
                .values()
                .any(|s| s.community_id == Some(community_id));
            if subscribed {
                self.recheck_access(community_id).await?;
            } else {
                self.access.remove(&community_id);
            }
        }
        if let Some(community_id) = self.community_needing_access(event) {
            self.load_access(community_id).await;
        }
        Ok(())
    }

    /// The event's community, when a subscription may need the viewer's access to it.
    pub(super) fn community_needing_access(&self, event: &LoadedEvent) -> Option<i64> {
        let community_id = event.community_id()?;
        self.subscriptions
            .values()
            .any(|s| s.community_id == Some(community_id) || s.topic == Topic::User)
            .then_some(community_id)
    }

    /// Reloads access to a community after the user's membership or the community's
    /// visibility changed, and ends the subscriptions that no longer hold.
    pub(super) async fn recheck_access(&mut self, community_id: i64) -> Step {
        self.access.remove(&community_id);
        self.load_access(community_id).await;
        let access = self.access.get(&community_id).and_then(Option::as_ref);
        let revoked: Vec<String> = self
            .subscriptions
            .iter()
            .filter(|(_, s)| s.community_id == Some(community_id))
            .filter(|(_, s)| !access.is_some_and(|a| topic_allowed(&s.topic, a)))
            .map(|(name, _)| name.clone())
            .collect();
        for name in revoked {
            if let Some(subscription) = self.subscriptions.remove(&name) {
                self.release(subscription.key);
            }
            self.send(
                ServerMessage::Unsubscribed {
                    topic: &name,
                    reason: Some("access_revoked"),
                }
                .to_json(),
            )?;
        }
        Ok(())
    }

    /// The frames an event makes for the subscriptions `wanted` selects: the one every
    /// viewer of a topic shares, or one of the viewer's own where its `data` is theirs.
    pub(super) fn render(
        &self,
        event: &LoadedEvent,
        wanted: impl Fn(&Subscription) -> bool,
    ) -> Vec<Frame> {
        let viewer = self.user.as_ref().map(|s| &s.user);
        let access = event
            .community_id()
            .and_then(|id| self.access.get(&id))
            .and_then(Option::as_ref);
        let mut personal = None;
        let mut out = Vec::new();
        for (name, subscription) in &self.subscriptions {
            if !wanted(subscription) || !delivers(subscription, event, access, viewer) {
                continue;
            }
            let personal = *personal.get_or_insert_with(|| event.data_is_personal_for(viewer));
            out.push(if personal {
                Frame::Text(event.personal_message(name, viewer))
            } else {
                Frame::Encoded(event.shared_frame(name))
            });
        }
        out
    }

    /// The viewer's access to a community, loaded once (and again after a membership
    /// change). `None` when they may not read it, or when it could not be loaded.
    pub(super) async fn load_access(&mut self, community_id: i64) -> Option<&CommunityAccess> {
        if !self.access.contains_key(&community_id) {
            let viewer = self.user.as_ref().map(|s| s.user.clone());
            let loaded = self
                .state
                .store
                .background(move |store| {
                    store.read(|conn| CommunityAccess::by_id(conn, community_id, viewer.as_ref()))
                })
                .await;
            let access = match loaded {
                Ok(access) => Some(access),
                Err(Error::NotFound) => None,
                Err(e) => {
                    // Fail closed, and try again next time.
                    tracing::warn!(error = %e, "cannot load community access");
                    return None;
                }
            };
            if self.access.len() >= MAX_CACHED_ACCESS {
                self.access.clear();
            }
            self.access.insert(community_id, access);
        }
        self.access.get(&community_id).and_then(Option::as_ref)
    }
}

/// Whether `event` goes to `subscription`, given the viewer's access to the event's
/// community (`None`: may not read it).
fn delivers(
    subscription: &Subscription,
    event: &LoadedEvent,
    access: Option<&CommunityAccess>,
    viewer: Option<&CurrentUser>,
) -> bool {
    if event.message.is_some() {
        // A private message belongs to no community: its readers are listed with it.
        return subscription.topic == Topic::User
            && viewer.is_some_and(|v| event.message_for(v.id));
    }
    if event.survey.is_some() {
        // Its invitees are listed with it, read when it was delivered.
        return subscription.topic == Topic::User && viewer.is_some_and(|v| event.survey_for(v.id));
    }
    let Some(access) = access else {
        return false;
    };
    let in_community =
        event.community_id().is_some() && event.community_id() == subscription.community_id;
    let post_visible = || {
        event
            .post
            .as_ref()
            .is_some_and(|post| access.can_see_post(post, viewer))
    };
    match &subscription.topic {
        Topic::Community(_) => {
            in_community && (event.is_thread_event() || (event.is_post_event() && post_visible()))
        }
        Topic::Thread(thread_id) => {
            event.thread.as_ref().is_some_and(|t| t.id == thread_id.0)
                && (event.kind == Some(EventKind::ThreadUpdated)
                    || (event.is_post_event() && post_visible()))
        }
        Topic::Moderation(_) => {
            in_community
                && access.is_moderator()
                && (event.is_thread_event()
                    || event.is_post_event()
                    || event.is_moderation_event()
                    || event.member.is_some())
        }
        Topic::User => {
            let Some(me) = viewer else {
                return false;
            };
            (event.is_post_event() && event.post_author_is(me.id))
                || event.member.as_ref().is_some_and(|m| m.user_id == me.id.0)
                || (event.notification_for(me.id).is_some() && post_visible())
        }
    }
}
