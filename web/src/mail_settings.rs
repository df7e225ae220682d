//! `/me/mail` (which notification mail a member gets) and `/unsubscribe` (the page behind
//! the link in every notification mail).

use maud::html;

use crate::layout::{csrf, form_errors, page, select, text_field, Attrs};
use crate::model::{Chrome, FormState};

/// The kinds of notification a member chooses a frequency for, with their labels.
pub const MAIL_KINDS: [(&str, &str); 6] = [
    ("reply_to_thread", "Replies to my threads"),
    ("reply_to_post", "Replies to my posts"),
    ("mention", "Mentions of me"),
    ("watched_thread", "New posts in threads I watch"),
    ("moderation_outcome", "Moderators' decisions about my posts"),
    ("private_message", "Private messages to me"),
];

const FREQUENCIES: [(&str, &str); 4] = [
    ("immediately", "At once"),
    ("daily", "In a daily digest"),
    ("weekly", "In a weekly digest (Mondays)"),
    ("never", "Never"),
];

/// `/me/mail`: the form's values are the current preferences (`show_content` is `on` or
/// empty; `time_zone` is an IANA name, `digest_hour` a number).
pub fn mail_preferences(chrome: &Chrome, form: &FormState, saved: bool) -> String {
    let hours: Vec<(String, String)> = (0..24)
        .map(|h| (h.to_string(), format!("{h:02}:00")))
        .collect();
    let hours: Vec<(&str, &str)> = hours
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let body = html! {
        h1 { "Notification mail" }
        @if saved { div.alert.alert-ok role="status" { p { "Your choices are saved." } } }
        form method="post" action="/me/mail" {
            (csrf(chrome))
            (form_errors(form, &["time_zone", "digest_hour"]))
            fieldset {
                legend { "When to mail me" }
                @for (name, label) in MAIL_KINDS {
                    (select(form, name, label, &FREQUENCIES))
                }
            }
            fieldset {
                legend { "Digests" }
                (select(form, "digest_hour", "Send digests at (your local time)", &hours))
                (text_field(form, "time_zone", "Your time zone", "text", Some("Its name, like Europe/Paris, America/New_York or UTC. Summer time is followed for you."), Attrs::required()))
            }
            fieldset {
                legend { "Privacy" }
                div.check {
                    input type="checkbox" id="f-show_content" name="show_content" value="on" checked[form.value("show_content") == "on"];
                    label for="f-show_content" { "Show what posts say in e-mails (community, thread and the start of the post). Off, mail only says how many new things there are." }
                }
            }
            button type="submit" { "Save choices" }
        }
        p { a href="/me" { "Back to your profile" } }
    };
    page(chrome, "Notification mail", body)
}

/// `/unsubscribe?token=…`: asks to confirm (`done` is `None`), says what was turned off,
/// or that the link does not work (`token_ok` false).
pub fn unsubscribe(chrome: &Chrome, token: &str, token_ok: bool, done: Option<&str>) -> String {
    let body = html! {
        h1 { "Stop notification mail" }
        @if !token_ok {
            div.alert role="alert" { p { "This unsubscribe link is invalid." } }
        } @else if let Some(what) = done {
            div.alert.alert-ok role="status" { p { "Done: you will no longer get " (what) "." } }
        } @else {
            p { "Stop this kind of notification mail? You can turn it on again in your settings." }
            form.narrow method="post" action={ "/unsubscribe?token=" (token) } {
                button type="submit" { "Unsubscribe" }
            }
        }
        p { a href="/me/mail" { "Choose which mail you get" } }
    };
    page(chrome, "Stop notification mail", body)
}
