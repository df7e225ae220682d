//! Private messages: conversations of 2 to 5 members who share a community, screening,
//! reports to site admins, muting, rate limits, export and erasure.

use diesel::connection::SimpleConnection;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, expect_json, spawn_app_with, Backend, Fixture, Session, TestApp, World, PASSWORD,
};
use crate::search::{post_ids, search_until};

/// Lifts a member to trust level 1 (a day old, one published post), which starting a
/// conversation needs.
pub fn make_trusted(app: &TestApp, username: &str) {
    let sql = format!(
        "UPDATE users SET created_at = created_at - 172800000000, published_posts = 1 \
         WHERE username = '{username}'"
    );
    app.store
        .write(move |conn| Ok(conn.batch_execute(&sql)?))
        .expect("make trusted");
}

/// A public community with three members; `ana_patient` may start conversations.
pub async fn ward(app: &TestApp) -> World {
    let w = Fixture::new(app)
        .admin("ward_admin")
        .community("lymphoma", "public", "open")
        .members(["ana_patient", "ben_carer", "cat_survivor"])
        .build()
        .await;
    make_trusted(app, "ana_patient");
    w
}

pub async fn start(app: &TestApp, from: &Session, to: &[&str], body: &str) -> reqwest::Response {
    app.post(
        "/api/v1/conversations",
        Some(from),
        json!({ "to": to, "body": body }),
    )
    .await
}

pub async fn started(app: &TestApp, from: &Session, to: &[&str], body: &str) -> Value {
    expect_json(start(app, from, to, body).await, StatusCode::CREATED).await
}

pub async fn send(
    app: &TestApp,
    from: &Session,
    conversation: &str,
    body: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/conversations/{conversation}/messages"),
        Some(from),
        json!({ "body": body }),
    )
    .await
}

async fn read(app: &TestApp, who: &Session, conversation: &str) -> Value {
    app.get_json(
        &format!("/api/v1/conversations/{conversation}/messages"),
        Some(who),
    )
    .await
}

fn texts(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["body_html"].as_str().expect("html").to_owned())
        .collect()
}

async fn members_who_share_a_community_talk_and_counts_follow(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben, cat) = (
        w.member("ana_patient"),
        w.member("ben_carer"),
        w.member("cat_survivor"),
    );
    let created = started(
        &app,
        ana,
        &["ben_carer", "Cat_Survivor", "ben_carer"],
        "How was **chemo** today?",
    )
    .await;
    let id = created["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let names: Vec<&str> = created["conversation"]["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| p["user"]["username"].as_str().expect("username"))
        .collect();
    assert_eq!(names, ["ana_patient", "ben_carer", "cat_survivor"]);
    assert_eq!(created["message"]["status"], "published");
    assert_eq!(
        created["message"]["body_html"],
        "<p>How was <strong>chemo</strong> today?</p>\n"
    );

    // Ben has one unread message, in the list, in the total and in the pages' header;
    // reading clears it.
    let list = app.get_json("/api/v1/conversations", Some(ben)).await;
    assert_eq!(list["unread_count"], 1, "{list}");
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert_eq!(list["items"][0]["unread_count"], 1);
    let browser = crate::pages::Browser::new(&app);
    browser.sign_in("ben_carer").await;
    let header = r#"href="/messages" data-unread="#;
    let home = browser.page("/", StatusCode::OK).await;
    assert!(home.contains(&format!(r#"{header}"1""#)), "{home}");
    let page = read(&app, ben, &id).await;
    assert_eq!(texts(&page).len(), 1);
    assert_eq!(
        app.get_json("/api/v1/conversations", Some(ben)).await["unread_count"],
        0
    );
    let home = browser.page("/", StatusCode::OK).await;
    assert!(home.contains(&format!(r#"{header}"0""#)), "{home}");

    // A member at trust level 0 may answer.
    let answer = expect_json(
        send(&app, ben, &id, "Tiring, thank you for asking").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(answer["message"]["author"]["username"], "ben_carer");
    assert_eq!(
        app.get_json("/api/v1/conversations", Some(ana)).await["unread_count"],
        1
    );
    assert_eq!(
        app.get_json("/api/v1/conversations", Some(cat)).await["unread_count"],
        2
    );

    // Keyset pages, oldest first.
    let first = app
        .get_json(
            &format!("/api/v1/conversations/{id}/messages?limit=1"),
            Some(cat),
        )
        .await;
    assert_eq!(
        texts(&first),
        ["<p>How was <strong>chemo</strong> today?</p>\n"]
    );
    let cursor = first["next_cursor"].as_str().expect("cursor");
    let second = app
        .get_json(
            &format!("/api/v1/conversations/{id}/messages?limit=1&cursor={cursor}"),
            Some(cat),
        )
        .await;
    assert_eq!(texts(&second), ["<p>Tiring, thank you for asking</p>\n"]);
    assert!(second["next_cursor"].is_null());

    // Muting takes the conversation out of the header's count.
    let muted = expect_json(
        app.request(
            Method::PUT,
            &format!("/api/v1/conversations/{id}/mute"),
            Some(ana),
        )
        .send()
        .await
        .expect("PUT"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(muted["muted"], true);
    let list = app.get_json("/api/v1/conversations", Some(ana)).await;
    assert_eq!(list["unread_count"], 0);
    assert_eq!(list["items"][0]["unread_count"], 1);

    // Nobody else reads it: not another member, not a site admin.
    let outsider = app.register("dan_outsider").await;
    for who in [&outsider, &w.admin] {
        assert_error(
            app.get(&format!("/api/v1/conversations/{id}/messages"), Some(who))
                .await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
        assert_error(
            send(&app, who, &id, "hello?").await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert!(
        app.get_json("/api/v1/conversations", Some(&outsider)).await["items"]
            .as_array()
            .expect("items")
            .is_empty()
    );
}

async fn every_bad_input_is_refused_with_its_code(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    for (to, code) in [
        (json!([]), "invalid_to"),
        (json!(["ana_patient"]), "invalid_to"),
        (json!(["not a name!"]), "invalid_to"),
    ] {
        assert_error(
            app.post(
                "/api/v1/conversations",
                Some(ana),
                json!({"to": to, "body": "hi"}),
            )
            .await,
            StatusCode::BAD_REQUEST,
            code,
        )
        .await;
    }
    for name in ["m_one", "m_two", "m_three", "m_four", "m_five"] {
        let member = app.register(name).await;
        app.join(&member, "lymphoma").await;
    }
    assert_error(
        start(
            &app,
            ana,
            &["m_one", "m_two", "m_three", "m_four", "m_five"],
            "hi all",
        )
        .await,
        StatusCode::BAD_REQUEST,
        "too_many_participants",
    )
    .await;
    // Four others is the most: five members in all.
    started(
        &app,
        ana,
        &["m_one", "m_two", "m_three", "m_four"],
        "hi all",
    )
    .await;
    assert_error(
        start(&app, ana, &["ben_carer"], "").await,
        StatusCode::BAD_REQUEST,
        "invalid_body",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/conversations",
            Some(ana),
            json!({"to": ["ben_carer"], "body": "x", "cc": []}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_json",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/conversations",
            None,
            json!({"to": ["ben_carer"], "body": "x"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;

    // No community shared, or nobody of that name: the same 403.
    let loner = app.register("lone_member").await;
    let no_community = assert_error(
        start(&app, ana, &["lone_member"], "hi").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    let unknown = assert_error(
        start(&app, ana, &["nobody_at_all"], "hi").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
    assert_eq!(no_community, unknown);
    make_trusted(&app, "lone_member");
    assert_error(
        start(&app, &loner, &["ana_patient"], "hi").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;

    // Trust level 0 cannot start one.
    assert_error(
        start(&app, ben, &["ana_patient"], "hi").await,
        StatusCode::FORBIDDEN,
        "trust_level_too_low",
    )
    .await;

    for path in [
        "/api/v1/conversations/abc/messages",
        "/api/v1/conversations/-1/messages",
        "/api/v1/conversations/999999/messages",
    ] {
        assert_error(
            app.get(path, Some(ana)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    assert_error(
        app.get("/api/v1/conversations?cursor=bm90IGEgY3Vyc29y", Some(ana))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_cursor",
    )
    .await;
}

async fn screening_holds_messages_for_the_site_admins(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    let id = started(&app, ana, &["ben_carer"], "Shall we talk on the phone?").await
        ["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let held = expect_json(
        send(
            &app,
            ben,
            &id,
            "Happy to talk any evening, call me on 555-014-2288.",
        )
        .await,
        StatusCode::CREATED,
    )
    .await["message"]
        .clone();
    assert_eq!(held["status"], "held");
    assert!(held["moderation_note"]
        .as_str()
        .expect("note")
        .contains("A moderator will look at it"));
    // Promotion from a new member is held as well: spam through messages is the attack.
    let advert = expect_json(
        send(
            &app,
            ben,
            &id,
            "Our turmeric capsules are 30% off this week, use code HEAL30 at checkout: shop.example.com/turmeric?ref=kindred",
        )
        .await,
        StatusCode::CREATED,
    )
    .await["message"]
        .clone();
    assert_eq!(advert["status"], "held", "{advert}");

    // The author sees them, the other side does not, and nothing is unread for them.
    assert_eq!(texts(&read(&app, ben, &id).await).len(), 3);
    let theirs = read(&app, ana, &id).await;
    assert_eq!(texts(&theirs).len(), 1);
    assert_eq!(
        app.get_json("/api/v1/conversations", Some(ana)).await["unread_count"],
        0
    );

    // Site admins review it; nobody else may.
    assert_error(
        app.get("/api/v1/admin/messages/held", Some(ana)).await,
        StatusCode::FORBIDDEN,
        "not_admin",
    )
    .await;
    let queue = app
        .get_json("/api/v1/admin/messages/held", Some(&w.admin))
        .await;
    assert_eq!(queue["items"][0]["message"]["id"], held["id"]);
    assert_eq!(
        queue["items"][0]["body"],
        "Happy to talk any evening, call me on 555-014-2288."
    );
    let message_id = held["id"].as_str().expect("id");
    assert_error(
        app.post(
            &format!("/api/v1/admin/messages/{message_id}/decision"),
            Some(&w.admin),
            json!({"action": "hide"}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_action",
    )
    .await;
    let published = expect_json(
        app.post(
            &format!("/api/v1/admin/messages/{message_id}/decision"),
            Some(&w.admin),
            json!({"action": "publish"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(published["status"], "published");
    assert_eq!(texts(&read(&app, ana, &id).await).len(), 2);
    let advert_id = advert["id"].as_str().expect("id");
    let removed = expect_json(
        app.post(
            &format!("/api/v1/admin/messages/{advert_id}/decision"),
            Some(&w.admin),
            json!({"action": "remove"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(removed["status"], "removed");
    assert_eq!(texts(&read(&app, ana, &id).await).len(), 2);
    assert!(app
        .get_json("/api/v1/admin/messages/held", Some(&w.admin))
        .await["items"]
        .as_array()
        .expect("items")
        .is_empty());
}

async fn reports_reach_site_admins_with_the_text_and_not_the_reporter(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    let created = started(&app, ana, &["ben_carer"], "You should stop your treatment.").await;
    let message_id = created["message"]["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/messages/{message_id}/report");
    // Not one's own message, not someone else's conversation.
    assert_error(
        app.post(&path, Some(ana), json!({"reason": "mine"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let outsider = w.member("cat_survivor");
    assert_error(
        app.post(&path, Some(outsider), json!({"reason": "x"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.post(&path, Some(ben), json!({"reason": " "})).await,
        StatusCode::BAD_REQUEST,
        "invalid_reason",
    )
    .await;
    let received = expect_json(
        app.post(&path, Some(ben), json!({"reason": "Dangerous advice"}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(received["status"], "received");

    assert_error(
        app.get("/api/v1/admin/messages/reports", Some(ben)).await,
        StatusCode::FORBIDDEN,
        "not_admin",
    )
    .await;
    let reports = app
        .get_json("/api/v1/admin/messages/reports", Some(&w.admin))
        .await;
    let report = &reports["items"][0];
    assert_eq!(report["message_text"], "You should stop your treatment.");
    assert_eq!(report["reason"], "Dangerous advice");
    assert_eq!(report["author"]["username"], "ana_patient");
    assert!(!reports.to_string().contains("ben_carer"), "{reports}");

    // Removing it takes it from both sides and closes the report.
    app.post(
        &format!("/api/v1/admin/messages/{message_id}/decision"),
        Some(&w.admin),
        json!({"action": "remove"}),
    )
    .await;
    let id = created["conversation"]["id"].as_str().expect("id");
    assert!(texts(&read(&app, ben, id).await).is_empty());
    assert!(app
        .get_json("/api/v1/admin/messages/reports", Some(&w.admin))
        .await["items"]
        .as_array()
        .expect("items")
        .is_empty());
}

async fn export_has_own_conversations_and_erasure_leaves_a_former_member(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben, cat) = (
        w.member("ana_patient"),
        w.member("ben_carer"),
        w.member("cat_survivor"),
    );
    let id = started(&app, ana, &["ben_carer"], "First words from Ana").await["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    send(&app, ben, &id, "Ben answers").await;
    make_trusted(&app, "cat_survivor");
    started(&app, cat, &["ben_carer"], "Cat writes to Ben alone").await;

    let export = app.get_json("/api/v1/me/export", Some(ana)).await;
    let text = export.to_string();
    assert!(
        text.contains("First words from Ana") && text.contains("Ben answers"),
        "{export}"
    );
    assert!(!text.contains("Cat writes to Ben alone"));
    let messages = export["conversations"][0]["messages"]
        .as_array()
        .expect("messages");
    assert_eq!(messages[0]["from_me"], true);
    assert_eq!(messages[1]["from_me"], false);

    // Ben erases his account: his words go, his place reads "a former member".
    let erased = app
        .request(Method::DELETE, "/api/v1/me", Some(ben))
        .json(&json!({ "password": PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("DELETE /me");
    assert!(erased.status().is_success(), "{}", erased.status());
    let page = read(&app, ana, &id).await;
    assert_eq!(texts(&page), ["<p>First words from Ana</p>\n"]);
    let participants = page["conversation"]["participants"]
        .as_array()
        .expect("participants");
    assert_eq!(participants[1]["name"], "a former member");
    assert!(participants[1]["user"].is_null());
    // Nobody is left to write to.
    assert_error(
        send(&app, ana, &id, "Are you there?").await,
        StatusCode::FORBIDDEN,
        "cannot_message",
    )
    .await;
}

/// Messages are never indexed: once a public post written after them is found, a search
/// by a participant (who may read the conversation) finds the post and nothing else.
async fn messages_never_appear_in_search(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben) = (w.member("ana_patient"), w.member("ben_carer"));
    let created = started(&app, ana, &["ben_carer"], "Zorblatt tea before my scan.").await;
    let conversation = created["conversation"]["id"].as_str().expect("id");
    expect_json(
        send(&app, ben, conversation, "Zorblatt helped me too.").await,
        StatusCode::CREATED,
    )
    .await;
    let (_, post) = app
        .thread(&w.admin, &w.slug, "Scan days", "Zorblatt tea on scan days.")
        .await;
    for who in [ana, ben] {
        let page = search_until(&app, "q=zorblatt", Some(who), |p| !post_ids(p).is_empty()).await;
        assert_eq!(post_ids(&page), std::slice::from_ref(&post), "{page}");
    }
}

async fn spawn_with_two_messages_an_hour(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        |_| {},
        |settings| settings.limits.posts_per_hour = 2,
    )
    .await
}

async fn messages_are_rate_limited(app: TestApp) {
    let w = ward(&app).await;
    let ana = w.member("ana_patient");
    let id = started(&app, ana, &["ben_carer"], "one").await["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        send(&app, ana, &id, "two").await.status(),
        StatusCode::CREATED
    );
    let limited = send(&app, ana, &id, "three").await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

mod limited {
    use super::*;

    both_backends!(with crate::messages::spawn_with_two_messages_an_hour;
        messages_are_rate_limited,
    );
}

both_backends!(
    members_who_share_a_community_talk_and_counts_follow,
    every_bad_input_is_refused_with_its_code,
    screening_holds_messages_for_the_site_admins,
    reports_reach_site_admins_with_the_text_and_not_the_reporter,
    export_has_own_conversations_and_erasure_leaves_a_former_member,
    messages_never_appear_in_search,
);
