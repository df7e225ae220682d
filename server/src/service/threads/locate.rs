//! Where a post is read: the thread page that shows it, and where a page stands.

use super::visible_thread;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{PostId, ThreadId};
use crate::error::Error;
use crate::service::cursor;
use crate::store::posts::{self, PostScope};
use crate::store::{DbConnection, Store};

/// Where a post is read: its thread, and the cursor of the thread page that shows it
/// (`None`: the first page).
#[derive(Debug)]
pub struct PostLocation {
    pub thread_id: ThreadId,
    pub cursor: Option<String>,
}

/// Finds the page of its thread, `page_size` posts a page, on which this viewer reads a
/// post: the posts they see before it decide. A post they may not see is not found, like
/// one that does not exist, so a permalink tells nothing about private communities.
pub fn locate(
    store: &Store,
    viewer: Option<&CurrentUser>,
    post_id: PostId,
    page_size: i64,
) -> Result<PostLocation, Error> {
    store.read(|conn| {
        let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
        let (thread, access) = visible_thread(conn, ThreadId(post.thread_id), viewer)?;
        if !access.can_see_post(&post, viewer) {
            return Err(Error::NotFound);
        }
        let scope = access.post_scope(viewer);
        let position = posts::count_visible_before(conn, thread.id, scope, post.id)?;
        Ok(PostLocation {
            thread_id: ThreadId(thread.id),
            cursor: page_cursor(conn, thread.id, scope, position / page_size * page_size)?,
        })
    })
}

/// The cursor of the thread page starting at `start` (a position from 0): the id of the
/// post just before it.
fn page_cursor(
    conn: &mut DbConnection,
    thread_id: i64,
    scope: PostScope,
    start: i64,
) -> Result<Option<String>, Error> {
    if start <= 0 {
        return Ok(None);
    }
    Ok(posts::visible_id_at(conn, thread_id, scope, start - 1)?.map(cursor::encode_id))
}

/// Where a thread page stands among the posts the viewer sees.
#[derive(Debug)]
pub struct PagePosition {
    /// The position of the page's first post, from 1.
    pub first: i64,
    /// How many posts the viewer sees in the thread.
    pub total: i64,
    /// The page before this one, if any, by its cursor (`None` inside: the first page).
    pub earlier: Option<Option<String>>,
}

/// Where the thread page whose first post is `first_post` stands, `page_size` posts a page.
pub fn page_position(
    store: &Store,
    viewer: Option<&CurrentUser>,
    thread_id: ThreadId,
    first_post: PostId,
    page_size: i64,
) -> Result<PagePosition, Error> {
    store.read(|conn| {
        let (thread, access) = visible_thread(conn, thread_id, viewer)?;
        let scope = access.post_scope(viewer);
        let before = posts::count_visible_before(conn, thread.id, scope, first_post.0)?;
        let total = posts::count_visible(conn, thread.id, scope)?;
        let earlier = if before == 0 {
            None
        } else {
            Some(page_cursor(
                conn,
                thread.id,
                scope,
                (before - page_size).max(0),
            )?)
        };
        Ok(PagePosition {
            first: before + 1,
            total,
            earlier,
        })
    })
}
