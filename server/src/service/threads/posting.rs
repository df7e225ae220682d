//! Writing new posts: starting a thread, replying, and the insert path both share
//! (screening, limits, the event, notifications, the thread's counters).

use super::{visible_thread, CreatedThread};
use crate::domain::community::Visibility;
use crate::domain::content_note::ContentNotes;
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EmptyPayload, EventPayload, PostPayload};
use crate::domain::ids::{next_id, now_micros, CommunityId, PostId, ThreadId, UserId};
use crate::domain::post::{PostBody, PostStatus, ThreadTitle};
use crate::error::Error;
use crate::rate_limit::AbuseLimits;
use crate::screening::{self, Screened};
use crate::service::access::CommunityAccess;
use crate::service::advice::AdviceCheck;
use crate::service::care::{self, CareContext, CarePanel};
use crate::service::content_notes;
use crate::service::idempotency::{self, Answer, Keyed};
use crate::service::moderation::{author_trust, poster_standing, queue_post};
use crate::service::notifications;
use crate::service::views::{Authors, PostView, ThreadView};
use crate::store::communities;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::posts::{self, PostRow};
use crate::store::threads::{self, ThreadRow};
use crate::store::{DbConnection, Store};
use kindred_moderation::Screener;
use serde::{Deserialize, Serialize};

/// Records a post as an event, with ids and status only: readers fetch the text.
pub(super) fn post_event(kind: EventKind, post: &PostRow, actor: UserId, now: i64) -> NewEvent {
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

/// What the author wrote: the text and the content notes they marked it with.
pub struct NewPost {
    pub body: PostBody,
    pub notes: ContentNotes,
}

impl NewPost {
    /// A text without content notes.
    pub fn plain(body: PostBody) -> NewPost {
        NewPost {
            body,
            notes: ContentNotes::default(),
        }
    }
}

/// What a new post goes through before it is written: screening, and the posting limits.
#[derive(Clone, Copy)]
pub struct PostChecks<'a> {
    pub screener: &'a Screener,
    pub limits: &'a AbuseLimits,
    pub care: CareContext<'a>,
    /// Whether a directive about a treatment stops at the nudge (`service::advice`).
    pub advice: AdviceCheck,
}

/// Starts a thread with its first post, both in one transaction. Access, trust and
/// screening are worked out before the write transaction (see [`reply`]).
pub fn create(
    store: &Store,
    checks: &PostChecks,
    user: &CurrentUser,
    slug: &str,
    title: ThreadTitle,
    written: NewPost,
    keyed: Option<&Keyed>,
) -> Result<Answer, Error> {
    let NewPost { body, notes } = written;
    let PostChecks {
        screener,
        limits,
        care,
        advice,
    } = *checks;
    let now = now_micros();
    if let Some(answer) = idempotency::stored(store, user.id, keyed, now)? {
        return Ok(answer);
    }
    let poster = user.id.to_string();
    let (policy, trust) = store.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
        access.require_poster()?;
        let trust = confirmed_poster_trust(conn, &access, user, now)?;
        if let Some(limit) = limits.posts_for(trust) {
            limit.check(conn, &poster, now)?;
        }
        Ok((access.community.moderation_policy, trust))
    })?;
    let screened = screen_post(screener, trust, Some(title.as_str()), &body, &policy)?;
    if let Some(nudge) = crate::service::advice::stop_for_nudge(&screened, advice)? {
        return Ok(nudge);
    }
    let body_html = body.render_html()?;
    let answer = store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
        access.require_poster()?;
        idempotency::once(conn, user.id, keyed, now, |conn| {
            if let Some(limit) = limits.posts_for(trust) {
                limit.take(conn, &poster, now)?;
            }
            let thread = insert_thread(conn, access.community.id.0, user.id.0, title, now)?;
            let draft = PostDraft {
                body: &body,
                body_html,
                reply_to: None,
            };
            let public = access.community.visibility == Visibility::Public;
            let post = write_post(conn, &thread, public, user.id.0, draft, &screened, now)?;
            count_in_thread(conn, &post, now)?;
            content_notes::mark_new(conn, post.id, Some(thread.id), &notes)?;
            let care = care::after_post(conn, &post, &screened.self_harm, &care, now)?;
            let thread = threads::find(conn, thread.id)?.ok_or(Error::NotFound)?;
            let authors = Authors::load(conn, [Some(user.id.0)])?;
            let mut thread = ThreadView::from_row(&thread, &access.community.slug, &authors);
            thread.content_notes = notes.as_slice().to_vec();
            let post_id = post.id;
            let mut post = PostView::from_row(&post, &authors, Some(user.id));
            post.content_notes = notes.as_slice().to_vec();
            Ok(Answer::created(&CreatedThread { thread, post, care })?.quoting(PostId(post_id)))
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
            actor_id: Some(UserId(author_id)),
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
    let community =
        communities::find(conn, CommunityId(thread.community_id))?.ok_or(Error::NotFound)?;
    let public = community.visibility == Visibility::Public;
    let post = write_post(conn, thread, public, author_id, draft, screened, now)?;
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
/// itself, at the very end of its transaction, and knows whether the thread's community
/// is `public`.
fn write_post(
    conn: &mut DbConnection,
    thread: &ThreadRow,
    public: bool,
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
    let body_html =
        crate::service::mentions::link_html(conn, thread.community_id, body.as_str(), body_html)?;
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
        language: Some(screened.language_of(body.as_str())),
    };
    posts::insert(conn, &post)?;
    events::append(
        conn,
        post_event(EventKind::PostCreated, &post, UserId(author_id), now),
    )?;
    let published = post.status == PostStatus::Published;
    if published {
        notifications::new_post_published(conn, &post, thread, public, now)?;
    }
    if let Some(findings) = &screened.findings {
        queue_post(conn, &post, "screening", findings, now)?;
    }
    Ok(post)
}

/// The trust level screening uses for this poster; `None` for the community's
/// moderators and site admins, who are the reviewers and are not screened.
pub(super) fn poster_trust(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    user: &CurrentUser,
    now: i64,
) -> Result<Option<u8>, Error> {
    if access.is_moderator() {
        return Ok(None);
    }
    author_trust(conn, user.id, now).map(Some)
}

/// [`poster_trust`] for a new post, which also needs a confirmed address
/// (`service::email::require_confirmed`): both from one read of the poster's row.
fn confirmed_poster_trust(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    user: &CurrentUser,
    now: i64,
) -> Result<Option<u8>, Error> {
    let (unconfirmed, trust) = poster_standing(conn, user.id, now)?;
    if unconfirmed {
        return Err(crate::service::email::unconfirmed());
    }
    Ok((!access.is_moderator()).then_some(trust))
}

/// Screens a post with the community's policy and the poster's trust level (`None`:
/// not screened).
pub(super) fn screen_post(
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
        crate::service::quotes::check_reply_to(conn, &access, &thread, user, parent)?;
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
    written: NewPost,
    reply_to: Option<PostId>,
    keyed: Option<&Keyed>,
) -> Result<Answer, Error> {
    let NewPost { body, notes } = written;
    let PostChecks {
        screener,
        limits,
        care,
        advice,
    } = *checks;
    let now = now_micros();
    if let Some(answer) = idempotency::stored(store, user.id, keyed, now)? {
        return Ok(answer);
    }
    let poster = user.id.to_string();
    let (policy, trust) = store.read(|conn| {
        let (_, access) = answerable_thread(conn, user, thread_id, reply_to)?;
        let trust = confirmed_poster_trust(conn, &access, user, now)?;
        if let Some(limit) = limits.posts_for(trust) {
            limit.check(conn, &poster, now)?;
        }
        Ok((access.community.moderation_policy, trust))
    })?;
    let screened = screen_post(screener, trust, None, &body, &policy)?;
    if let Some(nudge) = crate::service::advice::stop_for_nudge(&screened, advice)? {
        return Ok(nudge);
    }
    let body_html = body.render_html()?;
    let answer = store.write(|conn| {
        let (thread, access) = answerable_thread(conn, user, thread_id, reply_to)?;
        let public = access.community.visibility == Visibility::Public;
        let mut written = None;
        let answer = idempotency::once(conn, user.id, keyed, now, |conn| {
            if let Some(limit) = limits.posts_for(trust) {
                limit.take(conn, &poster, now)?;
            }
            let draft = PostDraft {
                body: &body,
                body_html,
                reply_to,
            };
            let post = write_post(conn, &thread, public, user.id.0, draft, &screened, now)?;
            content_notes::mark_new(conn, post.id, None, &notes)?;
            let care = care::after_post(conn, &post, &screened.self_harm, &care, now)?;
            let authors = Authors::load(conn, [Some(user.id.0)])?;
            let mut view = PostView::from_row(&post, &authors, Some(user.id));
            view.content_notes = notes.as_slice().to_vec();
            let answer =
                Answer::created(&ReplyAnswer { post: view, care })?.quoting(PostId(post.id));
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
