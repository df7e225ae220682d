//! Memberships: joining and leaving, moderators appointed and removed, requests approved,
//! bans, and the member lists moderators see.

use crate::domain::community::{JoinPolicy, MembershipRole, MembershipState};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, MembershipPayload};
use crate::domain::ids::{next_id, now_micros, CommunityId, UserId};
use crate::domain::moderation::{ModAction, Sanction};
use crate::domain::user::Username;
use crate::error::{Error, Said};
use crate::store::communities::{self, MembershipRow};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::moderation::{self, ModLogRow};
use crate::store::users;
use crate::store::{DbConnection, Store};

use crate::service::access::CommunityAccess;
use crate::service::cursor;
use crate::service::views::{MemberView, MembershipView, Page};

use super::{paginate, require_admin};

/// Sets a member's role and state, keeping `member_count` (active members) right and
/// recording the change as an event. `None` removes the membership.
pub(crate) fn set_membership(
    conn: &mut DbConnection,
    community_id: CommunityId,
    user_id: UserId,
    target: Option<(MembershipRole, MembershipState)>,
    change: &str,
    actor_id: UserId,
    now: i64,
) -> Result<Option<MembershipRow>, Error> {
    let current = communities::find_membership(conn, community_id, user_id)?;
    let was_active = current
        .as_ref()
        .is_some_and(|m| m.state == MembershipState::Active);
    let will_be_active = matches!(target, Some((_, MembershipState::Active)));
    let updated = match (target, &current) {
        (None, Some(_)) => {
            communities::delete_membership(conn, community_id, user_id)?;
            None
        }
        (None, None) => None,
        (Some((role, state)), Some(existing)) => {
            communities::update_membership(conn, community_id, user_id, role, state, now)?;
            Some(MembershipRow {
                role,
                state,
                updated_at: now,
                ..existing.clone()
            })
        }
        (Some((role, state)), None) => {
            let row = MembershipRow {
                community_id,
                user_id,
                role,
                state,
                created_at: now,
                updated_at: now,
                suspended_until: None,
            };
            communities::insert_membership(conn, &row)?;
            Some(row)
        }
    };
    match (was_active, will_be_active) {
        (false, true) => communities::adjust_member_count(conn, community_id, 1)?,
        (true, false) => communities::adjust_member_count(conn, community_id, -1)?,
        _ => {}
    }
    events::append(
        conn,
        NewEvent {
            kind: EventKind::MembershipChanged,
            community_id: Some(community_id.0),
            thread_id: None,
            post_id: None,
            actor_id: Some(actor_id),
            payload: EventPayload::Membership(MembershipPayload {
                change: change.to_owned(),
                role: updated.as_ref().map(|m| m.role),
                state: updated.as_ref().map(|m| m.state),
                user_id: Some(user_id.0),
            }),
            created_at: now,
        },
    )?;
    Ok(updated)
}

/// Joins a community: at once if it is open, as a request if it needs approval. Private
/// communities cannot be found, so cannot be joined; moderators add their members.
pub fn join(store: &Store, user: &CurrentUser, slug: &str) -> Result<MembershipView, Error> {
    store.write(|conn| {
        // A listed private community takes requests from those who cannot read it yet.
        let access = CommunityAccess::listing_by_slug(conn, slug, Some(user))?;
        if access.is_banned() {
            return Err(Error::forbidden(
                "banned",
                "you have been banned from this community",
            ));
        }
        if let Some(existing) = &access.membership {
            return Ok(MembershipView::from_row(
                existing,
                access.community.slug.clone(),
            ));
        }
        crate::service::email::require_confirmed(conn, user.id)?;
        // Joining a private community from outside is always a request, whatever its
        // join policy: its moderators decide who reads it.
        let (state, change) =
            if access.community.join_policy == JoinPolicy::Approval || !access.can_read() {
                (MembershipState::Pending, "requested")
            } else {
                (MembershipState::Active, "joined")
            };
        membership_view(
            conn,
            &access,
            user.id,
            Some((MembershipRole::Member, state)),
            change,
            user.id,
        )
    })
}

/// Leaves a community (or withdraws a request). A ban stays in place.
pub fn leave(store: &Store, user: &CurrentUser, slug: &str) -> Result<(), Error> {
    store.write(|conn| {
        // Withdrawing a request to a listed private community.
        let access = CommunityAccess::listing_by_slug(conn, slug, Some(user))?;
        match &access.membership {
            Some(m) if m.state != MembershipState::Banned => {
                set_membership(
                    conn,
                    access.community.id,
                    user.id,
                    None,
                    "left",
                    user.id,
                    now_micros(),
                )?;
                Ok(())
            }
            _ => Err(Error::Conflict(
                "you are not a member of this community".into(),
            )),
        }
    })
}

/// Writes a membership through [`set_membership`] and answers it as the API shows it.
fn membership_view(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    user_id: UserId,
    target: Option<(MembershipRole, MembershipState)>,
    change: &str,
    actor_id: UserId,
) -> Result<MembershipView, Error> {
    let row = set_membership(
        conn,
        access.community.id,
        user_id,
        target,
        change,
        actor_id,
        now_micros(),
    )?
    .ok_or_else(|| Error::Internal("membership not written".into()))?;
    Ok(MembershipView::from_row(
        &row,
        access.community.slug.clone(),
    ))
}

fn find_user_id(conn: &mut DbConnection, username: &str) -> Result<UserId, Error> {
    let name = Username::parse(username)?;
    users::find_by_username(conn, name.as_str())?
        .map(|u| u.id)
        .ok_or(Error::NotFound)
}

/// Makes a user a moderator of a community (site admins only).
pub fn add_moderator(
    store: &Store,
    admin: &CurrentUser,
    slug: &str,
    username: &str,
) -> Result<MembershipView, Error> {
    require_admin(admin, "appoint moderators")?;
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(admin))?;
        let user_id = find_user_id(conn, username)?;
        membership_view(
            conn,
            &access,
            user_id,
            Some((MembershipRole::Moderator, MembershipState::Active)),
            "moderator_added",
            admin.id,
        )
    })
}

/// Ends a user's moderator role; they stay a member (site admins only).
pub fn remove_moderator(
    store: &Store,
    admin: &CurrentUser,
    slug: &str,
    username: &str,
) -> Result<MembershipView, Error> {
    require_admin(admin, "remove moderators")?;
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(admin))?;
        let user_id = find_user_id(conn, username)?;
        let is_moderator = communities::find_membership(conn, access.community.id, user_id)?
            .is_some_and(|m| m.role == MembershipRole::Moderator);
        if !is_moderator {
            return Err(Error::Conflict(
                Said::new("es3-conflict-not-moderator")
                    .with("username", username.to_string())
                    .into(),
            ));
        }
        membership_view(
            conn,
            &access,
            user_id,
            Some((MembershipRole::Member, MembershipState::Active)),
            "moderator_removed",
            admin.id,
        )
    })
}

/// Moderators approve a pending request or add a member directly (the only way into a
/// private community other than a listed one, where members may also ask).
pub fn add_member(
    store: &Store,
    moderator: &CurrentUser,
    slug: &str,
    username: &str,
) -> Result<MembershipView, Error> {
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(moderator))?;
        access.require_moderator()?;
        let user_id = find_user_id(conn, username)?;
        let existing = communities::find_membership(conn, access.community.id, user_id)?;
        let change = match existing.as_ref().map(|m| m.state) {
            Some(MembershipState::Active) => {
                return Ok(MembershipView::from_row(
                    existing.as_ref().ok_or(Error::NotFound)?,
                    access.community.slug.clone(),
                ));
            }
            Some(MembershipState::Banned) => {
                return Err(Error::Conflict(
                    "that member is banned; lift the ban first".into(),
                ));
            }
            Some(_) => "approved",
            None => "added",
        };
        membership_view(
            conn,
            &access,
            user_id,
            Some((MembershipRole::Member, MembershipState::Active)),
            change,
            moderator.id,
        )
    })
}

/// Bans a member: they can no longer post, and a private community disappears for them.
/// Moderators cannot ban each other; a site admin can.
pub fn ban(
    store: &Store,
    moderator: &CurrentUser,
    slug: &str,
    username: &str,
) -> Result<MembershipView, Error> {
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(moderator))?;
        access.require_moderator()?;
        let user_id = find_user_id(conn, username)?;
        if user_id == moderator.id {
            return Err(Error::Conflict("you cannot ban yourself".into()));
        }
        let target = communities::find_membership(conn, access.community.id, user_id)?;
        if target
            .as_ref()
            .is_some_and(|m| m.role == MembershipRole::Moderator)
            && !moderator.is_admin()
        {
            return Err(Error::forbidden(
                "not_admin",
                "only site admins can ban a moderator",
            ));
        }
        let view = membership_view(
            conn,
            &access,
            user_id,
            Some((MembershipRole::Member, MembershipState::Banned)),
            "banned",
            moderator.id,
        )?;
        // Logged as a decision like a ban from the queue, so the member can appeal it
        // once within 30 days to another moderator (issue 19).
        moderation::append_log(
            conn,
            &ModLogRow {
                id: next_id(),
                community_id: access.community.id.0,
                queue_item_id: None,
                post_id: None,
                target_user_id: Some(user_id.0),
                moderator_id: Some(moderator.id.0),
                action: ModAction::Sanction,
                reason: "banned by a moderator".into(),
                note: None,
                sanction: Some(Sanction::Ban.describe()),
                created_at: now_micros(),
            },
        )?;
        Ok(view)
    })
}

/// Lifts a ban; the person may then join again.
pub fn unban(
    store: &Store,
    moderator: &CurrentUser,
    slug: &str,
    username: &str,
) -> Result<(), Error> {
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(moderator))?;
        access.require_moderator()?;
        let user_id = find_user_id(conn, username)?;
        let banned = communities::find_membership(conn, access.community.id, user_id)?
            .is_some_and(|m| m.state == MembershipState::Banned);
        if !banned {
            return Err(Error::NotFound);
        }
        set_membership(
            conn,
            access.community.id,
            user_id,
            None,
            "unbanned",
            moderator.id,
            now_micros(),
        )?;
        Ok(())
    })
}

/// Members in one state (active, pending or banned), for moderators.
pub fn members(
    store: &Store,
    moderator: &CurrentUser,
    slug: &str,
    state: MembershipState,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<MemberView>, Error> {
    let after_name = after.map(cursor::decode_slug).transpose()?;
    store.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(moderator))?;
        access.require_moderator()?;
        let rows = communities::list_members(
            conn,
            access.community.id,
            state,
            after_name.as_deref(),
            limit + 1,
        )?;
        Ok(paginate(
            rows,
            limit,
            |(_, username, _)| cursor::encode_slug(username),
            |(m, username, display)| MemberView::from_parts(m, username.clone(), display.clone()),
        ))
    })
}
