//! `/messages` (a member's conversations and a form to start one), `/messages/{id}` (one
//! conversation, its reply form, mute and report) and `/me/blocks` (whom they block). All
//! of it works with forms alone.

use maud::{html, PreEscaped};

use crate::layout::{
    count, csrf, form_errors, notice, page, person, text_area, text_field, time, Attrs,
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

fn names(with: &[String]) -> String {
    if with.is_empty() {
        "only you".into()
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
    let body = html! {
        h1 { "Messages" }
        p.muted { "Private conversations with up to four other members who share a community with you. Messages are checked like posts: some wait for a site admin before they are delivered." }
        @if items.is_empty() {
            p { "No conversations yet." }
        } @else {
            ul.conversation-list {
                @for item in items {
                    li {
                        a href={ "/messages/" (item.id) } { "With " (names(&item.with)) }
                        @if item.unread > 0 {
                            " " span.badge { (count(item.unread, "unread message", "unread messages")) }
                        }
                        @if item.muted { " " span.muted { "(muted)" } }
                        " · " (time(chrome, &item.last_message_at))
                    }
                }
            }
            @if let Some(next) = next_page {
                p { a href={ "/messages?cursor=" (next) } { "Older conversations" } }
            }
        }
        h2 #new { "Start a conversation" }
        form method="post" action="/messages" {
            (csrf(chrome))
            (form_errors(form, &["to", "body"]))
            (text_field(form, "to", "To", "text", Some("Usernames, separated by commas: up to four members."), Attrs::required().max(200)))
            (text_area(form, "body", "Message", None, 5, Attrs::required().max(20000)))
            button type="submit" { "Send" }
        }
        p { a href="/me/blocks" { "Members you block" } }
    };
    page(chrome, "Messages", body)
}

/// `/messages/{id}`.
pub fn conversation(
    chrome: &Chrome,
    view: &ConversationPage,
    form: &FormState,
    sent: Option<&str>,
) -> String {
    let title = format!("Conversation with {}", names(&view.with));
    let body = html! {
        p { a href="/messages" { "All messages" } }
        h1 { (title) }
        (notice(sent))
        ol.messages {
            @for message in &view.messages {
                li.message id={ "m" (message.id) } {
                    p.byline { (person(message.author.as_ref())) " · " (time(chrome, &message.created_at)) }
                    @if let Some(note) = &message.held_note {
                        div.alert role="status" { p { strong { "Held for review. " } (note) } }
                    }
                    div.post-body { (PreEscaped(&message.body_html)) }
                    @if !message.own {
                        details.report {
                            summary { "Report this message" }
                            form method="post" action={ "/messages/report/" (message.id) } {
                                (csrf(chrome))
                                input type="hidden" name="conversation" value=(view.id);
                                div.field {
                                    label for={ "reason-" (message.id) } { "What is wrong? Site admins will read the message; nobody is told who reported it." }
                                    textarea id={ "reason-" (message.id) } name="reason" rows="2" required maxlength="1000" {}
                                }
                                button type="submit" { "Report" }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(next) = &view.next_page {
            p { a href={ "/messages/" (view.id) "?cursor=" (next) } { "Later messages" } }
        }
        h2 { "Answer" }
        form method="post" action={ "/messages/" (view.id) } {
            (csrf(chrome))
            (form_errors(form, &["body"]))
            (text_area(form, "body", "Message", None, 5, Attrs::required().max(20000)))
            button type="submit" { "Send" }
        }
        form.inline method="post" action={ "/messages/" (view.id) "/mute" } {
            (csrf(chrome))
            input type="hidden" name="muted" value=(if view.muted { "off" } else { "on" });
            button.link type="submit" {
                @if view.muted { "Unmute this conversation" } @else { "Mute this conversation" }
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
        h1 { "Members you block" }
        (notice(saved))
        p.muted { "You and a member you block cannot message each other, their posts are folded away for you, and they cannot notify you. They are not told." }
        @if blocked.is_empty() {
            p { "You block nobody." }
        } @else {
            ul {
                @for item in blocked {
                    li {
                        (person(Some(&item.person))) " · since " (time(chrome, &item.since)) " "
                        form.inline method="post" action={ "/me/blocks/" (item.person.username) "/delete" } {
                            (csrf(chrome))
                            button.link type="submit" { "Unblock " (item.person.display_name) }
                        }
                    }
                }
            }
        }
        h2 { "Block a member" }
        form method="post" action="/me/blocks" {
            (csrf(chrome))
            (form_errors(form, &["username"]))
            (text_field(form, "username", "Username", "text", None, Attrs::required().max(32)))
            button type="submit" { "Block" }
        }
        p { a href="/messages" { "Messages" } }
    };
    page(chrome, "Members you block", body)
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
                p { "Nothing waits." }
            } @else {
                ul.review {
                    @for item in items {
                        li {
                            p.byline { (person(item.author.as_ref())) }
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
                                button type="submit" { "Remove" }
                            }
                        }
                    }
                }
            }
        }
    };
    let body = html! {
        h1 { "Private messages to review" }
        p.muted { "Messages belong to no community, so site admins review them. You see only these messages, never the rest of a conversation." }
        (section("Held by screening", held, "publish", "Deliver"))
        (section("Reported", reported, "publish", "Keep"))
    };
    page(chrome, "Private messages to review", body)
}
