//! Reactions (`with_you`, `thank_you`, `me_too`, `helpful`): idempotent `PUT`/`DELETE`,
//! counts and "mine" on every post, who reacted, the author's one batched notification,
//! the refusals (unknown kind, unseen, unpublished, not a member, too many), the export
//! and erasure, and the buttons on the thread page without JavaScript.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, expect_json, spawn_app_with, Backend, Fixture, Session, TestApp, World, PASSWORD,
};
use crate::pages::Browser;

async fn ward(app: &TestApp) -> World {
    Fixture::new(app)
        .community("caregivers", "public", "open")
        .moderator("mod_ines")
        .members(["tired_carer", "helper_ana", "helper_ben", "helper_cal"])
        .thread_by(
            "tired_carer",
            "Three weeks of night shifts",
            "My husband's treatment means I barely sleep. I am running on empty.",
        )
        .build()
        .await
}

fn reaction_path(post: &str, kind: &str) -> String {
    format!("/api/v1/posts/{post}/reactions/{kind}")
}

async fn react(app: &TestApp, session: &Session, method: Method, post: &str, kind: &str) -> Value {
    let response = app
        .request(method, &reaction_path(post, kind), Some(session))
        .send()
        .await
        .expect("reaction request");
    expect_json(response, StatusCode::OK).await["reactions"].clone()
}

/// The first post of the thread as `session` reads it.
async fn first_post(app: &TestApp, w: &World, session: Option<&Session>) -> Value {
    let thread = app
        .get_json(&format!("/api/v1/threads/{}", w.thread_id()), session)
        .await;
    thread["posts"][0].clone()
}

async fn inbox(app: &TestApp, session: &Session) -> Vec<Value> {
    app.get_json("/api/v1/notifications", Some(session)).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

async fn reactions_count_once_per_member_and_show_on_every_post(app: TestApp) {
    let w = ward(&app).await;
    let post = w.first_post_id().to_owned();
    let ana = w.member("helper_ana");

    // Adding twice is adding once.
    let after = react(&app, ana, Method::PUT, &post, "with_you").await;
    assert_eq!(after["with_you"], json!({"count": 1, "mine": true}));
    let again = react(&app, ana, Method::PUT, &post, "with_you").await;
    assert_eq!(again["with_you"], json!({"count": 1, "mine": true}));
    react(&app, w.member("helper_ben"), Method::PUT, &post, "with_you").await;
    let cal = w.member("helper_cal");
    react(&app, cal, Method::PUT, &post, "with_you").await;
    let last = react(&app, cal, Method::PUT, &post, "helpful").await;
    assert_eq!(last["with_you"], json!({"count": 3, "mine": true}));
    assert_eq!(last["helpful"], json!({"count": 1, "mine": true}));
    assert_eq!(last["me_too"], json!({"count": 0, "mine": false}));

    // Every reader sees the counts; "mine" is each reader's own.
    let as_ana = first_post(&app, &w, Some(ana)).await;
    assert_eq!(
        as_ana["reactions"]["with_you"],
        json!({"count": 3, "mine": true})
    );
    assert_eq!(
        as_ana["reactions"]["helpful"],
        json!({"count": 1, "mine": false})
    );
    let as_visitor = first_post(&app, &w, None).await;
    assert_eq!(
        as_visitor["reactions"]["with_you"],
        json!({"count": 3, "mine": false})
    );
    assert_eq!(
        as_visitor["reactions"]["thank_you"],
        json!({"count": 0, "mine": false})
    );

    // Taking back twice is taking back once.
    let back = react(&app, ana, Method::DELETE, &post, "with_you").await;
    assert_eq!(back["with_you"], json!({"count": 2, "mine": false}));
    let back = react(&app, ana, Method::DELETE, &post, "with_you").await;
    assert_eq!(back["with_you"], json!({"count": 2, "mine": false}));

    // Who reacted, oldest first; anyone who can read the post may ask.
    let who = app
        .get_json(&format!("/api/v1/posts/{post}/reactions"), None)
        .await;
    let listed: Vec<(String, String)> = who["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            (
                r["user"]["username"].as_str().expect("username").to_owned(),
                r["kind"].as_str().expect("kind").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("helper_ben", "with_you"),
        ("helper_cal", "with_you"),
        ("helper_cal", "helpful"),
    ];
    assert_eq!(
        listed,
        expected.map(|(u, k)| (u.to_owned(), k.to_owned())),
        "{who}"
    );
    assert_eq!(who["reactions"]["with_you"]["count"], 2);

    // The author hears once per kind, with the number of people, not once per reaction.
    let author = w.member("tired_carer");
    let items = inbox(&app, author).await;
    let with_you: Vec<&Value> = items
        .iter()
        .filter(|n| n["kind"] == "reaction_with_you")
        .collect();
    assert_eq!(with_you.len(), 1, "{items:?}");
    assert_eq!(with_you[0]["detail"], "3 people are with you on your post");
    assert_eq!(with_you[0]["post_id"], post.as_str());
    assert_eq!(with_you[0]["read"], false);
    let helpful: Vec<&Value> = items
        .iter()
        .filter(|n| n["kind"] == "reaction_helpful")
        .collect();
    assert_eq!(helpful.len(), 1);
    assert_eq!(helpful[0]["detail"], "1 person found your post helpful");

    // Reacting to one's own post tells nobody anything.
    react(&app, author, Method::PUT, &post, "me_too").await;
    let after_own = inbox(&app, author).await;
    assert_eq!(after_own.len(), items.len());
    assert!(!after_own.iter().any(|n| n["kind"] == "reaction_me_too"));
}

async fn reactions_refuse_what_they_must(app: TestApp) {
    let w = ward(&app).await;
    let post = w.first_post_id().to_owned();
    let ana = w.member("helper_ana");

    // An unknown kind is a bad request; an unknown or malformed post is not found.
    let response = app
        .request(Method::PUT, &reaction_path(&post, "like"), Some(ana))
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_kind").await;
    for missing in ["999999999", "abc"] {
        let response = app
            .request(Method::PUT, &reaction_path(missing, "with_you"), Some(ana))
            .send()
            .await
            .expect("PUT");
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // Signed out: 401. A reader who has not joined: 403.
    let response = app
        .request(Method::PUT, &reaction_path(&post, "with_you"), None)
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let passer_by = app.register("passer_by").await;
    let response = app
        .request(
            Method::PUT,
            &reaction_path(&post, "with_you"),
            Some(&passer_by),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::FORBIDDEN, "not_member").await;

    // A held post: others cannot see it (404); its author and moderators see it but it
    // takes no reactions (409).
    let held = app
        .reply(
            ana,
            w.thread_id(),
            "Happy to talk any evening, call me on 555-014-2288.",
        )
        .await;
    assert_eq!(held["status"], "held");
    let held_id = held["id"].as_str().expect("id");
    let response = app
        .request(
            Method::PUT,
            &reaction_path(held_id, "with_you"),
            Some(w.member("helper_ben")),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .get(&format!("/api/v1/posts/{held_id}/reactions"), None)
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    for who in [ana, w.moderator()] {
        let response = app
            .request(Method::PUT, &reaction_path(held_id, "with_you"), Some(who))
            .send()
            .await
            .expect("PUT");
        assert_error(response, StatusCode::CONFLICT, "post_not_published").await;
    }
    // A deleted post takes none either.
    let gone = app.reply(ana, w.thread_id(), "I will delete this").await;
    let gone_id = gone["id"].as_str().expect("id");
    let response = app
        .delete(&format!("/api/v1/posts/{gone_id}"), Some(ana))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .request(
            Method::PUT,
            &reaction_path(gone_id, "thank_you"),
            Some(w.member("helper_ben")),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::CONFLICT, "post_not_published").await;

    // A private community's post is not found for outsiders, whatever they ask.
    app.community(&w.admin, "quiet-room", "private", "approval")
        .await;
    let (_, private_post) = app
        .thread(&w.admin, "quiet-room", "Just us", "A private first post")
        .await;
    let response = app
        .request(
            Method::PUT,
            &reaction_path(&private_post, "with_you"),
            Some(ana),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .get(
            &format!("/api/v1/posts/{private_post}/reactions"),
            Some(ana),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

async fn reactions_are_exported_and_erased_with_the_member(app: TestApp) {
    let w = ward(&app).await;
    let post = w.first_post_id().to_owned();
    let ben = w.member("helper_ben");
    react(&app, ben, Method::PUT, &post, "thank_you").await;
    let export = app.get_json("/api/v1/me/export", Some(ben)).await;
    assert_eq!(export["reactions"][0]["post_id"], post.as_str(), "{export}");
    assert_eq!(export["reactions"][0]["kind"], "thank_you");

    let response = app
        .request(Method::DELETE, "/api/v1/me", Some(ben))
        .json(&json!({ "password": PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("DELETE /me");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let seen = first_post(&app, &w, None).await;
    assert_eq!(seen["reactions"]["thank_you"]["count"], 0);
    let who = app
        .get_json(&format!("/api/v1/posts/{post}/reactions"), None)
        .await;
    assert_eq!(who["items"], json!([]));
}

async fn the_thread_page_reacts_without_javascript(app: TestApp) {
    let w = ward(&app).await;
    let post = w.first_post_id().to_owned();
    let thread = format!("/t/{}", w.thread_id());
    let browser = Browser::new(&app);
    browser.sign_in("helper_ana").await;
    let html = browser.page(&thread, StatusCode::OK).await;
    assert!(
        html.contains(r#"data-kind="with_you" aria-pressed="false""#),
        "{html}"
    );
    assert!(html.contains("With you"), "text labels, not emoji alone");

    let action = format!("{thread}/p/{post}/react");
    let to = browser
        .submit_ok(&thread, &action, &[("kind", "with_you"), ("on", "true")])
        .await;
    assert_eq!(to, format!("/p/{post}"), "back at the post");
    let html = browser.page(&thread, StatusCode::OK).await;
    assert!(
        html.contains(r#"data-kind="with_you" aria-pressed="true""#),
        "{html}"
    );
    assert!(html.contains(r#"name="on" value="false""#));

    // Without the form's CSRF token nothing happens.
    let response = browser
        .post(&action, &[("kind", "helpful"), ("on", "true")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let seen = first_post(&app, &w, None).await;
    assert_eq!(seen["reactions"]["helpful"]["count"], 0);
    assert_eq!(seen["reactions"]["with_you"]["count"], 1);

    // Visitors see the counts as text, without buttons.
    let visitor = Browser::new(&app);
    let html = visitor.page(&thread, StatusCode::OK).await;
    assert!(html.contains("With you: 1"), "{html}");
    assert!(!html.contains("react-form"));
}

both_backends! {
    reactions_count_once_per_member_and_show_on_every_post,
    reactions_refuse_what_they_must,
    reactions_are_exported_and_erased_with_the_member,
    the_thread_page_reacts_without_javascript,
}

/// Reactions per member per hour, tightened to three.
mod limited {
    use super::*;

    async fn tight(backend: Backend) -> TestApp {
        spawn_app_with(backend, |_| {}, |s| s.limits.reactions_per_hour = 3).await
    }

    async fn reactions_are_rate_limited_per_member(app: TestApp) {
        let w = ward(&app).await;
        let post = w.first_post_id().to_owned();
        let ana = w.member("helper_ana");
        for kind in ["with_you", "thank_you", "me_too"] {
            react(&app, ana, Method::PUT, &post, kind).await;
        }
        let response = app
            .request(Method::PUT, &reaction_path(&post, "helpful"), Some(ana))
            .send()
            .await
            .expect("PUT");
        assert!(response.headers().contains_key("retry-after"));
        assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        // Another member is not held back by Ana's taps.
        react(&app, w.member("helper_ben"), Method::PUT, &post, "helpful").await;
    }

    both_backends! {
        with super::tight;
        reactions_are_rate_limited_per_member,
    }
}
