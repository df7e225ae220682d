//! The index schema and its field handles.
//!
//! Vocabulary: a *field* is a named column of the index; its *handle* ([`Field`]) is how
//! code refers to it. [`Fields`] keeps every handle in one struct, built once with the
//! schema, so nothing looks a field up by string. A *fast field* is column-oriented
//! storage read per document during a search (sorting, visibility, date ranges); a
//! *stored* field comes back with a hit; an *indexed* field can be matched by a term.
//!
//! | field | kind | used for |
//! |---|---|---|
//! | `post_id` | i64, indexed, fast, stored | replace/delete by id, keyset tie-break |
//! | `thread_id` | i64, fast, stored | linking a hit |
//! | `community_id` | i64, fast, stored | visibility and `community:` |
//! | `title` | text with positions, stored | matching (boosted), highlighting |
//! | `body` | text with positions, stored | matching, snippets |
//! | `title_es` | Spanish text with positions, not stored | matching Spanish posts (boosted) |
//! | `body_es` | Spanish text with positions, not stored | matching Spanish posts, their snippets' terms |
//! | `language` | u64 code, stored | which snippet analysis a hit gets |
//! | `author` | username, indexed, stored | `author:` |
//! | `created_at` | i64 micros, fast, stored | newest-first, `before:`/`after:` |
//! | `status` | u64 code, fast, stored | visibility of held and removed posts |
//!
//! Every post is analysed the English way into `title` and `body`. A post detected as
//! Spanish ([`TextLanguage`]) is analysed the Spanish way into `title_es` and `body_es`
//! as well; English posts leave those empty, which costs nothing.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
};
use tantivy::TantivyDocument;

use crate::analysis::{SPANISH_ANALYZER, TEXT_ANALYZER, USERNAME_ANALYZER};
use crate::document::{PostDoc, PostStatus};
use crate::language::TextLanguage;

/// Bumped whenever the schema or the analyzers change in a way that needs a reindex.
/// Stored in every commit payload; an index with another version is refused on open
/// (and [`IndexHome::open`](crate::IndexHome::open) starts a new, empty generation).
/// Version 2 added the Spanish fields and `language`.
pub(crate) const FORMAT_VERSION: u32 = 2;

/// Handles of every field of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub(crate) schema: Schema,
    pub(crate) post_id: Field,
    pub(crate) thread_id: Field,
    pub(crate) community_id: Field,
    pub(crate) title: Field,
    pub(crate) body: Field,
    pub(crate) title_es: Field,
    pub(crate) body_es: Field,
    pub(crate) language: Field,
    pub(crate) author: Field,
    pub(crate) created_at: Field,
    pub(crate) status: Field,
}

/// Fast-field names, for the readers that want a name rather than a handle.
pub(crate) const POST_ID: &str = "post_id";
pub(crate) const COMMUNITY_ID: &str = "community_id";
pub(crate) const CREATED_AT: &str = "created_at";
pub(crate) const STATUS: &str = "status";

impl Fields {
    pub(crate) fn new() -> Fields {
        let mut builder = Schema::builder();
        let text = |analyzer: &str, record: IndexRecordOption| {
            TextOptions::default().set_stored().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer)
                    .set_index_option(record),
            )
        };
        let post_id = builder.add_i64_field(POST_ID, INDEXED | FAST | STORED);
        let thread_id = builder.add_i64_field("thread_id", FAST | STORED);
        let community_id = builder.add_i64_field(COMMUNITY_ID, FAST | STORED);
        let title = builder.add_text_field(
            "title",
            text(TEXT_ANALYZER, IndexRecordOption::WithFreqsAndPositions),
        );
        let body = builder.add_text_field(
            "body",
            text(TEXT_ANALYZER, IndexRecordOption::WithFreqsAndPositions),
        );
        let spanish = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(SPANISH_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let title_es = builder.add_text_field("title_es", spanish.clone());
        let body_es = builder.add_text_field("body_es", spanish);
        let language = builder.add_u64_field("language", STORED);
        let author =
            builder.add_text_field("author", text(USERNAME_ANALYZER, IndexRecordOption::Basic));
        let created_at = builder.add_i64_field(CREATED_AT, FAST | STORED);
        let status = builder.add_u64_field(STATUS, FAST | STORED);
        Fields {
            schema: builder.build(),
            post_id,
            thread_id,
            community_id,
            title,
            body,
            title_es,
            body_es,
            language,
            author,
            created_at,
            status,
        }
    }

    pub(crate) fn to_document(&self, post: &PostDoc) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_i64(self.post_id, post.post_id);
        document.add_i64(self.thread_id, post.thread_id);
        document.add_i64(self.community_id, post.community_id);
        document.add_text(self.title, &post.thread_title);
        document.add_text(self.body, &post.body);
        let language = TextLanguage::of_doc(post);
        if language == TextLanguage::Spanish {
            document.add_text(self.title_es, &post.thread_title);
            document.add_text(self.body_es, &post.body);
        }
        document.add_u64(self.language, language.code());
        if let Some(author) = &post.author {
            document.add_text(self.author, author);
        }
        document.add_i64(self.created_at, post.created_at);
        document.add_u64(self.status, post.status.code());
        document
    }

    /// The language a stored document was detected as.
    pub(crate) fn language_of(&self, document: &TantivyDocument) -> TextLanguage {
        TextLanguage::from_code(
            document
                .get_first(self.language)
                .and_then(|value| value.as_u64())
                .unwrap_or_default(),
        )
    }

    /// Reads a stored document back. Missing values (which our own writes never
    /// produce) come back as zero or empty rather than failing the whole search.
    pub(crate) fn read_document(&self, document: &TantivyDocument) -> PostDoc {
        let i64_of = |field| {
            document
                .get_first(field)
                .and_then(|value| value.as_i64())
                .unwrap_or_default()
        };
        let text_of = |field| {
            document
                .get_first(field)
                .and_then(|value| value.as_str())
                .map(str::to_owned)
        };
        PostDoc {
            post_id: i64_of(self.post_id),
            thread_id: i64_of(self.thread_id),
            community_id: i64_of(self.community_id),
            thread_title: text_of(self.title).unwrap_or_default(),
            body: text_of(self.body).unwrap_or_default(),
            author: text_of(self.author),
            created_at: i64_of(self.created_at),
            status: PostStatus::from_code(
                document
                    .get_first(self.status)
                    .and_then(|value| value.as_u64())
                    .unwrap_or_default(),
            ),
            language: None,
        }
    }
}
