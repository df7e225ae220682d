//! Appeals (issue 19): the author of a removed post, or a member warned, suspended or
//! banned, asks once, within 30 days, for a second look. Another moderator of the
//! community (or a site admin) upholds or overturns the decision; overturning restores
//! the post and lifts the sanction. The public log says "appealed → upheld/overturned"
//! and never repeats the removed text or the appeal's words.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::current_user::CurrentUser;
use crate::domain::duty::{AppealOutcome, AppealState, AppealText};
use crate::domain::ids::{format_time, next_id, now_micros, CommunityId, PostId, UserId};
use crate::domain::moderation::{ModAction, ModerationText};
use crate::domain::post::PostStatus;
use crate::error::{Error, Said};
use crate::store::communities;
use crate::store::duty::{self as store, AppealRow};
use crate::store::moderation::{self as modlog, ModLogRow};
use crate::store::posts;
use crate::store::{DbConnection, Store};

use crate::service::access::{moderated_scope, CommunityAccess};
use crate::service::communities::set_membership;
use crate::service::notifications;
use crate::service::views::{Authors, PostView, UserSummary};

use super::{change_post_status, DAY_MICROS};

/// How long after a decision it may be appealed.
pub const APPEAL_DAYS: i64 = 30;

/// What is appealed against: a decision of the moderation log by its id, or the latest
/// removal or sanction about one of the member's posts.
pub enum AppealTarget {
    Decision(i64),
    Post(PostId),
}

/// An appeal as its author and the moderators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealView {
    pub id: String,
    /// The moderation log entry appealed against.
    pub decision_id: String,
    pub community: String,
    pub post_id: Option<PostId>,
    /// The decision's action (`remove`, `approve`, `dismiss`).
    pub action: String,
    /// The decision's sanction (`warn`, `suspend N days`, `ban`), if any.
    pub sanction: Option<String>,
    /// What the member wrote.
    pub text: String,
    /// `open`, `upheld` or `overturned`.
    #[schema(value_type = String)]
    pub state: AppealState,
    pub created_at: String,
    pub decided_at: Option<String>,
}

/// An open appeal in the moderators' queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealQueueItem {
    pub appeal: AppealView,
    pub appellant: Option<UserSummary>,
    /// Who made the decision appealed against (they may not decide the appeal).
    pub decided_by: Option<UserSummary>,
    /// The reason the moderator gave.
    pub reason: String,
    /// The post, as moderators see it (removed posts included).
    pub post: Option<PostView>,
    /// Whether this reader may decide it (not the moderator who decided).
    pub can_decide: bool,
}

fn view(
    conn: &mut DbConnection,
    row: &AppealRow,
    decision: &ModLogRow,
) -> Result<AppealView, Error> {
    let community = communities::find(conn, row.community_id)?.ok_or(Error::NotFound)?;
    Ok(AppealView {
        id: row.id.to_string(),
        decision_id: row.decision_id.to_string(),
        community: community.slug,
        post_id: decision.post_id.map(PostId),
        action: decision.action.as_str().to_owned(),
        sanction: decision.sanction.clone(),
        text: row.body.clone(),
        state: row.state,
        created_at: format_time(row.created_at),
        decided_at: row.decided_at.map(format_time),
    })
}

/// Whether a log entry is a decision a member may appeal: a removal or a sanction.
fn appealable(decision: &ModLogRow) -> bool {
    decision.action == ModAction::Remove || decision.sanction.is_some()
}

/// Files an appeal. Someone else's decision (or one that does not exist) is not found;
/// a second appeal, or one after 30 days, is a conflict.
pub fn appeal(
    store_handle: &Store,
    member: &CurrentUser,
    target: AppealTarget,
    text: &AppealText,
) -> Result<AppealView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let decision = match target {
            AppealTarget::Decision(id) => store::find_decision(conn, id)?,
            AppealTarget::Post(post_id) => {
                store::latest_decision_on_post(conn, post_id, member.id)?
            }
        }
        .filter(|d| d.target_user_id == Some(member.id.0))
        .ok_or(Error::NotFound)?;
        if !appealable(&decision) {
            return Err(Error::invalid(
                "decision_id",
                "only a removal, a warning, a suspension or a ban can be appealed",
            ));
        }
        if store::appeal_for_decision(conn, decision.id)?.is_some() {
            return Err(Error::Conflict(
                "this decision has already been appealed; each decision can be appealed once"
                    .into(),
            ));
        }
        if now - decision.created_at > APPEAL_DAYS * DAY_MICROS {
            return Err(Error::Conflict(
                Said::new("es3-conflict-appeal-too-old")
                    .with("days", APPEAL_DAYS)
                    .into(),
            ));
        }
        let row = AppealRow {
            id: next_id(),
            decision_id: decision.id,
            community_id: CommunityId(decision.community_id),
            appellant_id: member.id,
            body: text.as_str().to_owned(),
            state: AppealState::Open,
            decided_by: None,
            decided_at: None,
            created_at: now,
        };
        store::insert_appeal(conn, &row)?;
        view(conn, &row, &decision)
    })
}

/// Open appeals in the communities this moderator looks after, oldest first.
pub fn open_appeals(
    store_handle: &Store,
    user: &CurrentUser,
    community: Option<&str>,
) -> Result<Vec<AppealQueueItem>, Error> {
    store_handle.read(|conn| {
        let scope = moderated_scope(conn, user, community, "only moderators can read appeals")?;
        let rows = store::open_appeals(conn, &scope)?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let decision = store::find_decision(conn, row.decision_id)?.ok_or(Error::NotFound)?;
            let post = match decision.post_id {
                Some(id) => posts::find(conn, id)?,
                None => None,
            };
            let authors = Authors::load(
                conn,
                [
                    Some(row.appellant_id.0),
                    decision.moderator_id,
                    post.as_ref().and_then(|p| p.author_id),
                ],
            )?;
            items.push(AppealQueueItem {
                appeal: view(conn, &row, &decision)?,
                appellant: authors.get(Some(row.appellant_id.0)),
                decided_by: authors.get(decision.moderator_id),
                reason: decision.reason.clone(),
                post: post.map(|p| PostView::from_row(&p, &authors, None)),
                can_decide: decision.moderator_id != Some(user.id.0),
            });
        }
        Ok(items)
    })
}

/// Decides an appeal: a moderator of the community other than the one who decided, or
/// a site admin (so a community with one moderator still has someone to ask).
pub fn decide_appeal(
    store_handle: &Store,
    user: &CurrentUser,
    appeal_id: i64,
    outcome: AppealOutcome,
    note: Option<&ModerationText>,
) -> Result<AppealView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let row = store::find_appeal(conn, appeal_id)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, row.community_id.0, Some(user))?;
        if !access.is_moderator() {
            return Err(Error::NotFound);
        }
        let decision = store::find_decision(conn, row.decision_id)?.ok_or(Error::NotFound)?;
        if decision.moderator_id == Some(user.id.0) {
            return Err(Error::forbidden(
                "same_moderator",
                "another moderator or an admin must decide an appeal against your own decision",
            ));
        }
        if row.state != AppealState::Open {
            return Err(Error::Conflict("this appeal has already been decided".into()));
        }
        let state = AppealState::from(outcome);
        if !store::decide_appeal(conn, row.id, state, user.id, now)? {
            return Err(Error::Conflict("this appeal has already been decided".into()));
        }
        let post = match decision.post_id {
            Some(id) => posts::find(conn, id)?,
            None => None,
        };
        if outcome == AppealOutcome::Overturned {
            if let Some(post) = post.as_ref().filter(|p| {
                p.status == PostStatus::Removed && decision.action == ModAction::Remove
            }) {
                change_post_status(conn, post, PostStatus::Published, None, Some(user.id), now)?;
            }
            if let Some(sanction) = decision.sanction.as_deref() {
                lift_sanction(conn, row.community_id, row.appellant_id, sanction, user.id, now)?;
            }
        }
        if let Some(post) = &post {
            let detail = match outcome {
                AppealOutcome::Upheld => {
                    "Another moderator reviewed your appeal and upheld the decision."
                }
                AppealOutcome::Overturned => {
                    "Another moderator reviewed your appeal and overturned the decision: it no longer stands."
                }
            };
            notifications::moderation_outcome(conn, post, detail.to_owned(), now)?;
        }
        modlog::append_log(
            conn,
            &ModLogRow {
                id: next_id(),
                community_id: row.community_id.0,
                queue_item_id: None,
                post_id: decision.post_id,
                target_user_id: Some(row.appellant_id.0),
                moderator_id: Some(user.id.0),
                action: match outcome {
                    AppealOutcome::Upheld => ModAction::AppealUpheld,
                    AppealOutcome::Overturned => ModAction::AppealOverturned,
                },
                // The public words: never the removed text or what the member wrote.
                reason: format!("appealed → {}", state.as_str()),
                note: note.map(|n| n.as_str().to_owned()),
                sanction: None,
                created_at: now,
            },
        )?;
        let decided = store::find_appeal(conn, row.id)?.ok_or(Error::NotFound)?;
        view(conn, &decided, &decision)
    })
}

/// Lifts what an overturned decision imposed: a ban becomes membership again, a
/// suspension ends now; a warning needs nothing.
fn lift_sanction(
    conn: &mut DbConnection,
    community_id: CommunityId,
    member: UserId,
    sanction: &str,
    actor: UserId,
    now: i64,
) -> Result<(), Error> {
    let membership = communities::find_membership(conn, community_id, member)?;
    match membership {
        Some(m) if sanction == "ban" && m.state == MembershipState::Banned => {
            set_membership(
                conn,
                community_id,
                member,
                Some((MembershipRole::Member, MembershipState::Active)),
                "unbanned",
                actor,
                now,
            )?;
        }
        Some(m)
            if sanction.starts_with("suspend") && m.suspended_until.is_some_and(|t| t > now) =>
        {
            communities::suspend_membership(conn, community_id, member, now)?;
        }
        _ => {}
    }
    Ok(())
}

/// Which of these posts (the member's own, removed) the member may still appeal: a
/// removal or sanction about them, not yet appealed, within the window.
pub fn appealable_posts(
    conn: &mut DbConnection,
    member: i64,
    post_ids: &[i64],
) -> Result<HashSet<i64>, Error> {
    let now = now_micros();
    let mut open = HashSet::new();
    for post_id in post_ids {
        if let Some(decision) =
            store::latest_decision_on_post(conn, PostId(*post_id), UserId(member))?
        {
            let in_time = now - decision.created_at <= APPEAL_DAYS * DAY_MICROS;
            if in_time && store::appeal_for_decision(conn, decision.id)?.is_none() {
                open.insert(*post_id);
            }
        }
    }
    Ok(open)
}

/// How many decisions `GET /me/decisions` lists: far more than any member should have.
const MY_DECISIONS: i64 = 200;

/// A removal or sanction as the member it is about sees it: enough to appeal it, and
/// nothing about which moderator decided.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyDecisionView {
    /// What `POST /appeals` takes as `decision_id`.
    pub id: String,
    pub community: String,
    pub post_id: Option<PostId>,
    /// The decision's action (`remove`, `sanction`, …).
    pub action: String,
    /// `warn`, `suspend N days` or `ban`, if any.
    pub sanction: Option<String>,
    /// The reason the moderator gave.
    pub reason: String,
    pub created_at: String,
    /// Whether it may still be appealed: not yet appealed, and within 30 days.
    pub can_appeal: bool,
    /// The last moment an appeal is accepted.
    pub appeal_until: String,
    /// The appeal already made against it, if any.
    pub appeal: Option<AppealView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MyDecisions {
    /// Newest first.
    pub items: Vec<MyDecisionView>,
}

/// The removals and sanctions about the member, so that a banned or suspended member,
/// whose ban named no post, can find the decision to appeal. Only their own.
pub fn my_decisions(store_handle: &Store, member: &CurrentUser) -> Result<MyDecisions, Error> {
    let now = now_micros();
    store_handle.read(|conn| {
        let rows = store::removals_and_sanctions_about(conn, member.id, MY_DECISIONS)?;
        let mut items = Vec::with_capacity(rows.len());
        for decision in rows {
            let community = communities::find(conn, CommunityId(decision.community_id))?
                .ok_or(Error::NotFound)?;
            let appeal = match store::appeal_for_decision(conn, decision.id)? {
                Some(row) => Some(view(conn, &row, &decision)?),
                None => None,
            };
            let until = decision.created_at + APPEAL_DAYS * DAY_MICROS;
            items.push(MyDecisionView {
                id: decision.id.to_string(),
                community: community.slug,
                post_id: decision.post_id.map(PostId),
                action: decision.action.as_str().to_owned(),
                sanction: decision.sanction.clone(),
                reason: decision.reason.clone(),
                created_at: format_time(decision.created_at),
                can_appeal: appeal.is_none() && now <= until,
                appeal_until: format_time(until),
                appeal,
            });
        }
        Ok(MyDecisions { items })
    })
}

/// A member's appeals, for their export.
pub fn appeals_of(conn: &mut DbConnection, user_id: i64) -> Result<Vec<AppealView>, Error> {
    let mut views = Vec::new();
    for row in store::appeals_by(conn, UserId(user_id))? {
        if let Some(decision) = store::find_decision(conn, row.decision_id)? {
            views.push(view(conn, &row, &decision)?);
        }
    }
    Ok(views)
}
