//! `/communities/*`: the directory, a community's page, joining and moderation of members.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth::Viewer;
use crate::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, MembershipState, Visibility,
};
use crate::domain::current_user::CurrentUser;
use crate::domain::user::ConditionTags;
use crate::error::Error;
use crate::service::views::{CommunityDetail, CommunitySummary, MemberView, MembershipView, Page};
use crate::service::{communities, languages, page_size};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(overview)
        .service(join)
        .service(leave)
        .service(add_moderator)
        .service(remove_moderator)
        .service(members)
        .service(add_member)
        .service(ban)
        .service(unban);
}

/// One membership.
#[derive(Serialize, ToSchema)]
pub struct MembershipResponse {
    membership: MembershipView,
}

/// `?language=&cursor=&limit=` on the directory.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DirectoryQuery {
    /// Only communities that talk in this language (`en`, `es`); an unknown code is a 400
    /// `invalid_language`.
    language: Option<String>,
    /// Opaque: the `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page; values outside 1–100 are brought into that range.
    limit: Option<i64>,
}

#[utoipa::path(operation_id = "list_communities", tag = "communities", params(DirectoryQuery), security((), ("bearer" = [])),
    responses((status = 200, description = "Communities this viewer may see, by slug", body = Page<CommunitySummary>),
        (status = 400, description = "`invalid_language`: not a language Kindred speaks", body = ErrorBody)))]
#[get("/communities")]
async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<DirectoryQuery>,
) -> Result<HttpResponse, Error> {
    let query = query.into_inner();
    let language = query
        .language
        .as_deref()
        .map(languages::parse)
        .transpose()?;
    let page = state
        .store
        .reading(move |store| {
            communities::list_in(
                store,
                viewer.user(),
                language,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = CreateCommunityRequest)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    #[schema(min_length = 3, max_length = 48, pattern = "^[a-z0-9-]+$")]
    slug: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$"
    )]
    name: String,
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    description: String,
    /// Markdown.
    #[serde(default)]
    #[schema(
        max_length = 20000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    rules: String,
    #[schema(value_type = CommunityKind)]
    kind: String,
    /// At most 20 tags of 1–48 letters, digits and hyphens.
    #[serde(default)]
    #[schema(max_items = 20)]
    condition_tags: Vec<String>,
    #[schema(value_type = Visibility)]
    visibility: String,
    #[schema(value_type = JoinPolicy)]
    join_policy: String,
    /// A private community shown in the directory (name, description, member count),
    /// where members may ask to join; its threads stay invisible to non-members.
    #[serde(default)]
    listed: bool,
    /// The language the community talks in (`en`, the default, or `es`).
    #[schema(max_length = 35)]
    language: Option<String>,
}

#[utoipa::path(operation_id = "create_community", tag = "communities", security(("bearer" = [])), request_body = CreateRequest,
    responses((status = 201, body = CommunityDetail), (status = 403, description = "Not a site admin", body = ErrorBody), (status = 409, description = "Slug taken", body = ErrorBody)))]
#[post("/communities")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<CreateRequest>,
) -> Result<HttpResponse, Error> {
    let body = body.into_inner();
    let input = communities::NewCommunity {
        slug: CommunitySlug::parse(&body.slug)?,
        name: CommunityText::name(&body.name)?,
        description: CommunityText::description(&body.description)?,
        rules: CommunityText::rules(&body.rules)?,
        kind: CommunityKind::parse(&body.kind)?,
        condition_tags: ConditionTags::parse(&body.condition_tags)?,
        visibility: Visibility::parse(&body.visibility)?,
        join_policy: JoinPolicy::parse(&body.join_policy)?,
        listed: body.listed,
        language: languages::parse(body.language.as_deref().unwrap_or("en"))?,
    };
    let created = state
        .store
        .blocking(move |store| communities::create(store, &user, input))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Fields to change; absent ones stay as they are.
#[derive(Deserialize, ToSchema)]
#[schema(as = UpdateCommunityRequest)]
#[serde(deny_unknown_fields)]
struct UpdateRequest {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$"
    )]
    name: Option<String>,
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    description: Option<String>,
    #[schema(
        max_length = 20000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    rules: Option<String>,
    #[schema(value_type = Option<CommunityKind>)]
    kind: Option<String>,
    #[schema(max_items = 20)]
    condition_tags: Option<Vec<String>>,
    #[schema(value_type = Option<Visibility>)]
    visibility: Option<String>,
    #[schema(value_type = Option<JoinPolicy>)]
    join_policy: Option<String>,
    /// Whether a private community shows in the directory for members to ask to join.
    listed: Option<bool>,
    /// The language the community talks in (`en`, `es`).
    #[schema(max_length = 35)]
    language: Option<String>,
}

impl UpdateRequest {
    fn parse(self) -> Result<communities::CommunityPatch, Error> {
        Ok(communities::CommunityPatch {
            name: self.name.as_deref().map(CommunityText::name).transpose()?,
            description: self
                .description
                .as_deref()
                .map(CommunityText::description)
                .transpose()?,
            rules: self
                .rules
                .as_deref()
                .map(CommunityText::rules)
                .transpose()?,
            kind: self.kind.as_deref().map(CommunityKind::parse).transpose()?,
            condition_tags: self
                .condition_tags
                .as_deref()
                .map(ConditionTags::parse)
                .transpose()?,
            visibility: self
                .visibility
                .as_deref()
                .map(Visibility::parse)
                .transpose()?,
            language: self.language.as_deref().map(languages::parse).transpose()?,
            join_policy: self
                .join_policy
                .as_deref()
                .map(JoinPolicy::parse)
                .transpose()?,
            listed: self.listed,
        })
    }
}

#[utoipa::path(operation_id = "update_community", tag = "communities", params(("slug" = String, Path)), security(("bearer" = [])), request_body = UpdateRequest,
    responses((status = 200, body = CommunityDetail), (status = 403, description = "Not a site admin", body = ErrorBody)))]
#[patch("/communities/{slug}")]
async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<UpdateRequest>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let patch = body.into_inner().parse()?;
    let updated = state
        .store
        .blocking(move |store| communities::update(store, &user, &slug, patch))
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(tag = "communities", security(("bearer" = [])),
    responses((status = 200, description = "Members, posts and queue sizes, per community", body = communities::SiteOverview), (status = 403, body = ErrorBody)))]
#[get("/admin/overview")]
async fn overview(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, Error> {
    let overview = state
        .store
        .reading(move |store| communities::overview(store, &user))
        .await?;
    Ok(HttpResponse::Ok().json(overview))
}

#[utoipa::path(operation_id = "get_community", tag = "communities", params(("slug" = String, Path)), security((), ("bearer" = [])),
    responses((status = 200, body = CommunityDetail), (status = 404, description = "Unknown, or private and not a member", body = ErrorBody)))]
#[get("/communities/{slug}")]
async fn get(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let detail = state
        .store
        .reading(move |store| communities::get(store, viewer.user(), &slug))
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

#[utoipa::path(tag = "communities", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Active, or pending approval", body = MembershipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/communities/{slug}/join")]
async fn join(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let membership = state
        .store
        .blocking(move |store| communities::join(store, &user, &slug))
        .await?;
    Ok(HttpResponse::Ok().json(MembershipResponse { membership }))
}

#[utoipa::path(tag = "communities", params(("slug" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/communities/{slug}/leave")]
async fn leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    state
        .store
        .blocking(move |store| communities::leave(store, &user, &slug))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct UsernameRequest {
    #[schema(min_length = 3, max_length = 32, pattern = "^[A-Za-z0-9_]+$")]
    username: String,
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])), request_body = UsernameRequest,
    responses((status = 200, body = MembershipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/communities/{slug}/moderators")]
async fn add_moderator(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<UsernameRequest>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let username = body.into_inner().username;
    let membership = state
        .store
        .blocking(move |store| communities::add_moderator(store, &user, &slug, &username))
        .await?;
    Ok(HttpResponse::Ok().json(MembershipResponse { membership }))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path), ("username" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "A member again", body = MembershipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Not a moderator", body = ErrorBody)))]
#[delete("/communities/{slug}/moderators/{username}")]
async fn remove_moderator(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, username) = path.into_inner();
    let membership = state
        .store
        .blocking(move |store| communities::remove_moderator(store, &user, &slug, &username))
        .await?;
    Ok(HttpResponse::Ok().json(MembershipResponse { membership }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct MembersQuery {
    /// Default `active`.
    #[param(inline, value_type = Option<MembershipState>)]
    state: Option<String>,
    /// Opaque: the `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page; values outside 1–100 are brought into that range.
    limit: Option<i64>,
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path), MembersQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<MemberView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/communities/{slug}/members")]
async fn members(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    query: web::Query<MembersQuery>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let query = query.into_inner();
    let wanted = query
        .state
        .as_deref()
        .map(MembershipState::parse)
        .transpose()?
        .unwrap_or(MembershipState::Active);
    let page = state
        .store
        .reading(move |store| {
            communities::members(
                store,
                &user,
                &slug,
                wanted,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])), request_body = UsernameRequest,
    responses((status = 200, description = "Approved or added", body = MembershipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/communities/{slug}/members")]
async fn add_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<UsernameRequest>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let username = body.into_inner().username;
    let membership = state
        .store
        .blocking(move |store| communities::add_member(store, &user, &slug, &username))
        .await?;
    Ok(HttpResponse::Ok().json(MembershipResponse { membership }))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path)), security(("bearer" = [])), request_body = UsernameRequest,
    responses((status = 200, body = MembershipResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Already banned, or a moderator", body = ErrorBody)))]
#[post("/communities/{slug}/bans")]
async fn ban(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<UsernameRequest>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let username = body.into_inner().username;
    let membership = state
        .store
        .blocking(move |store| communities::ban(store, &user, &slug, &username))
        .await?;
    Ok(HttpResponse::Ok().json(MembershipResponse { membership }))
}

#[utoipa::path(tag = "moderation", params(("slug" = String, Path), ("username" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "Not banned", body = ErrorBody)))]
#[delete("/communities/{slug}/bans/{username}")]
async fn unban(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Error> {
    let (slug, username) = path.into_inner();
    state
        .store
        .blocking(move |store| communities::unban(store, &user, &slug, &username))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
