//! `/c/{slug}/removal-reasons`: a community's canned removal reasons, kept by its
//! moderators; the default is what one-click removal in the queue records.

use maud::html;

use crate::layout::{csrf, form_errors_in, notice, page, text_field, Attrs};
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
        nav aria-label=(chrome.t("thread-breadcrumb")) { p.crumbs { a href={ "/c/" (slug) } { (community.name) } } }
        h1 { (chrome.t("reasons-title")) }
        (notice(notice_text))
        p { (chrome.t("reasons-lead-before")) " " strong { (chrome.t("reasons-remove")) }
            " " (chrome.t("reasons-lead-after")) }
        @if reasons.is_empty() {
            p.muted { (chrome.t("reasons-none")) }
        } @else {
            ul.reasons {
                @for reason in reasons {
                    li {
                        (reason.text)
                        @if reason.is_default { " " span.tag { (chrome.t("reasons-default")) } }
                        @if !reason.is_default {
                            " "
                            form.inline method="post" action={ "/c/" (slug) "/removal-reasons/" (reason.id) "/default" } {
                                (csrf(chrome))
                                button.link type="submit" { (chrome.t("reasons-make-default")) span.visually-hidden { ": " (reason.text) } }
                            }
                        }
                        " "
                        form.inline method="post" action={ "/c/" (slug) "/removal-reasons/" (reason.id) "/remove" } {
                            (csrf(chrome))
                            button.link type="submit" { (chrome.t("reasons-remove")) span.visually-hidden { ": " (reason.text) } }
                        }
                    }
                }
            }
        }
        h2 { (chrome.t("reasons-add-title")) }
        form method="post" action={ "/c/" (slug) "/removal-reasons" } {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["text"]))
            (text_field(form, "text", &chrome.t("reasons-field"), "text", None, Attrs::required().max(500).in_lang(chrome.lang)))
            div.check {
                input type="checkbox" id="f-default" name="default" value="on" checked[form.value("default") == "on"];
                label for="f-default" { (chrome.t("reasons-field-default")) }
            }
            button type="submit" { (chrome.t("reasons-add")) }
        }
        p { a href={ "/mod/queue?community=" (slug) } { (chrome.t("reasons-back-queue")) } " · " a href={ "/c/" (slug) "/members" } { (chrome.t("community-members-bans")) } }
    };
    page(chrome, &chrome.t("reasons-title"), body)
}
