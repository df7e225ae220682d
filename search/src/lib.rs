//! Kindred's full-text search over forum posts, on tantivy.
//!
//! Vocabulary:
//! - A *post document* ([`PostDoc`]) is what the server feeds in for one post; a
//!   [`Change`] upserts or deletes one. The crate never reads the database and knows no
//!   SQL: it owns one directory and nothing else.
//! - The *event cursor* ([`SearchIndex::last_applied_event`]) is the id of the last event
//!   of the server's `events` log committed to the index, stored in the same commit as the
//!   documents ([`SearchIndex::apply`]).
//! - A *query* is text in Kindred's query language ([`ParsedQuery`]: words, `"phrases"`,
//!   `-exclusions`, `community:`, `author:`, `before:`, `after:`), expanded at query time
//!   with health *synonyms* ([`Synonyms`], data in `seed-data/search/synonyms.txt`).
//! - *Visibility* ([`Visibility`]) is part of the query: the communities the viewer may
//!   read, and those they moderate (whose held and removed posts they may ask for).
//! - A *page* of [`SearchResults`] has hits with HTML-safe highlighted snippets, a
//!   `total_estimate` and an opaque keyset [`Cursor`] for the next page.
//! - An [`IndexHome`] keeps index *generations* and a `CURRENT` pointer, so a
//!   [`rebuild`] can be built beside the live index and swapped in
//!   ([`LiveIndex::replace`]).
//!
//! The server's call sequence:
//!
//! 1. Start: `let config = SearchConfig::new(Synonyms::parse(include_str!(…))?);`
//!    `let live = LiveIndex::new(IndexHome::new(dir).open(&config)?);`
//! 2. Indexing loop: read events after `live.get().last_applied_event()`, turn those that
//!    touch posts into [`Change`]s (reading the rows), then
//!    `live.get().apply(changes, last_event_id)`. Re-applying is harmless, so a crash
//!    anywhere only repeats work.
//! 3. Search: `ParsedQuery::parse(text)?` (client errors → 400), `resolve_communities`,
//!    build a [`SearchRequest`] with the viewer's [`Visibility`], `live.get().search(&request)?`.
//! 4. Rebuild (schema change, [`Error::IncompatibleIndex`], repair): see [`IndexHome`].
//!
//! ```
//! use kindred_search::{
//!     Change, ParsedQuery, PostDoc, PostStatus, SearchConfig, SearchIndex, SearchRequest,
//!     Synonyms, Visibility,
//! };
//!
//! # fn main() -> Result<(), kindred_search::Error> {
//! let dir = tempfile::tempdir()?;
//! let synonyms = Synonyms::parse("NSCLC, non-small cell lung cancer")?;
//! let index = SearchIndex::open(dir.path(), &SearchConfig::new(synonyms))?;
//!
//! let post = PostDoc {
//!     post_id: 1,
//!     thread_id: 10,
//!     community_id: 7,
//!     thread_title: "Just diagnosed".into(),
//!     body: "Stage 3 non-small cell lung cancer, starting chemo <soon>.".into(),
//!     author: Some("maria".into()),
//!     created_at: 1_700_000_000_000_000,
//!     status: PostStatus::Published,
//!     language: Some("en".into()),
//! };
//! index.apply([Change::Upsert(post)], 42)?;
//! assert_eq!(index.last_applied_event(), Some(42));
//!
//! let mut query = ParsedQuery::parse("nsclc community:lung-cancer")?;
//! query.resolve_communities(|slug| (slug == "lung-cancer").then_some(7));
//! let visibility = Visibility { readable: vec![7], moderated: vec![] };
//! let results = index.search(&SearchRequest::new(query, visibility))?;
//!
//! assert_eq!(results.total_estimate, 1);
//! assert_eq!(
//!     results.hits[0].snippet_html,
//!     "Stage 3 <mark>non</mark>-<mark>small</mark> <mark>cell</mark> <mark>lung</mark> \
//!      <mark>cancer</mark>, starting chemo &lt;soon&gt;."
//! );
//! # Ok(())
//! # }
//! ```

// A panic is how a test fails.
#![cfg_attr(test, allow(clippy::unwrap_used))]

mod analysis;
mod columns;
mod corpus;
mod document;
mod error;
mod home;
mod index;
mod language;
mod lazy_union;
mod page;
mod query;
mod schema;
mod snippet;
mod synonyms;

pub use corpus::{synthetic_posts, CorpusConfig, SyntheticPosts, RARE_TERM};
pub use document::{Change, PostDoc, PostStatus};
pub use error::Error;
pub use home::{IndexHome, LiveIndex};
pub use index::{
    rebuild, Hit, SearchConfig, SearchIndex, SearchRequest, SearchResults, DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
};
pub use page::{Cursor, Sort};
pub use query::{ParsedQuery, Visibility, MAX_QUERY_CHARS, MAX_QUERY_CLAUSES};
pub use synonyms::Synonyms;
