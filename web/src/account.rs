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

/// `/me/privacy`: the consents, with their history, the export and erasure.
pub fn privacy(
    chrome: &Chrome,
    form: &FormState,
    saved: bool,
    history: &[(String, String, String)],
) -> String {
    let audiences = [
        ("members", "Any signed-in member"),
        ("communities", "Members of a community I am in"),
        ("nobody", "Nobody"),
    ];
    let body = html! {
        h1 { "Privacy and your data" }
        @if saved { div.alert.alert-ok role="status" { p { "Your choices are saved." } } }
        form method="post" action="/me/privacy" {
            (csrf(chrome))
            (form_errors(form, &["profile_audience"]))
            fieldset {
                legend { "Your choices" }
                (crate::layout::select(form, "profile_audience", "Who sees the profile fields you share", &audiences))
                @for (name, text) in [("discoverable", "Members with the same condition may find me"), ("insights_opt_in", "My posts may count towards de-identified insights (no names, small groups withheld)")] {
                    div.check {
                        input type="checkbox" id={ "f-" (name) } name=(name) value="on" checked[form.value(name) == "on"];
                        label for={ "f-" (name) } { (text) }
                    }
                }
            }
            button type="submit" { "Save choices" }
        }
        @if !history.is_empty() {
            section aria-labelledby="history" {
                h2 #history { "Every choice you made" }
                ul { @for (consent, value, at) in history { li { (consent) ": " (value) " — " (crate::layout::time(chrome, at)) } } }
            }
        }
        section aria-labelledby="export" {
            h2 #export { "Download your data" }
            p { "Everything Kindred holds about you, as one JSON file (three downloads an hour)." }
            form method="post" action="/me/export" {
                (csrf(chrome))
                button type="submit" { "Download my data" }
            }
        }
        section aria-labelledby="erase" {
            h2 #erase { "Erase your account" }
            p { "This cannot be undone. Your profile, messages and choices are deleted; you choose what happens to your posts." }
            form.narrow method="post" action="/me/erase" {
                (csrf(chrome))
                (form_errors(form, &["password", "posts"]))
                (crate::layout::select(form, "posts", "Your posts", &[("anonymize", "Keep them, shown as a former member's"), ("delete", "Delete them")]))
                (text_field(form, "password", "Your password, to confirm", "password", None, Attrs::required().auto("current-password")))
                button type="submit" { "Erase my account" }
            }
        }
        p { a href="/me" { "Back to your profile" } }
    };
    page(chrome, "Privacy and your data", body)
}
