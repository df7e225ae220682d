//! `GET /api/v1/search`.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth::Viewer;
use crate::error::Error;
use crate::service;
use crate::service::search::{SearchInput, SearchPage};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search);
}

// The field docs are the OpenAPI descriptions, shown as written.
#[allow(clippy::doc_markdown)]
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    /// Words, "phrases", -exclusions, community:slug, author:name, before:/after:YYYY-MM-DD.
    q: String,
    /// Only this community (a slug).
    community: Option<String>,
    /// `relevance` (default) or `newest`.
    #[param(schema_with = sort_schema)]
    sort: Option<String>,
    /// Opaque: the `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Results per page (default 20); values outside 1–100 are brought into that range.
    limit: Option<i64>,
    /// Moderators: include held and removed posts of the communities they moderate.
    include_hidden: Option<bool>,
}

/// The values `kindred_search::Sort::parse` knows; that crate has no OpenAPI types.
fn sort_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["relevance", "newest"]))
        .build()
}

#[utoipa::path(tag = "search", params(SearchQuery), security((), ("bearer" = [])),
    responses((status = 200, description = "Only posts the viewer may read", body = SearchPage), (status = 400, description = "Malformed query", body = ErrorBody)))]
#[get("/search")]
async fn search(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let input = SearchInput::parse(
        &query.q,
        query.community.as_deref(),
        query.sort.as_deref(),
        query.cursor.as_deref(),
        query.limit,
        query.include_hidden.unwrap_or(false),
    )?;
    let app = state.clone();
    let page = state
        .store
        .blocking(move |store| service::search::search(store, &app.search, viewer.user(), input))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
