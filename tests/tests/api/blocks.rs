//! Blocks and mutes: no messages either way (refused with the code that also means "no
//! community shared"), no notifications from a blocked member or a muted thread, and the
//! blocker's list.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Session, TestApp};
use crate::messages::{make_trusted, send, start, started, ward};
use crate::pages::Browser;

async fn block(app: &TestApp, who: &Session, username: &str) -> reqwest::Response {
    app.post(
        "/api/v1/me/blocks",
        Some(who),
        json!({ "username": username }),
    )
    .await
}

fn blocked_names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|b| b["user"]["username"].as_str().expect("username").to_owned())
        .collect()
}

async fn a_blocked_member_cannot_message_either_way_and_is_not_told(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    make_trusted(&app, "ben_carer");
    let id = started(&app, ben, &["ana_patient"], "Hi Ana").await["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let list = expect_json(block(&app, ana, "Ben_Carer").await, StatusCode::OK).await;
    assert_eq!(blocked_names(&list), ["ben_carer"]);
    // Blocking again changes nothing.
    let again = expect_json(block(&app, ana, "ben_carer").await, StatusCode::OK).await;
    assert_eq!(blocked_names(&again), ["ben_carer"]);

    // Ben's message is refused with the code a stranger gets, and the same words.
    let refused = assert_error(
        send(&app, ben, &id, "Are you there?").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    let fresh = assert_error(
        start(&app, ben, &["ana_patient"], "Hello again").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    app.register("lone_member").await;
    let stranger = assert_error(
        start(&app, ben, &["lone_member"], "Hello").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    assert_eq!(refused, stranger);
    assert_eq!(fresh, stranger);
    // Nor can Ana write to Ben.
    assert_error(
        send(&app, ana, &id, "Leave me be").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    assert_error(
        start(&app, ana, &["ben_carer"], "Hm").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    // Ben's own list knows nothing of it.
    let bens = app.get_json("/api/v1/me/blocks", Some(ben)).await;
    assert!(blocked_names(&bens).is_empty());

    let lifted = expect_json(
        app.delete("/api/v1/me/blocks/ben_carer", Some(ana)).await,
        StatusCode::OK,
    )
    .await;
    assert!(blocked_names(&lifted).is_empty());
    assert_eq!(
        send(&app, ben, &id, "Are you there?").await.status(),
        StatusCode::CREATED
    );
}

async fn bad_block_requests_are_refused(app: TestApp) {
    let w = ward(&app).await;
    let ana = w.member("ana_patient");
    assert_error(
        block(&app, ana, "ana_patient").await,
        StatusCode::BAD_REQUEST,
        "invalid_username",
    )
    .await;
    assert_error(
        block(&app, ana, "no such name").await,
        StatusCode::BAD_REQUEST,
        "invalid_username",
    )
    .await;
    assert_error(
        block(&app, ana, "nobody_here").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.post("/api/v1/me/blocks", Some(ana), json!({"user": "ben_carer"}))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_json",
    )
    .await;
    assert_error(
        app.delete("/api/v1/me/blocks/nobody_here", Some(ana)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/me/blocks", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

async fn unread_inbox(app: &TestApp, who: &Session) -> i64 {
    app.get_json("/api/v1/notifications", Some(who)).await["unread_count"]
        .as_i64()
        .expect("count")
}

async fn blocked_members_and_muted_threads_notify_nobody(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben, cat) = (
        w.member("ana_patient"),
        w.member("ben_carer"),
        w.member("cat_survivor"),
    );
    let (thread, _) = app
        .thread(
            ana,
            "lymphoma",
            "Night sweats",
            "Does anyone else get them?",
        )
        .await;

    block(&app, ana, "ben_carer").await;
    app.reply(ben, &thread, "Yes, every night. @ana_patient")
        .await;
    assert_eq!(unread_inbox(&app, ana).await, 0);
    app.reply(cat, &thread, "Me too, a fan helps").await;
    assert_eq!(unread_inbox(&app, ana).await, 1);

    // Muting the thread silences the rest of it.
    let path = format!("/api/v1/threads/{thread}/mute");
    let muted = expect_json(
        app.request(Method::PUT, &path, Some(ana))
            .send()
            .await
            .expect("PUT"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(muted["muted"], true);
    assert_eq!(app.get_json(&path, Some(ana)).await["muted"], true);
    app.reply(cat, &thread, "And cotton sheets, @ana_patient")
        .await;
    assert_eq!(unread_inbox(&app, ana).await, 1);
    let unmuted = expect_json(app.delete(&path, Some(ana)).await, StatusCode::OK).await;
    assert_eq!(unmuted["muted"], false);
    app.reply(cat, &thread, "Did the sheets help?").await;
    assert_eq!(unread_inbox(&app, ana).await, 2);

    // A thread one cannot see cannot be muted.
    assert_error(
        app.request(Method::PUT, "/api/v1/threads/999999/mute", Some(ana))
            .send()
            .await
            .expect("PUT"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn a_blocked_members_posts_are_folded_for_the_blocker_only(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    let (thread, _) = app
        .thread(
            ben,
            "lymphoma",
            "Sleep after chemo",
            "Nobody sleeps here, right?",
        )
        .await;
    block(&app, ana, "ben_carer").await;
    let path = format!("/api/v1/threads/{thread}");
    let for_ana = app.get_json(&path, Some(ana)).await;
    assert_eq!(for_ana["posts"][0]["author_blocked"], true, "{for_ana}");
    let for_cat = app.get_json(&path, Some(w.member("cat_survivor"))).await;
    assert!(
        for_cat["posts"][0].get("author_blocked").is_none(),
        "{for_cat}"
    );

    let browser = Browser::new(&app);
    browser.sign_in("ana_patient").await;
    let page = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(page.contains("You blocked this member — show"), "{page}");
    assert!(page.contains("<details class=\"blocked-post\">"), "{page}");
    let other = Browser::new(&app);
    other.sign_in("cat_survivor").await;
    let theirs = other.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(!theirs.contains("You blocked this member"));
    assert!(theirs.contains("Nobody sleeps here, right?"));
}

both_backends!(
    a_blocked_members_posts_are_folded_for_the_blocker_only,
    a_blocked_member_cannot_message_either_way_and_is_not_told,
    bad_block_requests_are_refused,
    blocked_members_and_muted_threads_notify_nobody,
);
