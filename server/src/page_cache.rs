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
//! **HTML pages.** `GET /t/{id}` is kept per language (`pages::visitor_thread`). What
//! differs between visitors is spliced in when it is served: the page is rendered with a
//! random marker where the masked CSRF token goes, and each answer carries the reader's own
//! token, masked afresh. Its relative times ("3 minutes ago") are exact when rendered, so
//! the page expires at the first moment one of them would read differently, and after a
//! minute at most (which also bounds how old its `data-after` event id is). Its tag is one
//! per CSRF cookie, so a `304` never leaves a browser with a token it no longer holds.
//!
//! **Bounds.** Entries are evicted least recently used first once their bodies pass the
//! byte budget; a page over an eighth of the budget is not kept.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use actix_web::http::header::HeaderName;
use actix_web::web::Bytes;
use kindred_web::i18n::Lang;
use tokio::sync::watch;

use crate::store::events::{EventKind, EventRow};

/// Whether a visitor's page came from the page cache (`hit`) or was read and kept (`miss`).
pub static CACHE_STATUS: HeaderName = HeaderName::from_static("x-page-cache");

/// The default byte budget of the cache: about 200 pages of 40 KB.
pub const DEFAULT_BUDGET: usize = 8 * 1024 * 1024;

/// Which rendering of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageForm {
    /// `GET /api/v1/threads/{id}`.
    Json,
    /// `GET /t/{id}` in a language (a visitor's times are in UTC, so the zone is the same
    /// for all). Kept with slots for each reader's CSRF token and an expiry at the moment
    /// one of its relative times would read differently (`pages::visitor_thread`).
    Html(Lang),
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
    /// Where each reader's own CSRF token goes in `body`, in order (HTML pages).
    token_slots: Vec<usize>,
    /// When the page stops being what a fresh rendering would give; none: never by itself.
    expires_at: Option<Instant>,
}

impl CachedPage {
    /// The page and a weak tag over its bytes (`SipHash`, not a cryptographic hash: the tag
    /// only has to differ between versions of one page).
    pub fn tagged(body: Vec<u8>) -> CachedPage {
        let etag = weak_tag(&body, &[]);
        CachedPage {
            body: Bytes::from(body),
            etag,
            token_slots: Vec::new(),
            expires_at: None,
        }
    }

    /// A page rendered with `marker` wherever the reader's CSRF token goes, kept without
    /// the markers, until `expires_at`. The marker is random per rendering, so text in a
    /// post can never be taken for one; the tag covers the page without them, so the same
    /// page rendered twice has the same tag.
    pub fn with_token_slots(rendered: &str, marker: &str, expires_at: Instant) -> CachedPage {
        let parts: Vec<&str> = rendered.split(marker).collect();
        let mut body = Vec::with_capacity(rendered.len());
        let mut token_slots = Vec::with_capacity(parts.len() - 1);
        for (index, part) in parts.iter().enumerate() {
            if index > 0 {
                token_slots.push(body.len());
            }
            body.extend_from_slice(part.as_bytes());
        }
        let etag = weak_tag(&body, &token_slots);
        CachedPage {
            body: Bytes::from(body),
            etag,
            token_slots,
            expires_at: Some(expires_at),
        }
    }

    /// The page as one reader gets it: `token` in every slot.
    pub fn with_token(&self, token: &str) -> Bytes {
        if self.token_slots.is_empty() {
            return self.body.clone();
        }
        let mut filled = Vec::with_capacity(self.body.len() + self.token_slots.len() * token.len());
        let mut from = 0;
        for &slot in &self.token_slots {
            filled.extend_from_slice(&self.body[from..slot]);
            filled.extend_from_slice(token.as_bytes());
            from = slot;
        }
        filled.extend_from_slice(&self.body[from..]);
        Bytes::from(filled)
    }

    /// The page's tag for one reader: a page whose slots hold a token has one tag per CSRF
    /// cookie (`reader_key`), so a browser never keeps a page that carries a token it no
    /// longer holds. The tag names the cookie by the first bytes of its SHA-256 only.
    pub fn etag_for(&self, reader_key: &str) -> String {
        if self.token_slots.is_empty() {
            return self.etag.clone();
        }
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(reader_key.as_bytes());
        let opaque = self.etag.trim_start_matches("W/").trim_matches('"');
        format!(
            "W/\"{opaque}-{}\"",
            crate::domain::hex::lower_hex(&digest[..6])
        )
    }

    fn expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A weak tag over a page's bytes and where its token slots are.
fn weak_tag(body: &[u8], token_slots: &[usize]) -> String {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(body);
    for &slot in token_slots {
        hasher.write_usize(slot);
    }
    format!("W/\"{:016x}{:08x}\"", hasher.finish(), body.len())
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
        if inner
            .entries
            .get(key)
            .is_some_and(|entry| entry.page.expired(Instant::now()))
        {
            if let Some(gone) = inner.entries.remove(key) {
                inner.bytes -= gone.page.body.len();
            }
            return None;
        }
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
    use std::time::{Duration, Instant};
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
    #[test]
    fn an_html_page_takes_each_readers_token_and_tags_per_reader() {
        let marker = "csrf-slot-0123";
        let rendered = format!(
            "<form><input value=\"{marker}\"></form><p>csrf-slot-</p><i value=\"{marker}\">"
        );
        let later = Instant::now() + Duration::from_secs(60);
        let page = CachedPage::with_token_slots(&rendered, marker, later);
        assert!(!String::from_utf8_lossy(&page.body).contains(marker));
        assert_eq!(
            page.with_token("m.one"),
            "<form><input value=\"m.one\"></form><p>csrf-slot-</p><i value=\"m.one\">"
        );
        let again = CachedPage::with_token_slots(
            &rendered.replace(marker, "csrf-slot-9"),
            "csrf-slot-9",
            later,
        );
        assert_eq!(page.etag, again.etag, "the same page, whatever its marker");
        assert_ne!(page.etag_for("cookie-a"), page.etag_for("cookie-b"));
        assert_eq!(page.etag_for("cookie-a"), again.etag_for("cookie-a"));
        assert!(!page.etag_for("cookie-a").contains("cookie-a"));
        let json = CachedPage::tagged(b"{}".to_vec());
        assert_eq!(json.etag_for("cookie-a"), json.etag);
        assert_eq!(json.with_token("m.one"), json.body);
    }

    #[test]
    fn an_expired_page_is_not_served() {
        let cache = cache(1 << 20);
        let html = |thread_id| PageKey {
            form: PageForm::Html(kindred_web::i18n::Lang::En),
            ..key(thread_id)
        };
        let gone = Instant::now();
        cache.insert(
            html(1),
            Arc::new(CachedPage::with_token_slots("<p>1</p>", "x-slot", gone)),
            cache.generation(),
        );
        let later = Instant::now() + Duration::from_secs(60);
        cache.insert(
            html(2),
            Arc::new(CachedPage::with_token_slots("<p>2</p>", "x-slot", later)),
            cache.generation(),
        );
        assert!(cache.get(&html(1)).is_none());
        assert!(cache.get(&html(2)).is_some());
        assert!(
            cache.get(&key(2)).is_none(),
            "the JSON page is another entry"
        );
        assert_eq!(cache.bytes(), "<p>2</p>".len());
    }
}
