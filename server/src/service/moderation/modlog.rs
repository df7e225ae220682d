//! The append-only moderation log, and moderators' decisions exported as labeled
//! examples for the screening corpus.

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, PostId};
use crate::domain::moderation::ModAction;
use crate::error::Error;
use crate::store::moderation::{self as store};
use crate::store::Store;

use crate::service::access::CommunityAccess;
use crate::service::communities::paginate;
use crate::service::cursor;
use crate::service::views::{Authors, Page, UserSummary};

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
        let rows = store::list_log(conn, access.community.id.0, before, limit + 1)?;
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
                action: r.action.as_str().to_owned(),
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
        let labels: Vec<String> = if row.action == ModAction::Approve {
            Vec::new()
        } else {
            serde_json::from_str(&row.labels)
                .map_err(|e| Error::failed(format!("queue labels of decision {}", row.log_id), e))?
        };
        if row.action == ModAction::Remove && labels.is_empty() {
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
