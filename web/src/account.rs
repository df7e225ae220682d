//! Pages for getting back into an account and changing its password.

use maud::html;

use crate::layout::{csrf, form_errors, page, text_field, Attrs};
use crate::model::{Chrome, FormState};

/// `/forgot`: asks for the address; once sent, the same words whatever the address.
pub fn forgot(chrome: &Chrome, form: &FormState, sent: Option<&str>) -> String {
    let body = html! {
        h1 { "Forgot your password?" }
        @if let Some(message) = sent {
            div.alert.alert-ok role="status" { p { (message) } }
            p { "The link works for 30 minutes. Nothing arrived? Check your spam folder, or ask again in a few minutes." }
        } @else {
            p { "Enter the email address of your account and we will mail you a link to choose a new password." }
            form.narrow method="post" action="/forgot" {
                (csrf(chrome))
                (form_errors(form, &["email"]))
                (text_field(form, "email", "Email", "email", None, Attrs::required().auto("email")))
                button type="submit" { "Send me a link" }
            }
        }
        p { a href="/login" { "Back to sign in" } }
    };
    page(chrome, "Forgot your password?", body)
}

/// `/reset?token=…`: a new password, or why the link no longer works.
pub fn reset(chrome: &Chrome, form: &FormState, token_ok: bool) -> String {
    let body = html! {
        h1 { "Choose a new password" }
        @if token_ok {
            form.narrow method="post" action="/reset" {
                (csrf(chrome))
                input type="hidden" name="token" value=(form.value("token"));
                (form_errors(form, &["password"]))
                (text_field(form, "password", "New password", "password", Some("At least 10 characters. A few unrelated words work well."), Attrs::required().auto("new-password")))
                button type="submit" { "Save and sign in" }
            }
            p.hint { "Saving signs you out on every other device." }
        } @else {
            div.alert role="alert" {
                p { "This link is invalid, already used or expired. Links work once, for 30 minutes, and stop working when the password changes." }
            }
            p { a href="/forgot" { "Ask for a new link" } }
        }
    };
    page(chrome, "Choose a new password", body)
}

/// `/me/password`: change the password while signed in.
pub fn change_password(chrome: &Chrome, form: &FormState, saved: bool) -> String {
    let body = html! {
        h1 { "Change your password" }
        @if saved { div.alert.alert-ok role="status" { p { "Your password is changed. Every other device was signed out." } } }
        form.narrow method="post" action="/me/password" {
            (csrf(chrome))
            (form_errors(form, &["current_password", "new_password"]))
            (text_field(form, "current_password", "Current password", "password", None, Attrs::required().auto("current-password")))
            (text_field(form, "new_password", "New password", "password", Some("At least 10 characters. A few unrelated words work well."), Attrs::required().auto("new-password")))
            button type="submit" { "Change password" }
        }
        p { "Forgot the current one? " a href="/forgot" { "Reset it by email" } }
        p { a href="/me" { "Back to your profile" } }
    };
    page(chrome, "Change your password", body)
}
