//! `/messages` (a member's conversations and a form to start one), `/messages/{id}` (one
//! conversation, its reply form, mute and report) and `/me/blocks` (whom they block). All
//! of it works with forms alone.

use maud::{html, PreEscaped};

use crate::i18n::Lang;
use crate::layout::{
    csrf, form_errors_in, notice, page, person_in, text_area, text_field, time, Attrs,
};
use crate::model::{Chrome, FormState, Person};

/// A conversation in the member's list.
#[derive(Debug, Clone)]
pub struct ConversationItem {
    pub id: String,
    /// The other participants' names ("a former member" for erased ones).
    pub with: Vec<String>,
    pub unread: i64,
    pub muted: bool,
    pub last_message_at: String,
}

/// One message as its reader sees it.
#[derive(Debug, Clone)]
pub struct MessageItem {
    pub id: String,
    pub author: Option<Person>,
    /// Sanitised when it was written.
    pub body_html: String,
    pub created_at: String,
    /// The reader wrote it.
    pub own: bool,
    /// For the author of a held message: why it waits.
    pub held_note: Option<String>,
}

/// One conversation's page.
#[derive(Debug, Clone)]
pub struct ConversationPage {
    pub id: String,
    pub with: Vec<String>,
    pub muted: bool,
    pub messages: Vec<MessageItem>,
    /// The next (later) page of messages, if any.
    pub next_page: Option<String>,
}

/// A blocked member in the settings list.
#[derive(Debug, Clone)]
pub struct BlockedItem {
    pub person: Person,
    pub since: String,
}

fn names(lang: Lang, with: &[String]) -> String {
    if with.is_empty() {
        lang.t("messages-only-you")
    } else {
        with.join(", ")
    }
}

/// `/messages`.
pub fn conversations(
    chrome: &Chrome,
    items: &[ConversationItem],
    next_page: Option<&str>,
    form: &FormState,
) -> String {
    let lang = chrome.lang;
    let body = html! {
        h1 { (chrome.t("nav-messages")) }
        p.muted { (chrome.t("messages-lead")) }
        @if items.is_empty() {
            p { (chrome.t("messages-none")) }
        } @else {
            ul.conversation-list {
                @for item in items {
                    li {
                        a href={ "/messages/" (item.id) } { (chrome.t_args("messages-with", &[("names", names(lang, &item.with).into())])) }
                        @if item.unread > 0 {
                            " " span.badge { (chrome.count("messages-unread", item.unread)) }
                        }
                        @if item.muted { " " span.muted { (chrome.t("messages-muted")) } }
                        " · " (time(chrome, &item.last_message_at))
                    }
                }
            }
            @if let Some(next) = next_page {
                p { a href={ "/messages?cursor=" (next) } { (chrome.t("messages-older")) } }
            }
        }
        h2 #new { (chrome.t("messages-start")) }
        form method="post" action="/messages" {
            (csrf(chrome))
            (form_errors_in(lang, form, &["to", "body"]))
            (text_field(form, "to", &chrome.t("messages-to"), "text", Some(&chrome.t("messages-to-hint")), Attrs::required().max(200).in_lang(lang)))
            (text_area(form, "body", &chrome.t("messages-message"), None, 5, Attrs::required().max(20000).in_lang(lang)))
            button type="submit" { (chrome.t("messages-send")) }
        }
        p { a href="/me/blocks" { (chrome.t("blocks-title")) } }
    };
    page(chrome, &chrome.t("nav-messages"), body)
}

/// `/messages/{id}`.
pub fn conversation(
    chrome: &Chrome,
    view: &ConversationPage,
    form: &FormState,
    sent: Option<&str>,
) -> String {
    let lang = chrome.lang;
    let title = chrome.t_args(
        "messages-conversation-with",
        &[("names", names(lang, &view.with).into())],
    );
    let body = html! {
        p { a href="/messages" { (chrome.t("messages-all")) } }
        h1 { (title) }
        (notice(sent))
        ol.messages {
            @for message in &view.messages {
                li.message id={ "m" (message.id) } {
                    p.byline { (person_in(lang, message.author.as_ref())) " · " (time(chrome, &message.created_at)) }
                    @if let Some(note) = &message.held_note {
                        div.alert role="status" { p { strong { (chrome.t("messages-held")) " " } (note) } }
                    }
                    div.post-body { (PreEscaped(&message.body_html)) }
                    @if !message.own {
                        details.report {
                            summary { (chrome.t("messages-report-title")) }
                            form method="post" action={ "/messages/report/" (message.id) } {
                                (csrf(chrome))
                                input type="hidden" name="conversation" value=(view.id);
                                div.field {
                                    label for={ "reason-" (message.id) } { (chrome.t("messages-report-label")) }
                                    textarea id={ "reason-" (message.id) } name="reason" rows="2" required maxlength="1000" {}
                                }
                                button type="submit" { (chrome.t("messages-report")) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &view.next_page {
            p { a href={ "/messages/" (view.id) "?cursor=" (next) } { (chrome.t("messages-later")) } }
        }
        h2 { (chrome.t("messages-answer")) }
        form method="post" action={ "/messages/" (view.id) } {
            (csrf(chrome))
            (form_errors_in(lang, form, &["body"]))
            (text_area(form, "body", &chrome.t("messages-message"), None, 5, Attrs::required().max(20000).in_lang(lang)))
            button type="submit" { (chrome.t("messages-send")) }
        }
        form.inline method="post" action={ "/messages/" (view.id) "/mute" } {
            (csrf(chrome))
            input type="hidden" name="muted" value=(if view.muted { "off" } else { "on" });
            button.link type="submit" {
                @if view.muted { (chrome.t("messages-unmute")) } @else { (chrome.t("messages-mute")) }
            }
        }
    };
    page(chrome, &title, body)
}

/// `/me/blocks`.
pub fn blocks(
    chrome: &Chrome,
    blocked: &[BlockedItem],
    form: &FormState,
    saved: Option<&str>,
) -> String {
    let body = html! {
        h1 { (chrome.t("blocks-title")) }
        (notice(saved))
        p.muted { (chrome.t("blocks-lead")) }
        @if blocked.is_empty() {
            p { (chrome.t("blocks-none")) }
        } @else {
            ul {
                @for item in blocked {
                    li {
                        (person_in(chrome.lang, Some(&item.person))) " · " (chrome.t("blocks-since")) " " (time(chrome, &item.since)) " "
                        form.inline method="post" action={ "/me/blocks/" (item.person.username) "/delete" } {
                            (csrf(chrome))
                            button.link type="submit" { (chrome.t("blocks-unblock")) " " (item.person.display_name) }
                        }
                    }
                }
            }
        }
        h2 { (chrome.t("blocks-add-title")) }
        form method="post" action="/me/blocks" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["username"]))
            (text_field(form, "username", &chrome.t("field-username"), "text", None, Attrs::required().max(32).in_lang(chrome.lang)))
            button type="submit" { (chrome.t("blocks-block")) }
        }
        p { a href="/messages" { (chrome.t("nav-messages")) } }
    };
    page(chrome, &chrome.t("blocks-title"), body)
}

/// A message waiting for a site admin: held by screening, or reported.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub message_id: String,
    pub author: Option<Person>,
    /// The markdown source, shown as text.
    pub text: String,
    /// Why: screening's note, or the reporter's reason.
    pub why: String,
}

/// `/admin/messages`: held and reported private messages, for site admins.
pub fn review(chrome: &Chrome, held: &[ReviewItem], reported: &[ReviewItem]) -> String {
    let section = |title: &str, items: &[ReviewItem], action: &str, label: &str| {
        html! {
            h2 { (title) }
            @if items.is_empty() {
                p { (chrome.t("review-nothing")) }
            } @else {
                ul.review {
                    @for item in items {
                        li {
                            p.byline { (person_in(chrome.lang, item.author.as_ref())) }
                            blockquote { p { (item.text) } }
                            p.muted { (item.why) }
                            form.inline method="post" action={ "/admin/messages/" (item.message_id) "/decision" } {
                                (csrf(chrome))
                                input type="hidden" name="action" value=(action);
                                button type="submit" { (label) }
                            }
                            " "
                            form.inline method="post" action={ "/admin/messages/" (item.message_id) "/decision" } {
                                (csrf(chrome))
                                input type="hidden" name="action" value="remove";
                                button type="submit" { (chrome.t("reasons-remove")) }
                            }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        h1 { (chrome.t("review-title")) }
        p.muted { (chrome.t("review-lead")) }
        (section(&chrome.t("review-held"), held, "publish", &chrome.t("review-deliver")))
        (section(&chrome.t("review-reported"), reported, "publish", &chrome.t("review-keep")))
    };
    page(chrome, &chrome.t("review-title"), body)
}
