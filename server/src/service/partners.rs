//! Research partners (issue 20): accounts of the foundations and researchers who fund a
//! community, who may see that community's de-identified insights and nothing else.
//!
//! An admin grants an account `research_partner` for named communities. The first grant
//! turns the account's site role into `research_partner` (admins cannot be partners) and
//! signs it out everywhere, so no session opened as a member lives on; from then on the
//! fence (`auth::fence`) answers 404 to it on every route but the few of
//! [`partner_may_use`]. Revoking the last community leaves the role: the account then
//! sees nothing, rather than becoming a member again by surprise.

use serde::{Deserialize, Serialize};

use crate::domain::community::CommunitySlug;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, UserId};
use crate::domain::user::{SiteRole, Username};
use crate::error::Error;
use crate::store::partners::{self as store, GrantRow};
use crate::store::{communities, sessions, users, Store};

/// Who changes grants: an admin over the API or pages, or an operator's command line.
pub enum Granter<'a> {
    Admin(&'a CurrentUser),
    CommandLine,
}

impl Granter<'_> {
    fn id(&self) -> Result<Option<i64>, Error> {
        match self {
            Granter::Admin(user) if user.is_admin() => Ok(Some(user.id.0)),
            Granter::Admin(_) => Err(Error::forbidden(
                "not_admin",
                "only site admins can grant research partners access",
            )),
            Granter::CommandLine => Ok(None),
        }
    }
}

/// One community granted to one partner.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GrantView {
    /// The partner's username.
    pub username: String,
    /// The community's slug.
    pub community: String,
    /// The community's name.
    pub community_name: String,
    /// When it was granted (microseconds since the epoch).
    pub granted_at: i64,
}

impl From<GrantRow> for GrantView {
    fn from(row: GrantRow) -> GrantView {
        GrantView {
            username: row.username,
            community: row.slug,
            community_name: row.community_name,
            granted_at: row.created_at,
        }
    }
}

/// A community a partner may look at.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartnerCommunity {
    pub slug: String,
    pub name: String,
}

/// Grants `slug` to `username`, making the account a research partner if it is not one
/// yet. `true` if the grant is new.
pub fn grant(
    store_handle: &Store,
    granter: &Granter<'_>,
    username: &str,
    slug: &str,
) -> Result<(bool, GrantView), Error> {
    let granted_by = granter.id()?;
    let username = Username::parse(username)?;
    let slug = CommunitySlug::parse(slug)?;
    let (created, user_id) = store_handle.write(|conn| {
        let user = users::find_by_username(conn, username.as_str())?
            .ok_or_else(|| unknown_account(&username))?;
        let role = user.site_role;
        if role == SiteRole::Admin {
            return Err(Error::Conflict(
                "a site admin cannot be a research partner; grant a separate account".into(),
            ));
        }
        let community = communities::find_by_slug(conn, slug.as_str())?
            .ok_or_else(|| unknown_community(&slug))?;
        let now = now_micros();
        if role == SiteRole::Member {
            store::make_partner(conn, user.id)?;
            sessions::revoke_all_of_user(conn, user.id, None, now)?;
        }
        let created = store::grant(conn, user.id, community.id, granted_by.map(UserId), now)?;
        Ok((created, user.id))
    })?;
    tracing::info!(
        user_id = user_id.0,
        granted_by,
        created,
        "research partner grant"
    );
    let view = store_handle
        .read(store::all)?
        .into_iter()
        .map(GrantView::from)
        .find(|g| g.username == username.as_str() && g.community == slug.as_str())
        .ok_or(Error::NotFound)?;
    Ok((created, view))
}

/// Takes `slug` back from `username`; 404 if it was not granted.
pub fn revoke(
    store_handle: &Store,
    granter: &Granter<'_>,
    username: &str,
    slug: &str,
) -> Result<(), Error> {
    let by = granter.id()?;
    let username = Username::parse(username).map_err(|_| Error::NotFound)?;
    let slug = CommunitySlug::parse(slug).map_err(|_| Error::NotFound)?;
    let user_id = store_handle.write(|conn| {
        let user = users::find_by_username(conn, username.as_str())?.ok_or(Error::NotFound)?;
        let community = communities::find_by_slug(conn, slug.as_str())?.ok_or(Error::NotFound)?;
        if store::revoke(conn, user.id, community.id)? {
            Ok(user.id)
        } else {
            Err(Error::NotFound)
        }
    })?;
    tracing::info!(user_id = user_id.0, by, "research partner grant revoked");
    Ok(())
}

/// Every grant, for the admins.
pub fn list(store_handle: &Store, granter: &Granter<'_>) -> Result<Vec<GrantView>, Error> {
    granter.id()?;
    Ok(store_handle
        .read(store::all)?
        .into_iter()
        .map(GrantView::from)
        .collect())
}

/// The communities whose insights `user` may see: granted ones for a partner, all for an
/// admin, none for anyone else.
pub fn communities_of(
    store_handle: &Store,
    user: &CurrentUser,
) -> Result<Vec<PartnerCommunity>, Error> {
    let rows = if user.is_admin() {
        store_handle.read(store::all_communities)?
    } else if user.is_research_partner() {
        store_handle.read(|conn| store::communities_of(conn, user.id))?
    } else {
        Vec::new()
    };
    Ok(rows
        .into_iter()
        .map(|(slug, name)| PartnerCommunity { slug, name })
        .collect())
}

fn unknown_account(username: &Username) -> Error {
    Error::invalid(
        "username",
        format!("no account is called {}", username.as_str()),
    )
}

fn unknown_community(slug: &CommunitySlug) -> Error {
    Error::invalid(
        "community",
        format!("no community is called {}", slug.as_str()),
    )
}

/// The routes (as actix patterns) a research partner may use; the fence answers 404 to
/// a partner everywhere else. Kept here, with the role's other rules, rather than in the
/// router, so that a new route is closed to partners unless it is added on purpose.
pub fn partner_may_use(pattern: &str) -> bool {
    const OPEN: &[&str] = &[
        // Signing in and out, and the partner's own password.
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/me/password",
        "/login",
        "/logout",
        "/me/password",
        // What the site serves to anyone, about itself.
        "/livez",
        "/healthz",
        "/metrics",
        "/api/v1/openapi.json",
        "/static/{file}",
        // Home, which sends a partner on to their insights.
        "/",
        // Insights.
        "/insights",
        "/insights/{slug}",
        "/insights/{slug}/export",
        // Surveys: drafting and results (pages; the API's are under /api/v1/partner/).
        "/partner/surveys",
        "/partner/surveys/{id}",
        "/partner/surveys/{id}/results.csv",
    ];
    OPEN.contains(&pattern) || pattern.starts_with("/api/v1/partner/")
}
