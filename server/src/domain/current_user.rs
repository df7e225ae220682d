//! `CurrentUser`: who is signed in, as the services see it. The HTTP extractors in
//! `auth::extract` and the websocket sessions build it; every layer may read it.

use crate::domain::ids::{SessionId, UserId};
use crate::domain::user::SiteRole;

/// The signed-in user making a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub site_role: SiteRole,
    pub session_id: SessionId,
}

impl CurrentUser {
    pub fn is_admin(&self) -> bool {
        self.site_role == SiteRole::Admin
    }

    pub fn is_research_partner(&self) -> bool {
        self.site_role == SiteRole::ResearchPartner
    }
}
