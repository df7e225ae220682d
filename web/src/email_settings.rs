//! Pages for a member's e-mail address: `/me/email` (change it, or ask for a new
//! confirmation link) and `/email/confirm?token=…` (open a mailed link).

use maud::html;

use crate::layout::{csrf, form_errors, page, text_field, Attrs};
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
        h1 { "Your e-mail address" }
        @if let Some(notice) = state.notice { div.alert.alert-ok role="status" { p { (notice) } } }
        @match state.current {
            Some(address) => p { "Your address is " strong { (address) } "." },
            None => p { "You have not given an address. With one, you can get back in if you forget your password." },
        }
        @if state.unconfirmed {
            div.alert role="alert" {
                p { "Confirm your address to post and join communities: open the link we mailed you." }
                form method="post" action="/me/email/confirmation" {
                    (csrf(chrome))
                    button type="submit" { "Mail me a new link" }
                }
            }
        }
        h2 { "Change your address" }
        p { "We mail a link to the new address; it takes the place of the current one when you open the link. Your current address is told about the change." }
        form.narrow method="post" action="/me/email" {
            (csrf(chrome))
            (form_errors(form, &["new_email", "current_password"]))
            (text_field(form, "new_email", "New address", "email", None, Attrs::required().auto("email")))
            (text_field(form, "current_password", "Current password", "password", None, Attrs::required().auto("current-password")))
            button type="submit" { "Send the link" }
        }
        p { a href="/me" { "Back to your profile" } }
    };
    page(chrome, "Your e-mail address", body)
}

/// `/email/confirm?token=…`: one button, since mail scanners open links and must not
/// confirm anything; or why the link no longer works; or that it worked.
pub fn confirm_email(chrome: &Chrome, token: &str, token_ok: bool, done: bool) -> String {
    let body = html! {
        h1 { "Confirm your e-mail address" }
        @if done {
            div.alert.alert-ok role="status" { p { "Your address is confirmed." } }
            p { a href="/" { "Go to Kindred" } }
        } @else if token_ok {
            form.narrow method="post" action="/email/confirm" {
                (csrf(chrome))
                input type="hidden" name="token" value=(token);
                button type="submit" { "Confirm this address" }
            }
        } @else {
            div.alert role="alert" {
                p { "This link is invalid, already used or expired. Links work once, for 24 hours, and only the latest one works." }
            }
            p { a href="/me/email" { "Ask for a new link" } }
        }
    };
    page(chrome, "Confirm your e-mail address", body)
}
