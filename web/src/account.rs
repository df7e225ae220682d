//! Pages for getting back into an account and changing its password.

use maud::html;

use crate::layout::{csrf, form_errors_in, page, text_field, Attrs};
use crate::model::{Chrome, FormState};

/// `/forgot`: asks for the address; once sent, the same words whatever the address.
pub fn forgot(chrome: &Chrome, form: &FormState, sent: Option<&str>) -> String {
    let body = html! {
        h1 { (chrome.t("login-forgot")) }
        @if let Some(message) = sent {
            div.alert.alert-ok role="status" { p { (message) } }
            p { (chrome.t("forgot-link-works")) }
        } @else {
            p { (chrome.t("forgot-lead")) }
            form.narrow method="post" action="/forgot" {
                (csrf(chrome))
                (form_errors_in(chrome.lang, form, &["email"]))
                (text_field(form, "email", &chrome.t("field-email"), "email", None, Attrs::required().auto("email").in_lang(chrome.lang)))
                button type="submit" { (chrome.t("forgot-send")) }
            }
        }
        p { a href="/login" { (chrome.t("forgot-back-sign-in")) } }
    };
    page(chrome, &chrome.t("login-forgot"), body)
}

/// `/reset?token=…`: a new password, or why the link no longer works.
pub fn reset(chrome: &Chrome, form: &FormState, token_ok: bool) -> String {
    let body = html! {
        h1 { (chrome.t("reset-title")) }
        @if token_ok {
            form.narrow method="post" action="/reset" {
                (csrf(chrome))
                input type="hidden" name="token" value=(form.value("token"));
                (form_errors_in(chrome.lang, form, &["password"]))
                (text_field(form, "password", &chrome.t("password-new"), "password", Some(&chrome.t("register-password-hint")), Attrs::required().auto("new-password").in_lang(chrome.lang)))
                button type="submit" { (chrome.t("reset-save")) }
            }
            p.hint { (chrome.t("reset-signs-out")) }
        } @else {
            div.alert role="alert" {
                p { (chrome.t("reset-invalid")) }
            }
            p { a href="/forgot" { (chrome.t("ask-new-link")) } }
        }
    };
    page(chrome, &chrome.t("reset-title"), body)
}

/// `/me/password`: change the password while signed in.
pub fn change_password(chrome: &Chrome, form: &FormState, saved: bool) -> String {
    let body = html! {
        h1 { (chrome.t("settings-change-password")) }
        @if saved { div.alert.alert-ok role="status" { p { (chrome.t("password-changed")) } } }
        form.narrow method="post" action="/me/password" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["current_password", "new_password"]))
            (text_field(form, "current_password", &chrome.t("password-current"), "password", None, Attrs::required().auto("current-password").in_lang(chrome.lang)))
            (text_field(form, "new_password", &chrome.t("password-new"), "password", Some(&chrome.t("register-password-hint")), Attrs::required().auto("new-password").in_lang(chrome.lang)))
            button type="submit" { (chrome.t("password-change")) }
        }
        p { (chrome.t("password-forgot-current")) " " a href="/forgot" { (chrome.t("password-reset-by-email")) } }
        p { a href="/me" { (chrome.t("back-to-profile")) } }
    };
    page(chrome, &chrome.t("settings-change-password"), body)
}

/// `/me/privacy`: the consents, with their history, the export and erasure.
pub fn privacy(
    chrome: &Chrome,
    form: &FormState,
    saved: bool,
    history: &[(String, String, String)],
) -> String {
    let audience_words = [
        chrome.t("privacy-audience-members"),
        chrome.t("privacy-audience-communities"),
        chrome.t("privacy-audience-nobody"),
    ];
    let audiences = [
        ("members", audience_words[0].as_str()),
        ("communities", audience_words[1].as_str()),
        ("nobody", audience_words[2].as_str()),
    ];
    let post_words = [
        chrome.t("privacy-posts-anonymize"),
        chrome.t("privacy-posts-delete"),
    ];
    let body = html! {
        h1 { (chrome.t("privacy-title")) }
        @if saved { div.alert.alert-ok role="status" { p { (chrome.t("choices-saved")) } } }
        form method="post" action="/me/privacy" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["profile_audience"]))
            fieldset {
                legend { (chrome.t("privacy-your-choices")) }
                (crate::layout::select(form, "profile_audience", &chrome.t("privacy-audience"), &audiences))
                @for (name, key) in [("discoverable", "privacy-discoverable"), ("insights_opt_in", "privacy-insights")] {
                    div.check {
                        input type="checkbox" id={ "f-" (name) } name=(name) value="on" checked[form.value(name) == "on"];
                        label for={ "f-" (name) } { (chrome.t(key)) }
                    }
                }
            }
            button type="submit" { (chrome.t("save-choices")) }
        }
        @if !history.is_empty() {
            section aria-labelledby="history" {
                h2 #history { (chrome.t("privacy-history")) }
                ul { @for (consent, value, at) in history { li { (consent) ": " (value) " — " (crate::layout::time(chrome, at)) } } }
            }
        }
        section aria-labelledby="export" {
            h2 #export { (chrome.t("privacy-export-title")) }
            p { (chrome.t("privacy-export-lead")) }
            form method="post" action="/me/export" {
                (csrf(chrome))
                button type="submit" { (chrome.t("privacy-export")) }
            }
        }
        section aria-labelledby="erase" {
            h2 #erase { (chrome.t("privacy-erase-title")) }
            p { (chrome.t("privacy-erase-lead")) }
            form.narrow method="post" action="/me/erase" {
                (csrf(chrome))
                (form_errors_in(chrome.lang, form, &["password", "posts"]))
                (crate::layout::select(form, "posts", &chrome.t("privacy-your-posts"), &[("anonymize", post_words[0].as_str()), ("delete", post_words[1].as_str())]))
                (text_field(form, "password", &chrome.t("privacy-password-confirm"), "password", None, Attrs::required().auto("current-password").in_lang(chrome.lang)))
                button type="submit" { (chrome.t("privacy-erase")) }
            }
        }
        p { a href="/me" { (chrome.t("back-to-profile")) } }
    };
    page(chrome, &chrome.t("privacy-title"), body)
}
