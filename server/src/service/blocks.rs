//! Blocks and thread mutes: whom a member does not want to hear from.
//!
//! A block is one-sided to write and two-sided in effect for messages: neither member can
//! message the other, and the answer never says which side blocked (`cannot_message`,
//! the same as sharing no community). For the blocker alone, the blocked member's posts
//! are collapsed and their posts notify nothing. The blocked member is not told.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EmptyPayload, EventPayload};
use crate::domain::ids::{format_time, now_micros, ThreadId, UserId};
use crate::domain::user::Username;
use crate::error::Error;
use crate::service::access::CommunityAccess;
use crate::service::views::{Authors, UserSummary};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{blocks, threads, DbConnection, Store};

/// `POST /me/blocks`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    #[schema(min_length = 3, max_length = 32, pattern = "^[A-Za-z0-9_]+$")]
    pub username: String,
}

/// A member the viewer blocks.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockedMember {
    pub user: UserSummary,
    pub since: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockList {
    pub items: Vec<BlockedMember>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MuteState {
    pub muted: bool,
}

fn event(kind: EventKind, actor: UserId, thread_id: Option<ThreadId>, now: i64) -> NewEvent {
    NewEvent {
        kind,
        community_id: None,
        thread_id: thread_id.map(|id| id.0),
        post_id: None,
        actor_id: Some(actor),
        payload: EventPayload::Empty(EmptyPayload {}),
        created_at: now,
    }
}

/// The id of an existing member other than `user`; 404 for an unknown name.
fn other_member(
    conn: &mut DbConnection,
    user: &CurrentUser,
    name: &Username,
) -> Result<UserId, Error> {
    let id = blocks::user_id_named(conn, name.as_str())?.ok_or(Error::NotFound)?;
    if id == user.id {
        return Err(Error::invalid("username", "you cannot block yourself"));
    }
    Ok(id)
}

/// Blocks a member (again: nothing changes) and answers the viewer's list.
pub fn block(store: &Store, user: &CurrentUser, input: BlockInput) -> Result<BlockList, Error> {
    let name = Username::parse(&input.username)?;
    let now = now_micros();
    store.write(|conn| {
        let blocked = other_member(conn, user, &name)?;
        if blocks::insert(conn, user.id, blocked, now)? {
            events::append(conn, event(EventKind::BlockChanged, user.id, None, now))?;
        }
        list_in(conn, user)
    })
}

/// Lifts a block (none: nothing changes); 404 for an unknown name.
pub fn unblock(store: &Store, user: &CurrentUser, username: &str) -> Result<BlockList, Error> {
    let name = Username::parse(username).map_err(|_| Error::NotFound)?;
    let now = now_micros();
    store.write(|conn| {
        let blocked = other_member(conn, user, &name)?;
        if blocks::delete(conn, user.id, blocked)? {
            events::append(conn, event(EventKind::BlockChanged, user.id, None, now))?;
        }
        list_in(conn, user)
    })
}

pub fn list(store: &Store, user: &CurrentUser) -> Result<BlockList, Error> {
    store.read(|conn| list_in(conn, user))
}

fn list_in(conn: &mut DbConnection, user: &CurrentUser) -> Result<BlockList, Error> {
    let rows = blocks::list(conn, user.id)?;
    let authors = Authors::load(conn, rows.iter().map(|(id, _)| Some(id.0)))?;
    Ok(BlockList {
        items: rows
            .iter()
            .filter_map(|(id, since)| {
                authors.get(Some(id.0)).map(|user| BlockedMember {
                    user,
                    since: format_time(*since),
                })
            })
            .collect(),
    })
}

/// Mutes or unmutes a thread the member can read: a muted thread notifies them of nothing.
pub fn set_thread_mute(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
    muted: bool,
) -> Result<MuteState, Error> {
    let now = now_micros();
    store.write(|conn| {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        CommunityAccess::by_id(conn, thread.community_id, Some(user))?;
        if muted {
            blocks::mute_thread(conn, user.id, ThreadId(thread.id), now)?;
        } else {
            blocks::unmute_thread(conn, user.id, ThreadId(thread.id))?;
        }
        events::append(
            conn,
            event(
                EventKind::MuteChanged,
                user.id,
                Some(ThreadId(thread.id)),
                now,
            ),
        )?;
        Ok(MuteState { muted })
    })
}

pub fn thread_mute(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
) -> Result<MuteState, Error> {
    store.read(|conn| {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        CommunityAccess::by_id(conn, thread.community_id, Some(user))?;
        Ok(MuteState {
            muted: blocks::thread_muted(conn, user.id, ThreadId(thread.id))?,
        })
    })
}
