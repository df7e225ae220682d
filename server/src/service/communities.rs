//! Communities and memberships: listing, creating, joining, leaving, moderators,
//! approvals and bans.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, MembershipRole, MembershipState,
    Visibility,
};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros};
use crate::domain::markdown::render_markdown;
use crate::domain::user::{ConditionTags, Username};
use crate::error::Error;
use crate::store::communities::{self, CommunityRow, ListScope, MembershipRow};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::users;
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::cursor;
use super::views::{
    CommunityDetail, CommunitySummary, MemberView, MembershipView, OwnAccount, Page,
};

pub fn list(
    store: &Store,
    viewer: Option<&CurrentUser>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<CommunitySummary>, Error> {
    let after_slug = after.map(cursor::decode_slug).transpose()?;
    let scope = match viewer {
        None => ListScope::Public,
        Some(user) if user.is_admin() => ListScope::Everything,
        Some(user) => ListScope::Member(user.id.0),
    };
    let rows =
        store.read(|conn| communities::list(conn, scope, after_slug.as_deref(), limit + 1))?;
    Ok(paginate(
        rows,
        limit,
        |row| cursor::encode_slug(&row.slug),
        CommunitySummary::from_row,
    ))
}

/// Cuts a `limit + 1` result to `limit` items and a cursor if there was more.
pub(crate) fn paginate<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    cursor_of: impl Fn(&R) -> String,
    view: impl Fn(&R) -> T,
) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(&cursor_of)
    } else {
        None
    };
    Page {
        items: rows.iter().map(view).collect(),
        next_cursor,
    }
}

pub fn get(
    store: &Store,
    viewer: Option<&CurrentUser>,
    slug: &str,
) -> Result<CommunityDetail, Error> {
    store.read(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, viewer)?;
        Ok(CommunityDetail::from_rows(
            &access.community,
            access.membership.as_ref(),
        ))
    })
}

pub struct NewCommunity {
    pub slug: CommunitySlug,
    pub name: CommunityText,
    pub description: CommunityText,
    pub rules: CommunityText,
    pub kind: CommunityKind,
    pub condition_tags: ConditionTags,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
}

pub fn create(
    store: &Store,
    admin: &CurrentUser,
    input: NewCommunity,
) -> Result<CommunityDetail, Error> {
    require_admin(admin, "create communities")?;
    render_markdown("rules", input.rules.as_str())?;
    let now = now_micros();
    let row = CommunityRow {
        id: next_id(),
        slug: input.slug.as_str().to_owned(),
        name: input.name.into_inner(),
        description: input.description.into_inner(),
        rules: input.rules.into_inner(),
        kind: input.kind.as_str().to_owned(),
        condition_tags: input.condition_tags.to_json(),
        visibility: input.visibility.as_str().to_owned(),
        join_policy: input.join_policy.as_str().to_owned(),
        member_count: 0,
        created_by: Some(admin.id.0),
        created_at: now,
        moderation_policy: "{}".into(),
    };
    store.write(|conn| {
        if communities::find_by_slug(conn, &row.slug)?.is_some() {
            return Err(Error::Conflict("a community with that slug exists".into()));
        }
        communities::insert(conn, &row)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::CommunityCreated,
                community_id: Some(row.id),
                thread_id: None,
                post_id: None,
                actor_id: Some(admin.id.0),
                payload: json!({ "slug": row.slug }),
                created_at: now,
            },
        )?;
        Ok(CommunityDetail::from_rows(&row, None))
    })
}

/// Refuses anyone but a site admin, saying what only admins can do.
fn require_admin(user: &CurrentUser, what: &str) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "not_admin",
            format!("only site admins can {what}"),
        ))
    }
}

/// Changes to a community's description and settings; `None` keeps a field.
#[derive(Default)]
pub struct CommunityPatch {
    pub name: Option<CommunityText>,
    pub description: Option<CommunityText>,
    pub rules: Option<CommunityText>,
    pub kind: Option<CommunityKind>,
    pub condition_tags: Option<ConditionTags>,
    pub visibility: Option<Visibility>,
    pub join_policy: Option<JoinPolicy>,
}

/// Edits a community (site admins only). Making it private takes effect at once
/// everywhere: pages, search and the API read visibility per request, and realtime
/// connections re-check their subscriptions on the `community.updated` event.
pub fn update(
    store: &Store,
    admin: &CurrentUser,
    slug: &str,
    patch: CommunityPatch,
) -> Result<CommunityDetail, Error> {
    require_admin(admin, "edit communities")?;
    if let Some(rules) = &patch.rules {
        render_markdown("rules", rules.as_str())?;
    }
    let now = now_micros();
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(admin))?;
        let current = access.community;
        let row = CommunityRow {
            name: patch
                .name
                .map_or(current.name.clone(), CommunityText::into_inner),
            description: patch
                .description
                .map_or(current.description.clone(), CommunityText::into_inner),
            rules: patch
                .rules
                .map_or(current.rules.clone(), CommunityText::into_inner),
            kind: patch
                .kind
                .map_or(current.kind.clone(), |k| k.as_str().to_owned()),
            condition_tags: patch
                .condition_tags
                .map_or(current.condition_tags.clone(), |t| t.to_json()),
            visibility: patch
                .visibility
                .map_or(current.visibility.clone(), |v| v.as_str().to_owned()),
            join_policy: patch
                .join_policy
                .map_or(current.join_policy.clone(), |p| p.as_str().to_owned()),
            ..current.clone()
        };
        communities::update_details(conn, &row)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::CommunityUpdated,
                community_id: Some(row.id),
                thread_id: None,
                post_id: None,
                actor_id: Some(admin.id.0),
                payload: json!({
                    "visibility": row.visibility,
                    "was_visibility": current.visibility,
                }),
                created_at: now,
            },
        )?;
        Ok(CommunityDetail::from_rows(&row, access.membership.as_ref()))
    })
}

/// Sets a member's role and state, keeping `member_count` (active members) right and
/// recording the change as an event. `None` removes the membership.
pub(crate) fn set_membership(
    conn: &mut DbConnection,
    community_id: i64,
    user_id: i64,
    target: Option<(MembershipRole, MembershipState)>,
    change: &str,
    actor_id: i64,
    now: i64,
) -> Result<Option<MembershipRow>, Error> {
    let current = communities::find_membership(conn, community_id, user_id)?;
    let was_active = current
        .as_ref()
        .is_some_and(|m| m.state == MembershipState::Active.as_str());
    let will_be_active = matches!(target, Some((_, MembershipState::Active)));
    let updated = match (target, &current) {
        (None, Some(_)) => {
            communities::delete_membership(conn, community_id, user_id)?;
            None
        }
        (None, None) => None,
        (Some((role, state)), Some(existing)) => {
            communities::update_membership(
                conn,
                community_id,
                user_id,
                role.as_str(),
                state.as_str(),
                now,
            )?;
            Some(MembershipRow {
                role: role.as_str().to_owned(),
                state: state.as_str().to_owned(),
                updated_at: now,
                ..existing.clone()
            })
        }
        (Some((role, state)), None) => {
            let row = MembershipRow {
                community_id,
                user_id,
                role: role.as_str().to_owned(),
                state: state.as_str().to_owned(),
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
            community_id: Some(community_id),
            thread_id: None,
            post_id: None,
            actor_id: Some(actor_id),
            payload: json!({
                "user_id": user_id.to_string(),
                "change": change,
                "role": updated.as_ref().map(|m| m.role.clone()),
                "state": updated.as_ref().map(|m| m.state.clone()),
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
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
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
        let (state, change) = if access.community.join_policy == JoinPolicy::Approval.as_str() {
            (MembershipState::Pending, "requested")
        } else {
            (MembershipState::Active, "joined")
        };
        membership_view(
            conn,
            &access,
            user.id.0,
            Some((MembershipRole::Member, state)),
            change,
            user.id.0,
        )
    })
}

/// Leaves a community (or withdraws a request). A ban stays in place.
pub fn leave(store: &Store, user: &CurrentUser, slug: &str) -> Result<(), Error> {
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
        match &access.membership {
            Some(m) if m.state != MembershipState::Banned.as_str() => {
                set_membership(
                    conn,
                    access.community.id,
                    user.id.0,
                    None,
                    "left",
                    user.id.0,
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
    user_id: i64,
    target: Option<(MembershipRole, MembershipState)>,
    change: &str,
    actor_id: i64,
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

fn find_user_id(conn: &mut DbConnection, username: &str) -> Result<i64, Error> {
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
            admin.id.0,
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
            .is_some_and(|m| m.role == MembershipRole::Moderator.as_str());
        if !is_moderator {
            return Err(Error::Conflict(format!(
                "{username} is not a moderator of this community"
            )));
        }
        membership_view(
            conn,
            &access,
            user_id,
            Some((MembershipRole::Member, MembershipState::Active)),
            "moderator_removed",
            admin.id.0,
        )
    })
}

/// Moderators approve a pending request or add a member directly (the only way into a
/// private community).
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
        let change = match existing.as_ref().map(|m| m.state.as_str()) {
            Some(state) if state == MembershipState::Active.as_str() => {
                return Ok(MembershipView::from_row(
                    existing.as_ref().ok_or(Error::NotFound)?,
                    access.community.slug.clone(),
                ));
            }
            Some(state) if state == MembershipState::Banned.as_str() => {
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
            moderator.id.0,
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
        if user_id == moderator.id.0 {
            return Err(Error::Conflict("you cannot ban yourself".into()));
        }
        let target = communities::find_membership(conn, access.community.id, user_id)?;
        if target
            .as_ref()
            .is_some_and(|m| m.role == MembershipRole::Moderator.as_str())
            && !moderator.is_admin()
        {
            return Err(Error::forbidden(
                "not_admin",
                "only site admins can ban a moderator",
            ));
        }
        membership_view(
            conn,
            &access,
            user_id,
            Some((MembershipRole::Member, MembershipState::Banned)),
            "banned",
            moderator.id.0,
        )
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
            .is_some_and(|m| m.state == MembershipState::Banned.as_str());
        if !banned {
            return Err(Error::NotFound);
        }
        set_membership(
            conn,
            access.community.id,
            user_id,
            None,
            "unbanned",
            moderator.id.0,
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
            state.as_str(),
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

/// The site at a glance, for admins.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteOverview {
    pub members: i64,
    pub published_posts: i64,
    pub open_queue_items: i64,
    pub communities: Vec<CommunityStats>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityStats {
    pub community: CommunitySummary,
    pub published_posts: i64,
    pub open_queue_items: i64,
    pub moderators: Vec<String>,
}

pub fn overview(store: &Store, admin: &CurrentUser) -> Result<SiteOverview, Error> {
    require_admin(admin, "see the site overview")?;
    store.read(|conn| {
        let posts: HashMap<i64, i64> = communities::published_post_counts(conn)?
            .into_iter()
            .collect();
        let queue: HashMap<i64, i64> = communities::open_queue_counts(conn)?.into_iter().collect();
        let mut moderators: HashMap<i64, Vec<String>> = HashMap::new();
        for (community_id, username) in communities::all_moderators(conn)? {
            moderators.entry(community_id).or_default().push(username);
        }
        let rows = communities::list(conn, ListScope::Everything, None, i64::MAX)?;
        Ok(SiteOverview {
            members: users::count(conn)?,
            published_posts: posts.values().sum(),
            open_queue_items: queue.values().sum(),
            communities: rows
                .iter()
                .map(|row| CommunityStats {
                    community: CommunitySummary::from_row(row),
                    published_posts: posts.get(&row.id).copied().unwrap_or(0),
                    open_queue_items: queue.get(&row.id).copied().unwrap_or(0),
                    moderators: moderators.remove(&row.id).unwrap_or_default(),
                })
                .collect(),
        })
    })
}

/// Most communities suggested on a member's home page.
const MAX_SUGGESTIONS: usize = 4;

/// Communities among `listed` that match the member's profile and that they have not
/// joined or asked to join: shared condition tags count one each, and a caregiver is
/// pointed to caregiver communities. Best match first, then the larger community.
pub fn suggested_for<'a>(
    account: &OwnAccount,
    listed: &'a [CommunitySummary],
) -> Vec<&'a CommunitySummary> {
    let caregiver = account.profile.role.as_deref() == Some("caregiver");
    let mut scored: Vec<(usize, &CommunitySummary)> = listed
        .iter()
        .filter(|c| !account.memberships.iter().any(|m| m.community == c.slug))
        .map(|c| {
            let shared = c
                .condition_tags
                .iter()
                .filter(|tag| account.profile.conditions.contains(tag))
                .count();
            (shared + usize::from(caregiver && c.kind == "caregiver"), c)
        })
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|(a, x), (b, y)| b.cmp(a).then(y.member_count.cmp(&x.member_count)));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::UserId;
    use crate::service::views::{OwnProfile, ProfileVisibility};

    fn community(slug: &str, kind: &str, tags: &[&str], members: i64) -> CommunitySummary {
        CommunitySummary {
            slug: slug.into(),
            name: slug.into(),
            description: String::new(),
            kind: kind.into(),
            condition_tags: tags.iter().map(|t| t.to_string()).collect(),
            visibility: "public".into(),
            join_policy: "open".into(),
            member_count: members,
        }
    }

    fn account(role: Option<&str>, conditions: &[&str], joined: &[&str]) -> OwnAccount {
        OwnAccount {
            id: UserId(1),
            username: "sam".into(),
            display_name: "Sam".into(),
            email: None,
            site_role: "member".into(),
            created_at: String::new(),
            profile: OwnProfile {
                role: role.map(str::to_owned),
                conditions: conditions.iter().map(|c| c.to_string()).collect(),
                bio: String::new(),
                visible_to_others: ProfileVisibility {
                    role: false,
                    conditions: false,
                    bio: false,
                },
            },
            memberships: joined
                .iter()
                .map(|slug| MembershipView {
                    community: slug.to_string(),
                    role: "member".into(),
                    state: "active".into(),
                    since: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn suggestions_match_conditions_and_caregiving_and_skip_joined_ones() {
        let listed = vec![
            community("lung-cancer", "condition", &["lung-cancer"], 40),
            community("lung-caregivers", "caregiver", &["lung-cancer"], 10),
            community("myeloma", "condition", &["myeloma"], 90),
            community("all-caregivers", "caregiver", &[], 200),
            community("general", "general", &[], 500),
        ];
        let caregiver = account(Some("caregiver"), &["lung-cancer"], &["lung-cancer"]);
        let slugs: Vec<&str> = suggested_for(&caregiver, &listed)
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        assert_eq!(slugs, ["lung-caregivers", "all-caregivers"]);

        let patient = account(Some("patient"), &["myeloma"], &[]);
        let slugs: Vec<&str> = suggested_for(&patient, &listed)
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        assert_eq!(slugs, ["myeloma"]);
        assert!(suggested_for(&account(None, &[], &[]), &listed).is_empty());
    }
}
