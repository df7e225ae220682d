//! Who may see and do what in a community. Every read and write of community content goes
//! through [`CommunityAccess`], so visibility is decided in one place.

use crate::domain::community::{CommunitySlug, MembershipRole, MembershipState, Visibility};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, CommunityId};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::service::views::ViewerMembership;
use crate::store::communities::{self, CommunityRow, MembershipRow};
use crate::store::moderation;
use crate::store::posts::{PostRow, PostScope};
use crate::store::DbConnection;

/// Whether a membership in `state` (as rows and views carry it) is an active one.
pub fn is_active(state: MembershipState) -> bool {
    state == MembershipState::Active
}

/// Whether a membership waits for approval.
pub fn is_pending(state: MembershipState) -> bool {
    state == MembershipState::Pending
}

/// Whether a membership with `role` and `state` makes its member a moderator of the
/// community (site admins moderate everywhere: see [`CommunityAccess::is_moderator`]).
pub fn moderates(role: MembershipRole, state: MembershipState) -> bool {
    is_active(state) && role == MembershipRole::Moderator
}

/// The communities whose moderators' lists (the queue, appeals, wellbeing items) this user
/// may read: all of them for a site admin, else those they actively moderate.
pub fn moderated_communities(
    conn: &mut DbConnection,
    user: &CurrentUser,
) -> Result<Vec<CommunityId>, Error> {
    if user.is_admin() {
        moderation::all_community_ids(conn)
    } else {
        moderation::moderated_community_ids(conn, user.id)
    }
}

/// What one of the moderators' lists covers: [`moderated_communities`], or with `community`
/// that one alone, which the user must moderate. A user who moderates nothing gets
/// `403 not_moderator` with `refusal`, which names the list.
pub fn moderated_scope(
    conn: &mut DbConnection,
    user: &CurrentUser,
    community: Option<&str>,
    refusal: &'static str,
) -> Result<Vec<CommunityId>, Error> {
    let moderated = moderated_communities(conn, user)?;
    if moderated.is_empty() {
        return Err(Error::forbidden("not_moderator", refusal));
    }
    match community {
        Some(slug) => {
            let access = CommunityAccess::by_slug(conn, slug, Some(user))?;
            access.require_moderator()?;
            Ok(vec![access.community.id])
        }
        None => Ok(moderated),
    }
}

/// Whether `viewer`, whose membership a community's view carries, moderates it: site
/// admins everywhere, else an active moderator's membership.
pub fn viewer_moderates(
    viewer: Option<&CurrentUser>,
    membership: Option<&ViewerMembership>,
) -> bool {
    viewer.is_some_and(CurrentUser::is_admin)
        || membership.is_some_and(|m| moderates(m.role, m.state))
}

pub struct CommunityAccess {
    pub community: CommunityRow,
    pub membership: Option<MembershipRow>,
    is_admin: bool,
}

impl CommunityAccess {
    /// Loads a community for a viewer; a private community they do not belong to is
    /// `NotFound`, exactly like one that does not exist.
    pub fn by_slug(
        conn: &mut DbConnection,
        slug: &str,
        viewer: Option<&CurrentUser>,
    ) -> Result<CommunityAccess, Error> {
        let slug = CommunitySlug::parse(slug).map_err(|_| Error::NotFound)?;
        let community = communities::find_by_slug(conn, slug.as_str())?.ok_or(Error::NotFound)?;
        Self::for_row(conn, community, viewer)
    }

    /// Loads a community whose listing a viewer may see: one they may read, or a listed
    /// private one (its name, description and member count, and a way to ask to join —
    /// never its threads, which still go through [`CommunityAccess::by_slug`]). An
    /// unlisted private community is `NotFound`.
    pub fn listing_by_slug(
        conn: &mut DbConnection,
        slug: &str,
        viewer: Option<&CurrentUser>,
    ) -> Result<CommunityAccess, Error> {
        let slug = CommunitySlug::parse(slug).map_err(|_| Error::NotFound)?;
        let community = communities::find_by_slug(conn, slug.as_str())?.ok_or(Error::NotFound)?;
        let access = Self::load(conn, community, viewer)?;
        if access.can_read() || access.community.listed {
            Ok(access)
        } else {
            Err(Error::NotFound)
        }
    }

    pub fn by_id(
        conn: &mut DbConnection,
        id: i64,
        viewer: Option<&CurrentUser>,
    ) -> Result<CommunityAccess, Error> {
        let community = communities::find(conn, CommunityId(id))?.ok_or(Error::NotFound)?;
        Self::for_row(conn, community, viewer)
    }

    /// A community and the viewer's membership already read (one joined query), checked
    /// like [`CommunityAccess::by_id`].
    pub fn from_rows(
        community: CommunityRow,
        membership: Option<MembershipRow>,
        viewer: &CurrentUser,
    ) -> Result<CommunityAccess, Error> {
        let access = CommunityAccess {
            community,
            membership,
            is_admin: viewer.is_admin(),
        };
        if !access.can_read() {
            return Err(Error::NotFound);
        }
        Ok(access)
    }

    fn for_row(
        conn: &mut DbConnection,
        community: CommunityRow,
        viewer: Option<&CurrentUser>,
    ) -> Result<CommunityAccess, Error> {
        let access = Self::load(conn, community, viewer)?;
        if !access.can_read() {
            return Err(Error::NotFound);
        }
        Ok(access)
    }

    /// The community with the viewer's membership, before any visibility check.
    fn load(
        conn: &mut DbConnection,
        community: CommunityRow,
        viewer: Option<&CurrentUser>,
    ) -> Result<CommunityAccess, Error> {
        let membership = match viewer {
            Some(user) => communities::find_membership(conn, community.id, user.id)?,
            None => None,
        };
        Ok(CommunityAccess {
            community,
            membership,
            is_admin: viewer.is_some_and(CurrentUser::is_admin),
        })
    }

    /// Whether the viewer may read the community's threads (false only for a listed
    /// private community seen from outside).
    pub fn can_read(&self) -> bool {
        self.community.visibility == Visibility::Public || self.is_admin || self.is_active_member()
    }

    pub fn is_active_member(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.state == MembershipState::Active)
    }

    pub fn is_banned(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.state == MembershipState::Banned)
    }

    pub fn is_moderator(&self) -> bool {
        self.is_admin
            || self.membership.as_ref().is_some_and(|m| {
                m.state == MembershipState::Active && m.role == MembershipRole::Moderator
            })
    }

    pub fn require_moderator(&self) -> Result<(), Error> {
        if self.is_moderator() {
            Ok(())
        } else {
            Err(Error::forbidden(
                "not_moderator",
                "only this community's moderators can do that",
            ))
        }
    }

    /// Posting needs an active membership (admins may always post).
    pub fn require_poster(&self) -> Result<(), Error> {
        self.require_not_sanctioned()?;
        if self.is_active_member() || self.is_admin {
            Ok(())
        } else {
            Err(Error::forbidden(
                "not_member",
                "join this community to post in it",
            ))
        }
    }

    /// Refuses a member who is banned from the community or suspended from posting in
    /// it: neither may write there, new posts or edits of old ones.
    pub fn require_not_sanctioned(&self) -> Result<(), Error> {
        if self.is_banned() {
            return Err(Error::forbidden(
                "banned",
                "you have been banned from this community",
            ));
        }
        let suspended = self
            .membership
            .as_ref()
            .and_then(|m| m.suspended_until)
            .is_some_and(|until| until > now_micros());
        if suspended {
            return Err(Error::forbidden(
                "suspended",
                "a moderator has suspended you from posting here for a while",
            ));
        }
        Ok(())
    }

    /// Which posts this viewer may read.
    pub fn post_scope(&self, viewer: Option<&CurrentUser>) -> PostScope {
        if self.is_moderator() {
            PostScope::All
        } else {
            PostScope::PublishedOr {
                author_id: viewer.map(|u| u.id),
            }
        }
    }

    /// Whether one post is visible: published, or the viewer's own, or viewer moderates.
    pub fn can_see_post(&self, post: &PostRow, viewer: Option<&CurrentUser>) -> bool {
        post.status == PostStatus::Published
            || self.is_moderator()
            || viewer.is_some_and(|u| post.author_id == Some(u.id.0))
    }
}
