//! Subscribing and unsubscribing: a topic is resolved to a route key once, with the
//! viewer's access checked, and released when no subscription needs it any more.

use super::{Connection, Step, Subscription, MAX_ECHO};
use crate::error::Error;
use crate::realtime::loaded::RouteKey;
use crate::realtime::protocol::{ServerMessage, Topic};
use crate::service::access::CommunityAccess;
use crate::store::threads;

impl Connection {
    pub(super) async fn on_subscribe(&mut self, raw: &str) -> Step {
        let Some(topic) = Topic::parse(raw) else {
            let echo: String = raw.chars().take(MAX_ECHO).collect();
            return self.error(
                "invalid_topic",
                "topics are community:{slug}, thread:{id}, user or mod:{slug}",
                Some(&echo),
            );
        };
        let name = topic.name();
        if self.subscriptions.contains_key(&name) {
            return self.send(ServerMessage::Subscribed { topic: &name }.to_json());
        }
        if self.subscriptions.len() >= self.state.settings.realtime.max_subscriptions {
            return self.error(
                "too_many_subscriptions",
                "this connection has as many subscriptions as it may",
                Some(&name),
            );
        }
        let (key, community_id) = match self.resolve(&topic).await {
            Ok(found) => found,
            Err(e) => return self.refuse(&e, &name),
        };
        let watermark = self.state.realtime.hub.watch(self.id, key);
        // Checked again after registering: a membership change committed from here on
        // arrives as an event, in order, before anything that follows it.
        if let Some(community_id) = community_id {
            self.access.remove(&community_id);
            let allowed = match self.load_access(community_id).await {
                Some(access) => topic_allowed(&topic, access),
                None => false,
            };
            if !allowed {
                self.release(key);
                return self.refuse(&Error::NotFound, &name);
            }
        }
        let since = watermark.max(self.resume_from.unwrap_or(0));
        self.subscriptions.insert(
            name.clone(),
            Subscription {
                topic,
                key,
                community_id,
                since,
                replayed: false,
            },
        );
        self.send(ServerMessage::Subscribed { topic: &name }.to_json())?;
        if let Some(from) = self.resume_from {
            self.replay(from).await?;
        }
        Ok(())
    }

    pub(super) fn refuse(&self, error: &Error, topic: &str) -> Step {
        match error {
            Error::NotFound | Error::Invalid { .. } => self.error(
                "not_found",
                "no such topic, or not one you can see",
                Some(topic),
            ),
            Error::Forbidden { code, message } => {
                self.error(code, &message.to_string(), Some(topic))
            }
            Error::Unauthenticated => self.error(
                "unauthenticated",
                "sign in to subscribe to this topic",
                Some(topic),
            ),
            other => {
                tracing::warn!(error = %other, "websocket subscribe failed");
                self.error("unavailable", "try again later", Some(topic))
            }
        }
    }

    /// The route key and community of a topic, if the viewer may subscribe to it.
    pub(super) async fn resolve(
        &mut self,
        topic: &Topic,
    ) -> Result<(RouteKey, Option<i64>), Error> {
        let viewer = self.user.as_ref().map(|s| s.user.clone());
        match topic {
            Topic::User => {
                let user = viewer.ok_or(Error::Unauthenticated)?;
                Ok((RouteKey::User(user.id.0), None))
            }
            Topic::Community(slug) | Topic::Moderation(slug) => {
                let slug = slug.clone();
                let moderation = matches!(topic, Topic::Moderation(_));
                let id = self
                    .state
                    .store
                    .background(move |store| {
                        store.read(|conn| {
                            let access = CommunityAccess::by_slug(conn, &slug, viewer.as_ref())?;
                            if moderation {
                                access.require_moderator()?;
                            }
                            Ok(access.community.id.0)
                        })
                    })
                    .await?;
                Ok((RouteKey::Community(id), Some(id)))
            }
            Topic::Thread(thread_id) => {
                let thread_id = thread_id.0;
                let community_id = self
                    .state
                    .store
                    .background(move |store| {
                        store.read(|conn| {
                            let thread = threads::find(conn, thread_id)?.ok_or(Error::NotFound)?;
                            CommunityAccess::by_id(conn, thread.community_id, viewer.as_ref())?;
                            Ok(thread.community_id)
                        })
                    })
                    .await?;
                Ok((RouteKey::Thread(thread_id), Some(community_id)))
            }
        }
    }

    pub(super) fn on_unsubscribe(&mut self, raw: &str) -> Step {
        let name =
            Topic::parse(raw).map_or_else(|| raw.chars().take(MAX_ECHO).collect(), |t| t.name());
        if let Some(subscription) = self.subscriptions.remove(&name) {
            self.release(subscription.key);
        }
        self.send(
            ServerMessage::Unsubscribed {
                topic: &name,
                reason: None,
            }
            .to_json(),
        )
    }

    /// Stops routing `key` here unless another subscription (or the sign-in) needs it.
    pub(super) fn release(&self, key: RouteKey) {
        let own = self
            .user
            .as_ref()
            .is_some_and(|s| key == RouteKey::User(s.user.id.0));
        let used = self.subscriptions.values().any(|s| s.key == key);
        if !own && !used {
            self.state.realtime.hub.unwatch(self.id, key);
        }
    }
}

/// Whether a subscription to `topic` holds with this access.
pub(super) fn topic_allowed(topic: &Topic, access: &CommunityAccess) -> bool {
    match topic {
        Topic::Moderation(_) => access.is_moderator(),
        Topic::Community(_) | Topic::Thread(_) | Topic::User => true,
    }
}
