//! Content notes (issue 19): `GET|PUT /me/content-notes` (the notes a member wants folded
//! away) and `GET|PUT /communities/{slug}/content-notes` (a community's defaults for
//! members who have not chosen; moderators set them). Notes on posts and threads are
//! fields of the thread and post requests (`api::threads`).

use actix_web::{get, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth::Viewer;
use crate::domain::content_note::{ContentNote, ContentNotes};
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::content_notes::{self, CommunityContentNotes, MemberContentNotes};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(mine)
        .service(set_mine)
        .service(community_defaults)
        .service(set_community_defaults);
}

/// The notes to fold away; each at most once is kept, in the list's order.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollapseRequest {
    /// An unknown note is `400 unknown_content_note`.
    #[schema(value_type = Vec<ContentNote>, max_items = 10)]
    collapse: Vec<String>,
}

#[utoipa::path(operation_id = "my_content_notes", tag = "content notes", security(("bearer" = [])),
    responses((status = 200, description = "The member's choice; until they choose, each community's defaults apply", body = MemberContentNotes)))]
#[get("/me/content-notes")]
async fn mine(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let choice = state
        .store
        .reading(move |store| content_notes::mine(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(choice))
}

#[utoipa::path(operation_id = "set_my_content_notes", tag = "content notes", security(("bearer" = [])), request_body = CollapseRequest,
    responses((status = 200, description = "Chosen (an empty list folds nothing away, whatever the communities' defaults)", body = MemberContentNotes), (status = 400, description = "`unknown_content_note`", body = ErrorBody)))]
#[put("/me/content-notes")]
async fn set_mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CollapseRequest>,
) -> Result<HttpResponse, Error> {
    let collapse = ContentNotes::parse(&body.into_inner().collapse)?;
    let choice = state
        .store
        .blocking(move |store| content_notes::set_mine(store, &user, &collapse))
        .await?;
    Ok(HttpResponse::Ok().json(choice))
}

#[utoipa::path(operation_id = "community_content_notes", tag = "content notes", params(("slug" = String, Path)), security((), ("bearer" = [])),
    responses((status = 200, description = "The notes folded away for members who have not chosen", body = CommunityContentNotes), (status = 404, body = ErrorBody)))]
#[get("/communities/{slug}/content-notes")]
async fn community_defaults(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let defaults = state
        .store
        .reading(move |store| content_notes::community_defaults(store, viewer.user(), &slug))
        .await?;
    Ok(HttpResponse::Ok().json(defaults))
}

#[utoipa::path(operation_id = "set_community_content_notes", tag = "content notes", params(("slug" = String, Path)), security(("bearer" = [])), request_body = CollapseRequest,
    responses((status = 200, body = CommunityContentNotes), (status = 400, description = "`unknown_content_note`", body = ErrorBody), (status = 403, description = "`not_moderator`", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[put("/communities/{slug}/content-notes")]
async fn set_community_defaults(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<CollapseRequest>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let collapse = ContentNotes::parse(&body.into_inner().collapse)?;
    let defaults = state
        .store
        .blocking(move |store| {
            content_notes::set_community_defaults(store, &user, &slug, &collapse)
        })
        .await?;
    Ok(HttpResponse::Ok().json(defaults))
}
