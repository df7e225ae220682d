//! Realtime delivery over websockets (`GET /api/v1/ws`).
//!
//! Vocabulary:
//! - **tail** (`tail.rs`): one task per node reading new rows of the `events` log, in id
//!   order, waking on local commits, Redis announcements or a poll.
//! - **hub** (`hub.rs`): which local connections watch which route keys; fans each event
//!   out to their bounded queues and keeps the *watermark* (last event fanned out).
//! - **connection** (`session.rs`): one task per websocket: authentication, topics and
//!   their access checks, resume, heartbeats, limits.
//! - **outbound** (`outbound.rs`): a connection's bounded write queue and the stream of
//!   encoded frames that drains it.
//! - **socket** (`socket.rs`): the websocket on its bare TCP socket after the upgrade
//!   (`crate::upgrade`): parsing client frames, the writer task, the open-socket count.
//! - **loaded event** (`loaded.rs`): an event row plus the rows it names, read from the
//!   database at delivery time (the log holds ids only).
//! - **redis** (`redis.rs`): the optional wake-up path between nodes.
//!
//! The database is the source of truth: everything delivered was read from it, and Redis
//! only shortens the wait before a node reads.

pub mod hub;
pub mod loaded;
pub mod messages;
pub mod outbound;
pub mod protocol;
pub mod redis;
pub mod session;
pub mod socket;
pub mod surveys;
pub mod tail;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::{watch, Notify};

use crate::config::Settings;
use crate::error::Error;
use crate::metrics::Scrape;
use crate::page_cache::{self, PageCache};
use crate::store::{events, Store};

use self::hub::Hub;
use self::redis::RedisLink;
use self::tail::Tail;

/// The node's realtime machinery, shared by the HTTP workers.
pub struct Realtime {
    pub hub: Arc<Hub>,
    pub redis: Option<Arc<RedisLink>>,
    remote_wake: Arc<Notify>,
    shutdown: watch::Sender<bool>,
    pub limiter: Arc<ConnectionLimiter>,
    pub opened: AtomicU64,
    pub events_sent: AtomicU64,
    /// Visitors' thread pages, which the event tail invalidates.
    pub page_cache: Arc<PageCache>,
    /// Websockets still being written to, waited for at shutdown.
    pub sockets: socket::OpenSockets,
}

impl Realtime {
    /// Starts the hub at the newest event in the log: a node delivers what is committed
    /// after it starts (and replays older events on `resume`).
    pub fn new(settings: &Settings, store: &Store) -> Result<Realtime, Error> {
        let hub = Arc::new(Hub::default());
        hub.start_at(store.read(events::max_id)?);
        let redis = settings
            .redis_url
            .as_deref()
            .map(|url| RedisLink::new(url, &settings.realtime.redis_channel).map(Arc::new))
            .transpose()?;
        Ok(Realtime {
            hub,
            redis,
            remote_wake: Arc::new(Notify::new()),
            shutdown: watch::Sender::new(false),
            limiter: Arc::new(ConnectionLimiter::new(
                settings.realtime.max_connections_per_ip,
                settings.realtime.max_connections,
            )),
            opened: AtomicU64::new(0),
            events_sent: AtomicU64::new(0),
            page_cache: Arc::new(PageCache::new(page_cache::DEFAULT_BUDGET, store.commits())),
            sockets: socket::OpenSockets::default(),
        })
    }

    /// Spawns the event tail (and the Redis listener) on the current runtime. They stop
    /// when [`Realtime::shutdown`] is called.
    pub fn spawn_background(&self, settings: &Settings, store: &Store) {
        let tail = Tail {
            store: store.clone(),
            hub: self.hub.clone(),
            settings: settings.realtime.clone(),
            redis: self.redis.clone(),
            remote_wake: self.remote_wake.clone(),
            page_cache: self.page_cache.clone(),
        };
        tokio::spawn(tail.run(self.shutdown.subscribe()));
        if let Some(redis) = &self.redis {
            tokio::spawn(
                redis
                    .clone()
                    .listen(self.remote_wake.clone(), self.shutdown.subscribe()),
            );
            tokio::spawn(redis.clone().publish(self.shutdown.subscribe()));
        }
    }

    /// Stops the tail and tells every connection to close with "going away".
    pub fn shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    pub fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// This node's realtime figures for `/metrics`.
    pub fn render_metrics(&self, scrape: &mut Scrape) {
        scrape.gauge(
            "kindred_ws_connections",
            "Open websocket connections",
            i64::try_from(self.hub.connection_count()).unwrap_or(i64::MAX),
        );
        scrape.counter(
            "kindred_ws_connections_opened",
            "Websocket connections accepted",
            self.opened.load(Ordering::Relaxed),
        );
        scrape.counter(
            "kindred_ws_events_sent",
            "Event messages sent to websocket clients",
            self.events_sent.load(Ordering::Relaxed),
        );
        scrape.counter(
            "kindred_ws_slow_consumer_closes",
            "Connections closed because the client read too slowly",
            self.hub.slow_closed.load(Ordering::Relaxed),
        );
        scrape.gauge(
            "kindred_realtime_last_event_id",
            "The last event fanned out by this node",
            self.hub.watermark().max(0),
        );
        if let Some(redis) = &self.redis {
            scrape.gauge(
                "kindred_realtime_redis_connected",
                "Whether the Redis subscription is up",
                i64::from(redis.is_connected()),
            );
            scrape.counter(
                "kindred_realtime_redis_wakeups",
                "Announcements from other nodes received over Redis",
                redis.wakeups.load(Ordering::Relaxed),
            );
        }
    }
}

/// Open connections per client address and on the whole node.
pub struct ConnectionLimiter {
    max_per_ip: usize,
    max_total: usize,
    counts: Mutex<ConnectionCounts>,
}

#[derive(Default)]
struct ConnectionCounts {
    per_ip: HashMap<IpAddr, usize>,
    total: usize,
}

/// Why a connection got no slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitReached {
    /// This client address has its share open.
    Address,
    /// The node holds as many connections as it is configured to.
    Node,
}

/// One connection's place in the limiter, given back when dropped.
pub struct ConnectionSlot {
    limiter: Arc<ConnectionLimiter>,
    ip: Option<IpAddr>,
}

impl ConnectionLimiter {
    pub fn new(max_per_ip: usize, max_total: usize) -> ConnectionLimiter {
        ConnectionLimiter {
            max_per_ip,
            max_total,
            counts: Mutex::new(ConnectionCounts::default()),
        }
    }

    /// A slot for a connection from `ip`, or which limit it would exceed.
    pub fn acquire(self: &Arc<Self>, ip: Option<IpAddr>) -> Result<ConnectionSlot, LimitReached> {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if counts.total >= self.max_total {
            return Err(LimitReached::Node);
        }
        if let Some(ip) = ip {
            let count = counts.per_ip.entry(ip).or_insert(0);
            if *count >= self.max_per_ip {
                return Err(LimitReached::Address);
            }
            *count += 1;
        }
        counts.total += 1;
        Ok(ConnectionSlot {
            limiter: self.clone(),
            ip,
        })
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut counts = self
            .limiter
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        counts.total = counts.total.saturating_sub(1);
        let Some(ip) = self.ip else {
            return;
        };
        if let Some(count) = counts.per_ip.get_mut(&ip) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.per_ip.remove(&ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_per_address_are_limited_and_given_back() {
        let limiter = Arc::new(ConnectionLimiter::new(2, 100));
        let ip: IpAddr = [10, 0, 0, 1].into();
        let first = limiter.acquire(Some(ip));
        let second = limiter.acquire(Some(ip));
        assert!(first.is_ok() && second.is_ok());
        assert_eq!(limiter.acquire(Some(ip)).err(), Some(LimitReached::Address));
        assert!(limiter.acquire(Some([10, 0, 0, 2].into())).is_ok());
        drop(first);
        assert!(limiter.acquire(Some(ip)).is_ok());
    }

    #[test]
    fn connections_per_node_are_limited_and_given_back() {
        let limiter = Arc::new(ConnectionLimiter::new(10, 2));
        let first = limiter.acquire(Some([10, 0, 0, 1].into()));
        let second = limiter.acquire(None);
        assert!(first.is_ok() && second.is_ok());
        let third = limiter.acquire(Some([10, 0, 0, 2].into()));
        assert_eq!(third.err(), Some(LimitReached::Node));
        drop(second);
        assert!(limiter.acquire(Some([10, 0, 0, 2].into())).is_ok());
    }
}
