//! Notifications: replies to your thread or post, `@mentions`, new posts in threads you
//! watch, and the outcome of a moderator's review of your post.
//!
//! They are written when a post becomes visible to readers — at once for a published
//! post, on approval for a held one — in the same transaction, together with one
//! `notification.created` event that the realtime layer pushes to each recipient's
//! `user` topic. A recipient must be able to read the post at that moment; the list is
//! filtered again when read (see `store::notifications::list_readable`), so leaving a
//! private community hides its notifications at once.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::community::Visibility;
use crate::domain::content_note::{ContentNote, ContentNotes};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, NotificationsPayload};
use crate::domain::ids::{format_time, next_id, now_micros, CommunityId, PostId, ThreadId, UserId};
use crate::domain::markdown::html_to_text;
use crate::domain::notification::NotificationKind;
use crate::error::Error;
use crate::store::blocks;
use crate::store::communities::{self, CommunityRow};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::notifications::{self, NotificationRow, ReadSelection};
use crate::store::posts::{self, PostRow};
use crate::store::threads::{self, ThreadRow};
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::content_notes;
use super::cursor;
use super::surveys::{self, SurveyNotice};
use super::views::{Authors, UserSummary};

/// At most this many people are notified by the mentions of one post, so a post cannot
/// be used to page a whole community.
pub const MAX_MENTIONS: usize = 10;

/// Longest excerpt of the post shown with a notification, in characters.
const EXCERPT_CHARS: usize = 160;

/// A notification as its recipient sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: String,
    /// Reactions come one per post and kind, replaced as more members react; `actor` is
    /// the latest of them.
    pub kind: NotificationKind,
    pub community: String,
    pub thread_id: ThreadId,
    pub thread_title: String,
    pub post_id: PostId,
    /// Who wrote the post; absent for moderation outcomes.
    pub actor: Option<UserSummary>,
    /// The start of the post, as plain text; empty when `folded_by` is not.
    pub excerpt: String,
    /// The content notes the post's author marked it with.
    pub content_notes: Vec<ContentNote>,
    /// Those of `content_notes` the recipient folds away (their choice, else the
    /// community's defaults): while any, the excerpt is left out, so the post's text is
    /// neither sent nor shown until the reader opens the post.
    pub folded_by: Vec<ContentNote>,
    /// For a moderation outcome: what happened and why, in plain words; for a reaction,
    /// how many people reacted ("3 people are with you on your post").
    pub detail: Option<String>,
    pub created_at: String,
    pub read: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub next_cursor: Option<String>,
    /// Unread notifications plus the survey invitations waiting for an answer.
    pub unread_count: i64,
    /// Research surveys the member is invited to and has not yet answered or dismissed
    /// (on the first page only); answering or dismissing one clears it.
    pub surveys: Vec<SurveyNotice>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread_count: i64,
}

/// `POST /notifications/read`: either `ids` or `all: true`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkReadInput {
    /// 1 to 500 notification ids.
    #[serde(default)]
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Option<Vec<String>>,
    #[serde(default)]
    pub all: bool,
}

/// Most ids one request may mark read.
const MAX_MARK_IDS: usize = 500;

impl MarkReadInput {
    pub fn parse(self) -> Result<ReadSelection, Error> {
        match (self.all, self.ids) {
            (true, None) => Ok(ReadSelection::All),
            (false, Some(ids)) if !ids.is_empty() && ids.len() <= MAX_MARK_IDS => ids
                .iter()
                .map(|id| {
                    id.parse::<i64>()
                        .map_err(|_| Error::invalid("ids", "ids must be notification ids"))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(ReadSelection::Ids),
            _ => Err(Error::invalid(
                "ids",
                "send either \"all\": true or \"ids\": a list of 1 to 500 notification ids",
            )),
        }
    }
}

// ---- writing ----

/// Notifies the people a newly visible post concerns. Called in the transaction that
/// publishes a held post on approval (a post created published goes through
/// [`new_post_published`]).
pub(crate) fn post_published(
    conn: &mut DbConnection,
    post: &PostRow,
    now: i64,
) -> Result<(), Error> {
    if post.author_id.is_none() {
        return Ok(());
    }
    let thread = threads::find(conn, post.thread_id)?.ok_or(Error::NotFound)?;
    let community =
        communities::find(conn, CommunityId(post.community_id))?.ok_or(Error::NotFound)?;
    let already =
        notifications::recipients_of_post(conn, post.id, NotificationKind::ModerationOutcome)?;
    notify(
        conn,
        post,
        &thread,
        community.visibility == Visibility::Public,
        &already,
        now,
    )
}

/// [`post_published`] for a post created published, in the transaction that writes it:
/// the caller has its thread and knows whether the community is public, and nobody has
/// been notified of a post that did not exist a moment ago.
pub(crate) fn new_post_published(
    conn: &mut DbConnection,
    post: &PostRow,
    thread: &ThreadRow,
    public: bool,
    now: i64,
) -> Result<(), Error> {
    notify(conn, post, thread, public, &HashSet::new(), now)
}

/// Notifies those a published post concerns, but not the members in `already`.
fn notify(
    conn: &mut DbConnection,
    post: &PostRow,
    thread: &ThreadRow,
    public: bool,
    already: &HashSet<i64>,
    now: i64,
) -> Result<(), Error> {
    let Some(author) = post.author_id else {
        return Ok(());
    };
    let mut wanted: HashMap<i64, NotificationKind> = HashMap::new();
    let mut offer = |user: Option<i64>, kind: NotificationKind| {
        if let Some(user) = user.filter(|u| *u != author) {
            wanted.entry(user).or_insert(kind);
        }
    };
    let named = notifications::users_named(conn, &mentioned_usernames(&post.body_source))?;
    if !named.is_empty() {
        // A member the author blocked is not paged by the author's mentions either.
        let blocked_by_author = blocks::blocked_by(conn, UserId(author))?;
        for user in named {
            if !blocked_by_author.contains(&UserId(user)) {
                offer(Some(user), NotificationKind::Mention);
            }
        }
    }
    if let Some(parent) = post.reply_to_id {
        let parent = posts::find(conn, parent)?;
        offer(
            parent.and_then(|p| p.author_id),
            NotificationKind::ReplyToPost,
        );
    }
    if thread.author_id != post.author_id {
        offer(thread.author_id, NotificationKind::ReplyToThread);
    }
    for user in notifications::watchers(conn, thread.id)? {
        offer(Some(user), NotificationKind::WatchedThread);
    }
    wanted.retain(|user, _| !already.contains(user));
    // Members who block the author, or muted the thread, hear nothing of it.
    let offered: Vec<UserId> = wanted.keys().copied().map(UserId).collect();
    let silenced = blocks::blockers_among(conn, UserId(author), &offered)?;
    let muted = blocks::muters_among(conn, ThreadId(thread.id), &offered)?;
    wanted.retain(|user, _| !silenced.contains(&UserId(*user)) && !muted.contains(&UserId(*user)));
    let candidates: Vec<i64> = wanted.keys().copied().collect();
    let readers = notifications::readers_among(conn, post.community_id, public, &candidates)?;
    let rows: Vec<NotificationRow> = wanted
        .into_iter()
        .filter(|(user, _)| readers.contains(user))
        .map(|(user, kind)| NotificationRow {
            id: next_id(),
            user_id: user,
            kind,
            community_id: post.community_id,
            thread_id: thread.id,
            post_id: post.id,
            actor_id: Some(author),
            detail: None,
            created_at: now,
            read_at: None,
        })
        .collect();
    record(conn, &rows, post, now)
}

/// Tells the author what a moderator decided about their post (and any sanction). A later
/// decision on the same post replaces the earlier notice, which would otherwise collide
/// with it: one outcome per post, the current one.
pub(crate) fn moderation_outcome(
    conn: &mut DbConnection,
    post: &PostRow,
    detail: String,
    now: i64,
) -> Result<(), Error> {
    let Some(author) = post.author_id else {
        return Ok(());
    };
    let row = NotificationRow {
        id: next_id(),
        user_id: author,
        kind: NotificationKind::ModerationOutcome,
        community_id: post.community_id,
        thread_id: post.thread_id,
        post_id: post.id,
        actor_id: None,
        detail: Some(detail),
        created_at: now,
        read_at: None,
    };
    notifications::forget(conn, author, post.id, row.kind)?;
    record(conn, &[row], post, now)
}

/// Stores notifications and the one event that pushes them. Every producer comes
/// through here, so memorialised accounts are dropped here (issue 19: nothing is
/// generated for them).
pub(crate) fn record(
    conn: &mut DbConnection,
    rows: &[NotificationRow],
    post: &PostRow,
    now: i64,
) -> Result<(), Error> {
    let recipients: Vec<UserId> = rows.iter().map(|r| UserId(r.user_id)).collect();
    let memorialised = crate::store::duty::memorialised_among(conn, &recipients)?;
    let rows: Vec<NotificationRow> = rows
        .iter()
        .filter(|r| !memorialised.contains(&UserId(r.user_id)))
        .cloned()
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    notifications::insert_many(conn, &rows)?;
    let notification_ids = rows.iter().map(|r| r.id).collect();
    events::append(
        conn,
        NewEvent {
            kind: EventKind::NotificationCreated,
            community_id: Some(post.community_id),
            thread_id: Some(post.thread_id),
            post_id: Some(post.id),
            actor_id: None,
            payload: EventPayload::Notifications(NotificationsPayload { notification_ids }),
            created_at: now,
        },
    )?;
    Ok(())
}

/// Lowercased `@usernames` in a post's markdown, at most [`MAX_MENTIONS`], skipping
/// e-mail addresses (an `@` right after a word character) and code spans.
pub fn mentioned_usernames(source: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut in_code = false;
    let mut previous: Option<char> = None;
    for (at, c) in source.char_indices() {
        if c == '`' {
            in_code = !in_code;
        }
        let starts_mention = c == '@'
            && !in_code
            && !previous.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '@');
        previous = Some(c);
        if !starts_mention {
            continue;
        }
        let rest = &source[at + 1..];
        let length = rest
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(rest.len());
        let name = rest[..length].to_ascii_lowercase();
        if (3..=32).contains(&name.len()) && !found.contains(&name) {
            found.push(name);
            if found.len() == MAX_MENTIONS {
                break;
            }
        }
    }
    found
}

// ---- reading ----

pub fn list(
    store: &Store,
    user: &CurrentUser,
    before: Option<&str>,
    limit: i64,
) -> Result<NotificationPage, Error> {
    let before = before.map(cursor::decode_id).transpose()?;
    store.read(|conn| {
        let mut rows =
            notifications::list_readable(conn, user.id.0, user.is_admin(), before, limit + 1)?;
        let next_cursor = (rows.len() as i64 > limit).then(|| {
            rows.truncate(limit as usize);
            cursor::encode_id(rows.last().map_or(0, |r| r.id))
        });
        let items = views(conn, &rows)?;
        let waiting = surveys::waiting(conn, user, now_micros())?;
        let unread_count =
            notifications::count_unread(conn, user.id.0, user.is_admin())? + waiting.len() as i64;
        Ok(NotificationPage {
            items,
            next_cursor,
            unread_count,
            surveys: if before.is_none() {
                waiting
            } else {
                Vec::new()
            },
        })
    })
}

pub fn unread_count(store: &Store, user: &CurrentUser) -> Result<UnreadCount, Error> {
    store.read(|conn| unread_with_surveys(conn, user))
}

/// The unread count the header shows: unread notifications and waiting survey
/// invitations, which marking read does not clear (answering or dismissing does).
fn unread_with_surveys(conn: &mut DbConnection, user: &CurrentUser) -> Result<UnreadCount, Error> {
    let waiting = surveys::waiting(conn, user, now_micros())?.len() as i64;
    Ok(UnreadCount {
        unread_count: notifications::count_unread(conn, user.id.0, user.is_admin())? + waiting,
    })
}

pub fn mark_read(
    store: &Store,
    user: &CurrentUser,
    selection: ReadSelection,
) -> Result<UnreadCount, Error> {
    let now = now_micros();
    store.write(|conn| {
        notifications::mark_read(conn, user.id.0, &selection, now)?;
        unread_with_surveys(conn, user)
    })
}

/// Views of notification rows, loading their posts, threads, communities and actors in
/// one query per table.
pub(crate) fn views(
    conn: &mut DbConnection,
    rows: &[NotificationRow],
) -> Result<Vec<NotificationView>, Error> {
    let post_ids: Vec<i64> = rows.iter().map(|r| r.post_id).collect();
    let posts: HashMap<i64, PostRow> = posts::find_many(conn, &post_ids)?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let thread_ids: Vec<i64> = rows.iter().map(|r| r.thread_id).collect();
    let threads: HashMap<i64, ThreadRow> = threads::find_many(conn, &thread_ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let community_ids: Vec<CommunityId> =
        rows.iter().map(|r| CommunityId(r.community_id)).collect();
    let communities: HashMap<i64, CommunityRow> = communities::find_many(conn, &community_ids)?
        .into_iter()
        .map(|c| (c.id.0, c))
        .collect();
    let authors = Authors::load(conn, rows.iter().map(|r| r.actor_id))?;
    let notes = content_notes::of_posts(conn, &post_ids)?;
    // Only posts with notes need the recipient's choice, once per community.
    let mut collapse: HashMap<(i64, i64), ContentNotes> = HashMap::new();
    for row in rows.iter().filter(|r| notes.contains_key(&r.post_id)) {
        let key = (row.user_id, row.community_id);
        if let std::collections::hash_map::Entry::Vacant(slot) = collapse.entry(key) {
            slot.insert(content_notes::collapse_for_member(
                conn,
                UserId(row.user_id),
                row.community_id,
            )?);
        }
    }
    let none = ContentNotes::default();
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(view(
                row,
                posts.get(&row.post_id)?,
                threads.get(&row.thread_id)?,
                communities.get(&row.community_id)?,
                &authors,
                Notes {
                    post: notes.get(&row.post_id).unwrap_or(&none),
                    collapse: collapse
                        .get(&(row.user_id, row.community_id))
                        .unwrap_or(&none),
                },
            ))
        })
        .collect())
}

/// A notified post's content notes, and those its recipient folds away.
pub(crate) struct Notes<'a> {
    pub post: &'a ContentNotes,
    pub collapse: &'a ContentNotes,
}

pub(crate) fn view(
    row: &NotificationRow,
    post: &PostRow,
    thread: &ThreadRow,
    community: &CommunityRow,
    authors: &Authors,
    notes: Notes<'_>,
) -> NotificationView {
    let folded_by = notes.post.intersection(notes.collapse);
    NotificationView {
        id: row.id.to_string(),
        kind: row.kind,
        community: community.slug.clone(),
        thread_id: ThreadId(thread.id),
        thread_title: thread.title.clone(),
        post_id: PostId(post.id),
        actor: authors.get(row.actor_id),
        excerpt: if folded_by.is_empty() {
            excerpt(&post.body_html)
        } else {
            String::new()
        },
        content_notes: notes.post.as_slice().to_vec(),
        folded_by: folded_by.as_slice().to_vec(),
        detail: row.detail.clone(),
        created_at: format_time(row.created_at),
        read: row.read_at.is_some(),
    }
}

pub(crate) fn excerpt(html: &str) -> String {
    let text = html_to_text(html);
    let mut words = String::new();
    for word in text.split_whitespace() {
        if words.chars().count() + word.chars().count() + 1 > EXCERPT_CHARS {
            words.push('…');
            break;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

// ---- watching ----

#[derive(Debug, Serialize, ToSchema)]
pub struct WatchState {
    pub watching: bool,
}

/// Starts or stops watching a thread the member can read.
pub fn set_watch(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
    watching: bool,
) -> Result<WatchState, Error> {
    let now = now_micros();
    store.write(|conn| {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        CommunityAccess::by_id(conn, thread.community_id, Some(user))?;
        if watching {
            notifications::watch(conn, thread.id, user.id.0, now)?;
        } else {
            notifications::unwatch(conn, thread.id, user.id.0)?;
        }
        Ok(WatchState { watching })
    })
}

pub fn watch_state(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
) -> Result<WatchState, Error> {
    store.read(|conn| {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        CommunityAccess::by_id(conn, thread.community_id, Some(user))?;
        Ok(WatchState {
            watching: notifications::is_watching(conn, thread.id, user.id.0)?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::mentioned_usernames;

    #[test]
    fn mentions_are_found_lowercased_once_and_not_in_emails_or_code() {
        let found = mentioned_usernames(
            "Thanks @Sam_Patient and @jo_caregiver! @sam_patient again. \
             Mail me at maria@example.org, not `@not_code`. @ab is too short.",
        );
        assert_eq!(found, vec!["sam_patient", "jo_caregiver"]);
    }

    #[test]
    fn mentions_are_capped() {
        let mut text = String::new();
        for i in 0..30 {
            text.push_str(&format!("@user_{i:02} "));
        }
        assert_eq!(mentioned_usernames(&text).len(), super::MAX_MENTIONS);
    }
}
