//! Issue 18's canned removal reasons and the moderators' open-queue count, issue 19's
//! appeal against a ban made outside the queue, and the member's country in their export
//! and erasure; each on both backends.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, TestApp, World, PASSWORD};

async fn community(app: &TestApp) -> World {
    Fixture::new(app)
        .community("myeloma", "public", "open")
        .moderator("mod_maria")
        .members(["new_member", "reader_one"])
        .thread("Induction side effects", "How is everyone doing?")
        .build()
        .await
}

const REASONS: &str = "/api/v1/communities/myeloma/removal-reasons";

fn texts(list: &Value) -> Vec<(String, bool)> {
    list["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| {
            (
                r["text"].as_str().expect("text").to_owned(),
                r["is_default"].as_bool().expect("is_default"),
            )
        })
        .collect()
}

/// Holds a post with a phone number (a queue item) and returns the item's id.
async fn held_item(app: &TestApp, w: &World, text: &str) -> String {
    let held = app.reply(w.member("new_member"), w.thread_id(), text).await;
    assert_eq!(held["status"], "held", "{held}");
    let queue = app
        .get_json("/api/v1/mod/queue?community=myeloma", Some(w.moderator()))
        .await;
    queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == held["id"])
        .and_then(|i| i["id"].as_str())
        .expect("the held post's item")
        .to_owned()
}

async fn moderators_keep_reasons_and_one_click_uses_the_default(app: TestApp) {
    let w = community(&app).await;
    let (moderator, reader) = (w.moderator(), w.member("reader_one"));
    assert_eq!(texts(&app.get_json(REASONS, Some(moderator)).await), []);
    assert_error(
        app.get(REASONS, Some(reader)).await,
        StatusCode::FORBIDDEN,
        "not_moderator",
    )
    .await;
    let response = app
        .get(
            "/api/v1/communities/nowhere/removal-reasons",
            Some(moderator),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    for body in [
        json!({ "text": "" }),
        json!({ "text": "x".repeat(501) }),
        json!({ "text": "ok", "colour": "blue" }),
        json!({ "text": 7 }),
    ] {
        let response = app.post(REASONS, Some(moderator), body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
    let response = app
        .post(REASONS, Some(reader), json!({ "text": "Not mine to add" }))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let advert = "Advertising is not allowed here.";
    let details = "Please keep contact details out of posts.";
    let first = expect_json(
        app.post(REASONS, Some(moderator), json!({ "text": advert }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        texts(&first),
        [(advert.to_owned(), true)],
        "the first is the default"
    );
    let both = expect_json(
        app.post(REASONS, Some(moderator), json!({ "text": details }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        texts(&both),
        [(advert.to_owned(), true), (details.to_owned(), false)]
    );
    let response = app
        .post(REASONS, Some(moderator), json!({ "text": details }))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let details_id = both["reasons"][1]["id"].as_str().expect("id").to_owned();
    let switched = expect_json(
        app.request(
            Method::PUT,
            &format!("{REASONS}/{details_id}/default"),
            Some(moderator),
        )
        .send()
        .await
        .expect("PUT"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        texts(&switched),
        [(advert.to_owned(), false), (details.to_owned(), true)]
    );
    for id in ["nope", "123"] {
        let response = app
            .request(
                Method::PUT,
                &format!("{REASONS}/{id}/default"),
                Some(moderator),
            )
            .send()
            .await
            .expect("PUT");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{id}");
    }

    // The queue offers them, and its count says one item is open.
    let item = held_item(&app, &w, "Call me any evening on 555-014-2288.").await;
    let queue = app.get_json("/api/v1/mod/queue", Some(moderator)).await;
    assert_eq!(
        texts(&json!({ "reasons": queue["items"][0]["removal_reasons"] })).len(),
        2
    );
    let count = app
        .get_json("/api/v1/mod/queue/count", Some(moderator))
        .await;
    assert_eq!(count, json!({ "open": 1 }));
    assert_error(
        app.get("/api/v1/mod/queue/count", Some(reader)).await,
        StatusCode::FORBIDDEN,
        "not_moderator",
    )
    .await;

    // One click: no reason given, the default recorded and told to the author.
    let decided = app
        .post(
            &format!("/api/v1/mod/queue/{item}/decision"),
            Some(moderator),
            json!({ "action": "remove" }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let log = app
        .get_json("/api/v1/communities/myeloma/modlog", Some(moderator))
        .await;
    assert_eq!(log["items"][0]["reason"], details, "{log}");
    assert_eq!(
        app.get_json("/api/v1/mod/queue/count", Some(moderator))
            .await,
        json!({ "open": 0 })
    );

    // Removing the default makes the oldest left the default; with none left, a removal
    // without a reason is refused and changes nothing.
    let left = expect_json(
        app.delete(&format!("{REASONS}/{details_id}"), Some(moderator))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(texts(&left), [(advert.to_owned(), true)]);
    let advert_id = left["reasons"][0]["id"].as_str().expect("id").to_owned();
    let none = expect_json(
        app.delete(&format!("{REASONS}/{advert_id}"), Some(moderator))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(texts(&none), []);
    let response = app
        .delete(&format!("{REASONS}/{advert_id}"), Some(moderator))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let item = held_item(&app, &w, "Or text me on 555-014-9911 instead.").await;
    assert_error(
        app.post(
            &format!("/api/v1/mod/queue/{item}/decision"),
            Some(moderator),
            json!({ "action": "remove" }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_reason",
    )
    .await;
    assert_eq!(
        app.get_json("/api/v1/mod/queue/count", Some(moderator))
            .await,
        json!({ "open": 1 })
    );
}

async fn a_ban_from_the_members_list_can_be_appealed_once(app: TestApp) {
    let w = community(&app).await;
    let (moderator, banned) = (w.moderator(), w.member("new_member"));
    let response = app
        .post(
            "/api/v1/communities/myeloma/bans",
            Some(moderator),
            json!({ "username": "new_member" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let log = app
        .get_json("/api/v1/communities/myeloma/modlog", Some(moderator))
        .await;
    let entry = &log["items"][0];
    assert_eq!(entry["action"], "sanction", "{log}");
    assert_eq!(entry["sanction"], "ban");
    assert_eq!(entry["target_user"]["username"], "new_member");
    let decision_id = entry["id"].as_str().expect("id").to_owned();
    let posts = format!("/api/v1/threads/{}/posts", w.thread_id());
    let refused = app
        .post(&posts, Some(banned), json!({ "body": "Am I still here?" }))
        .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "a banned member cannot post"
    );

    // Someone else cannot appeal it; the member can, once.
    let appeal = |who| {
        app.post(
            "/api/v1/appeals",
            Some(who),
            json!({ "decision_id": decision_id, "text": "I think this was a mistake." }),
        )
    };
    assert_eq!(
        appeal(w.member("reader_one")).await.status(),
        StatusCode::NOT_FOUND
    );
    let filed = expect_json(appeal(banned).await, StatusCode::CREATED).await;
    assert_eq!(appeal(banned).await.status(), StatusCode::CONFLICT);
    let appeal_id = filed["id"].as_str().expect("appeal id").to_owned();

    // Not by the moderator who banned; an admin overturns it and the ban is lifted.
    let decision_path = format!("/api/v1/mod/appeals/{appeal_id}/decision");
    let decide = |who| {
        app.post(
            &decision_path,
            Some(who),
            json!({ "outcome": "overturned" }),
        )
    };
    assert_error(
        decide(moderator).await,
        StatusCode::FORBIDDEN,
        "same_moderator",
    )
    .await;
    assert_eq!(decide(&w.admin).await.status(), StatusCode::OK);
    let back = app
        .post(
            &posts,
            Some(banned),
            json!({ "body": "Thank you for looking again." }),
        )
        .await;
    assert_eq!(back.status(), StatusCode::CREATED, "the ban is lifted");
}

async fn the_country_is_exported_and_erased(app: TestApp) {
    let w = community(&app).await;
    let reader = w.member("reader_one");
    let response = app
        .request(Method::PUT, "/api/v1/me/country", Some(reader))
        .json(&json!({ "country": "IE" }))
        .send()
        .await
        .expect("PUT");
    assert!(response.status().is_success(), "{}", response.status());
    let export = app.get_json("/api/v1/me/export", Some(reader)).await;
    assert_eq!(export["country"], "IE");
    let other = app
        .get_json("/api/v1/me/export", Some(w.member("new_member")))
        .await;
    assert_eq!(other["country"], Value::Null);
    let response = app
        .request(Method::DELETE, "/api/v1/me", Some(reader))
        .json(&json!({ "password": PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("DELETE /me");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let store = app.store.clone();
    let user_id: i64 = reader.user_id.parse().expect("user id");
    let count = tokio::task::spawn_blocking(move || {
        store.read(|conn| kindred_server::store::privacy::references_to(conn, user_id))
    })
    .await
    .expect("join")
    .expect("references");
    assert_eq!(
        count, 0,
        "nothing names the erased member, their country included"
    );
}

both_backends!(
    moderators_keep_reasons_and_one_click_uses_the_default,
    a_ban_from_the_members_list_can_be_appealed_once,
    the_country_is_exported_and_erased,
);
