//! Threads and posts: `/communities/{slug}/threads`, `/threads/{id}`, `/posts/{id}`.

use std::sync::Arc;

use actix_web::http::header::HeaderValue;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{answered, idempotency_key, json_revalidated, revalidated, ErrorBody, PageQuery};
use crate::auth::Viewer;
use crate::domain::content_note::{ContentNote, ContentNotes};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{PostId, ThreadId};
use crate::domain::post::{PostBody, ThreadTitle};
use crate::error::Error;
use crate::page_cache::{CachedPage, PageForm, PageKey, CACHE_STATUS};
use crate::service::advice::{AdviceCheck, Nudged};
use crate::service::idempotency::Keyed;
use crate::service::threads::NewPost;
use crate::service::threads::{CreatedThread, ThreadWithPosts};
use crate::service::views::{Page, PostView, ThreadView};
use crate::service::{page_size, threads};
use crate::state::AppState;
use crate::store::Store;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(reply)
        .service(edit)
        .service(delete);
}

/// One post.
#[derive(Serialize, ToSchema)]
pub struct PostResponse {
    post: PostView,
}

/// One thread.
#[derive(Serialize, ToSchema)]
pub struct ThreadResponse {
    thread: ThreadView,
}

pub(super) fn thread_id(raw: &str) -> Result<ThreadId, Error> {
    ThreadId::parse(raw).ok_or(Error::NotFound)
}

/// Turns a member's switch on a thread (watching it, muting it) on or off: the thread
/// from the path, `set` on the blocking pool, and the new state as JSON.
pub(super) async fn switch_thread<T: Serialize + Send + 'static>(
    state: &AppState,
    user: CurrentUser,
    path: &str,
    on: bool,
    set: fn(&Store, &CurrentUser, ThreadId, bool) -> Result<T, Error>,
) -> Result<HttpResponse, Error> {
    let id = thread_id(path)?;
    let switched = state
        .store
        .blocking(move |store| set(store, &user, id, on))
        .await?;
    Ok(HttpResponse::Ok().json(switched))
}

fn post_id(raw: &str) -> Result<PostId, Error> {
    PostId::parse(raw).ok_or(Error::NotFound)
}

#[utoipa::path(operation_id = "list_threads", tag = "threads", params(("slug" = String, Path), PageQuery), security((), ("bearer" = [])),
    responses((status = 200, description = "Pinned first, then latest activity", body = Page<ThreadView>), (status = 404, body = ErrorBody)))]
#[get("/communities/{slug}/threads")]
async fn list(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let query = query.into_inner();
    let page = state
        .store
        .reading(move |store| {
            threads::list(
                store,
                viewer.user(),
                &slug,
                query.cursor.as_deref(),
                page_size(query.limit),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = CreateThreadRequest)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    /// One line.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*$"
    )]
    title: String,
    /// The first post, markdown; characters, not bytes, are counted.
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    body: String,
    /// Post even though the text reads as telling others what to do with a treatment
    /// (the author has seen the advice nudge).
    #[serde(default)]
    acknowledge_advice: bool,
    /// Content notes the author marks the thread (and its first post) with; an unknown note is
    /// `400 unknown_content_note`.
    #[serde(default)]
    #[schema(value_type = Vec<ContentNote>, max_items = 10)]
    content_notes: Vec<String>,
}

#[utoipa::path(operation_id = "create_thread", tag = "threads", params(("slug" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters; the same key from the same member within 24 hours returns the first answer and creates nothing")), security(("bearer" = [])), request_body = CreateRequest,
    responses((status = 201, body = CreatedThread), (status = 200, description = "Not posted: the advice nudge. The text reads as telling others to stop, skip, refuse, change the dose of, share or swap a treatment; send the same request with `acknowledge_advice: true` to post anyway", body = Nudged), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "`rejected` by screening (the message says why), or `idempotency_key_reused` for another request", body = ErrorBody),
        (status = 429, description = "`rate_limited`: posts per hour (fewer for new members)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/communities/{slug}/threads")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<CreateRequest>,
) -> Result<HttpResponse, Error> {
    let slug = path.into_inner();
    let body = body.into_inner();
    let title = ThreadTitle::parse(&body.title)?;
    let post_body = PostBody::parse(&body.body)?;
    let notes = ContentNotes::parse(&body.content_notes)?;
    let keyed = idempotency_key(&req)?.map(|key| Keyed::thread(key, &slug, &title, &post_body));
    let advice = AdviceCheck::acknowledged(body.acknowledge_advice);
    let written = NewPost {
        body: post_body,
        notes,
    };
    let answer = state
        .into_inner()
        .start_thread(user, slug, title, written, keyed, advice)
        .await?;
    Ok(answered(answer))
}

#[utoipa::path(operation_id = "get_thread", tag = "threads", params(("id" = String, Path), PageQuery, ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a page you hold")), security((), ("bearer" = [])),
    responses((status = 200, description = "With a weak `ETag` over the page this viewer gets", body = ThreadWithPosts,
        headers(("ETag" = String, description = "Send it back as `If-None-Match` to get 304 while the page is unchanged"))),
        (status = 304, description = "The page named by `If-None-Match` is still current; no body"), (status = 404, body = ErrorBody)))]
#[get("/threads/{id}")]
async fn get(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, Error> {
    let id = thread_id(&path.into_inner())?;
    let query = query.into_inner();
    let limit = query.limit.unwrap_or(50).clamp(1, 100);
    if viewer.user().is_none() {
        return visitor_page(&req, &state, id, query.cursor, limit).await;
    }
    let thread = state
        .store
        .reading(move |store| {
            threads::get(
                store,
                viewer.user(),
                id,
                query.cursor.as_deref(),
                page_size(Some(limit)),
            )
        })
        .await?;
    json_revalidated(&req, &thread)
}

/// A signed-out visitor's page, from the page cache when it holds it (`crate::page_cache`:
/// only public communities' pages are kept). `X-Page-Cache` says which it was.
async fn visitor_page(
    req: &HttpRequest,
    state: &AppState,
    id: ThreadId,
    cursor: Option<String>,
    limit: i64,
) -> Result<HttpResponse, Error> {
    let cache = state.realtime.page_cache.clone();
    let key = PageKey {
        thread_id: id.0,
        form: PageForm::Json,
        cursor,
        limit,
    };
    if let Some(page) = cache.get(&key) {
        let mut answer = revalidated(req, &page);
        answer
            .headers_mut()
            .insert(CACHE_STATUS.clone(), HeaderValue::from_static("hit"));
        return Ok(answer);
    }
    let read_in = cache.generation();
    let cursor = key.cursor.clone();
    let (thread, public) = state
        .store
        .reading(move |store| {
            threads::get_for_visitor(store, id, cursor.as_deref(), page_size(Some(limit)))
        })
        .await?;
    let body = serde_json::to_vec(&thread).map_err(|e| Error::Internal(e.to_string()))?;
    let page = Arc::new(CachedPage::tagged(body));
    let mut answer = revalidated(req, &page);
    if public {
        cache.insert(key, page, read_in);
        answer
            .headers_mut()
            .insert(CACHE_STATUS.clone(), HeaderValue::from_static("miss"));
    }
    Ok(answer)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct UpdateThreadRequest {
    pinned: Option<bool>,
    locked: Option<bool>,
}

#[utoipa::path(operation_id = "update_thread", tag = "moderation", params(("id" = String, Path)), security(("bearer" = [])), request_body = UpdateThreadRequest,
    responses((status = 200, body = ThreadResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[patch("/threads/{id}")]
async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<UpdateThreadRequest>,
) -> Result<HttpResponse, Error> {
    let id = thread_id(&path.into_inner())?;
    let body = body.into_inner();
    let thread = state
        .store
        .blocking(move |store| threads::set_flags(store, &user, id, body.pinned, body.locked))
        .await?;
    Ok(HttpResponse::Ok().json(ThreadResponse { thread }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct BodyRequest {
    /// Markdown; characters, not bytes, are counted.
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    body: String,
    /// Replaces the post's content notes when present; an unknown note is
    /// `400 unknown_content_note`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<ContentNote>>, max_items = 10)]
    content_notes: Option<Vec<String>>,
}

/// A reply; `reply_to` names the post of the thread it answers, whose author is told.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReplyRequest {
    /// Markdown; characters, not bytes, are counted.
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    body: String,
    /// A post id of this thread.
    #[serde(default)]
    #[schema(pattern = "^[0-9]+$")]
    reply_to: Option<String>,
    /// Post even though the text reads as telling others what to do with a treatment
    /// (the author has seen the advice nudge).
    #[serde(default)]
    acknowledge_advice: bool,
    /// Content notes the author marks the post with; an unknown note is
    /// `400 unknown_content_note`.
    #[serde(default)]
    #[schema(value_type = Vec<ContentNote>, max_items = 10)]
    content_notes: Vec<String>,
}

#[utoipa::path(tag = "threads", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters; the same key from the same member within 24 hours returns the first answer and creates nothing")), security(("bearer" = [])), request_body = ReplyRequest,
    responses((status = 201, body = PostResponse), (status = 200, description = "Not posted: the advice nudge. The text reads as telling others to stop, skip, refuse, change the dose of, share or swap a treatment; send the same request with `acknowledge_advice: true` to post anyway", body = Nudged), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "`rejected` by screening (the message says why), or `idempotency_key_reused` for another request", body = ErrorBody),
        (status = 429, description = "`rate_limited`: posts per hour (fewer for new members)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait")))))]
#[post("/threads/{id}/posts")]
async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<ReplyRequest>,
) -> Result<HttpResponse, Error> {
    let id = thread_id(&path.into_inner())?;
    let request = body.into_inner();
    let post_body = PostBody::parse(&request.body)?;
    let notes = ContentNotes::parse(&request.content_notes)?;
    let reply_to = request
        .reply_to
        .map(|raw| {
            PostId::parse(&raw)
                .ok_or_else(|| Error::invalid("reply_to", "reply_to must be a post id"))
        })
        .transpose()?;
    let keyed = idempotency_key(&req)?.map(|key| Keyed::reply(key, id, &post_body, reply_to));
    let advice = AdviceCheck::acknowledged(request.acknowledge_advice);
    let written = NewPost {
        body: post_body,
        notes,
    };
    let answer = state
        .into_inner()
        .reply(user, id, written, reply_to, keyed, advice)
        .await?;
    Ok(answered(answer))
}

#[utoipa::path(tag = "threads", params(("id" = String, Path)), security(("bearer" = [])), request_body = BodyRequest,
    responses((status = 200, description = "Edited; the previous text is kept as a revision", body = PostResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "The post was deleted", body = ErrorBody), (status = 422, description = "`rejected` by screening; the message says why", body = ErrorBody)))]
#[patch("/posts/{id}")]
async fn edit(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<BodyRequest>,
) -> Result<HttpResponse, Error> {
    let id = post_id(&path.into_inner())?;
    let request = body.into_inner();
    let post_body = PostBody::parse(&request.body)?;
    let notes = request
        .content_notes
        .as_deref()
        .map(ContentNotes::parse)
        .transpose()?;
    let app = state.clone();
    let post = state
        .store
        .blocking(move |store| {
            threads::edit(store, &app.screener, &user, id, post_body, notes.as_ref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(PostResponse { post }))
}

#[utoipa::path(tag = "threads", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "A tombstone stays", body = PostResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/posts/{id}")]
async fn delete(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, Error> {
    let id = post_id(&path.into_inner())?;
    let post = state
        .store
        .blocking(move |store| threads::delete(store, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(PostResponse { post }))
}
