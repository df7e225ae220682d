//! `/livez`, `/healthz`, `/metrics` and `/api/v1/openapi.json`: registered with `.route`, so
//! the OpenAPI document, which collects only `.service` registrations, leaves them out.

use std::time::Duration;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::mail::MailStatus;
use crate::metrics::Scrape;
use crate::state::AppState;

use super::openapi::ApiDocument;

/// `/healthz` answers within this, whatever the database does.
const HEALTH_BUDGET: Duration = Duration::from_secs(1);

pub fn configure(cfg: &mut ServiceConfig) {
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

/// Readiness: 503 when the database does not answer within a second; otherwise 200,
/// `"degraded"` with the reasons when the disk is full or the search index cannot keep
/// up (the node still serves reads).
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.store.backend().as_str();
    let store = state.store.clone();
    let ping = tokio::task::spawn_blocking(move || store.ping(HEALTH_BUDGET));
    let database_ok = matches!(
        tokio::time::timeout(HEALTH_BUDGET, ping).await,
        Ok(Ok(Ok(())))
    );
    let mut reasons = Vec::new();
    if !database_ok {
        reasons.push("database: unavailable".to_owned());
    }
    if state.store.storage_full() {
        reasons.push("database: storage_full".to_owned());
    }
    if let Some(code) = state.search.status.failing() {
        reasons.push(format!("search: {code}"));
    }
    let status = match (database_ok, reasons.is_empty()) {
        (false, _) => "unavailable",
        (true, true) => "ok",
        (true, false) => "degraded",
    };
    let body = json!({ "status": status, "database": backend, "reasons": reasons });
    if database_ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, "2"))
            .json(body)
    }
}

/// The OpenAPI description of this API, collected from the routes as they were registered.
async fn openapi(document: web::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok().json(&document.0)
}

async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut scrape = Scrape::new(
        &state.metrics,
        state.store.pool_state(),
        state.store.backend().as_str(),
    );
    // Read before this scrape's own query below, so that two scrapes differ by exactly
    // the statements run between them plus the first one's outbox count.
    let (statements, prepared) = crate::store::statements();
    scrape.counter(
        "kindred_db_statements",
        "SQL statements run by this node, BEGIN and COMMIT included",
        statements,
    );
    scrape.counter(
        "kindred_db_statements_prepared",
        "SQL statements prepared into a connection's statement cache",
        prepared,
    );
    state.realtime.render_metrics(&mut scrape);
    state.mail_metrics.render(&mut scrape);
    // The outbox is shared by all nodes: these are the cluster's counts, read from the
    // database (skipped, not an error, while it is unreachable).
    let outbox = state
        .store
        .reading(move |store| {
            store.read_within(std::time::Duration::from_millis(500), |conn| {
                crate::store::mail::count_by_status(conn)
            })
        })
        .await;
    if let Ok(counts) = outbox {
        let series = MailStatus::ALL
            .iter()
            .map(|&status| {
                let count = counts
                    .iter()
                    .find(|(s, _)| *s == status)
                    .map_or(0, |(_, n)| *n);
                (status.as_str().to_owned(), count)
            })
            .collect();
        scrape.labelled_gauge(
            "kindred_mail_outbox",
            "Mail in the outbox by status (pending, sent, failed)",
            "status",
            series,
        );
    }
    let index = state.search.live.get();
    let applied = index.last_applied_event().unwrap_or(0);
    let status = &state.search.status;
    scrape.gauge(
        "kindred_search_documents",
        "Posts in this node's search index",
        i64::try_from(index.num_docs()).unwrap_or(i64::MAX),
    );
    scrape.gauge(
        "kindred_search_last_event",
        "Last event applied to the search index",
        applied,
    );
    scrape.gauge(
        "kindred_search_index_lag_events",
        "Events in the database not yet in the index",
        (status.database_last_event() - applied).max(0),
    );
    scrape.gauge(
        "kindred_search_indexer_failing",
        "Whether the indexer is retrying a failed pass",
        i64::from(status.failing().is_some()),
    );
    scrape.counter(
        "kindred_search_indexer_failures",
        "Indexer passes that failed",
        status.failures_total(),
    );
    scrape.counter(
        "kindred_search_self_check_repairs",
        "Posts the self-check re-applied",
        status.repaired_total(),
    );
    scrape.gauge(
        "kindred_storage_full",
        "Whether the last write failed for want of disk space",
        i64::from(state.store.storage_full()),
    );
    HttpResponse::Ok()
        .content_type(crate::metrics::CONTENT_TYPE)
        .body(scrape.encode())
}
