//! `GET /api/v1/admin/insights`: de-identified insights for site admins.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::service::insights::{self, ExportFormat, InsightsRequest, Requester};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export);
}

/// The months and format of an insights export; the partners' export takes the same.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct InsightsQuery {
    /// The community's slug.
    pub(super) community: String,
    /// First month, YYYY-MM.
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub(super) from: String,
    /// Last month, YYYY-MM.
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub(super) to: String,
    /// Default `json`.
    #[param(inline, value_type = Option<ExportFormat>)]
    pub(super) format: Option<String>,
}

#[utoipa::path(operation_id = "export_insights", tag = "privacy", params(InsightsQuery), security(("bearer" = [])),
    responses((status = 200, description = "Monthly counts; figures resting on fewer than 11 members read \"<11\"",
            content((Object = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad months, unknown community, or too few consenting members", body = ErrorBody),
        (status = 403, body = ErrorBody)))]
#[get("/admin/insights")]
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
        .blocking(move |store| insights::export(store, Requester::Admin(&user), &request))
        .await?;
    let content_type = match format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Json => "application/json",
    };
    Ok(HttpResponse::Ok().content_type(content_type).body(body))
}
