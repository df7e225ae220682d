//! Reactions on posts: `PUT`/`DELETE /posts/{id}/reactions/{kind}` (idempotent) and
//! `GET /posts/{id}/reactions` (who reacted).

use actix_web::{delete, get, put, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth::Viewer;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::PostId;
use crate::domain::reaction::ReactionKind;
use crate::error::Error;
use crate::service::reactions::{self, Reactions, ReactorList};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list).service(add).service(remove);
}

/// A post's reactions after a change, as the member who made it sees them.
#[derive(Serialize, ToSchema)]
pub struct ReactionsResponse {
    reactions: Reactions,
}

fn post_id(raw: &str) -> Result<PostId, Error> {
    PostId::parse(raw).ok_or(Error::NotFound)
}

#[utoipa::path(operation_id = "add_reaction", tag = "reactions",
    params(("id" = String, Path), ("kind" = ReactionKind, Path, description = "`with_you`, `thank_you`, `me_too` or `helpful`")), security(("bearer" = [])),
    responses((status = 200, description = "Reacted (again: nothing changes); the post's counts and `mine`", body = ReactionsResponse),
        (status = 403, description = "Not a member who may post here (`not_member`, `banned`, `suspended`)", body = ErrorBody),
        (status = 409, description = "`post_not_published`: held, removed or deleted", body = ErrorBody),
        (status = 429, description = "`rate_limited`: reactions per hour", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[put("/posts/{id}/reactions/{kind}")]
async fn add(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    set(state, user, path.into_inner(), true).await
}

#[utoipa::path(operation_id = "remove_reaction", tag = "reactions",
    params(("id" = String, Path), ("kind" = ReactionKind, Path, description = "`with_you`, `thank_you`, `me_too` or `helpful`")), security(("bearer" = [])),
    responses((status = 200, description = "Taken back (or there was none); the post's counts and `mine`", body = ReactionsResponse),
        (status = 403, description = "Not a member who may post here", body = ErrorBody),
        (status = 409, description = "`post_not_published`: held, removed or deleted", body = ErrorBody),
        (status = 429, description = "`rate_limited`: reactions per hour", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[delete("/posts/{id}/reactions/{kind}")]
async fn remove(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    set(state, user, path.into_inner(), false).await
}

async fn set(
    state: web::Data<AppState>,
    user: CurrentUser,
    (id, kind): (String, String),
    on: bool,
) -> Result<HttpResponse, Error> {
    let id = post_id(&id)?;
    let kind = ReactionKind::parse(&kind)?;
    let app = state.clone();
    let reactions = state
        .store
        .blocking(move |store| {
            reactions::set(store, &app.abuse.reactions_by_member, &user, id, kind, on)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ReactionsResponse { reactions }))
}

#[utoipa::path(operation_id = "list_reactions", tag = "reactions",
    params(("id" = String, Path)), security((), ("bearer" = [])),
    responses((status = 200, description = "Who reacted how, oldest first (at most 500), and the counts", body = ReactorList)))]
#[get("/posts/{id}/reactions")]
async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id = post_id(&path.into_inner())?;
    let found = state
        .store
        .reading(move |store| reactions::who(store, viewer.user(), id))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}
