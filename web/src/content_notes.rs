//! Content notes (issue 19) on the pages: the checkboxes an author marks a thread or post
//! with, a post folded behind "This post has a content note: … — show" (`<details>`, so it
//! opens without JavaScript), and the settings pages where members (`/me/content-notes`)
//! and moderators (`/c/{slug}/content-notes`) choose which notes to fold away.

use maud::{html, Markup};

use crate::i18n::Lang;
use crate::layout::{csrf, page};
use crate::model::{Chrome, FormState, PostItem};

/// Every note as `(name, words)`, in the server's fixed order (a server test checks that
/// the two lists agree).
pub const CONTENT_NOTES: [(&str, &str); 5] = [
    ("end_of_life", "end of life"),
    ("recurrence", "recurrence or progression"),
    ("death_and_loss", "death and loss"),
    ("graphic_medical", "graphic medical detail"),
    ("self_harm", "suicide and self-harm"),
];

/// The form field of one note on posting forms: `note_end_of_life`, … (`on` when ticked).
pub fn note_field(name: &str) -> String {
    format!("note_{name}")
}

/// A post's notes as ticked boxes, for its edit form.
pub fn ticked(post: &PostItem) -> FormState {
    let mut form = FormState::new();
    for (name, _) in &post.content_notes {
        form.set_value(&note_field(name), "on");
    }
    form
}

/// One note's words in the reader's language (catalogue key `note-end-of-life`, …).
fn note_words(lang: Lang, name: &str) -> String {
    lang.t(&format!("note-{}", name.replace('_', "-")))
}

/// The words of the notes named in a comma-separated list, for a sentence.
fn words_of(lang: Lang, names: &str) -> String {
    CONTENT_NOTES
        .iter()
        .filter(|(name, _)| names.split(',').any(|n| n == *name))
        .map(|(name, _)| note_words(lang, name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The form-state value with the notes screening suggests (comma-separated names), set by
/// the server when a post submitted without notes comes back for the author to confirm.
pub const SUGGESTED_FIELD: &str = "suggested_notes";
/// The hidden field saying the suggestion was shown, so the next submit posts.
pub const SUGGESTION_SHOWN_FIELD: &str = "notes_suggested";
/// The second submit button's field: post without any note.
pub const WITHOUT_NOTES_FIELD: &str = "post_without_notes";

/// The optional notes on a posting form. `id_prefix` keeps ids unique where a page has
/// several forms. A suggestion from screening (`suggested_notes`) is shown above the
/// boxes, which the server ticked for the author to check — never posted without them
/// seeing it — with [`without_notes_button`] after the form's own button.
pub fn note_boxes(lang: Lang, form: &FormState, id_prefix: &str) -> Markup {
    let suggested = words_of(lang, form.value(SUGGESTED_FIELD));
    html! {
        fieldset.content-notes {
            legend { (lang.t("notes-legend")) }
            p.hint { (lang.t("notes-hint")) }
            @if !suggested.is_empty() {
                p.content-note-suggestion role="status" {
                    (lang.t_args("notes-suggested", &[("notes", suggested.clone().into())]))
                    " "
                    (lang.t("note-suggestion-ticked"))
                }
            }
            @if !form.value(SUGGESTION_SHOWN_FIELD).is_empty() {
                input type="hidden" name=(SUGGESTION_SHOWN_FIELD) value="true";
            }
            @for (name, _) in CONTENT_NOTES {
                @let field = note_field(name);
                @let id = format!("{id_prefix}-{field}");
                div.check {
                    input type="checkbox" id=(id) name=(field) value="on" checked[form.value(&field) == "on"];
                    label for=(id) { (note_words(lang, name)) }
                }
            }
        }
    }
}

/// "Post without a note", after the form's own button while a suggestion is shown (after
/// it, so that Enter in a field still submits with the notes).
pub fn without_notes_button(lang: Lang, form: &FormState) -> Markup {
    html! {
        @if !form.value(SUGGESTED_FIELD).is_empty() {
            " "
            button.secondary type="submit" name=(WITHOUT_NOTES_FIELD) value="true" {
                (lang.t("note-post-without"))
            }
        }
    }
}

/// A post's body, folded away when the reader chose to fold one of its notes, else with a
/// small label naming its notes.
pub fn post_body(lang: Lang, post: &PostItem, body: Markup) -> Markup {
    let words: Vec<String> = post
        .content_notes
        .iter()
        .map(|(name, _)| note_words(lang, name))
        .collect();
    let words = words.join(", ");
    html! {
        @if post.content_notes_collapsed {
            details.content-note {
                summary { (lang.t_args("search-content-note-hidden", &[("notes", words.clone().into())])) }
                (body)
            }
        } @else {
            @if !words.is_empty() {
                p.content-note-label { (lang.t_args("search-content-note", &[("notes", words.clone().into())])) }
            }
            (body)
        }
    }
}

/// The settings form: one box per note, named `collapse_{name}`.
fn collapse_form(chrome: &Chrome, action: &str, form: &FormState, button: &str) -> Markup {
    html! {
        form method="post" action=(action) {
            (csrf(chrome))
            fieldset {
                legend { (chrome.t("notes-fold-legend")) }
                @for (name, _) in CONTENT_NOTES {
                    @let field = format!("collapse_{name}");
                    div.check {
                        input type="checkbox" id={ "f-" (field) } name=(field) value="on" checked[form.value(&field) == "on"];
                        label for={ "f-" (field) } { (note_words(chrome.lang, name)) }
                    }
                }
            }
            button type="submit" { (button) }
        }
    }
}

/// `/me/content-notes`: `chosen` says whether the member has chosen (until then each
/// community's defaults apply).
pub fn member_settings(chrome: &Chrome, form: &FormState, chosen: bool, saved: bool) -> String {
    let body = html! {
        h1 { (chrome.t("notes-title")) }
        @if saved { div.alert.alert-ok role="status" { p { (chrome.t("choices-saved")) } } }
        p { (chrome.t("notes-member-lead")) }
        @if !chosen {
            p.muted { (chrome.t("notes-not-chosen")) }
        }
        (collapse_form(chrome, "/me/content-notes", form, &chrome.t("save-choices")))
        p { a href="/me" { (chrome.t("back-to-profile")) } }
    };
    page(chrome, &chrome.t("notes-title"), body)
}

/// `/c/{slug}/content-notes`: a community's defaults, for its moderators.
pub fn community_settings(chrome: &Chrome, slug: &str, form: &FormState, saved: bool) -> String {
    let body = html! {
        h1 { (chrome.t_args("notes-community-title", &[("slug", slug.into())])) }
        @if saved { div.alert.alert-ok role="status" { p { (chrome.t("notes-defaults-saved")) } } }
        p { (chrome.t("notes-community-lead")) }
        (collapse_form(chrome, &format!("/c/{slug}/content-notes"), form, &chrome.t("notes-save-defaults")))
        p { a href={ "/c/" (slug) } { (chrome.t("notes-back-community")) } }
    };
    page(chrome, &chrome.t("notes-title"), body)
}
