//! Bookmarks on pages: "Save for later" under each post (`POST /t/{thread}/p/{post}/save`,
//! back at the post) and `/me/saved`, the member's saved posts.

use actix_web::{web, HttpRequest};
use kindred_web::model::{SavedItem, SavedPage};
use serde::Deserialize;

use super::convert::person;
use super::forum::{thread_and_post, thread_with_problem};
use super::{Ctx, PageError, PageResult};
use crate::error::Error;
use crate::service::bookmarks;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{thread}/p/{post}/save", web::post().to(save))
        .route("/me/saved", web::get().to(list));
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    csrf_token: String,
    /// `true` to save, `false` to forget: the button says which.
    on: bool,
}

async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<SaveForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let outcome = state
        .store
        .blocking(move |store| bookmarks::set(store, &user, post_id, form.on))
        .await;
    match outcome {
        Ok(_) => Ok(ctx.redirect(&format!("/p/{post_id}"))),
        Err(error @ Error::NotPublished(_)) => {
            let what = ctx.lang.t("es3-post-not-saved");
            thread_with_problem(ctx, &state, thread, error, &what).await
        }
        Err(other) => Err(PageError::from(other)),
    }
}

async fn list(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let saved = state
        .store
        .reading(move |store| bookmarks::list(store, &user))
        .await?;
    let view = SavedPage {
        items: saved
            .items
            .into_iter()
            .map(|s| SavedItem {
                post_id: s.post_id.0.to_string(),
                thread_title: s.thread_title,
                community_name: s.community_name,
                author: s.author.as_ref().map(person),
                excerpt: s.excerpt,
                saved_at: s.saved_at,
            })
            .collect(),
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(kindred_web::saved::saved(&chrome, &view)))
}
