//! `POST /t/{thread}/p/{post}/react`: the reaction buttons without JavaScript. The page
//! comes back at the post (through its `/p/` permalink); with JavaScript, app.js sends
//! the same change to the API and updates the button in place.

use actix_web::{web, HttpRequest};
use serde::Deserialize;

use super::forum::{thread_and_post, thread_with_problem};
use super::{Ctx, PageError, PageResult};
use crate::domain::reaction::ReactionKind;
use crate::error::Error;
use crate::service::reactions;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{thread}/p/{post}/react", web::post().to(react));
}

#[derive(Deserialize)]
struct ReactForm {
    #[serde(default)]
    csrf_token: String,
    kind: String,
    /// `true` to add the reaction, `false` to take it back: the button says which.
    on: bool,
}

async fn react(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<ReactForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let kind = ReactionKind::parse(&form.kind).map_err(PageError::from)?;
    let app = state.clone();
    let outcome = state
        .store
        .blocking(move |store| {
            reactions::set(
                store,
                &app.abuse.reactions_by_member,
                &user,
                post_id,
                kind,
                form.on,
            )
        })
        .await;
    match outcome {
        Ok(_) => Ok(ctx.redirect(&format!("/p/{post_id}"))),
        Err(
            error @ (Error::NotPublished(_) | Error::RateLimited { .. } | Error::Forbidden { .. }),
        ) => {
            let what = ctx.lang.t("es3-reaction-not-saved");
            thread_with_problem(ctx, &state, thread, error, &what).await
        }
        Err(other) => Err(PageError::from(other)),
    }
}
