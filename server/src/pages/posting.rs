//! Writing to a thread from the pages: starting one, replying, editing, reporting,
//! previewing, and a moderator's pin, lock and remove. Each form is CSRF-checked first and
//! answers with a redirect, or the page again with the problem next to its field.

use std::future::Future;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::i18n::Lang;
use kindred_web::model::NewThreadPage;
use kindred_web::model::IDEMPOTENCY_FIELD;
use kindred_web::{pages, FormState};
use serde::Deserialize;

use super::advice::Posted;
use super::content_notes::{offer, NoteBoxes, SuggestionStep};
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::auth::extract::{cookie_user, csrf_matches};
use crate::domain::ids::{now_micros, PostId};
use crate::domain::moderation::ModerationText;
use crate::domain::post::{PostBody, PostStatus, ThreadTitle};
use crate::error::Error;
use crate::service::idempotency::{Answer, IdempotencyKey, Keyed};
use crate::service::threads::{Created, CreatedPost, NewPost};
use crate::service::{access, accounts, communities, moderation, threads};
use crate::state::AppState;

use super::forum::{
    render_thread, thread_and_post, thread_id, thread_with_problem, DIRECTORY_LIMIT,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{id}/reply", web::post().to(reply))
        .route("/t/{thread}/p/{post}/report", web::post().to(report))
        .route("/t/{thread}/p/{post}/edit", web::post().to(edit))
        .route("/t/{id}/moderate", web::post().to(moderate_thread))
        .route("/t/{thread}/p/{post}/remove", web::post().to(remove_post))
        .route("/preview", web::post().to(preview))
        .route("/new", web::get().to(new_thread_form))
        .route("/new", web::post().to(new_thread));
}

#[derive(Deserialize)]
struct ReplyForm {
    #[serde(default)]
    csrf_token: String,
    body: String,
    /// Rendered with the form, so that submitting it twice posts once.
    #[serde(default)]
    idempotency_key: Option<String>,
    /// The post this reply answers ("Reply to this"); empty for the thread itself.
    #[serde(default)]
    reply_to: Option<String>,
    /// Present after the advice nudge: post anyway.
    #[serde(default)]
    acknowledge_advice: Option<String>,
    #[serde(flatten)]
    notes: NoteBoxes,
    #[serde(flatten)]
    step: SuggestionStep,
}

/// The key a form was rendered with (see `service::idempotency`); forms from before
/// keys existed have none.
fn form_key(raw: Option<&str>) -> Result<Option<IdempotencyKey>, Error> {
    raw.filter(|k| !k.is_empty())
        .map(|k| IdempotencyKey::parse(k.as_bytes()))
        .transpose()
}

async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ReplyForm>,
) -> PageResult {
    let form = form.into_inner();
    let id = thread_id(&path.into_inner())?;
    let key = form_key(form.idempotency_key.as_deref())?;
    let mut kept = FormState::new().with_value("body", form.body.clone());
    form.notes.keep(&mut kept);
    let reply_to = form.reply_to.as_deref().filter(|raw| !raw.is_empty());
    if let Some(raw) = reply_to {
        kept.set_value("reply_to", raw);
    }
    let reply_to = reply_to
        .map(|raw| PostId::parse(raw).ok_or(PageError::from(Error::NotFound)))
        .transpose()?;
    if let Some(key) = &key {
        kept.set_value(IDEMPOTENCY_FIELD, key.as_str());
    }
    let (ctx, user) = match Ctx::member_form(&req, &state, &form.csrf_token).await {
        Ok(signed_in) => signed_in,
        // A stale token (the page was open a long time, or the session changed in another
        // tab) must not lose what the member wrote: show it again with a fresh token.
        Err(error) if error.is_csrf_failure() => {
            let ctx = Ctx::load(&req, &state).await?;
            if ctx.user.is_none() {
                return Err(error);
            }
            kept.general = Some(
                "Your reply was not posted yet: the page had been open for a while. \
                 Your text is kept below; please press \"Post reply\" again."
                    .into(),
            );
            return render_thread(ctx, &state, id, None, kept, None).await;
        }
        Err(error) => return Err(error),
    };
    form.step.keep(&mut kept);
    let advice = super::advice::check(form.acknowledge_advice.as_deref());
    let result = match PostBody::parse(&form.body) {
        Ok(body) => {
            let keyed = key.map(|key| Keyed::reply(key, id, &body, reply_to));
            let send = |app: Arc<AppState>, written: NewPost| {
                app.reply(user, id, written, reply_to, keyed, advice)
            };
            suggest_or_post(&state, &mut kept, &form.notes, &form.step, None, body, send).await?
        }
        Err(error) => Err(error),
    };
    match next_step(ctx.lang, result, &mut kept, |post| {
        let notice = if post.status == PostStatus::Published {
            "posted"
        } else {
            "held"
        };
        format!("/t/{id}?notice={notice}#p{}", post.id)
    })? {
        Next::Redirect(to) => Ok(ctx.redirect(&to)),
        Next::FormAgain(_) => render_thread(ctx, &state, id, None, kept, None).await,
    }
}

/// A reply or new thread whose fields parsed: the content-note suggestion when the step
/// applies (the form comes back once, the suggested boxes ticked), else the post, sent by
/// `send` with the notes the author chose.
async fn suggest_or_post<Sent>(
    state: &web::Data<AppState>,
    kept: &mut FormState,
    boxes: &NoteBoxes,
    step: &SuggestionStep,
    title: Option<String>,
    body: PostBody,
    send: impl FnOnce(Arc<AppState>, NewPost) -> Sent,
) -> Result<Result<Posted, Error>, PageError>
where
    Sent: Future<Output = Result<Answer, Error>>,
{
    let suggested = step.suggestion(state, boxes, title, body.as_str()).await?;
    if !suggested.is_empty() {
        offer(kept, &suggested);
        return Ok(Ok(Posted::Suggested));
    }
    let notes = step.notes(boxes);
    Ok(send(state.clone().into_inner(), NewPost { body, notes })
        .await
        .and_then(super::advice::posted))
}

/// Where a submitted reply or new thread goes next.
enum Next {
    /// Posted: on to the post (or to the crisis resources first).
    Redirect(String),
    /// Not posted: the form again, with this status, showing the nudge, the suggestion or
    /// the problem.
    FormAgain(StatusCode),
}

/// What both forms do with the outcome; `posted_to` is where a post goes once created.
fn next_step(
    lang: Lang,
    result: Result<Posted, Error>,
    kept: &mut FormState,
    posted_to: impl FnOnce(&CreatedPost) -> String,
) -> Result<Next, PageError> {
    Ok(match result {
        Ok(Posted::Created(Created {
            post,
            care: Some(_),
        })) => Next::Redirect(super::care::after_posting(&post.thread_id, &post.id)),
        Ok(Posted::Created(Created { post, care: None })) => Next::Redirect(posted_to(&post)),
        Ok(Posted::Nudged(nudged)) => {
            super::advice::keep(kept, &nudged);
            Next::FormAgain(StatusCode::OK)
        }
        Ok(Posted::Suggested) => Next::FormAgain(StatusCode::OK),
        Err(error) => {
            // Fields refused before posting are already on the form.
            if !kept.has_errors() {
                form_problem(lang, error, kept)?;
            }
            Next::FormAgain(StatusCode::BAD_REQUEST)
        }
    })
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf_token: String,
    reason: String,
}

async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<ReportForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let reason = match ModerationText::reason(&form.reason) {
        Ok(reason) => reason,
        Err(error) => {
            let mut kept = FormState::new();
            form_problem(ctx.lang, error, &mut kept)?;
            let note = kept
                .error("reason")
                .map(|m| format!("Your report was not sent: {m}"));
            return render_thread(ctx, &state, thread, None, FormState::new(), note).await;
        }
    };
    let app = state.clone();
    match state
        .store
        .blocking(move |store| {
            moderation::report(
                store,
                &user,
                post_id,
                reason,
                None,
                &app.abuse.reports_by_member,
            )
        })
        .await
    {
        Ok(_) => Ok(ctx.redirect(&format!("/p/{post_id}?notice=reported"))),
        Err(error @ Error::Conflict(_)) => {
            let note = Some(super::general_problem(ctx.lang, &error));
            render_thread(ctx, &state, thread, None, FormState::new(), note).await
        }
        Err(other) => Err(PageError::from(other)),
    }
}

async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<ReplyForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let result = match PostBody::parse(&form.body) {
        Ok(body) => {
            let app = state.clone();
            state
                .store
                .blocking(move |store| {
                    let notes = form.notes.notes();
                    threads::edit(store, &app.screener, &user, post_id, body, Some(&notes))
                })
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => Ok(ctx.redirect(&format!("/p/{post_id}?notice=edited"))),
        Err(error) => {
            thread_with_problem(ctx, &state, thread, error, "Your changes were not saved").await
        }
    }
}

#[derive(Deserialize)]
struct ModerateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    action: String,
}

/// Pins, unpins, locks or unlocks a thread (moderators).
async fn moderate_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ModerateForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = thread_id(&path.into_inner())?;
    let (pinned, locked, notice) = match form.action.as_str() {
        "pin" => (Some(true), None, "pinned"),
        "unpin" => (Some(false), None, "unpinned"),
        "lock" => (None, Some(true), "locked"),
        "unlock" => (None, Some(false), "unlocked"),
        _ => {
            return Err(PageError::from(Error::bad_request(
                "invalid_action",
                "choose pin, unpin, lock or unlock",
            )))
        }
    };
    state
        .store
        .blocking(move |store| threads::set_flags(store, &user, id, pinned, locked))
        .await?;
    Ok(ctx.redirect(&format!("/t/{id}?notice={notice}")))
}

/// A moderator removes a post, with a reason its author sees.
async fn remove_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<ReportForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let result = match ModerationText::reason(&form.reason) {
        Ok(reason) => {
            state
                .store
                .blocking(move |store| moderation::remove_post(store, &user, post_id, reason))
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(ctx.redirect(&format!("/t/{thread}?notice=removed#p{post_id}"))),
        Err(error) => {
            thread_with_problem(ctx, &state, thread, error, "The post was not removed").await
        }
    }
}

#[derive(Deserialize)]
struct PreviewForm {
    #[serde(default)]
    csrf_token: String,
    body: String,
}

/// Markdown preview for the page script: the same rendering and sanitizer as a stored
/// post, on the blocking pool, for signed-in members within their previews per minute.
/// Nothing is stored; JSON answers, errors included, since only the script calls it.
async fn preview(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PreviewForm>,
) -> Result<actix_web::HttpResponse, Error> {
    if !csrf_matches(&req, state.settings.secure_cookies(), &form.csrf_token) {
        return Err(Error::forbidden(
            "csrf_failed",
            "this page has expired; reload it and try again",
        ));
    }
    let user = cookie_user(&req, &state)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let app = state.clone();
    let (body_html, extras) = state
        .store
        .blocking(move |store| {
            let body = PostBody::parse(&form.body)?;
            let now = now_micros();
            store.write(|conn| {
                app.abuse
                    .previews_by_member
                    .take(conn, &user.id.to_string(), now)
            })?;
            let advice = crate::service::advice::for_preview(&app.screener, body.as_str());
            let suggested =
                crate::service::content_notes::suggest(&app.screener, None, body.as_str());
            Ok((body.render_html()?, (advice, suggested)))
        })
        .await?;
    let (advice, suggested) = extras;
    let suggested: Vec<(&str, &str)> = suggested
        .as_slice()
        .iter()
        .map(|n| (n.as_str(), n.label()))
        .collect();
    Ok(actix_web::HttpResponse::Ok().json(serde_json::json!({
        "body_html": body_html,
        "advice": advice,
        "suggested_content_notes": suggested
            .iter()
            .map(|(note, label)| serde_json::json!({ "note": note, "label": label }))
            .collect::<Vec<_>>(),
    })))
}

#[derive(Deserialize)]
struct NewThreadQuery {
    community: Option<String>,
}

/// Communities the member can post in, as `(slug, name)`.
async fn postable(
    state: &web::Data<AppState>,
    user: &crate::domain::current_user::CurrentUser,
) -> Result<Vec<(String, String)>, PageError> {
    let user = user.clone();
    let pairs = state
        .store
        .reading(move |store| {
            let account = accounts::me(store, &user)?;
            let listed = communities::list(store, Some(&user), None, DIRECTORY_LIMIT)?;
            Ok(listed
                .items
                .iter()
                .filter(|c| {
                    account
                        .memberships
                        .iter()
                        .any(|m| m.community == c.slug && access::is_active(m.state))
                })
                .map(|c| (c.slug.clone(), c.name.clone()))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(pairs)
}

async fn new_thread_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: NewThreadQuery = query(&req)?;
    let view = NewThreadPage {
        communities: postable(&state, &user).await?,
        form: FormState::new()
            .with_value("community", q.community.unwrap_or_default())
            .with_value(IDEMPOTENCY_FIELD, IdempotencyKey::random().as_str()),
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::new_thread(&chrome, &view)))
}

#[derive(Deserialize)]
struct NewThreadForm {
    #[serde(default)]
    csrf_token: String,
    community: String,
    title: String,
    body: String,
    #[serde(default)]
    idempotency_key: Option<String>,
    /// Present after the advice nudge: post anyway.
    #[serde(default)]
    acknowledge_advice: Option<String>,
    #[serde(flatten)]
    notes: NoteBoxes,
    #[serde(flatten)]
    step: SuggestionStep,
}

async fn new_thread(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<NewThreadForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let key = form_key(form.idempotency_key.as_deref())?;
    let mut kept = FormState::new()
        .with_value("community", form.community.clone())
        .with_value("title", form.title.clone())
        .with_value("body", form.body.clone())
        .with_value(
            IDEMPOTENCY_FIELD,
            key.as_ref()
                .map_or_else(IdempotencyKey::random, Clone::clone)
                .as_str(),
        );
    form.notes.keep(&mut kept);
    form.step.keep(&mut kept);
    let advice = super::advice::check(form.acknowledge_advice.as_deref());
    let result = match (ThreadTitle::parse(&form.title), PostBody::parse(&form.body)) {
        (Ok(title), Ok(body)) => {
            let keyed = key.map(|key| Keyed::thread(key, &form.community, &title, &body));
            let shown = Some(title.as_str().to_owned());
            let (poster, community) = (user.clone(), form.community.clone());
            let send = |app: Arc<AppState>, written: NewPost| {
                app.start_thread(poster, community, title, written, keyed, advice)
            };
            suggest_or_post(
                &state,
                &mut kept,
                &form.notes,
                &form.step,
                shown,
                body,
                send,
            )
            .await?
        }
        (title, body) => {
            for error in [title.err(), body.err()].into_iter().flatten() {
                form_problem(ctx.lang, error, &mut kept)?;
            }
            Err(Error::invalid("form", "check the form"))
        }
    };
    let status = match next_step(ctx.lang, result, &mut kept, |post| {
        format!("/t/{}", post.thread_id)
    })? {
        Next::Redirect(to) => return Ok(ctx.redirect(&to)),
        Next::FormAgain(status) => status,
    };
    let view = NewThreadPage {
        communities: postable(&state, &user).await?,
        form: kept,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::new_thread(&chrome, &view)))
}
