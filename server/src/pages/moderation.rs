//! Moderators' pages: the queue with its decision forms, a community's moderation log, and
//! its members (approve requests, add, ban, lift bans).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use kindred_web::i18n::Lang;
use kindred_web::model::{MembersPage, ModLogEntry, ModLogPage, QueueItem, QueuePage};
use kindred_web::{pages, FormState};
use serde::Deserialize;

use super::convert::{detail_card, person, post};
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::domain::community::MembershipState;
use crate::domain::current_user::CurrentUser;
use crate::domain::moderation::{Decision, ModerationText, Sanction};
use crate::error::Error;
use crate::plain_words;
use crate::service::care;
use crate::service::moderation::{self, DecisionInput, QueueItemView};
use crate::service::{communities, last_event_id, page_size};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/mod/queue", web::get().to(queue))
        .route("/mod/queue/{id}/decision", web::post().to(decide))
        .route("/c/{slug}/modlog", web::get().to(modlog))
        .route("/c/{slug}/members", web::get().to(members))
        .route("/c/{slug}/members", member_route(MemberAction::Add))
        .route("/c/{slug}/bans", member_route(MemberAction::Ban))
        .route("/c/{slug}/unban", member_route(MemberAction::Unban));
}

#[derive(Deserialize)]
struct QueueQuery {
    community: Option<String>,
    cursor: Option<String>,
    notice: Option<String>,
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn queue_item(item: &QueueItemView) -> QueueItem {
    let labels = strings(&item.labels);
    QueueItem {
        // The community's default reason when its moderators chose one, else the plain
        // words for the item's label.
        default_remove_reason: item
            .removal_reasons
            .iter()
            .find(|r| r.is_default)
            .map_or_else(
                || plain_words::default_remove_reason(&labels).to_owned(),
                |r| r.text.clone(),
            ),
        removal_reasons: item
            .removal_reasons
            .iter()
            .map(|r| r.text.clone())
            .collect(),
        author_history: item
            .author_history
            .as_ref()
            .map(plain_words::author_history),
        id: item.id.clone(),
        community: item.community.clone(),
        source: item.source.clone(),
        labels: labels
            .iter()
            .map(|label| plain_words::label_words(label).to_owned())
            .collect(),
        reasons: plain_words::moderator_reasons(&item.reasons),
        post: post(&item.post, None),
        post_source: item.post_source.clone(),
        thread_title: item.thread_title.clone(),
        thread_id: item.post.thread_id.0.to_string(),
        reports: item
            .reports
            .iter()
            .map(|r| (r.reporter.as_ref().map(person), r.reason.clone()))
            .collect(),
        created_at: item.created_at.clone(),
    }
}

async fn render_queue(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    q: QueueQuery,
    failed: Option<(String, FormState)>,
) -> PageResult {
    let (community, cursor) = (q.community.clone(), q.cursor.clone());
    let result = state
        .store
        .reading(move |store| {
            let last_event_id = last_event_id(store)?;
            let page = moderation::queue(
                store,
                &user,
                community.as_deref(),
                cursor.as_deref(),
                page_size(Some(50)),
            )?;
            // Members who may be at risk head the first page only.
            let wellbeing = match cursor {
                None => care::queue(store, &user, community.as_deref())?,
                Some(_) => Vec::new(),
            };
            let appeals = match &cursor {
                None => moderation::open_appeals(store, &user, community.as_deref())?,
                Some(_) => Vec::new(),
            };
            let slugs = match community {
                Some(slug) => vec![slug],
                None => moderation::moderated_slugs(store, &user)?,
            };
            Ok::<_, Error>((page, (wellbeing, appeals), slugs, last_event_id))
        })
        .await;
    let (page, (wellbeing, appeals), slugs, last_event_id) = match result {
        Ok(found) => found,
        Err(Error::Forbidden { .. }) => {
            return Err(PageError::from(Error::forbidden(
                "not_moderator",
                "The moderation queue is for the moderators of a community.",
            )))
        }
        Err(other) => return Err(PageError::from(other)),
    };
    let status = if failed.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let view = QueuePage {
        wellbeing: wellbeing.iter().map(super::care::wellbeing_entry).collect(),
        appeals: appeals.iter().map(super::duty::appeal_entry).collect(),
        items: page.items.iter().map(queue_item).collect(),
        next_cursor: page.next_cursor,
        notice: match q.notice.as_deref() {
            Some("decided") => Some(ctx.lang.t("notice-decided")),
            Some("reached_out") => Some(ctx.lang.t("notice-reached-out")),
            _ => None,
        },
        failed,
        live_topics: slugs.iter().map(|slug| format!("mod:{slug}")).collect(),
        last_event_id: last_event_id.to_string(),
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::queue(&chrome, &view)))
}

async fn queue(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: QueueQuery = query(&req)?;
    render_queue(ctx, &state, user, q, None).await
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    sanction: String,
    #[serde(default)]
    days: String,
}

fn decision_input(lang: Lang, form: &DecisionForm, kept: &mut FormState) -> Option<DecisionInput> {
    let mut fail = |error: Error| {
        if let Error::Invalid { field, message } = error {
            kept.fail(field, super::field_problem(lang, field, &message));
        }
    };
    let decision = Decision::parse(&form.action).map_err(&mut fail).ok();
    let reason = ModerationText::reason(&form.reason).map_err(&mut fail).ok();
    let note = match form.note.trim() {
        "" => Some(None),
        note => ModerationText::note(note).map(Some).map_err(&mut fail).ok(),
    };
    let sanction = match form.sanction.as_str() {
        "" => Some(None),
        kind => {
            let days = match form.days.trim() {
                "" => None,
                days => days.parse::<i64>().ok().or(Some(0)),
            };
            Sanction::parse(kind, days)
                .map(Some)
                .map_err(&mut fail)
                .ok()
        }
    };
    Some(DecisionInput {
        decision: decision?,
        reason: Some(reason?),
        note: note?,
        sanction: sanction?,
    })
}

async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let raw_id = path.into_inner();
    let item_id = raw_id.parse::<i64>().map_err(|_| Error::NotFound)?;
    let mut kept = FormState::new()
        .with_value("action", form.action.clone())
        .with_value("reason", form.reason.clone())
        .with_value("note", form.note.clone())
        .with_value("sanction", form.sanction.clone())
        .with_value("days", form.days.clone());
    if let Some(input) = decision_input(ctx.lang, &form, &mut kept) {
        let moderator = user.clone();
        match state
            .store
            .blocking(move |store| moderation::decide(store, &moderator, item_id, input))
            .await
        {
            Ok(_) => return Ok(ctx.redirect("/mod/queue?notice=decided")),
            Err(error) => form_problem(ctx.lang, error, &mut kept)?,
        }
    }
    let q = QueueQuery {
        community: None,
        cursor: None,
        notice: None,
    };
    render_queue(ctx, &state, user, q, Some((raw_id, kept))).await
}

#[derive(Deserialize)]
struct CursorQuery {
    cursor: Option<String>,
}

async fn modlog(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let q: CursorQuery = query(&req)?;
    let slug = path.into_inner();
    let user = ctx.user.clone();
    let (detail, log) = state
        .store
        .reading(move |store| {
            let detail = communities::get(store, user.as_ref(), &slug)?;
            let log = moderation::modlog(
                store,
                user.as_ref(),
                &slug,
                q.cursor.as_deref(),
                page_size(Some(50)),
            )?;
            Ok((detail, log))
        })
        .await?;
    let view = ModLogPage {
        community: detail_card(&detail),
        entries: log
            .items
            .iter()
            .map(|e| ModLogEntry {
                action: e.action.clone(),
                reason: e.reason.clone(),
                sanction: e.sanction.clone(),
                created_at: e.created_at.clone(),
                moderator: e.moderator.as_ref().map(person),
                target: e.target_user.as_ref().map(person),
                note: e.note.clone(),
            })
            .collect(),
        next_cursor: log.next_cursor,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::modlog(&chrome, &view)))
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn render_members(
    ctx: Ctx,
    state: &web::Data<AppState>,
    user: CurrentUser,
    slug: String,
    form: FormState,
    notice: Option<String>,
) -> PageResult {
    let (detail, pending, active, banned) = state
        .store
        .reading(move |store| {
            let list = |state: MembershipState| {
                communities::members(store, &user, &slug, state, None, 100)
            };
            let pending = list(MembershipState::Pending)?;
            let active = list(MembershipState::Active)?;
            let banned = list(MembershipState::Banned)?;
            let detail = communities::get(store, Some(&user), &slug)?;
            Ok((detail, pending, active, banned))
        })
        .await?;
    let rows = |page: &crate::service::views::Page<crate::service::views::MemberView>| {
        page.items
            .iter()
            .map(|m| (person(&m.user), m.role.as_str().to_owned()))
            .collect::<Vec<_>>()
    };
    let status = if form.has_errors() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let view = MembersPage {
        community: detail_card(&detail),
        pending: rows(&pending),
        active: rows(&active),
        banned: rows(&banned),
        form,
        notice,
    };
    let chrome = ctx.chrome();
    Ok(ctx.html_status(status, pages::members(&chrome, &view)))
}

async fn members(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("added") => Some(ctx.lang.t("notice-member-added")),
        Some("banned") => Some(ctx.lang.t("notice-member-banned")),
        Some("unbanned") => Some(ctx.lang.t("notice-ban-lifted")),
        _ => None,
    };
    render_members(
        ctx,
        &state,
        user,
        path.into_inner(),
        FormState::new(),
        notice,
    )
    .await
}

#[derive(Deserialize)]
struct UsernameForm {
    #[serde(default)]
    csrf_token: String,
    username: String,
}

#[derive(Clone, Copy)]
enum MemberAction {
    Add,
    Ban,
    Unban,
}

async fn member_action(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    form: UsernameForm,
    action: MemberAction,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (moderator, target, username) = (user.clone(), slug.clone(), form.username.clone());
    let result = state
        .store
        .blocking(move |store| match action {
            MemberAction::Add => {
                communities::add_member(store, &moderator, &target, username.trim()).map(|_| ())
            }
            MemberAction::Ban => {
                communities::ban(store, &moderator, &target, username.trim()).map(|_| ())
            }
            MemberAction::Unban => communities::unban(store, &moderator, &target, username.trim()),
        })
        .await;
    let notice = match action {
        MemberAction::Add => "added",
        MemberAction::Ban => "banned",
        MemberAction::Unban => "unbanned",
    };
    match result {
        Ok(()) => Ok(ctx.redirect(&format!("/c/{slug}/members?notice={notice}"))),
        Err(Error::NotFound) if !form.username.trim().is_empty() => {
            let mut kept = FormState::new().with_value("username", form.username);
            kept.fail("username", ctx.lang.t("form-no-such-member"));
            render_members(ctx, &state, user, slug, kept, None).await
        }
        Err(error) => {
            let mut kept = FormState::new().with_value("username", form.username);
            form_problem(ctx.lang, error, &mut kept)?;
            render_members(ctx, &state, user, slug, kept, None).await
        }
    }
}

/// The route of one member action: adding, banning and lifting a ban differ only in what
/// they ask the service.
fn member_route(action: MemberAction) -> actix_web::Route {
    web::post().to(
        move |req: HttpRequest,
              state: web::Data<AppState>,
              path: web::Path<String>,
              form: web::Form<UsernameForm>| {
            member_action(req, state, path.into_inner(), form.into_inner(), action)
        },
    )
}
