//! Site admins: the site overview, creating and editing communities, appointing and
//! removing moderators.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::i18n::Lang;
use kindred_web::model::{AdminPage, CommunityOverview, EditCommunityPage, SiteOverview};
use kindred_web::{pages, FormState};
use serde::Deserialize;

use super::convert::card;
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, Visibility,
};
use crate::domain::current_user::CurrentUser;
use crate::domain::user::ConditionTags;
use crate::error::Error;
use crate::service::communities::{self, CommunityPatch, NewCommunity};
use crate::service::{languages, moderation};
use crate::state::AppState;
use kindred_moderation::Policy;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(admin))
        .route("/admin/communities", web::post().to(create_community))
        .route("/admin/moderators", web::post().to(appoint))
        .route("/admin/c/{slug}", web::get().to(edit_form))
        .route("/admin/c/{slug}", web::post().to(save))
        .route("/admin/c/{slug}/policy", web::post().to(save_policy))
        .route(
            "/admin/c/{slug}/moderators/{username}/remove",
            web::post().to(remove_moderator),
        );
}

/// A site admin's page: a visitor is sent to sign in, a member is refused (`403`).
pub(super) async fn load_admin(
    req: &HttpRequest,
    state: &web::Data<AppState>,
) -> Result<(Ctx, CurrentUser), PageError> {
    let ctx = Ctx::load(req, state).await?;
    let user = ctx.require_user()?;
    require_admin(&user)?;
    Ok((ctx, user))
}

/// A site admin's form post: its CSRF token is checked first, then that an admin sent it.
pub(super) async fn admin_form(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    sent_token: &str,
) -> Result<(Ctx, CurrentUser), PageError> {
    let (ctx, user) = Ctx::member_form(req, state, sent_token).await?;
    require_admin(&user)?;
    Ok((ctx, user))
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

/// A page's `?notice=` after a form posted back to it.
#[derive(Deserialize)]
pub(super) struct NoticeQuery {
    pub(super) notice: Option<String>,
}

async fn render(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    create: FormState,
    appoint: FormState,
    notice: Option<String>,
) -> PageResult {
    let (listed, overview) = state
        .store
        .reading(move |store| {
            Ok::<_, Error>((
                communities::list(store, Some(&user), None, 100)?,
                communities::overview(store, &user)?,
            ))
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
        overview: SiteOverview {
            members: overview.members,
            published_posts: overview.published_posts,
            open_queue_items: overview.open_queue_items,
            communities: overview
                .communities
                .into_iter()
                .map(|c| CommunityOverview {
                    slug: c.community.slug,
                    name: c.community.name,
                    visibility: c.community.visibility,
                    members: c.community.member_count,
                    published_posts: c.published_posts,
                    open_queue_items: c.open_queue_items,
                    moderators: c.moderators,
                })
                .collect(),
        },
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::admin(&chrome, &view)))
}

async fn admin(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let (ctx, user) = load_admin(&req, &state).await?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("created") => Some(ctx.lang.t("form-notice-community-created")),
        Some("appointed") => Some(ctx.lang.t("form-notice-moderator-appointed")),
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

/// A community's settings as a form sends them (creating and editing).
#[derive(Deserialize)]
struct SettingsFields {
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
    /// `yes` lists a private community in the directory; absent means `no`.
    #[serde(default)]
    listed: String,
    /// The language the community talks in (`en`, `es`); absent keeps it (English for a
    /// new community).
    #[serde(default)]
    language: String,
}

impl SettingsFields {
    /// The form's values, to show again if it is refused.
    fn keep(&self, kept: &mut FormState) {
        for (field, value) in [
            ("name", &self.name),
            ("description", &self.description),
            ("rules", &self.rules),
            ("kind", &self.kind),
            ("condition_tags", &self.condition_tags),
            ("visibility", &self.visibility),
            ("join_policy", &self.join_policy),
            ("listed", &self.listed),
            ("language", &self.language),
        ] {
            kept.set_value(field, value.clone());
        }
    }

    /// Parses every field, putting each problem next to its field.
    fn parse(&self, lang: Lang, kept: &mut FormState) -> Option<CommunityPatch> {
        let mut fail = |error: Error| {
            if let Error::Invalid { field, message } = error {
                let field = if field == "conditions" {
                    "condition_tags"
                } else {
                    field
                };
                kept.fail(field, super::field_problem(lang, field, &message));
            }
        };
        let tags: Vec<String> = self
            .condition_tags
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let patch = CommunityPatch {
            name: CommunityText::name(&self.name).map_err(&mut fail).ok(),
            description: CommunityText::description(&self.description)
                .map_err(&mut fail)
                .ok(),
            rules: CommunityText::rules(&self.rules).map_err(&mut fail).ok(),
            kind: CommunityKind::parse(&self.kind).map_err(&mut fail).ok(),
            condition_tags: ConditionTags::parse(&tags).map_err(&mut fail).ok(),
            visibility: Visibility::parse(&self.visibility).map_err(&mut fail).ok(),
            join_policy: JoinPolicy::parse(&self.join_policy).map_err(&mut fail).ok(),
            language: match self.language.trim() {
                "" => None,
                code => languages::parse(code).map_err(&mut fail).ok(),
            },
            listed: match self.listed.as_str() {
                "" | "no" => Some(false),
                "yes" => Some(true),
                _ => {
                    kept.fail("listed", lang.t("form-invalid-listed"));
                    None
                }
            },
        };
        (!kept.has_errors()).then_some(patch)
    }
}

#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    csrf_token: String,
    slug: String,
    #[serde(flatten)]
    settings: SettingsFields,
}

fn new_community(lang: Lang, form: &CreateForm, kept: &mut FormState) -> Option<NewCommunity> {
    let slug = CommunitySlug::parse(form.slug.trim());
    if let Err(Error::Invalid { message, .. }) = &slug {
        kept.fail("slug", super::field_problem(lang, "slug", message));
    }
    let settings = form.settings.parse(lang, kept)?;
    Some(NewCommunity {
        slug: slug.ok()?,
        name: settings.name?,
        description: settings.description?,
        rules: settings.rules?,
        kind: settings.kind?,
        condition_tags: settings.condition_tags?,
        visibility: settings.visibility?,
        join_policy: settings.join_policy?,
        listed: settings.listed?,
        language: settings.language.unwrap_or_default(),
    })
}

async fn create_community(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CreateForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let mut kept = FormState::new().with_value("slug", form.slug.clone());
    form.settings.keep(&mut kept);
    if let Some(input) = new_community(ctx.lang, &form, &mut kept) {
        let admin = user.clone();
        match state
            .store
            .blocking(move |store| communities::create(store, &admin, input))
            .await
        {
            Ok(created) => return Ok(ctx.redirect(&format!("/c/{}", created.summary.slug))),
            Err(Error::Conflict(_)) => kept.fail("slug", ctx.lang.t("form-slug-taken")),
            Err(error) => form_problem(ctx.lang, error, &mut kept)?,
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
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let mut kept = FormState::new()
        .with_value("community", form.community.clone())
        .with_value("username", form.username.clone());
    let admin = user.clone();
    let (slug, username) = (form.community.clone(), form.username.trim().to_owned());
    match state
        .store
        .blocking(move |store| communities::add_moderator(store, &admin, &slug, &username))
        .await
    {
        Ok(_) => return Ok(ctx.redirect("/admin?notice=appointed")),
        Err(Error::NotFound) => kept.fail("username", ctx.lang.t("form-no-such-member")),
        Err(error) => form_problem(ctx.lang, error, &mut kept)?,
    }
    render(ctx, &state, user, FormState::new(), kept, None).await
}

/// A form on the edit page that was refused, to show again with its problem.
enum Refused {
    Settings(FormState),
    Policy(FormState),
}

/// The edit page: the community's settings in the form, its screening policy, and its
/// moderators.
async fn render_edit(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    slug: String,
    refused: Option<Refused>,
    notice: Option<String>,
) -> PageResult {
    let (detail, overview, policy) = state
        .store
        .reading(move |store| {
            Ok::<_, Error>((
                communities::get(store, Some(&user), &slug)?,
                communities::overview(store, &user)?,
                moderation::moderation_policy(store, &user, &slug)?,
            ))
        })
        .await?;
    let summary = &detail.summary;
    let (form, policy_form) = match refused {
        Some(Refused::Settings(form)) => (Some(form), None),
        Some(Refused::Policy(form)) => (None, Some(form)),
        None => (None, None),
    };
    let policy_form = policy_form.unwrap_or_else(|| {
        let pretty = serde_json::to_string_pretty(&policy.policy).unwrap_or_default();
        FormState::new().with_value("policy", pretty)
    });
    let status = if form.is_some() || policy_form.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let form = form.unwrap_or_else(|| {
        FormState::new()
            .with_value("name", summary.name.clone())
            .with_value("description", summary.description.clone())
            .with_value("rules", detail.rules.clone())
            .with_value("kind", summary.kind.clone())
            .with_value("condition_tags", summary.condition_tags.join(", "))
            .with_value("visibility", summary.visibility.clone())
            .with_value("join_policy", summary.join_policy.clone())
            .with_value(
                "listed",
                if summary.listed { "yes" } else { "no" }.to_owned(),
            )
            .with_value("language", summary.language.clone())
    });
    let moderators = overview
        .communities
        .into_iter()
        .find(|c| c.community.slug == summary.slug)
        .map(|c| c.moderators)
        .unwrap_or_default();
    let view = EditCommunityPage {
        slug: summary.slug.clone(),
        name: summary.name.clone(),
        form,
        moderators,
        notice,
        policy: policy_form,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::edit_community(&chrome, &view)))
}

async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let (ctx, user) = load_admin(&req, &state).await?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("saved") => Some(ctx.lang.t("form-notice-changes-saved")),
        Some("removed") => Some(ctx.lang.t("form-notice-moderator-removed")),
        Some("policy") => Some(ctx.lang.t("form-notice-policy-saved")),
        _ => None,
    };
    render_edit(ctx, &state, user, path.into_inner(), None, notice).await
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    settings: SettingsFields,
}

async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<EditForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let slug = path.into_inner();
    let mut kept = FormState::new();
    form.settings.keep(&mut kept);
    if let Some(patch) = form.settings.parse(ctx.lang, &mut kept) {
        let (admin, target) = (user.clone(), slug.clone());
        match state
            .store
            .blocking(move |store| communities::update(store, &admin, &target, patch))
            .await
        {
            Ok(_) => return Ok(ctx.redirect(&format!("/admin/c/{slug}?notice=saved"))),
            Err(error) => form_problem(ctx.lang, error, &mut kept)?,
        }
    }
    render_edit(ctx, &state, user, slug, Some(Refused::Settings(kept)), None).await
}

#[derive(Deserialize)]
struct PolicyForm {
    #[serde(default)]
    csrf_token: String,
    policy: String,
}

async fn save_policy(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PolicyForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let slug = path.into_inner();
    let mut kept = FormState::new().with_value("policy", form.policy.clone());
    match serde_json::from_str::<Policy>(&form.policy) {
        Ok(policy) => {
            let (admin, target) = (user.clone(), slug.clone());
            let saved = state
                .store
                .blocking(move |store| {
                    moderation::set_moderation_policy(store, &admin, &target, &policy)
                })
                .await;
            match saved {
                Ok(_) => return Ok(ctx.redirect(&format!("/admin/c/{slug}?notice=policy"))),
                Err(error) => form_problem(ctx.lang, error, &mut kept)?,
            }
        }
        Err(error) => kept.fail(
            "policy",
            ctx.lang.t_args(
                "form-policy-unusable",
                &[("detail", error.to_string().into())],
            ),
        ),
    }
    render_edit(ctx, &state, user, slug, Some(Refused::Policy(kept)), None).await
}

#[derive(Deserialize)]
struct RemoveForm {
    #[serde(default)]
    csrf_token: String,
}

async fn remove_moderator(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<RemoveForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (slug, username) = path.into_inner();
    let target = slug.clone();
    state
        .store
        .blocking(move |store| communities::remove_moderator(store, &user, &target, &username))
        .await?;
    Ok(ctx.redirect(&format!("/admin/c/{slug}?notice=removed")))
}
