//! Threads and posts: listing, reading, starting threads, replying, editing, deleting,
//! pinning and locking.

mod editing;
mod locate;
mod posting;

pub use editing::{delete, edit, set_flags};
pub use locate::{locate, page_position, PagePosition, PostLocation};
pub use posting::{
    create, insert_post, insert_thread, reply, Created, CreatedPost, NewPost, PostChecks, PostDraft,
};

use crate::domain::community::Visibility;
use crate::domain::content_note::ContentNote;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{ThreadId, UserId};
use crate::error::Error;
use crate::service::access::CommunityAccess;
use crate::service::care::CarePanel;
use crate::service::communities::paginate;
use crate::service::content_notes;
use crate::service::cursor;
use crate::service::reactions;
use crate::service::views::{Authors, Page, PostView, ThreadView};
use crate::store::posts;
use crate::store::threads::{self, ThreadCursor, ThreadRow};
use crate::store::{DbConnection, Store};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadWithPosts {
    pub thread: ThreadView,
    pub posts: Vec<PostView>,
    pub next_cursor: Option<String>,
    /// The content notes folded away for this reader here: their own choice, else the
    /// community's defaults. Pages show a post with any of them behind "show".
    pub collapse_content_notes: Vec<ContentNote>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedThread {
    pub thread: ThreadView,
    pub post: PostView,
    /// Crisis lines, when the post suggests its author may be at risk (see `GET /me/care`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub care: Option<CarePanel>,
}

pub fn list(
    store: &Store,
    viewer: Option<&CurrentUser>,
    slug: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<ThreadView>, Error> {
    let after = after.map(cursor::decode_thread).transpose()?;
    store.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, viewer)?;
        let rows = threads::list(
            conn,
            access.community.id,
            viewer.map(|u| u.id),
            access.is_moderator(),
            after,
            limit + 1,
        )?;
        let authors = Authors::load(conn, rows.iter().map(|t| t.author_id))?;
        let mut page = paginate(
            rows,
            limit,
            |t| {
                cursor::encode_thread(ThreadCursor {
                    pinned: t.pinned,
                    last_post_at: t.last_post_at,
                    id: t.id,
                })
            },
            |t| ThreadView::from_row(t, &access.community.slug, &authors),
        );
        crate::service::read_positions::annotate(conn, viewer, &mut page.items)?;
        content_notes::annotate_threads(conn, &mut page.items)?;
        Ok(page)
    })
}

/// Loads a thread the viewer may see. A thread without any published post (its opening
/// post held or removed) exists only for its author and the moderators.
pub(in crate::service) fn visible_thread(
    conn: &mut DbConnection,
    thread_id: ThreadId,
    viewer: Option<&CurrentUser>,
) -> Result<(ThreadRow, CommunityAccess), Error> {
    let (thread, access) = if let Some(user) = viewer {
        let (thread, community, membership) =
            threads::find_with_community(conn, thread_id, user.id)?.ok_or(Error::NotFound)?;
        (
            thread,
            CommunityAccess::from_rows(community, membership, user)?,
        )
    } else {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, thread.community_id, viewer)?;
        (thread, access)
    };
    let own_thread = viewer.is_some_and(|u| thread.author_id == Some(u.id.0));
    if thread.post_count == 0 && !own_thread && !access.is_moderator() {
        return Err(Error::NotFound);
    }
    Ok((thread, access))
}

/// A thread and one page of the posts this viewer may see.
pub fn get(
    store: &Store,
    viewer: Option<&CurrentUser>,
    thread_id: ThreadId,
    after: Option<&str>,
    limit: i64,
) -> Result<ThreadWithPosts, Error> {
    let after = after.map(cursor::decode_id).transpose()?;
    store.read(|conn| Ok(read_page(conn, viewer, thread_id, after, limit)?.0))
}

/// A signed-out visitor's page of a thread, and whether every visitor gets the same page
/// (its community is public), so that it may be cached for them (`crate::page_cache`).
pub fn get_for_visitor(
    store: &Store,
    thread_id: ThreadId,
    after: Option<&str>,
    limit: i64,
) -> Result<(ThreadWithPosts, bool), Error> {
    let after = after.map(cursor::decode_id).transpose()?;
    store.read(|conn| read_page(conn, None, thread_id, after, limit))
}

fn read_page(
    conn: &mut DbConnection,
    viewer: Option<&CurrentUser>,
    thread_id: ThreadId,
    after: Option<i64>,
    limit: i64,
) -> Result<(ThreadWithPosts, bool), Error> {
    let (thread, access) = visible_thread(conn, thread_id, viewer)?;
    let rows =
        posts::list_for_thread(conn, thread.id, access.post_scope(viewer), after, limit + 1)?;
    let authors = Authors::load(
        conn,
        rows.iter().map(|p| p.author_id).chain([thread.author_id]),
    )?;
    let blocked = match viewer {
        Some(user) => crate::store::blocks::blocked_by(conn, user.id)?,
        None => std::collections::HashSet::new(),
    };
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let reactions = reactions::for_reader(conn, &ids, viewer)?;
    let notes =
        crate::service::context_notes::for_posts(conn, &ids, viewer, access.is_moderator())?;
    let mut page = paginate(
        rows,
        limit,
        |p| cursor::encode_id(p.id),
        |p| {
            let mut view = PostView::from_row(p, &authors, viewer.map(|u| u.id))
                .with_reactions(reactions.get(&p.id));
            view.author_blocked = p.author_id.is_some_and(|a| blocked.contains(&UserId(a)));
            view.context_notes = notes.get(&p.id).cloned().unwrap_or_default();
            view
        },
    );
    let mut thread = [ThreadView::from_row(
        &thread,
        &access.community.slug,
        &authors,
    )];
    crate::service::read_positions::annotate(conn, viewer, &mut thread)?;
    content_notes::annotate_threads(conn, &mut thread)?;
    content_notes::annotate_posts(conn, &mut page.items)?;
    let collapse = content_notes::collapse_for(conn, viewer, access.community.id.0)?;
    let [thread] = thread;
    let public = access.community.visibility == Visibility::Public;
    Ok((
        ThreadWithPosts {
            thread,
            posts: page.items,
            next_cursor: page.next_cursor,
            collapse_content_notes: collapse.as_slice().to_vec(),
        },
        public,
    ))
}
