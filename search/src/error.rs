//! The crate's one error type.
//!
//! Vocabulary: a *client error* is a problem with what the searching person typed or
//! sent (a malformed query, a bad cursor, a page size out of range): the server answers
//! it with 400 and the message, which is written for people. Every other variant is a
//! server-side problem (I/O, a locked or incompatible index, a bug in the caller's wiring)
//! and is a 500.

use std::path::PathBuf;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // ---- client errors: the query language -------------------------------------------
    /// The query has no words, phrases or filters.
    #[error("the search query is empty")]
    EmptyQuery,

    /// The query is longer than [`MAX_QUERY_CHARS`](crate::MAX_QUERY_CHARS).
    #[error("the search query is {length} characters long; the limit is {max}")]
    QueryTooLong { length: usize, max: usize },

    /// A `"` opened a phrase that never closes.
    #[error("a quote opened at character {position} is never closed")]
    UnbalancedQuote { position: usize },

    /// `""` or `"   "`.
    #[error("a quoted phrase is empty")]
    EmptyPhrase,

    /// `name:value` where `name` is not one of the operators.
    #[error(
        "unknown operator `{name}:`; the operators are community:, author:, before: and \
         after: (put a word containing ':' in quotes to search for it)"
    )]
    UnknownOperator { name: String },

    /// `author:` with nothing after it.
    #[error("the operator `{name}:` needs a value, as in `{name}:{example}`")]
    MissingOperatorValue { name: String, example: String },

    /// `community:Not A Slug!` or `author:bad name`.
    #[error("`{value}` is not a valid value for `{name}:`: {reason}")]
    InvalidOperatorValue {
        name: String,
        value: String,
        reason: String,
    },

    /// `before:` / `after:` with something that is not a calendar date.
    #[error("`{value}` is not a date for `{name}:`; write it as YYYY-MM-DD, as in 2024-03-31")]
    InvalidDate { name: String, value: String },

    /// `-before:` or `-after:`.
    #[error("`{name}:` cannot be negated; use the other of before: and after: instead")]
    NegatedDateOperator { name: String },

    /// Only `-exclusions`: there is nothing to find.
    #[error("a query needs at least one word, phrase or filter besides exclusions")]
    OnlyExclusions,

    /// Words and phrases that analyse to nothing, such as `"!!!"`.
    #[error("the query has nothing searchable in it (only punctuation?)")]
    NothingSearchable,

    /// More words, phrases and filters than [`MAX_QUERY_CLAUSES`](crate::MAX_QUERY_CLAUSES).
    #[error("the query has {count} words, phrases and filters; the limit is {max}")]
    TooManyClauses { count: usize, max: usize },

    // ---- client errors: paging ---------------------------------------------------------
    /// A cursor that this crate did not make, or one made for the other sort order.
    #[error("the page cursor is not valid for this search")]
    InvalidCursor,

    /// A page size of 0 or above [`MAX_PAGE_SIZE`](crate::MAX_PAGE_SIZE).
    #[error("the page size must be between 1 and {max}; got {limit}")]
    InvalidLimit { limit: usize, max: usize },

    // ---- caller's wiring ---------------------------------------------------------------
    /// The synonyms file does not parse. The message names the line.
    #[error("synonyms file, line {line}: {message}")]
    Synonyms { line: usize, message: String },

    /// A `community:` slug reached [`SearchIndex::search`](crate::SearchIndex::search)
    /// before [`ParsedQuery::resolve_communities`](crate::ParsedQuery::resolve_communities)
    /// was called.
    #[error("community slug `{slug}` was not resolved before searching")]
    UnresolvedCommunity { slug: String },

    /// [`SearchIndex::apply`](crate::SearchIndex::apply) was asked to move the index back
    /// to an older event than the one it has already applied.
    #[error("the index has applied event {applied}; refusing to go back to event {requested}")]
    EventWentBackwards { applied: i64, requested: i64 },

    /// [`rebuild`](crate::rebuild) was given the same post twice.
    #[error("post {post_id} was given twice to a rebuild")]
    DuplicatePost { post_id: i64 },

    /// [`rebuild`](crate::rebuild) was pointed at a directory that is not empty.
    #[error("{} is not empty; a rebuild needs a fresh directory", path.display())]
    RebuildTargetNotEmpty { path: PathBuf },

    // ---- the index on disk -------------------------------------------------------------
    /// The directory holds an index with another schema or format version: rebuild it.
    #[error("the index at {} was written by another version of the schema; rebuild it", path.display())]
    IncompatibleIndex { path: PathBuf },

    /// Another live writer (in this process or another) holds the index directory.
    #[error("another writer holds the index at {}", path.display())]
    IndexLocked { path: PathBuf },

    /// The `CURRENT` pointer file of an [`IndexHome`](crate::IndexHome) is damaged.
    #[error("{}: {message}", path.display())]
    BadPointer { path: PathBuf, message: String },

    /// The commit payload of the index is not ours.
    #[error("the index commit payload cannot be read: {0}")]
    Payload(#[from] serde_json::Error),

    /// The file system holding the index has no space left; nothing of the batch was
    /// committed.
    #[error("no space left on device for the index at {}", path.display())]
    DiskFull { path: PathBuf },

    /// File system trouble around the index directory.
    #[error("search index I/O: {0}")]
    Io(#[from] std::io::Error),

    /// Anything else tantivy reports.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// True for problems with what the client sent (answer 400 with the message);
    /// false for server-side problems (answer 500 and log).
    pub fn is_client_error(&self) -> bool {
        matches!(
            self,
            Error::EmptyQuery
                | Error::QueryTooLong { .. }
                | Error::UnbalancedQuote { .. }
                | Error::EmptyPhrase
                | Error::UnknownOperator { .. }
                | Error::MissingOperatorValue { .. }
                | Error::InvalidOperatorValue { .. }
                | Error::InvalidDate { .. }
                | Error::NegatedDateOperator { .. }
                | Error::OnlyExclusions
                | Error::NothingSearchable
                | Error::TooManyClauses { .. }
                | Error::InvalidCursor
                | Error::InvalidLimit { .. }
        )
    }
}
