//! `/notifications`: the member's notifications, and marking them read.

use actix_web::{web, HttpRequest};
use kindred_web::i18n::Lang;
use kindred_web::model::{NotificationItem, NotificationsPage, SurveyNoticeItem};
use kindred_web::pages;
use serde::Deserialize;

use super::{query, Ctx, PageResult};
use crate::domain::notification::NotificationKind;
use crate::service::notifications::{self, NotificationView};
use crate::service::page_size;
use crate::state::AppState;
use crate::store::notifications::ReadSelection;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/notifications", web::get().to(list))
        .route("/notifications/read", web::post().to(mark_all_read));
}

#[derive(Deserialize)]
struct ListQuery {
    cursor: Option<String>,
    notice: Option<String>,
}

async fn list(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: ListQuery = query(&req)?;
    let cursor = q.cursor.clone();
    let page = state
        .store
        .reading(move |store| notifications::list(store, &user, cursor.as_deref(), page_size(None)))
        .await?;
    let view = NotificationsPage {
        items: page.items.iter().map(|n| item(ctx.lang, n)).collect(),
        surveys: page
            .surveys
            .into_iter()
            .map(|s| SurveyNoticeItem {
                survey_id: s.survey_id,
                community_name: s.community_name,
                title: s.title,
                closes_at: s.closes_at,
            })
            .collect(),
        unread: page.unread_count,
        older: page.next_cursor.map(|c| format!("cursor={c}")),
        notice: (q.notice.as_deref() == Some("read")).then(|| ctx.lang.t("notice-all-read")),
    };
    let chrome = ctx.chrome();
    Ok(ctx.html(pages::notifications(&chrome, &view)))
}

#[derive(Deserialize)]
struct ReadForm {
    #[serde(default)]
    csrf_token: String,
}

async fn mark_all_read(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ReadForm>,
) -> PageResult {
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    state
        .store
        .blocking(move |store| notifications::mark_read(store, &user, ReadSelection::All))
        .await?;
    Ok(ctx.redirect("/notifications?notice=read"))
}

/// What happened, in words a tired reader takes in at a glance.
pub fn item(lang: Lang, view: &NotificationView) -> NotificationItem {
    let who = view.actor.as_ref().map_or_else(
        || lang.t("notification-former-member"),
        |a| a.display_name.clone(),
    );
    let said = |key: &str| lang.t_args(key, &[("who", who.clone().into())]);
    let summary = match view.kind {
        NotificationKind::Mention => said("notification-mention"),
        NotificationKind::ReplyToPost => said("notification-reply-to-post"),
        NotificationKind::ReplyToThread => said("notification-reply-to-thread"),
        NotificationKind::WatchedThread => said("notification-watched-thread"),
        NotificationKind::ContextNote => said("notification-context-note"),
        NotificationKind::ModerationOutcome => lang.t("notification-reviewed"),
        // "3 people are with you on your post": the sentence is the whole message.
        NotificationKind::ReactionWithYou
        | NotificationKind::ReactionThankYou
        | NotificationKind::ReactionMeToo
        | NotificationKind::ReactionHelpful => view
            .detail
            .clone()
            .unwrap_or_else(|| lang.t("notification-reacted")),
    };
    let reaction = view.kind.is_reaction();
    NotificationItem {
        id: view.id.clone(),
        summary,
        thread_id: view.thread_id.0.to_string(),
        post_id: view.post_id.0.to_string(),
        thread_title: view.thread_title.clone(),
        community: view.community.clone(),
        excerpt: view.excerpt.clone(),
        folded: (!view.folded_by.is_empty()).then(|| {
            let notes: Vec<String> = view
                .folded_by
                .iter()
                .map(|note| lang.t(&format!("note-{}", note.as_str().replace('_', "-"))))
                .collect();
            lang.t_args(
                "care3-notification-folded",
                &[("notes", notes.join(", ").into())],
            )
        }),
        detail: view.detail.clone().filter(|_| !reaction),
        created_at: view.created_at.clone(),
        unread: !view.read,
    }
}
