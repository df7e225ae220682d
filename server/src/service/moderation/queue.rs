//! The review queue and its decisions: listing open items, approving, removing or
//! dismissing them (with optional sanctions), and removing a post directly.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{DecidedPayload, EventPayload};
use crate::domain::ids::{format_time, next_id, now_micros, CommunityId, PostId, UserId};
use crate::domain::moderation::{
    Decision, ModAction, ModerationText, QueueState, ReportState, Sanction,
};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::store::communities::{self};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::moderation::{self as store, ModLogRow, QueueItemRow};
use crate::store::posts::{self, PostRow};
use crate::store::threads;
use crate::store::{DbConnection, Store};

use crate::service::access::{moderated_scope, CommunityAccess};
use crate::service::communities::set_membership;
use crate::service::cursor;
use crate::service::notifications;
use crate::service::views::{Authors, Page, PostView, UserSummary};

use super::{change_post_status, DAY_MICROS};

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub reporter: Option<UserSummary>,
    pub reason: String,
    pub weight: i64,
    pub created_at: String,
}

/// A queue item as moderators see it: the post, what screening found, and the reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemView {
    pub id: String,
    pub community: String,
    pub source: String,
    #[schema(value_type = Vec<String>)]
    pub labels: serde_json::Value,
    #[schema(value_type = Object)]
    pub scores: serde_json::Value,
    /// Each reason: `rule`, `message`, and where screening found it, `span` {start, end}
    /// (byte offsets in the post's markdown) and `matched`.
    #[schema(value_type = Vec<Object>)]
    pub reasons: serde_json::Value,
    pub post: PostView,
    /// The post's markdown, which the spans point into.
    pub post_source: String,
    pub thread_title: String,
    pub reports: Vec<ReportView>,
    /// The author's standing and earlier decisions; `null` for an erased member.
    pub author_history: Option<super::AuthorHistory>,
    /// The community's canned removal reasons, the default among them.
    pub removal_reasons: Vec<super::RemovalReasonView>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn queue(
    store_handle: &Store,
    user: &CurrentUser,
    community: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<QueueItemView>, Error> {
    let after = after.map(cursor::decode_id).transpose()?;
    store_handle.read(|conn| {
        let scope = moderated_scope(conn, user, community, "only moderators can read the queue")?;
        let mut rows = store::list_open_items(conn, &scope, after, limit + 1)?;
        let next_cursor = if rows.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            rows.last().map(|r| cursor::encode_id(r.id))
        } else {
            None
        };
        let items = rows
            .iter()
            .map(|row| queue_item_view(conn, row))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Page { items, next_cursor })
    })
}

fn queue_item_view(conn: &mut DbConnection, row: &QueueItemRow) -> Result<QueueItemView, Error> {
    let post = posts::find(conn, row.post_id)?.ok_or(Error::NotFound)?;
    let thread = threads::find(conn, post.thread_id)?.ok_or(Error::NotFound)?;
    let community =
        communities::find(conn, CommunityId(row.community_id))?.ok_or(Error::NotFound)?;
    let reports = store::open_reports_for_posts(conn, &[post.id])?;
    let authors = Authors::load(
        conn,
        reports
            .iter()
            .map(|r| Some(r.reporter_id))
            .chain([post.author_id]),
    )?;
    let parse = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
    Ok(QueueItemView {
        id: row.id.to_string(),
        community: community.slug,
        source: row.source.clone(),
        labels: parse(&row.labels),
        scores: parse(&row.scores),
        reasons: parse(&row.reasons),
        post_source: post.body_source.clone(),
        post: PostView::from_row(&post, &authors, None),
        thread_title: thread.title,
        reports: reports
            .iter()
            .map(|r| ReportView {
                reporter: authors.get(Some(r.reporter_id)),
                reason: r.reason.clone(),
                weight: r.weight,
                created_at: format_time(r.created_at),
            })
            .collect(),
        author_history: match post.author_id {
            Some(author) => super::history::author_history(conn, author, now_micros())?,
            None => None,
        },
        removal_reasons: super::reasons::of_communities(conn, &[CommunityId(row.community_id)])?
            .into_iter()
            .map(|(_, reason)| reason)
            .collect(),
        created_at: format_time(row.created_at),
        updated_at: format_time(row.updated_at),
    })
}

pub struct DecisionInput {
    pub decision: Decision,
    /// `None`: the community's default removal reason for a removal (one click), fixed
    /// words for an approval or a dismissal.
    pub reason: Option<ModerationText>,
    pub note: Option<ModerationText>,
    pub sanction: Option<Sanction>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub queue_item_id: String,
    pub action: String,
    pub post_status: String,
    pub sanction: Option<String>,
}

/// Decides a queue item, in one transaction: the post's status, the reports' outcome, an
/// optional sanction on the author, a log row and the events.
pub fn decide(
    store_handle: &Store,
    moderator: &CurrentUser,
    item_id: i64,
    input: DecisionInput,
) -> Result<DecisionView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let item = store::find_queue_item(conn, item_id)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, item.community_id, Some(moderator))?;
        if !access.is_moderator() {
            return Err(Error::NotFound);
        }
        if item.state != QueueState::Open {
            return Err(Error::Conflict("this item has already been decided".into()));
        }
        let post = posts::find(conn, item.post_id)?.ok_or(Error::NotFound)?;
        let reason = decision_reason(conn, item.community_id, &input)?;
        let (status, reports_outcome, note) = match input.decision {
            Decision::Approve | Decision::Dismiss => {
                (PostStatus::Published, ReportState::Dismissed, None)
            }
            Decision::Remove => (
                PostStatus::Removed,
                ReportState::Upheld,
                Some(reason.as_str()),
            ),
        };
        if post.status != status || post.moderation_note.as_deref() != note {
            change_post_status(conn, &post, status, note, Some(moderator.id), now)?;
        }
        let outcome = outcome_for_author(
            &post,
            input.decision,
            &reason,
            input.sanction.filter(|_| post.author_id.is_some()),
        );
        if let Some(outcome) = outcome {
            notifications::moderation_outcome(conn, &post, outcome, now)?;
        }
        store::resolve_reports(conn, post.id, reports_outcome)?;
        store::close_queue_item(conn, item.id, now)?;
        if let (Some(sanction), Some(author)) = (input.sanction, post.author_id) {
            apply_sanction(conn, &access, moderator, author, sanction, now)?;
        }
        store::append_log(
            conn,
            &ModLogRow {
                id: next_id(),
                community_id: item.community_id,
                queue_item_id: Some(item.id),
                post_id: Some(post.id),
                target_user_id: post.author_id,
                moderator_id: Some(moderator.id.0),
                action: input.decision.into(),
                reason: reason.clone(),
                note: input.note.as_ref().map(|n| n.as_str().to_owned()),
                sanction: input.sanction.map(Sanction::describe),
                created_at: now,
            },
        )?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::ModerationDecided,
                community_id: Some(item.community_id),
                thread_id: Some(post.thread_id),
                post_id: Some(post.id),
                actor_id: Some(moderator.id),
                payload: EventPayload::Decided(DecidedPayload {
                    action: input.decision,
                    author_id: post.author_id,
                    queue_item_id: Some(item.id),
                    status,
                }),
                created_at: now,
            },
        )?;
        Ok(DecisionView {
            queue_item_id: item.id.to_string(),
            action: input.decision.as_str().to_owned(),
            post_status: status.as_str().to_owned(),
            sanction: input.sanction.map(Sanction::describe),
        })
    })
}

/// The reason a decision records: the one given, or for one click the community's
/// default removal reason (a removal without either is refused) or fixed words.
fn decision_reason(
    conn: &mut DbConnection,
    community_id: i64,
    input: &DecisionInput,
) -> Result<String, Error> {
    if let Some(reason) = &input.reason {
        return Ok(reason.as_str().to_owned());
    }
    match input.decision {
        Decision::Approve => Ok(APPROVED_REASON.to_owned()),
        Decision::Dismiss => Ok(DISMISSED_REASON.to_owned()),
        Decision::Remove => super::reasons::of_communities(conn, &[CommunityId(community_id)])?
            .into_iter()
            .find(|(_, r)| r.is_default)
            .map(|(_, r)| r.text)
            .ok_or_else(|| {
                Error::invalid(
                    "reason",
                    "give a reason, or set a default removal reason for this community",
                )
            }),
    }
}

/// What a one-click approval records.
pub const APPROVED_REASON: &str = "Reviewed by a moderator: it keeps the community rules.";
const DISMISSED_REASON: &str = "Reviewed by a moderator: nothing to change.";

/// What the author of a post is told about a decision: that their held post is now
/// published, or that their post was removed and why. A dismissed flag on a published
/// post changes nothing for them, so they hear nothing.
fn outcome_for_author(
    post: &PostRow,
    decision: Decision,
    reason: &str,
    sanction: Option<Sanction>,
) -> Option<String> {
    let was_held = post.status != PostStatus::Published;
    let decided = match decision {
        Decision::Remove => Some("A moderator removed your post.".to_owned()),
        Decision::Approve | Decision::Dismiss if was_held => {
            Some("A moderator reviewed your post and published it.".to_owned())
        }
        Decision::Approve | Decision::Dismiss => None,
    };
    let sanctioned = sanction.map(|sanction| match sanction {
        Sanction::Warn => "A moderator has warned you about this post.".to_owned(),
        Sanction::Suspend { days: 1 } => "You may not post in this community for 1 day.".to_owned(),
        Sanction::Suspend { days } => {
            format!("You may not post in this community for {days} days.")
        }
        Sanction::Ban => "You have been banned from this community.".to_owned(),
    });
    // The reason is the moderator's explanation of a removal or a sanction; an approval
    // needs none.
    let explained = decision == Decision::Remove || sanctioned.is_some();
    let mut sentences: Vec<String> = decided.into_iter().chain(sanctioned).collect();
    if sentences.is_empty() {
        return None;
    }
    if explained {
        sentences.push(format!("Reason given: {reason}"));
    }
    Some(sentences.join(" "))
}

/// A moderator removes a post from its thread page, without waiting for a report: the
/// author sees the reason, an open queue item for the post is closed, open reports are
/// upheld, and the log records it like a queue decision.
pub fn remove_post(
    store_handle: &Store,
    moderator: &CurrentUser,
    post_id: PostId,
    reason: ModerationText,
) -> Result<(), Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, post.community_id, Some(moderator))?;
        if !access.can_see_post(&post, Some(moderator)) {
            return Err(Error::NotFound);
        }
        access.require_moderator()?;
        if post.status == PostStatus::Removed {
            return Err(Error::Conflict("this post has already been removed".into()));
        }
        change_post_status(
            conn,
            &post,
            PostStatus::Removed,
            Some(reason.as_str()),
            Some(moderator.id),
            now,
        )?;
        store::resolve_reports(conn, post.id, ReportState::Upheld)?;
        if let Some(outcome) = outcome_for_author(&post, Decision::Remove, reason.as_str(), None) {
            notifications::moderation_outcome(conn, &post, outcome, now)?;
        }
        let item = store::open_item_for_post(conn, post.id)?;
        if let Some(item) = &item {
            store::close_queue_item(conn, item.id, now)?;
        }
        store::append_log(
            conn,
            &ModLogRow {
                id: next_id(),
                community_id: post.community_id,
                queue_item_id: item.as_ref().map(|i| i.id),
                post_id: Some(post.id),
                target_user_id: post.author_id,
                moderator_id: Some(moderator.id.0),
                action: ModAction::Remove,
                reason: reason.as_str().to_owned(),
                note: None,
                sanction: None,
                created_at: now,
            },
        )?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::ModerationDecided,
                community_id: Some(post.community_id),
                thread_id: Some(post.thread_id),
                post_id: Some(post.id),
                actor_id: Some(moderator.id),
                payload: EventPayload::Decided(DecidedPayload {
                    action: Decision::Remove,
                    author_id: post.author_id,
                    queue_item_id: item.map(|i| i.id),
                    status: PostStatus::Removed,
                }),
                created_at: now,
            },
        )
    })
}

fn apply_sanction(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    moderator: &CurrentUser,
    author: i64,
    sanction: Sanction,
    now: i64,
) -> Result<(), Error> {
    let membership = communities::find_membership(conn, access.community.id, UserId(author))?;
    let author_moderates = membership
        .as_ref()
        .is_some_and(|m| m.role == MembershipRole::Moderator);
    if author_moderates && !moderator.is_admin() {
        return Err(Error::forbidden(
            "not_admin",
            "only site admins can sanction a moderator",
        ));
    }
    match sanction {
        Sanction::Warn => Ok(()),
        Sanction::Ban => {
            let banned = (MembershipRole::Member, MembershipState::Banned);
            set_membership(
                conn,
                access.community.id,
                UserId(author),
                Some(banned),
                "banned",
                moderator.id,
                now,
            )?;
            Ok(())
        }
        Sanction::Suspend { days } => match membership {
            Some(m) if m.state == MembershipState::Active => communities::suspend_membership(
                conn,
                access.community.id,
                UserId(author),
                now + i64::from(days) * DAY_MICROS,
            ),
            _ => Err(Error::Conflict(
                "the author is not an active member to suspend".into(),
            )),
        },
    }
}
