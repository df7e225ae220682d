//! Bereavement, appeals and clinician context (issue 19): memorials and clinician
//! verification (site admins), appeals against moderators' decisions, and context notes
//! under posts.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::domain::duty::{AppealOutcome, AppealText, ClinicianRole, NoteText};
use crate::domain::ids::PostId;
use crate::domain::moderation::ModerationText;
use crate::error::Error;
use crate::service::bereavement::{self, ClinicianView, MemorialView};
use crate::service::context_notes::{self, ContextNoteView};
use crate::service::moderation::{self, AppealQueueItem, AppealTarget, AppealView, MyDecisions};
use crate::state::AppState;
use crate::store::Store;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(memorialise)
        .service(unmemorialise)
        .service(verify_clinician)
        .service(withdraw_clinician)
        .service(appeal)
        .service(my_decisions)
        .service(open_appeals)
        .service(decide_appeal)
        .service(add_note)
        .service(edit_note)
        .service(remove_note);
}

fn id_of(raw: &str) -> Result<i64, Error> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Error::NotFound)
}

#[utoipa::path(tag = "bereavement", params(("username" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Memorialised: the profile reads \"In memory of …\", sign-in is refused and every session revoked, nothing notifies or mails the account; its posts stay. Logged in the moderation log of each of its communities", body = MemorialView),
        (status = 403, description = "`not_admin`", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already memorialised", body = ErrorBody)))]
#[post("/admin/users/{username}/memorialise")]
async fn memorialise(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    memorial_change(&state, user, path.into_inner(), bereavement::memorialise).await
}

#[utoipa::path(tag = "bereavement", params(("username" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The memorial is reversed (and logged); the member may sign in again", body = MemorialView),
        (status = 403, description = "`not_admin`", body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Not memorialised", body = ErrorBody)))]
#[delete("/admin/users/{username}/memorialise")]
async fn unmemorialise(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    memorial_change(&state, user, path.into_inner(), bereavement::unmemorialise).await
}

/// `memorialise` and `unmemorialise`: the account from the path, the change on the
/// blocking pool, the account's memorial state as JSON.
async fn memorial_change(
    state: &AppState,
    user: CurrentUser,
    username: String,
    change: fn(&Store, &CurrentUser, &str) -> Result<MemorialView, Error>,
) -> Result<HttpResponse, Error> {
    let view = state
        .store
        .blocking(move |store| change(store, &user, &username))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ClinicianRequest {
    /// Shown beside their context notes ("oncology nurse").
    #[schema(min_length = 2, max_length = 60, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    role: String,
}

#[utoipa::path(tag = "bereavement", params(("username" = String, Path)), security(("bearer" = [])), request_body = ClinicianRequest,
    responses((status = 200, description = "Verified as a clinician with this role (or the role changed)", body = ClinicianView),
        (status = 403, description = "`not_admin`", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[put("/admin/users/{username}/clinician")]
async fn verify_clinician(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<ClinicianRequest>,
) -> Result<HttpResponse, Error> {
    let username = path.into_inner();
    let role = ClinicianRole::parse(&body.into_inner().role)?;
    let view = state
        .store
        .blocking(move |store| bereavement::verify_clinician(store, &user, &username, &role))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "bereavement", params(("username" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "Verification withdrawn; notes already written keep their label"),
        (status = 403, description = "`not_admin`", body = ErrorBody),
        (status = 404, description = "No such member, or not a verified clinician", body = ErrorBody)))]
#[delete("/admin/users/{username}/clinician")]
async fn withdraw_clinician(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let username = path.into_inner();
    state
        .store
        .blocking(move |store| bereavement::withdraw_clinician(store, &user, &username))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AppealRequest {
    /// The moderation log entry (a removal or a sanction about you) appealed against.
    /// Give this or `post_id`.
    decision_id: Option<String>,
    /// Your post: appeals the latest removal or sanction about it.
    post_id: Option<String>,
    /// Why the decision should be looked at again.
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    text: String,
}

#[utoipa::path(tag = "appeals", security(("bearer" = [])), request_body = AppealRequest,
    responses((status = 201, description = "Appealed; it waits in the moderators' queue for a moderator other than the one who decided", body = AppealView),
        (status = 404, description = "No such decision about you", body = ErrorBody),
        (status = 409, description = "Already appealed, or more than 30 days after the decision", body = ErrorBody)))]
#[post("/appeals")]
async fn appeal(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<AppealRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let target = match (body.decision_id, body.post_id) {
        (Some(id), None) => AppealTarget::Decision(id_of(&id)?),
        (None, Some(id)) => AppealTarget::Post(PostId::parse(&id).ok_or(Error::NotFound)?),
        _ => {
            return Err(Error::invalid(
                "decision_id",
                "give either decision_id or post_id",
            ))
        }
    };
    let text = AppealText::parse(&body.text)?;
    let view = state
        .store
        .blocking(move |store| moderation::appeal(store, &user, target, &text))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "appeals", security(("bearer" = [])),
    responses((status = 200, description = "The removals and sanctions about you, newest first, with the id `POST /appeals` takes and whether you may still appeal; never the moderator's name", body = MyDecisions),
        (status = 401, description = "Not signed in", body = ErrorBody)))]
#[get("/me/decisions")]
async fn my_decisions(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, Error> {
    let decisions = state
        .store
        .reading(move |store| moderation::my_decisions(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(decisions))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AppealsQuery {
    /// Only this community's appeals (a slug).
    community: Option<String>,
}

#[utoipa::path(tag = "appeals", params(AppealsQuery), security(("bearer" = [])),
    responses((status = 200, description = "Open appeals, oldest first", body = Vec<AppealQueueItem>),
        (status = 403, body = ErrorBody),
        (status = 404, description = "`community` names no community this moderator may see", body = ErrorBody)))]
#[get("/mod/appeals")]
async fn open_appeals(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AppealsQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let items = state
        .store
        .reading(move |store| moderation::open_appeals(store, &user, query.community.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AppealDecisionRequest {
    #[schema(value_type = AppealOutcome)]
    outcome: String,
    /// Seen by moderators only.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    note: Option<String>,
}

#[utoipa::path(tag = "appeals", params(("id" = String, Path)), security(("bearer" = [])), request_body = AppealDecisionRequest,
    responses((status = 200, description = "Decided: overturning restores the post and lifts the sanction; the author is told; the public log says \"appealed → upheld/overturned\"", body = AppealView),
        (status = 403, description = "`same_moderator`: the moderator who made the decision", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "Already decided", body = ErrorBody)))]
#[post("/mod/appeals/{id}/decision")]
async fn decide_appeal(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<AppealDecisionRequest>,
) -> Result<HttpResponse, Error> {
    let id = id_of(&path.into_inner())?;
    let body = body.into_inner();
    let outcome = AppealOutcome::parse(&body.outcome)?;
    let note = body.note.as_deref().map(ModerationText::note).transpose()?;
    let view = state
        .store
        .blocking(move |store| moderation::decide_appeal(store, &user, id, outcome, note.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NoteRequest {
    /// Markdown (links to sources welcome), sanitised like posts.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    body: String,
}

#[utoipa::path(tag = "context notes", params(("id" = String, Path)), security(("bearer" = [])), request_body = NoteRequest,
    responses((status = 201, description = "Added under the post for everyone who reads it, labelled with the writer's role; the author is told", body = ContextNoteView),
        (status = 403, description = "`not_clinician`: neither a verified clinician nor a moderator of the community", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[post("/posts/{id}/context-notes")]
async fn add_note(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<NoteRequest>,
) -> Result<HttpResponse, Error> {
    let post_id = PostId::parse(&path.into_inner()).ok_or(Error::NotFound)?;
    let text = NoteText::parse(&body.into_inner().body)?;
    let view = state
        .store
        .blocking(move |store| context_notes::add(store, &user, post_id, &text))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "context notes", params(("id" = String, Path)), security(("bearer" = [])), request_body = NoteRequest,
    responses((status = 200, body = ContextNoteView),
        (status = 403, description = "`not_writer`: neither its writer nor a moderator; `not_clinician`: its writer is no longer a clinician or moderator", body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[patch("/context-notes/{id}")]
async fn edit_note(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<NoteRequest>,
) -> Result<HttpResponse, Error> {
    let id = id_of(&path.into_inner())?;
    let text = NoteText::parse(&body.into_inner().body)?;
    let view = state
        .store
        .blocking(move |store| context_notes::edit(store, &user, id, &text))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(tag = "context notes", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 204, description = "Removed (and logged)"),
        (status = 403, description = "`not_writer`", body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/context-notes/{id}")]
async fn remove_note(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id = id_of(&path.into_inner())?;
    state
        .store
        .blocking(move |store| context_notes::remove(store, &user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
