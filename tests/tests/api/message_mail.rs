//! Mail about new private messages (issue 18) against a real SMTP sink, on both backends:
//! after the grace period and once per message, never with the message's words (the
//! sender's name only with the member's `show_content` opt-in), and nothing for messages
//! read meanwhile, muted conversations, blocked senders, memorialised members, or members
//! who turned this mail off (in their preferences or with one click). And a message at
//! risk shows its author the crisis lines.

use kindred_server::domain::ids::now_micros;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{expect_json, Backend, Session, TestApp};
use crate::mail::{app_with_sink, header, readable, set_email, SmtpSink};
use crate::messages::{send, started, ward};

const MINUTE: i64 = 60 * 1_000_000;

/// Runs the mail job past the grace period; how many message mails it queued.
fn run_job(app: &TestApp) -> usize {
    app.notification_mail
        .run(&app.store, now_micros() + 2 * MINUTE)
        .expect("run the job")
        .messages
}

async fn new_messages_are_mailed_without_their_words(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    set_email(&app, "ben_carer", "ben@example.org");
    let created = started(
        &app,
        ana,
        &["ben_carer"],
        "My scan results are back: stage 3",
    )
    .await;
    let id = created["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // Within the grace period nothing goes; after it, one mail, once.
    let within = app
        .notification_mail
        .run(&app.store, now_micros())
        .expect("run");
    assert_eq!(within.messages, 0);
    assert_eq!(run_job(&app), 1);
    assert_eq!(run_job(&app), 0, "each message is mailed once");
    let mail = readable(&sink.wait_for(1).await[0]);
    assert_eq!(
        header(&mail, "Subject"),
        Some("You have a new private message on Kindred")
    );
    assert_eq!(header(&mail, "To"), Some("ben@example.org"));
    for secret in ["scan results", "stage 3", "ana_patient"] {
        assert!(!mail.contains(secret), "{secret} in the mail:\n{mail}");
    }
    assert!(mail.contains(&format!("/messages/{id}")), "{mail}");
    let unsubscribe = header(&mail, "List-Unsubscribe")
        .expect("List-Unsubscribe")
        .trim_matches(|c| c == '<' || c == '>')
        .to_owned();
    assert!(unsubscribe.contains("private_message"), "{unsubscribe}");

    // With the opt-in the sender is named; the words never are. The author gets nothing.
    let prefs = "/api/v1/me/mail-preferences";
    app.patch(prefs, Some(ben), json!({ "show_content": true }))
        .await;
    assert_eq!(
        send(&app, ana, &id, "Surgery is on Friday").await.status(),
        StatusCode::CREATED
    );
    assert_eq!(run_job(&app), 1);
    let mail = readable(&sink.wait_for(2).await[1]);
    assert!(mail.contains("ana_patient"), "{mail}");
    assert!(!mail.contains("Surgery"), "{mail}");

    // Read before the mail went: nothing.
    send(&app, ana, &id, "Are you awake?").await;
    app.get_json(&format!("/api/v1/conversations/{id}/messages"), Some(ben))
        .await;
    assert_eq!(run_job(&app), 0, "read in the browser first");

    // A muted conversation: nothing.
    let mute = format!("/api/v1/conversations/{id}/mute");
    let muted = app
        .request(Method::PUT, &mute, Some(ben))
        .send()
        .await
        .expect("PUT");
    assert!(muted.status().is_success(), "{}", muted.status());
    send(&app, ana, &id, "Muted news").await;
    assert_eq!(run_job(&app), 0, "muted");
    assert!(app.delete(&mute, Some(ben)).await.status().is_success());

    // Turned off in the preferences: nothing.
    app.patch(prefs, Some(ben), json!({ "private_message": "never" }))
        .await;
    send(&app, ana, &id, "Not mailed").await;
    assert_eq!(run_job(&app), 0, "never");
    app.patch(
        prefs,
        Some(ben),
        json!({ "private_message": "immediately" }),
    )
    .await;

    // Ben blocks Ana after her message arrived: it is not news to mail him.
    send(&app, ana, &id, "One more thing").await;
    let blocked = app
        .post(
            "/api/v1/me/blocks",
            Some(ben),
            json!({ "username": "ana_patient" }),
        )
        .await;
    assert!(blocked.status().is_success(), "{}", blocked.status());
    assert_eq!(run_job(&app), 0, "blocked sender");
    assert!(app
        .delete("/api/v1/me/blocks/ana_patient", Some(ben))
        .await
        .status()
        .is_success());

    // One click turns it off without signing in.
    let token = unsubscribe
        .split("token=")
        .nth(1)
        .expect("token")
        .to_owned();
    let response = app
        .client
        .post(app.url(&format!("/unsubscribe?token={token}")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.get_json(prefs, Some(ben)).await["private_message"],
        "never"
    );
    assert_eq!(sink.messages().len(), 2, "only the two mails above");
}

/// The id of a message that screening held.
async fn held_id(response: reqwest::Response) -> String {
    let message = expect_json(response, StatusCode::CREATED).await["message"].clone();
    assert_eq!(message["status"], "held", "{message}");
    message["id"].as_str().expect("id").to_owned()
}

/// A site admin publishes a held message.
async fn publish(app: &TestApp, admin: &Session, message: &str) {
    let decision = format!("/api/v1/admin/messages/{message}/decision");
    let published = app
        .post(&decision, Some(admin), json!({ "action": "publish" }))
        .await;
    assert_eq!(published.status(), StatusCode::OK);
}

/// A message screening held is mailed once a site admin publishes it, like one sent at
/// that moment: after the messages sent while it waited, and although the recipient read
/// the conversation meanwhile. Blocks and mutes still apply to it.
async fn a_held_message_is_mailed_once_published(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = ward(&app).await;
    let (ana, ben, admin) = (w.member("ana_patient"), w.member("ben_carer"), &w.admin);
    set_email(&app, "ana_patient", "ana@example.org");
    let id = started(&app, ana, &["ben_carer"], "How did the scan go?").await["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let held = held_id(send(&app, ben, &id, "Call me tonight on 555-014-2288.").await).await;
    assert_eq!(run_job(&app), 0, "nothing is mailed while it is held");

    // Ben writes again while it waits; Ana is mailed about that and reads it.
    send(&app, ben, &id, "The scan was clear.").await;
    assert_eq!(run_job(&app), 1);
    sink.wait_for(1).await;
    let read = format!("/api/v1/conversations/{id}/messages");
    assert_eq!(
        app.get_json(&read, Some(ana)).await["items"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        app.get_json("/api/v1/conversations", Some(ana)).await["unread_count"],
        0
    );

    // Published later, it is unread for Ana and mailed to her once.
    publish(&app, admin, &held).await;
    assert_eq!(
        app.get_json("/api/v1/conversations", Some(ana)).await["unread_count"],
        1
    );
    assert_eq!(run_job(&app), 1, "the published message is news");
    assert_eq!(run_job(&app), 0, "mailed once");
    let mail = readable(&sink.wait_for(2).await[1]);
    assert_eq!(header(&mail, "To"), Some("ana@example.org"));
    assert!(mail.contains(&format!("/messages/{id}")), "{mail}");
    assert!(!mail.contains("555-014-2288"), "{mail}");

    // A held message published while Ana has muted the conversation, or after she
    // blocked Ben, is not mailed either.
    let mute = format!("/api/v1/conversations/{id}/mute");
    let muted = app
        .request(Method::PUT, &mute, Some(ana))
        .send()
        .await
        .expect("PUT");
    assert!(muted.status().is_success(), "{}", muted.status());
    let quiet = held_id(send(&app, ben, &id, "Or text me on 555-014-2288.").await).await;
    publish(&app, admin, &quiet).await;
    assert_eq!(run_job(&app), 0, "muted");
    assert!(app.delete(&mute, Some(ana)).await.status().is_success());
    let waiting = held_id(send(&app, ben, &id, "My number is 555-014-2288.").await).await;
    let blocked = app
        .post(
            "/api/v1/me/blocks",
            Some(ana),
            json!({ "username": "ben_carer" }),
        )
        .await;
    assert!(blocked.status().is_success(), "{}", blocked.status());
    publish(&app, admin, &waiting).await;
    assert_eq!(run_job(&app), 0, "blocked sender");
    assert_eq!(sink.messages().len(), 2, "only the two mails above");
}

async fn memorialised_members_get_no_message_mail(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = ward(&app).await;
    let (ana, admin) = (w.member("ana_patient"), &w.admin);
    set_email(&app, "cat_survivor", "cat@example.org");
    let created = started(&app, ana, &["cat_survivor"], "Thinking of you").await;
    let id = created["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let done = app
        .post(
            "/api/v1/admin/users/cat_survivor/memorialise",
            Some(admin),
            json!({}),
        )
        .await;
    assert!(done.status().is_success(), "{}", done.status());
    send(&app, ana, &id, "Still thinking of you").await;
    assert_eq!(run_job(&app), 0);
    assert!(sink.messages().is_empty());
}

/// Crisis signals in a message are handled as in a post, as far as a message allows: its
/// author sees the crisis lines (no moderators read conversations, so no wellbeing item).
async fn a_message_at_risk_shows_its_author_the_crisis_lines(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let w = ward(&app).await;
    let ana = w.member("ana_patient");
    let care = app.get_json("/api/v1/me/care", Some(ana)).await;
    assert_eq!(care["panel"], serde_json::Value::Null);
    started(
        &app,
        ana,
        &["ben_carer"],
        "How are the new tablets treating you?",
    )
    .await;
    let care = app.get_json("/api/v1/me/care", Some(ana)).await;
    assert_eq!(
        care["panel"],
        serde_json::Value::Null,
        "an ordinary message"
    );
    started(
        &app,
        ana,
        &["cat_survivor"],
        "I've saved up my morphine for weeks and tonight is the night. \
         Thank you all for being kind to me.",
    )
    .await;
    let care = app.get_json("/api/v1/me/care", Some(ana)).await;
    assert!(care["panel"]["country"].is_object(), "{care}");
}

crate::both_backends!(
    backend;
    new_messages_are_mailed_without_their_words,
    a_held_message_is_mailed_once_published,
    memorialised_members_get_no_message_mail,
    a_message_at_risk_shows_its_author_the_crisis_lines,
);
