//! A member's control over their data: consents, export, erasure.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, TestApp, PASSWORD};

async fn erase(
    app: &TestApp,
    session: &crate::helpers::Session,
    password: &str,
    posts: &str,
) -> reqwest::Response {
    app.request(Method::DELETE, "/api/v1/me", Some(session))
        .json(&json!({ "password": password, "posts": posts }))
        .send()
        .await
        .expect("DELETE /me")
}

async fn consents_are_recorded_and_applied(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let sam = app.register("sam_patient").await;
    let jo = app.register("jo_carer").await;
    let stranger = app.register("stranger").await;
    app.join(&sam, "lung").await;
    app.join(&jo, "lung").await;
    let shared = app
        .patch(
            "/api/v1/me/profile",
            Some(&sam),
            json!({"role": "patient", "show_role": true}),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::OK);

    let before = app.get_json("/api/v1/me/consents", Some(&sam)).await;
    assert_eq!(before["profile_audience"], "members");
    assert_eq!(
        before["insights_opt_in"], false,
        "insights are off by default"
    );
    assert!(before["history"].as_array().expect("history").is_empty());

    // Members by default: any signed-in member sees the shared role, visitors do not.
    assert_eq!(
        app.get_json("/api/v1/users/sam_patient", Some(&stranger))
            .await["role"],
        "patient"
    );
    assert!(app.get_json("/api/v1/users/sam_patient", None).await["role"].is_null());

    let changed = app
        .patch(
            "/api/v1/me/consents",
            Some(&sam),
            json!({"profile_audience": "communities", "insights_opt_in": true}),
        )
        .await;
    let changed = expect_json(changed, StatusCode::OK).await;
    assert_eq!(changed["profile_audience"], "communities");
    assert_eq!(changed["insights_opt_in"], true);
    let history = changed["history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|h| h["at"].is_string()));
    assert_eq!(
        app.get_json("/api/v1/users/sam_patient", Some(&jo)).await["role"],
        "patient"
    );
    assert!(app
        .get_json("/api/v1/users/sam_patient", Some(&stranger))
        .await["role"]
        .is_null());

    let hidden = app
        .patch(
            "/api/v1/me/consents",
            Some(&sam),
            json!({"profile_audience": "nobody"}),
        )
        .await;
    assert_eq!(
        expect_json(hidden, StatusCode::OK).await["history"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    assert!(app.get_json("/api/v1/users/sam_patient", Some(&jo)).await["role"].is_null());
    assert_eq!(
        app.get_json("/api/v1/users/sam_patient", Some(&sam)).await["role"],
        "patient"
    );

    let bad = app
        .patch(
            "/api/v1/me/consents",
            Some(&sam),
            json!({"profile_audience": "everyone"}),
        )
        .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_profile_audience").await;
}

async fn export_holds_everything_of_the_member_and_nothing_of_others(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let moderator = app.register("mod_maria").await;
    app.appoint_moderator(&admin, "lung", "mod_maria").await;
    let sam = app.register("sam_patient").await;
    let jo = app.register("jo_carer").await;
    app.join(&sam, "lung").await;
    app.join(&jo, "lung").await;
    let (thread_id, first_post) = app
        .thread(&sam, "lung", "Scan on Friday", "Nervous about Friday.")
        .await;
    app.patch(
        &format!("/api/v1/posts/{first_post}"),
        Some(&sam),
        json!({"body": "Nervous about Monday now."}),
    )
    .await;
    let jo_post = app
        .reply(&jo, &thread_id, "Jo's private words about her mother")
        .await;
    let jo_post_id = jo_post["id"].as_str().expect("id");
    let reported = app
        .post(
            &format!("/api/v1/posts/{jo_post_id}/reports"),
            Some(&sam),
            json!({"reason": "off topic"}),
        )
        .await;
    assert_eq!(reported.status(), StatusCode::CREATED);
    let spam = app.reply(&sam, &thread_id, "Buy my thing").await;
    let spam_id = spam["id"].as_str().expect("id");
    app.post(
        &format!("/api/v1/posts/{spam_id}/reports"),
        Some(&jo),
        json!({"reason": "advert"}),
    )
    .await;
    let queue = app.get_json("/api/v1/mod/queue", Some(&moderator)).await;
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == spam_id)
        .expect("queued")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.post(
        &format!("/api/v1/mod/queue/{item}/decision"),
        Some(&moderator),
        json!({"action": "remove", "reason": "No selling"}),
    )
    .await;

    let response = app.get("/api/v1/me/export", Some(&sam)).await;
    assert!(response
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("attachment")));
    let export: Value = expect_json(response, StatusCode::OK).await;
    assert_eq!(export["account"]["username"], "sam_patient");
    assert_eq!(export["account"]["memberships"][0]["community"], "lung");
    assert!(export["consents"]["profile_audience"].is_string());
    let posts = export["posts"].as_array().expect("posts");
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0]["body"], "Nervous about Monday now.");
    assert_eq!(posts[0]["revisions"][0]["body"], "Nervous about Friday.");
    assert_eq!(posts[0]["thread_title"], "Scan on Friday");
    assert_eq!(posts[1]["status"], "removed");
    assert_eq!(export["threads_started"][0], thread_id.as_str());
    assert_eq!(export["reports_made"][0]["reason"], "off topic");
    assert_eq!(export["moderation_outcomes"][0]["action"], "remove");
    assert_eq!(export["moderation_outcomes"][0]["reason"], "No selling");
    let received = export["notifications"].as_array().expect("notifications");
    assert!(
        received.iter().any(|n| n["kind"] == "moderation_outcome"
            && n["detail"]
                .as_str()
                .is_some_and(|d| d.contains("No selling"))),
        "{received:?}"
    );
    let text = export.to_string();
    assert!(
        !text.contains("Jo's private words"),
        "another member's post leaked into the export"
    );
    assert!(
        !text.contains("jo_carer"),
        "another member's name leaked into the export"
    );
    assert!(
        !text.contains("mod_maria"),
        "the moderator's name leaked into the export"
    );

    // Exports are rate limited.
    for _ in 0..2 {
        assert_eq!(
            app.get("/api/v1/me/export", Some(&sam)).await.status(),
            StatusCode::OK
        );
    }
    let limited = app.get("/api/v1/me/export", Some(&sam)).await;
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

async fn erasure_keeps_posts_anonymous_or_deletes_them(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let sam = app.register("sam_patient").await;
    let jo = app.register("jo_carer").await;
    app.join(&sam, "lung").await;
    app.join(&jo, "lung").await;
    let (thread_id, sam_post) = app
        .thread(&sam, "lung", "Sam's thread", "Sam's words stay.")
        .await;
    app.patch(
        &format!("/api/v1/posts/{sam_post}"),
        Some(&sam),
        json!({"body": "Sam's words stay, edited."}),
    )
    .await;
    let (jo_thread, _) = app
        .thread(&jo, "lung", "Jo's thread", "Jo's words go.")
        .await;
    app.reply(&sam, &jo_thread, "A reply from Sam").await;
    app.reply(&jo, &thread_id, "Jo answers Sam").await;
    let sam_id: i64 = sam.user_id.parse().expect("id");
    let jo_id: i64 = jo.user_id.parse().expect("id");

    // The password is asked again.
    let wrong = erase(&app, &sam, "not the password", "anonymize").await;
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let bad_choice = erase(&app, &sam, PASSWORD, "shred").await;
    assert_error(bad_choice, StatusCode::BAD_REQUEST, "invalid_posts").await;

    assert_eq!(
        erase(&app, &sam, PASSWORD, "anonymize").await.status(),
        StatusCode::NO_CONTENT
    );
    let thread = app
        .get_json(&format!("/api/v1/threads/{thread_id}"), None)
        .await;
    assert_eq!(
        thread["posts"][0]["body_html"],
        "<p>Sam's words stay, edited.</p>\n"
    );
    assert!(
        thread["posts"][0]["author"].is_null(),
        "kept posts belong to a former member"
    );
    assert!(thread["thread"]["author"].is_null());
    assert!(!thread.to_string().contains("sam_patient"));
    assert_eq!(
        app.get("/api/v1/users/sam_patient", None).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.login("sam_patient", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&sam)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let community = app.get_json("/api/v1/communities/lung", None).await;
    assert_eq!(community["member_count"], 1);
    let store = app.store.clone();
    let traces = tokio::task::spawn_blocking(move || {
        kindred_server::service::privacy::traces_of(&store, sam_id)
    })
    .await
    .expect("join")
    .expect("traces");
    assert_eq!(traces, 0, "rows still name the erased member");
    // The search index follows: the kept post is found, without a name.
    let found = search_until(&app, "q=edited", |page| {
        page["items"][0]["post_id"] == sam_post.as_str() && page["items"][0]["author"].is_null()
    })
    .await;
    assert!(!found.to_string().contains("sam_patient"));

    // Deleting the posts: Jo's words go, her thread keeps its replies under a neutral title.
    assert_eq!(
        erase(&app, &jo, PASSWORD, "delete").await.status(),
        StatusCode::NO_CONTENT
    );
    let thread = app
        .get_json(&format!("/api/v1/threads/{jo_thread}"), None)
        .await;
    assert_eq!(thread["thread"]["title"], "A thread by a former member");
    assert_eq!(thread["posts"][0]["deleted"], true);
    assert_eq!(thread["posts"][0]["body_html"], "");
    assert!(!thread.to_string().contains("Jo's words go"));
    let sam_thread = app
        .get_json(&format!("/api/v1/threads/{thread_id}"), None)
        .await;
    assert!(!sam_thread.to_string().contains("Jo answers Sam"));
    let store = app.store.clone();
    let traces = tokio::task::spawn_blocking(move || {
        kindred_server::service::privacy::traces_of(&store, jo_id)
    })
    .await
    .expect("join")
    .expect("traces");
    assert_eq!(traces, 0);
}

/// Searches until `done` holds: the index follows the events log within a second or two.
async fn search_until(app: &TestApp, query: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let page = app.get_json(&format!("/api/v1/search?{query}"), None).await;
        if done(&page) {
            return page;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "search {query}: {page}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
}

both_backends!(
    consents_are_recorded_and_applied,
    export_holds_everything_of_the_member_and_nothing_of_others,
    erasure_keeps_posts_anonymous_or_deletes_them,
);
