//! Content notes (issue 19): authors mark a thread or a post with notes from a fixed list
//! (`domain::content_note`); members choose which notes to fold away, and a community's
//! moderators may set defaults for members who have not chosen. A folded post still
//! reaches the reader, behind "This post has a content note: … — show". Screening may
//! *suggest* a note to the author, never apply one.

use std::collections::HashMap;

use kindred_moderation::{RiskLevel, Screener};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::content_note::{ContentNote, ContentNotes};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EmptyPayload, EventPayload};
use crate::domain::ids::{now_micros, CommunityId, UserId};
use crate::error::Error;
use crate::store::content_notes as store;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::views::{PostView, ThreadView};

/// One note with its words, for clients that show the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoteChoice {
    pub note: ContentNote,
    /// The words pages show ("end of life").
    pub label: String,
}

fn every_note() -> Vec<NoteChoice> {
    ContentNote::ALL
        .iter()
        .map(|&note| NoteChoice {
            note,
            label: note.label().to_owned(),
        })
        .collect()
}

/// A member's choice of notes to fold away.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberContentNotes {
    /// The notes folded away for this member where they have chosen; else empty.
    pub collapse: Vec<ContentNote>,
    /// Whether the member has chosen; until then each community's defaults apply.
    pub chosen: bool,
    /// Every note there is, with its words.
    pub notes: Vec<NoteChoice>,
}

/// A community's defaults, for members who have not chosen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommunityContentNotes {
    pub community: String,
    pub collapse: Vec<ContentNote>,
    /// Every note there is, with its words.
    pub notes: Vec<NoteChoice>,
}

/// The notes folded away for this reader in this community: their own choice if they
/// made one, else the community's defaults (visitors get the defaults too).
pub fn collapse_for(
    conn: &mut DbConnection,
    reader: Option<&CurrentUser>,
    community_id: i64,
) -> Result<ContentNotes, Error> {
    match reader {
        Some(user) => collapse_for_member(conn, user.id, community_id),
        None => store::community_defaults(conn, CommunityId(community_id)),
    }
}

/// [`collapse_for`] a member known by id (a notification's recipient).
pub fn collapse_for_member(
    conn: &mut DbConnection,
    user_id: UserId,
    community_id: i64,
) -> Result<ContentNotes, Error> {
    if let Some(chosen) = store::member_choice(conn, user_id)? {
        return Ok(chosen);
    }
    store::community_defaults(conn, CommunityId(community_id))
}

/// [`collapse_for`] in each of these communities (for a page of search results).
pub fn collapse_by_community(
    conn: &mut DbConnection,
    reader: Option<&CurrentUser>,
    community_ids: &[i64],
) -> Result<HashMap<i64, ContentNotes>, Error> {
    let chosen = match reader {
        Some(user) => store::member_choice(conn, user.id)?,
        None => None,
    };
    let mut wanted = community_ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
        .into_iter()
        .map(|id| {
            let collapse = match &chosen {
                Some(chosen) => chosen.clone(),
                None => store::community_defaults(conn, CommunityId(id))?,
            };
            Ok((id, collapse))
        })
        .collect()
}

/// Fills in the notes of these posts.
pub fn annotate_posts(conn: &mut DbConnection, posts: &mut [PostView]) -> Result<(), Error> {
    let ids: Vec<i64> = posts.iter().map(|p| p.id.0).collect();
    let notes = store::for_posts(conn, &ids)?;
    for post in posts {
        post.content_notes = notes
            .get(&post.id.0)
            .map(|n| n.as_slice().to_vec())
            .unwrap_or_default();
    }
    Ok(())
}

/// Fills in the notes of these threads.
pub fn annotate_threads(conn: &mut DbConnection, threads: &mut [ThreadView]) -> Result<(), Error> {
    let ids: Vec<i64> = threads.iter().map(|t| t.id.0).collect();
    let notes = store::for_threads(conn, &ids)?;
    for thread in threads {
        thread.content_notes = notes
            .get(&thread.id.0)
            .map(|n| n.as_slice().to_vec())
            .unwrap_or_default();
    }
    Ok(())
}

/// The notes of these posts by id, for those that have any.
pub fn of_posts(
    conn: &mut DbConnection,
    post_ids: &[i64],
) -> Result<HashMap<i64, ContentNotes>, Error> {
    store::for_posts(conn, post_ids)
}

/// The notes of these threads by id, for those that have any.
pub fn of_threads(
    conn: &mut DbConnection,
    thread_ids: &[i64],
) -> Result<HashMap<i64, ContentNotes>, Error> {
    store::for_threads(conn, thread_ids)
}

/// Records a new post's notes (and, for an opening post, its thread's).
pub fn mark_new(
    conn: &mut DbConnection,
    post_id: i64,
    thread_id: Option<i64>,
    notes: &ContentNotes,
) -> Result<(), Error> {
    // A new post has no notes to replace.
    store::add_post(conn, post_id, notes)?;
    if let Some(thread_id) = thread_id {
        store::set_thread(conn, thread_id, notes)?;
    }
    Ok(())
}

/// Replaces an edited post's notes.
pub fn mark_edited(
    conn: &mut DbConnection,
    post_id: i64,
    notes: &ContentNotes,
) -> Result<(), Error> {
    store::set_post(conn, post_id, notes)
}

/// A member's choice, for their export (`None` if they never chose).
pub fn choice_of(conn: &mut DbConnection, user_id: i64) -> Result<Option<Vec<ContentNote>>, Error> {
    Ok(store::member_choice(conn, UserId(user_id))?.map(|c| c.as_slice().to_vec()))
}

pub fn mine(store: &Store, user: &CurrentUser) -> Result<MemberContentNotes, Error> {
    store.read(|conn| {
        let chosen = store::member_choice(conn, user.id)?;
        Ok(MemberContentNotes {
            chosen: chosen.is_some(),
            collapse: chosen.unwrap_or_default().as_slice().to_vec(),
            notes: every_note(),
        })
    })
}

pub fn set_mine(
    store: &Store,
    user: &CurrentUser,
    collapse: &ContentNotes,
) -> Result<MemberContentNotes, Error> {
    let now = now_micros();
    store.write(|conn| store::set_member_choice(conn, user.id, collapse, now))?;
    mine(store, user)
}

pub fn community_defaults(
    store: &Store,
    viewer: Option<&CurrentUser>,
    slug: &str,
) -> Result<CommunityContentNotes, Error> {
    store.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, viewer)?;
        let collapse = store::community_defaults(conn, access.community.id)?;
        Ok(CommunityContentNotes {
            community: access.community.slug.clone(),
            collapse: collapse.as_slice().to_vec(),
            notes: every_note(),
        })
    })
}

/// Sets a community's defaults: its moderators (and site admins) only.
pub fn set_community_defaults(
    store: &Store,
    user: &CurrentUser,
    slug: &str,
    collapse: &ContentNotes,
) -> Result<CommunityContentNotes, Error> {
    let now = now_micros();
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
        access.require_moderator()?;
        store::set_community_defaults(conn, access.community.id, collapse, now)?;
        // What folds for visitors changed on every page of the community.
        events::append(
            conn,
            NewEvent {
                kind: EventKind::PageChanged,
                community_id: Some(access.community.id.0),
                thread_id: None,
                post_id: None,
                actor_id: Some(user.id),
                payload: EventPayload::Empty(EmptyPayload {}),
                created_at: now,
            },
        )
    })?;
    community_defaults(store, Some(user), slug)
}

/// Words that suggest a note, matched on whole lower-case words or phrases.
const CUES: &[(ContentNote, &[&str])] = &[
    (
        ContentNote::EndOfLife,
        &[
            "end of life",
            "end-of-life",
            "hospice",
            "palliative",
            "last days",
            "final days",
            "days left",
            "weeks left",
            "dying",
            "stopping treatment",
        ],
    ),
    (
        ContentNote::Recurrence,
        &[
            "recurrence",
            "recurred",
            "relapse",
            "relapsed",
            "progression",
            "progressed",
            "it came back",
            "it's back",
            "has spread",
            "spread to",
            "new mets",
            "metastasis",
        ],
    ),
    (
        ContentNote::DeathAndLoss,
        &[
            "passed away",
            "died",
            "funeral",
            "grief",
            "grieving",
            "widow",
            "widower",
            "lost my",
            "we lost",
            "bereaved",
            "memorial",
        ],
    ),
    (
        ContentNote::GraphicMedical,
        &[
            "blood everywhere",
            "vomiting blood",
            "open wound",
            "pus",
            "fistula",
            "necrosis",
            "necrotic",
            "amputation",
            "bowel obstruction",
            "stitches burst",
        ],
    ),
];

/// Whether `cue` occurs in `text` (lower case) as whole words.
fn has_cue(text: &str, cue: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric();
    text.match_indices(cue).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + cue.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The notes screening suggests for a text: a self-harm signal at any level, and the
/// plain word cues above. Only ever shown to the author as a suggestion.
pub fn suggest(screener: &Screener, title: Option<&str>, body: &str) -> ContentNotes {
    let mut text = title.unwrap_or_default().to_lowercase();
    text.push('\n');
    text.push_str(&body.to_lowercase());
    let text = text.replace('\u{2019}', "'");
    let self_harm = screener.self_harm(title, body).level > RiskLevel::None;
    let cued = CUES
        .iter()
        .filter(|(_, cues)| cues.iter().any(|cue| has_cue(&text, cue)))
        .map(|(note, _)| *note);
    ContentNotes::from_notes(cued.chain(self_harm.then_some(ContentNote::SelfHarm)))
}

/// The notes suggested when a form is submitted without any (the pages' no-JavaScript
/// step): as [`suggest`], except for an author who may be at risk (`medium` or `high`),
/// whose post goes straight through to the crisis resources — nothing delays it.
pub fn suggest_at_submit(screener: &Screener, title: Option<&str>, body: &str) -> ContentNotes {
    if screener.self_harm(title, body).level >= RiskLevel::Medium {
        return ContentNotes::default();
    }
    suggest(screener, title, body)
}

#[cfg(test)]
mod tests {
    use super::has_cue;

    #[test]
    fn cues_match_whole_words_only() {
        assert!(has_cue("she moved to hospice today", "hospice"));
        assert!(has_cue("he died.", "died"));
        assert!(!has_cue("a pushy nurse", "pus"));
        assert!(!has_cue("undied", "died"));
    }
}
