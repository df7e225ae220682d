//! `/messages`, `/messages/{id}` and `/me/blocks`: private messages and blocks as forms,
//! over `service::messages` and `service::blocks` (the same rules as the API).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::i18n::Lang;
use kindred_web::messages::{
    self as pages, BlockedItem, ConversationItem, ConversationPage, MessageItem, ReviewItem,
};
use kindred_web::FormState;
use serde::Deserialize;

use super::convert::person;
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{ConversationId, MessageId};
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::service::blocks::{self, BlockInput};
use crate::service::messages::review::{self, DecisionInput, ReportInput};
use crate::service::messages::{
    self, ConversationView, MessageChecks, MessageView, NewConversation, NewMessage,
};
use crate::service::page_size;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/messages", web::get().to(list))
        .route("/messages", web::post().to(start))
        .route("/messages/{id}", web::get().to(show))
        .route("/messages/{id}", web::post().to(answer))
        .route("/messages/{id}/mute", web::post().to(mute))
        .route("/messages/report/{message}", web::post().to(report))
        .route("/me/blocks", web::get().to(block_list))
        .route("/me/blocks", web::post().to(block))
        .route("/me/blocks/{username}/delete", web::post().to(unblock))
        .route("/admin/messages", web::get().to(review_list))
        .route("/admin/messages/{id}/decision", web::post().to(decide));
}

/// What the pages read back from the answer to a new conversation or message.
#[derive(Deserialize)]
struct Started {
    conversation: CreatedId,
}

#[derive(Deserialize)]
struct Sent {
    message: CreatedId,
}

#[derive(Deserialize)]
struct CreatedId {
    id: String,
}

#[derive(Deserialize)]
struct CursorQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

/// The other participants' names, as the viewer reads them.
fn others(view: &ConversationView, me: &CurrentUser) -> Vec<String> {
    view.participants
        .iter()
        .filter(|p| p.user.as_ref().is_none_or(|u| u.id != me.id))
        .map(|p| p.name.clone())
        .collect()
}

fn message_item(message: &MessageView, me: &CurrentUser) -> MessageItem {
    let own = message.author.as_ref().is_some_and(|a| a.id == me.id);
    MessageItem {
        id: message.id.to_string(),
        author: message.author.as_ref().map(person),
        body_html: message.body_html.clone(),
        created_at: message.created_at.clone(),
        own,
        held_note: message
            .moderation_note
            .clone()
            .filter(|_| message.status == PostStatus::Held.as_str()),
    }
}

/// A refused form's problem: what the person can fix goes on the form.
fn on_form(lang: Lang, error: Error, form: &mut FormState) -> Result<(), PageError> {
    match error {
        // A held or refused message's note is already in the words of the message.
        Error::Rejected(message) => {
            form.general = Some(message);
            Ok(())
        }
        Error::BadRequest { .. } => {
            form.general = Some(super::general_problem(lang, &error));
            Ok(())
        }
        other => form_problem(lang, other, form),
    }
}

async fn render_list(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    cursor: Option<String>,
    form: &FormState,
    status: StatusCode,
) -> PageResult {
    let me = user.clone();
    let page = state
        .store
        .reading(move |store| messages::list(store, &user, cursor.as_deref(), page_size(None)))
        .await?;
    let items: Vec<ConversationItem> = page
        .items
        .iter()
        .map(|c| ConversationItem {
            id: c.id.to_string(),
            with: others(c, &me),
            unread: c.unread_count,
            muted: c.muted,
            last_message_at: c.last_message_at.clone(),
        })
        .collect();
    let chrome = ctx.chrome();
    Ok(ctx.html_status(
        status,
        pages::conversations(&chrome, &items, page.next_cursor.as_deref(), form),
    ))
}

async fn list(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: CursorQuery = query(&req)?;
    render_list(
        ctx,
        &state,
        user,
        q.cursor,
        &FormState::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    body: String,
}

async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<StartForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let input = NewConversation {
        to: form
            .to
            .split([',', ' '])
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| name.trim_start_matches('@').to_owned())
            .collect(),
        body: form.body.clone(),
    };
    let app = state.clone();
    let who = user.clone();
    let result = state
        .store
        .blocking(move |store| {
            let checks = MessageChecks {
                screener: &app.screener,
                limits: &app.abuse,
            };
            messages::start(store, &checks, &who, input, None)
        })
        .await
        .and_then(|answer| answer.parse::<Started>());
    match result {
        Ok(created) => Ok(ctx.redirect(&format!("/messages/{}", created.conversation.id))),
        Err(error) => {
            let mut kept = FormState::new()
                .with_value("to", form.to)
                .with_value("body", form.body);
            on_form(ctx.lang, error, &mut kept)?;
            render_list(ctx, &state, user, None, &kept, StatusCode::BAD_REQUEST).await
        }
    }
}

fn conversation_id(raw: &str) -> Result<ConversationId, PageError> {
    ConversationId::parse(raw).ok_or_else(|| PageError::from(Error::NotFound))
}

/// How a conversation page is shown: the answer form's state, the status, a notice.
struct Shown<'a> {
    form: &'a FormState,
    status: StatusCode,
    notice: Option<&'a str>,
}

async fn render_conversation(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    id: ConversationId,
    cursor: Option<String>,
    shown: Shown<'_>,
) -> PageResult {
    let me = user.clone();
    let page = state
        .store
        .blocking(move |store| {
            messages::messages(store, &user, id, cursor.as_deref(), page_size(None))
        })
        .await?;
    let view = ConversationPage {
        id: id.to_string(),
        with: others(&page.conversation, &me),
        muted: page.conversation.muted,
        messages: page.items.iter().map(|m| message_item(m, &me)).collect(),
        next_page: page.next_cursor,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(
        shown.status,
        pages::conversation(&chrome, &view, shown.form, shown.notice),
    ))
}

async fn show(req: HttpRequest, state: web::Data<AppState>, path: web::Path<String>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let id = conversation_id(&path.into_inner())?;
    let q: CursorQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("reported") => Some(ctx.lang.t("notice-message-reported")),
        _ => None,
    };
    let form = FormState::new();
    let shown = Shown {
        form: &form,
        status: StatusCode::OK,
        notice: notice.as_deref(),
    };
    render_conversation(ctx, &state, user, id, q.cursor, shown).await
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    body: String,
}

async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AnswerForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = conversation_id(&path.into_inner())?;
    let app = state.clone();
    let who = user.clone();
    let input = NewMessage {
        body: form.body.clone(),
    };
    let result = state
        .store
        .blocking(move |store| {
            let checks = MessageChecks {
                screener: &app.screener,
                limits: &app.abuse,
            };
            messages::send(store, &checks, &who, id, input, None)
        })
        .await
        .and_then(|answer| answer.parse::<Sent>());
    match result {
        Ok(sent) => Ok(ctx.redirect(&format!("/messages/{id}#m{}", sent.message.id))),
        Err(error) => {
            let mut kept = FormState::new().with_value("body", form.body);
            on_form(ctx.lang, error, &mut kept)?;
            let shown = Shown {
                form: &kept,
                status: StatusCode::BAD_REQUEST,
                notice: None,
            };
            render_conversation(ctx, &state, user, id, None, shown).await
        }
    }
}

#[derive(Deserialize)]
struct MuteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    muted: String,
}

async fn mute(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<MuteForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = conversation_id(&path.into_inner())?;
    let muted = form.muted == "on";
    state
        .store
        .blocking(move |store| messages::set_muted(store, &user, id, muted))
        .await?;
    Ok(ctx.redirect(&format!("/messages/{id}")))
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    conversation: String,
    #[serde(default)]
    reason: String,
}

async fn report(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ReportForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let message = MessageId::parse(&path.into_inner()).ok_or(Error::NotFound)?;
    let conversation = conversation_id(&form.conversation)?;
    let input = ReportInput {
        reason: form.reason,
    };
    state
        .store
        .blocking(move |store| review::report(store, &user, message, &input))
        .await?;
    Ok(ctx.redirect(&format!("/messages/{conversation}?notice=reported")))
}

async fn render_blocks(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    form: &FormState,
    status: StatusCode,
    notice: Option<&str>,
) -> PageResult {
    let list = state
        .store
        .reading(move |store| blocks::list(store, &user))
        .await?;
    let items: Vec<BlockedItem> = list
        .items
        .iter()
        .map(|b| BlockedItem {
            person: person(&b.user),
            since: b.since.clone(),
        })
        .collect();
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::blocks(&chrome, &items, form, notice)))
}

async fn block_list(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: CursorQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("blocked") => Some(ctx.lang.t("notice-blocked")),
        Some("unblocked") => Some(ctx.lang.t("notice-unblocked")),
        _ => None,
    };
    render_blocks(
        ctx,
        &state,
        user,
        &FormState::new(),
        StatusCode::OK,
        notice.as_deref(),
    )
    .await
}

#[derive(Deserialize)]
struct BlockForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    username: String,
}

async fn block(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<BlockForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let who = user.clone();
    let input = BlockInput {
        username: form.username.clone(),
    };
    let result = state
        .store
        .blocking(move |store| blocks::block(store, &who, input))
        .await;
    match result {
        Ok(_) => Ok(ctx.redirect("/me/blocks?notice=blocked")),
        Err(error) => {
            let mut kept = FormState::new().with_value("username", form.username);
            match error {
                Error::NotFound => kept.fail("username", ctx.lang.t("form-no-such-member")),
                other => on_form(ctx.lang, other, &mut kept)?,
            }
            render_blocks(ctx, &state, user, &kept, StatusCode::BAD_REQUEST, None).await
        }
    }
}

#[derive(Deserialize)]
struct UnblockForm {
    #[serde(default)]
    csrf_token: String,
}

async fn unblock(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<UnblockForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let username = path.into_inner();
    state
        .store
        .blocking(move |store| blocks::unblock(store, &user, &username))
        .await?;
    Ok(ctx.redirect("/me/blocks?notice=unblocked"))
}

async fn review_list(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let (held, reported) = state
        .store
        .reading(move |store| {
            let held = review::held(store, &user, None, page_size(None))?;
            let reported = review::reports(store, &user, None, page_size(None))?;
            Ok((held, reported))
        })
        .await?;
    let held: Vec<ReviewItem> = held
        .items
        .iter()
        .map(|h| ReviewItem {
            message_id: h.message.id.to_string(),
            author: h.message.author.as_ref().map(person),
            text: h.body.clone(),
            why: h.moderation_note.clone().unwrap_or_default(),
        })
        .collect();
    let reported: Vec<ReviewItem> = reported
        .items
        .iter()
        .map(|r| ReviewItem {
            message_id: r.message_id.to_string(),
            author: r.author.as_ref().map(person),
            text: r.message_text.clone(),
            why: format!("Reported: {}", r.reason),
        })
        .collect();
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::review(&chrome, &held, &reported)))
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    action: String,
}

async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let message = MessageId::parse(&path.into_inner()).ok_or(Error::NotFound)?;
    let input = DecisionInput {
        action: form.action,
    };
    state
        .store
        .blocking(move |store| review::decide(store, &user, message, &input))
        .await?;
    Ok(ctx.redirect("/admin/messages"))
}
