//! Content notes (issue 19) on the pages: the checkboxes an author marks a thread or post
//! with, a post folded behind "This post has a content note: … — show" (`<details>`, so it
//! opens without JavaScript), and the settings pages where members (`/me/content-notes`)
//! and moderators (`/c/{slug}/content-notes`) choose which notes to fold away.

use maud::{html, Markup};

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

/// The words of the notes named in a comma-separated list, for a sentence.
fn words_of(names: &str) -> String {
    CONTENT_NOTES
        .iter()
        .filter(|(name, _)| names.split(',').any(|n| n == *name))
        .map(|(_, words)| *words)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The optional notes on a posting form. `id_prefix` keeps ids unique where a page has
/// several forms. A suggestion from screening (`suggested_notes`, comma-separated names)
/// is shown above the boxes and never ticks them.
pub fn note_boxes(form: &FormState, id_prefix: &str) -> Markup {
    let suggested = words_of(form.value("suggested_notes"));
    html! {
        fieldset.content-notes {
            legend { "Content notes (optional)" }
            p.hint { "Readers who chose to can have posts with these notes folded away until they open them." }
            @if !suggested.is_empty() {
                p.content-note-suggestion role="status" { "This post may need a content note: " (suggested) "." }
            }
            @for (name, words) in CONTENT_NOTES {
                @let field = note_field(name);
                @let id = format!("{id_prefix}-{field}");
                div.check {
                    input type="checkbox" id=(id) name=(field) value="on" checked[form.value(&field) == "on"];
                    label for=(id) { (words) }
                }
            }
        }
    }
}

/// A post's body, folded away when the reader chose to fold one of its notes, else with a
/// small label naming its notes.
pub fn post_body(post: &PostItem, body: Markup) -> Markup {
    let words: Vec<&str> = post.content_notes.iter().map(|(_, w)| w.as_str()).collect();
    let words = words.join(", ");
    html! {
        @if post.content_notes_collapsed {
            details.content-note {
                summary { "This post has a content note: " (words) " \u{2014} show" }
                (body)
            }
        } @else {
            @if !words.is_empty() {
                p.content-note-label { "Content note: " (words) }
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
                legend { "Fold away posts with these notes" }
                @for (name, words) in CONTENT_NOTES {
                    @let field = format!("collapse_{name}");
                    div.check {
                        input type="checkbox" id={ "f-" (field) } name=(field) value="on" checked[form.value(&field) == "on"];
                        label for={ "f-" (field) } { (words) }
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
        h1 { "Content notes" }
        @if saved { div.alert.alert-ok role="status" { p { "Your choices are saved." } } }
        p { "Authors can mark a post with a content note. Posts with the notes you tick are folded away: you see \u{201c}This post has a content note \u{2014} show\u{201d} and open them when you are ready." }
        @if !chosen {
            p.muted { "You have not chosen yet, so each community's defaults apply to you." }
        }
        (collapse_form(chrome, "/me/content-notes", form, "Save choices"))
        p { a href="/me" { "Back to your profile" } }
    };
    page(chrome, "Content notes", body)
}

/// `/c/{slug}/content-notes`: a community's defaults, for its moderators.
pub fn community_settings(chrome: &Chrome, slug: &str, form: &FormState, saved: bool) -> String {
    let body = html! {
        h1 { "Content notes in " (slug) }
        @if saved { div.alert.alert-ok role="status" { p { "The defaults are saved." } } }
        p { "Posts with the notes ticked here are folded away for members who have not chosen for themselves." }
        (collapse_form(chrome, &format!("/c/{slug}/content-notes"), form, "Save defaults"))
        p { a href={ "/c/" (slug) } { "Back to the community" } }
    };
    page(chrome, "Content notes", body)
}
