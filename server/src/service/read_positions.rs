//! Read positions: how far a member has read in each thread. Reading a thread page (or
//! `PUT /threads/{id}/read/{post_id}`) moves the position forward to the newest post seen,
//! never back; thread lists then say "4 new since your last visit" and the thread page
//! offers "Jump to first unread". Private to the member, like bookmarks: no event.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, now_micros, PostId, ThreadId, UserId};
use crate::error::Error;
use crate::store::read_positions::{self, Unread};
use crate::store::{posts, DbConnection, Store};

use super::threads::visible_thread;
use super::views::ThreadView;

/// Where the reader stands in a thread they have opened before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReadState {
    /// The newest post they have seen.
    pub last_read_post_id: PostId,
    /// Published posts by others after it ("4 new since your last visit").
    pub new_posts: i64,
    /// The first of those posts, for "Jump to first unread" (`GET /p/{id}` on pages).
    pub first_unread_post_id: Option<PostId>,
}

impl From<Unread> for ReadState {
    fn from(unread: Unread) -> ReadState {
        ReadState {
            last_read_post_id: unread.last_read_post_id,
            new_posts: unread.new_posts,
            first_unread_post_id: unread.first_unread,
        }
    }
}

/// Fills in `read` on each thread of a list for a signed-in reader: two queries whatever
/// the list's length. Visitors' threads stay without it.
pub fn annotate(
    conn: &mut DbConnection,
    viewer: Option<&CurrentUser>,
    threads: &mut [ThreadView],
) -> Result<(), Error> {
    let Some(user) = viewer else {
        return Ok(());
    };
    let ids: Vec<ThreadId> = threads.iter().map(|t| t.id).collect();
    let unread = read_positions::unread_in(conn, user.id, &ids)?;
    for thread in threads {
        thread.read = unread
            .iter()
            .find(|u| u.thread_id == thread.id)
            .map(|u| ReadState::from(*u));
    }
    Ok(())
}

/// The reader's state in one thread; `None` when they never opened it.
pub fn state_in(
    conn: &mut DbConnection,
    user: &CurrentUser,
    thread_id: ThreadId,
) -> Result<Option<ReadState>, Error> {
    Ok(read_positions::unread_in(conn, user.id, &[thread_id])?
        .first()
        .map(|u| ReadState::from(*u)))
}

/// Records that the member has read `post_id` of a thread (and everything before it).
/// The post must be one of the thread's that they can see, else not found; a position
/// already further stays where it is.
pub fn mark_read(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
    post_id: PostId,
) -> Result<ReadState, Error> {
    let now = now_micros();
    store.write(|conn| {
        let (thread, access) = visible_thread(conn, thread_id, Some(user))?;
        // The post must be one of the thread's that the member sees.
        posts::find(conn, post_id.0)?
            .filter(|p| p.thread_id == thread.id && access.can_see_post(p, Some(user)))
            .ok_or(Error::NotFound)?;
        read_positions::advance(conn, user.id, ThreadId(thread.id), post_id, now)?;
        state_in(conn, user, thread_id)?.ok_or(Error::NotFound)
    })
}

/// A member's positions in their export: which threads they read, how far, and when.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedReadPosition {
    pub thread_id: ThreadId,
    pub last_read_post_id: PostId,
    pub updated_at: String,
}

pub fn exported(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<ExportedReadPosition>, Error> {
    Ok(read_positions::of_user(conn, user_id)?
        .into_iter()
        .map(|(thread_id, last_read_post_id, at)| ExportedReadPosition {
            thread_id,
            last_read_post_id,
            updated_at: format_time(at),
        })
        .collect())
}
