//! The `posts` and `post_revisions` tables.

use diesel::prelude::*;

use super::schema::{post_revisions, posts, users};
use super::{DbConnection, MultiBackend};
use crate::domain::ids::{PostId, UserId};
use crate::domain::insight_terms::stored_terms_of_html;
use crate::domain::post::PostStatus;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = posts)]
pub struct PostRow {
    pub id: i64,
    pub thread_id: i64,
    pub community_id: i64,
    pub author_id: Option<i64>,
    pub body_source: String,
    pub body_html: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: PostStatus,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    /// Why the post is held or was removed, in words meant for its author.
    pub moderation_note: Option<String>,
    /// The post this one answers, in the same thread.
    pub reply_to_id: Option<i64>,
    /// The language it is written in (ISO 639-1, or `und`), as screening detected it;
    /// `None` for posts written before languages were recorded.
    pub language: Option<String>,
}

/// Which posts of a thread a reader may see.
#[derive(Debug, Clone, Copy)]
pub enum PostScope {
    /// Moderators see every post.
    All,
    /// Others see published posts, plus their own held or removed ones.
    PublishedOr { author_id: Option<UserId> },
}

/// Inserts a post, with the insights vocabulary terms it mentions, and counts it in its
/// author's trust counters.
pub fn insert(conn: &mut DbConnection, row: &PostRow) -> Result<(), Error> {
    diesel::insert_into(posts::table)
        .values(row.clone())
        .execute(conn)?;
    set_insight_terms(conn, row.id, &row.body_html)?;
    let share = TrustShare::of(row.status, row.deleted_at.is_some());
    adjust_trust_counters(conn, row.author_id, TrustShare::NONE, share)
}

/// What one post adds to its author's `published_posts` and `removed_posts`: the counts
/// the trust level is computed from (see `moderation::recounted_trust_counters`, the same
/// definition as a query over the posts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustShare {
    published: i64,
    removed: i64,
}

impl TrustShare {
    const NONE: TrustShare = TrustShare {
        published: 0,
        removed: 0,
    };

    pub fn of(status: PostStatus, deleted: bool) -> TrustShare {
        TrustShare {
            published: i64::from(status == PostStatus::Published && !deleted),
            removed: i64::from(status == PostStatus::Removed),
        }
    }
}

/// Moves an author's trust counters from a post's old share to its new one. Relative
/// updates, so that concurrent posts by the same author on PostgreSQL add up.
pub fn adjust_trust_counters(
    conn: &mut DbConnection,
    author_id: Option<i64>,
    before: TrustShare,
    after: TrustShare,
) -> Result<(), Error> {
    let Some(author_id) = author_id else {
        return Ok(());
    };
    if before == after {
        return Ok(());
    }
    let (published, removed) = (
        after.published - before.published,
        after.removed - before.removed,
    );
    diesel::update(users::table.find(author_id))
        .set((
            users::published_posts.eq(users::published_posts + published),
            users::removed_posts.eq(users::removed_posts + removed),
        ))
        .execute(conn)?;
    Ok(())
}

/// What decides a post's share of its author's trust counters.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct TrustState {
    pub author_id: Option<i64>,
    #[diesel(deserialize_as = String)]
    pub status: PostStatus,
    pub deleted_at: Option<i64>,
}

/// A post's author, status and deletion time, as they are now.
pub fn trust_state(conn: &mut DbConnection, id: i64) -> Result<Option<TrustState>, Error> {
    Ok(posts::table
        .find(id)
        .select(TrustState::as_select())
        .get_result(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<PostRow>, Error> {
    Ok(posts::table
        .find(id)
        .select(PostRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Posts of a thread in creation order, after `after_id`. Each scope is one fixed query
/// shape (no boxing), so diesel keeps it as a prepared statement.
pub fn list_for_thread(
    conn: &mut DbConnection,
    thread_id: i64,
    scope: PostScope,
    after_id: Option<i64>,
    limit: i64,
) -> Result<Vec<PostRow>, Error> {
    let in_thread = posts::thread_id
        .eq(thread_id)
        .and(posts::id.gt(after_id.unwrap_or(0)));
    let rows = match scope {
        PostScope::All => posts::table
            .filter(in_thread)
            .order(posts::id.asc())
            .limit(limit)
            .select(PostRow::as_select())
            .load(conn)?,
        PostScope::PublishedOr { author_id } => posts::table
            .filter(in_thread)
            .filter(
                posts::status
                    .eq(PostStatus::Published.as_str())
                    .or(posts::author_id.eq(author_id.unwrap_or(UserId(-1)))),
            )
            .order(posts::id.asc())
            .limit(limit)
            .select(PostRow::as_select())
            .load(conn)?,
    };
    Ok(rows)
}

/// The posts of a thread a reader with `scope` sees. Boxed: the counts below are read
/// once per permalink or thread page, unlike the listing above.
fn visible_in_thread(thread_id: i64, scope: PostScope) -> posts::BoxedQuery<'static, MultiBackend> {
    let query = posts::table
        .filter(posts::thread_id.eq(thread_id))
        .into_boxed();
    match scope {
        PostScope::All => query,
        PostScope::PublishedOr { author_id } => query.filter(
            posts::status
                .eq(PostStatus::Published.as_str())
                .or(posts::author_id.eq(author_id.unwrap_or(UserId(-1)))),
        ),
    }
}

/// How many posts of the thread this reader sees before post `before_id`, in the order
/// of [`list_for_thread`]: the post's position, counted from 0.
pub fn count_visible_before(
    conn: &mut DbConnection,
    thread_id: i64,
    scope: PostScope,
    before_id: i64,
) -> Result<i64, Error> {
    Ok(visible_in_thread(thread_id, scope)
        .filter(posts::id.lt(before_id))
        .count()
        .get_result(conn)?)
}

/// How many posts of the thread this reader sees.
pub fn count_visible(
    conn: &mut DbConnection,
    thread_id: i64,
    scope: PostScope,
) -> Result<i64, Error> {
    Ok(visible_in_thread(thread_id, scope)
        .count()
        .get_result(conn)?)
}

/// The id of the post at `position` (from 0) among those this reader sees, in the order
/// of [`list_for_thread`].
pub fn visible_id_at(
    conn: &mut DbConnection,
    thread_id: i64,
    scope: PostScope,
    position: i64,
) -> Result<Option<i64>, Error> {
    Ok(visible_in_thread(thread_id, scope)
        .select(posts::id)
        .order(posts::id.asc())
        .offset(position)
        .limit(1)
        .first(conn)
        .optional()?)
}

pub fn update_body(
    conn: &mut DbConnection,
    id: i64,
    source: &str,
    html: &str,
    language: &str,
    at: i64,
) -> Result<(), Error> {
    diesel::update(posts::table.find(id))
        .set((
            posts::body_source.eq(source),
            posts::body_html.eq(html),
            posts::edited_at.eq(Some(at)),
            posts::language.eq(Some(language)),
        ))
        .execute(conn)?;
    set_insight_terms(conn, id, html)
}

/// Every write of a post's body stores the insights vocabulary terms it mentions with it.
fn set_insight_terms(conn: &mut DbConnection, id: i64, html: &str) -> Result<(), Error> {
    super::insights::set_terms(conn, id, &stored_terms_of_html(html)?)
}

/// Empties a deleted post, keeping its place in the thread, and drops its revisions and
/// any stored answer quoting it: a member who deletes their words expects them gone. A
/// published post stops counting towards its author's trust.
pub fn tombstone(conn: &mut DbConnection, id: i64, at: i64) -> Result<(), Error> {
    let empty = (
        posts::body_source.eq(""),
        posts::body_html.eq(""),
        posts::deleted_at.eq(Some(at)),
    );
    // The update only applies to the status just read, so that a moderator changing the
    // status concurrently (PostgreSQL) cannot make the counters miss or count a change
    // twice: on a miss, read again.
    while let Some(TrustState {
        author_id,
        status,
        deleted_at,
    }) = trust_state(conn, id)?
    {
        if deleted_at.is_some() {
            diesel::update(posts::table.find(id))
                .set(empty)
                .execute(conn)?;
            break;
        }
        let changed = diesel::update(
            posts::table
                .find(id)
                .filter(posts::status.eq(status.as_str()))
                .filter(posts::deleted_at.is_null()),
        )
        .set(empty)
        .execute(conn)?;
        if changed == 1 {
            let before = TrustShare::of(status, false);
            adjust_trust_counters(conn, author_id, before, TrustShare::of(status, true))?;
            break;
        }
    }
    diesel::delete(post_revisions::table.filter(post_revisions::post_id.eq(id))).execute(conn)?;
    set_insight_terms(conn, id, "")?;
    super::idempotency::forget_post(conn, PostId(id))
}

pub fn insert_revision(
    conn: &mut DbConnection,
    id: i64,
    post_id: i64,
    source: &str,
    at: i64,
) -> Result<(), Error> {
    diesel::insert_into(post_revisions::table)
        .values((
            post_revisions::id.eq(id),
            post_revisions::post_id.eq(post_id),
            post_revisions::body_source.eq(source),
            post_revisions::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn revision_count(conn: &mut DbConnection, post_id: i64) -> Result<i64, Error> {
    Ok(post_revisions::table
        .filter(post_revisions::post_id.eq(post_id))
        .count()
        .get_result(conn)?)
}

/// The rows among `ids` that exist, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<PostRow>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(posts::table
        .filter(posts::id.eq_any(ids))
        .select(PostRow::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> Result<i64, Error> {
    Ok(posts::table.count().get_result(conn)?)
}

/// Ids of every post, in id order, after `after_id` (for rebuilding the search index).
pub fn ids_after(conn: &mut DbConnection, after_id: i64, limit: i64) -> Result<Vec<i64>, Error> {
    Ok(posts::table
        .filter(posts::id.gt(after_id))
        .order(posts::id.asc())
        .limit(limit)
        .select(posts::id)
        .load(conn)?)
}
