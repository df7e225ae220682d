//! The HTTP API under `/api/v1`: one module per resource. Handlers parse the request
//! into domain types, run a service on the blocking pool, and turn the result into JSON.

mod accounts;
mod blocks;
mod bookmarks;
mod care;
mod communities;
mod content_notes;
mod countries;
mod duty;
mod email;
mod insights;
mod languages;
mod mail_preferences;
mod messages;
mod moderation;
mod notifications;
mod openapi;
mod partners;
mod passwords;
mod privacy;
mod reactions;
mod read_positions;
mod realtime;
mod search;
mod surveys;
mod system;
mod threads;
mod users;

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{web, HttpRequest, HttpResponse};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::Error;
use crate::http::MAX_BODY_BYTES;
use crate::page_cache::CachedPage;
use crate::service::idempotency::{Answer, IdempotencyKey};

pub use openapi::document;

/// Registers the API. Handlers go in with `.service`, which also adds their `#[utoipa::path]`
/// operation to the OpenAPI document under the path they are served at (see [`document`]).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.app_data(json_config())
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .app_data(web::PathConfig::default().error_handler(path_error))
        .app_data(web::PayloadConfig::default().limit(MAX_BODY_BYTES))
        .configure(system::configure)
        .service(
            scope("/api/v1")
                // Before `accounts`, whose `/users/{username}` would take `suggest` as a name.
                .configure(users::configure)
                .configure(accounts::configure)
                .configure(passwords::configure)
                .configure(email::configure)
                .configure(mail_preferences::configure)
                .configure(communities::configure)
                .configure(content_notes::configure)
                .configure(threads::configure)
                .configure(reactions::configure)
                .configure(bookmarks::configure)
                .configure(moderation::configure)
                .configure(notifications::configure)
                .configure(privacy::configure)
                .configure(realtime::configure)
                .configure(search::configure)
                .configure(insights::configure)
                .configure(care::configure)
                .configure(countries::configure)
                .configure(languages::configure)
                .configure(blocks::configure)
                .configure(messages::configure)
                .configure(read_positions::configure)
                .configure(partners::configure)
                .configure(surveys::configure)
                .configure(duty::configure),
        );
}

fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(MAX_BODY_BYTES)
        .error_handler(json_error)
}

fn json_error(error: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let mapped = match &error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            Error::PayloadTooLarge(MAX_BODY_BYTES)
        }
        JsonPayloadError::ContentType => Error::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) => Error::bad_request("invalid_json", e.to_string()),
        other => Error::bad_request("invalid_json", other.to_string()),
    };
    mapped.into()
}

fn query_error(error: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
    Error::bad_request("invalid_query", error.to_string()).into()
}

fn path_error(_error: PathError, _req: &HttpRequest) -> actix_web::Error {
    Error::NotFound.into()
}

/// Every unknown route answers 404 in the usual error shape.
// actix's default service takes an async handler.
#[allow(clippy::unused_async)]
pub async fn not_found() -> Result<HttpResponse, Error> {
    Err(Error::NotFound)
}

/// The request's `Idempotency-Key` (see `service::idempotency`), if it sent one.
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<IdempotencyKey>, Error> {
    req.headers()
        .get("idempotency-key")
        .map(|value| IdempotencyKey::parse(value.as_bytes()))
        .transpose()
}

/// The answer to a creating request, fresh or replayed, byte for byte.
pub fn answered(answer: Answer) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(answer.status)
        .unwrap_or(actix_web::http::StatusCode::CREATED);
    HttpResponse::build(status)
        .content_type(actix_web::http::header::ContentType::json())
        .body(answer.body)
}

/// A JSON answer with a weak `ETag` over its bytes, or `304 Not Modified` with no body when
/// the request's `If-None-Match` already names it. The tag hashes the page this viewer was
/// about to receive, so it can never vouch for a page that changed or that belongs to someone
/// else, and access was checked before: a viewer who may not see the thread still gets its 404.
/// It saves the transfer and the client's parsing, not the server's reading.
pub fn json_revalidated<T: serde::Serialize>(
    req: &HttpRequest,
    value: &T,
) -> Result<HttpResponse, Error> {
    let body = serde_json::to_vec(value).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(revalidated(req, &CachedPage::tagged(body)))
}

/// A tagged JSON page, or `304 Not Modified` when `If-None-Match` names its tag.
pub fn revalidated(req: &HttpRequest, page: &CachedPage) -> HttpResponse {
    use actix_web::http::header::{self, ContentType};
    if crate::http::if_none_match(req, &page.etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, page.etag.clone()))
            .finish();
    }
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .insert_header((header::ETAG, page.etag.clone()))
        .body(page.body.clone())
}

/// The shape of every error response.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `not_found`, `invalid_json`, `invalid_query`,
    /// `invalid_<field>` (`invalid_username`, `invalid_body`, …), `unauthenticated`,
    /// `csrf_failed`, `payload_too_large`, `rate_limited`, …
    code: String,
    /// For people.
    message: String,
}

/// `?cursor=&limit=` on list endpoints.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Opaque: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page; values outside 1–100 are brought into that range.
    pub limit: Option<i64>,
}
