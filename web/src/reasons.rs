//! `/c/{slug}/removal-reasons`: a community's canned removal reasons, kept by its
//! moderators; the default is what one-click removal in the queue records.

use maud::html;

use crate::layout::{csrf, form_errors, notice, page, text_field, Attrs};
use crate::model::{Chrome, CommunityCard, FormState};

/// One canned reason as the page lists it.
#[derive(Debug, Clone)]
pub struct ReasonItem {
    pub id: String,
    pub text: String,
    pub is_default: bool,
}

/// The page: the list, each with "make default" and "remove", and the form to add one.
pub fn removal_reasons(
    chrome: &Chrome,
    community: &CommunityCard,
    reasons: &[ReasonItem],
    form: &FormState,
    notice_text: Option<&str>,
) -> String {
    let slug = &community.slug;
    let body = html! {
        nav aria-label="Breadcrumb" { p.crumbs { a href={ "/c/" (slug) } { (community.name) } } }
        h1 { "Removal reasons" }
        (notice(notice_text))
        p { "The queue offers these reasons when you remove a post; its one-click " strong { "Remove" }
            " records the default. The author of the removed post reads the reason, and the public moderation log shows it." }
        @if reasons.is_empty() {
            p.muted { "No reasons yet: one-click removal records a plain reason for what screening found." }
        } @else {
            ul.reasons {
                @for reason in reasons {
                    li {
                        (reason.text)
                        @if reason.is_default { " " span.tag { "default" } }
                        @if !reason.is_default {
                            " "
                            form.inline method="post" action={ "/c/" (slug) "/removal-reasons/" (reason.id) "/default" } {
                                (csrf(chrome))
                                button.link type="submit" { "Make default" span.visually-hidden { ": " (reason.text) } }
                            }
                        }
                        " "
                        form.inline method="post" action={ "/c/" (slug) "/removal-reasons/" (reason.id) "/remove" } {
                            (csrf(chrome))
                            button.link type="submit" { "Remove" span.visually-hidden { ": " (reason.text) } }
                        }
                    }
                }
            }
        }
        h2 { "Add a reason" }
        form method="post" action={ "/c/" (slug) "/removal-reasons" } {
            (csrf(chrome))
            (form_errors(form, &["text"]))
            (text_field(form, "text", "Reason, as the author will read it", "text", None, Attrs::required().max(500)))
            div.check {
                input type="checkbox" id="f-default" name="default" value="on" checked[form.value("default") == "on"];
                label for="f-default" { "Make it the default" }
            }
            button type="submit" { "Add reason" }
        }
        p { a href={ "/mod/queue?community=" (slug) } { "Back to the queue" } " · " a href={ "/c/" (slug) "/members" } { "Members and bans" } }
    };
    page(chrome, "Removal reasons", body)
}
