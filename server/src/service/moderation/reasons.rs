//! Canned removal reasons per community (issue 18): a short list its moderators keep, one
//! of them the default. The queue offers them, and one-click removal records the default
//! (or, for a community without reasons, the plain-words reason for the item's label).

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros, CommunityId};
use crate::domain::moderation::ModerationText;
use crate::error::Error;
use crate::service::access::CommunityAccess;
use crate::store::removal_reasons::{self as store, RemovalReasonRow};
use crate::store::{DbConnection, Store};

/// Reasons one community may keep: a short list to choose from, not a rule book.
pub const MAX_REASONS: usize = 20;

/// One canned reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RemovalReasonView {
    pub id: String,
    /// What the author of a removed post reads, and the public log shows.
    pub text: String,
    /// The reason one-click removal records.
    pub is_default: bool,
}

impl RemovalReasonView {
    fn from_row(row: &RemovalReasonRow) -> RemovalReasonView {
        RemovalReasonView {
            id: row.id.to_string(),
            text: row.text.clone(),
            is_default: row.is_default,
        }
    }
}

/// A community's reasons, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemovalReasons {
    pub reasons: Vec<RemovalReasonView>,
}

fn moderated_access(
    conn: &mut DbConnection,
    user: &CurrentUser,
    slug: &str,
) -> Result<CommunityAccess, Error> {
    let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
    access.require_moderator()?;
    Ok(access)
}

fn listed(conn: &mut DbConnection, community_id: CommunityId) -> Result<RemovalReasons, Error> {
    Ok(RemovalReasons {
        reasons: store::of_community(conn, community_id)?
            .iter()
            .map(RemovalReasonView::from_row)
            .collect(),
    })
}

/// The list, for the community's moderators.
pub fn removal_reasons(
    store_handle: &Store,
    user: &CurrentUser,
    slug: &str,
) -> Result<RemovalReasons, Error> {
    store_handle.read(|conn| {
        let access = moderated_access(conn, user, slug)?;
        listed(conn, access.community.id)
    })
}

/// Adds a reason; the first one, or one added with `make_default`, becomes the default.
pub fn add_removal_reason(
    store_handle: &Store,
    user: &CurrentUser,
    slug: &str,
    text: &ModerationText,
    make_default: bool,
) -> Result<RemovalReasons, Error> {
    store_handle.write(|conn| {
        let access = moderated_access(conn, user, slug)?;
        let community_id = access.community.id;
        let existing = store::of_community(conn, community_id)?;
        if existing.len() >= MAX_REASONS {
            return Err(Error::invalid(
                "text",
                "a community keeps at most 20 reasons; remove one first",
            ));
        }
        if existing.iter().any(|r| r.text == text.as_str()) {
            return Err(Error::Conflict(
                "this community already has that reason".into(),
            ));
        }
        let row = RemovalReasonRow {
            id: next_id(),
            community_id,
            text: text.as_str().to_owned(),
            is_default: false,
            created_at: now_micros(),
        };
        store::insert(conn, &row)?;
        if make_default || existing.is_empty() {
            store::set_default(conn, community_id, row.id)?;
        }
        listed(conn, community_id)
    })
}

fn reason_id(raw: &str) -> Result<i64, Error> {
    raw.parse().map_err(|_| Error::NotFound)
}

/// Makes one of the community's reasons the default.
pub fn make_default_reason(
    store_handle: &Store,
    user: &CurrentUser,
    slug: &str,
    id: &str,
) -> Result<RemovalReasons, Error> {
    let id = reason_id(id)?;
    store_handle.write(|conn| {
        let access = moderated_access(conn, user, slug)?;
        let community_id = access.community.id;
        if !store::of_community(conn, community_id)?
            .iter()
            .any(|r| r.id == id)
        {
            return Err(Error::NotFound);
        }
        store::set_default(conn, community_id, id)?;
        listed(conn, community_id)
    })
}

/// Removes a reason; when it was the default, the oldest one left becomes the default.
pub fn remove_removal_reason(
    store_handle: &Store,
    user: &CurrentUser,
    slug: &str,
    id: &str,
) -> Result<RemovalReasons, Error> {
    let id = reason_id(id)?;
    store_handle.write(|conn| {
        let access = moderated_access(conn, user, slug)?;
        let community_id = access.community.id;
        if !store::delete(conn, community_id, id)? {
            return Err(Error::NotFound);
        }
        let left = store::of_community(conn, community_id)?;
        if let Some(first) = left.first().filter(|_| !left.iter().any(|r| r.is_default)) {
            store::set_default(conn, community_id, first.id)?;
        }
        listed(conn, community_id)
    })
}

/// The reasons of these communities, for the queue: `(community id, reason)`.
pub(crate) fn of_communities(
    conn: &mut DbConnection,
    community_ids: &[CommunityId],
) -> Result<Vec<(CommunityId, RemovalReasonView)>, Error> {
    Ok(store::of_communities(conn, community_ids)?
        .iter()
        .map(|row| (row.community_id, RemovalReasonView::from_row(row)))
        .collect())
}
