//! Read positions: `PUT /threads/{id}/read/{post_id}` moves the member's position in a
//! thread forward (never back). Thread objects then carry `read` for this member.

use actix_web::{put, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{PostId, ThreadId};
use crate::error::Error;
use crate::service::read_positions::{self, ReadState};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(mark_read);
}

#[utoipa::path(operation_id = "mark_thread_read", tag = "threads",
    params(("id" = String, Path), ("post_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The member's position: the given post, or the one they had read further", body = ReadState)))]
#[put("/threads/{id}/read/{post_id}")]
async fn mark_read(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (thread, post) = path.into_inner();
    let thread = ThreadId::parse(&thread).ok_or(Error::NotFound)?;
    let post = PostId::parse(&post).ok_or(Error::NotFound)?;
    let read = state
        .store
        .blocking(move |store| read_positions::mark_read(store, &user, thread, post))
        .await?;
    Ok(HttpResponse::Ok().json(read))
}
