//! Site admins: create communities and appoint moderators.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::model::AdminPage;
use kindred_web::{pages, FormState};
use serde::Deserialize;

use super::convert::card;
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::api::{blocking, read};
use crate::auth::CurrentUser;
use crate::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, Visibility,
};
use crate::domain::user::ConditionTags;
use crate::error::Error;
use crate::service::communities::{self, NewCommunity};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(admin))
        .route("/admin/communities", web::post().to(create_community))
        .route("/admin/moderators", web::post().to(appoint));
}

fn require_admin(user: &CurrentUser) -> Result<(), PageError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(PageError::from(Error::forbidden(
            "not_admin",
            "This page is for site admins.",
        )))
    }
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn render(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    create: FormState,
    appoint: FormState,
    notice: Option<String>,
) -> PageResult {
    let app = state.clone();
    let listed = read(state.store.backend(), move || {
        communities::list(&app.store, Some(&user), None, 100)
    })
    .await?;
    let status = if create.has_errors() || appoint.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let view = AdminPage {
        communities: listed.items.iter().map(card).collect(),
        create,
        appoint,
        notice,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::admin(&chrome, &view)))
}

async fn admin(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    require_admin(&user)?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("created") => Some("Community created.".to_owned()),
        Some("appointed") => Some("Moderator appointed.".to_owned()),
        _ => None,
    };
    render(
        ctx,
        &state,
        user,
        FormState::new(),
        FormState::new(),
        notice,
    )
    .await
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf_token: String,
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
    kind: String,
    #[serde(default)]
    condition_tags: String,
    visibility: String,
    join_policy: String,
}

fn new_community(form: &CreateForm, kept: &mut FormState) -> Option<NewCommunity> {
    let mut fail = |error: Error| {
        if let Error::Invalid { field, message } = error {
            let field = if field == "conditions" {
                "condition_tags"
            } else {
                field
            };
            kept.fail(field, super::sentence(&message));
        }
    };
    let tags: Vec<String> = form
        .condition_tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let slug = CommunitySlug::parse(form.slug.trim())
        .map_err(&mut fail)
        .ok();
    let name = CommunityText::name(&form.name).map_err(&mut fail).ok();
    let description = CommunityText::description(&form.description)
        .map_err(&mut fail)
        .ok();
    let rules = CommunityText::rules(&form.rules).map_err(&mut fail).ok();
    let kind = CommunityKind::parse(&form.kind).map_err(&mut fail).ok();
    let condition_tags = ConditionTags::parse(&tags).map_err(&mut fail).ok();
    let visibility = Visibility::parse(&form.visibility).map_err(&mut fail).ok();
    let join_policy = JoinPolicy::parse(&form.join_policy).map_err(&mut fail).ok();
    Some(NewCommunity {
        slug: slug?,
        name: name?,
        description: description?,
        rules: rules?,
        kind: kind?,
        condition_tags: condition_tags?,
        visibility: visibility?,
        join_policy: join_policy?,
    })
}

async fn create_community(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CreateForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    require_admin(&user)?;
    let mut kept = FormState::new();
    for (field, value) in [
        ("slug", &form.slug),
        ("name", &form.name),
        ("description", &form.description),
        ("rules", &form.rules),
        ("kind", &form.kind),
        ("condition_tags", &form.condition_tags),
        ("visibility", &form.visibility),
        ("join_policy", &form.join_policy),
    ] {
        kept.set_value(field, value.clone());
    }
    if let Some(input) = new_community(&form, &mut kept) {
        let app = state.clone();
        let admin = user.clone();
        match blocking(move || communities::create(&app.store, &admin, input)).await {
            Ok(created) => return Ok(ctx.redirect(&format!("/c/{}", created.summary.slug))),
            Err(Error::Conflict(_)) => kept.fail("slug", "A community already uses this address."),
            Err(error) => form_problem(error, &mut kept)?,
        }
    }
    render(ctx, &state, user, kept, FormState::new(), None).await
}

#[derive(Deserialize)]
struct AppointForm {
    #[serde(default)]
    csrf_token: String,
    community: String,
    username: String,
}

async fn appoint(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<AppointForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    require_admin(&user)?;
    let mut kept = FormState::new()
        .with_value("community", form.community.clone())
        .with_value("username", form.username.clone());
    let app = state.clone();
    let admin = user.clone();
    let (slug, username) = (form.community.clone(), form.username.trim().to_owned());
    match blocking(move || communities::add_moderator(&app.store, &admin, &slug, &username)).await {
        Ok(_) => return Ok(ctx.redirect("/admin?notice=appointed")),
        Err(Error::NotFound) => kept.fail("username", "There is no member with that username."),
        Err(error) => form_problem(error, &mut kept)?,
    }
    render(ctx, &state, user, FormState::new(), kept, None).await
}
