//! A community's screening policy: reading it, and replacing it with a logged change.

use kindred_moderation::Policy;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EmptyPayload, EventPayload};
use crate::domain::ids::{next_id, now_micros};
use crate::domain::moderation::ModAction;
use crate::error::Error;
use crate::store::communities::{self, CommunityRow};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::moderation::{self as store, ModLogRow};
use crate::store::{DbConnection, Store};

use crate::service::access::CommunityAccess;

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
                community_id: community_id.0,
                queue_item_id: None,
                post_id: None,
                target_user_id: None,
                moderator_id: Some(user.id.0),
                action: ModAction::Policy,
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
                community_id: Some(community_id.0),
                thread_id: None,
                post_id: None,
                actor_id: Some(user.id),
                payload: EventPayload::Empty(EmptyPayload {}),
                created_at: now,
            },
        )?;
        access.community.moderation_policy.clone_from(&policy_json);
        policy_view(&access.community)
    })
}
