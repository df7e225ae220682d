//! Members' control over their data: consents (with their history), the export of
//! everything Kindred holds about them, and erasure.

use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::password;
use crate::domain::community::MembershipState;
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{ConsentPayload, ErasurePayload, EventPayload, PostPayload};
use crate::domain::ids::{format_time, next_id, now_micros, PostId, ThreadId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::user::{ErasePosts, ProfileAudience};
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::communities;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::notifications as notification_store;
use crate::store::posts;
use crate::store::privacy::{self as store, ConsentChanges};
use crate::store::users::{self, UserRow};
use crate::store::{DbConnection, Store};

use super::views::OwnAccount;

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentRecord {
    pub consent: String,
    pub value: String,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentsView {
    /// Who sees the profile fields the member shares: `members`, `communities` or `nobody`.
    pub profile_audience: String,
    /// Whether members with the same condition may find this member.
    pub discoverable: bool,
    /// Whether this member's posts may count towards de-identified insights.
    pub insights_opt_in: bool,
    /// Every choice ever made, oldest first.
    pub history: Vec<ConsentRecord>,
}

fn consents_view(conn: &mut DbConnection, user: &UserRow) -> Result<ConsentsView, Error> {
    Ok(ConsentsView {
        profile_audience: user.profile_audience.clone(),
        discoverable: user.discoverable,
        insights_opt_in: user.insights_opt_in,
        history: store::consent_history(conn, user.id.0)?
            .into_iter()
            .map(|row| ConsentRecord {
                consent: row.consent,
                value: row.value,
                at: format_time(row.created_at),
            })
            .collect(),
    })
}

pub fn consents(store_handle: &Store, user: &CurrentUser) -> Result<ConsentsView, Error> {
    store_handle.read(|conn| {
        let row = users::find(conn, user.id)?.ok_or(Error::NotFound)?;
        consents_view(conn, &row)
    })
}

#[derive(Default)]
pub struct ConsentPatch {
    pub profile_audience: Option<ProfileAudience>,
    pub discoverable: Option<bool>,
    pub insights_opt_in: Option<bool>,
}

/// Records new choices; each applies from this moment and is kept in the history.
pub fn update_consents(
    store_handle: &Store,
    user: &CurrentUser,
    patch: ConsentPatch,
) -> Result<ConsentsView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let changes = ConsentChanges {
            profile_audience: patch.profile_audience.map(|a| a.as_str().to_owned()),
            discoverable: patch.discoverable,
            insights_opt_in: patch.insights_opt_in,
        };
        store::set_consents(conn, user.id.0, &changes)?;
        let recorded = [
            ("profile_audience", changes.profile_audience.clone()),
            ("discoverable", changes.discoverable.map(|v| v.to_string())),
            (
                "insights_opt_in",
                changes.insights_opt_in.map(|v| v.to_string()),
            ),
        ];
        for (consent, value) in recorded {
            if let Some(value) = value {
                store::record_consent(conn, next_id(), user.id.0, consent, &value, now)?;
                events::append(
                    conn,
                    NewEvent {
                        kind: EventKind::ConsentChanged,
                        community_id: None,
                        thread_id: None,
                        post_id: None,
                        actor_id: Some(user.id),
                        payload: EventPayload::Consent(ConsentPayload {
                            consent: consent.to_owned(),
                            value,
                        }),
                        created_at: now,
                    },
                )?;
            }
        }
        let row = users::find(conn, user.id)?.ok_or(Error::NotFound)?;
        consents_view(conn, &row)
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedRevision {
    pub body: String,
    pub replaced_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedPostView {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub thread_title: String,
    pub community: String,
    pub status: String,
    pub body: String,
    pub body_html: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub deleted: bool,
    pub moderation_note: Option<String>,
    /// Earlier versions, oldest first.
    pub revisions: Vec<ExportedRevision>,
    /// What the member marked the post with.
    pub content_notes: Vec<crate::domain::content_note::ContentNote>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedReport {
    pub post_id: PostId,
    pub reason: String,
    pub state: String,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedDecision {
    pub post_id: Option<PostId>,
    pub action: String,
    pub reason: String,
    pub decided_at: String,
}

/// A notification the member received: what and when, without the other member's
/// words or name (those are theirs, not the recipient's).
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedNotification {
    pub kind: NotificationKind,
    pub thread_id: ThreadId,
    pub post_id: PostId,
    pub detail: Option<String>,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// Everything Kindred holds about one member.
#[derive(Debug, Serialize, ToSchema)]
pub struct Export {
    pub exported_at: String,
    pub account: OwnAccount,
    pub consents: ConsentsView,
    pub posts: Vec<ExportedPostView>,
    pub threads_started: Vec<ThreadId>,
    pub reports_made: Vec<ExportedReport>,
    pub moderation_outcomes: Vec<ExportedDecision>,
    pub notifications: Vec<ExportedNotification>,
    pub watching: Vec<ThreadId>,
    /// The member's reactions to posts (whose words are their authors', not here).
    pub reactions: Vec<crate::service::reactions::ExportedReaction>,
    /// Posts the member saved (`/me/saved`).
    pub bookmarks: Vec<crate::service::bookmarks::ExportedBookmark>,
    pub mail_preferences: crate::service::mail_preferences::MailPreferences,
    /// Private conversations the member wrote in (see `service::messages::export`).
    pub conversations: Vec<crate::service::messages::export::ExportedConversation>,
    /// How far the member has read in each thread they opened.
    pub read_positions: Vec<crate::service::read_positions::ExportedReadPosition>,
    /// The member's appeals against moderators' decisions, with what they wrote.
    pub appeals: Vec<crate::service::moderation::AppealView>,
    /// Context notes the member wrote under posts (as a clinician or moderator).
    pub context_notes: Vec<crate::service::context_notes::ContextNoteView>,
    /// The member's answers to research surveys still open (at close they are detached
    /// from the member and no longer theirs to export).
    pub survey_answers: Vec<crate::service::surveys::ExportedAnswers>,
    /// The content notes the member chose to fold away; `null` if they never chose.
    pub collapse_content_notes: Option<Vec<crate::domain::content_note::ContentNote>>,
    /// The country whose crisis lines the member chose (`/me/country`); absent when they
    /// never chose one and the deployment's default applies.
    pub country: Option<String>,
}

/// [`export`], refused once the member has used up `limit`'s exports.
pub fn export_limited(
    store_handle: &Store,
    limit: &RateLimit,
    user_id: i64,
) -> Result<Export, Error> {
    let key = user_id.to_string();
    let now = now_micros();
    store_handle.write(|conn| {
        limit.check(conn, &key, now)?;
        limit.record(conn, &key, now)
    })?;
    export(store_handle, user_id)
}

pub fn export(store_handle: &Store, user_id: i64) -> Result<Export, Error> {
    store_handle.read(|conn| {
        let row = users::find(conn, UserId(user_id))?.ok_or(Error::NotFound)?;
        let memberships = communities::memberships_of_user(conn, UserId(user_id))?;
        let written = store::posts_of(conn, user_id)?;
        let ids: Vec<i64> = written.iter().map(|(p, _, _)| p.id).collect();
        let revisions = store::revisions_of(conn, &ids)?;
        let notes = crate::service::content_notes::of_posts(conn, &ids)?;
        let posts = written
            .into_iter()
            .map(|(post, thread_title, community)| ExportedPostView {
                id: PostId(post.id),
                thread_id: ThreadId(post.thread_id),
                thread_title,
                community,
                status: post.status.as_str().to_owned(),
                revisions: revisions
                    .iter()
                    .filter(|(post_id, _, _)| *post_id == post.id)
                    .map(|(_, body, at)| ExportedRevision {
                        body: body.clone(),
                        replaced_at: format_time(*at),
                    })
                    .collect(),
                content_notes: notes
                    .get(&post.id)
                    .map(|n| n.as_slice().to_vec())
                    .unwrap_or_default(),
                body: post.body_source,
                body_html: post.body_html,
                created_at: format_time(post.created_at),
                edited_at: post.edited_at.map(format_time),
                deleted: post.deleted_at.is_some(),
                moderation_note: post.moderation_note,
            })
            .collect();
        Ok(Export {
            exported_at: format_time(now_micros()),
            consents: consents_view(conn, &row)?,
            account: OwnAccount::from_rows(&row, memberships),
            posts,
            threads_started: store::threads_of(conn, user_id)?
                .into_iter()
                .map(ThreadId)
                .collect(),
            reports_made: store::reports_by(conn, user_id)?
                .into_iter()
                .map(|(post_id, reason, state, at)| ExportedReport {
                    post_id: PostId(post_id),
                    reason,
                    state,
                    created_at: format_time(at),
                })
                .collect(),
            moderation_outcomes: store::decisions_about(conn, user_id)?
                .into_iter()
                .map(|(post_id, action, reason, at)| ExportedDecision {
                    post_id: post_id.map(PostId),
                    action: action.as_str().to_owned(),
                    reason,
                    decided_at: format_time(at),
                })
                .collect(),
            notifications: notification_store::of_user(conn, user_id)?
                .into_iter()
                .map(|n| ExportedNotification {
                    kind: n.kind,
                    thread_id: ThreadId(n.thread_id),
                    post_id: PostId(n.post_id),
                    detail: n.detail,
                    created_at: format_time(n.created_at),
                    read_at: n.read_at.map(format_time),
                })
                .collect(),
            watching: notification_store::watched_by(conn, user_id)?
                .into_iter()
                .map(ThreadId)
                .collect(),
            reactions: crate::service::reactions::exported(conn, UserId(user_id))?,
            bookmarks: crate::service::bookmarks::exported(conn, UserId(user_id))?,
            mail_preferences: crate::service::mail_preferences::of_user(conn, UserId(user_id))?,
            conversations: crate::service::messages::export::conversations_of(
                conn,
                UserId(user_id),
            )?,
            read_positions: crate::service::read_positions::exported(conn, UserId(user_id))?,
            appeals: crate::service::moderation::appeals_of(conn, user_id)?,
            context_notes: crate::service::context_notes::notes_of(conn, user_id)?,
            survey_answers: crate::service::surveys::exported_answers(conn, user_id)?,
            collapse_content_notes: crate::service::content_notes::choice_of(conn, user_id)?,
            country: crate::store::countries::find(conn, user_id)?,
        })
    })
}

/// Title given to a member's threads when their posts are erased with them.
pub const ERASED_THREAD_TITLE: &str = "A thread by a former member";

/// Erases a member. Their name, email, profile, consents, sessions, memberships, reports
/// and post revisions go; their posts are deleted or kept without a name, as they chose.
/// Every affected post gets an event, so search and realtime follow.
pub fn erase(store_handle: &Store, user_id: i64, posts_choice: ErasePosts) -> Result<(), Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        users::find(conn, UserId(user_id))?.ok_or(Error::NotFound)?;
        let written = store::posts_of(conn, user_id)?;
        let ids: Vec<i64> = written.iter().map(|(p, _, _)| p.id).collect();
        for (membership, _) in communities::memberships_of_user(conn, UserId(user_id))? {
            if membership.state == MembershipState::Active {
                communities::adjust_member_count(conn, membership.community_id, -1)?;
            }
        }
        if posts_choice == ErasePosts::Delete {
            for (post, _, _) in &written {
                if post.deleted_at.is_none() {
                    posts::tombstone(conn, post.id, now)?;
                }
            }
            store::retitle_threads(conn, user_id, ERASED_THREAD_TITLE)?;
        }
        crate::store::duty::erase_member(conn, UserId(user_id))?;
        // Answers to open surveys go; closed surveys' answers are detached and published.
        crate::store::surveys::detach_closed(conn, now)?;
        crate::store::surveys::erase_member(conn, user_id)?;
        store::erase_user(conn, user_id, &ids)?;
        let kind = match posts_choice {
            ErasePosts::Delete => EventKind::PostDeleted,
            ErasePosts::Anonymize => EventKind::PostEdited,
        };
        for (post, _, _) in &written {
            events::append(
                conn,
                NewEvent {
                    kind,
                    community_id: Some(post.community_id),
                    thread_id: Some(post.thread_id),
                    post_id: Some(post.id),
                    actor_id: None,
                    payload: EventPayload::Post(PostPayload {
                        author_id: None,
                        erased: true,
                        status: post.status,
                    }),
                    created_at: now,
                },
            )?;
        }
        events::append(
            conn,
            NewEvent {
                kind: EventKind::UserErased,
                community_id: None,
                thread_id: None,
                post_id: None,
                actor_id: None,
                payload: EventPayload::Erasure(ErasurePayload {
                    post_count: ids.len(),
                    posts: posts_choice,
                }),
                created_at: now,
            },
        )
    })
}

/// A member erases their own account, confirming with their password.
pub fn erase_self(
    store_handle: &Store,
    user: &CurrentUser,
    password_text: &str,
    posts_choice: ErasePosts,
) -> Result<(), Error> {
    let row = store_handle
        .read(|conn| users::find(conn, user.id))?
        .ok_or(Error::NotFound)?;
    if !password::verify(password_text, &row.password_hash) {
        return Err(Error::InvalidCredentials);
    }
    erase(store_handle, user.id.0, posts_choice)
}

/// Whether anything in the database still names the member.
pub fn traces_of(store_handle: &Store, user_id: i64) -> Result<i64, Error> {
    store_handle.read(|conn| store::references_to(conn, user_id))
}
