//! Pages for a member's e-mail address: `/me/email` (change it, or ask for a new
//! confirmation link) and `/email/confirm?token=…` (open a mailed link).

use maud::html;

use crate::layout::{csrf, form_errors_in, page, text_field, Attrs};
use crate::model::{Chrome, FormState};

/// What `/me/email` knows of the member's address.
pub struct AddressState<'a> {
    /// The address in use, if the member gave one.
    pub current: Option<&'a str>,
    /// The member registered under the verification rule and has not confirmed yet.
    pub unconfirmed: bool,
    /// Shown at the top after a change or resend was mailed.
    pub notice: Option<&'a str>,
}

/// `/me/email`: the current address, a change of address (needs the password), and a new
/// confirmation link for a member who has not confirmed yet.
pub fn email_settings(chrome: &Chrome, form: &FormState, state: &AddressState<'_>) -> String {
    let body = html! {
        h1 { (chrome.t("settings-email-address")) }
        @if let Some(notice) = state.notice { div.alert.alert-ok role="status" { p { (notice) } } }
        @match state.current {
            Some(address) => p { (chrome.t("email-yours-is")) " " strong { (address) } "." },
            None => p { (chrome.t("email-none")) },
        }
        @if state.unconfirmed {
            div.alert role="alert" {
                p { (chrome.t("email-confirm-needed")) }
                form method="post" action="/me/email/confirmation" {
                    (csrf(chrome))
                    button type="submit" { (chrome.t("email-resend")) }
                }
            }
        }
        h2 { (chrome.t("email-change-title")) }
        p { (chrome.t("email-change-lead")) }
        form.narrow method="post" action="/me/email" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["new_email", "current_password"]))
            (text_field(form, "new_email", &chrome.t("email-new"), "email", None, Attrs::required().auto("email").in_lang(chrome.lang)))
            (text_field(form, "current_password", &chrome.t("password-current"), "password", None, Attrs::required().auto("current-password").in_lang(chrome.lang)))
            button type="submit" { (chrome.t("email-send")) }
        }
        p { a href="/me" { (chrome.t("back-to-profile")) } }
    };
    page(chrome, &chrome.t("settings-email-address"), body)
}

/// `/email/confirm?token=…`: one button, since mail scanners open links and must not
/// confirm anything; or why the link no longer works; or that it worked.
pub fn confirm_email(chrome: &Chrome, token: &str, token_ok: bool, done: bool) -> String {
    let body = html! {
        h1 { (chrome.t("email-confirm-title")) }
        @if done {
            div.alert.alert-ok role="status" { p { (chrome.t("email-confirmed")) } }
            p { a href="/" { (chrome.t("email-go")) } }
        } @else if token_ok {
            form.narrow method="post" action="/email/confirm" {
                (csrf(chrome))
                input type="hidden" name="token" value=(token);
                button type="submit" { (chrome.t("email-confirm")) }
            }
        } @else {
            div.alert role="alert" {
                p { (chrome.t("email-invalid")) }
            }
            p { a href="/me/email" { (chrome.t("ask-new-link")) } }
        }
    };
    page(chrome, &chrome.t("email-confirm-title"), body)
}
