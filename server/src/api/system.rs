//! `/livez`, `/healthz` and `/metrics`.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::blocking;
use crate::error::Error;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/openapi.json", web::get().to(openapi))
        .route("/livez", web::get().to(livez))
        .route("/healthz", web::get().to(healthz))
        .route("/metrics", web::get().to(metrics));
}

/// 200 while the process serves requests; touches nothing else (liveness, and the
/// baseline route of the HTTP benchmark).
async fn livez() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(state: web::Data<AppState>) -> Result<HttpResponse, Error> {
    let backend = state.store.backend().as_str();
    let store = state.store.clone();
    blocking(move || store.ping()).await?;
    Ok(HttpResponse::Ok().json(json!({ "status": "ok", "database": backend })))
}

/// The OpenAPI description of this API, generated from the handlers' annotations.
async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(super::openapi::document())
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut body = state
        .metrics
        .render(state.store.pool_state(), state.store.backend().as_str());
    state.realtime.render_metrics(&mut body);
    let index = state.search.live.get();
    body.push_str(&format!(
        "# HELP kindred_search_documents Posts in this node's search index.\n\
         # TYPE kindred_search_documents gauge\n\
         kindred_search_documents {}\n\
         # HELP kindred_search_last_event Last event applied to the search index.\n\
         # TYPE kindred_search_last_event gauge\n\
         kindred_search_last_event {}\n",
        index.num_docs(),
        index.last_applied_event().unwrap_or(0)
    ));
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
