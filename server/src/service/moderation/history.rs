//! What a moderator knows about the author of a queued post: how long they have been a
//! member, their trust level and counters, and what moderators decided about them before.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ids::UserId;
use crate::domain::moderation::trust_level;
use crate::error::Error;
use crate::store::moderation as store;
use crate::store::DbConnection;

use super::DAY_MICROS;

/// The author's standing, shown beside each queue item.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorHistory {
    /// Whole days since the account was made.
    pub account_age_days: i64,
    /// 0 (new) to 3 (long-standing), as screening sees them.
    pub trust_level: u8,
    /// Published posts, not counting deleted ones.
    pub published_posts: i64,
    /// Posts moderators removed.
    pub removed_posts: i64,
    /// Earlier moderators' decisions about this member, by action (`approve`, `remove`,
    /// `dismiss`, …), in every community.
    pub decisions: BTreeMap<String, i64>,
}

/// The history of `author_id` as of `now`; `None` for an erased member.
pub(super) fn author_history(
    conn: &mut DbConnection,
    author_id: i64,
    now: i64,
) -> Result<Option<AuthorHistory>, Error> {
    let Some((created_at, published, removed)) = store::trust_counters(conn, UserId(author_id))?
    else {
        return Ok(None);
    };
    let age = (now - created_at) / DAY_MICROS;
    Ok(Some(AuthorHistory {
        account_age_days: age,
        trust_level: trust_level(age, published, removed),
        published_posts: published,
        removed_posts: removed,
        decisions: store::decisions_about(conn, author_id)?
            .into_iter()
            .map(|(action, count)| (action.as_str().to_owned(), count))
            .collect(),
    }))
}
