//! The event tail: one task per node that reads new rows of the `events` log and hands
//! them, with the rows they name, to the hub.
//!
//! It wakes after every local commit ([`crate::store::Store::commits`]), on a Redis
//! announcement from another node, and otherwise polls.
//!
//! Reading, ordering and handing on rows is [`crate::events::Follower`]'s; the tail's
//! part is what wakes it and [`Deliver`], which loads the rows and publishes them. A batch
//! that fails to load is handed again on the next pass rather than skipped.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use super::hub::Hub;
use super::loaded::{self, LoadedEvent};
use super::redis::RedisLink;
use crate::config::RealtimeSettings;
use crate::error::Error;
use crate::events::{EventHandler, Follower, FollowerSettings};
use crate::page_cache::PageCache;
use crate::store::events::EventRow;
use crate::store::Store;

/// Rows read per query, and queries per pass.
const BATCH: i64 = 500;
const BATCHES_PER_PASS: usize = 20;
/// How long a read waits for a pooled connection before the pass fails (and is retried).
const DB_WAIT: Duration = Duration::from_millis(500);
/// Poll interval while a gap is open.
const GAP_POLL: Duration = Duration::from_millis(50);

/// What the tail needs, cloned out of the application state.
pub struct Tail {
    pub store: Store,
    pub hub: Arc<Hub>,
    pub settings: RealtimeSettings,
    pub redis: Option<Arc<RedisLink>>,
    pub remote_wake: Arc<Notify>,
    pub page_cache: Arc<PageCache>,
}

impl Tail {
    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut commits = self.store.commits();
        let mut follower = Follower::new(
            self.hub.watermark(),
            FollowerSettings {
                rows_per_query: BATCH,
                queries_per_pass: BATCHES_PER_PASS,
                gap_wait: self.settings.gap_wait,
                connection_wait: DB_WAIT,
            },
        );
        let mut deliver = Deliver {
            store: self.store.clone(),
            hub: self.hub.clone(),
            page_cache: self.page_cache.clone(),
        };
        let mut local_commit = false;
        let mut failures: u32 = 0;
        let mut redis_state = self.redis.as_ref().map(|r| r.connection_changes());
        loop {
            // Every local commit counted here is in the log this pass reads.
            let commits_seen = *commits.borrow();
            match follower.pass(&self.store, &mut deliver).await {
                Ok(delivered) => {
                    failures = 0;
                    if follower.idle() && !follower.busy() {
                        self.page_cache.caught_up_with(commits_seen);
                    }
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
            } else if follower.has_gaps() {
                GAP_POLL
            } else if self.redis.as_ref().is_some_and(|r| r.is_connected()) {
                self.settings.redis_poll_interval
            } else {
                self.settings.poll_interval
            };
            local_commit = false;
            tokio::select! {
                committed = commits.changed() => local_commit = committed.is_ok(),
                () = self.remote_wake.notified() => {}
                // Redis went down (poll fast from now on) or came back (poll slowly).
                () = redis_changed(redis_state.as_mut()) => {}
                () = tokio::time::sleep(wait) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        return;
                    }
                }
            }
        }
    }
}

/// Drops the cached pages a batch changes, then loads the batch with the rows it names
/// and hands it to the hub.
struct Deliver {
    store: Store,
    hub: Arc<Hub>,
    page_cache: Arc<PageCache>,
}

impl EventHandler for Deliver {
    async fn handle(&mut self, rows: &[EventRow]) -> Result<(), Error> {
        self.page_cache.invalidate(rows);
        let rows = rows.to_vec();
        let loaded = self
            .store
            .background(move |store| store.read_within(DB_WAIT, |conn| loaded::load(conn, rows)))
            .await?;
        let loaded: Vec<Arc<LoadedEvent>> = loaded.into_iter().map(Arc::new).collect();
        self.hub.publish(&loaded);
        Ok(())
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
