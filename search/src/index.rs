//! One index directory: open, keep current, search, rebuild.
//!
//! Vocabulary: a [`SearchIndex`] is one tantivy index in one directory, with its single
//! *writer* and its *reader*. The *event cursor* is the id of the last event of the
//! server's `events` log the index reflects; [`SearchIndex::apply`] writes a batch of
//! [`Change`]s and that id in one *commit* (tantivy stores the id in the commit
//! *payload*, atomically with the documents), so after any crash
//! [`SearchIndex::last_applied_event`] tells the server where to resume. Changes are
//! idempotent (upsert and delete by post id), so re-applying events after that id is
//! safe.
//!
//! Crash safety: tantivy's writer lock is an OS file lock (`flock`), released by the
//! kernel when the process dies, so a directory left by `kill -9` opens normally; the
//! lock file that stays behind is harmless. Files of the uncommitted segments are
//! garbage-collected by the next writer.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{Field, Term};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, TantivyError,
};

use crate::analysis::tokenizer_manager;
use crate::document::{Change, PostDoc, PostStatus};
use crate::error::Error;
use crate::language::TextLanguage;
use crate::page::{
    collect_all, collect_newest, collect_pruned, cursor_after, Cursor, PageCollector, Sort,
};
use crate::query::{CompileInput, ParsedQuery, Visibility};
use crate::schema::{Fields, FORMAT_VERSION, POST_ID};
use crate::snippet::{body_html, title_html, SNIPPET_CHARS, TITLE_CHARS};
use crate::synonyms::Synonyms;

/// Largest page a search may ask for.
pub const MAX_PAGE_SIZE: usize = 100;
/// Page size of [`SearchRequest::new`].
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// Stands for "no event applied yet" in the atomic.
const NO_EVENT: i64 = i64::MIN;

/// How an index is opened and written.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// The query-time synonyms (parse `seed-data/search/synonyms.txt`).
    pub synonyms: Arc<Synonyms>,
    /// Memory budget of the long-lived incremental writer, split between its threads.
    /// Tantivy needs at least 15 MB per thread.
    pub writer_memory_bytes: usize,
    /// Indexing threads of the incremental writer.
    pub writer_threads: usize,
    /// Memory budget of a rebuild's writer (dropped when the rebuild ends).
    pub rebuild_memory_bytes: usize,
    /// Indexing threads of a rebuild's writer.
    pub rebuild_threads: usize,
    /// Threads one search may spread its index segments over (1: the calling thread).
    /// Shared by all searches of an index, so concurrent searches queue for them.
    pub search_threads: usize,
}

impl SearchConfig {
    /// Defaults sized for a small server: a 32 MB single-threaded incremental writer,
    /// and a 128 MB rebuild writer with one thread per core (at most 4). On 2 cores,
    /// 64 MB per indexing thread indexed fastest of 32–512 MB budgets. Searches use
    /// every core (at most 4).
    pub fn new(synonyms: Synonyms) -> SearchConfig {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        SearchConfig {
            synonyms: Arc::new(synonyms),
            writer_memory_bytes: 32_000_000,
            writer_threads: 1,
            rebuild_memory_bytes: 128_000_000,
            rebuild_threads: cores.clamp(1, 4),
            search_threads: cores.clamp(1, 4),
        }
    }
}

/// What the commit payload holds.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    format: u32,
    last_event: i64,
}

/// One search.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The parsed query, with its `community:` slugs resolved.
    pub query: ParsedQuery,
    /// What the viewer may see.
    pub visibility: Visibility,
    /// A moderator asks to see held and removed posts too — only those of the
    /// communities in [`Visibility::moderated`].
    pub include_hidden: bool,
    pub sort: Sort,
    /// Page size, 1 to [`MAX_PAGE_SIZE`].
    pub limit: usize,
    /// The [`SearchResults::next_cursor`] of the previous page; `None` for the first.
    pub cursor: Option<Cursor>,
    /// Count every match exactly, giving up the pruning that makes relevance searches
    /// for common words fast (see [`SearchResults::total_estimate`]).
    pub exact_count: bool,
}

impl SearchRequest {
    /// The first page of a relevance search, [`DEFAULT_PAGE_SIZE`] hits, published only.
    pub fn new(query: ParsedQuery, visibility: Visibility) -> SearchRequest {
        SearchRequest {
            query,
            visibility,
            include_hidden: false,
            sort: Sort::Relevance,
            limit: DEFAULT_PAGE_SIZE,
            cursor: None,
            exact_count: false,
        }
    }
}

/// One page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// How many visible posts match (all pages). Exact up to 4,096 matches per index
    /// segment. Above that it is estimated — extrapolated from where counting stopped —
    /// for the searches that do not read every match: relevance searches whose words are
    /// single terms (with their one-word synonyms), and newest-first searches that found
    /// their page in a recent window. Either way it counts only posts the viewer may see.
    pub total_estimate: u64,
    /// Pass back in [`SearchRequest::cursor`] for the next page; `None` on the last.
    pub next_cursor: Option<Cursor>,
}

/// One matching post.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub post_id: i64,
    pub thread_id: i64,
    pub community_id: i64,
    pub author: Option<String>,
    pub created_at: i64,
    pub status: PostStatus,
    /// BM25 relevance (0 when sorting by newest).
    pub score: f32,
    /// The thread title as stored (plain text).
    pub title: String,
    /// The thread title, HTML-escaped, matched terms in `<mark>`.
    pub title_html: String,
    /// A fragment of the body, HTML-escaped, matched terms in `<mark>`.
    pub snippet_html: String,
}

/// A tantivy index in one directory, with its writer and reader.
pub struct SearchIndex {
    path: PathBuf,
    fields: Fields,
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    last_event: AtomicI64,
    synonyms: Arc<Synonyms>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SearchIndex")
            .field("path", &self.path)
            .field("last_applied_event", &self.last_applied_event())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    /// Works on a directory left by a killed process. Fails with
    /// [`Error::IncompatibleIndex`] if the directory was written by another schema
    /// version (rebuild it), and [`Error::IndexLocked`] if a live writer holds it.
    pub fn open(dir: &Path, config: &SearchConfig) -> Result<SearchIndex, Error> {
        std::fs::create_dir_all(dir)?;
        let fields = Fields::new();
        let directory = MmapDirectory::open(dir).map_err(TantivyError::from)?;
        let mut index = Index::builder()
            .schema(fields.schema.clone())
            .tokenizers(tokenizer_manager())
            .open_or_create(directory)
            .map_err(|error| match error {
                TantivyError::SchemaError(_) => Error::IncompatibleIndex {
                    path: dir.to_owned(),
                },
                other => Error::Tantivy(other),
            })?;
        let last_event = match index.load_metas()?.payload {
            None => NO_EVENT,
            Some(text) => {
                let payload: Payload = serde_json::from_str(&text)?;
                if payload.format != FORMAT_VERSION {
                    return Err(Error::IncompatibleIndex {
                        path: dir.to_owned(),
                    });
                }
                payload.last_event
            }
        };
        if config.search_threads > 1 {
            index.set_multithread_executor(config.search_threads)?;
        }
        let writer = index
            .writer_with_num_threads(config.writer_threads, config.writer_memory_bytes)
            .map_err(|error| match error {
                TantivyError::LockFailure(..) => Error::IndexLocked {
                    path: dir.to_owned(),
                },
                other => Error::Tantivy(other),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            path: dir.to_owned(),
            fields,
            index,
            reader,
            writer: Mutex::new(writer),
            last_event: AtomicI64::new(last_event),
            synonyms: Arc::clone(&config.synonyms),
        })
    }

    /// The directory this index lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The id of the last event whose changes are committed, `None` for an index that
    /// never committed one. The server resumes reading its event log after it.
    pub fn last_applied_event(&self) -> Option<i64> {
        match self.last_event.load(Ordering::Acquire) {
            NO_EVENT => None,
            event => Some(event),
        }
    }

    /// Number of posts in the index (all statuses) as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Applies a batch of changes and commits them together with `up_to_event`, the id of
    /// the last event they reflect. An upsert replaces the post with the same id; a
    /// delete of an unknown post is a no-op; later changes to the same post in one batch
    /// win. An empty batch still moves the event cursor (events that do not touch posts).
    /// When this returns, searches see the changes. On error nothing of the batch is
    /// committed.
    pub fn apply(
        &self,
        changes: impl IntoIterator<Item = Change>,
        up_to_event: i64,
    ) -> Result<(), Error> {
        let mut writer = self.lock_writer();
        if let Some(applied) = self.last_applied_event() {
            if up_to_event < applied {
                return Err(Error::EventWentBackwards {
                    applied,
                    requested: up_to_event,
                });
            }
        }
        let result = self.write_batch(&mut writer, changes, up_to_event);
        if let Err(error) = result {
            // Drop whatever part of the batch reached the writer (a rollback also
            // replaces a writer whose threads died); the error we report is the
            // original one, unless the disk is full: tantivy's indexing threads report
            // that as a killed writer, without the I/O error.
            let _ = writer.rollback();
            if disk_is_full(&self.path) {
                return Err(Error::DiskFull {
                    path: self.path.clone(),
                });
            }
            return Err(error);
        }
        self.last_event.store(up_to_event, Ordering::Release);
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn write_batch(
        &self,
        writer: &mut IndexWriter,
        changes: impl IntoIterator<Item = Change>,
        up_to_event: i64,
    ) -> Result<(), Error> {
        for change in changes {
            match change {
                Change::Upsert(post) => {
                    writer.delete_term(self.id_term(post.post_id));
                    writer.add_document(self.fields.to_document(&post))?;
                }
                Change::Delete { post_id } => {
                    writer.delete_term(self.id_term(post_id));
                }
            }
        }
        commit_with_event(writer, up_to_event)
    }

    fn id_term(&self, post_id: i64) -> Term {
        Term::from_field_i64(self.fields.post_id, post_id)
    }

    fn lock_writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock cannot leave the writer half-committed in a way
        // tantivy does not recover from (a later commit or rollback resets it).
        self.writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs a search. Fails with a client error for a bad limit or cursor, and
    /// [`Error::UnresolvedCommunity`] if `community:` slugs were not resolved.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, Error> {
        if request.limit == 0 || request.limit > MAX_PAGE_SIZE {
            return Err(Error::InvalidLimit {
                limit: request.limit,
                max: MAX_PAGE_SIZE,
            });
        }
        let after = request
            .cursor
            .map(|cursor| cursor.key_for(request.sort))
            .transpose()?;
        let searcher = self.reader.searcher();
        let compiled = request.query.compile(&CompileInput {
            fields: &self.fields,
            synonyms: &self.synonyms,
            visibility: &request.visibility,
            include_hidden: request.include_hidden,
            spanish_indexed: self.has_spanish_posts(&searcher)?,
        })?;
        let collector = PageCollector {
            sort: request.sort,
            keep: request.limit + 1,
            after,
        };
        let query = &*compiled.query;
        let mut page = match (&compiled.split, request.sort) {
            _ if request.exact_count => collect_all(&searcher, query, &collector)?,
            (Some(split), Sort::Relevance) => collect_pruned(&searcher, split, query, &collector)?,
            (_, Sort::Newest) => {
                collect_newest(&searcher, query, &collector, self.fields.created_at)?
            }
            (None, Sort::Relevance) => collect_all(&searcher, query, &collector)?,
        };
        let next_cursor = if page.hits.len() > request.limit {
            page.hits.truncate(request.limit);
            page.hits
                .last()
                .map(|(key, _)| cursor_after(request.sort, *key))
        } else {
            None
        };
        let mut documents = Vec::with_capacity(page.hits.len());
        for (key, address) in page.hits {
            let document: TantivyDocument = searcher.doc(address)?;
            let language = self.fields.language_of(&document);
            documents.push((key, self.fields.read_document(&document), language));
        }
        let any_spanish = documents
            .iter()
            .any(|(_, _, language)| *language == TextLanguage::Spanish);
        let generator = |field: Field, chars: usize| -> Result<Option<SnippetGenerator>, Error> {
            let Some(highlight) = &compiled.highlight else {
                return Ok(None);
            };
            let mut generator = SnippetGenerator::create(&searcher, &**highlight, field)?;
            generator.set_max_num_chars(chars);
            Ok(Some(generator))
        };
        let (body_snippets, title_snippets) = if documents.is_empty() {
            (None, None)
        } else {
            (
                generator(self.fields.body, SNIPPET_CHARS)?,
                generator(self.fields.title, TITLE_CHARS)?,
            )
        };
        // Spanish hits are highlighted with the Spanish analysis first ("quimioterapias"
        // for a search for "quimio"), so their generators are made only when needed.
        let (body_es_snippets, title_es_snippets) = if any_spanish {
            (
                generator(self.fields.body_es, SNIPPET_CHARS)?,
                generator(self.fields.title_es, TITLE_CHARS)?,
            )
        } else {
            (None, None)
        };
        let mut hits = Vec::with_capacity(documents.len());
        for (key, post, language) in documents {
            let (body_generators, title_generators): (Vec<_>, Vec<_>) =
                if language == TextLanguage::Spanish {
                    (
                        body_es_snippets.iter().chain(&body_snippets).collect(),
                        title_es_snippets.iter().chain(&title_snippets).collect(),
                    )
                } else {
                    (
                        body_snippets.iter().collect(),
                        title_snippets.iter().collect(),
                    )
                };
            hits.push(Hit {
                post_id: post.post_id,
                thread_id: post.thread_id,
                community_id: post.community_id,
                author: post.author,
                created_at: post.created_at,
                status: post.status,
                score: match request.sort {
                    Sort::Relevance => key.score(),
                    Sort::Newest => 0.0,
                },
                title_html: title_html(&title_generators, &post.thread_title),
                snippet_html: body_html(&body_generators, &post.body),
                title: post.thread_title,
            });
        }
        Ok(SearchResults {
            hits,
            total_estimate: page.total,
            next_cursor,
        })
    }

    /// Whether any post was analysed the Spanish way (it then has Spanish terms). When
    /// none was, searches leave out the Spanish fields, which could match nothing: an
    /// English-only index pays nothing for them.
    fn has_spanish_posts(&self, searcher: &Searcher) -> Result<bool, Error> {
        for segment in searcher.segment_readers() {
            for field in [self.fields.body_es, self.fields.title_es] {
                if segment.inverted_index(field)?.terms().num_terms() > 0 {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Every post in the index, in post id order. For tests and consistency checks on
    /// small indexes; it reads every stored document.
    pub fn all_posts(&self) -> Result<Vec<PostDoc>, Error> {
        let searcher = self.reader.searcher();
        let mut posts = Vec::new();
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let segment_ord = segment_ord as u32;
            for doc in segment.doc_ids_alive() {
                let document: TantivyDocument =
                    searcher.doc(tantivy::DocAddress::new(segment_ord, doc))?;
                posts.push(self.fields.read_document(&document));
            }
        }
        posts.sort_by_key(|post| post.post_id);
        Ok(posts)
    }

    /// The id of every post in the index as of the last commit, unordered. Reads only the
    /// `post_id` column (8 bytes a post), so a periodic consistency check can afford it.
    pub fn post_ids(&self) -> Result<Vec<i64>, Error> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(usize::try_from(searcher.num_docs()).unwrap_or(0));
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().i64(POST_ID)?;
            ids.extend(segment.doc_ids_alive().filter_map(|doc| column.first(doc)));
        }
        Ok(ids)
    }

    /// The tantivy index, for diagnostics (segment counts, space usage).
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }
}

/// Whether the file system under `dir` refuses a small write for lack of space (the
/// size of a few index blocks, so a nearly full disk counts as full).
fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write;
    const PROBE_BYTES: usize = 64 * 1024;
    let probe = dir.join(".space-probe");
    let written =
        std::fs::File::create(&probe).and_then(|mut file| file.write_all(&vec![0u8; PROBE_BYTES]));
    let _ = std::fs::remove_file(&probe);
    matches!(written, Err(error) if error.kind() == std::io::ErrorKind::StorageFull)
}

fn commit_with_event(writer: &mut IndexWriter, up_to_event: i64) -> Result<(), Error> {
    let payload = serde_json::to_string(&Payload {
        format: FORMAT_VERSION,
        last_event: up_to_event,
    })?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

/// Builds a fresh index of `posts` in `into_dir` (which must be empty or absent) and
/// commits it with `up_to_event`, then opens it. Meant to run beside a live index that
/// keeps answering; see [`IndexHome`](crate::IndexHome) for the swap. `posts` must not
/// repeat a post id. On error `into_dir` holds an unusable partial index: delete it.
///
/// Read `up_to_event` (the newest event id) *before* reading the posts: events after it
/// are then re-applied on top, and re-applying is harmless, whereas reading it after
/// could skip a change.
pub fn rebuild(
    into_dir: &Path,
    posts: impl IntoIterator<Item = PostDoc>,
    up_to_event: i64,
    config: &SearchConfig,
) -> Result<SearchIndex, Error> {
    if into_dir.exists() && std::fs::read_dir(into_dir)?.next().is_some() {
        return Err(Error::RebuildTargetNotEmpty {
            path: into_dir.to_owned(),
        });
    }
    std::fs::create_dir_all(into_dir)?;
    let fields = Fields::new();
    let index = Index::builder()
        .schema(fields.schema.clone())
        .tokenizers(tokenizer_manager())
        .create_in_dir(into_dir)?;
    let mut writer: IndexWriter =
        index.writer_with_num_threads(config.rebuild_threads, config.rebuild_memory_bytes)?;
    let mut seen: HashSet<i64> = HashSet::new();
    for post in posts {
        if !seen.insert(post.post_id) {
            return Err(Error::DuplicatePost {
                post_id: post.post_id,
            });
        }
        writer.add_document(fields.to_document(&post))?;
    }
    commit_with_event(&mut writer, up_to_event)?;
    writer.wait_merging_threads()?;
    drop(index);
    SearchIndex::open(into_dir, config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(post_id: i64) -> PostDoc {
        PostDoc {
            post_id,
            thread_id: 1,
            community_id: 1,
            thread_title: "Title".to_owned(),
            body: format!("body of post {post_id}"),
            author: None,
            created_at: post_id,
            status: PostStatus::Published,
            language: None,
        }
    }

    fn ids(index: &SearchIndex) -> Vec<i64> {
        let posts = index.all_posts().unwrap();
        posts.iter().map(|post| post.post_id).collect()
    }

    #[test]
    fn the_server_can_share_an_index_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<SearchIndex>();
        shareable::<crate::LiveIndex>();
        shareable::<SearchConfig>();
        shareable::<SearchRequest>();
    }

    #[test]
    fn post_ids_lists_the_live_documents() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path(), &SearchConfig::new(Synonyms::empty())).unwrap();
        index
            .apply([Change::Upsert(post(3)), Change::Upsert(post(1))], 1)
            .unwrap();
        index
            .apply(
                [
                    Change::Upsert(post(7)),
                    Change::Upsert(post(3)),
                    Change::Delete { post_id: 1 },
                ],
                2,
            )
            .unwrap();
        let mut listed = index.post_ids().unwrap();
        listed.sort_unstable();
        assert_eq!(listed, ids(&index));
        assert_eq!(listed, [3, 7]);
    }

    #[test]
    fn reopening_after_dropping_an_uncommitted_writer() {
        let dir = tempfile::tempdir().unwrap();
        let config = SearchConfig::new(Synonyms::empty());
        {
            let index = SearchIndex::open(dir.path(), &config).unwrap();
            index.apply([Change::Upsert(post(1))], 5).unwrap();
            let writer = index.lock_writer();
            writer
                .add_document(index.fields.to_document(&post(2)))
                .unwrap();
            writer.delete_term(index.id_term(1));
        } // the index and its writer are dropped without a commit
          // A lock file left behind (as after kill -9) must not matter either.
        std::fs::write(dir.path().join(".tantivy-writer.lock"), b"").unwrap();
        let index = SearchIndex::open(dir.path(), &config).unwrap();
        assert_eq!(index.last_applied_event(), Some(5));
        assert_eq!(ids(&index), [1]);
        index.apply([Change::Upsert(post(3))], 6).unwrap();
        assert_eq!(ids(&index), [1, 3]);
    }

    #[test]
    fn an_index_of_another_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let config = SearchConfig::new(Synonyms::empty());
        {
            let index = SearchIndex::open(dir.path(), &config).unwrap();
            let mut writer = index.lock_writer();
            let mut prepared = writer.prepare_commit().unwrap();
            prepared.set_payload(r#"{"format":999,"last_event":1}"#);
            prepared.commit().unwrap();
        }
        let error = SearchIndex::open(dir.path(), &config).unwrap_err();
        assert!(
            matches!(error, Error::IncompatibleIndex { .. }),
            "{error:?}"
        );
    }

    #[test]
    fn a_home_replaces_an_index_of_another_format_with_an_empty_one() {
        let root = tempfile::tempdir().unwrap();
        let home = crate::IndexHome::new(root.path());
        let config = SearchConfig::new(Synonyms::empty());
        {
            let index = home.open(&config).unwrap();
            index.apply([Change::Upsert(post(1))], 7).unwrap();
            let mut writer = index.lock_writer();
            let mut prepared = writer.prepare_commit().unwrap();
            prepared.set_payload(r#"{"format":1,"last_event":7}"#);
            prepared.commit().unwrap();
        }
        let old = root.path().join(home.active_generation().unwrap().unwrap());
        let index = home.open(&config).unwrap();
        assert_eq!(index.last_applied_event(), None);
        assert_eq!(index.num_docs(), 0);
        assert_eq!(
            home.active_generation().unwrap().as_deref(),
            Some("gen-000002")
        );
        assert!(!old.exists());
        index.apply([Change::Upsert(post(1))], 8).unwrap();
        drop(index);
        assert_eq!(home.open(&config).unwrap().num_docs(), 1);
    }
}
