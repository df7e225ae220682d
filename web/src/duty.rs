//! Bereavement, appeals and clinician context (issue 19) on the pages: context notes
//! under a post (and the form to add one), the appeal form next to a decision, the open
//! appeals in the moderators' queue, and the admins' page for memorials and clinicians.
//! Everything works without JavaScript.

use maud::{html, Markup, PreEscaped};

use crate::layout::{csrf, form_errors_in, notice, page, person_in, text_field, time, Attrs};
use crate::model::{Chrome, FormState, Person, PostItem};

/// Longest context note, in characters (the server checks it too).
pub const NOTE_MAX_CHARS: u32 = 500;
/// Longest appeal, in characters.
pub const APPEAL_MAX_CHARS: u32 = 1000;

/// A context note under a post.
#[derive(Debug, Clone)]
pub struct ContextNoteItem {
    pub id: String,
    /// The writer's role ("oncology nurse", "moderator").
    pub label: String,
    pub writer: Option<Person>,
    /// Sanitised HTML.
    pub body_html: String,
    /// The markdown, when the reader may edit the note.
    pub source: Option<String>,
    pub created_at: String,
    pub edited: bool,
}

/// An open appeal in the moderators' queue.
#[derive(Debug, Clone)]
pub struct AppealEntry {
    pub id: String,
    pub community: String,
    pub appellant: Option<Person>,
    pub decided_by: Option<Person>,
    /// The decision in words ("removed the post", "warned", …).
    pub decision: String,
    pub reason: String,
    pub text: String,
    /// The post as moderators see it; `None` when the decision had none.
    pub post: Option<PostItem>,
    /// The post's thread, to link to.
    pub thread_id: Option<String>,
    pub can_decide: bool,
    pub created_at: String,
}

/// `/admin/members`: memorials and clinician verification.
#[derive(Debug, Clone)]
pub struct MembersAdminPage {
    pub notice: Option<String>,
    pub memorial: FormState,
    pub clinician: FormState,
}

/// "A" or "an" before a role (the English catalogue uses it; others may ignore it).
fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The notes under a post, and the form to add one for readers who may.
pub fn context_notes(chrome: &Chrome, post: &PostItem) -> Markup {
    html! {
        @if !post.context_notes.is_empty() {
            div.context-notes {
                @for note in &post.context_notes {
                    aside.context-note id={ "n" (note.id) } aria-labelledby={ "nl" (note.id) } {
                        p.context-label id={ "nl" (note.id) } {
                            strong { (chrome.t_args("duty-context-from", &[("article", article(&note.label).into()), ("label", note.label.clone().into())])) }
                            " · " (person_in(chrome.lang, note.writer.as_ref())) " · " (time(chrome, &note.created_at))
                            @if note.edited { " · " (chrome.t("post-edited")) }
                        }
                        div.post-body { (PreEscaped(&note.body_html)) }
                        @if let Some(source) = &note.source {
                            details {
                                summary { (chrome.t("duty-edit-note")) }
                                form method="post" action={ "/context-notes/" (note.id) } {
                                    (csrf(chrome))
                                    label for={ "ne" (note.id) } { (chrome.t("duty-note")) }
                                    textarea id={ "ne" (note.id) } name="body" rows="3" required maxlength=(NOTE_MAX_CHARS) { (source) }
                                    button type="submit" { (chrome.t("duty-save-note")) }
                                }
                                form.inline method="post" action={ "/context-notes/" (note.id) "/remove" } {
                                    (csrf(chrome))
                                    button.secondary type="submit" { (chrome.t("duty-remove-note")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if post.can_add_context && !post.deleted {
            details.add-context {
                summary { (chrome.t("duty-add-context")) }
                form method="post" action={ "/t/" (post.thread_id) "/p/" (post.id) "/context" } {
                    (csrf(chrome))
                    label for={ "nc" (post.id) } { (chrome.t("duty-context-note")) }
                    p.hint id={ "nch" (post.id) } { (chrome.t("duty-context-hint")) }
                    textarea id={ "nc" (post.id) } name="body" rows="3" required maxlength=(NOTE_MAX_CHARS) aria-describedby={ "nch" (post.id) } {}
                    button type="submit" { (chrome.t("duty-add-note")) }
                }
            }
        }
    }
}

/// The appeal form next to a decision about the reader's own post.
pub fn appeal_form(chrome: &Chrome, post: &PostItem) -> Markup {
    html! {
        @if post.can_appeal {
            details.appeal {
                summary { (chrome.t("duty-appeal")) }
                form method="post" action={ "/t/" (post.thread_id) "/p/" (post.id) "/appeal" } {
                    (csrf(chrome))
                    label for={ "ap" (post.id) } { (chrome.t("duty-appeal-label")) }
                    p.hint id={ "aph" (post.id) } { (chrome.t("duty-appeal-hint")) }
                    textarea id={ "ap" (post.id) } name="text" rows="3" required maxlength=(APPEAL_MAX_CHARS) aria-describedby={ "aph" (post.id) } {}
                    button type="submit" { (chrome.t("duty-send-appeal")) }
                }
            }
        }
    }
}

/// The open appeals at the top of the queue, each with its decision form.
pub fn appeals(chrome: &Chrome, items: &[AppealEntry]) -> Markup {
    html! {
        @if !items.is_empty() {
            section.appeals aria-labelledby="appeals-title" {
                h2 #appeals-title { (chrome.t("duty-appeals")) }
                @for item in items {
                    article.appeal-item #{ "a" (item.id) } aria-labelledby={ "at" (item.id) } {
                        h3 id={ "at" (item.id) } {
                            (person_in(chrome.lang, item.appellant.as_ref())) " " (chrome.t("duty-appeals-verb")) " " (item.decision)
                        }
                        p.meta { a href={ "/c/" (item.community) } { (item.community) } " · " (chrome.t("duty-decided-by")) " " (person_in(chrome.lang, item.decided_by.as_ref()))
                            " · " (chrome.t("duty-appealed")) " " (time(chrome, &item.created_at))
                            @if let Some(thread) = &item.thread_id { " · " a href={ "/t/" (thread) } { (chrome.t("duty-thread")) } } }
                        p { (chrome.t("duty-reason-given")) " " (item.reason) }
                        blockquote { (item.text) }
                        @if let Some(post) = &item.post {
                            div.post data-post=(post.id) {
                                header.post-header { (chrome.t("saved-by")) " " (person_in(chrome.lang, post.author.as_ref())) " · " (time(chrome, &post.created_at)) }
                                div.post-body { (PreEscaped(&post.body_html)) }
                            }
                        }
                        @if item.can_decide {
                            // One form per outcome, so the choice never rests on which
                            // button a script reports as the submitter.
                            form.inline method="post" action={ "/mod/appeals/" (item.id) "/decision" } {
                                (csrf(chrome))
                                input type="hidden" name="outcome" value="overturned";
                                button type="submit" { (chrome.t("duty-overturn")) }
                            }
                            " "
                            form.inline method="post" action={ "/mod/appeals/" (item.id) "/decision" } {
                                (csrf(chrome))
                                input type="hidden" name="outcome" value="upheld";
                                button.secondary type="submit" { (chrome.t("duty-uphold")) }
                            }
                        } @else {
                            p.muted { (chrome.t("duty-own-decision")) }
                        }
                    }
                }
            }
        }
    }
}

/// `/admin/members`.
pub fn members_admin(chrome: &Chrome, view: &MembersAdminPage) -> String {
    let body = html! {
        h1 { (chrome.t("duty-members-title")) }
        (notice(view.notice.as_deref()))
        section aria-labelledby="memorial" {
            h2 #memorial { (chrome.t("duty-memorialise-title")) }
            p { (chrome.t("duty-memorial-lead")) " " code { "kindred user erase NAME" } "." }
            form method="post" action="/admin/members/memorial" {
                (csrf(chrome))
                (form_errors_in(chrome.lang, &view.memorial, &["username", "action"]))
                (text_field(&view.memorial, "username", &chrome.t("field-username"), "text", None, Attrs::required().max(32).in_lang(chrome.lang)))
                fieldset {
                    legend { (chrome.t("duty-action")) }
                    label { input type="radio" name="action" value="memorialise" checked; " " (chrome.t("duty-memorialise")) }
                    label { input type="radio" name="action" value="reverse"; " " (chrome.t("duty-reverse")) }
                }
                button type="submit" { (chrome.t("duty-save")) }
            }
        }
        section aria-labelledby="clinician" {
            h2 #clinician { (chrome.t("duty-clinicians-title")) }
            p { (chrome.t("duty-clinicians-lead")) }
            form method="post" action="/admin/members/clinician" {
                (csrf(chrome))
                (form_errors_in(chrome.lang, &view.clinician, &["member", "role"]))
                (text_field(&view.clinician, "member", &chrome.t("field-username"), "text", None, Attrs::required().max(32).in_lang(chrome.lang)))
                (text_field(&view.clinician, "role", &chrome.t("profile-role"), "text", Some(&chrome.t("duty-role-hint")), Attrs::default().max(60).in_lang(chrome.lang)))
                button type="submit" { (chrome.t("duty-save")) }
            }
        }
    };
    page(chrome, &chrome.t("duty-members-page"), body)
}
