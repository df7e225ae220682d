//! `/me/mail` (which notification mail a member gets) and `/unsubscribe` (the page behind
//! the link in every notification mail).

use maud::html;

use crate::layout::{csrf, form_errors_in, page, select, text_field, Attrs};
use crate::model::{Chrome, FormState};

/// The kinds of notification a member chooses a frequency for, with their labels'
/// catalogue keys.
pub const MAIL_KINDS: [(&str, &str); 6] = [
    ("reply_to_thread", "mail-kind-reply-to-thread"),
    ("reply_to_post", "mail-kind-reply-to-post"),
    ("mention", "mail-kind-mention"),
    ("watched_thread", "mail-kind-watched-thread"),
    ("moderation_outcome", "mail-kind-moderation-outcome"),
    ("private_message", "mail-kind-private-message"),
];

/// The frequencies offered, with their labels' catalogue keys.
const FREQUENCIES: [(&str, &str); 4] = [
    ("immediately", "mail-freq-immediately"),
    ("daily", "mail-freq-daily"),
    ("weekly", "mail-freq-weekly"),
    ("never", "mail-freq-never"),
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
    let frequency_words: Vec<(&str, String)> = FREQUENCIES
        .iter()
        .map(|(value, key)| (*value, chrome.t(key)))
        .collect();
    let frequencies: Vec<(&str, &str)> = frequency_words
        .iter()
        .map(|(value, label)| (*value, label.as_str()))
        .collect();
    let body = html! {
        h1 { (chrome.t("settings-mail")) }
        @if saved { div.alert.alert-ok role="status" { p { (chrome.t("choices-saved")) } } }
        form method="post" action="/me/mail" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["time_zone", "digest_hour"]))
            fieldset {
                legend { (chrome.t("mail-when")) }
                @for (name, key) in MAIL_KINDS {
                    (select(form, name, &chrome.t(key), &frequencies))
                }
            }
            fieldset {
                legend { (chrome.t("mail-digests")) }
                (select(form, "digest_hour", &chrome.t("mail-digest-hour"), &hours))
                (text_field(form, "time_zone", &chrome.t("mail-time-zone"), "text", Some(&chrome.t("mail-time-zone-hint")), Attrs::required().in_lang(chrome.lang)))
            }
            fieldset {
                legend { (chrome.t("mail-privacy")) }
                div.check {
                    input type="checkbox" id="f-show_content" name="show_content" value="on" checked[form.value("show_content") == "on"];
                    label for="f-show_content" { (chrome.t("mail-show-content")) }
                }
            }
            button type="submit" { (chrome.t("save-choices")) }
        }
        p { a href="/me" { (chrome.t("back-to-profile")) } }
    };
    page(chrome, &chrome.t("settings-mail"), body)
}

/// `/unsubscribe?token=…`: asks to confirm (`done` is `None`), says what was turned off,
/// or that the link does not work (`token_ok` false).
pub fn unsubscribe(chrome: &Chrome, token: &str, token_ok: bool, done: Option<&str>) -> String {
    let body = html! {
        h1 { (chrome.t("unsubscribe-title")) }
        @if !token_ok {
            div.alert role="alert" { p { (chrome.t("unsubscribe-invalid")) } }
        } @else if let Some(what) = done {
            div.alert.alert-ok role="status" { p { (chrome.t_args("unsubscribe-done", &[("what", what.into())])) } }
        } @else {
            p { (chrome.t("unsubscribe-ask")) }
            form.narrow method="post" action={ "/unsubscribe?token=" (token) } {
                button type="submit" { (chrome.t("unsubscribe")) }
            }
        }
        p { a href="/me/mail" { (chrome.t("unsubscribe-choose")) } }
    };
    page(chrome, &chrome.t("unsubscribe-title"), body)
}
