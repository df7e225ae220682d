//! The one follower of the `events` log: read what is new, put it in id order, hand it to
//! a consumer, and keep it until the consumer has taken it. The realtime tail and the
//! search indexer each run a [`Follower`] with their own [`EventHandler`]; what wakes
//! them (local commits, Redis, polling) and how often is theirs.
//!
//! **Once, in order.** Rows go to the handler strictly in id order (see [`Sequencer`] for
//! ids that commit out of order on PostgreSQL), and a batch leaves the follower only when
//! its handler succeeded: a failed batch is handed again, unchanged, on the next pass, and
//! nothing newer is read meanwhile. So a handler sees every id once (a late id, released
//! after the ids above it, once too), and its last handled id is an exact resume point.

mod sequencer;

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::store::events::{self, EventRow};
use crate::store::Store;

pub use sequencer::Sequencer;

/// A consumer of the log.
pub trait EventHandler {
    /// Takes a batch of rows in id order. An error leaves the batch with the follower,
    /// which hands the same rows again on its next pass.
    fn handle(&mut self, rows: &[EventRow]) -> impl Future<Output = Result<(), Error>> + Send;
}

/// How a follower reads.
#[derive(Debug, Clone, Copy)]
pub struct FollowerSettings {
    /// Rows per query, and queries per pass (a pass reads until a query comes back short).
    pub rows_per_query: i64,
    pub queries_per_pass: usize,
    /// How long a missing id is waited for before the rows above it go ahead.
    pub gap_wait: Duration,
    /// How long a read waits for a pooled connection before the pass fails (and is
    /// retried), rather than hold a thread for the pool's full timeout.
    pub connection_wait: Duration,
}

/// Follows the log from an event id: see the module documentation.
pub struct Follower {
    settings: FollowerSettings,
    sequencer: Sequencer,
    /// Released by the sequencer, not yet taken by the handler.
    batch: Vec<EventRow>,
    /// Whether the last read came back full: more is waiting in the log.
    more_waiting: bool,
    /// The newest id in the log when it was last read.
    newest: i64,
}

impl Follower {
    /// A follower that hands rows after `after_event`.
    pub fn new(after_event: i64, settings: FollowerSettings) -> Follower {
        Follower {
            settings,
            sequencer: Sequencer::new(after_event, settings.gap_wait),
            batch: Vec::new(),
            more_waiting: false,
            newest: after_event,
        }
    }

    /// Starts again after `after_event`, forgetting what was read (the consumer's own
    /// state moved there, as when the indexer switches to a rebuilt index).
    pub fn restart(&mut self, after_event: i64) {
        *self = Follower::new(after_event, self.settings);
    }

    /// Whether more is waiting than one pass read, or a gap is open: worth a quick pass.
    pub fn busy(&self) -> bool {
        self.more_waiting || self.sequencer.has_gaps()
    }

    /// Whether a missing id is being waited for.
    pub fn has_gaps(&self) -> bool {
        self.sequencer.has_gaps()
    }

    /// Whether no batch is waiting for its handler.
    pub fn idle(&self) -> bool {
        self.batch.is_empty()
    }

    /// The newest event id the log held at the last read.
    pub fn newest(&self) -> i64 {
        self.newest
    }

    /// One pass: reads the log unless a batch is still waiting, then hands the batch to
    /// `handler`. Returns the highest id handled, if any.
    pub async fn pass(
        &mut self,
        store: &Store,
        handler: &mut impl EventHandler,
    ) -> Result<Option<i64>, Error> {
        if self.batch.is_empty() {
            self.read(store).await?;
        } else {
            self.refresh_newest(store).await;
        }
        let Some(last) = self.batch.iter().map(|row| row.id).max() else {
            return Ok(None);
        };
        handler.handle(&self.batch).await?;
        self.batch.clear();
        Ok(Some(last))
    }

    async fn read(&mut self, store: &Store) -> Result<(), Error> {
        let from = self.sequencer.read_from();
        let missing = self.sequencer.missing();
        let settings = self.settings;
        let (rows, found, newest) = store
            .background(move |store| {
                store.read_within(settings.connection_wait, |conn| {
                    let mut rows = Vec::new();
                    let mut after = from;
                    for _ in 0..settings.queries_per_pass {
                        let batch = events::list_after(conn, after, settings.rows_per_query)?;
                        let full = batch.len() as i64 == settings.rows_per_query;
                        after = batch.last().map_or(after, |row| row.id);
                        rows.extend(batch);
                        if !full {
                            break;
                        }
                    }
                    let found = events::find_many(conn, &missing)?;
                    Ok((rows, found, events::max_id(conn)?))
                })
            })
            .await?;
        self.newest = newest;
        self.receive(rows, found, Instant::now());
        Ok(())
    }

    /// While a batch waits for a handler that failed, the log keeps growing: keeps
    /// [`newest`](Self::newest) (and so the lag others report) current. Best effort: the
    /// handler's own error is the one worth reporting.
    async fn refresh_newest(&mut self, store: &Store) {
        let wait = self.settings.connection_wait;
        let newest = store
            .background(move |store| store.read_within(wait, events::max_id))
            .await;
        if let Ok(newest) = newest {
            self.newest = self.newest.max(newest);
        }
    }

    /// Takes what a read found and forms the next batch from the rows now in order.
    fn receive(&mut self, rows: Vec<EventRow>, found: Vec<EventRow>, now: Instant) {
        let capacity = self.settings.rows_per_query * self.settings.queries_per_pass as i64;
        self.more_waiting = rows.len() as i64 >= capacity;
        self.sequencer.found(found);
        self.sequencer.accept(rows, now);
        self.batch.extend(self.sequencer.take_ready(now));
    }
}

#[cfg(test)]
mod tests;
