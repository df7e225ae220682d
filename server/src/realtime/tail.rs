//! The event tail: one task per node that reads new rows of the `events` log and hands
//! them, with the rows they name, to the hub.
//!
//! It wakes after every local commit ([`crate::store::Store::commits`]), on a Redis
//! announcement from another node, and otherwise polls.
//!
//! **Ids that commit out of order.** On PostgreSQL, `events.id` is taken from a sequence
//! when the row is inserted, not when its transaction commits: a transaction holding id
//! 10 may commit after one holding 11, so a reader can see 11 before 10 exists. The
//! [`Sequencer`] therefore delivers in id order only: an event above a missing id waits
//! until the id appears or `gap_wait` has passed (ids of rolled-back transactions never
//! appear). Given-up ids are still re-checked for a minute and delivered late if they
//! show up. In-order delivery is what makes `resume` exact: every id up to the last one a
//! client saw has been delivered or given up. On SQLite writers are serialised, so ids
//! commit in order and there are no gaps.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{watch, Notify};

use super::hub::Hub;
use super::loaded::{self, LoadedEvent};
use super::redis::RedisLink;
use crate::config::RealtimeSettings;
use crate::error::Error;
use crate::store::events::{self, EventRow};
use crate::store::Store;

/// Rows read per query, and queries per pass.
const BATCH: i64 = 500;
const BATCHES_PER_PASS: usize = 20;
/// A jump larger than this is not tracked id by id (sequence cache loss after a crash).
const MAX_TRACKED_JUMP: i64 = 1000;
const MAX_TRACKED_IDS: usize = 10_000;
/// How long a given-up id is still looked for.
const LATE_WATCH: Duration = Duration::from_secs(60);
/// How long a read waits for a pooled connection before the pass fails (and is retried).
const DB_WAIT: Duration = Duration::from_millis(500);
/// Poll interval while a gap is open.
const GAP_POLL: Duration = Duration::from_millis(50);

/// Orders rows read from the log: see the module documentation.
#[derive(Debug)]
pub struct Sequencer {
    /// Highest id read so far.
    read_max: i64,
    /// Read, waiting for a lower missing id.
    pending: BTreeMap<i64, EventRow>,
    /// Missing ids below `read_max`, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
    /// Given-up ids, with when they were given up, and any that showed up since.
    late: BTreeMap<i64, Instant>,
    late_found: Vec<EventRow>,
    gap_wait: Duration,
}

impl Sequencer {
    pub fn new(start: i64, gap_wait: Duration) -> Sequencer {
        Sequencer {
            read_max: start,
            pending: BTreeMap::new(),
            gaps: BTreeMap::new(),
            late: BTreeMap::new(),
            late_found: Vec::new(),
            gap_wait,
        }
    }

    /// Where the next read starts (exclusive).
    pub fn read_from(&self) -> i64 {
        self.read_max
    }

    pub fn has_gaps(&self) -> bool {
        !self.gaps.is_empty()
    }

    /// Takes rows read after [`Sequencer::read_from`], in id order.
    pub fn accept(&mut self, rows: Vec<EventRow>, now: Instant) {
        for row in rows {
            if row.id <= self.read_max {
                continue;
            }
            let missing = row.id - self.read_max - 1;
            if missing > 0 && missing <= MAX_TRACKED_JUMP {
                for id in self.read_max + 1..row.id {
                    if self.gaps.len() < MAX_TRACKED_IDS {
                        self.gaps.insert(id, now);
                    }
                }
            } else if missing > MAX_TRACKED_JUMP {
                tracing::warn!(from = self.read_max, to = row.id, "event ids jumped");
            }
            self.read_max = row.id;
            self.pending.insert(row.id, row);
        }
    }

    /// Ids to look for again: open gaps and recently given-up ones.
    pub fn missing(&self) -> Vec<i64> {
        self.gaps.keys().chain(self.late.keys()).copied().collect()
    }

    /// Takes rows found among [`Sequencer::missing`].
    pub fn found(&mut self, rows: Vec<EventRow>) {
        for row in rows {
            if self.gaps.remove(&row.id).is_some() {
                self.pending.insert(row.id, row);
            } else if self.late.remove(&row.id).is_some() {
                self.late_found.push(row);
            }
        }
    }

    /// Rows ready to deliver: late arrivals, then everything in order up to the first
    /// gap still worth waiting for. Gaps older than `gap_wait` are given up.
    pub fn take_ready(&mut self, now: Instant) -> Vec<EventRow> {
        let expired: Vec<i64> = self
            .gaps
            .iter()
            .filter(|(_, since)| now.duration_since(**since) >= self.gap_wait)
            .map(|(id, _)| *id)
            .collect();
        for id in expired {
            self.gaps.remove(&id);
            if self.late.len() < MAX_TRACKED_IDS {
                self.late.insert(id, now);
            }
        }
        self.late
            .retain(|_, given_up| now.duration_since(*given_up) < LATE_WATCH);
        let mut ready = std::mem::take(&mut self.late_found);
        let first_gap = self.gaps.keys().next().copied().unwrap_or(i64::MAX);
        let waiting = self.pending.split_off(&first_gap);
        ready.extend(std::mem::replace(&mut self.pending, waiting).into_values());
        ready
    }
}

/// What the tail needs, cloned out of the application state.
pub struct Tail {
    pub store: Store,
    pub hub: Arc<Hub>,
    pub settings: RealtimeSettings,
    pub redis: Option<Arc<RedisLink>>,
    pub remote_wake: Arc<Notify>,
}

impl Tail {
    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut commits = self.store.commits();
        let mut sequencer = Sequencer::new(self.hub.watermark(), self.settings.gap_wait);
        let mut local_commit = false;
        let mut failures: u32 = 0;
        let mut redis_state = self.redis.as_ref().map(|r| r.connection_changes());
        loop {
            match self.pass(&mut sequencer).await {
                Ok(delivered) => {
                    failures = 0;
                    if let (Some(last), true, Some(redis)) =
                        (delivered, local_commit, self.redis.as_ref())
                    {
                        redis.announce(last);
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    if failures == 1 || failures.is_multiple_of(100) {
                        tracing::warn!(error = %e, failures, "event tail cannot read the log");
                    }
                }
            }
            let wait = if failures > 0 {
                Duration::from_secs(1)
            } else if sequencer.has_gaps() {
                GAP_POLL
            } else if self.redis.as_ref().is_some_and(|r| r.is_connected()) {
                self.settings.redis_poll_interval
            } else {
                self.settings.poll_interval
            };
            local_commit = false;
            tokio::select! {
                committed = commits.changed() => local_commit = committed.is_ok(),
                _ = self.remote_wake.notified() => {}
                // Redis went down (poll fast from now on) or came back (poll slowly).
                _ = redis_changed(redis_state.as_mut()) => {}
                _ = tokio::time::sleep(wait) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        return;
                    }
                }
            }
        }
    }

    /// Reads what is new, delivers what is ready; returns the highest id delivered.
    async fn pass(&self, sequencer: &mut Sequencer) -> Result<Option<i64>, Error> {
        let from = sequencer.read_from();
        let missing = sequencer.missing();
        let (rows, found) = self
            .store
            .background(move |store| {
                store.read_within(DB_WAIT, |conn| {
                    let mut rows = Vec::new();
                    let mut after = from;
                    for _ in 0..BATCHES_PER_PASS {
                        let batch = events::list_after(conn, after, BATCH)?;
                        let full = batch.len() as i64 == BATCH;
                        after = batch.last().map_or(after, |row| row.id);
                        rows.extend(batch);
                        if !full {
                            break;
                        }
                    }
                    let found = events::find_many(conn, &missing)?;
                    Ok((rows, found))
                })
            })
            .await?;
        let now = Instant::now();
        sequencer.found(found);
        sequencer.accept(rows, now);
        let ready = sequencer.take_ready(now);
        if ready.is_empty() {
            return Ok(None);
        }
        let last = ready.iter().map(|row| row.id).max();
        let loaded = self
            .store
            .background(move |store| store.read_within(DB_WAIT, |conn| loaded::load(conn, ready)))
            .await?;
        let loaded: Vec<Arc<LoadedEvent>> = loaded.into_iter().map(Arc::new).collect();
        self.hub.publish(&loaded);
        Ok(last)
    }
}

async fn redis_changed(state: Option<&mut watch::Receiver<bool>>) {
    let Some(state) = state else {
        return std::future::pending().await;
    };
    if state.changed().await.is_err() {
        std::future::pending::<()>().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64) -> EventRow {
        EventRow {
            id,
            kind: "post.created".into(),
            community_id: None,
            thread_id: None,
            post_id: None,
            actor_id: None,
            payload: "{}".into(),
            created_at: 0,
        }
    }

    fn ids(rows: &[EventRow]) -> Vec<i64> {
        rows.iter().map(|r| r.id).collect()
    }

    #[test]
    fn in_order_rows_pass_straight_through() {
        let mut seq = Sequencer::new(10, Duration::from_secs(3));
        let now = Instant::now();
        seq.accept(vec![row(11), row(12)], now);
        assert_eq!(ids(&seq.take_ready(now)), [11, 12]);
        assert_eq!(seq.read_from(), 12);
        assert!(!seq.has_gaps());
    }

    #[test]
    fn a_late_commit_below_the_high_water_mark_is_delivered_in_order() {
        let mut seq = Sequencer::new(10, Duration::from_secs(3));
        let now = Instant::now();
        // 11 is still in flight when 12 and 13 are read.
        seq.accept(vec![row(12), row(13)], now);
        assert!(seq.take_ready(now).is_empty());
        assert_eq!(seq.missing(), [11]);
        // 11 commits; the next pass finds it.
        seq.found(vec![row(11)]);
        seq.accept(vec![row(14)], now);
        assert_eq!(ids(&seq.take_ready(now)), [11, 12, 13, 14]);
        assert!(seq.missing().is_empty());
    }

    #[test]
    fn a_rolled_back_id_is_given_up_after_the_wait_and_still_watched() {
        let mut seq = Sequencer::new(0, Duration::from_secs(3));
        let start = Instant::now();
        seq.accept(vec![row(1), row(3)], start);
        assert_eq!(ids(&seq.take_ready(start)), [1]);
        let later = start + Duration::from_secs(4);
        assert_eq!(ids(&seq.take_ready(later)), [3]);
        assert!(!seq.has_gaps());
        // Still looked for, and delivered (late) if it ever appears.
        assert_eq!(seq.missing(), [2]);
        seq.found(vec![row(2)]);
        assert_eq!(ids(&seq.take_ready(later)), [2]);
        assert!(seq.missing().is_empty());
        // After a minute nobody looks any more.
        let mut seq = Sequencer::new(0, Duration::from_secs(3));
        seq.accept(vec![row(2)], start);
        seq.take_ready(start + Duration::from_secs(4));
        seq.take_ready(start + Duration::from_secs(70));
        assert!(seq.missing().is_empty());
    }

    #[test]
    fn rows_are_never_delivered_twice() {
        let mut seq = Sequencer::new(5, Duration::from_secs(3));
        let now = Instant::now();
        seq.accept(vec![row(4), row(5), row(6)], now);
        seq.accept(vec![row(6)], now);
        assert_eq!(ids(&seq.take_ready(now)), [6]);
        seq.found(vec![row(6)]);
        assert!(seq.take_ready(now).is_empty());
    }
}
