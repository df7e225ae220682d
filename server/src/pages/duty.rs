//! Bereavement, appeals and clinician context (issue 19) as forms: context notes under a
//! post, the appeal next to a removal, appeal decisions from the queue, and the admins'
//! `/admin/members` page for memorials and clinicians. Templates in `kindred_web::duty`.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_web::duty::{self as templates, AppealEntry, MembersAdminPage};
use kindred_web::FormState;
use serde::Deserialize;

use super::admin::{admin_form, load_admin, NoticeQuery};
use super::convert::{person, post};
use super::forum::{thread_and_post, thread_with_problem};
use super::{form_problem, query, Ctx, PageError, PageResult};
use crate::domain::current_user::CurrentUser;
use crate::domain::duty::{AppealOutcome, AppealText, ClinicianRole, NoteText};
use crate::error::Error;
use crate::service::moderation::{self, AppealQueueItem, AppealTarget};
use crate::service::views::PostView;
use crate::service::{bereavement, context_notes};
use crate::state::AppState;
use crate::store::{DbConnection, Store};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{thread}/p/{post}/context", web::post().to(add_note))
        .route("/context-notes/{id}", web::post().to(edit_note))
        .route("/context-notes/{id}/remove", web::post().to(remove_note))
        .route("/t/{thread}/p/{post}/appeal", web::post().to(appeal))
        .route("/mod/appeals/{id}/decision", web::post().to(decide_appeal))
        .route("/admin/members", web::get().to(members))
        .route("/admin/members/memorial", web::post().to(memorial))
        .route("/admin/members/clinician", web::post().to(clinician));
}

/// What a thread page needs beyond its posts: whether the reader may add context notes
/// (`moderator` is already known), and which of their removed posts they may appeal.
pub(super) struct ThreadExtras {
    pub can_add_context: bool,
    pub appealable: HashSet<i64>,
}

pub(super) fn thread_extras(
    store: &Store,
    user: Option<&CurrentUser>,
    posts: &[PostView],
) -> Result<ThreadExtras, Error> {
    let Some(user) = user else {
        return Ok(ThreadExtras {
            can_add_context: false,
            appealable: HashSet::new(),
        });
    };
    let own_removed: Vec<i64> = posts
        .iter()
        .filter(|p| {
            p.status == crate::domain::post::PostStatus::Removed
                && p.author.as_ref().is_some_and(|a| a.id == user.id)
        })
        .map(|p| p.id.0)
        .collect();
    store.read(|conn: &mut DbConnection| {
        Ok(ThreadExtras {
            can_add_context: bereavement::clinician_role(conn, user.id.0)?.is_some(),
            appealable: moderation::appealable_posts(conn, user.id.0, &own_removed)?,
        })
    })
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf_token: String,
    body: String,
}

async fn add_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<NoteForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let outcome = match NoteText::parse(&form.body) {
        Ok(text) => {
            state
                .store
                .blocking(move |store| context_notes::add(store, &user, post_id, &text))
                .await
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(note) => Ok(ctx.redirect(&format!("/p/{post_id}?notice=saved#n{}", note.id))),
        Err(error @ (Error::Invalid { .. } | Error::Forbidden { .. })) => {
            thread_with_problem(ctx, &state, thread, error, "Your note was not added").await
        }
        Err(other) => Err(PageError::from(other)),
    }
}

fn note_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError::from(Error::NotFound))
}

async fn edit_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<NoteForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = note_id(&path.into_inner())?;
    let text = NoteText::parse(&form.body).map_err(PageError::from)?;
    let note = state
        .store
        .blocking(move |store| context_notes::edit(store, &user, id, &text))
        .await?;
    Ok(ctx.redirect(&format!("/p/{}?notice=saved#n{}", note.post_id.0, note.id)))
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

async fn remove_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = note_id(&path.into_inner())?;
    let post_id = state
        .store
        .blocking(move |store| {
            let post_id = store.read(|conn| context_notes::post_of(conn, id))?;
            context_notes::remove(store, &user, id)?;
            Ok(post_id)
        })
        .await?;
    Ok(ctx.redirect(&format!("/p/{post_id}?notice=saved")))
}

#[derive(Deserialize)]
struct AppealForm {
    #[serde(default)]
    csrf_token: String,
    text: String,
}

async fn appeal(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<AppealForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let (thread, post_id) = thread_and_post(path.into_inner())?;
    let outcome = match AppealText::parse(&form.text) {
        Ok(text) => {
            state
                .store
                .blocking(move |store| {
                    moderation::appeal(store, &user, AppealTarget::Post(post_id), &text)
                })
                .await
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(_) => Ok(ctx.redirect(&format!("/p/{post_id}?notice=appealed"))),
        Err(error @ (Error::Invalid { .. } | Error::Conflict(_))) => {
            thread_with_problem(ctx, &state, thread, error, "Your appeal was not sent").await
        }
        Err(other) => Err(PageError::from(other)),
    }
}

#[derive(Deserialize)]
struct AppealDecisionForm {
    #[serde(default)]
    csrf_token: String,
    outcome: String,
}

async fn decide_appeal(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AppealDecisionForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let id = note_id(&path.into_inner())?;
    let outcome = AppealOutcome::parse(&form.outcome).map_err(PageError::from)?;
    state
        .store
        .blocking(move |store| moderation::decide_appeal(store, &user, id, outcome, None))
        .await?;
    Ok(ctx.redirect("/mod/queue?notice=decided"))
}

/// An open appeal as the queue page shows it.
pub(super) fn appeal_entry(item: &AppealQueueItem) -> AppealEntry {
    let a = &item.appeal;
    let decision = match (a.action.as_str(), a.sanction.as_deref()) {
        ("remove", Some(sanction)) => format!("post removed, and {}", sanction_words(sanction)),
        ("remove", None) => "post removed".to_owned(),
        (_, Some(sanction)) => sanction_words(sanction),
        (action, None) => action.to_owned(),
    };
    AppealEntry {
        id: a.id.clone(),
        community: a.community.clone(),
        appellant: item.appellant.as_ref().map(person),
        decided_by: item.decided_by.as_ref().map(person),
        decision,
        reason: item.reason.clone(),
        text: a.text.clone(),
        thread_id: item.post.as_ref().map(|p| p.thread_id.0.to_string()),
        post: item.post.as_ref().map(|p| post(p, None)),
        can_decide: item.can_decide,
        created_at: a.created_at.clone(),
    }
}

fn sanction_words(sanction: &str) -> String {
    match sanction {
        "warn" => "warned".to_owned(),
        "ban" => "banned".to_owned(),
        other => other.replacen("suspend", "suspended for", 1),
    }
}

fn render_members(ctx: Ctx, view: &MembersAdminPage, failed: bool) -> HttpResponse {
    let chrome = ctx.chrome();
    let status = if failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    ctx.html_status(status, templates::members_admin(&chrome, view))
}

async fn members(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let (ctx, _) = load_admin(&req, &state).await?;
    let q: NoticeQuery = query(&req)?;
    let notice = match q.notice.as_deref() {
        Some("memorialised") => Some(ctx.lang.t("form-notice-memorialised")),
        Some("reversed") => Some(ctx.lang.t("form-notice-memorial-reversed")),
        Some("clinician") => Some(ctx.lang.t("form-notice-saved")),
        _ => None,
    };
    let view = MembersAdminPage {
        notice,
        memorial: FormState::new(),
        clinician: FormState::new(),
    };
    Ok(render_members(ctx, &view, false))
}

#[derive(Deserialize)]
struct MemorialForm {
    #[serde(default)]
    csrf_token: String,
    username: String,
    /// `memorialise` or `reverse`: the button pressed.
    action: String,
}

async fn memorial(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<MemorialForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let mut kept = FormState::new().with_value("username", form.username.clone());
    let username = form.username.trim().to_owned();
    let memorialise = form.action != "reverse";
    let outcome = state
        .store
        .blocking(move |store| {
            if memorialise {
                bereavement::memorialise(store, &user, &username)
            } else {
                bereavement::unmemorialise(store, &user, &username)
            }
        })
        .await;
    match outcome {
        Ok(view) if view.memorialised => {
            return Ok(ctx.redirect("/admin/members?notice=memorialised"))
        }
        Ok(_) => return Ok(ctx.redirect("/admin/members?notice=reversed")),
        Err(Error::NotFound) => kept.fail("username", ctx.lang.t("form-no-such-member")),
        Err(error) => form_problem(ctx.lang, error, &mut kept)?,
    }
    let view = MembersAdminPage {
        notice: None,
        memorial: kept,
        clinician: FormState::new(),
    };
    Ok(render_members(ctx, &view, true))
}

#[derive(Deserialize)]
struct ClinicianForm {
    #[serde(default)]
    csrf_token: String,
    /// The member's username (named apart from the memorial form's field, whose id it
    /// would share on the page).
    member: String,
    #[serde(default)]
    role: String,
}

async fn clinician(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ClinicianForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = admin_form(&req, &state, &form.csrf_token).await?;
    let mut kept = FormState::new()
        .with_value("member", form.member.clone())
        .with_value("role", form.role.clone());
    let username = form.member.trim().to_owned();
    let role = form.role.trim().to_owned();
    let outcome = state
        .store
        .blocking(move |store| {
            if role.is_empty() {
                bereavement::withdraw_clinician(store, &user, &username)
            } else {
                let role = ClinicianRole::parse(&role)?;
                bereavement::verify_clinician(store, &user, &username, &role).map(|_| ())
            }
        })
        .await;
    match outcome {
        Ok(()) => return Ok(ctx.redirect("/admin/members?notice=clinician")),
        Err(Error::NotFound) => kept.fail("member", ctx.lang.t("form-no-such-clinician")),
        Err(error) => form_problem(ctx.lang, error, &mut kept)?,
    }
    let view = MembersAdminPage {
        notice: None,
        memorial: FormState::new(),
        clinician: kept,
    };
    Ok(render_members(ctx, &view, true))
}
