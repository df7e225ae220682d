//! Threads and posts: listing, reading, starting threads, replying, editing, deleting,
//! pinning and locking.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::care::{self, CareContext, CarePanel};
use super::idempotency::{self, Answer, Keyed};
use super::moderation::{author_trust, change_post_status, queue_post};
use super::notifications;
use super::reactions;
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EmptyPayload, EventPayload, PostPayload, ThreadFlagsPayload};
use crate::domain::ids::{next_id, now_micros, PostId, ThreadId};
use crate::domain::moderation::Findings;
use crate::domain::post::{PostBody, PostStatus, ThreadTitle};
use crate::error::Error;
use crate::rate_limit::AbuseLimits;
use crate::screening::{self, Screened};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::posts::{self, PostRow, PostScope};
use crate::store::threads::{self, ThreadCursor, ThreadRow};
use crate::store::{DbConnection, Store};
use kindred_moderation::Screener;

use super::access::CommunityAccess;
use super::communities::paginate;
use super::cursor;
use super::views::{Authors, Page, PostView, ThreadView};

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadWithPosts {
    pub thread: ThreadView,
    pub posts: Vec<PostView>,
    pub next_cursor: Option<String>,
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
            viewer.map(|u| u.id.0),
            access.is_moderator(),
            after,
            limit + 1,
        )?;
        let authors = Authors::load(conn, rows.iter().map(|t| t.author_id))?;
        Ok(paginate(
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
        ))
    })
}

/// Records a post as an event, with ids and status only: readers fetch the text.
fn post_event(kind: EventKind, post: &PostRow, actor: i64, now: i64) -> NewEvent {
    NewEvent {
        kind,
        community_id: Some(post.community_id),
        thread_id: Some(post.thread_id),
        post_id: Some(post.id),
        actor_id: Some(actor),
        payload: EventPayload::Post(PostPayload {
            author_id: post.author_id,
            erased: false,
            status: post.status,
        }),
        created_at: now,
    }
}

/// What a new post goes through before it is written: screening, and the posting limits.
#[derive(Clone, Copy)]
pub struct PostChecks<'a> {
    pub screener: &'a Screener,
    pub limits: &'a AbuseLimits,
    pub care: CareContext<'a>,
}

/// Starts a thread with its first post, both in one transaction. Access, trust and
/// screening are worked out before the write transaction (see [`reply`]).
pub fn create(
    store: &Store,
    checks: &PostChecks,
    user: &CurrentUser,
    slug: &str,
    title: ThreadTitle,
    body: PostBody,
    keyed: Option<&Keyed>,
) -> Result<Answer, Error> {
    let PostChecks {
        screener,
        limits,
        care,
    } = *checks;
    let now = now_micros();
    if let Some(answer) = idempotency::stored(store, user.id.0, keyed, now)? {
        return Ok(answer);
    }
    let poster = user.id.0.to_string();
    let (policy, trust) = store.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
        access.require_poster()?;
        super::email::require_confirmed(conn, user.id.0)?;
        let trust = poster_trust(conn, &access, user, now)?;
        if let Some(limit) = limits.posts_for(trust) {
            limit.check(conn, &poster, now)?;
        }
        Ok((access.community.moderation_policy, trust))
    })?;
    let screened = screen_post(screener, trust, Some(title.as_str()), &body, &policy)?;
    let body_html = body.render_html()?;
    let answer = store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
        access.require_poster()?;
        idempotency::once(conn, user.id.0, keyed, now, |conn| {
            if let Some(limit) = limits.posts_for(trust) {
                limit.take(conn, &poster, now)?;
            }
            let thread = insert_thread(conn, access.community.id, user.id.0, title, now)?;
            let draft = PostDraft {
                body: &body,
                body_html,
                reply_to: None,
            };
            let post = insert_post(conn, &thread, user.id.0, draft, &screened, now)?;
            let care = care::after_post(conn, &post, &screened.self_harm, &care, now)?;
            let thread = threads::find(conn, thread.id)?.ok_or(Error::NotFound)?;
            let authors = Authors::load(conn, [Some(user.id.0)])?;
            Ok(Answer::created(&CreatedThread {
                thread: ThreadView::from_row(&thread, &access.community.slug, &authors),
                post: PostView::from_row(&post, &authors, Some(user.id)),
                care,
            })?
            .quoting(post.id))
        })
    })?;
    if keyed.is_some() {
        idempotency::purge_expired(store, now)?;
    }
    Ok(answer)
}

/// Inserts a thread (without posts) and its `thread.created` event.
pub fn insert_thread(
    conn: &mut DbConnection,
    community_id: i64,
    author_id: i64,
    title: ThreadTitle,
    now: i64,
) -> Result<ThreadRow, Error> {
    let thread = ThreadRow {
        id: next_id(),
        community_id,
        author_id: Some(author_id),
        title: title.into_inner(),
        pinned: false,
        locked: false,
        post_count: 0,
        created_at: now,
        last_post_at: now,
    };
    threads::insert(conn, &thread)?;
    events::append(
        conn,
        NewEvent {
            kind: EventKind::ThreadCreated,
            community_id: Some(community_id),
            thread_id: Some(thread.id),
            post_id: None,
            actor_id: Some(author_id),
            payload: EventPayload::Empty(EmptyPayload {}),
            created_at: now,
        },
    )?;
    Ok(thread)
}

/// A post about to be written: its source, rendered HTML (rendered before the write
/// transaction, to keep it short) and the post it answers.
pub struct PostDraft<'a> {
    pub body: &'a PostBody,
    pub body_html: String,
    pub reply_to: Option<PostId>,
}

/// Inserts a post, counts it in its thread if published, records `post.created`, and
/// notifies the people a published post concerns.
pub fn insert_post(
    conn: &mut DbConnection,
    thread: &ThreadRow,
    author_id: i64,
    draft: PostDraft<'_>,
    screened: &Screened,
    now: i64,
) -> Result<PostRow, Error> {
    let post = write_post(conn, thread, author_id, draft, screened, now)?;
    count_in_thread(conn, &post, now)?;
    Ok(post)
}

/// Counts a post in its thread's `post_count` and `last_post_at` if it is published.
/// On PostgreSQL every writer to this thread then waits for the row lock this takes
/// until the transaction commits, so callers run it last.
fn count_in_thread(conn: &mut DbConnection, post: &PostRow, now: i64) -> Result<(), Error> {
    if post.status == PostStatus::Published {
        threads::record_post(conn, post.thread_id, now)?;
    }
    Ok(())
}

/// [`insert_post`] without counting the post in its thread: for a caller that does so
/// itself, at the very end of its transaction.
fn write_post(
    conn: &mut DbConnection,
    thread: &ThreadRow,
    author_id: i64,
    draft: PostDraft<'_>,
    screened: &Screened,
    now: i64,
) -> Result<PostRow, Error> {
    let PostDraft {
        body,
        body_html,
        reply_to,
    } = draft;
    let post = PostRow {
        id: next_id(),
        thread_id: thread.id,
        community_id: thread.community_id,
        author_id: Some(author_id),
        body_source: body.as_str().to_owned(),
        body_html,
        status: screened.status,
        created_at: now,
        edited_at: None,
        deleted_at: None,
        moderation_note: screened.note.clone(),
        reply_to_id: reply_to.map(|id| id.0),
    };
    posts::insert(conn, &post)?;
    events::append(
        conn,
        post_event(EventKind::PostCreated, &post, author_id, now),
    )?;
    let published = post.status == PostStatus::Published;
    if published {
        notifications::post_published(conn, &post, now)?;
    }
    if let Some(findings) = &screened.findings {
        queue_post(conn, &post, "screening", findings, now)?;
    }
    Ok(post)
}

/// The trust level screening uses for this poster; `None` for the community's
/// moderators and site admins, who are the reviewers and are not screened.
fn poster_trust(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    user: &CurrentUser,
    now: i64,
) -> Result<Option<u8>, Error> {
    if access.is_moderator() {
        return Ok(None);
    }
    author_trust(conn, user.id.0, now).map(Some)
}

/// Screens a post with the community's policy and the poster's trust level (`None`:
/// not screened).
fn screen_post(
    screener: &Screener,
    trust: Option<u8>,
    title: Option<&str>,
    body: &PostBody,
    policy: &str,
) -> Result<Screened, Error> {
    let Some(trust) = trust else {
        return Ok(Screened::clean());
    };
    screening::screen(screener, title, body.as_str(), trust, policy)
}

/// Loads a thread the viewer may see. A thread without any published post (its opening
/// post held or removed) exists only for its author and the moderators.
fn visible_thread(
    conn: &mut DbConnection,
    thread_id: ThreadId,
    viewer: Option<&CurrentUser>,
) -> Result<(ThreadRow, CommunityAccess), Error> {
    let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
    let access = CommunityAccess::by_id(conn, thread.community_id, viewer)?;
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
    store.read(|conn| {
        let (thread, access) = visible_thread(conn, thread_id, viewer)?;
        let rows =
            posts::list_for_thread(conn, thread.id, access.post_scope(viewer), after, limit + 1)?;
        let authors = Authors::load(
            conn,
            rows.iter().map(|p| p.author_id).chain([thread.author_id]),
        )?;
        let blocked = match viewer {
            Some(user) => crate::store::blocks::blocked_by(conn, user.id.0)?,
            None => std::collections::HashSet::new(),
        };
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let reactions = reactions::for_reader(conn, &ids, viewer)?;
        let page = paginate(
            rows,
            limit,
            |p| cursor::encode_id(p.id),
            |p| {
                let mut view = PostView::from_row(p, &authors, viewer.map(|u| u.id))
                    .with_reactions(reactions.get(&p.id));
                view.author_blocked = p.author_id.is_some_and(|a| blocked.contains(&a));
                view
            },
        );
        Ok(ThreadWithPosts {
            thread: ThreadView::from_row(&thread, &access.community.slug, &authors),
            posts: page.items,
            next_cursor: page.next_cursor,
        })
    })
}

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

/// The thread a member may reply to, with their access, checking `reply_to` names a post
/// of it they can see.
fn answerable_thread(
    conn: &mut DbConnection,
    user: &CurrentUser,
    thread_id: ThreadId,
    reply_to: Option<PostId>,
) -> Result<(ThreadRow, CommunityAccess), Error> {
    let (thread, access) = visible_thread(conn, thread_id, Some(user))?;
    access.require_poster()?;
    if thread.locked && !access.is_moderator() {
        return Err(Error::forbidden("thread_locked", "this thread is locked"));
    }
    if let Some(parent) = reply_to {
        let parent = posts::find(conn, parent.0)?;
        let answerable =
            parent.is_some_and(|p| p.thread_id == thread.id && access.can_see_post(&p, Some(user)));
        if !answerable {
            return Err(Error::invalid(
                "reply_to",
                "reply_to must be a post of this thread",
            ));
        }
    }
    Ok((thread, access))
}

/// What a page reads back from the answer to a new thread or a reply (fresh or
/// replayed): the post it created.
#[derive(Debug, Deserialize)]
pub struct Created {
    pub post: CreatedPost,
    /// Present when the author should see the crisis-lines panel now.
    #[serde(default)]
    pub care: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
pub struct CreatedPost {
    pub id: String,
    pub thread_id: String,
    pub status: PostStatus,
}

/// The answer to a reply: the same shape as the API's other post answers.
#[derive(Serialize)]
struct ReplyAnswer {
    post: PostView,
    #[serde(skip_serializing_if = "Option::is_none")]
    care: Option<CarePanel>,
}

/// Posts a reply. The slow parts run before the write transaction, which on SQLite
/// holds the one writer's lock: access and trust are read and the text screened first,
/// then the transaction checks access again (a few primary-key reads) and writes. A
/// community policy or trust level that changes in between screens this one post by the
/// previous rules, as if it had arrived a moment earlier.
pub fn reply(
    store: &Store,
    checks: &PostChecks,
    user: &CurrentUser,
    thread_id: ThreadId,
    body: PostBody,
    reply_to: Option<PostId>,
    keyed: Option<&Keyed>,
) -> Result<Answer, Error> {
    let PostChecks {
        screener,
        limits,
        care,
    } = *checks;
    let now = now_micros();
    if let Some(answer) = idempotency::stored(store, user.id.0, keyed, now)? {
        return Ok(answer);
    }
    let poster = user.id.0.to_string();
    let (policy, trust) = store.read(|conn| {
        let (_, access) = answerable_thread(conn, user, thread_id, reply_to)?;
        super::email::require_confirmed(conn, user.id.0)?;
        let trust = poster_trust(conn, &access, user, now)?;
        if let Some(limit) = limits.posts_for(trust) {
            limit.check(conn, &poster, now)?;
        }
        Ok((access.community.moderation_policy, trust))
    })?;
    let screened = screen_post(screener, trust, None, &body, &policy)?;
    let body_html = body.render_html()?;
    let answer = store.write(|conn| {
        let (thread, _) = answerable_thread(conn, user, thread_id, reply_to)?;
        let mut written = None;
        let answer = idempotency::once(conn, user.id.0, keyed, now, |conn| {
            if let Some(limit) = limits.posts_for(trust) {
                limit.take(conn, &poster, now)?;
            }
            let draft = PostDraft {
                body: &body,
                body_html,
                reply_to,
            };
            let post = write_post(conn, &thread, user.id.0, draft, &screened, now)?;
            let care = care::after_post(conn, &post, &screened.self_harm, &care, now)?;
            let authors = Authors::load(conn, [Some(user.id.0)])?;
            let answer = Answer::created(&ReplyAnswer {
                post: PostView::from_row(&post, &authors, Some(user.id)),
                care,
            })?
            .quoting(post.id);
            written = Some(post);
            Ok(answer)
        })?;
        // After the idempotency answer is recorded, just before the commit: the thread
        // row's lock is then held for one statement and the commit, not the whole reply.
        if let Some(post) = &written {
            count_in_thread(conn, post, now)?;
        }
        Ok(answer)
    })?;
    if keyed.is_some() {
        idempotency::purge_expired(store, now)?;
    }
    Ok(answer)
}

/// Loads a post the viewer can see, with its community access.
fn visible_post(
    conn: &mut DbConnection,
    user: &CurrentUser,
    post_id: PostId,
) -> Result<(PostRow, CommunityAccess), Error> {
    let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
    let access = CommunityAccess::by_id(conn, post.community_id, Some(user))?;
    if !access.can_see_post(&post, Some(user)) {
        return Err(Error::NotFound);
    }
    Ok((post, access))
}

/// Edits the author's own post, keeping the previous text as a revision.
pub fn edit(
    store: &Store,
    screener: &Screener,
    user: &CurrentUser,
    post_id: PostId,
    body: PostBody,
) -> Result<PostView, Error> {
    let body_html = body.render_html()?;
    let now = now_micros();
    store.write(|conn| {
        let (post, access) = visible_post(conn, user, post_id)?;
        if post.author_id != Some(user.id.0) {
            return Err(Error::forbidden(
                "not_author",
                "only the author can edit a post",
            ));
        }
        if post.deleted_at.is_some() {
            return Err(Error::Conflict("this post was deleted".into()));
        }
        access.require_not_sanctioned()?;
        // Editing would put a removed post back in the queue; the way back for a post
        // removed by mistake is an appeal, decided by someone else.
        if post.status == PostStatus::Removed {
            return Err(Error::forbidden(
                "post_removed",
                "a moderator removed this post, so it can no longer be edited",
            ));
        }
        let trust = poster_trust(conn, &access, user, now)?;
        let screened = screen_post(
            screener,
            trust,
            None,
            &body,
            &access.community.moderation_policy,
        )?;
        posts::insert_revision(conn, next_id(), post.id, &post.body_source, now)?;
        posts::update_body(conn, post.id, body.as_str(), &body_html, now)?;
        let edited = posts::find(conn, post.id)?.ok_or(Error::NotFound)?;
        rescreen(conn, &edited, &screened, user, now)?;
        let updated = posts::find(conn, post.id)?.ok_or(Error::NotFound)?;
        events::append(
            conn,
            post_event(EventKind::PostEdited, &updated, user.id.0, now),
        )?;
        let authors = Authors::load(conn, [updated.author_id])?;
        let reactions = reactions::for_reader(conn, &[updated.id], Some(user))?;
        Ok(PostView::from_row(&updated, &authors, Some(user.id))
            .with_reactions(reactions.get(&updated.id)))
    })
}

/// After an edit: a published post that now needs holding is held; a post already under
/// review stays held (a moderator approves the new version) with its queue item showing
/// the new findings; a published post that is now flagged joins the queue.
fn rescreen(
    conn: &mut DbConnection,
    post: &PostRow,
    screened: &Screened,
    user: &CurrentUser,
    now: i64,
) -> Result<(), Error> {
    let under_review = post.status != PostStatus::Published;
    if under_review {
        let findings = screened
            .findings
            .clone()
            .unwrap_or_else(Findings::clean_after_edit);
        queue_post(conn, post, "screening", &findings, now)?;
        return Ok(());
    }
    if screened.status == PostStatus::Held {
        change_post_status(
            conn,
            post,
            PostStatus::Held,
            screened.note.as_deref(),
            Some(user.id.0),
            now,
        )?;
    }
    if let Some(findings) = &screened.findings {
        queue_post(conn, post, "screening", findings, now)?;
    }
    Ok(())
}

/// Deletes a post, by its author or a moderator: the text goes, a tombstone stays.
pub fn delete(store: &Store, user: &CurrentUser, post_id: PostId) -> Result<PostView, Error> {
    let now = now_micros();
    store.write(|conn| {
        let (post, access) = visible_post(conn, user, post_id)?;
        if post.author_id != Some(user.id.0) && !access.is_moderator() {
            return Err(Error::forbidden(
                "not_author",
                "only the author or a moderator can delete a post",
            ));
        }
        if post.deleted_at.is_none() {
            posts::tombstone(conn, post.id, now)?;
            events::append(
                conn,
                post_event(EventKind::PostDeleted, &post, user.id.0, now),
            )?;
        }
        let updated = posts::find(conn, post.id)?.ok_or(Error::NotFound)?;
        let authors = Authors::load(conn, [updated.author_id])?;
        let reactions = reactions::for_reader(conn, &[updated.id], Some(user))?;
        Ok(PostView::from_row(&updated, &authors, Some(user.id))
            .with_reactions(reactions.get(&updated.id)))
    })
}

/// Pins, unpins, locks or unlocks a thread (moderators).
pub fn set_flags(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
    pinned: Option<bool>,
    locked: Option<bool>,
) -> Result<ThreadView, Error> {
    let now = now_micros();
    store.write(|conn| {
        let (thread, access) = visible_thread(conn, thread_id, Some(user))?;
        access.require_moderator()?;
        let pinned = pinned.unwrap_or(thread.pinned);
        let locked = locked.unwrap_or(thread.locked);
        threads::set_flags(conn, thread.id, pinned, locked)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::ThreadUpdated,
                community_id: Some(thread.community_id),
                thread_id: Some(thread.id),
                post_id: None,
                actor_id: Some(user.id.0),
                payload: EventPayload::ThreadFlags(ThreadFlagsPayload { locked, pinned }),
                created_at: now,
            },
        )?;
        let updated = threads::find(conn, thread.id)?.ok_or(Error::NotFound)?;
        let authors = Authors::load(conn, [updated.author_id])?;
        Ok(ThreadView::from_row(
            &updated,
            &access.community.slug,
            &authors,
        ))
    })
}
