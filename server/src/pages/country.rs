//! `/me/country`: the country whose crisis lines the member sees, over
//! `service::countries` (template in `kindred_web::country`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::country::{self as pages, CountryView, DEFAULT_CHOICE};
use kindred_web::FormState;
use serde::Deserialize;

use super::{form_problem, query, Ctx, PageResult};
use crate::domain::current_user::CurrentUser;
use crate::service::countries::{self, CareCountry};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/country", web::get().to(form_page))
        .route("/me/country", web::post().to(save));
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn form_page(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: SavedQuery = query(&req)?;
    render(ctx, &state, user, None, StatusCode::OK, q.saved.is_some()).await
}

/// The page with the member's choice, or with `problem` kept on the form.
async fn render(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    problem: Option<FormState>,
    status: StatusCode,
    saved: bool,
) -> PageResult {
    let app = state.clone();
    let mine = state
        .store
        .reading(move |store| countries::get(store, &user, &app.settings.care_country))
        .await?;
    let form = problem.unwrap_or_else(|| {
        FormState::new().with_value(
            "country",
            mine.country
                .clone()
                .unwrap_or_else(|| DEFAULT_CHOICE.to_owned()),
        )
    });
    let choices: Vec<(String, String)> = mine
        .choices
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let default_name = mine
        .choices
        .iter()
        .find(|c| c.code == mine.default)
        .map_or(mine.default.as_str(), |c| c.name.as_str());
    let view = CountryView {
        choices: &choices,
        default_name,
        saved,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::country_settings(&chrome, &form, &view)))
}

#[derive(Deserialize)]
struct CountryForm {
    #[serde(default)]
    csrf_token: String,
    country: String,
}

async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CountryForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let parsed = if form.country == DEFAULT_CHOICE {
        Ok(None)
    } else {
        CareCountry::parse(&form.country).map(Some)
    };
    let country = match parsed {
        Ok(country) => country,
        Err(error) => {
            let mut kept = FormState::new().with_value("country", form.country.clone());
            form_problem(ctx.lang, error, &mut kept)?;
            return render(
                ctx,
                &state,
                user,
                Some(kept),
                StatusCode::BAD_REQUEST,
                false,
            )
            .await;
        }
    };
    let app = state.clone();
    state
        .store
        .blocking(move |store| countries::set(store, &user, country, &app.settings.care_country))
        .await?;
    Ok(ctx.redirect("/me/country?saved=1"))
}
