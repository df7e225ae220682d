//! Clinician context (issue 19): a verified clinician or a moderator attaches a short
//! note under a post ("oncology nurse: most teams advise …"), so a borderline post can
//! stay up with context instead of being removed. Everyone who can read the post reads
//! its notes, labelled with the writer's role; the author is told; the writer and the
//! community's moderators may edit or remove it; each step is in the moderation log.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::duty::NoteText;
use crate::domain::event::{EmptyPayload, EventPayload};
use crate::domain::ids::{format_time, next_id, now_micros, CommunityId, PostId, UserId};
use crate::domain::markdown::render_markdown;
use crate::domain::moderation::ModAction;
use crate::domain::notification::NotificationKind;
use crate::error::Error;
use crate::store::duty::{self as store, ContextNoteRow};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::moderation::{self as modlog, ModLogRow};
use crate::store::notifications::NotificationRow;
use crate::store::posts::{self, PostRow};
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::notifications;
use super::views::{Authors, UserSummary};

/// The label of a moderator who is not a verified clinician.
const MODERATOR_LABEL: &str = "moderator";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContextNoteView {
    pub id: String,
    pub post_id: PostId,
    /// The writer's role: a verified clinician's ("oncology nurse") or `moderator`.
    pub label: String,
    pub writer: Option<UserSummary>,
    /// Sanitised HTML of the note's markdown.
    pub body_html: String,
    /// The markdown, for whoever may edit the note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
}

fn view(row: &ContextNoteRow, authors: &Authors, editable: bool) -> ContextNoteView {
    ContextNoteView {
        id: row.id.to_string(),
        post_id: row.post_id,
        label: row.label.clone(),
        writer: authors.get(Some(row.writer_id.0)),
        body_html: row.body_html.clone(),
        body: editable.then(|| row.body_source.clone()),
        created_at: format_time(row.created_at),
        edited_at: row.edited_at.map(format_time),
    }
}

/// The notes on these posts, by post, for a reader who may read the posts. `moderator`:
/// the reader moderates their community (and may edit every note).
pub fn for_posts(
    conn: &mut DbConnection,
    post_ids: &[i64],
    reader: Option<&CurrentUser>,
    moderator: bool,
) -> Result<HashMap<i64, Vec<ContextNoteView>>, Error> {
    let post_ids: Vec<PostId> = post_ids.iter().copied().map(PostId).collect();
    let rows = store::notes_for_posts(conn, &post_ids)?;
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let authors = Authors::load(conn, rows.iter().map(|r| Some(r.writer_id.0)))?;
    let mut by_post: HashMap<i64, Vec<ContextNoteView>> = HashMap::new();
    for row in &rows {
        let editable = moderator || reader.is_some_and(|r| r.id == row.writer_id);
        by_post
            .entry(row.post_id.0)
            .or_default()
            .push(view(row, &authors, editable));
    }
    Ok(by_post)
}

/// A post the writer can see, and their access to its community; anything else is not
/// found.
fn visible_post(
    conn: &mut DbConnection,
    user: &CurrentUser,
    post_id: i64,
) -> Result<(PostRow, CommunityAccess), Error> {
    let post = posts::find(conn, post_id)?.ok_or(Error::NotFound)?;
    let access = CommunityAccess::by_id(conn, post.community_id, Some(user))?;
    if post.deleted_at.is_some() || !access.can_see_post(&post, Some(user)) {
        return Err(Error::NotFound);
    }
    Ok((post, access))
}

/// The label the writer's notes carry: their verified role, else `moderator` for the
/// community's moderators; anyone else may not write notes.
fn writer_label(
    conn: &mut DbConnection,
    user: &CurrentUser,
    access: &CommunityAccess,
) -> Result<String, Error> {
    if let Some(clinician) = store::clinician(conn, user.id)? {
        return Ok(clinician.role);
    }
    if access.is_moderator() {
        return Ok(MODERATOR_LABEL.to_owned());
    }
    Err(Error::forbidden(
        "not_clinician",
        "only verified clinicians and moderators can add context notes",
    ))
}

fn log(
    conn: &mut DbConnection,
    user: &CurrentUser,
    post: &PostRow,
    action: ModAction,
    label: &str,
    now: i64,
) -> Result<(), Error> {
    // The note shows on the thread's pages, whose cached copies the log invalidates.
    events::append(
        conn,
        NewEvent {
            kind: EventKind::PageChanged,
            community_id: Some(post.community_id),
            thread_id: Some(post.thread_id),
            post_id: Some(post.id),
            actor_id: Some(user.id),
            payload: EventPayload::Empty(EmptyPayload {}),
            created_at: now,
        },
    )?;
    modlog::append_log(
        conn,
        &ModLogRow {
            id: next_id(),
            community_id: post.community_id,
            queue_item_id: None,
            post_id: Some(post.id),
            target_user_id: post.author_id,
            moderator_id: Some(user.id.0),
            action,
            reason: format!("context note by a {label}"),
            note: None,
            sanction: None,
            created_at: now,
        },
    )
}

/// Adds a note under a post.
pub fn add(
    store_handle: &Store,
    user: &CurrentUser,
    post_id: PostId,
    text: &NoteText,
) -> Result<ContextNoteView, Error> {
    let html = render_markdown("body", text.as_str())?;
    let now = now_micros();
    store_handle.write(|conn| {
        let (post, access) = visible_post(conn, user, post_id.0)?;
        let label = writer_label(conn, user, &access)?;
        let row = ContextNoteRow {
            id: next_id(),
            post_id: PostId(post.id),
            community_id: CommunityId(post.community_id),
            writer_id: user.id,
            label: label.clone(),
            body_source: text.as_str().to_owned(),
            body_html: html.clone(),
            created_at: now,
            edited_at: None,
        };
        store::insert_note(conn, &row)?;
        log(conn, user, &post, ModAction::ContextNoteAdded, &label, now)?;
        if let Some(author) = post.author_id.filter(|a| *a != user.id.0) {
            notifications::record(
                conn,
                &[NotificationRow {
                    id: next_id(),
                    user_id: author,
                    kind: NotificationKind::ContextNote,
                    community_id: post.community_id,
                    thread_id: post.thread_id,
                    post_id: post.id,
                    actor_id: Some(user.id.0),
                    detail: Some(format!("A {label} added context under your post.")),
                    created_at: now,
                    read_at: None,
                }],
                &post,
                now,
            )?;
        }
        let authors = Authors::load(conn, [Some(user.id.0)])?;
        Ok(view(&row, &authors, true))
    })
}

/// The note, the post it is under, and the community access, for its writer or a
/// moderator of the community; someone else may not change it (403), and a note on a
/// post they cannot see is not found.
fn editable_note(
    conn: &mut DbConnection,
    user: &CurrentUser,
    note_id: i64,
) -> Result<(ContextNoteRow, PostRow, CommunityAccess), Error> {
    let note = store::find_note(conn, note_id)?.ok_or(Error::NotFound)?;
    let (post, access) = visible_post(conn, user, note.post_id.0)?;
    if note.writer_id != user.id && !access.is_moderator() {
        return Err(Error::forbidden(
            "not_writer",
            "only the note's writer and moderators can change it",
        ));
    }
    Ok((note, post, access))
}

/// Changes a note's text; the writer's current role becomes its label.
pub fn edit(
    store_handle: &Store,
    user: &CurrentUser,
    note_id: i64,
    text: &NoteText,
) -> Result<ContextNoteView, Error> {
    let html = render_markdown("body", text.as_str())?;
    let now = now_micros();
    store_handle.write(|conn| {
        let (mut note, post, access) = editable_note(conn, user, note_id)?;
        if note.writer_id == user.id {
            note.label = writer_label(conn, user, &access)?;
        }
        text.as_str().clone_into(&mut note.body_source);
        note.body_html.clone_from(&html);
        note.edited_at = Some(now);
        store::update_note(conn, &note)?;
        log(
            conn,
            user,
            &post,
            ModAction::ContextNoteEdited,
            &note.label,
            now,
        )?;
        let authors = Authors::load(conn, [Some(note.writer_id.0)])?;
        Ok(view(&note, &authors, true))
    })
}

/// Removes a note.
pub fn remove(store_handle: &Store, user: &CurrentUser, note_id: i64) -> Result<(), Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let (note, post, _) = editable_note(conn, user, note_id)?;
        store::delete_note(conn, note.id)?;
        log(
            conn,
            user,
            &post,
            ModAction::ContextNoteRemoved,
            &note.label,
            now,
        )
    })
}

/// The post a note is under (not found for no note).
pub fn post_of(conn: &mut DbConnection, note_id: i64) -> Result<i64, Error> {
    Ok(store::find_note(conn, note_id)?
        .ok_or(Error::NotFound)?
        .post_id
        .0)
}

/// The notes a member wrote, for their export.
pub fn notes_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<ContextNoteView>, Error> {
    let rows = store::notes_by(conn, UserId(user_id))?;
    let authors = Authors::load(conn, [Some(user_id)])?;
    Ok(rows.iter().map(|r| view(r, &authors, true)).collect())
}
