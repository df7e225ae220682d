//! `POST /language`: the footer's language switch (issue 21). It works without JavaScript:
//! it sets the language cookie, saves the choice for a signed-in member, and goes back to
//! the page it was sent from.

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use serde::Deserialize;

use super::{local_path, Ctx, PageResult};
use crate::service::languages;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/language", web::post().to(switch));
}

#[derive(Deserialize)]
struct LanguageForm {
    #[serde(default)]
    csrf_token: String,
    language: String,
}

async fn switch(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LanguageForm>,
) -> PageResult {
    let form = form.into_inner();
    let mut ctx = Ctx::for_form(&req, &state, &form.csrf_token).await?;
    let lang = languages::parse(&form.language)?;
    if let Some(user) = ctx.user.clone() {
        let default = state.settings.default_language;
        state
            .store
            .blocking(move |store| languages::set(store, &user, Some(lang), default))
            .await?;
    }
    ctx.add_cookies([crate::language::cookie(
        lang,
        state.settings.secure_cookies(),
    )]);
    Ok(ctx.redirect(&back_to(&req)))
}

/// The path of the page the switch was on (its `Referer`, when it is this site's), else home.
fn back_to(req: &HttpRequest) -> String {
    let referer = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let host = req.connection_info().host().to_owned();
    let path = referer
        .split_once("://")
        .and_then(|(_, rest)| rest.strip_prefix(host.as_str()))
        .unwrap_or("/");
    local_path(if path.is_empty() { "/" } else { path })
}
