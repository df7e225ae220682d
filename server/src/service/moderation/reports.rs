//! Member reports: a member flags a post, and enough trusted reports hide it until a
//! moderator decides.

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros, PostId};
use crate::domain::moderation::{
    report_weight, Findings, ModerationText, ReportState, REPORT_HIDE_THRESHOLD,
};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::moderation::{self as store, ReportRow};
use crate::store::posts::{self};
use crate::store::{DbConnection, Store};

use crate::service::access::CommunityAccess;
use crate::service::care;
use crate::service::idempotency::{self, Answer, Keyed};
use kindred_moderation::RiskLevel;

use super::{author_trust, change_post_status, queue_post};

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
    if let Some(answer) = idempotency::stored(store_handle, user.id, keyed, now)? {
        return Ok(answer);
    }
    let answer = store_handle.write(|conn| {
        idempotency::once(conn, user.id, keyed, now, |conn| {
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
    if store::find_report(conn, post.id, user.id)?.is_some() {
        return Err(Error::Conflict(
            "you have already reported this post".into(),
        ));
    }
    limit.take(conn, &user.id.to_string(), now)?;
    let weight = report_weight(author_trust(conn, user.id, now)?);
    store::insert_report(
        conn,
        &ReportRow {
            id: next_id(),
            post_id: post.id,
            community_id: post.community_id,
            reporter_id: user.id.0,
            reason: reason.as_str().to_owned(),
            weight,
            state: ReportState::Open,
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
    if reason.as_str() == care::SOMEONE_AT_RISK {
        care::open_item(conn, &post, RiskLevel::Medium, &[], "report", None, now)?;
    }
    let status = if total >= REPORT_HIDE_THRESHOLD && post.status == PostStatus::Published {
        let note = "Hidden after reports from several members, until a moderator reviews it.";
        change_post_status(conn, &post, PostStatus::Held, Some(note), None, now)?;
        PostStatus::Held
    } else {
        post.status
    };
    Answer::created(&ReportReceipt {
        post_status: status.as_str().to_owned(),
    })
}
