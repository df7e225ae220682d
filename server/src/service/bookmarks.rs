//! Bookmarks: a member saves a post to read again (`/me/saved`). Private to the member:
//! no event, no notification. The list shows only posts the member may still read and
//! that are still published; a bookmark of a post later held, removed, deleted or out of
//! sight (they left its private community) shows nothing of it, and comes back if the
//! post does.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, now_micros, CommunityId, PostId, ThreadId, UserId};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::store::communities::{self, CommunityRow};
use crate::store::posts::{self, PostRow};
use crate::store::threads::{self, ThreadRow};
use crate::store::{bookmarks, DbConnection, Store};

use super::access::CommunityAccess;
use super::notifications::excerpt;
use super::views::{Authors, UserSummary};

/// Most bookmarks read for the list (newest first).
const MAX_LISTED: i64 = 200;

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedState {
    pub saved: bool,
}

/// Saves (`on`) or forgets a post the member may read. Only published posts are saved
/// (409 `post_not_published` otherwise); forgetting works whatever the post became.
pub fn set(
    store: &Store,
    user: &CurrentUser,
    post_id: PostId,
    on: bool,
) -> Result<SavedState, Error> {
    let now = now_micros();
    store.write(|conn| {
        if !on {
            bookmarks::remove(conn, user.id, post_id)?;
            return Ok(SavedState { saved: false });
        }
        let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, post.community_id, Some(user))?;
        if !access.can_see_post(&post, Some(user)) {
            return Err(Error::NotFound);
        }
        if !is_public(&post) {
            return Err(Error::NotPublished("es3-not-published-save"));
        }
        bookmarks::add(conn, user.id, post_id, now)?;
        Ok(SavedState { saved: true })
    })
}

fn is_public(post: &PostRow) -> bool {
    post.status == PostStatus::Published && post.deleted_at.is_none()
}

/// A saved post as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedPost {
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub thread_title: String,
    pub community: String,
    pub community_name: String,
    pub author: Option<UserSummary>,
    /// The start of the post, as plain text.
    pub excerpt: String,
    pub saved_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedList {
    /// Newest first; at most 200 are read.
    pub items: Vec<SavedPost>,
}

/// The member's saved posts that they may read now.
pub fn list(store: &Store, user: &CurrentUser) -> Result<SavedList, Error> {
    store.read(|conn| {
        let saved = bookmarks::of_user(conn, user.id, MAX_LISTED)?;
        let ids: Vec<i64> = saved.iter().map(|(id, _)| id.0).collect();
        let found: HashMap<i64, PostRow> = posts::find_many(conn, &ids)?
            .into_iter()
            .filter(is_public)
            .map(|p| (p.id, p))
            .collect();
        let readable = readable_communities(conn, user, found.values())?;
        let thread_ids: Vec<i64> = found.values().map(|p| p.thread_id).collect();
        let threads: HashMap<i64, ThreadRow> = threads::find_many(conn, &thread_ids)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let authors = Authors::load(conn, found.values().map(|p| p.author_id))?;
        let items = saved
            .into_iter()
            .filter_map(|(post_id, saved_at)| {
                let post = found.get(&post_id.0)?;
                let community = readable.get(&post.community_id)?;
                let thread = threads.get(&post.thread_id)?;
                Some(SavedPost {
                    post_id,
                    thread_id: ThreadId(thread.id),
                    thread_title: thread.title.clone(),
                    community: community.slug.clone(),
                    community_name: community.name.clone(),
                    author: authors.get(post.author_id),
                    excerpt: excerpt(&post.body_html),
                    saved_at: format_time(saved_at),
                })
            })
            .collect();
        Ok(SavedList { items })
    })
}

/// The communities of these posts that the member may read, each checked once.
fn readable_communities<'a>(
    conn: &mut DbConnection,
    user: &CurrentUser,
    posts: impl Iterator<Item = &'a PostRow>,
) -> Result<HashMap<i64, CommunityRow>, Error> {
    let mut ids: Vec<CommunityId> = posts.map(|p| CommunityId(p.community_id)).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut readable = HashMap::new();
    for community in communities::find_many(conn, &ids)? {
        let id = community.id.0;
        match CommunityAccess::by_id(conn, id, Some(user)) {
            Ok(access) => {
                readable.insert(id, access.community);
            }
            Err(Error::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(readable)
}

/// Which of these posts the member saved (for the buttons of a thread page).
pub fn saved_among(
    store: &Store,
    user: &CurrentUser,
    post_ids: &[PostId],
) -> Result<HashSet<PostId>, Error> {
    store.read(|conn| {
        Ok(bookmarks::saved_among(conn, user.id, post_ids)?
            .into_iter()
            .collect())
    })
}

/// A member's bookmarks, for their export: which posts and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedBookmark {
    pub post_id: PostId,
    pub saved_at: String,
}

pub fn exported(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<ExportedBookmark>, Error> {
    Ok(bookmarks::of_user(conn, user_id, i64::MAX)?
        .into_iter()
        .map(|(post_id, at)| ExportedBookmark {
            post_id,
            saved_at: format_time(at),
        })
        .collect())
}
