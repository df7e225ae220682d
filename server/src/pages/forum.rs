//! Reading: home, the community directory, community and thread pages, permalinks,
//! public profiles and search. Writing to a thread is in `posting.rs`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::i18n::Lang;
use kindred_web::model::{
    CommunityPage, Directory, Home, Profile, SearchPage, SearchResult, ThreadItem,
};
use kindred_web::{pages, FormState};
use serde::Deserialize;

use super::convert::{card, detail_card, thread};
pub(super) use super::thread_page::render_thread;
use super::thread_page::visitor_page;
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::domain::community::Visibility;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{PostId, ThreadId};
use crate::error::Error;
use crate::service::search::{self, SearchInput};
use crate::service::start::{matching, About};
use crate::service::{access, accounts, communities, notifications, quotes, threads};
use crate::state::AppState;
use crate::store::notifications::ReadSelection;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/communities", web::get().to(directory))
        .route("/c/{slug}", web::get().to(community))
        .route("/c/{slug}/join", web::post().to(join))
        .route("/c/{slug}/leave", web::post().to(leave))
        .route("/p/{id}", web::get().to(permalink))
        .route("/t/{id}", web::get().to(thread_page))
        .route("/u/{username}", web::get().to(profile))
        .route("/search", web::get().to(search));
}

/// Communities shown in the directory (one page of the service's list is plenty for now).
pub(super) const DIRECTORY_LIMIT: i64 = 100;

/// Posts on one page of a thread; permalinks count pages with it.
pub(super) const THREAD_PAGE_SIZE: i64 = 50;

/// Unread notifications shown on a member's home page.
const NEW_ACTIVITY_LIMIT: i64 = 5;

async fn home(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.user.clone();
    let lang = ctx.lang;
    let view = state
        .store
        .reading(move |store| {
            let listed = communities::list(store, user.as_ref(), None, DIRECTORY_LIMIT)?;
            let Some(user) = user else {
                return Ok(Home {
                    directory: listed.items.iter().map(card).collect(),
                    my_communities: Vec::new(),
                    pending: Vec::new(),
                    recent_threads: Vec::new(),
                    moderates: false,
                    suggested: Vec::new(),
                    new_activity: Vec::new(),
                });
            };
            let account = accounts::me(store, &user)?;
            let active: Vec<&str> = account
                .memberships
                .iter()
                .filter(|m| access::is_active(m.state))
                .map(|m| m.community.as_str())
                .collect();
            let mut recent: Vec<ThreadItem> = Vec::new();
            for slug in active.iter().take(10) {
                let page = threads::list(store, Some(&user), slug, None, 5)?;
                recent.extend(page.items.iter().map(thread));
            }
            recent.sort_by(|a, b| b.last_post_at.cmp(&a.last_post_at));
            recent.truncate(15);
            let inbox = notifications::list(store, &user, None, NEW_ACTIVITY_LIMIT)?;
            Ok::<_, Error>(Home {
                suggested: communities::suggested_for(&account, &listed.items)
                    .into_iter()
                    .map(card)
                    .collect(),
                new_activity: inbox
                    .items
                    .iter()
                    .filter(|n| !n.read)
                    .map(|n| super::notifications::item(lang, n))
                    .collect(),
                my_communities: listed
                    .items
                    .iter()
                    .filter(|c| active.contains(&c.slug.as_str()))
                    .map(card)
                    .collect(),
                pending: account
                    .memberships
                    .iter()
                    .filter(|m| access::is_pending(m.state))
                    .map(|m| m.community.clone())
                    .collect(),
                recent_threads: recent,
                directory: Vec::new(),
                moderates: account
                    .memberships
                    .iter()
                    .any(|m| access::moderates(m.role, m.state)),
            })
        })
        .await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::home(&chrome, &view)))
}

#[derive(Deserialize)]
struct DirectoryQuery {
    kind: Option<String>,
    condition: Option<String>,
    /// A language code (`es`); anything else shows every language.
    language: Option<String>,
}

async fn directory(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let filter: DirectoryQuery = query(&req)?;
    let kind = filter.kind.filter(|k| !k.is_empty());
    let condition = filter.condition.filter(|c| !c.is_empty());
    let language = filter
        .language
        .as_deref()
        .and_then(kindred_web::i18n::Lang::parse)
        .map(|l| l.code().to_owned());
    let user = ctx.user.clone();
    let listed = state
        .store
        .reading(move |store| communities::list(store, user.as_ref(), None, DIRECTORY_LIMIT))
        .await?;
    let mut conditions: Vec<String> = listed
        .items
        .iter()
        .flat_map(|c| c.condition_tags.iter().cloned())
        .collect();
    conditions.sort();
    conditions.dedup();
    let view = Directory {
        communities: listed
            .items
            .iter()
            .filter(|c| kind.as_ref().is_none_or(|k| &c.kind == k))
            .filter(|c| {
                condition
                    .as_ref()
                    .is_none_or(|t| c.condition_tags.contains(t))
            })
            .filter(|c| language.as_ref().is_none_or(|l| &c.language == l))
            .map(card)
            .collect(),
        kind,
        condition,
        language,
        conditions,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::directory(&chrome, &view)))
}

#[derive(Deserialize)]
struct CursorQuery {
    cursor: Option<String>,
    notice: Option<String>,
    /// "Reply to this": the post whose quote the reply form starts with.
    quote: Option<String>,
}

/// Short confirmations shown after a redirect (`?notice=joined`): fixed texts from the
/// catalogue, so nothing from the URL reaches the page.
fn notice_text(lang: Lang, key: Option<&str>) -> Option<String> {
    let text = match key? {
        "joined" => lang.t("notice-joined"),
        "requested" => lang.t("notice-requested"),
        "left" => lang.t("notice-left"),
        "reported" => lang.t("notice-reported"),
        "posted" => lang.t("notice-posted"),
        "edited" => lang.t("notice-edited"),
        "held" => lang.t("notice-held"),
        "decided" => lang.t("notice-decided"),
        "appealed" => lang.t("notice-appealed"),
        "saved" => lang.t("country-saved"),
        "created" => lang.t("notice-created"),
        "appointed" => lang.t("notice-appointed"),
        "pinned" => lang.t("notice-pinned"),
        "unpinned" => lang.t("notice-unpinned"),
        "locked" => lang.t("notice-locked"),
        "unlocked" => lang.t("notice-unlocked"),
        "removed" => lang.t("notice-removed"),
        _ => return None,
    };
    Some(text)
}

async fn community(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: CursorQuery = query(&req)?;
    let slug = path.into_inner();
    let user = ctx.user.clone();
    let cursor = q.cursor.clone();
    let (detail, listed) = state
        .store
        .reading(move |store| {
            let detail = communities::get(store, user.as_ref(), &slug)?;
            // A listed private community seen from outside shows its listing only.
            let members_only = detail.summary.visibility == Visibility::Private.as_str()
                && !user.as_ref().is_some_and(CurrentUser::is_admin)
                && !detail
                    .membership
                    .as_ref()
                    .is_some_and(|m| access::is_active(m.state));
            let listed = if members_only {
                None
            } else {
                Some(threads::list(
                    store,
                    user.as_ref(),
                    &slug,
                    cursor.as_deref(),
                    30,
                )?)
            };
            Ok((detail, listed))
        })
        .await?;
    let is_moderator = access::viewer_moderates(ctx.user.as_ref(), detail.membership.as_ref());
    let view = CommunityPage {
        community: detail_card(&detail),
        rules_html: detail.rules_html.clone(),
        membership: detail
            .membership
            .as_ref()
            .map(|m| (m.role.as_str().to_owned(), m.state.as_str().to_owned())),
        is_moderator,
        members_only: listed.is_none(),
        threads: listed
            .as_ref()
            .map(|l| l.items.iter().map(thread).collect())
            .unwrap_or_default(),
        next_cursor: listed.and_then(|l| l.next_cursor),
        notice: notice_text(ctx.lang, q.notice.as_deref()),
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::community(&chrome, &view)))
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

async fn join(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<TokenForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let slug = path.into_inner();
    let target = slug.clone();
    let membership = state
        .store
        .blocking(move |store| communities::join(store, &user, &target))
        .await?;
    let notice = if access::is_pending(membership.state) {
        "requested"
    } else {
        "joined"
    };
    Ok(ctx.redirect(&format!("/c/{slug}?notice={notice}")))
}

async fn leave(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<TokenForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let slug = path.into_inner();
    let target = slug.clone();
    state
        .store
        .blocking(move |store| communities::leave(store, &user, &target))
        .await?;
    Ok(ctx.redirect(&format!("/c/{slug}?notice=left")))
}

pub(super) fn thread_id(raw: &str) -> Result<ThreadId, PageError> {
    ThreadId::parse(raw).ok_or(PageError::from(Error::NotFound))
}

/// `/t/{thread}/p/{post}/…`: both ids, or not found.
pub(super) fn thread_and_post(
    (thread, post): (String, String),
) -> Result<(ThreadId, PostId), PageError> {
    Ok((
        thread_id(&thread)?,
        PostId::parse(&post).ok_or(PageError::from(Error::NotFound))?,
    ))
}

/// The thread page again, with a refused action's problem at the top (`what` says
/// what did not happen); errors the member cannot fix become the error page.
pub(super) async fn thread_with_problem(
    ctx: Ctx,
    state: &web::Data<AppState>,
    thread: ThreadId,
    error: Error,
    what: &str,
) -> PageResult {
    let mut kept = FormState::new();
    form_problem(ctx.lang, error, &mut kept)?;
    let message = kept
        .other_errors(&[])
        .next()
        .map(|m| format!("{what}: {m}"));
    render_thread(ctx, state, thread, None, FormState::new(), message).await
}

#[derive(Deserialize)]
struct PermalinkQuery {
    /// The notification this link came from: opening it marks it read.
    n: Option<String>,
    /// A confirmation to show at the post (after reporting or editing it).
    notice: Option<String>,
}

/// `/p/{id}`: the page of its thread that shows the post, at the post. A post the reader
/// may not see is the same "not found" page as one that never existed.
async fn permalink(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: PermalinkQuery = query(&req)?;
    let post_id = PostId::parse(&path.into_inner()).ok_or(PageError::from(Error::NotFound))?;
    let viewer = ctx.user.clone();
    let found = state
        .store
        .reading(move |store| threads::locate(store, viewer.as_ref(), post_id, THREAD_PAGE_SIZE))
        .await?;
    // Only the member's own notifications are marked; another id changes nothing.
    let opened = q.n.as_deref().and_then(|n| n.parse::<i64>().ok());
    if let (Some(user), Some(id)) = (ctx.user.clone(), opened) {
        state
            .store
            .blocking(move |store| {
                notifications::mark_read(store, &user, ReadSelection::Ids(vec![id]))
            })
            .await?;
    }
    let thread = found.thread_id;
    let mut params: Vec<String> = found
        .cursor
        .map(|c| format!("cursor={c}"))
        .into_iter()
        .collect();
    if let Some(notice) = q
        .notice
        .filter(|key| notice_text(Lang::En, Some(key)).is_some())
    {
        params.push(format!("notice={notice}"));
    }
    let location = if params.is_empty() {
        format!("/t/{thread}#p{post_id}")
    } else {
        format!("/t/{thread}?{}#p{post_id}", params.join("&"))
    };
    Ok(ctx.redirect(&location))
}

async fn thread_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: CursorQuery = query(&req)?;
    let id = thread_id(&path.into_inner())?;
    let notice = notice_text(ctx.lang, q.notice.as_deref());
    let mut reply = FormState::new();
    // A quote the member may not see is the same "not found" as a thread they may not.
    if let (Some(raw), Some(user)) = (q.quote.as_deref(), ctx.user.clone()) {
        let post = PostId::parse(raw).ok_or(PageError::from(Error::NotFound))?;
        let quote = state
            .store
            .reading(move |store| quotes::quote(store, &user, id, post))
            .await?;
        reply.set_value("body", quote.markdown);
        reply.set_value("reply_to", quote.post_id.to_string());
    }
    if ctx.user.is_none() && notice.is_none() {
        return visitor_page(ctx, &req, &state, id, q.cursor).await;
    }
    render_thread(ctx, &state, id, q.cursor, reply, notice).await
}

async fn profile(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let username = path.into_inner();
    let viewer = ctx.user.clone();
    let found = state
        .store
        .reading(move |store| accounts::public_profile(store, viewer.as_ref(), &username))
        .await?;
    let view = Profile {
        username: found.username,
        display_name: found.display_name,
        staff: found.staff,
        role: found.role,
        conditions: found.conditions,
        bio: found.bio.filter(|b| !b.is_empty()),
        joined: found.joined_at,
        memorialised: found.memorialised,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::profile(&chrome, &view)))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    cursor: Option<String>,
}

async fn search(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let params: SearchParams = query(&req)?;
    let text = params.q.unwrap_or_default();
    let mut view = SearchPage {
        query: text.clone(),
        ..SearchPage::default()
    };
    if !text.trim().is_empty() && text.chars().count() <= super::start::MAX_ABOUT_CHARS {
        let (viewer, words) = (ctx.user.clone(), text.clone());
        view.communities = state
            .store
            .reading(move |store| {
                let listed = communities::list(store, viewer.as_ref(), None, DIRECTORY_LIMIT)?;
                let about = About {
                    text: &words,
                    caregiver: false,
                };
                Ok::<_, Error>(
                    matching(&about, &listed.items)
                        .into_iter()
                        .map(card)
                        .collect(),
                )
            })
            .await?;
    }
    if !text.trim().is_empty() {
        let parsed = SearchInput::parse(&text, None, None, params.cursor.as_deref(), None, false);
        let result = match parsed {
            Ok(input) => {
                let app = state.clone();
                let viewer = ctx.user.clone();
                state
                    .store
                    .blocking(move |store| {
                        search::search(store, &app.search, viewer.as_ref(), input)
                    })
                    .await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(found) => {
                view.total = found.total_estimate;
                view.next = found.next_cursor.map(|cursor| {
                    format!("q={}&cursor={}", encode_query(&text), encode_query(&cursor))
                });
                view.results = one_per_thread(found.items);
            }
            Err(error @ (Error::BadRequest { .. } | Error::Invalid { .. })) => {
                view.error = Some(error.message_in(ctx.lang));
                let chrome = ctx.chrome();
                return Ok(ctx.html_status(StatusCode::BAD_REQUEST, pages::search(&chrome, &view)));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::search(&chrome, &view)))
}

/// One result per thread, in the order of each thread's best match (the hits come best
/// first): a thread with many matching posts would otherwise fill the page.
fn one_per_thread(items: Vec<search::SearchItem>) -> Vec<SearchResult> {
    let mut results: Vec<SearchResult> = Vec::new();
    let mut seen: Vec<ThreadId> = Vec::new();
    for item in items {
        if let Some(at) = seen.iter().position(|t| *t == item.thread_id) {
            results[at].more_in_thread += 1;
            continue;
        }
        seen.push(item.thread_id);
        results.push(SearchResult {
            post_id: item.post_id.to_string(),
            thread_title: item.thread_title,
            community_slug: item.community,
            community_name: item.community_name,
            snippet_html: item.snippet_html,
            author: item.author.map(|username| {
                let display_name = item.author_display_name.unwrap_or_else(|| username.clone());
                (username, display_name)
            }),
            created_at: item.created_at,
            more_in_thread: 0,
            content_notes: item
                .content_notes
                .iter()
                .map(|n| n.label().to_owned())
                .collect(),
            collapsed: item.collapsed,
        });
    }
    results
}

/// Percent-encodes a query-string value.
fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
