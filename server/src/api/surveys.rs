//! Research-partner surveys (issue 20): partners draft and read results
//! (`/partner/surveys…`), admins approve or reject (`/admin/surveys…`), members answer,
//! dismiss and withdraw (`/surveys…`), moderators read free-text answers.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::service::insights::ExportFormat;
use crate::service::surveys::results::{self, SurveyResults};
use crate::service::surveys::{
    self, AnswersInput, DecisionInput, DraftInput, FreeTextView, InvitationView, SurveyView,
};
use crate::state::AppState;
use crate::store::Store;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(partner_list)
        .service(draft)
        .service(results_of)
        .service(review_list)
        .service(approve)
        .service(reject)
        .service(invitations)
        .service(answer)
        .service(withdraw)
        .service(dismiss)
        .service(free_texts);
}

/// Survey ids are decimal; anything else names no survey.
fn survey_id(raw: &str) -> Result<i64, Error> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Error::NotFound)
}

#[utoipa::path(operation_id = "list_partner_surveys", tag = "surveys", security(("bearer" = [])),
    responses((status = 200, description = "The caller's surveys, newest first", body = Vec<SurveyView>),
        (status = 403, description = "`not_partner`", body = ErrorBody)))]
#[get("/partner/surveys")]
async fn partner_list(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, Error> {
    let list = state
        .store
        .reading(move |store| surveys::of_partner(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(operation_id = "draft_survey", tag = "surveys", security(("bearer" = [])), request_body = DraftInput,
    responses((status = 201, description = "Drafted; waits for an admin's approval", body = SurveyView),
        (status = 403, description = "`not_partner`", body = ErrorBody),
        (status = 400, description = "A community not granted to the caller, `no_question`, `free_text_for_partner`, bad dates or options", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/partner/surveys")]
async fn draft(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<DraftInput>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let app = state.clone();
    let view = state
        .store
        .blocking(move |store| surveys::draft(store, &app.abuse.surveys_by_account, &user, body))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ResultsQuery {
    /// `json` (default) or `csv`.
    format: Option<String>,
    /// `role` to cross-tabulate by the respondents' profile role (the only one offered).
    by: Option<String>,
}

#[utoipa::path(operation_id = "survey_results", tag = "surveys", params(("id" = String, Path), ResultsQuery), security(("bearer" = [])),
    responses((status = 200, description = "Counts per option of a closed survey with at least 11 respondents; counts under 11 (and those that would reveal them) read \"<11\". Audited",
            content((SurveyResults = "application/json"), (String = "text/csv"))),
        (status = 400, description = "`survey_open`, `too_few_respondents`, bad format", body = ErrorBody),
        (status = 404, description = "Not a survey of the caller's", body = ErrorBody)))]
#[get("/partner/surveys/{id}/results")]
async fn results_of(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, Error> {
    let id = survey_id(&path.into_inner())?;
    let query = query.into_inner();
    let format = query
        .format
        .as_deref()
        .map(ExportFormat::parse)
        .transpose()?
        .unwrap_or(ExportFormat::Json);
    let by_role = match query.by.as_deref() {
        None => false,
        Some("role") => true,
        Some(_) => {
            return Err(Error::invalid(
                "by",
                "results can be broken down by role only",
            ))
        }
    };
    let body = state
        .store
        .blocking(move |store| {
            let found = results::results(store, &user, id, by_role, format.as_str())?;
            results::write_results(&found, format)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .body(body))
}

#[utoipa::path(operation_id = "review_surveys", tag = "surveys", security(("bearer" = [])),
    responses((status = 200, description = "Every survey, pending first", body = Vec<SurveyView>),
        (status = 403, body = ErrorBody)))]
#[get("/admin/surveys")]
async fn review_list(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let list = state
        .store
        .reading(move |store| surveys::for_review(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(operation_id = "approve_survey", tag = "surveys", params(("id" = String, Path)), security(("bearer" = [])), request_body = DecisionInput,
    responses((status = 200, description = "Approved: eligible members see it while it is open", body = SurveyView),
        (status = 400, description = "`promotional` (screening found promotion), `survey_closed`", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody)))]
#[post("/admin/surveys/{id}/approve")]
async fn approve(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<DecisionInput>,
) -> Result<HttpResponse, Error> {
    decide(state, user, &path.into_inner(), true, body.into_inner()).await
}

#[utoipa::path(operation_id = "reject_survey", tag = "surveys", params(("id" = String, Path)), security(("bearer" = [])), request_body = DecisionInput,
    responses((status = 200, description = "Rejected, with the reason for the partner", body = SurveyView),
        (status = 403, body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody)))]
#[post("/admin/surveys/{id}/reject")]
async fn reject(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<DecisionInput>,
) -> Result<HttpResponse, Error> {
    decide(state, user, &path.into_inner(), false, body.into_inner()).await
}

async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    raw: &str,
    approved: bool,
    body: DecisionInput,
) -> Result<HttpResponse, Error> {
    let id = survey_id(raw)?;
    let view = state
        .store
        .blocking(move |store| surveys::decide(store, &user, id, approved, &body))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(operation_id = "my_surveys", tag = "surveys", security(("bearer" = [])),
    responses((status = 200, description = "Open surveys the caller is invited to (opted in to research, a member of the community, of its audience), with what they did about each", body = Vec<InvitationView>)))]
#[get("/surveys")]
async fn invitations(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let list = state
        .store
        .reading(move |store| surveys::invitations(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(operation_id = "answer_survey", tag = "surveys", params(("id" = String, Path)), security(("bearer" = [])), request_body = AnswersInput,
    responses((status = 204, description = "Answered; the answers can be withdrawn until the survey closes"),
        (status = 400, description = "`survey_closed`, or answers that do not fit the questions", body = ErrorBody),
        (status = 403, description = "`not_eligible`: not opted in to research, or not of the survey's audience", body = ErrorBody),
        (status = 409, description = "Already answered", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/surveys/{id}/answers")]
async fn answer(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<AnswersInput>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    member_step(
        state,
        user,
        &path.into_inner(),
        move |store, limit, user, id| surveys::answer(store, limit, user, id, body),
    )
    .await
}

#[utoipa::path(operation_id = "withdraw_survey_answers", tag = "surveys", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "The caller's answers are deleted"),
        (status = 400, description = "`survey_closed`: answers no longer name anyone", body = ErrorBody),
        (status = 404, description = "No answers of the caller's", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/surveys/{id}/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    member_step(state, user, &path.into_inner(), surveys::withdraw).await
}

#[utoipa::path(operation_id = "dismiss_survey", tag = "surveys", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "No longer offered in the banner"),
        (status = 400, description = "`survey_closed`", body = ErrorBody),
        (status = 403, description = "`not_eligible`", body = ErrorBody),
        (status = 409, description = "Answered: withdraw instead", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody, headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/surveys/{id}/dismiss")]
async fn dismiss(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    member_step(state, user, &path.into_inner(), surveys::dismiss).await
}

/// A member's step about one survey (answer, withdraw, dismiss): under the per-account
/// survey rate limit, `204` when done.
async fn member_step(
    state: web::Data<AppState>,
    user: CurrentUser,
    raw_id: &str,
    step: impl FnOnce(&Store, &RateLimit, &CurrentUser, i64) -> Result<(), Error> + Send + 'static,
) -> Result<HttpResponse, Error> {
    let id = survey_id(raw_id)?;
    let app = state.clone();
    state
        .store
        .blocking(move |store| step(store, &app.abuse.surveys_by_account, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(operation_id = "survey_free_texts", tag = "surveys", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Free-text answers, without their authors: for the community's moderators only, never the partner", body = Vec<FreeTextView>),
        (status = 404, body = ErrorBody)))]
#[get("/surveys/{id}/free-text")]
async fn free_texts(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id = survey_id(&path.into_inner())?;
    let list = state
        .store
        .blocking(move |store| surveys::free_texts(store, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
