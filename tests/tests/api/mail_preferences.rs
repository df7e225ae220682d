//! Notification mail against a real SMTP sink: preferences (defaults, patch, bad input),
//! immediate mail that by default names no community and quotes no post (and does with
//! the opt-in), items read or removed before sending are skipped, RFC 8058 one-click
//! unsubscribe, and a digest at the member's local hour. The job runs by hand with a
//! chosen "now" (`TestApp::notification_mail`), so no test waits for the clock.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use kindred_server::domain::ids::now_micros;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{expect_error, expect_json, Backend, Fixture, TestApp};
use crate::mail::{app_with_sink, header, readable, set_email, SmtpSink};
use crate::pages::Browser;

const MINUTE: i64 = 60 * 1_000_000;
const HOUR: i64 = 60 * MINUTE;

fn run_job(app: &TestApp, now: i64) -> kindred_server::service::mail_preferences::RunReport {
    app.notification_mail
        .run(&app.store, now)
        .expect("run the job")
}

/// A public community with a thread by `ana_patient` (who has an address) and a member
/// `ben_carer` who replies.
async fn world(app: &TestApp) -> crate::helpers::World {
    let w = Fixture::new(app)
        .community("lung-health", "public", "open")
        .members(["ana_patient", "ben_carer"])
        .thread_by("ana_patient", "Night coughing", "Anyone else awake at 3am?")
        .build()
        .await;
    set_email(app, "ana_patient", "ana@example.org");
    w
}

async fn preferences_default_and_patch(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let ana = app.register("ana_patient").await;
    let path = "/api/v1/me/mail-preferences";
    let defaults = app.get_json(path, Some(&ana)).await;
    assert_eq!(
        defaults,
        json!({
            "reply_to_thread": "daily", "reply_to_post": "daily", "mention": "daily",
            "watched_thread": "never", "moderation_outcome": "immediately",
            "private_message": "immediately", "show_content": false, "time_zone": "UTC", "utc_offset_minutes": 0,
            "digest_hour": 8
        })
    );
    let patched = expect_json(
        app.patch(
            path,
            Some(&ana),
            json!({ "mention": "immediately", "watched_thread": "weekly", "show_content": true,
                    "utc_offset_minutes": -300, "digest_hour": 19 }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(patched["mention"], "immediately");
    // An offset from an older client becomes the zone with that fixed offset.
    assert_eq!(patched["time_zone"], "Etc/GMT+5");
    assert_eq!(patched["utc_offset_minutes"], -300);
    assert_eq!(patched["reply_to_post"], "daily", "fields not sent stay");
    assert_eq!(app.get_json(path, Some(&ana)).await, patched);

    for (body, code) in [
        (json!({ "digest_hour": 24 }), "invalid_digest_hour"),
        (
            json!({ "utc_offset_minutes": 900 }),
            "invalid_utc_offset_minutes",
        ),
        (
            json!({ "utc_offset_minutes": 330 }),
            "invalid_utc_offset_minutes",
        ),
        (json!({ "time_zone": "Mars/Olympus" }), "invalid_time_zone"),
        (json!({ "time_zone": "UTC+2" }), "invalid_time_zone"),
    ] {
        let response = app.patch(path, Some(&ana), body).await;
        assert_eq!(expect_error(response, StatusCode::BAD_REQUEST).await, code);
    }
    for body in [json!({ "mention": "hourly" }), json!({ "colour": "blue" })] {
        let response = app.patch(path, Some(&ana), body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
    assert_eq!(app.get_json(path, Some(&ana)).await, patched);
    let response = app.get(path, None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // The settings page shows the choices and saves the form.
    let browser = Browser::new(&app);
    browser.sign_in("ana_patient").await;
    let page = browser.page("/me/mail", StatusCode::OK).await;
    assert!(page.contains(r#"value="weekly" selected"#), "{page}");
    let to = browser
        .submit_ok(
            "/me/mail",
            "/me/mail",
            &[
                ("reply_to_thread", "never"),
                ("reply_to_post", "weekly"),
                ("mention", "immediately"),
                ("watched_thread", "never"),
                ("moderation_outcome", "daily"),
                ("time_zone", "Europe/Paris"),
                ("digest_hour", "7"),
            ],
        )
        .await;
    assert_eq!(to, "/me/mail?notice=saved");
    let saved = app.get_json(path, Some(&ana)).await;
    assert_eq!(saved["reply_to_thread"], "never");
    assert_eq!(saved["show_content"], false, "an unticked box turns it off");
    assert_eq!(saved["digest_hour"], 7);
    assert_eq!(saved["time_zone"], "Europe/Paris");
    let page = browser.page("/me/mail", StatusCode::OK).await;
    assert!(page.contains(r#"value="Europe/Paris""#), "{page}");
    let response = browser
        .submit(
            "/me/mail",
            "/me/mail",
            &[
                ("reply_to_thread", "never"),
                ("reply_to_post", "weekly"),
                ("mention", "immediately"),
                ("watched_thread", "never"),
                ("moderation_outcome", "daily"),
                ("time_zone", "Paris"),
                ("digest_hour", "7"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get_json(path, Some(&ana)).await["time_zone"],
        "Europe/Paris"
    );
}

async fn immediate_mail_privacy_and_unsubscribe(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = world(&app).await;
    let ana = w.member("ana_patient");
    let ben = w.member("ben_carer");
    let path = "/api/v1/me/mail-preferences";
    app.patch(path, Some(ana), json!({ "reply_to_thread": "immediately" }))
        .await;

    app.reply(ben, w.thread_id(), "Inhalers by the bed help me a lot")
        .await;
    // Within the grace period nothing goes: the member may be reading the forum.
    assert_eq!(run_job(&app, now_micros()).immediate, 0);
    assert_eq!(run_job(&app, now_micros() + 2 * MINUTE).immediate, 1);
    let mail = readable(&sink.wait_for(1).await[0]);
    assert_eq!(
        header(&mail, "Subject"),
        Some("You have a new reply on Kindred")
    );
    assert_eq!(header(&mail, "To"), Some("ana@example.org"));
    for secret in ["Inhalers", "lung-health", "Night coughing"] {
        assert!(
            !mail.contains(secret),
            "{secret} in a private-by-default mail"
        );
    }
    assert!(mail.contains(&format!("/t/{}", w.thread_id())));
    assert!(
        mail.contains("/me/mail"),
        "a footer link to the preferences"
    );
    assert_eq!(
        header(&mail, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let link = header(&mail, "List-Unsubscribe")
        .expect("List-Unsubscribe")
        .trim_matches(|c| c == '<' || c == '>')
        .to_owned();
    let token = link.split("token=").nth(1).expect("a token").to_owned();

    // With the opt-in, the mail says what the post says and where.
    app.patch(path, Some(ana), json!({ "show_content": true }))
        .await;
    app.reply(ben, w.thread_id(), "Spacers changed everything")
        .await;
    assert_eq!(run_job(&app, now_micros() + 2 * MINUTE).immediate, 1);
    let mail = readable(&sink.wait_for(2).await[1]);
    assert!(mail.contains("Spacers changed everything"));
    assert!(mail.contains("lung-health") && mail.contains("Night coughing"));

    // The link opens a confirmation page; an altered token is refused.
    let page = app.get(&format!("/unsubscribe?token={token}"), None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let mut altered = token.clone();
    let last = altered.pop().expect("a character");
    altered.push(if last == 'A' { 'B' } else { 'A' });
    let one_click = |token: &str| {
        app.client
            .post(app.url(&format!("/unsubscribe?token={token}")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
    };
    let response = one_click(&altered).await.expect("post");
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    assert_eq!(
        app.get_json(path, Some(ana)).await["reply_to_thread"],
        "immediately"
    );
    // One click, no session, no CSRF token: that kind is off.
    let response = one_click(&token).await.expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let preferences = app.get_json(path, Some(ana)).await;
    assert_eq!(preferences["reply_to_thread"], "never");
    assert_eq!(preferences["mention"], "daily", "other kinds stay");
    app.reply(ben, w.thread_id(), "Anything else?").await;
    assert_eq!(run_job(&app, now_micros() + 2 * MINUTE).immediate, 0);
}

async fn read_or_removed_items_send_nothing(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = world(&app).await;
    let ana = w.member("ana_patient");
    let ben = w.member("ben_carer");
    app.patch(
        "/api/v1/me/mail-preferences",
        Some(ana),
        json!({ "reply_to_thread": "immediately" }),
    )
    .await;

    // Read in the browser before the mail went.
    app.reply(ben, w.thread_id(), "First reply").await;
    let response = app
        .post(
            "/api/v1/notifications/read",
            Some(ana),
            json!({ "all": true }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Deleted by its author before the mail went.
    let post = app.reply(ben, w.thread_id(), "Second reply").await;
    let post_id = post["id"].as_str().expect("post id");
    let response = app
        .delete(&format!("/api/v1/posts/{post_id}"), Some(ben))
        .await;
    assert!(response.status().is_success(), "{}", response.status());

    let report = run_job(&app, now_micros() + 2 * MINUTE);
    assert_eq!(report.immediate, 0);
    assert_eq!(report.skipped, 2);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(sink.messages().is_empty(), "nothing was sent");
}

async fn digest_at_the_local_hour(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = world(&app).await;
    let ana = w.member("ana_patient");
    let ben = w.member("ben_carer");
    // Three hours from now, local time (UTC+2).
    let now = now_micros();
    let offset = 120;
    let local_hour = ((now + offset * MINUTE).rem_euclid(24 * HOUR) / HOUR + 3) % 24;
    app.patch(
        "/api/v1/me/mail-preferences",
        Some(ana),
        json!({ "utc_offset_minutes": offset, "digest_hour": local_hour }),
    )
    .await;
    app.reply(ben, w.thread_id(), "One").await;
    app.reply(ben, w.thread_id(), "Two").await;
    app.reply(ben, w.thread_id(), "Three").await;

    assert_eq!(run_job(&app, now_micros()).digests, 0, "not the hour yet");
    let at = now + 3 * HOUR;
    let report = run_job(&app, at);
    assert_eq!((report.digests, report.immediate), (1, 0));
    let mail = readable(&sink.wait_for(1).await[0]);
    assert_eq!(
        header(&mail, "Subject"),
        Some("You have 3 new replies on Kindred")
    );
    assert!(!mail.contains("Three"), "no post text by default");
    assert!(header(&mail, "List-Unsubscribe").is_some_and(|l| l.contains("digest_daily")));
    // Once a day: a new reply waits for tomorrow's digest.
    app.reply(ben, w.thread_id(), "Four").await;
    assert_eq!(run_job(&app, at + 10 * MINUTE).digests, 0);
    assert_eq!(run_job(&app, at + 24 * HOUR).digests, 1);
    sink.wait_for(2).await;
}

/// Replies, and dates the new notification `at`: the job only looks a week back from its
/// chosen "now".
async fn reply_dated(
    app: &TestApp,
    who: &crate::helpers::Session,
    thread: &str,
    text: &str,
    at: i64,
) {
    app.reply(who, thread, text).await;
    let sql = format!("UPDATE notifications SET created_at = {at} WHERE mailed_at IS NULL");
    app.store
        .write(|conn| Ok(conn.batch_execute(&sql)?))
        .expect("date the notification");
}

/// A member in New York gets the 8 a.m. digest at 13:00 UTC in winter and 12:00 UTC in
/// summer, without touching their settings.
async fn digest_follows_daylight_saving(backend: Backend) {
    const WINTER_8AM: i64 = 1_800_018_000_000_000; // 2027-01-15 13:00 UTC
    const SUMMER_9AM: i64 = 1_815_656_400_000_000; // 2027-07-15 13:00 UTC
    const SUMMER_8AM: i64 = 1_815_652_800_000_000; // 2027-07-15 12:00 UTC
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = world(&app).await;
    let ana = w.member("ana_patient");
    let ben = w.member("ben_carer");
    let response = app
        .patch(
            "/api/v1/me/mail-preferences",
            Some(ana),
            json!({ "time_zone": "America/New_York", "digest_hour": 8 }),
        )
        .await;
    let saved = expect_json(response, StatusCode::OK).await;
    assert_eq!(saved["time_zone"], "America/New_York");
    reply_dated(&app, ben, w.thread_id(), "One", WINTER_8AM - 2 * HOUR).await;
    assert_eq!(run_job(&app, WINTER_8AM - HOUR).digests, 0);
    assert_eq!(run_job(&app, WINTER_8AM).digests, 1);
    reply_dated(&app, ben, w.thread_id(), "Two", SUMMER_8AM - 2 * HOUR).await;
    assert_eq!(
        run_job(&app, SUMMER_9AM).digests,
        0,
        "13:00 UTC is 9 a.m. in July"
    );
    assert_eq!(run_job(&app, SUMMER_8AM).digests, 1);
    sink.wait_for(2).await;
}

/// The migration turns offsets into zones: 0 → UTC, whole hours → `Etc/GMT±N` (sign
/// reversed), half hours → UTC.
async fn offsets_migrate_to_zones(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let ana = app.register("ana_patient").await;
    let ben = app.register("ben_carer").await;
    let cy = app.register("cy_nurse").await;
    let path = "/api/v1/me/mail-preferences";
    for who in [&ana, &ben, &cy] {
        app.patch(path, Some(who), json!({ "digest_hour": 9 }))
            .await;
    }
    // Back to the offsets column as it was, then forward again.
    let migration = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../migrations/{}/2026-12-09-000012_email_and_time_zones",
        match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    ));
    let read = |name: &str| std::fs::read_to_string(migration.join(name)).expect("migration");
    let (down, up) = (read("down.sql"), read("up.sql"));
    let sql = format!(
        "{down}\nUPDATE mail_preferences SET utc_offset_minutes = CASE user_id \
         WHEN {} THEN 0 WHEN {} THEN 120 ELSE -330 END;\n{up}",
        ana.user_id, ben.user_id
    );
    app.store
        .write(|conn| Ok(conn.batch_execute(&sql)?))
        .expect("down and up");
    assert_eq!(app.get_json(path, Some(&ana)).await["time_zone"], "UTC");
    assert_eq!(
        app.get_json(path, Some(&ben)).await["time_zone"],
        "Etc/GMT-2"
    );
    assert_eq!(
        app.get_json(path, Some(&ben)).await["utc_offset_minutes"],
        120
    );
    assert_eq!(app.get_json(path, Some(&cy)).await["time_zone"], "UTC");
}

crate::both_backends!(
    backend;
    preferences_default_and_patch,
    immediate_mail_privacy_and_unsubscribe,
    read_or_removed_items_send_nothing,
    digest_at_the_local_hour,
    digest_follows_daylight_saving,
    offsets_migrate_to_zones,
);
