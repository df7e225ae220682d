//! `GET /users/suggest`: members to offer while a member types an `@mention`.

use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::ThreadId;
use crate::error::Error;
use crate::service::mentions::{self, NamePrefix, Suggestions};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(suggest);
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SuggestQuery {
    /// The start of a username, with or without its `@`.
    #[param(pattern = "^@?[A-Za-z0-9_]{1,32}$")]
    q: String,
    /// The thread being answered.
    #[param(pattern = "^[0-9]{1,19}$")]
    thread: String,
}

#[utoipa::path(operation_id = "suggest_users", tag = "users", params(SuggestQuery), security(("bearer" = [])),
    responses((status = 200, description = "Up to 10 members whose username starts with `q`: authors in the thread first, then in its community; never suspended, erased or blocked members, nor the caller", body = Suggestions),
        (status = 404, description = "A thread the caller may not read", body = ErrorBody),
        (status = 429, description = "`rate_limited`: suggestions per minute", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[get("/users/suggest")]
async fn suggest(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<SuggestQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let prefix = NamePrefix::parse(&query.q)?;
    let thread = ThreadId::parse(&query.thread).ok_or(Error::NotFound)?;
    let app = state.clone();
    let found = state
        .store
        .blocking(move |store| {
            mentions::suggest(
                store,
                &app.abuse.suggestions_by_member,
                &user,
                &prefix,
                thread,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}
