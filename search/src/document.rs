//! What the server feeds the index.
//!
//! Vocabulary: a *post document* ([`PostDoc`]) is everything the index knows about one
//! post: ids, the thread title, the body as plain text, the author's username, the
//! creation time and the moderation *status*. A [`Change`] is one step of keeping the index
//! current: *upsert* (insert, or replace the previous version with the same post id) or
//! *delete*. The index never reads the database; the server builds these from its rows.

use serde::{Deserialize, Serialize};

/// A post's moderation status, as stored in `posts.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Visible to everyone who may read the community.
    Published,
    /// Waiting for a moderator; visible only to the community's moderators.
    Held,
    /// Taken down by a moderator; visible only to the community's moderators.
    Removed,
}

impl PostStatus {
    /// The status as stored in the database (`"published"`, `"held"`, `"removed"`).
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Published => "published",
            PostStatus::Held => "held",
            PostStatus::Removed => "removed",
        }
    }

    /// The inverse of [`as_str`](PostStatus::as_str).
    pub fn parse(text: &str) -> Option<PostStatus> {
        match text {
            "published" => Some(PostStatus::Published),
            "held" => Some(PostStatus::Held),
            "removed" => Some(PostStatus::Removed),
            _ => None,
        }
    }

    /// The value kept in the `status` fast field.
    pub(crate) fn code(self) -> u64 {
        match self {
            PostStatus::Published => 0,
            PostStatus::Held => 1,
            PostStatus::Removed => 2,
        }
    }

    pub(crate) fn from_code(code: u64) -> PostStatus {
        match code {
            0 => PostStatus::Published,
            1 => PostStatus::Held,
            _ => PostStatus::Removed,
        }
    }
}

/// One post, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDoc {
    pub post_id: i64,
    pub thread_id: i64,
    pub community_id: i64,
    /// The thread's title, indexed with every post of the thread (boosted over bodies).
    pub thread_title: String,
    /// Plain text, extracted from the rendered markdown by the server. Never HTML: the
    /// snippets escape it.
    pub body: String,
    /// The author's username; `None` for a deleted account.
    pub author: Option<String>,
    /// Microseconds since the Unix epoch.
    pub created_at: i64,
    pub status: PostStatus,
    /// The language the server recorded for the post (ISO 639-1 such as `en` or `es`,
    /// or `und`), as screening detected it; `None` when it recorded none. English and
    /// Spanish are taken as given; for anything else the index detects the language
    /// from the title and body itself, which costs about as much as the rest of
    /// indexing the post. The index keeps only which analysis the post got, not this
    /// value: documents read back from it have `None`.
    #[serde(default)]
    pub language: Option<String>,
}

/// One step of keeping the index current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Insert the post, replacing any previous version with the same `post_id`. Use it for
    /// `post.created`, `post.edited`, status changes, and for every post of a thread whose
    /// title changed.
    Upsert(PostDoc),
    /// Remove the post (`post.deleted`); a no-op if it is not indexed.
    Delete { post_id: i64 },
}
