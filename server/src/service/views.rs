//! What clients see: the JSON shapes of users, communities, threads and posts, built from
//! rows. Private profile fields and emails appear only where the rules allow.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::reactions::Reactions;
use crate::domain::community::{MembershipRole, MembershipState};
use crate::domain::content_note::ContentNote;
use crate::domain::ids::{format_time, PostId, ThreadId, UserId};
use crate::domain::markdown::render_markdown;
use crate::domain::post::PostStatus;
use crate::domain::user::ConditionTags;
use crate::error::Error;
use crate::store::communities::{CommunityRow, MembershipRow};
use crate::store::posts::PostRow;
use crate::store::threads::ThreadRow;
use crate::store::users::{self, UserRow};
use crate::store::DbConnection;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A user as shown beside their posts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    /// `admin` or `moderator` for staff, shown beside their name so that an impersonator,
    /// who has no badge, stands out; absent for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
}

impl UserSummary {
    pub fn from_row(row: &UserRow) -> UserSummary {
        UserSummary {
            id: row.id,
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            staff: None,
        }
    }
}

/// A profile as other people see it: only the fields its owner chose to show.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicProfile {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Option<String>,
    pub conditions: Option<Vec<String>>,
    pub bio: Option<String>,
    pub joined_at: String,
    /// `admin` or `moderator` for staff; absent for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    /// The account is kept in memory of the member (pages read "In memory of …");
    /// absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub memorialised: bool,
}

impl PublicProfile {
    /// `audience_allows`: whether the viewer is in the audience the member chose; `staff`:
    /// the member's staff role, if any.
    pub fn from_row(row: &UserRow, audience_allows: bool, staff: Option<&str>) -> PublicProfile {
        PublicProfile {
            id: row.id,
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            role: row
                .profile_role
                .clone()
                .filter(|_| audience_allows && row.show_role),
            conditions: (audience_allows && row.show_conditions)
                .then(|| ConditionTags::from_json(&row.conditions)),
            bio: (audience_allows && row.show_bio).then(|| row.bio.clone()),
            joined_at: format_time(row.created_at),
            staff: staff.map(str::to_owned),
            memorialised: false,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileVisibility {
    pub role: bool,
    pub conditions: bool,
    pub bio: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwnProfile {
    pub role: Option<String>,
    pub conditions: Vec<String>,
    pub bio: String,
    pub visible_to_others: ProfileVisibility,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub community: String,
    #[schema(value_type = String)]
    pub role: MembershipRole,
    #[schema(value_type = String)]
    pub state: MembershipState,
    pub since: String,
}

/// The signed-in member's own account, with everything they have told us.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnAccount {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub site_role: String,
    pub created_at: String,
    pub profile: OwnProfile,
    pub memberships: Vec<MembershipView>,
}

impl OwnAccount {
    pub fn from_rows(row: &UserRow, memberships: Vec<(MembershipRow, String)>) -> OwnAccount {
        OwnAccount {
            id: row.id,
            username: row.username.clone(),
            display_name: row.display_name.clone(),
            email: row.email.clone(),
            site_role: row.site_role.as_str().to_owned(),
            created_at: format_time(row.created_at),
            profile: OwnProfile {
                role: row.profile_role.clone(),
                conditions: ConditionTags::from_json(&row.conditions),
                bio: row.bio.clone(),
                visible_to_others: ProfileVisibility {
                    role: row.show_role,
                    conditions: row.show_conditions,
                    bio: row.show_bio,
                },
            },
            memberships: memberships
                .into_iter()
                .map(|(m, slug)| MembershipView::from_row(&m, slug))
                .collect(),
        }
    }
}

impl MembershipView {
    pub fn from_row(row: &MembershipRow, community: String) -> MembershipView {
        MembershipView {
            community,
            role: row.role,
            state: row.state,
            since: format_time(row.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunitySummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub condition_tags: Vec<String>,
    pub visibility: String,
    pub join_policy: String,
    /// A private community shown in the directory; non-members may ask to join.
    pub listed: bool,
    pub member_count: i64,
    /// The language the community talks in (`en`, `es`).
    pub language: String,
}

impl CommunitySummary {
    pub fn from_row(row: &CommunityRow) -> CommunitySummary {
        CommunitySummary {
            slug: row.slug.clone(),
            name: row.name.clone(),
            description: row.description.clone(),
            kind: row.kind.as_str().to_owned(),
            condition_tags: ConditionTags::from_json(&row.condition_tags),
            visibility: row.visibility.as_str().to_owned(),
            join_policy: row.join_policy.as_str().to_owned(),
            listed: row.listed,
            member_count: row.member_count,
            language: row.language.clone(),
        }
    }
}

/// The viewer's own standing in a community.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViewerMembership {
    #[schema(value_type = String)]
    pub role: MembershipRole,
    #[schema(value_type = String)]
    pub state: MembershipState,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommunityDetail {
    #[serde(flatten)]
    pub summary: CommunitySummary,
    pub rules: String,
    pub rules_html: String,
    pub created_at: String,
    pub membership: Option<ViewerMembership>,
}

impl CommunityDetail {
    pub fn from_rows(row: &CommunityRow, membership: Option<&MembershipRow>) -> CommunityDetail {
        CommunityDetail {
            summary: CommunitySummary::from_row(row),
            rules: row.rules.clone(),
            // Rules are checked when written; any stored before that check and too
            // complex to render are shown as plain text.
            rules_html: render_markdown("rules", &row.rules)
                .unwrap_or_else(|_| ammonia::clean_text(&row.rules)),
            created_at: format_time(row.created_at),
            membership: membership.map(|m| ViewerMembership {
                role: m.role,
                state: m.state,
            }),
        }
    }
}

/// A member of a community, as moderators see the member list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub user: UserSummary,
    #[schema(value_type = String)]
    pub role: MembershipRole,
    #[schema(value_type = String)]
    pub state: MembershipState,
    pub since: String,
}

impl MemberView {
    pub fn from_parts(row: &MembershipRow, username: String, display_name: String) -> MemberView {
        MemberView {
            user: UserSummary {
                id: row.user_id,
                username,
                display_name,
                staff: None,
            },
            role: row.role,
            state: row.state,
            since: format_time(row.created_at),
        }
    }

    pub fn is_moderator(&self) -> bool {
        self.role == MembershipRole::Moderator
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadView {
    pub id: ThreadId,
    pub community: String,
    pub title: String,
    pub author: Option<UserSummary>,
    pub pinned: bool,
    pub locked: bool,
    pub post_count: i64,
    pub created_at: String,
    pub last_post_at: String,
    /// The signed-in reader's position, for threads they opened before; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<super::read_positions::ReadState>,
    /// What its author marked the thread with when starting it (see
    /// `service::content_notes`).
    pub content_notes: Vec<ContentNote>,
}

impl ThreadView {
    pub fn from_row(row: &ThreadRow, community: &str, authors: &Authors) -> ThreadView {
        ThreadView {
            id: ThreadId(row.id),
            community: community.to_owned(),
            title: row.title.clone(),
            author: authors.get(row.author_id),
            pinned: row.pinned,
            locked: row.locked,
            post_count: row.post_count,
            created_at: format_time(row.created_at),
            last_post_at: format_time(row.last_post_at),
            read: None,
            content_notes: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostView {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub author: Option<UserSummary>,
    // A string in the OpenAPI document, as before: the enum serialises as its text.
    #[schema(value_type = String)]
    pub status: PostStatus,
    pub body_html: String,
    /// The markdown source, for the author's own posts (to edit them).
    pub body: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub deleted: bool,
    /// For the author of a held or removed post: why, in plain words.
    pub moderation_note: Option<String>,
    /// The post this one answers.
    pub reply_to: Option<PostId>,
    /// The language it is written in (ISO 639-1 such as `en` or `es`, or `und` when it
    /// could not be told); absent for posts written before languages were recorded.
    pub language: Option<String>,
    /// The viewer blocks its author (pages fold it away); absent when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub author_blocked: bool,
    /// Counts per kind and whether the reader reacted (see `service::reactions`).
    pub reactions: Reactions,
    /// Context notes by verified clinicians and moderators, oldest first (see
    /// `service::context_notes`).
    pub context_notes: Vec<crate::service::context_notes::ContextNoteView>,
    /// What its author marked the post with (see `service::content_notes`).
    pub content_notes: Vec<ContentNote>,
}

impl PostView {
    pub fn from_row(row: &PostRow, authors: &Authors, viewer: Option<UserId>) -> PostView {
        let own = viewer.is_some_and(|v| row.author_id == Some(v.0));
        PostView {
            id: PostId(row.id),
            thread_id: ThreadId(row.thread_id),
            author: authors.get(row.author_id),
            status: row.status,
            body_html: row.body_html.clone(),
            body: (own && row.deleted_at.is_none()).then(|| row.body_source.clone()),
            created_at: format_time(row.created_at),
            edited_at: row.edited_at.map(format_time),
            deleted: row.deleted_at.is_some(),
            moderation_note: row.moderation_note.clone().filter(|_| own),
            reply_to: row.reply_to_id.map(PostId),
            language: row.language.clone().filter(|_| row.deleted_at.is_none()),
            author_blocked: false,
            reactions: Reactions::none_for_reader(),
            context_notes: Vec::new(),
            content_notes: Vec::new(),
        }
    }

    /// The same view with the post's reactions, from [`super::reactions::for_reader`].
    #[must_use]
    pub fn with_reactions(mut self, reactions: Option<&Reactions>) -> PostView {
        if let Some(reactions) = reactions {
            self.reactions = *reactions;
        }
        self
    }
}

/// Authors of a set of threads or posts, loaded in one query.
#[derive(Default)]
pub struct Authors(HashMap<UserId, UserSummary>);

impl Authors {
    pub fn load(
        conn: &mut DbConnection,
        ids: impl IntoIterator<Item = Option<i64>>,
    ) -> Result<Authors, Error> {
        let mut wanted: Vec<UserId> = ids.into_iter().flatten().map(UserId).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let rows = users::find_many(conn, &wanted)?;
        let staff: HashMap<UserId, &str> = users::staff_among(conn, &wanted)?.into_iter().collect();
        Ok(Authors(
            rows.iter()
                .map(|row| {
                    let mut summary = UserSummary::from_row(row);
                    summary.staff = staff.get(&row.id).map(|role| (*role).to_owned());
                    (row.id, summary)
                })
                .collect(),
        ))
    }

    pub fn get(&self, id: Option<i64>) -> Option<UserSummary> {
        id.and_then(|id| self.0.get(&UserId(id)).cloned())
    }
}
