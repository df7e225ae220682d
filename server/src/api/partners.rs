//! Research partners (issue 20): admins grant and revoke communities
//! (`/admin/partners`); a partner lists their communities and exports their insights
//! (`/partner/…`, the only API routes besides signing in that a partner may use).

use actix_web::{delete, get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::insights::InsightsQuery;
use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::insights::{self, Channel, InsightsRequest};
use crate::service::partners::{self, GrantView, Granter, PartnerCommunity};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_grants)
        .service(grant)
        .service(revoke)
        .service(my_communities)
        .service(export);
}

#[utoipa::path(operation_id = "list_partner_grants", tag = "partners", security(("bearer" = [])),
    responses((status = 200, description = "Every community granted to a research partner", body = Vec<GrantView>),
        (status = 403, body = ErrorBody)))]
#[get("/admin/partners")]
async fn list_grants(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let grants = state
        .store
        .reading(move |store| partners::list(store, &Granter::Admin(&user)))
        .await?;
    Ok(HttpResponse::Ok().json(grants))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct GrantRequest {
    /// The account to make a research partner (not a site admin).
    #[schema(min_length = 3, max_length = 32, pattern = "^[A-Za-z0-9_]+$")]
    username: String,
    /// The community whose insights they may see.
    #[schema(min_length = 3, max_length = 48)]
    community: String,
}

#[utoipa::path(operation_id = "grant_partner", tag = "partners", security(("bearer" = [])), request_body = GrantRequest,
    responses((status = 201, description = "Granted; a member account becomes a research partner and is signed out everywhere", body = GrantView),
        (status = 200, description = "Already granted", body = GrantView),
        (status = 403, body = ErrorBody),
        (status = 409, description = "The account is a site admin", body = ErrorBody)))]
#[post("/admin/partners")]
async fn grant(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<GrantRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let (created, view) = state
        .store
        .blocking(move |store| {
            partners::grant(
                store,
                &Granter::Admin(&user),
                &body.username,
                &body.community,
            )
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

#[utoipa::path(operation_id = "revoke_partner", tag = "partners",
    params(("username" = String, Path), ("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "No longer granted"),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such grant", body = ErrorBody)))]
#[delete("/admin/partners/{username}/communities/{slug}")]
async fn revoke(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (username, slug) = path.into_inner();
    state
        .store
        .blocking(move |store| partners::revoke(store, &Granter::Admin(&user), &username, &slug))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "partners", security(("bearer" = [])),
    responses((status = 200, description = "The communities whose insights the caller may see: the granted ones for a research partner, all for a site admin, none for anyone else", body = Vec<PartnerCommunity>)))]
#[get("/partner/communities")]
async fn my_communities(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, Error> {
    let list = state
        .store
        .reading(move |store| partners::communities_of(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(operation_id = "export_partner_insights", tag = "partners", params(InsightsQuery), security(("bearer" = [])),
    responses((status = 200, description = "Monthly counts of a granted community; figures resting on fewer than 11 members read \"<11\". Audited",
            content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad months, or too few consenting members", body = ErrorBody),
        (status = 404, description = "Not a community granted to the caller", body = ErrorBody)))]
#[get("/partner/insights")]
async fn export(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<InsightsQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let request = InsightsRequest::parse(
        &query.community,
        &query.from,
        &query.to,
        query.format.as_deref(),
    )?;
    let format = request.format;
    let body = state
        .store
        .blocking(move |store| {
            let viewer = insights::Viewer::Person(&user);
            let community = insights::community_for(store, &viewer, &request.community)?;
            let report = insights::audited_report(
                store,
                &viewer,
                Channel::Api,
                community.id,
                &request,
                request.format.as_str(),
            )?;
            insights::write_report(&report, request.format)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .body(body))
}
