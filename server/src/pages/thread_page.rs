//! The thread page (`GET /t/{id}`, and again after a refused form): read, converted to the
//! view model and rendered for its reader. A signed-out visitor's page of a public
//! community comes from the page cache (`crate::page_cache`), with the reader's own CSRF
//! token spliced in.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use kindred_web::clock::page_words_change_at;
use kindred_web::model::{PageRange, ThreadPage, IDEMPOTENCY_FIELD};
use kindred_web::{pages, FormState};

use super::convert::{new_post_reactions, post, thread};
use super::forum::THREAD_PAGE_SIZE;
use super::{html_response, Ctx, PageError, PageResult};
use crate::auth::tokens::mask_csrf_token;
use crate::domain::ids::{PostId, ThreadId};
use crate::page_cache::{CachedPage, PageForm, PageKey, CACHE_STATUS};
use crate::service::idempotency::IdempotencyKey;
use crate::service::read_positions::{self, ReadState};
use crate::service::views::PostView;
use crate::service::{access, bookmarks, communities, last_event_id, threads};
use crate::state::AppState;

/// The longest a visitor's HTML page is kept: its `data-after` (the newest event when it was
/// read, from which app.js resumes its live updates) stays recent.
const HTML_MAX_AGE: Duration = Duration::from_secs(60);

/// A signed-out visitor's page (without a notice, which only redirects show): from the page
/// cache when it holds it, else read, rendered with a marker where the CSRF token goes and
/// kept when the community is public. Each answer carries the reader's own token, masked
/// afresh, and `X-Page-Cache: hit|miss`; its tag is one per CSRF cookie, for `304`.
pub(in crate::pages) async fn visitor_page(
    ctx: Ctx,
    req: &HttpRequest,
    state: &web::Data<AppState>,
    id: ThreadId,
    cursor: Option<String>,
) -> PageResult {
    let cache = state.realtime.page_cache.clone();
    let key = PageKey {
        thread_id: id.0,
        form: PageForm::Html(ctx.lang),
        cursor,
        limit: THREAD_PAGE_SIZE,
    };
    if let Some(page) = cache.get(&key) {
        return Ok(serve(ctx, req, &page, "hit"));
    }
    let read_in = cache.generation();
    let (view, public) =
        thread_view(&ctx, state, id, key.cursor.clone(), FormState::new(), None).await?;
    let mut chrome = ctx.chrome();
    if !public {
        return Ok(ctx.html(pages::thread(&chrome, &view)));
    }
    let (now, rendered_at) = (chrome.clock.now, Instant::now());
    let marker = format!("csrf-slot-{:032x}", rand::random::<u128>());
    chrome.csrf_token.clone_from(&marker);
    let rendered = pages::thread(&chrome, &view);
    let expires_at = rendered_at + still_accurate_for(&rendered, now);
    let page = Arc::new(CachedPage::with_token_slots(&rendered, &marker, expires_at));
    cache.insert(key, page.clone(), read_in);
    Ok(serve(ctx, req, &page, "miss"))
}

/// How long a page rendered at `now` stays what a fresh rendering would give: until one of
/// its relative times reads differently, and [`HTML_MAX_AGE`] at most.
fn still_accurate_for(rendered: &str, now: DateTime<Utc>) -> Duration {
    page_words_change_at(rendered, now)
        .map_or(HTML_MAX_AGE, |at| {
            (at - now).to_std().unwrap_or(Duration::ZERO)
        })
        .min(HTML_MAX_AGE)
}

/// A cached page for `ctx`'s reader: `304` when their browser holds it (the same page with
/// their CSRF cookie), else the page with their token masked afresh. The browser may keep
/// it but must ask again each time (`private, no-cache`); shared caches may not keep it.
fn serve(
    ctx: Ctx,
    req: &HttpRequest,
    page: &CachedPage,
    cache_status: &'static str,
) -> HttpResponse {
    let etag = page.etag_for(&ctx.csrf);
    let mut response = if crate::http::if_none_match(req, &etag) {
        HttpResponse::NotModified().finish()
    } else {
        html_response(StatusCode::OK, page.with_token(&mask_csrf_token(&ctx.csrf)))
    };
    let headers = response.headers_mut();
    // A tag is quoted hex, always a valid header value.
    if let Ok(etag) = header::HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        CACHE_STATUS.clone(),
        header::HeaderValue::from_static(cache_status),
    );
    ctx.with_cookies(response)
}

/// Renders a thread page, with `reply` holding a refused reply's input.
pub(in crate::pages) async fn render_thread(
    ctx: Ctx,
    state: &web::Data<AppState>,
    id: ThreadId,
    cursor: Option<String>,
    reply: FormState,
    notice: Option<String>,
) -> PageResult {
    let (view, _) = thread_view(&ctx, state, id, cursor, reply, notice).await?;
    let status = if view.reply.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::thread(&chrome, &view)))
}

/// A thread page's view model as `ctx`'s reader sees it, and whether it is the page every
/// signed-out visitor gets (a visitor's page of a public community), which may be cached.
async fn thread_view(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    id: ThreadId,
    cursor: Option<String>,
    mut reply: FormState,
    notice: Option<String>,
) -> Result<(ThreadPage, bool), PageError> {
    if reply.value(IDEMPOTENCY_FIELD).is_empty() {
        reply.set_value(IDEMPOTENCY_FIELD, IdempotencyKey::random().as_str());
    }
    let user = ctx.user.clone();
    let (found, public, community, position, last_event_id, (saved, extras)) = state
        .store
        .reading(move |store| {
            let last_event_id = last_event_id(store)?;
            let (found, public) = match &user {
                Some(user) => {
                    let found =
                        threads::get(store, Some(user), id, cursor.as_deref(), THREAD_PAGE_SIZE)?;
                    (found, false)
                }
                None => threads::get_for_visitor(store, id, cursor.as_deref(), THREAD_PAGE_SIZE)?,
            };
            let community = communities::get(store, user.as_ref(), &found.thread.community)?;
            let saved = match &user {
                Some(user) => {
                    let ids: Vec<PostId> = found.posts.iter().map(|p| p.id).collect();
                    Some(bookmarks::saved_among(store, user, &ids)?)
                }
                None => None,
            };
            let position = match found.posts.first() {
                Some(first) => Some(threads::page_position(
                    store,
                    user.as_ref(),
                    id,
                    first.id,
                    THREAD_PAGE_SIZE,
                )?),
                None => None,
            };
            let extras = super::duty::thread_extras(store, user.as_ref(), &found.posts)?;
            Ok((
                found,
                public,
                community,
                position,
                last_event_id,
                (saved, extras),
            ))
        })
        .await?;
    record_reading(ctx, state, id, found.thread.read, &found.posts).await;
    let viewer = ctx.user.as_ref().map(|u| u.id);
    let is_moderator = access::viewer_moderates(ctx.user.as_ref(), community.membership.as_ref());
    let active = community
        .membership
        .as_ref()
        .is_some_and(|m| access::is_active(m.state));
    let view = ThreadPage {
        thread: thread(&found.thread),
        community_name: community.summary.name.clone(),
        posts: found
            .posts
            .iter()
            .zip(0..)
            .map(|(p, index)| {
                let mut item = post(p, viewer);
                item.saved = saved.as_ref().map(|saved| saved.contains(&p.id));
                item.position = position.as_ref().map(|at| (at.first + index, at.total));
                item.can_add_context = is_moderator || extras.can_add_context;
                item.can_appeal = extras.appealable.contains(&p.id.0);
                item.content_notes_collapsed =
                    super::convert::folds(p, viewer, &found.collapse_content_notes);
                item
            })
            .collect(),
        range: position.map(|at| PageRange {
            first: at.first,
            last: at.first + i64::try_from(found.posts.len()).unwrap_or(0) - 1,
            total: at.total,
            earlier_href: at.earlier.map(|cursor| match cursor {
                Some(cursor) => format!("/t/{id}?cursor={cursor}"),
                None => format!("/t/{id}"),
            }),
        }),
        next_cursor: found.next_cursor,
        can_reply: is_moderator || (active && !found.thread.locked),
        signed_in: ctx.user.is_some(),
        is_moderator,
        last_event_id: last_event_id.to_string(),
        new_post_reactions: new_post_reactions(),
        reply,
        notice,
        collapse_content_notes: found
            .collapse_content_notes
            .iter()
            .map(|n| n.as_str().to_owned())
            .collect(),
    };
    Ok((view, public))
}

/// Moves a member's read position to the newest post on the page, when that is further
/// than they had read. A failure is logged: the page they asked for is shown anyway.
async fn record_reading(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    thread: ThreadId,
    before: Option<ReadState>,
    posts: &[PostView],
) {
    let (Some(user), Some(newest)) = (ctx.user.clone(), posts.iter().map(|p| p.id).max()) else {
        return;
    };
    if before.is_some_and(|read| read.last_read_post_id >= newest) {
        return;
    }
    let recorded = state
        .store
        .blocking(move |store| read_positions::mark_read(store, &user, thread, newest))
        .await;
    if let Err(error) = recorded {
        tracing::warn!(%error, "cannot record a read position");
    }
}
