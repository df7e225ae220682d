//! Keeps this node's search index current from the `events` log.
//!
//! Each node has its own index under `$KINDRED_DATA_DIR/search` (generations plus a
//! `CURRENT` pointer, see `kindred_search::IndexHome`). The indexer reads events after the
//! last id committed into the index (stored in tantivy's commit payload), turns every
//! event that touches a post into an upsert or delete of that post *as it is now in the
//! database*, and commits the batch together with the new last id. Because documents are
//! rebuilt from the tables, replaying an event is harmless: after a crash it simply
//! catches up. Out-of-order commits on PostgreSQL are handled by the realtime
//! [`Sequencer`], which holds events back until the ids below them have appeared.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kindred_search::{
    Change, IndexHome, LiveIndex, PostDoc, PostStatus as IndexedStatus, SearchConfig, Synonyms,
};
use tokio::sync::watch;

use crate::domain::markdown::html_to_text;
use crate::error::Error;
use crate::realtime::tail::Sequencer;
use crate::store::events::{self, EventRow};
use crate::store::{posts, threads, users, DbConnection, Store};

const SYNONYMS: &str = include_str!("../../seed-data/search/synonyms.txt");
/// Events read per pass; documents per commit are bounded by this too.
const BATCH: i64 = 2_000;
/// At most one commit per this interval unless a full batch is waiting.
const COMMIT_INTERVAL: Duration = Duration::from_secs(1);
const GAP_WAIT: Duration = Duration::from_secs(3);

/// This node's search index and where it lives.
pub struct Search {
    pub live: LiveIndex,
    home: IndexHome,
    config: SearchConfig,
}

fn search_error(error: kindred_search::Error) -> Error {
    Error::Internal(format!("search index: {error}"))
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
        let index = home
            .open(&config)
            .map_err(|e| Error::Config(format!("cannot open the search index: {e}")))?;
        Ok(Search {
            live: LiveIndex::new(index),
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
    let author_ids: Vec<i64> = rows.iter().filter_map(|p| p.author_id).collect();
    let names: HashMap<i64, String> = users::find_many(conn, &author_ids)?
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
            author: post.author_id.and_then(|a| names.get(&a).cloned()),
            created_at: post.created_at,
            status: IndexedStatus::parse(&post.status).unwrap_or(IndexedStatus::Held),
        }));
    }
    Ok(changes)
}

/// Posts named by a batch of events.
fn touched_posts(rows: &[EventRow]) -> Vec<i64> {
    let posts: BTreeSet<i64> = rows.iter().filter_map(|row| row.post_id).collect();
    posts.into_iter().collect()
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
        let mut sequencer = Sequencer::new(start, GAP_WAIT);
        let mut last_commit = Instant::now() - COMMIT_INTERVAL;
        loop {
            let since = last_commit.elapsed();
            if since < COMMIT_INTERVAL {
                tokio::time::sleep(COMMIT_INTERVAL - since).await;
            }
            match self.pass(&mut sequencer).await {
                Ok(true) => last_commit = Instant::now(),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "search indexer pass failed"),
            }
            let wait = if sequencer.has_gaps() {
                Duration::from_millis(50)
            } else {
                Duration::from_secs(2)
            };
            tokio::select! {
                _ = commits.changed() => {}
                _ = tokio::time::sleep(wait) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() || *shutdown.borrow() {
                        return;
                    }
                }
            }
        }
    }

    /// Reads new events and applies what is ready; true when it committed.
    async fn pass(&self, sequencer: &mut Sequencer) -> Result<bool, Error> {
        let search = self.search.clone();
        let switched = tokio::task::spawn_blocking(move || search.follow_pointer())
            .await
            .map_err(|e| Error::Internal(e.to_string()))??;
        if let Some(last) = switched {
            *sequencer = Sequencer::new(last, GAP_WAIT);
        }
        let store = self.store.clone();
        let from = sequencer.read_from();
        let missing = sequencer.missing();
        let (rows, found) = tokio::task::spawn_blocking(move || {
            store.read_within(Duration::from_millis(500), |conn| {
                Ok((
                    events::list_after(conn, from, BATCH)?,
                    events::find_many(conn, &missing)?,
                ))
            })
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
        let now = Instant::now();
        sequencer.found(found);
        sequencer.accept(rows, now);
        let ready = sequencer.take_ready(now);
        let Some(last) = ready.iter().map(|row| row.id).max() else {
            return Ok(false);
        };
        let post_ids = touched_posts(&ready);
        let store = self.store.clone();
        let search = self.search.clone();
        tokio::task::spawn_blocking(move || {
            let changes = store.read(|conn| changes_for(conn, &post_ids))?;
            let index = search.live.get();
            if index
                .last_applied_event()
                .is_some_and(|applied| applied >= last)
            {
                return Ok(());
            }
            index.apply(changes, last).map_err(search_error)
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
        Ok(true)
    }
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
