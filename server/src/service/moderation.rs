//! The moderators' side: member reports, the queue of posts waiting for review, decisions
//! (approve, remove, dismiss, with optional sanctions) and the append-only moderation log.

use kindred_moderation::Policy;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, next_id, now_micros, PostId};
use crate::domain::moderation::{
    report_weight, trust_level, Decision, Findings, ModerationText, Sanction, REPORT_HIDE_THRESHOLD,
};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::communities::{self, CommunityRow};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::moderation::{self as store, ModLogRow, QueueItemRow, ReportRow};
use crate::store::posts::{self, PostRow};
use crate::store::threads;
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::communities::{paginate, set_membership};
use super::cursor;
use super::idempotency::{self, Answer, Keyed};
use super::notifications;
use super::views::{Authors, Page, PostView, UserSummary};

const DAY_MICROS: i64 = 86_400_000_000;

/// An author's trust level right now, from one row: their account's age and the post
/// counters the post writes keep.
pub(crate) fn author_trust(conn: &mut DbConnection, user_id: i64, now: i64) -> Result<u8, Error> {
    let (created_at, published, removed) =
        store::trust_counters(conn, user_id)?.unwrap_or((now, 0, 0));
    Ok(trust_level(
        (now - created_at) / DAY_MICROS,
        published,
        removed,
    ))
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
    let item_id = match store::open_item_for_post(conn, post.id)? {
        Some(item) => {
            store::update_queue_findings(conn, item.id, &labels, &scores, &reasons, now)?;
            item.id
        }
        None => {
            let item = QueueItemRow {
                id: next_id(),
                community_id: post.community_id,
                post_id: post.id,
                source: source.to_owned(),
                labels,
                scores,
                reasons,
                state: "open".into(),
                created_at: now,
                updated_at: now,
            };
            store::insert_queue_item(conn, &item)?;
            item.id
        }
    };
    events::append(
        conn,
        NewEvent {
            kind: EventKind::ModerationQueued,
            community_id: Some(post.community_id),
            thread_id: Some(post.thread_id),
            post_id: Some(post.id),
            actor_id: None,
            payload: json!({ "queue_item_id": item_id.to_string(), "source": source }),
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
    actor: Option<i64>,
    now: i64,
) -> Result<(), Error> {
    let was_published = post.status == PostStatus::Published.as_str();
    let is_published = status == PostStatus::Published;
    store::set_post_status(conn, post.id, status.as_str(), note)?;
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
            payload: json!({ "status": status.as_str(), "author_id": post.author_id.map(|a| a.to_string()) }),
            created_at: now,
        },
    )?;
    if !was_published && is_published {
        notifications::post_published(conn, post, now)?;
    }
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportReceipt {
    /// The post's status after this report: reports from several members hide it.
    pub post_status: String,
}

/// A member reports a post they can see, within their hourly number of reports. Reports
/// from distinct members, weighted by trust, hide the post until a moderator decides.
pub fn report(
    store_handle: &Store,
    user: &CurrentUser,
    post_id: PostId,
    reason: ModerationText,
    keyed: Option<&Keyed>,
    limit: &RateLimit,
) -> Result<Answer, Error> {
    let now = now_micros();
    if let Some(answer) = idempotency::stored(store_handle, user.id.0, keyed, now)? {
        return Ok(answer);
    }
    let answer = store_handle.write(|conn| {
        idempotency::once(conn, user.id.0, keyed, now, |conn| {
            file_report(conn, user, post_id, &reason, limit, now)
        })
    })?;
    if keyed.is_some() {
        idempotency::purge_expired(store_handle, now)?;
    }
    Ok(answer)
}

fn file_report(
    conn: &mut DbConnection,
    user: &CurrentUser,
    post_id: PostId,
    reason: &ModerationText,
    limit: &RateLimit,
    now: i64,
) -> Result<Answer, Error> {
    let post = posts::find(conn, post_id.0)?.ok_or(Error::NotFound)?;
    let access = CommunityAccess::by_id(conn, post.community_id, Some(user))?;
    if !access.can_see_post(&post, Some(user)) || post.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    if post.author_id == Some(user.id.0) {
        return Err(Error::Conflict("you cannot report your own post".into()));
    }
    if store::find_report(conn, post.id, user.id.0)?.is_some() {
        return Err(Error::Conflict(
            "you have already reported this post".into(),
        ));
    }
    limit.take(conn, &user.id.0.to_string(), now)?;
    let weight = report_weight(author_trust(conn, user.id.0, now)?);
    store::insert_report(
        conn,
        &ReportRow {
            id: next_id(),
            post_id: post.id,
            community_id: post.community_id,
            reporter_id: user.id.0,
            reason: reason.as_str().to_owned(),
            weight,
            state: "open".into(),
            created_at: now,
        },
    )?;
    let total = store::open_report_weight(conn, post.id)?;
    let findings = Findings {
        labels: json!(["reported"]),
        scores: json!({ "report_weight": total }),
        reasons: json!([{ "rule": "member_reports", "message": format!("reported by members (weight {total})") }]),
    };
    queue_post(conn, &post, "reports", &findings, now)?;
    let mut status = post.status.clone();
    if total >= REPORT_HIDE_THRESHOLD && post.status == PostStatus::Published.as_str() {
        let note = "Hidden after reports from several members, until a moderator reviews it.";
        change_post_status(conn, &post, PostStatus::Held, Some(note), None, now)?;
        status = PostStatus::Held.as_str().to_owned();
    }
    Answer::created(&ReportReceipt {
        post_status: status,
    })
}

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
    pub created_at: String,
    pub updated_at: String,
}

/// Communities whose queue this user may read: all for site admins, else those they moderate.
fn moderated(conn: &mut DbConnection, user: &CurrentUser) -> Result<Vec<i64>, Error> {
    if user.is_admin() {
        store::all_community_ids(conn)
    } else {
        store::moderated_community_ids(conn, user.id.0)
    }
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
        let mut scope = moderated(conn, user)?;
        if scope.is_empty() {
            return Err(Error::forbidden(
                "not_moderator",
                "only moderators can read the queue",
            ));
        }
        if let Some(slug) = community {
            let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
            access.require_moderator()?;
            scope = vec![access.community.id];
        }
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
    let community = communities::find(conn, row.community_id)?.ok_or(Error::NotFound)?;
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
        created_at: format_time(row.created_at),
        updated_at: format_time(row.updated_at),
    })
}

pub struct DecisionInput {
    pub decision: Decision,
    pub reason: ModerationText,
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
        if item.state != "open" {
            return Err(Error::Conflict("this item has already been decided".into()));
        }
        let post = posts::find(conn, item.post_id)?.ok_or(Error::NotFound)?;
        let (status, reports_outcome, note) = match input.decision {
            Decision::Approve | Decision::Dismiss => (PostStatus::Published, "dismissed", None),
            Decision::Remove => (PostStatus::Removed, "upheld", Some(input.reason.as_str())),
        };
        if post.status != status.as_str() || post.moderation_note.as_deref() != note {
            change_post_status(conn, &post, status, note, Some(moderator.id.0), now)?;
        }
        let outcome = outcome_for_author(
            &post,
            input.decision,
            input.reason.as_str(),
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
                action: input.decision.as_str().to_owned(),
                reason: input.reason.as_str().to_owned(),
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
                actor_id: Some(moderator.id.0),
                payload: json!({
                    "queue_item_id": item.id.to_string(),
                    "action": input.decision.as_str(),
                    "status": status.as_str(),
                    "author_id": post.author_id.map(|a| a.to_string()),
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

/// What the author of a post is told about a decision: that their held post is now
/// published, or that their post was removed and why. A dismissed flag on a published
/// post changes nothing for them, so they hear nothing.
fn outcome_for_author(
    post: &PostRow,
    decision: Decision,
    reason: &str,
    sanction: Option<Sanction>,
) -> Option<String> {
    let was_held = post.status != PostStatus::Published.as_str();
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
        if post.status == PostStatus::Removed.as_str() {
            return Err(Error::Conflict("this post has already been removed".into()));
        }
        change_post_status(
            conn,
            &post,
            PostStatus::Removed,
            Some(reason.as_str()),
            Some(moderator.id.0),
            now,
        )?;
        store::resolve_reports(conn, post.id, "upheld")?;
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
                action: Decision::Remove.as_str().to_owned(),
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
                actor_id: Some(moderator.id.0),
                payload: json!({
                    "queue_item_id": item.map(|i| i.id.to_string()),
                    "action": Decision::Remove.as_str(),
                    "status": PostStatus::Removed.as_str(),
                    "author_id": post.author_id.map(|a| a.to_string()),
                }),
                created_at: now,
            },
        )
    })
}

/// The slugs of the communities whose queue this user may read, for live updates.
pub fn moderated_slugs(store_handle: &Store, user: &CurrentUser) -> Result<Vec<String>, Error> {
    store_handle.read(|conn| {
        let ids = moderated(conn, user)?;
        let mut slugs: Vec<String> = communities::find_many(conn, &ids)?
            .into_iter()
            .map(|c| c.slug)
            .collect();
        slugs.sort();
        Ok(slugs)
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
    let membership = communities::find_membership(conn, access.community.id, author)?;
    let author_moderates = membership
        .as_ref()
        .is_some_and(|m| m.role == MembershipRole::Moderator.as_str());
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
                author,
                Some(banned),
                "banned",
                moderator.id.0,
                now,
            )?;
            Ok(())
        }
        Sanction::Suspend { days } => match membership {
            Some(m) if m.state == MembershipState::Active.as_str() => {
                communities::suspend_membership(
                    conn,
                    access.community.id,
                    author,
                    now + i64::from(days) * DAY_MICROS,
                )
            }
            _ => Err(Error::Conflict(
                "the author is not an active member to suspend".into(),
            )),
        },
    }
}

/// One entry of a community's moderation log. `note` and the people involved are shown
/// only to moderators.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModLogEntryView {
    pub id: String,
    pub action: String,
    pub reason: String,
    pub sanction: Option<String>,
    pub created_at: String,
    pub post_id: Option<PostId>,
    pub moderator: Option<UserSummary>,
    pub target_user: Option<UserSummary>,
    pub note: Option<String>,
}

pub fn modlog(
    store_handle: &Store,
    viewer: Option<&CurrentUser>,
    slug: &str,
    before: Option<&str>,
    limit: i64,
) -> Result<Page<ModLogEntryView>, Error> {
    let before = before.map(cursor::decode_id).transpose()?;
    store_handle.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, viewer)?;
        if !(access.is_active_member() || access.is_moderator()) {
            return Err(Error::forbidden(
                "not_member",
                "the moderation log is for members",
            ));
        }
        let private = access.is_moderator();
        let rows = store::list_log(conn, access.community.id, before, limit + 1)?;
        let people = if private {
            Authors::load(
                conn,
                rows.iter().flat_map(|r| [r.moderator_id, r.target_user_id]),
            )?
        } else {
            Authors::load(conn, std::iter::empty())?
        };
        Ok(paginate(
            rows,
            limit,
            |r| cursor::encode_id(r.id),
            |r| ModLogEntryView {
                id: r.id.to_string(),
                action: r.action.clone(),
                reason: r.reason.clone(),
                sanction: r.sanction.clone(),
                created_at: format_time(r.created_at),
                post_id: r.post_id.map(PostId),
                moderator: people.get(r.moderator_id),
                target_user: people.get(r.target_user_id),
                note: if private { r.note.clone() } else { None },
            },
        ))
    })
}

/// Moderators' decisions as labeled examples for the screening corpus, one JSON line each
/// in the corpus shape `{"id", "text", "labels"}`: an approved post is clean (the screening
/// was wrong), a removed one carries the labels its queue item had (confirmed). Removals
/// of items without labels (reported posts the screener let through) say nothing about
/// which label applies and are left out.
pub fn export_decisions(store_handle: &Store) -> Result<Vec<String>, Error> {
    let rows = store_handle.read(store::decided_posts)?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        let labels: Vec<String> = if row.action == Decision::Approve.as_str() {
            Vec::new()
        } else {
            serde_json::from_str(&row.labels).map_err(|e| {
                Error::Internal(format!("queue labels of decision {}: {e}", row.log_id))
            })?
        };
        if row.action == Decision::Remove.as_str() && labels.is_empty() {
            continue;
        }
        lines.push(
            json!({
                "id": format!("decision-{}", row.log_id),
                "text": row.body_source,
                "labels": labels,
            })
            .to_string(),
        );
    }
    Ok(lines)
}

/// A community's screening policy, every threshold spelled out (defaults filled in).
#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationPolicyView {
    pub community: String,
    #[schema(value_type = Object)]
    pub policy: serde_json::Value,
}

fn policy_view(community: &CommunityRow) -> Result<ModerationPolicyView, Error> {
    // Policies are validated when saved, so one that no longer parses is a fault (and
    // screening refuses to run on it too, see `screening::screen`).
    let policy = Policy::from_json(&community.moderation_policy)
        .map_err(|e| Error::failed("the community's stored moderation policy", e))?;
    Ok(ModerationPolicyView {
        community: community.slug.clone(),
        policy: json!(policy),
    })
}

/// Loads a community for one of its moderators or a site admin: `NotFound` when the
/// viewer may not see it, `Forbidden` when they may see it but not moderate it.
fn moderated_community(
    conn: &mut DbConnection,
    user: &CurrentUser,
    slug: &str,
) -> Result<CommunityAccess, Error> {
    let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
    if !access.is_moderator() {
        return Err(Error::forbidden(
            "not_moderator",
            "only this community's moderators and site admins manage its screening policy",
        ));
    }
    Ok(access)
}

pub fn moderation_policy(
    store_handle: &Store,
    user: &CurrentUser,
    slug: &str,
) -> Result<ModerationPolicyView, Error> {
    store_handle.read(|conn| {
        let access = moderated_community(conn, user, slug)?;
        policy_view(&access.community)
    })
}

/// Replaces a community's screening policy; the change is logged (the new policy in the
/// moderators' note) and recorded as an event, in one transaction.
pub fn set_moderation_policy(
    store_handle: &Store,
    user: &CurrentUser,
    slug: &str,
    policy: &Policy,
) -> Result<ModerationPolicyView, Error> {
    let now = now_micros();
    let policy_json = json!(policy).to_string();
    store_handle.write(|conn| {
        let mut access = moderated_community(conn, user, slug)?;
        let community_id = access.community.id;
        communities::set_moderation_policy(conn, community_id, &policy_json)?;
        store::append_log(
            conn,
            &ModLogRow {
                id: next_id(),
                community_id,
                queue_item_id: None,
                post_id: None,
                target_user_id: None,
                moderator_id: Some(user.id.0),
                action: "policy".to_owned(),
                reason: "screening policy changed".to_owned(),
                note: Some(policy_json.clone()),
                sanction: None,
                created_at: now,
            },
        )?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::ModerationPolicyChanged,
                community_id: Some(community_id),
                thread_id: None,
                post_id: None,
                actor_id: Some(user.id.0),
                payload: json!({}),
                created_at: now,
            },
        )?;
        access.community.moderation_policy = policy_json.clone();
        policy_view(&access.community)
    })
}
