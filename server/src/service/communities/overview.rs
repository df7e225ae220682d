//! The site at a glance for admins, and the communities suggested to a member.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::CommunityId;
use crate::error::Error;
use crate::store::communities::{self, ListScope};
use crate::store::users;
use crate::store::Store;

use crate::service::views::{CommunitySummary, OwnAccount};

use super::require_admin;

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
        let posts: HashMap<CommunityId, i64> = communities::published_post_counts(conn)?
            .into_iter()
            .collect();
        let queue: HashMap<CommunityId, i64> =
            communities::open_queue_counts(conn)?.into_iter().collect();
        let mut moderators: HashMap<CommunityId, Vec<String>> = HashMap::new();
        for (community_id, username) in communities::all_moderators(conn)? {
            moderators.entry(community_id).or_default().push(username);
        }
        let rows = communities::list(conn, ListScope::Everything, None, None, i64::MAX)?;
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
    use crate::domain::community::{MembershipRole, MembershipState};
    use crate::domain::ids::UserId;
    use crate::service::views::{MembershipView, OwnProfile, ProfileVisibility};

    fn community(slug: &str, kind: &str, tags: &[&str], members: i64) -> CommunitySummary {
        CommunitySummary {
            slug: slug.into(),
            name: slug.into(),
            description: String::new(),
            kind: kind.into(),
            condition_tags: tags.iter().map(ToString::to_string).collect(),
            visibility: "public".into(),
            join_policy: "open".into(),
            language: "en".into(),
            listed: false,
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
                conditions: conditions.iter().map(ToString::to_string).collect(),
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
                    role: MembershipRole::Member,
                    state: MembershipState::Active,
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
