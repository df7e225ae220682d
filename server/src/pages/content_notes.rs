//! Content notes on the pages (issue 19): the boxes of the posting forms (`NoteBoxes`),
//! a member's choice at `/me/content-notes` and a community's defaults at
//! `/c/{slug}/content-notes` (its moderators), over `service::content_notes`.

use actix_web::{web, HttpRequest};
use kindred_web::content_notes as templates;
use kindred_web::FormState;
use serde::Deserialize;

use super::{query, Ctx, PageResult};
use crate::domain::content_note::{ContentNote, ContentNotes};
use crate::error::Error;
use crate::service::content_notes;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/content-notes", web::get().to(member_form))
        .route("/me/content-notes", web::post().to(save_member))
        .route("/c/{slug}/content-notes", web::get().to(community_form))
        .route("/c/{slug}/content-notes", web::post().to(save_community));
}

/// The content-note boxes of a posting form (`note_{name}`, `on` when ticked), flattened
/// into the form's own fields.
#[derive(Debug, Default, Deserialize)]
pub struct NoteBoxes {
    #[serde(default, rename = "note_end_of_life")]
    end_of_life: Option<String>,
    #[serde(default, rename = "note_recurrence")]
    recurrence: Option<String>,
    #[serde(default, rename = "note_death_and_loss")]
    death_and_loss: Option<String>,
    #[serde(default, rename = "note_graphic_medical")]
    graphic_medical: Option<String>,
    #[serde(default, rename = "note_self_harm")]
    self_harm: Option<String>,
}

impl NoteBoxes {
    fn ticked(&self) -> [(ContentNote, bool); 5] {
        let on = |value: Option<&str>| value == Some("on");
        [
            (ContentNote::EndOfLife, on(self.end_of_life.as_deref())),
            (ContentNote::Recurrence, on(self.recurrence.as_deref())),
            (
                ContentNote::DeathAndLoss,
                on(self.death_and_loss.as_deref()),
            ),
            (
                ContentNote::GraphicMedical,
                on(self.graphic_medical.as_deref()),
            ),
            (ContentNote::SelfHarm, on(self.self_harm.as_deref())),
        ]
    }

    /// The ticked notes.
    pub fn notes(&self) -> ContentNotes {
        ContentNotes::from_notes(
            self.ticked()
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(note, _)| note),
        )
    }

    /// Keeps the ticks in a form shown again.
    pub fn keep(&self, form: &mut FormState) {
        for (note, on) in self.ticked() {
            if on {
                form.set_value(&templates::note_field(note.as_str()), "on");
            }
        }
    }
}

/// The suggestion step of a posting form without JavaScript: a post submitted with no
/// note that screening would mark comes back once with the suggested boxes ticked, to
/// post with them, change them, or post without a note. Never applied silently.
#[derive(Debug, Default, Deserialize)]
pub struct SuggestionStep {
    /// Present once the suggestion was shown, so it is made once.
    #[serde(default)]
    notes_suggested: Option<String>,
    /// "Post without a note": the author declines the suggestion (and any ticked box).
    #[serde(default)]
    post_without_notes: Option<String>,
}

fn present(field: Option<&str>) -> bool {
    field.is_some_and(|v| !v.is_empty() && v != "false")
}

impl SuggestionStep {
    /// The notes to post with: the ticked boxes, none if the author declined.
    pub fn notes(&self, boxes: &NoteBoxes) -> ContentNotes {
        if present(self.post_without_notes.as_deref()) {
            ContentNotes::default()
        } else {
            boxes.notes()
        }
    }

    /// Whether to look for a suggestion: nothing ticked, not declined, not shown before.
    fn to_ask(&self, boxes: &NoteBoxes) -> bool {
        !present(self.notes_suggested.as_deref())
            && !present(self.post_without_notes.as_deref())
            && boxes.notes().is_empty()
    }

    /// Keeps "the suggestion was shown" in a form shown again (say, for the advice nudge).
    pub fn keep(&self, form: &mut FormState) {
        if present(self.notes_suggested.as_deref()) {
            form.set_value(templates::SUGGESTION_SHOWN_FIELD, "true");
        }
    }

    /// The notes screening suggests for this post when the step applies (on the blocking
    /// pool: it runs the self-harm screen); empty when the form goes on to post
    /// (`content_notes::suggest_at_submit`).
    pub async fn suggestion(
        &self,
        state: &web::Data<AppState>,
        boxes: &NoteBoxes,
        title: Option<String>,
        body: &str,
    ) -> Result<ContentNotes, Error> {
        if !self.to_ask(boxes) {
            return Ok(ContentNotes::default());
        }
        let app = state.clone();
        let body = body.to_owned();
        state
            .store
            .blocking(move |_| {
                Ok(content_notes::suggest_at_submit(
                    &app.screener,
                    title.as_deref(),
                    &body,
                ))
            })
            .await
    }
}

/// Puts a suggestion in the form shown again: the words above the boxes, the boxes
/// ticked, and the mark that it was shown.
pub fn offer(form: &mut FormState, suggested: &ContentNotes) {
    let names: Vec<&str> = suggested.as_slice().iter().map(|n| n.as_str()).collect();
    form.set_value(templates::SUGGESTED_FIELD, names.join(","));
    for note in suggested.as_slice() {
        form.set_value(&templates::note_field(note.as_str()), "on");
    }
    form.set_value(templates::SUGGESTION_SHOWN_FIELD, "true");
}

/// The settings forms' boxes (`collapse_{name}`).
#[derive(Deserialize)]
struct CollapseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    collapse_end_of_life: Option<String>,
    #[serde(default)]
    collapse_recurrence: Option<String>,
    #[serde(default)]
    collapse_death_and_loss: Option<String>,
    #[serde(default)]
    collapse_graphic_medical: Option<String>,
    #[serde(default)]
    collapse_self_harm: Option<String>,
}

impl CollapseForm {
    fn notes(&self) -> ContentNotes {
        let on = |value: Option<&str>| value == Some("on");
        ContentNotes::from_notes(
            [
                (
                    ContentNote::EndOfLife,
                    on(self.collapse_end_of_life.as_deref()),
                ),
                (
                    ContentNote::Recurrence,
                    on(self.collapse_recurrence.as_deref()),
                ),
                (
                    ContentNote::DeathAndLoss,
                    on(self.collapse_death_and_loss.as_deref()),
                ),
                (
                    ContentNote::GraphicMedical,
                    on(self.collapse_graphic_medical.as_deref()),
                ),
                (
                    ContentNote::SelfHarm,
                    on(self.collapse_self_harm.as_deref()),
                ),
            ]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(note, _)| note),
        )
    }
}

fn form_of(collapse: &[ContentNote]) -> FormState {
    let mut form = FormState::new();
    for note in collapse {
        form.set_value(&format!("collapse_{}", note.as_str()), "on");
    }
    form
}

#[derive(Deserialize)]
struct SavedQuery {
    notice: Option<String>,
}

async fn member_form(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: SavedQuery = query(&req)?;
    let choice = state
        .store
        .reading(move |store| content_notes::mine(store, &user))
        .await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(templates::member_settings(
        &chrome,
        &form_of(&choice.collapse),
        choice.chosen,
        q.notice.as_deref() == Some("saved"),
    )))
}

async fn save_member(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CollapseForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let collapse = form.notes();
    state
        .store
        .blocking(move |store| content_notes::set_mine(store, &user, &collapse))
        .await?;
    Ok(ctx.redirect("/me/content-notes?notice=saved"))
}

async fn community_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let slug = path.into_inner();
    let q: SavedQuery = query(&req)?;
    let defaults = state
        .store
        .reading(move |store| {
            let community = crate::service::communities::get(store, Some(&user), &slug)?;
            let moderates = crate::service::access::viewer_moderates(
                Some(&user),
                community.membership.as_ref(),
            );
            if !moderates {
                return Err(crate::error::Error::forbidden(
                    "not_moderator",
                    "only this community's moderators can do that",
                ));
            }
            content_notes::community_defaults(store, Some(&user), &slug)
        })
        .await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(templates::community_settings(
        &chrome,
        &defaults.community,
        &form_of(&defaults.collapse),
        q.notice.as_deref() == Some("saved"),
    )))
}

async fn save_community(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<CollapseForm>,
) -> PageResult {
    let form = form.into_inner();
    let (ctx, user) = Ctx::member_form(&req, &state, &form.csrf_token).await?;
    let slug = path.into_inner();
    let collapse = form.notes();
    let saved = state
        .store
        .blocking(move |store| {
            content_notes::set_community_defaults(store, &user, &slug, &collapse)
        })
        .await?;
    Ok(ctx.redirect(&format!(
        "/c/{}/content-notes?notice=saved",
        saved.community
    )))
}

#[cfg(test)]
mod tests {
    use crate::domain::content_note::ContentNote;

    #[test]
    fn the_pages_list_the_same_notes_as_the_domain() {
        let pages: Vec<(&str, &str)> = kindred_web::content_notes::CONTENT_NOTES.to_vec();
        let domain: Vec<(&str, &str)> = ContentNote::ALL
            .iter()
            .map(|n| (n.as_str(), n.label()))
            .collect();
        assert_eq!(pages, domain);
    }
}
