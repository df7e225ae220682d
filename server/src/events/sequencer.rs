//! The [`Sequencer`]: puts rows read from the `events` log into id order.
//!
//! **Ids that commit out of order.** On PostgreSQL, `events.id` is taken from a sequence
//! when the row is inserted, not when its transaction commits: a transaction holding id
//! 10 may commit after one holding 11, so a reader can see 11 before 10 exists. The
//! sequencer therefore releases rows in id order only: a row above a missing id waits
//! until the id appears or `gap_wait` has passed (ids of rolled-back transactions never
//! appear). Given-up ids are still looked for during a minute and released late if they
//! show up. In-order delivery is what makes a client's last event id an exact resume
//! point: every id up to it has been delivered or given up. On SQLite writers are
//! serialised, so ids commit in order and there are no gaps.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::store::events::EventRow;

/// A jump larger than this is not tracked id by id (sequence cache loss after a crash).
const MAX_TRACKED_JUMP: i64 = 1000;
const MAX_TRACKED_IDS: usize = 10_000;
/// How long a given-up id is still looked for.
const LATE_WATCH: Duration = Duration::from_secs(60);

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
