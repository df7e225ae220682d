//! The in-process hub: which local connections are interested in which route keys, and
//! the fan-out of each event from the tail to them.
//!
//! Each connection has a bounded queue of events. The hub never waits on it: a full queue
//! means the connection's task has fallen behind, and the connection is aborted as too
//! slow rather than slowing the tail (and so every other connection) down.
//!
//! The hub also keeps the *watermark*: the id of the last event fanned out. A
//! subscription registered when the watermark is `w` receives live events with ids above
//! `w`; a replay covers the ones up to `w`. Registration and fan-out take the same lock,
//! so no event falls between the two.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use actix_ws::CloseCode;
use tokio::sync::mpsc;

use super::loaded::{LoadedEvent, RouteKey};
use super::outbound::Closer;

pub type ConnectionId = u64;

/// Why the hub closed a connection.
pub const SLOW_CONSUMER: &str = "too slow: events are arriving faster than they are read";

struct Entry {
    events: mpsc::Sender<Arc<LoadedEvent>>,
    closer: Arc<Closer>,
    keys: HashSet<RouteKey>,
}

#[derive(Default)]
struct Inner {
    watermark: i64,
    next_id: ConnectionId,
    connections: HashMap<ConnectionId, Entry>,
    routes: HashMap<RouteKey, HashSet<ConnectionId>>,
}

#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
    pub delivered: AtomicU64,
    pub slow_closed: AtomicU64,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Where fan-out starts (the newest event at start-up); only moves forward.
    pub fn start_at(&self, position: i64) {
        let mut inner = self.lock();
        inner.watermark = inner.watermark.max(position);
    }

    pub fn watermark(&self) -> i64 {
        self.lock().watermark
    }

    pub fn connection_count(&self) -> usize {
        self.lock().connections.len()
    }

    /// Adds a connection; returns its id and the current watermark.
    pub fn register(
        &self,
        events: mpsc::Sender<Arc<LoadedEvent>>,
        closer: Arc<Closer>,
    ) -> (ConnectionId, i64) {
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        inner.connections.insert(
            id,
            Entry {
                events,
                closer,
                keys: HashSet::new(),
            },
        );
        (id, inner.watermark)
    }

    /// Routes events with `key` to the connection; returns the watermark, above which
    /// events will arrive live.
    pub fn watch(&self, id: ConnectionId, key: RouteKey) -> i64 {
        let mut inner = self.lock();
        if let Some(entry) = inner.connections.get_mut(&id) {
            if entry.keys.insert(key) {
                inner.routes.entry(key).or_default().insert(id);
            }
        }
        inner.watermark
    }

    pub fn unwatch(&self, id: ConnectionId, key: RouteKey) {
        let mut inner = self.lock();
        if let Some(entry) = inner.connections.get_mut(&id) {
            entry.keys.remove(&key);
        }
        remove_route(&mut inner, key, id);
    }

    pub fn remove(&self, id: ConnectionId) {
        let mut inner = self.lock();
        remove_connection(&mut inner, id);
    }

    /// Fans events (in id order) out to the connections watching their keys, and moves
    /// the watermark past them. Late events (ids below the watermark, see `tail.rs`) are
    /// delivered but leave the watermark where it is.
    pub fn publish(&self, events: &[Arc<LoadedEvent>]) {
        let mut inner = self.lock();
        let mut merged: HashSet<ConnectionId> = HashSet::new();
        let mut dropped = Vec::new();
        let mut delivered = 0;
        for event in events {
            let keys = event.route_keys();
            let mut routed = keys.iter().filter_map(|key| inner.routes.get(key));
            // Most events reach their connections through one key (a thread's
            // subscribers): those are walked as they are, without copying the ids.
            let targets = match (event.concerns_every_connection(), routed.next()) {
                (false, None) => None,
                (false, Some(only)) if routed.clone().next().is_none() => Some(only),
                (every, first) => {
                    merged.clear();
                    if every {
                        merged.extend(inner.connections.keys().copied());
                    }
                    merged.extend(first.into_iter().chain(routed).flatten().copied());
                    Some(&merged)
                }
            };
            for id in targets.into_iter().flatten() {
                let Some(entry) = inner.connections.get(id) else {
                    continue;
                };
                match entry.events.try_send(event.clone()) {
                    Ok(()) => delivered += 1,
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        entry.closer.abort(CloseCode::Policy, SLOW_CONSUMER);
                        self.slow_closed.fetch_add(1, Ordering::Relaxed);
                        dropped.push(*id);
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => dropped.push(*id),
                }
            }
            for id in dropped.drain(..) {
                remove_connection(&mut inner, id);
            }
            inner.watermark = inner.watermark.max(event.id);
        }
        self.delivered.fetch_add(delivered, Ordering::Relaxed);
    }
}

fn remove_route(inner: &mut Inner, key: RouteKey, id: ConnectionId) {
    if let Some(ids) = inner.routes.get_mut(&key) {
        ids.remove(&id);
        if ids.is_empty() {
            inner.routes.remove(&key);
        }
    }
}

fn remove_connection(inner: &mut Inner, id: ConnectionId) {
    if let Some(entry) = inner.connections.remove(&id) {
        for key in entry.keys {
            remove_route(inner, key, id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::outbound::Outbound;

    fn event(id: i64, thread: i64) -> Arc<LoadedEvent> {
        Arc::new(LoadedEvent::thread_updated(id, thread))
    }

    #[test]
    fn events_go_to_watchers_only_and_move_the_watermark() {
        let hub = Hub::default();
        hub.start_at(10);
        let (out, _body) = Outbound::new(4);
        let (tx, mut rx) = mpsc::channel(4);
        let (id, watermark) = hub.register(tx, out.closer.clone());
        assert_eq!(watermark, 10);
        assert_eq!(hub.watch(id, RouteKey::Thread(7)), 10);
        hub.publish(&[event(11, 7), event(12, 8)]);
        assert_eq!(rx.try_recv().map(|e| e.id).ok(), Some(11));
        assert!(rx.try_recv().is_err(), "not watching thread 8");
        assert_eq!(hub.watermark(), 12);
        // A late event (below the watermark) is delivered but does not move it back.
        hub.publish(&[event(9, 7)]);
        assert_eq!(rx.try_recv().map(|e| e.id).ok(), Some(9));
        assert_eq!(hub.watermark(), 12);
        hub.unwatch(id, RouteKey::Thread(7));
        hub.publish(&[event(13, 7)]);
        assert!(rx.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_full_queue_drops_that_connection_only() {
        use futures_util::StreamExt;
        let hub = Hub::default();
        let (slow_out, mut slow_body) = Outbound::new(1);
        let (slow_tx, _slow_rx) = mpsc::channel(1);
        let (slow, _) = hub.register(slow_tx, slow_out.closer.clone());
        let (fast_out, _fast_body) = Outbound::new(8);
        let (fast_tx, mut fast_rx) = mpsc::channel(8);
        let (fast, _) = hub.register(fast_tx, fast_out.closer.clone());
        hub.watch(slow, RouteKey::Thread(1));
        hub.watch(fast, RouteKey::Thread(1));
        hub.publish(&[event(1, 1), event(2, 1), event(3, 1)]);
        assert_eq!(hub.slow_closed.load(Ordering::Relaxed), 1);
        assert_eq!(hub.connection_count(), 1);
        let ids: Vec<i64> = std::iter::from_fn(|| fast_rx.try_recv().ok().map(|e| e.id)).collect();
        assert_eq!(ids, [1, 2, 3]);
        // The slow connection's writer closes it with a reason.
        let frame = slow_body.next().await.expect("chunk").expect("bytes");
        assert_eq!(frame[0], 0x88, "a close frame");
        assert_eq!(&frame[2..4], &1008u16.to_be_bytes());
        assert!(slow_body.next().await.is_none());
        drop(slow_out);
    }
}
