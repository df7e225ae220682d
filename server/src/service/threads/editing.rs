//! Changing what exists: editing and deleting posts, pinning and locking threads.

use super::posting::{post_event, poster_trust, screen_post};
use super::visible_thread;
use crate::domain::content_note::ContentNotes;
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, ThreadFlagsPayload};
use crate::domain::ids::{next_id, now_micros, PostId, ThreadId};
use crate::domain::moderation::Findings;
use crate::domain::post::{PostBody, PostStatus};
use crate::error::Error;
use crate::screening::Screened;
use crate::service::access::CommunityAccess;
use crate::service::content_notes;
use crate::service::moderation::{change_post_status, queue_post};
use crate::service::reactions;
use crate::service::views::{Authors, PostView, ThreadView};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::posts::{self, PostRow};
use crate::store::threads;
use crate::store::{DbConnection, Store};
use kindred_moderation::Screener;

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

/// Edits the author's own post, keeping the previous text as a revision. `notes`, when
/// given, replace the post's content notes.
pub fn edit(
    store: &Store,
    screener: &Screener,
    user: &CurrentUser,
    post_id: PostId,
    body: PostBody,
    notes: Option<&ContentNotes>,
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
        let body_html =
            crate::service::mentions::link_html(conn, post.community_id, body.as_str(), body_html)?;
        posts::insert_revision(conn, next_id(), post.id, &post.body_source, now)?;
        posts::update_body(
            conn,
            post.id,
            body.as_str(),
            &body_html,
            &screened.language_of(body.as_str()),
            now,
        )?;
        let edited = posts::find(conn, post.id)?.ok_or(Error::NotFound)?;
        rescreen(conn, &edited, &screened, user, now)?;
        if let Some(notes) = notes {
            content_notes::mark_edited(conn, post.id, notes)?;
        }
        let updated = posts::find(conn, post.id)?.ok_or(Error::NotFound)?;
        events::append(
            conn,
            post_event(EventKind::PostEdited, &updated, user.id, now),
        )?;
        let authors = Authors::load(conn, [updated.author_id])?;
        let reactions = reactions::for_reader(conn, &[updated.id], Some(user))?;
        let mut view = [PostView::from_row(&updated, &authors, Some(user.id))
            .with_reactions(reactions.get(&updated.id))];
        content_notes::annotate_posts(conn, &mut view)?;
        let [view] = view;
        Ok(view)
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
            Some(user.id),
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
                post_event(EventKind::PostDeleted, &post, user.id, now),
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
                actor_id: Some(user.id),
                payload: EventPayload::ThreadFlags(ThreadFlagsPayload { locked, pinned }),
                created_at: now,
            },
        )?;
        let updated = threads::find(conn, thread.id)?.ok_or(Error::NotFound)?;
        let authors = Authors::load(conn, [updated.author_id])?;
        let mut view = [ThreadView::from_row(
            &updated,
            &access.community.slug,
            &authors,
        )];
        content_notes::annotate_threads(conn, &mut view)?;
        let [view] = view;
        Ok(view)
    })
}
