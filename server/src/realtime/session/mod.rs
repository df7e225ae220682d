//! One websocket connection: its task reads client messages, receives events from the
//! hub, checks each against the connection's topics and the viewer's access, and writes
//! to the outbound queue without ever waiting on a live event.
//!
//! Access rules are [`CommunityAccess`]'s, loaded per community and kept while the
//! connection lives; a `membership.changed` event about the connection's user reloads
//! them and drops the subscriptions that no longer hold, before any later event is
//! looked at (events reach the connection in id order).

mod delivery;
mod replay;
mod topics;

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use actix_ws::{AggregatedMessage, CloseCode, ProtocolError};
use tokio::sync::mpsc;

use super::hub::{ConnectionId, SLOW_CONSUMER};
use super::loaded::{LoadedEvent, RouteKey};
use super::outbound::{Frame, Outbound, OutboundBody, SendError};
use super::protocol::{ClientMessage, ServerMessage, Topic, WhoAmI};
use super::socket::Incoming;
use super::ConnectionSlot;
use crate::auth::extract::authenticate;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::now_micros;
use crate::service::access::CommunityAccess;
use crate::state::AppState;
use crate::store::sessions;

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

/// Starts the connection's task; returns the stream of encoded frames the socket is
/// written from.
pub fn start(
    state: web::Data<AppState>,
    user: Option<(CurrentUser, i64)>,
    incoming: Incoming,
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
    async fn run(mut self, mut incoming: Incoming, watermark: i64) {
        let _ = self.serve(&mut incoming, watermark).await;
        self.state.realtime.hub.remove(self.id);
        incoming.hand_back();
    }

    async fn serve(&mut self, incoming: &mut Incoming, watermark: i64) -> Step {
        // Copied out rather than cloning the settings: the clone (origins, channel name)
        // would live as long as the connection.
        let settings = &self.state.settings.realtime;
        let (heartbeat_interval, idle_timeout) =
            (settings.heartbeat_interval, settings.idle_timeout);
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
            heartbeat_secs: heartbeat_interval.as_secs(),
            max_subscriptions: settings.max_subscriptions,
        }
        .to_json();
        self.send(hello)?;
        let mut shutdown = self.state.realtime.shutdown_signal();
        let mut heartbeat = tokio::time::interval_at(
            tokio::time::Instant::now() + heartbeat_interval,
            heartbeat_interval,
        );
        // One timer for the connection's life, moved only when an `auth` message renews
        // the token: a fresh one per loop would be registered and removed again for
        // every event delivered.
        let expiry = tokio::time::sleep_until(self.expiry());
        tokio::pin!(expiry);
        let mut timed_to = self.user.as_ref().map(|s| s.expires_at);
        loop {
            let expires_at = self.user.as_ref().map(|s| s.expires_at);
            if expires_at != timed_to {
                timed_to = expires_at;
                expiry.as_mut().reset(self.expiry());
            }
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
                        // Boxed, like the heartbeat's check and an event's access
                        // reload: the task is allocated once at the size of its largest
                        // state, and these rare ones (database reads, replays) would
                        // make every idle connection that large.
                        Some(Ok(message)) => Box::pin(self.on_message(message)).await?,
                        Some(Err(error)) => {
                            self.on_protocol_error(&error);
                            return Err(Stop);
                        }
                        None => return Err(Stop),
                    }
                }
                _ = heartbeat.tick() => Box::pin(self.on_heartbeat(idle_timeout)).await?,
                () = &mut expiry => {
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
        self.send_frame(Frame::Text(text))
    }

    fn send_frame(&self, frame: Frame) -> Step {
        match self.out.try_send(frame) {
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

    async fn send_patiently(&self, frame: Frame) -> Step {
        match self.out.send_patiently(frame, REPLAY_PATIENCE).await {
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
            let (session, user) = (signed.user.session_id, signed.user.id);
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
            // Research partners have no websocket (`crate::fence`).
            Ok((user, _)) if user.is_research_partner() => {
                self.error("not_found", "not found", None)
            }
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
