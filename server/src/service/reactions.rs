//! Reactions: one-tap support on a post (`with_you`, `thank_you`, `me_too`, `helpful`).
//!
//! Adding or taking back a reaction is idempotent: doing it twice changes nothing the
//! second time, and only a change writes a `post.reactions_changed` event (which the
//! realtime layer turns into fresh counts for everyone watching the thread) and, for a
//! new reaction from someone other than the author, the author's notification. That
//! notification is batched: one per post and kind, replaced (so it comes back unread, at
//! the top) with the current number of people, never one per reaction.
//!
//! Only published posts take reactions; a post the member may not see is not found, as
//! everywhere. Counts for a page of posts come from one grouped query
//! ([`counts_for`]), plus one for the reader's own reactions ([`for_reader`]).

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, ReactionsPayload};
use crate::domain::ids::{format_time, next_id, now_micros, PostId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::post::PostStatus;
use crate::domain::reaction::ReactionKind;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::notifications::{self as notification_store, NotificationRow};
use crate::store::posts::{self, PostRow};
use crate::store::reactions;
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::notifications;
use super::views::{Authors, UserSummary};

/// Most reactions `GET /posts/{id}/reactions` lists.
const MAX_LISTED: i64 = 500;

/// One kind's count on a post, and whether the reader is among them.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct ReactionCount {
    pub count: i64,
    /// Whether the reader reacted this way. Absent in realtime events, which go to many
    /// readers at once: a client keeps its own state from its `PUT`/`DELETE` answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
}

/// The reactions on a post, every kind always present.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Reactions {
    pub with_you: ReactionCount,
    pub thank_you: ReactionCount,
    pub me_too: ReactionCount,
    pub helpful: ReactionCount,
}

impl Reactions {
    /// No reactions yet, as a signed-in or anonymous reader sees them (`mine: false`).
    pub fn none_for_reader() -> Reactions {
        let zero = ReactionCount {
            count: 0,
            mine: Some(false),
        };
        Reactions {
            with_you: zero,
            thank_you: zero,
            me_too: zero,
            helpful: zero,
        }
    }

    pub fn get(&self, kind: ReactionKind) -> ReactionCount {
        match kind {
            ReactionKind::WithYou => self.with_you,
            ReactionKind::ThankYou => self.thank_you,
            ReactionKind::MeToo => self.me_too,
            ReactionKind::Helpful => self.helpful,
        }
    }

    fn get_mut(&mut self, kind: ReactionKind) -> &mut ReactionCount {
        match kind {
            ReactionKind::WithYou => &mut self.with_you,
            ReactionKind::ThankYou => &mut self.thank_you,
            ReactionKind::MeToo => &mut self.me_too,
            ReactionKind::Helpful => &mut self.helpful,
        }
    }
}

/// Post rows still carry bare ids; the reactions store takes typed ones.
fn typed(post_ids: &[i64]) -> Vec<PostId> {
    post_ids.iter().copied().map(PostId).collect()
}

/// Counts for these posts, without `mine` (realtime events): one grouped query. Posts
/// without reactions are absent.
pub fn counts_for(
    conn: &mut DbConnection,
    post_ids: &[i64],
) -> Result<HashMap<i64, Reactions>, Error> {
    let mut found: HashMap<i64, Reactions> = HashMap::new();
    for (post_id, kind, count) in reactions::counts(conn, &typed(post_ids))? {
        // A kind this build does not know (written by a newer one) is not shown.
        if let Ok(kind) = ReactionKind::parse(&kind) {
            found.entry(post_id.0).or_default().get_mut(kind).count = count;
        }
    }
    Ok(found)
}

/// Counts for these posts with the reader's own reactions (`mine`), for every post
/// asked about: at most two queries, whatever the number of posts.
pub fn for_reader(
    conn: &mut DbConnection,
    post_ids: &[i64],
    reader: Option<&CurrentUser>,
) -> Result<HashMap<i64, Reactions>, Error> {
    let counts = counts_for(conn, post_ids)?;
    let mut found: HashMap<i64, Reactions> = post_ids
        .iter()
        .map(|id| {
            let mut reactions = counts.get(id).copied().unwrap_or_default();
            for kind in ReactionKind::ALL {
                reactions.get_mut(*kind).mine = Some(false);
            }
            (*id, reactions)
        })
        .collect();
    // Without any reaction on the page, the reader has none either.
    if let (Some(reader), false) = (reader, counts.is_empty()) {
        for (post_id, kind) in reactions::mine(conn, &typed(post_ids), reader.id)? {
            if let (Some(reactions), Ok(kind)) =
                (found.get_mut(&post_id.0), ReactionKind::parse(&kind))
            {
                reactions.get_mut(kind).mine = Some(true);
            }
        }
    }
    Ok(found)
}

/// Adds (`on`) or takes back a member's reaction to a post; the post's reactions after
/// the change, as the member sees them.
pub fn set(
    store: &Store,
    limit: &RateLimit,
    user: &CurrentUser,
    post_id: PostId,
    kind: ReactionKind,
    on: bool,
) -> Result<Reactions, Error> {
    let now = now_micros();
    store.write(|conn| {
        let post = reactable_post(conn, user, post_id)?;
        limit.take(conn, &user.id.to_string(), now)?;
        let changed = if on {
            reactions::add(conn, PostId(post.id), user.id, kind.as_str(), now)?
        } else {
            reactions::remove(conn, PostId(post.id), user.id, kind.as_str())?
        };
        if changed {
            events::append(
                conn,
                NewEvent {
                    kind: EventKind::PostReactionsChanged,
                    community_id: Some(post.community_id),
                    thread_id: Some(post.thread_id),
                    post_id: Some(post.id),
                    actor_id: Some(user.id),
                    payload: EventPayload::Reactions(ReactionsPayload {
                        kind: kind.as_str().to_owned(),
                        on,
                    }),
                    created_at: now,
                },
            )?;
            if on {
                notify_author(conn, &post, user, kind, now)?;
            }
        }
        Ok(for_reader(conn, &[post.id], Some(user))?
            .remove(&post.id)
            .unwrap_or_else(Reactions::none_for_reader))
    })
}

/// The post, if this member may react to it: they see it (else `NotFound`), it is
/// published and not deleted (else `409 post_not_published`), and they may post in its
/// community (else `403`).
fn reactable_post(
    conn: &mut DbConnection,
    user: &CurrentUser,
    post_id: PostId,
) -> Result<PostRow, Error> {
    let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
    let access = CommunityAccess::by_id(conn, post.community_id, Some(user))?;
    if !access.can_see_post(&post, Some(user)) {
        return Err(Error::NotFound);
    }
    if post.status != PostStatus::Published || post.deleted_at.is_some() {
        return Err(Error::NotPublished("es3-not-published-react"));
    }
    access.require_poster()?;
    Ok(post)
}

/// Replaces the author's notification about this post and kind with one that counts
/// everyone who reacted this way so far. Nobody is told of their own reaction.
fn notify_author(
    conn: &mut DbConnection,
    post: &PostRow,
    user: &CurrentUser,
    kind: ReactionKind,
    now: i64,
) -> Result<(), Error> {
    let Some(author) = post.author_id.filter(|author| *author != user.id.0) else {
        return Ok(());
    };
    let people =
        reactions::count_others(conn, PostId(post.id), kind.as_str(), Some(UserId(author)))?;
    notification_store::forget(conn, author, post.id, NotificationKind::of_reaction(kind))?;
    let row = NotificationRow {
        id: next_id(),
        user_id: author,
        kind: NotificationKind::of_reaction(kind),
        community_id: post.community_id,
        thread_id: post.thread_id,
        post_id: post.id,
        actor_id: Some(user.id.0),
        detail: Some(kind.sentence(people)),
        created_at: now,
        read_at: None,
    };
    notifications::record(conn, &[row], post, now)
}

/// One member's reaction, as `GET /posts/{id}/reactions` lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reactor {
    pub kind: ReactionKind,
    pub user: UserSummary,
    pub reacted_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReactorList {
    /// Oldest first, at most 500.
    pub items: Vec<Reactor>,
    pub reactions: Reactions,
}

/// Who reacted to a post the reader may see, and how.
pub fn who(
    store: &Store,
    reader: Option<&CurrentUser>,
    post_id: PostId,
) -> Result<ReactorList, Error> {
    store.read(|conn| {
        let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, post.community_id, reader)?;
        if !access.can_see_post(&post, reader) {
            return Err(Error::NotFound);
        }
        let rows = reactions::of_post(conn, PostId(post.id), MAX_LISTED)?;
        let authors = Authors::load(conn, rows.iter().map(|(user, _, _)| Some(user.0)))?;
        let items = rows
            .into_iter()
            .filter_map(|(user, kind, at)| {
                Some(Reactor {
                    kind: ReactionKind::parse(&kind).ok()?,
                    user: authors.get(Some(user.0))?,
                    reacted_at: format_time(at),
                })
            })
            .collect();
        let reactions = for_reader(conn, &[post.id], reader)?
            .remove(&post.id)
            .unwrap_or_else(Reactions::none_for_reader);
        Ok(ReactorList { items, reactions })
    })
}

/// A member's reactions, for their export.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedReaction {
    pub post_id: PostId,
    pub kind: String,
    pub reacted_at: String,
}

pub fn exported(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<ExportedReaction>, Error> {
    Ok(reactions::of_user(conn, user_id)?
        .into_iter()
        .map(|(post_id, kind, at)| ExportedReaction {
            post_id,
            kind,
            reacted_at: format_time(at),
        })
        .collect())
}
