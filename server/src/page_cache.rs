//! The thread page cache (issue 22): serialised thread pages for signed-out visitors of
//! public communities, kept in memory and invalidated from the `events` log.
//!
//! **Whose pages.** Only a visitor's page is cached, and only where the community is
//! public: such a page carries nothing about its reader (no reactions of theirs, read
//! positions, blocks, content-note choices, moderator views), so every visitor may get the
//! same bytes. A signed-in member's page is always built for them, and a private
//! community's page never enters the cache (a visitor gets its 404 anyway).
//!
//! **Invalidation.** The realtime event tail (`realtime::tail`), which every node runs on
//! the shared log (woken by local commits, Redis announcements and polling), hands each
//! batch to [`PageCache::invalidate`] before delivering it: an event naming a thread drops
//! that thread's pages, an event that cannot change a visitor's page is ignored, and any
//! other (a rename, an erasure, a community's settings or default content notes, a
//! memorial) drops everything. Writes that change a page without an event of their own log
//! `page.changed` for this.
//!
//! **Races.** A page read from the database before a write committed must not be stored
//! after that write's event invalidated the cache: every invalidation moves a generation,
//! and [`PageCache::insert`] refuses a page whose reading began before the current one.
//! And a write on this node shows at once: while the tail has not yet read the log past
//! this node's last commit ([`crate::store::Store::commits`]), the cache answers nothing
//! and pages are read afresh. A write on another node shows once this node's tail reads
//! it (at once with Redis, else within the poll interval).
//!
//! **Bounds.** Entries are evicted least recently used first once their bodies pass the
//! byte budget; a page over an eighth of the budget is not kept.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix_web::web::Bytes;
use tokio::sync::watch;

use crate::store::events::{EventKind, EventRow};

/// The default byte budget of the cache: about 200 pages of 40 KB.
pub const DEFAULT_BUDGET: usize = 8 * 1024 * 1024;

/// Which rendering of a page. Only the API's so far: the HTML page carries per-request
/// parts (the masked CSRF token, times relative to now, the reply form's key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageForm {
    /// `GET /api/v1/threads/{id}`.
    Json,
}

/// One cached page: the thread, the rendering and the page asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub thread_id: i64,
    pub form: PageForm,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page's bytes and its weak `ETag`.
#[derive(Debug)]
pub struct CachedPage {
    pub body: Bytes,
    pub etag: String,
}

impl CachedPage {
    /// The page and a weak tag over its bytes (`SipHash`, not a cryptographic hash: the tag
    /// only has to differ between versions of one page).
    pub fn tagged(body: Vec<u8>) -> CachedPage {
        use std::hash::Hasher;
        let mut hasher = std::hash::DefaultHasher::new();
        hasher.write(&body);
        let etag = format!("W/\"{:016x}{:08x}\"", hasher.finish(), body.len());
        CachedPage {
            body: Bytes::from(body),
            etag,
        }
    }
}

/// The generation a page's reading began in; see [`PageCache::insert`].
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

struct Entry {
    page: Arc<CachedPage>,
    last_used: u64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<PageKey, Entry>,
    bytes: usize,
    clock: u64,
    generation: u64,
}

impl Inner {
    fn remove_where(&mut self, doomed: impl Fn(&PageKey) -> bool) {
        let mut freed = 0;
        self.entries.retain(|key, entry| {
            let drop = doomed(key);
            if drop {
                freed += entry.page.body.len();
            }
            !drop
        });
        self.bytes -= freed;
    }
}

/// See the module documentation.
pub struct PageCache {
    budget: usize,
    inner: Mutex<Inner>,
    /// This node's count of committed writes, and the count the tail has read the log past.
    local_commits: watch::Receiver<u64>,
    caught_up: AtomicU64,
}

impl PageCache {
    /// A cache of `budget` bytes that trusts itself only once the tail has read past the
    /// commits counted by `local_commits`.
    pub fn new(budget: usize, local_commits: watch::Receiver<u64>) -> PageCache {
        PageCache {
            budget,
            inner: Mutex::new(Inner::default()),
            local_commits,
            caught_up: AtomicU64::new(0),
        }
    }

    /// Called by the tail when it has handed on everything in the log after this node's
    /// `commits`-th commit.
    pub fn caught_up_with(&self, commits: u64) {
        self.caught_up.fetch_max(commits, Ordering::Release);
    }

    // A panic while holding the lock leaves the map consistent (no step splits an update),
    // so a poisoned lock is still usable.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached page, if any, marked as just used; none while a local write may not have
    /// invalidated it yet.
    pub fn get(&self, key: &PageKey) -> Option<Arc<CachedPage>> {
        if *self.local_commits.borrow() > self.caught_up.load(Ordering::Acquire) {
            return None;
        }
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let entry = inner.entries.get_mut(key)?;
        entry.last_used = now;
        Some(entry.page.clone())
    }

    /// Taken before reading a page from the database, handed to [`insert`](Self::insert).
    pub fn generation(&self) -> Generation {
        Generation(self.lock().generation)
    }

    /// Keeps a page read in `read_in`, unless the cache was invalidated since (the page may
    /// predate that change) or the page is too large for the budget.
    pub fn insert(&self, key: PageKey, page: Arc<CachedPage>, read_in: Generation) {
        let size = page.body.len();
        if size > self.budget / 8 {
            return;
        }
        let mut inner = self.lock();
        if inner.generation != read_in.0 {
            return;
        }
        inner.clock += 1;
        let now = inner.clock;
        if let Some(old) = inner.entries.insert(
            key,
            Entry {
                page,
                last_used: now,
            },
        ) {
            inner.bytes -= old.page.body.len();
        }
        inner.bytes += size;
        while inner.bytes > self.budget {
            let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| key.clone())
            else {
                break;
            };
            if let Some(entry) = inner.entries.remove(&oldest) {
                inner.bytes -= entry.page.body.len();
            }
        }
    }

    /// Drops the pages a batch of the log may have changed (see the module documentation).
    pub fn invalidate(&self, rows: &[EventRow]) {
        let mut threads = Vec::new();
        let mut everything = false;
        for row in rows {
            match (row.thread_id, EventKind::parse(&row.kind)) {
                (Some(thread), _) => threads.push(thread),
                (None, Some(kind)) if leaves_pages_alone(kind) => {}
                (None, _) => everything = true,
            }
        }
        if threads.is_empty() && !everything {
            return;
        }
        let mut inner = self.lock();
        inner.generation += 1;
        if everything {
            inner.entries.clear();
            inner.bytes = 0;
        } else {
            inner.remove_where(|key| threads.contains(&key.thread_id));
        }
    }

    /// The bytes the cached pages take.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// Events without a thread that cannot change what a visitor's thread page shows.
fn leaves_pages_alone(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::UserRegistered
            | EventKind::NotificationCreated
            | EventKind::ModerationQueued
            | EventKind::ModerationPolicyChanged
            | EventKind::WellbeingOpened
            | EventKind::BlockChanged
            | EventKind::MessageCreated
            | EventKind::MessageStatusChanged
            | EventKind::MessageReported
            | EventKind::MuteChanged
            | EventKind::CommunityCreated
            | EventKind::SurveyOpened
    )
}

#[cfg(test)]
mod tests {
    use super::{CachedPage, PageCache, PageForm, PageKey};
    use crate::store::events::EventRow;
    use std::sync::Arc;
    use tokio::sync::watch;

    fn cache(budget: usize) -> PageCache {
        // A node without local writes: the sender may go, the count stays 0.
        PageCache::new(budget, watch::channel(0).1)
    }

    fn key(thread_id: i64) -> PageKey {
        PageKey {
            thread_id,
            form: PageForm::Json,
            cursor: None,
            limit: 50,
        }
    }

    fn page(size: usize) -> Arc<CachedPage> {
        Arc::new(CachedPage::tagged(vec![b'x'; size]))
    }

    fn event(kind: &str, thread_id: Option<i64>) -> EventRow {
        EventRow {
            id: 1,
            kind: kind.into(),
            community_id: Some(1),
            thread_id,
            post_id: None,
            actor_id: None,
            payload: "{}".into(),
            created_at: 0,
        }
    }

    #[test]
    fn evicts_the_least_recently_used_past_the_budget() {
        let cache = cache(8000);
        for thread in 1..=3 {
            cache.insert(key(thread), page(900), cache.generation());
        }
        assert!(cache.get(&key(1)).is_some());
        for thread in 4..=9 {
            cache.insert(key(thread), page(900), cache.generation());
        }
        assert!(cache.bytes() <= 8000);
        assert!(cache.get(&key(1)).is_some(), "recently used stays");
        assert!(cache.get(&key(2)).is_none(), "least recently used goes");
        cache.insert(key(10), page(1001), cache.generation());
        assert!(
            cache.get(&key(10)).is_none(),
            "over an eighth of the budget"
        );
    }

    #[test]
    fn an_event_drops_its_thread_and_refuses_pages_read_before_it() {
        let cache = cache(1 << 20);
        cache.insert(key(1), page(10), cache.generation());
        cache.insert(key(2), page(10), cache.generation());
        let before = cache.generation();
        cache.invalidate(&[event("post.created", Some(1))]);
        assert!(cache.get(&key(1)).is_none());
        assert!(cache.get(&key(2)).is_some());
        cache.insert(key(1), page(10), before);
        assert!(cache.get(&key(1)).is_none(), "read before the change");
        cache.invalidate(&[event("block.changed", None)]);
        assert!(cache.get(&key(2)).is_some());
        cache.invalidate(&[event("user.profile_updated", None)]);
        assert!(cache.get(&key(2)).is_none());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn answers_nothing_until_the_tail_read_past_local_commits() {
        let (commits, seen) = watch::channel(0_u64);
        let cache = PageCache::new(1 << 20, seen);
        cache.insert(key(1), page(10), cache.generation());
        assert!(cache.get(&key(1)).is_some());
        commits.send_replace(1);
        assert!(cache.get(&key(1)).is_none(), "a local write not yet read");
        cache.caught_up_with(1);
        assert!(cache.get(&key(1)).is_some());
    }
}
