//! Keeps this node's search index current from the `events` log.
//!
//! Each node has its own index under `$KINDRED_DATA_DIR/search` (generations plus a
//! `CURRENT` pointer, see `kindred_search::IndexHome`). The indexer reads events after the
//! last id committed into the index (stored in tantivy's commit payload), turns every
//! event that touches a post into an upsert or delete of that post *as it is now in the
//! database*, and commits the batch together with the new last id. Because documents are
//! rebuilt from the tables, replaying an event is harmless: after a crash it simply
//! catches up. Reading the log in id order (out-of-order commits on PostgreSQL
//! included) is [`crate::events::Follower`]'s; the indexer is its [`Apply`] handler.
//!
//! **Nothing is lost on a failed pass.** A batch of events stays with the follower
//! until the commit that carries it succeeded, and the commit's event id is the highest of
//! the batch, so the stored checkpoint never passes an event that is not in the index. A
//! failing pass (full disk, database away) is retried with backoff (100 ms doubling to
//! 10 s) and shown on `/healthz` and `/metrics`. A self-check at start and every five
//! minutes compares the index with the database and re-applies the posts that differ.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kindred_search::{
    Change, IndexHome, LiveIndex, PostDoc, PostStatus as IndexedStatus, SearchConfig, Synonyms,
};
use tokio::sync::watch;

use crate::domain::ids::UserId;
use crate::domain::markdown::html_to_text;
use crate::error::{is_disk_full, Error, Said};
use crate::events::{EventHandler, Follower, FollowerSettings};
use crate::store::events::{self, EventKind, EventRow};
use crate::store::{maintenance, posts, threads, users, DbConnection, Store};

/// The health synonyms search expands queries with (also used to match communities).
pub(crate) const SYNONYMS: &str = include_str!("../../seed-data/search/synonyms.txt");
/// Events read per pass; documents per commit are bounded by this too.
const BATCH: i64 = 2_000;
/// At most one commit per this interval unless a full batch is waiting.
const COMMIT_INTERVAL: Duration = Duration::from_secs(1);
const GAP_WAIT: Duration = Duration::from_secs(3);
/// Retries of a failed pass wait this long, doubling up to the maximum.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const MAX_RETRY: Duration = Duration::from_secs(10);
const SELF_CHECK_EVERY: Duration = Duration::from_secs(5 * 60);
const SELF_CHECK_RETRY: Duration = Duration::from_secs(30);

/// This node's search index and where it lives.
pub struct Search {
    pub live: LiveIndex,
    pub status: IndexerStatus,
    home: IndexHome,
    config: SearchConfig,
}

/// How the indexer is doing, for `/healthz` and `/metrics`.
#[derive(Default)]
pub struct IndexerStatus {
    /// Why the last pass failed, while it keeps failing (an error code, no details).
    failing: Mutex<Option<&'static str>>,
    failures: AtomicU64,
    repaired: AtomicU64,
    /// The newest event id the indexer saw in the database.
    database_last_event: AtomicI64,
}

impl IndexerStatus {
    /// The error code of the failure the indexer is retrying, if any.
    pub fn failing(&self) -> Option<&'static str> {
        *self
            .failing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn failures_total(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Posts the self-check found wrong in the index and re-applied.
    pub fn repaired_total(&self) -> u64 {
        self.repaired.load(Ordering::Relaxed)
    }

    pub fn database_last_event(&self) -> i64 {
        self.database_last_event.load(Ordering::Relaxed)
    }

    fn failed(&self, error: &Error) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        let code = match error {
            Error::StorageFull(_) => "storage_full",
            Error::Pool(_) | Error::Unavailable(_) => "database_unavailable",
            _ => "error",
        };
        *self
            .failing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(code);
    }

    fn recovered(&self) {
        *self
            .failing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

fn search_error(error: kindred_search::Error) -> Error {
    let message = format!("search index: {error}");
    if matches!(error, kindred_search::Error::DiskFull { .. }) || is_disk_full(&message) {
        Error::StorageFull(message)
    } else {
        Error::failed("search index", error)
    }
}

impl Search {
    pub fn config() -> Result<SearchConfig, Error> {
        let synonyms = Synonyms::parse(SYNONYMS).map_err(search_error)?;
        Ok(SearchConfig::new(synonyms))
    }

    /// Opens (or creates) the index under `data_dir/search`.
    pub fn open(data_dir: &Path) -> Result<Search, Error> {
        let config = Search::config()?;
        let home = IndexHome::new(data_dir.join("search"));
        let index = home.open(&config).map_err(|e| match e {
            kindred_search::Error::IndexLocked { .. } => Error::Conflict(
                Said::new("es3-cli-index-in-use")
                    .with("dir", data_dir.display().to_string())
                    .into(),
            ),
            other => Error::Config(format!("cannot open the search index: {other}")),
        })?;
        Ok(Search {
            live: LiveIndex::new(index),
            status: IndexerStatus::default(),
            home,
            config,
        })
    }

    /// Follows a rebuild done by `kindred reindex` (another process): if the pointer names
    /// another generation, opens it and swaps it in.
    /// Returns the new index's last applied event when it switched.
    fn follow_pointer(&self) -> Result<Option<i64>, Error> {
        let active = self.home.active_generation().map_err(search_error)?;
        let current = self.live.get();
        let serving = current
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned);
        if active.is_some() && active != serving {
            let fresh = self.home.open(&self.config).map_err(search_error)?;
            tracing::info!(generation = ?active, "search index switched to a rebuilt generation");
            let last = fresh.last_applied_event().unwrap_or(0);
            self.live.replace(fresh);
            return Ok(Some(last));
        }
        Ok(None)
    }
}

/// Builds index documents for some posts from the tables: (changes for those posts).
pub fn changes_for(conn: &mut DbConnection, post_ids: &[i64]) -> Result<Vec<Change>, Error> {
    let rows = posts::find_many(conn, post_ids)?;
    let thread_ids: Vec<i64> = rows.iter().map(|p| p.thread_id).collect();
    let titles: HashMap<i64, String> = threads::find_many(conn, &thread_ids)?
        .into_iter()
        .map(|t| (t.id, t.title))
        .collect();
    let author_ids: Vec<UserId> = rows
        .iter()
        .filter_map(|p| p.author_id)
        .map(UserId)
        .collect();
    let names: HashMap<UserId, String> = users::find_many(conn, &author_ids)?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    let found: BTreeSet<i64> = rows.iter().map(|p| p.id).collect();
    let mut changes: Vec<Change> = post_ids
        .iter()
        .filter(|id| !found.contains(id))
        .map(|id| Change::Delete { post_id: *id })
        .collect();
    for post in rows {
        if post.deleted_at.is_some() {
            changes.push(Change::Delete { post_id: post.id });
            continue;
        }
        changes.push(Change::Upsert(PostDoc {
            post_id: post.id,
            thread_id: post.thread_id,
            community_id: post.community_id,
            thread_title: titles.get(&post.thread_id).cloned().unwrap_or_default(),
            body: html_to_text(&post.body_html),
            author: post.author_id.and_then(|a| names.get(&UserId(a)).cloned()),
            created_at: post.created_at,
            status: IndexedStatus::parse(post.status.as_str()).unwrap_or(IndexedStatus::Held),
            language: post.language,
        }));
    }
    Ok(changes)
}

/// Posts named by a batch of events. A reaction changes nothing the index holds.
fn touched_posts(rows: &[EventRow]) -> Vec<i64> {
    let posts: BTreeSet<i64> = rows
        .iter()
        .filter(|row| row.kind != EventKind::PostReactionsChanged.as_str())
        .filter_map(|row| row.post_id)
        .collect();
    posts.into_iter().collect()
}

/// How the indexer reads the log: one query per pass, and a missing id waited for 3 s.
fn follower_settings() -> FollowerSettings {
    FollowerSettings {
        rows_per_query: BATCH,
        queries_per_pass: 1,
        gap_wait: GAP_WAIT,
        connection_wait: Duration::from_millis(500),
    }
}

/// Applies a batch of events to the index: the posts they name, rebuilt from the tables,
/// committed together with the batch's last id.
struct Apply {
    store: Store,
    search: Arc<Search>,
}

impl EventHandler for Apply {
    async fn handle(&mut self, rows: &[EventRow]) -> Result<(), Error> {
        let Some(last) = rows.iter().map(|row| row.id).max() else {
            return Ok(());
        };
        let post_ids = touched_posts(rows);
        let search = self.search.clone();
        self.store
            .background(move |store| {
                let changes = store.read(|conn| changes_for(conn, &post_ids))?;
                let index = search.live.get();
                // Ids given up on and found late are below the checkpoint: apply them
                // without moving it back.
                let up_to = index
                    .last_applied_event()
                    .map_or(last, |applied| applied.max(last));
                index.apply(changes, up_to).map_err(search_error)
            })
            .await
    }
}

pub struct Indexer {
    pub store: Store,
    pub search: Arc<Search>,
}

impl Indexer {
    /// Runs until `shutdown` turns true; commits what it has before returning.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut commits = self.store.commits();
        let start = self.search.live.get().last_applied_event().unwrap_or(0);
        let mut follower = Follower::new(start, follower_settings());
        let mut apply = Apply {
            store: self.store.clone(),
            search: self.search.clone(),
        };
        let mut last_commit = Instant::now()
            .checked_sub(COMMIT_INTERVAL)
            .unwrap_or_else(Instant::now);
        let mut retry: Option<Duration> = None;
        let mut next_check = Instant::now();
        loop {
            let since = last_commit.elapsed();
            if retry.is_none() && since < COMMIT_INTERVAL {
                tokio::time::sleep(COMMIT_INTERVAL.saturating_sub(since)).await;
            }
            let wait = match self.pass(&mut follower, &mut apply).await {
                Ok(committed) => {
                    if committed {
                        last_commit = Instant::now();
                    }
                    if retry.take().is_some() {
                        tracing::info!("search indexer recovered");
                    }
                    self.search.status.recovered();
                    if follower.idle() && !follower.busy() && Instant::now() >= next_check {
                        next_check = Instant::now() + self.self_check().await;
                    }
                    if follower.busy() {
                        Duration::from_millis(50)
                    } else {
                        Duration::from_secs(2)
                    }
                }
                Err(e) => {
                    let delay = retry.map_or(FIRST_RETRY, |d| (d * 2).min(MAX_RETRY));
                    if retry.is_none() || delay == MAX_RETRY {
                        tracing::warn!(error = %e, retry_in_ms = delay.as_millis() as u64, "search indexer pass failed");
                    }
                    retry = Some(delay);
                    self.search.status.failed(&e);
                    delay
                }
            };
            tokio::select! {
                // While retrying, the backoff decides when to try again, not new commits.
                _ = commits.changed(), if retry.is_none() => {}
                () = tokio::time::sleep(wait) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        return;
                    }
                }
            }
        }
    }

    /// Follows a rebuilt generation if there is one, then reads new events unless a
    /// batch is still waiting and applies the batch; true when it committed.
    async fn pass(&self, follower: &mut Follower, apply: &mut Apply) -> Result<bool, Error> {
        let search = self.search.clone();
        let switched = self
            .store
            .background(move |_| search.follow_pointer())
            .await?;
        if let Some(last) = switched {
            // The rebuilt generation holds everything up to `last`, the batch included.
            follower.restart(last);
        }
        let applied = follower.pass(&self.store, apply).await;
        self.search
            .status
            .database_last_event
            .store(follower.newest(), Ordering::Relaxed);
        Ok(applied?.is_some())
    }

    /// Compares the index with the database and re-applies the posts that differ;
    /// returns when to check again. Cheap when they agree: two counts.
    async fn self_check(&self) -> Duration {
        let search = self.search.clone();
        match self
            .store
            .background(move |store| repair(store, &search))
            .await
        {
            Ok(0) => SELF_CHECK_EVERY,
            Ok(repaired) => {
                tracing::warn!(
                    posts = repaired,
                    "search self-check re-applied posts missing from or stale in the index"
                );
                self.search
                    .status
                    .repaired
                    .fetch_add(repaired, Ordering::Relaxed);
                SELF_CHECK_EVERY
            }
            Err(e) => {
                tracing::warn!(error = %e, "search self-check failed");
                SELF_CHECK_RETRY
            }
        }
    }
}

/// The self-check: when the index does not hold as many posts as the database has
/// indexable ones, finds the posts in one and not the other and rebuilds their documents
/// from the tables. Returns how many posts it re-applied.
fn repair(store: &Store, search: &Search) -> Result<u64, Error> {
    let index = search.live.get();
    let stored = store.read(maintenance::indexable_post_count)?;
    if index.num_docs() == u64::try_from(stored).unwrap_or(0) {
        return Ok(0);
    }
    let indexed: BTreeSet<i64> = index
        .post_ids()
        .map_err(search_error)?
        .into_iter()
        .collect();
    let mut in_database = BTreeSet::new();
    let mut after = 0;
    loop {
        let ids = store.read(|conn| maintenance::indexable_post_ids_after(conn, after, 5_000))?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        after = last;
        in_database.extend(ids);
    }
    let differing: Vec<i64> = indexed
        .symmetric_difference(&in_database)
        .copied()
        .collect();
    for chunk in differing.chunks(BATCH as usize) {
        let changes = store.read(|conn| changes_for(conn, chunk))?;
        let up_to = index.last_applied_event().unwrap_or(0);
        index.apply(changes, up_to).map_err(search_error)?;
    }
    Ok(differing.len() as u64)
}

/// Rebuilds the index from the database into a fresh generation and makes it the active
/// one (`kindred reindex`). A running server keeps answering from the old generation and
/// switches at its next indexer pass.
pub fn reindex(store: &Store, data_dir: &Path) -> Result<(u64, i64), Error> {
    let config = Search::config()?;
    let home = IndexHome::new(data_dir.join("search"));
    // The newest event is read before the posts: anything after it is applied below.
    let up_to = store.read(events::max_id)?;
    let mut docs = Vec::new();
    let mut after = 0;
    loop {
        let ids = store.read(|conn| posts::ids_after(conn, after, 5_000))?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        after = last;
        for change in store.read(|conn| changes_for(conn, &ids))? {
            if let Change::Upsert(doc) = change {
                docs.push(doc);
            }
        }
    }
    let fresh = home.rebuild(docs, up_to, &config).map_err(search_error)?;
    let newer = store.read(|conn| events::list_after(conn, up_to, i64::MAX / 2))?;
    if let Some(last) = newer.last().map(|row| row.id) {
        let changes = store.read(|conn| changes_for(conn, &touched_posts(&newer)))?;
        fresh.apply(changes, last).map_err(search_error)?;
    }
    home.activate(&fresh).map_err(search_error)?;
    let count = fresh.num_docs();
    let last = fresh.last_applied_event().unwrap_or(up_to);
    drop(fresh);
    home.remove_inactive().map_err(search_error)?;
    Ok((count, last))
}
