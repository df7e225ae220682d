//! One websocket connection: its task reads client messages, receives events from the
//! hub, checks each against the connection's topics and the viewer's access, and writes
//! to the outbound queue without ever waiting on a live event.
//!
//! Access rules are [`CommunityAccess`]'s, loaded per community and kept while the
//! connection lives; a `membership.changed` event about the connection's user reloads
//! them and drops the subscriptions that no longer hold, before any later event is
//! looked at (events reach the connection in id order).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, ProtocolError};
use tokio::sync::mpsc;

use super::hub::{ConnectionId, SLOW_CONSUMER};
use super::loaded::{self, LoadedEvent, RouteKey};
use super::outbound::{Frame, Outbound, OutboundBody, SendError};
use super::protocol::{ClientMessage, EventIdInput, ServerMessage, Topic, WhoAmI};
use super::ConnectionSlot;
use crate::auth::extract::authenticate;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::now_micros;
use crate::error::Error;
use crate::service::access::CommunityAccess;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::{sessions, threads};

/// Events read per query while replaying.
const REPLAY_BATCH: i64 = 500;
/// How long a replay waits for a client to make room in its queue.
const REPLAY_PATIENCE: Duration = Duration::from_secs(10);
/// Communities whose access is remembered per connection.
const MAX_CACHED_ACCESS: usize = 256;
/// Longest client text echoed back in an error.
const MAX_ECHO: usize = 120;

/// The connection is over; the close frame (if any) has been queued.
struct Stop;

type Step = Result<(), Stop>;

struct SignedIn {
    user: CurrentUser,
    /// Access token expiry, seconds since the epoch.
    expires_at: i64,
}

struct Subscription {
    topic: Topic,
    key: RouteKey,
    community_id: Option<i64>,
    /// Live events above this id; a replay covers `(resume point, since]`.
    since: i64,
    replayed: bool,
}

/// Starts the connection's task; returns the response body the socket is written from.
pub fn start(
    state: web::Data<AppState>,
    user: Option<(CurrentUser, i64)>,
    incoming: AggregatedMessageStream,
    slot: ConnectionSlot,
) -> OutboundBody {
    let settings = &state.settings.realtime;
    let (out, body) = Outbound::new(settings.outbound_queue);
    let (events_in, events) = mpsc::channel(settings.outbound_queue);
    let (id, watermark) = state.realtime.hub.register(events_in, out.closer.clone());
    state.realtime.opened.fetch_add(1, Ordering::Relaxed);
    let bucket = TokenBucket::new(settings.messages_per_second, settings.message_burst);
    let connection = Connection {
        out,
        events,
        id,
        user: user.map(|(user, expires_at)| SignedIn { user, expires_at }),
        subscriptions: HashMap::new(),
        access: HashMap::new(),
        resume_from: None,
        strikes: 0,
        bucket,
        last_heard: Instant::now(),
        _slot: slot,
        state,
    };
    actix_web::rt::spawn(connection.run(incoming, watermark));
    body
}

struct Connection {
    state: web::Data<AppState>,
    out: Outbound,
    events: mpsc::Receiver<Arc<LoadedEvent>>,
    id: ConnectionId,
    user: Option<SignedIn>,
    /// By canonical topic name.
    subscriptions: HashMap<String, Subscription>,
    /// Community id → the viewer's access, `None` when they may not read it.
    access: HashMap<i64, Option<CommunityAccess>>,
    resume_from: Option<i64>,
    strikes: u32,
    bucket: TokenBucket,
    last_heard: Instant,
    _slot: ConnectionSlot,
}

impl Connection {
    async fn run(mut self, mut incoming: AggregatedMessageStream, watermark: i64) {
        let _ = self.serve(&mut incoming, watermark).await;
        self.state.realtime.hub.remove(self.id);
    }

    async fn serve(&mut self, incoming: &mut AggregatedMessageStream, watermark: i64) -> Step {
        let settings = self.state.settings.realtime.clone();
        if let Some(signed) = &self.user {
            let key = RouteKey::User(signed.user.id.0);
            self.state.realtime.hub.watch(self.id, key);
        }
        let hello = ServerMessage::Hello {
            user: self.user.as_ref().map(|s| WhoAmI {
                id: s.user.id,
                username: &s.user.username,
            }),
            last_event_id: watermark.to_string(),
            heartbeat_secs: settings.heartbeat_interval.as_secs(),
            max_subscriptions: settings.max_subscriptions,
        }
        .to_json();
        self.send(hello)?;
        let mut shutdown = self.state.realtime.shutdown_signal();
        let mut heartbeat = tokio::time::interval_at(
            tokio::time::Instant::now() + settings.heartbeat_interval,
            settings.heartbeat_interval,
        );
        loop {
            let expiry = self.expiry();
            tokio::select! {
                biased;
                _ = shutdown.changed() => {
                    self.out.close(CloseCode::Away, "server shutting down");
                    return Err(Stop);
                }
                // Events queued before a client message are handled before it: a
                // client's `ping` answers only after everything already due to it.
                event = self.events.recv() => match event {
                    Some(event) => self.on_event(event).await?,
                    // The hub let go of us: aborted as too slow.
                    None => return Err(Stop),
                },
                message = incoming.recv() => {
                    self.last_heard = Instant::now();
                    match message {
                        Some(Ok(message)) => self.on_message(message).await?,
                        Some(Err(error)) => {
                            self.on_protocol_error(&error);
                            return Err(Stop);
                        }
                        None => return Err(Stop),
                    }
                }
                _ = heartbeat.tick() => self.on_heartbeat(settings.idle_timeout).await?,
                _ = tokio::time::sleep_until(expiry) => {
                    self.error("token_expired", "your access token expired; sign in again", None)?;
                    self.out.close(CloseCode::Policy, "access token expired");
                    return Err(Stop);
                }
            }
        }
    }

    /// When the access token runs out (far away for anonymous connections).
    fn expiry(&self) -> tokio::time::Instant {
        let far = tokio::time::Instant::now() + Duration::from_secs(365 * 24 * 3600);
        let Some(signed) = &self.user else {
            return far;
        };
        let left = signed.expires_at.saturating_mul(1_000_000) - now_micros();
        tokio::time::Instant::now() + Duration::from_micros(u64::try_from(left).unwrap_or(0))
    }

    // ---- writing ----

    /// Queues a message without waiting; a full queue ends the connection as too slow.
    fn send(&self, text: String) -> Step {
        match self.out.try_text(text) {
            Ok(()) => Ok(()),
            Err(SendError::Full) => {
                self.state
                    .realtime
                    .hub
                    .slow_closed
                    .fetch_add(1, Ordering::Relaxed);
                self.out.closer.abort(CloseCode::Policy, SLOW_CONSUMER);
                Err(Stop)
            }
            Err(SendError::Closed) => Err(Stop),
        }
    }

    async fn send_patiently(&self, text: String) -> Step {
        match self
            .out
            .send_patiently(Frame::Text(text), REPLAY_PATIENCE)
            .await
        {
            Ok(()) => Ok(()),
            Err(SendError::Full) => {
                self.state
                    .realtime
                    .hub
                    .slow_closed
                    .fetch_add(1, Ordering::Relaxed);
                self.out.closer.abort(CloseCode::Policy, SLOW_CONSUMER);
                Err(Stop)
            }
            Err(SendError::Closed) => Err(Stop),
        }
    }

    fn error(&self, code: &str, message: &str, topic: Option<&str>) -> Step {
        self.send(
            ServerMessage::Error {
                code,
                message,
                topic,
            }
            .to_json(),
        )
    }

    /// Answers a malformed or unwanted message; too many of them close the connection.
    fn strike(&mut self, code: &str, message: &str) -> Step {
        self.strikes += 1;
        let message: String = message.chars().take(200).collect();
        self.error(code, &message, None)?;
        if self.strikes >= self.state.settings.realtime.max_invalid_messages {
            self.out
                .close(CloseCode::Policy, "too many invalid messages");
            return Err(Stop);
        }
        Ok(())
    }

    // ---- reading ----

    fn on_protocol_error(&self, error: &ProtocolError) {
        match error {
            ProtocolError::Overflow => self.out.close(
                CloseCode::Size,
                &format!(
                    "message larger than {} bytes",
                    self.state.settings.realtime.max_frame_bytes
                ),
            ),
            _ => self
                .out
                .close(CloseCode::Protocol, "websocket protocol error"),
        }
    }

    async fn on_message(&mut self, message: AggregatedMessage) -> Step {
        match message {
            AggregatedMessage::Text(text) => {
                if !self.bucket.take() {
                    return self.strike("rate_limited", "too many messages; slow down");
                }
                match serde_json::from_str::<ClientMessage>(&text) {
                    Ok(message) => self.on_client_message(message).await,
                    Err(e) => self.strike("invalid_message", &e.to_string()),
                }
            }
            AggregatedMessage::Binary(_) => {
                self.strike("invalid_message", "send JSON text messages, not binary")
            }
            AggregatedMessage::Ping(bytes) => {
                if !self.bucket.take() {
                    return self.strike("rate_limited", "too many messages; slow down");
                }
                match self.out.try_send(Frame::Pong(bytes)) {
                    Err(SendError::Closed) => Err(Stop),
                    _ => Ok(()),
                }
            }
            AggregatedMessage::Pong(_) => Ok(()),
            AggregatedMessage::Close(_) => {
                self.out.close(CloseCode::Normal, "bye");
                Err(Stop)
            }
        }
    }

    async fn on_client_message(&mut self, message: ClientMessage) -> Step {
        match message {
            ClientMessage::Ping => self.send(ServerMessage::Pong.to_json()),
            ClientMessage::Auth { token } => self.on_auth(&token).await,
            ClientMessage::Subscribe { topic } => self.on_subscribe(&topic).await,
            ClientMessage::Unsubscribe { topic } => self.on_unsubscribe(&topic),
            ClientMessage::Resume { last_event_id } => self.on_resume(&last_event_id).await,
        }
    }

    async fn on_heartbeat(&mut self, idle_timeout: Duration) -> Step {
        if self.last_heard.elapsed() >= idle_timeout {
            self.out.close(CloseCode::Normal, "no heartbeat");
            return Err(Stop);
        }
        if let Some(signed) = &self.user {
            let (session, user) = (signed.user.session_id.0, signed.user.id.0);
            let active = self
                .state
                .store
                .background(move |store| {
                    store.read(|conn| sessions::active_user(conn, session, user))
                })
                .await;
            if matches!(active, Ok(None)) {
                self.error(
                    "invalid_token",
                    "your session has ended; sign in again",
                    None,
                )?;
                self.out.close(CloseCode::Policy, "session ended");
                return Err(Stop);
            }
        }
        match self.out.try_send(Frame::Ping) {
            Err(SendError::Closed) => Err(Stop),
            _ => Ok(()),
        }
    }

    // ---- client messages ----

    async fn on_auth(&mut self, token: &str) -> Step {
        match authenticate(&self.state, token).await {
            Ok((user, expires_at)) => {
                if let Some(signed) = &mut self.user {
                    if signed.user.id != user.id {
                        return self.error(
                            "already_authenticated",
                            "this connection is signed in as someone else",
                            None,
                        );
                    }
                    signed.expires_at = expires_at;
                    signed.user = user;
                } else {
                    self.state
                        .realtime
                        .hub
                        .watch(self.id, RouteKey::User(user.id.0));
                    self.user = Some(SignedIn { user, expires_at });
                    // Access was worked out for an anonymous viewer.
                    self.access.clear();
                }
                let Some(signed) = &self.user else {
                    return Err(Stop);
                };
                self.send(
                    ServerMessage::Authenticated {
                        user: WhoAmI {
                            id: signed.user.id,
                            username: &signed.user.username,
                        },
                    }
                    .to_json(),
                )
            }
            Err(e) => {
                self.error(&e.code(), &e.to_string(), None)?;
                self.out.close(CloseCode::Policy, "authentication failed");
                Err(Stop)
            }
        }
    }

    async fn on_subscribe(&mut self, raw: &str) -> Step {
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

    fn refuse(&self, error: &Error, topic: &str) -> Step {
        match error {
            Error::NotFound | Error::Invalid { .. } => self.error(
                "not_found",
                "no such topic, or not one you can see",
                Some(topic),
            ),
            Error::Forbidden { code, message } => self.error(code, message, Some(topic)),
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
    async fn resolve(&mut self, topic: &Topic) -> Result<(RouteKey, Option<i64>), Error> {
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
                            Ok(access.community.id)
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

    fn on_unsubscribe(&mut self, raw: &str) -> Step {
        let name = Topic::parse(raw)
            .map(|t| t.name())
            .unwrap_or_else(|| raw.chars().take(MAX_ECHO).collect());
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
    fn release(&self, key: RouteKey) {
        let own = self
            .user
            .as_ref()
            .is_some_and(|s| key == RouteKey::User(s.user.id.0));
        let used = self.subscriptions.values().any(|s| s.key == key);
        if !own && !used {
            self.state.realtime.hub.unwatch(self.id, key);
        }
    }

    async fn on_resume(&mut self, raw: &EventIdInput) -> Step {
        let Some(last) = raw.parse() else {
            return self.strike("invalid_message", "last_event_id must be an event id");
        };
        if self.resume_from.is_some() {
            return self.error(
                "already_resumed",
                "this connection has already resumed",
                None,
            );
        }
        let watermark = self.state.realtime.hub.watermark();
        let settings = self.state.settings.realtime.clone();
        let replayable = self
            .state
            .store
            .background(move |store| {
                store.read(|conn| {
                    if last >= watermark {
                        // This node may be behind the one the client was on.
                        return Ok(last <= events::max_id(conn)?);
                    }
                    let oldest_allowed = now_micros()
                        - i64::try_from(settings.resume_max_age.as_micros()).unwrap_or(0);
                    let first = events::list_after(conn, last, 1)?;
                    if first.first().is_some_and(|e| e.created_at < oldest_allowed) {
                        return Ok(false);
                    }
                    let too_many =
                        events::nth_id_after(conn, last, settings.resume_max_events + 1)?
                            .is_some_and(|id| id <= watermark);
                    Ok(!too_many)
                })
            })
            .await;
        match replayable {
            Ok(true) => {}
            Ok(false) => {
                return self.send(
                    ServerMessage::Resync {
                        last_event_id: watermark.to_string(),
                    }
                    .to_json(),
                )
            }
            Err(e) => {
                tracing::warn!(error = %e, "websocket resume failed");
                return self.error("unavailable", "try again later", None);
            }
        }
        self.resume_from = Some(last);
        for subscription in self.subscriptions.values_mut() {
            subscription.since = subscription.since.max(last);
        }
        self.replay(last).await?;
        self.send(
            ServerMessage::Resumed {
                last_event_id: last.to_string(),
            }
            .to_json(),
        )
    }

    /// Replays `(from, since]` from the log to every subscription not replayed yet.
    async fn replay(&mut self, from: i64) -> Step {
        let Some(up_to) = self
            .subscriptions
            .values()
            .filter(|s| !s.replayed)
            .map(|s| s.since)
            .max()
        else {
            return Ok(());
        };
        let mut after = from;
        while after < up_to {
            let batch = self
                .state
                .store
                .background(move |store| {
                    store.read(|conn| {
                        let rows = events::list_between(conn, after, up_to, REPLAY_BATCH)?;
                        loaded::load(conn, rows)
                    })
                })
                .await;
            let batch = match batch {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::warn!(error = %e, "websocket replay failed");
                    self.error("unavailable", "replay failed; reconnect and resume", None)?;
                    self.out.close(CloseCode::Error, "replay failed");
                    return Err(Stop);
                }
            };
            let Some(last) = batch.last().map(|e| e.id) else {
                break;
            };
            for event in batch {
                if let Some(community_id) = self.community_needing_access(&event) {
                    self.load_access(community_id).await;
                }
                for text in self.render(&event, |s| !s.replayed && event.id <= s.since) {
                    self.send_patiently(text).await?;
                }
            }
            after = last;
        }
        for subscription in self.subscriptions.values_mut() {
            subscription.replayed = true;
        }
        Ok(())
    }

    // ---- events ----

    async fn on_event(&mut self, event: Arc<LoadedEvent>) -> Step {
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
        if let Some(community_id) = self.community_needing_access(&event) {
            self.load_access(community_id).await;
        }
        for text in self.render(&event, |s| event.id > s.since) {
            self.send(text)?;
            self.state
                .realtime
                .events_sent
                .fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The event's community, when a subscription may need the viewer's access to it.
    fn community_needing_access(&self, event: &LoadedEvent) -> Option<i64> {
        let community_id = event.community_id()?;
        self.subscriptions
            .values()
            .any(|s| s.community_id == Some(community_id) || s.topic == Topic::User)
            .then_some(community_id)
    }

    /// Reloads access to a community after the user's membership or the community's
    /// visibility changed, and ends the subscriptions that no longer hold.
    async fn recheck_access(&mut self, community_id: i64) -> Step {
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

    /// The messages an event makes for the subscriptions `wanted` selects.
    fn render(&self, event: &LoadedEvent, wanted: impl Fn(&Subscription) -> bool) -> Vec<String> {
        let viewer = self.user.as_ref().map(|s| &s.user);
        let access = event
            .community_id()
            .and_then(|id| self.access.get(&id))
            .and_then(Option::as_ref);
        let mut data = None;
        let mut out = Vec::new();
        for (name, subscription) in &self.subscriptions {
            if !wanted(subscription) || !delivers(subscription, event, access, viewer) {
                continue;
            }
            let data = data.get_or_insert_with(|| event.data_json_for(viewer));
            out.push(
                ServerMessage::Event {
                    event_id: event.id.to_string(),
                    topic: name,
                    kind: &event.kind_text,
                    data,
                }
                .to_json(),
            );
        }
        out
    }

    /// The viewer's access to a community, loaded once (and again after a membership
    /// change). `None` when they may not read it, or when it could not be loaded.
    async fn load_access(&mut self, community_id: i64) -> Option<&CommunityAccess> {
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

/// Whether a subscription to `topic` holds with this access.
fn topic_allowed(topic: &Topic, access: &CommunityAccess) -> bool {
    match topic {
        Topic::Moderation(_) => access.is_moderator(),
        Topic::Community(_) | Topic::Thread(_) | Topic::User => true,
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

/// A simple token bucket for client messages.
struct TokenBucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    last: Instant,
}

impl TokenBucket {
    fn new(per_second: u32, burst: u32) -> TokenBucket {
        TokenBucket {
            tokens: f64::from(burst),
            rate: f64::from(per_second),
            burst: f64::from(burst),
            last: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
