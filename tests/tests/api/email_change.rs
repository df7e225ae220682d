//! A member's e-mail address, against the real SMTP server of `mail.rs`: a change is
//! confirmed by a link mailed to the new address, with a notice to the old one; bad
//! passwords, addresses and links are clear 4xx; only the latest link works, once, for 24
//! hours; and with `KINDRED_REQUIRE_EMAIL_VERIFICATION` a new member reads but cannot join
//! or post until they confirm, with a rate-limited "mail me a new link".

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{expect_error, expect_json, spawn_app_with, Backend, Session, TestApp};
use crate::mail::{
    app_with_sink, ask_reset, execute, fast_mail, header, link_token, readable,
    register_with_email, reset_token, SmtpSink,
};

/// The confirmation token in a confirmation mail.
fn confirm_token(message: &str) -> String {
    link_token(message, "/email/confirm?token=")
}

async fn change(
    app: &TestApp,
    session: &Session,
    new_email: &str,
    password: &str,
) -> reqwest::Response {
    app.post(
        "/api/v1/me/email",
        Some(session),
        json!({ "new_email": new_email, "current_password": password }),
    )
    .await
}

async fn confirm(app: &TestApp, token: &str) -> reqwest::Response {
    app.post(
        "/api/v1/auth/email/confirm",
        None,
        json!({ "token": token }),
    )
    .await
}

async fn my_email(app: &TestApp, session: &Session) -> serde_json::Value {
    let me = expect_json(app.get("/api/v1/me", Some(session)).await, StatusCode::OK).await;
    me["email"].clone()
}

async fn email_change_is_confirmed_by_the_new_address(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let sam = register_with_email(&app, "sam_p", "sam@example.org").await;
    ask_reset(&app, "sam@example.org").await;
    let pending_reset = reset_token(&sink.wait_for(1).await[0]);

    // Bad input changes nothing and mails nothing.
    let response = change(&app, &sam, "new@example.org", "not my password").await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_current_password"
    );
    let response = change(&app, &sam, "not an address", crate::helpers::PASSWORD).await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_new_email"
    );
    let response = change(&app, &sam, "SAM@example.org", crate::helpers::PASSWORD).await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_new_email"
    );
    let response = app
        .post(
            "/api/v1/me/email",
            None,
            json!({ "new_email": "x@example.org", "current_password": "x" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let response = change(&app, &sam, "new@example.org", crate::helpers::PASSWORD).await;
    expect_json(response, StatusCode::ACCEPTED).await;
    let messages = sink.wait_for(3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sink.messages().len(),
        3,
        "nothing mailed for the refused requests"
    );
    let to_new = messages
        .iter()
        .find(|m| header(m, "To") == Some("new@example.org"))
        .expect("a link to the new address");
    assert_eq!(
        header(to_new, "Subject"),
        Some("Confirm your new e-mail address for Kindred")
    );
    let to_old = messages
        .iter()
        .find(|m| {
            header(m, "To") == Some("sam@example.org")
                && header(m, "Subject")
                    == Some("A new e-mail address was given for your Kindred account")
        })
        .expect("a notice to the current address");
    assert!(
        !readable(to_old).contains("new@example.org"),
        "the notice names no address"
    );
    assert!(
        !readable(to_old).contains("/email/confirm"),
        "and carries no link to confirm"
    );
    assert_eq!(
        my_email(&app, &sam).await,
        "sam@example.org",
        "not changed yet"
    );

    // The link opens a page with a button (mail scanners follow links); an altered one
    // changes nothing.
    let token = confirm_token(to_new);
    assert_eq!(token.len(), 43);
    let page = app
        .get(&format!("/email/confirm?token={token}"), None)
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let mut altered = token.clone();
    altered.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    assert_eq!(
        expect_error(confirm(&app, &altered).await, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    assert_eq!(my_email(&app, &sam).await, "sam@example.org");

    let response = confirm(&app, &token).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(my_email(&app, &sam).await, "new@example.org");

    // The link works once, and the reset link mailed to the old address died with it.
    assert_eq!(
        expect_error(confirm(&app, &token).await, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let page = app
        .get(&format!("/email/confirm?token={token}"), None)
        .await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": pending_reset, "password": "a brand new quiet morning" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );

    // Only the latest link works, and none after 24 hours.
    change(&app, &sam, "first@example.org", crate::helpers::PASSWORD).await;
    change(&app, &sam, "second@example.org", crate::helpers::PASSWORD).await;
    let messages = sink.wait_for(7).await;
    let link_to = |address: &str| {
        confirm_token(
            messages
                .iter()
                .find(|m| header(m, "To") == Some(address))
                .expect("a link"),
        )
    };
    let (first, second) = (link_to("first@example.org"), link_to("second@example.org"));
    assert_eq!(
        expect_error(confirm(&app, &first).await, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    execute(&app, "UPDATE email_confirmations SET expires_at = 1");
    assert_eq!(
        expect_error(confirm(&app, &second).await, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    assert_eq!(my_email(&app, &sam).await, "new@example.org");
}

/// An app that sends to `sink` and requires new members to confirm their address.
async fn verifying_app(backend: Backend, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    spawn_app_with(
        backend,
        |input| input.smtp_url = Some(url),
        |settings| {
            fast_mail(settings);
            settings.mail.require_email_verification = true;
        },
    )
    .await
}

async fn new_members_confirm_before_taking_part(backend: Backend) {
    let sink = SmtpSink::start();
    let app = verifying_app(backend, &sink).await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;

    let response = app
        .register_raw(json!({ "username": "no_mail", "password": crate::helpers::PASSWORD }))
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_email"
    );

    let jo = register_with_email(&app, "jo_carer", "jo@example.org").await;
    let first = sink.wait_for(1).await;
    assert_eq!(header(&first[0], "To"), Some("jo@example.org"));
    assert_eq!(
        header(&first[0], "Subject"),
        Some("Confirm your e-mail address for Kindred")
    );
    let first_link = confirm_token(&first[0]);

    // Reading works; joining (and so posting) waits for the confirmation.
    let response = app.get("/api/v1/communities/lung", Some(&jo)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .post("/api/v1/communities/lung/join", Some(&jo), json!({}))
        .await;
    assert_eq!(
        expect_error(response, StatusCode::FORBIDDEN).await,
        "email_unconfirmed"
    );
    // Added by a moderator, the member still cannot post.
    app.add_member(&admin, "lung", "jo_carer").await;
    let response = app
        .post(
            "/api/v1/communities/lung/threads",
            Some(&jo),
            json!({ "title": "Hello everyone", "body": "First post here" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::FORBIDDEN).await,
        "email_unconfirmed"
    );
    let page = crate::pages::Browser::new(&app);
    page.sign_in("jo_carer").await;
    let settings = page.page("/me/email", StatusCode::OK).await;
    assert!(settings.contains("Mail me a new link"), "{settings}");

    // A new link replaces the first; resends are limited.
    let response = app
        .post("/api/v1/me/email/confirmation", Some(&jo), json!({}))
        .await;
    expect_json(response, StatusCode::ACCEPTED).await;
    let second_link = confirm_token(&sink.wait_for(2).await[1]);
    for _ in 0..4 {
        let response = app
            .post("/api/v1/me/email/confirmation", Some(&jo), json!({}))
            .await;
        assert_eq!(response.status(), StatusCode::ACCEPTED);
    }
    let response = app
        .post("/api/v1/me/email/confirmation", Some(&jo), json!({}))
        .await;
    assert_eq!(
        expect_error(response, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    let messages = sink.wait_for(6).await;
    let latest = confirm_token(messages.last().expect("mail"));
    for stale in [first_link, second_link] {
        assert_eq!(
            expect_error(confirm(&app, &stale).await, StatusCode::BAD_REQUEST).await,
            "invalid_token"
        );
    }

    let response = confirm(&app, &latest).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .post(
            "/api/v1/communities/lung/threads",
            Some(&jo),
            json!({ "title": "Hello everyone", "body": "First post here" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .post("/api/v1/me/email/confirmation", Some(&jo), json!({}))
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "already_confirmed"
    );
    let settings = page.page("/me/email", StatusCode::OK).await;
    assert!(!settings.contains("Mail me a new link"));
}

/// The same change on the settings pages, without JavaScript: the form, the mailed link,
/// the button, and the page showing the new address.
async fn email_change_on_the_settings_pages(backend: Backend) {
    use crate::pages::{csrf_token, Browser};
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    let browser = Browser::new(&app);
    browser.sign_in("sam_p").await;
    let settings = browser.page("/me", StatusCode::OK).await;
    assert!(settings.contains("href=\"/me/email\""));

    let response = browser
        .submit(
            "/me/email",
            "/me/email",
            &[
                ("new_email", "nope"),
                ("current_password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let to = browser
        .submit_ok(
            "/me/email",
            "/me/email",
            &[
                ("new_email", "sam.new@example.org"),
                ("current_password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(to, "/me/email?notice=mailed");
    let messages = sink.wait_for(2).await;
    let link = messages
        .iter()
        .find(|m| header(m, "To") == Some("sam.new@example.org"))
        .expect("the link");
    let token = confirm_token(link);
    let form = browser
        .page(&format!("/email/confirm?token={token}"), StatusCode::OK)
        .await;
    let csrf = csrf_token(&form);
    let response = browser
        .post(
            "/email/confirm",
            &[("csrf_token", &csrf), ("token", &token)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("Your address is confirmed."));
    let page = browser.page("/me/email", StatusCode::OK).await;
    assert!(page.contains("sam.new@example.org"), "{page}");
    let response = browser
        .post(
            "/email/confirm",
            &[("csrf_token", &csrf), ("token", &token)],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a link works once"
    );
}

crate::both_backends!(
    backend;
    email_change_is_confirmed_by_the_new_address,
    new_members_confirm_before_taking_part,
    email_change_on_the_settings_pages,
);
