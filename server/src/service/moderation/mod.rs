//! The moderators' side: member reports, the queue of posts waiting for review, decisions
//! (approve, remove, dismiss, with optional sanctions) and the append-only moderation log.
//!
//! This module keeps the writes every path shares (queueing a post, changing its status,
//! the author's trust) and who may moderate what; the submodules hold one workflow each.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, PostPayload, QueuedPayload};
use crate::domain::ids::{next_id, UserId};
use crate::domain::moderation::{trust_level, Findings, QueueState};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::store::communities::{self};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::moderation::{self as store, QueueItemRow};
use crate::store::posts::PostRow;
use crate::store::threads;
use crate::store::{DbConnection, Store};

use super::access::moderated_communities;
use super::notifications;

mod appeals;
mod history;
mod modlog;
mod policy;
mod queue;
mod reasons;
mod reports;

pub use appeals::{
    appeal, appealable_posts, appeals_of, decide_appeal, my_decisions, open_appeals,
    AppealQueueItem, AppealTarget, AppealView, MyDecisionView, MyDecisions,
};
pub use history::AuthorHistory;
pub use modlog::{export_decisions, modlog, ModLogEntryView};
pub use policy::{moderation_policy, set_moderation_policy, ModerationPolicyView};
pub use queue::{
    decide, queue, remove_post, DecisionInput, DecisionView, QueueItemView, ReportView,
};
pub use reasons::{
    add_removal_reason, make_default_reason, removal_reasons, remove_removal_reason,
    RemovalReasonView, RemovalReasons, MAX_REASONS,
};
pub use reports::{report, ReportReceipt};

pub(super) const DAY_MICROS: i64 = 86_400_000_000;

/// An author's trust level right now, from one row: their account's age and the post
/// counters the post writes keep.
pub(crate) fn author_trust(
    conn: &mut DbConnection,
    user_id: UserId,
    now: i64,
) -> Result<u8, Error> {
    let (created_at, published, removed) =
        store::trust_counters(conn, user_id)?.unwrap_or((now, 0, 0));
    Ok(trust_level(
        (now - created_at) / DAY_MICROS,
        published,
        removed,
    ))
}

/// Whether a poster's address still awaits confirmation, and their trust level (as
/// [`author_trust`]), from one read of their row.
pub(crate) fn poster_standing(
    conn: &mut DbConnection,
    user_id: UserId,
    now: i64,
) -> Result<(bool, u8), Error> {
    let (created_at, published, removed, unconfirmed) =
        store::poster_standing(conn, user_id)?.unwrap_or((now, 0, 0, false));
    let trust = trust_level((now - created_at) / DAY_MICROS, published, removed);
    Ok((unconfirmed, trust))
}

/// Opens a queue item for a post, or refreshes the open one, and records it as an event.
pub(crate) fn queue_post(
    conn: &mut DbConnection,
    post: &PostRow,
    source: &str,
    findings: &Findings,
    now: i64,
) -> Result<i64, Error> {
    let (labels, scores, reasons) = (
        findings.labels.to_string(),
        findings.scores.to_string(),
        findings.reasons.to_string(),
    );
    let item_id = if let Some(item) = store::open_item_for_post(conn, post.id)? {
        store::update_queue_findings(conn, item.id, &labels, &scores, &reasons, now)?;
        item.id
    } else {
        let item = QueueItemRow {
            id: next_id(),
            community_id: post.community_id,
            post_id: post.id,
            source: source.to_owned(),
            labels,
            scores,
            reasons,
            state: QueueState::Open,
            created_at: now,
            updated_at: now,
        };
        store::insert_queue_item(conn, &item)?;
        item.id
    };
    events::append(
        conn,
        NewEvent {
            kind: EventKind::ModerationQueued,
            community_id: Some(post.community_id),
            thread_id: Some(post.thread_id),
            post_id: Some(post.id),
            actor_id: None,
            payload: EventPayload::Queued(QueuedPayload {
                queue_item_id: Some(item_id),
                source: source.to_owned(),
            }),
            created_at: now,
        },
    )?;
    Ok(item_id)
}

/// Changes a post's status, keeping the thread's published-post count right.
pub(crate) fn change_post_status(
    conn: &mut DbConnection,
    post: &PostRow,
    status: PostStatus,
    note: Option<&str>,
    actor: Option<UserId>,
    now: i64,
) -> Result<(), Error> {
    let was_published = post.status == PostStatus::Published;
    let is_published = status == PostStatus::Published;
    store::set_post_status(conn, post.id, status, note)?;
    match (was_published, is_published) {
        (false, true) => threads::adjust_post_count(conn, post.thread_id, 1)?,
        (true, false) => threads::adjust_post_count(conn, post.thread_id, -1)?,
        _ => {}
    }
    events::append(
        conn,
        NewEvent {
            kind: EventKind::PostStatusChanged,
            community_id: Some(post.community_id),
            thread_id: Some(post.thread_id),
            post_id: Some(post.id),
            actor_id: actor,
            payload: EventPayload::Post(PostPayload {
                author_id: post.author_id,
                erased: false,
                status,
            }),
            created_at: now,
        },
    )?;
    if !was_published && is_published {
        notifications::post_published(conn, post, now)?;
    }
    Ok(())
}

/// The slugs of the communities whose queue this user may read, for live updates.
pub fn moderated_slugs(store_handle: &Store, user: &CurrentUser) -> Result<Vec<String>, Error> {
    store_handle.read(|conn| {
        let ids = moderated_communities(conn, user)?;
        let mut slugs: Vec<String> = communities::find_many(conn, &ids)?
            .into_iter()
            .map(|c| c.slug)
            .collect();
        slugs.sort();
        Ok(slugs)
    })
}

/// How many queue items wait for this user's decision, for the header's link to the
/// queue; `None` for members who moderate nothing.
pub fn open_queue_count(store_handle: &Store, user: &CurrentUser) -> Result<Option<i64>, Error> {
    store_handle.read(|conn| {
        let ids = moderated_communities(conn, user)?;
        if ids.is_empty() {
            return Ok(None);
        }
        Ok(Some(store::count_open_items(conn, &ids)?))
    })
}

/// `GET /mod/queue/count`: the header's count, which pages refresh when a `mod:{slug}`
/// event says the queue changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenQueueCount {
    /// Open items in every queue this moderator looks after.
    pub open: i64,
}

/// [`open_queue_count`] for the API: members who moderate nothing get `403 not_moderator`.
pub fn open_queue_count_of_moderator(
    store_handle: &Store,
    user: &CurrentUser,
) -> Result<OpenQueueCount, Error> {
    open_queue_count(store_handle, user)?
        .map(|open| OpenQueueCount { open })
        .ok_or_else(|| Error::forbidden("not_moderator", "only moderators have a queue"))
}
