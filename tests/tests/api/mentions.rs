//! Replying to a particular post (`reply_to`, the quote and its link back, with and
//! without JavaScript's help), linked `@mentions` and who hears of them, and the
//! suggestions behind the mention autocomplete (`GET /api/v1/users/suggest`).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, expect_json, spawn_app_with, Backend, Fixture, Session, TestApp, World, PASSWORD,
};
use crate::pages::Browser;

const ADVERT: &str = "Buy our miracle turmeric capsules, 50% off today only at \
                      https://cure-shop.example — message me on WhatsApp +1 202 555 0143";

/// A public community with a thread by `sam_patient`, and a private group of three.
async fn ward(app: &TestApp) -> World {
    let w = Fixture::new(app)
        .community("caregivers", "public", "open")
        .community("glio-group", "private", "approval")
        .moderator("mod_ines")
        .members(["sam_patient", "jo_carer", "joan_helper", "jon_reader"])
        .thread_by(
            "sam_patient",
            "Scan day tomorrow",
            "Scan day tomorrow and I cannot sleep.",
        )
        .build()
        .await;
    for name in ["jo_carer", "joan_helper"] {
        app.add_member(w.moderator(), "glio-group", name).await;
    }
    w
}

async fn reply(app: &TestApp, session: &Session, thread: &str, body: Value) -> reqwest::Response {
    app.post(
        &format!("/api/v1/threads/{thread}/posts"),
        Some(session),
        body,
    )
    .await
}

async fn inbox(app: &TestApp, session: &Session) -> Vec<Value> {
    app.get_json("/api/v1/notifications", Some(session)).await["items"]
        .as_array()
        .expect("items")
        .clone()
}

fn kinds_for_post(items: &[Value], post: &str) -> Vec<String> {
    items
        .iter()
        .filter(|n| n["post_id"] == post)
        .map(|n| n["kind"].as_str().expect("kind").to_owned())
        .collect()
}

async fn suggest(app: &TestApp, session: &Session, q: &str, thread: &str) -> Vec<(String, bool)> {
    let found = app
        .get_json(
            &format!("/api/v1/users/suggest?q={q}&thread={thread}"),
            Some(session),
        )
        .await;
    found["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| {
            (
                u["username"].as_str().expect("username").to_owned(),
                u["in_thread"].as_bool().expect("in_thread"),
            )
        })
        .collect()
}

async fn a_reply_answers_a_post_the_member_can_see(app: TestApp) {
    let w = ward(&app).await;
    let thread = w.thread_id().to_owned();
    let first = w.first_post_id().to_owned();
    let jo = w.member("jo_carer");

    let answer = reply(
        &app,
        jo,
        &thread,
        json!({"body": "> [Sam wrote](/p/1):\n> Scan day\n\nThinking of you.", "reply_to": first}),
    )
    .await;
    let post = expect_json(answer, StatusCode::CREATED).await["post"].clone();
    assert_eq!(post["reply_to"], first.as_str());
    // The quote's link back to the post survives sanitising.
    assert!(
        post["body_html"]
            .as_str()
            .expect("html")
            .contains(r#"<a href="/p/1""#),
        "{post}"
    );
    let read = app
        .get_json(&format!("/api/v1/threads/{thread}"), Some(jo))
        .await;
    assert_eq!(read["posts"][1]["reply_to"], first.as_str());
    assert!(kinds_for_post(
        &inbox(&app, w.member("sam_patient")).await,
        post["id"].as_str().expect("id")
    )
    .contains(&"reply_to_post".to_owned()));

    // A post of a private group the member does not belong to: not found, as if absent.
    let (_, hidden) = app
        .thread(
            w.member("joan_helper"),
            "glio-group",
            "Private",
            "Only us here.",
        )
        .await;
    let answer = reply(
        &app,
        w.member("jon_reader"),
        &thread,
        json!({"body": "Quoting", "reply_to": hidden}),
    )
    .await;
    assert_error(answer, StatusCode::NOT_FOUND, "not_found").await;
    // A held post is seen by its author and the moderators only.
    let held = app.reply(w.member("jon_reader"), &thread, ADVERT).await;
    assert_eq!(held["status"], "held");
    let answer = reply(
        &app,
        jo,
        &thread,
        json!({"body": "Quoting", "reply_to": held["id"]}),
    )
    .await;
    assert_error(answer, StatusCode::NOT_FOUND, "not_found").await;
    // A post the member can see, but of another thread: a bad request.
    let (_, other) = app
        .thread(jo, "caregivers", "Another thread", "Hello there.")
        .await;
    let answer = reply(
        &app,
        jo,
        &thread,
        json!({"body": "Quoting", "reply_to": other}),
    )
    .await;
    assert_error(answer, StatusCode::BAD_REQUEST, "invalid_reply_to").await;
}

async fn mentions_link_and_notify_only_members_who_can_see_the_post(app: TestApp) {
    let w = ward(&app).await;
    let joan = w.member("joan_helper");
    let (thread, _) = app
        .thread(joan, "glio-group", "Our group", "Welcome, everyone.")
        .await;
    // jo_carer blocks joan; joan blocks nobody yet.
    let blocked = app
        .post(
            "/api/v1/me/blocks",
            Some(w.member("jo_carer")),
            json!({"username": "joan_helper"}),
        )
        .await;
    assert!(blocked.status().is_success(), "{}", blocked.status());
    let post = app
        .reply(
            joan,
            &thread,
            "Thanks @mod_ines and @Jo_Carer; @sam_patient is not in this group; \
             mail me at joan@mod_ines, not `@mod_ines`.",
        )
        .await;
    let html = post["body_html"].as_str().expect("html");
    // The moderator (a member of the group) is linked, once per mention in the text.
    assert_eq!(html.matches(r#"href="/u/mod_ines""#).count(), 1, "{html}");
    // jo_carer can see the post (only the notification is withheld): linked.
    assert!(
        html.contains(r#"href="/u/jo_carer">@Jo_Carer</a>"#),
        "{html}"
    );
    // sam_patient cannot see the private group: plain text, no link, no notification.
    assert!(!html.contains("/u/sam_patient"), "{html}");
    assert!(html.contains("@sam_patient"), "{html}");
    let id = post["id"].as_str().expect("id");
    assert_eq!(
        kinds_for_post(&inbox(&app, w.moderator()).await, id),
        ["mention"]
    );
    assert!(kinds_for_post(&inbox(&app, w.member("sam_patient")).await, id).is_empty());
    assert!(kinds_for_post(&inbox(&app, w.member("jo_carer")).await, id).is_empty());

    // A member the author blocked is not paged by the author's mentions.
    let blocked = app
        .post(
            "/api/v1/me/blocks",
            Some(joan),
            json!({"username": "mod_ines"}),
        )
        .await;
    assert!(blocked.status().is_success());
    let again = app.reply(joan, &thread, "One more thing, @mod_ines.").await;
    let id = again["id"].as_str().expect("id");
    assert!(kinds_for_post(&inbox(&app, w.moderator()).await, id).is_empty());

    // An edit links a mention it adds.
    let edited = expect_json(
        app.patch(
            &format!("/api/v1/posts/{}", post["id"].as_str().expect("id")),
            Some(joan),
            json!({"body": "Edited: thank you @jo_carer"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(edited["post"]["body_html"]
        .as_str()
        .expect("html")
        .contains(r#"href="/u/jo_carer""#));
}

async fn suggestions_come_from_the_thread_then_the_community(app: TestApp) {
    let w = ward(&app).await;
    let thread = w.thread_id().to_owned();
    let sam = w.member("sam_patient");
    // joan writes in the thread; jo_carer only elsewhere in the community; jon_reader
    // never writes (a reader's membership is not revealed).
    app.reply(w.member("joan_helper"), &thread, "Sending strength.")
        .await;
    app.thread(w.member("jo_carer"), "caregivers", "Night shifts", "Tired.")
        .await;
    assert_eq!(
        suggest(&app, sam, "jo", &thread).await,
        [
            ("joan_helper".to_owned(), true),
            ("jo_carer".to_owned(), false)
        ]
    );
    // An `@`, capitals and an underscore (not a wildcard) are fine.
    assert_eq!(
        suggest(&app, sam, "%40JO_", &thread).await,
        [("jo_carer".to_owned(), false)]
    );
    // Never the caller.
    assert!(suggest(&app, w.member("joan_helper"), "joan", &thread)
        .await
        .is_empty());

    // Members of a private group are never offered to someone outside it: its threads
    // are not found.
    let (private, _) = app
        .thread(w.member("joan_helper"), "glio-group", "Ours", "Just us.")
        .await;
    let response = app
        .get(
            &format!("/api/v1/users/suggest?q=jo&thread={private}"),
            Some(sam),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        suggest(&app, w.member("jo_carer"), "jo", &private).await,
        [("joan_helper".to_owned(), true)]
    );

    // Members the caller blocked are not offered.
    app.post(
        "/api/v1/me/blocks",
        Some(sam),
        json!({"username": "joan_helper"}),
    )
    .await;
    assert_eq!(
        suggest(&app, sam, "jo", &thread).await,
        [("jo_carer".to_owned(), false)]
    );

    // Bad input: 400 with the usual body; no credentials: 401.
    for bad in ["", "a%20b", "%25", &"x".repeat(33)] {
        let response = app
            .get(
                &format!("/api/v1/users/suggest?q={bad}&thread={thread}"),
                Some(sam),
            )
            .await;
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_q").await;
    }
    let response = app
        .get("/api/v1/users/suggest?q=jo&thread=abc", Some(sam))
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .get(&format!("/api/v1/users/suggest?q=jo&thread={thread}"), None)
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn suspended_and_erased_members_are_never_suggested(app: TestApp) {
    let w = ward(&app).await;
    let thread = w.thread_id().to_owned();
    let sam = w.member("sam_patient");
    for name in ["jo_carer", "joan_helper", "jon_reader"] {
        app.reply(w.member(name), &thread, "With you all the way.")
            .await;
    }
    assert_eq!(suggest(&app, sam, "jo", &thread).await.len(), 3);

    // jon_reader is suspended after an advert…
    let held = app.reply(w.member("jon_reader"), &thread, ADVERT).await;
    assert_eq!(held["status"], "held");
    let queue = app
        .get_json(
            "/api/v1/mod/queue?community=caregivers",
            Some(w.moderator()),
        )
        .await;
    let item = queue["items"][0]["id"].as_str().expect("a queue item");
    expect_json(
        app.post(
            &format!("/api/v1/mod/queue/{item}/decision"),
            Some(w.moderator()),
            json!({"action": "remove", "reason": "Advert",
                   "sanction": {"kind": "suspend", "days": 3}}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // …and joan erases her account.
    let response = app
        .request(Method::DELETE, "/api/v1/me", Some(w.member("joan_helper")))
        .json(&json!({ "password": PASSWORD, "posts": "anonymize" }))
        .send()
        .await
        .expect("DELETE /me");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        suggest(&app, sam, "jo", &thread).await,
        [("jo_carer".to_owned(), true)]
    );
}

async fn reply_to_this_works_without_javascript(app: TestApp) {
    let w = ward(&app).await;
    let thread = w.thread_id().to_owned();
    let first = w.first_post_id().to_owned();
    let page = format!("/t/{thread}");
    let browser = Browser::new(&app);
    browser.sign_in("jo_carer").await;
    let html = browser.page(&page, StatusCode::OK).await;
    let link = format!(r#"href="/t/{thread}?quote={first}#reply""#);
    assert!(html.contains(&link), "{html}");

    // The link opens the thread with the reply form holding the quote and the post's id.
    let quoting = format!("/t/{thread}?quote={first}");
    let html = browser.page(&quoting, StatusCode::OK).await;
    assert!(
        html.contains(&format!(
            "[sam_patient wrote](/p/{first}):\n&gt; Scan day tomorrow"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"name="reply_to" value="{first}""#)),
        "{html}"
    );
    let body = format!("> [Sam wrote](/p/{first}):\n> Scan day tomorrow\n\nSleep well, Sam.");
    let to = browser
        .submit_ok(
            &quoting,
            &format!("/t/{thread}/reply"),
            &[("body", &body), ("reply_to", &first)],
        )
        .await;
    assert!(
        to.starts_with(&format!("/t/{thread}?notice=posted#p")),
        "{to}"
    );
    let read = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    assert_eq!(read["posts"][1]["reply_to"], first.as_str());

    // A post the member may not see, or of another thread: the page is not found.
    let (_, hidden) = app
        .thread(w.member("joan_helper"), "glio-group", "Private", "Only us.")
        .await;
    let outsider = Browser::new(&app);
    outsider.sign_in("jon_reader").await;
    outsider
        .page(
            &format!("/t/{thread}?quote={hidden}"),
            StatusCode::NOT_FOUND,
        )
        .await;
}

both_backends! {
    a_reply_answers_a_post_the_member_can_see,
    mentions_link_and_notify_only_members_who_can_see_the_post,
    suggestions_come_from_the_thread_then_the_community,
    suspended_and_erased_members_are_never_suggested,
    reply_to_this_works_without_javascript,
}

/// Suggestions per member per minute, tightened to two.
mod limited {
    use super::*;

    async fn tight(backend: Backend) -> TestApp {
        spawn_app_with(backend, |_| {}, |s| s.limits.suggestions_per_minute = 2).await
    }

    async fn suggestions_are_rate_limited(app: TestApp) {
        let w = ward(&app).await;
        let sam = w.member("sam_patient");
        let path = format!("/api/v1/users/suggest?q=jo&thread={}", w.thread_id());
        for _ in 0..2 {
            expect_json(app.get(&path, Some(sam)).await, StatusCode::OK).await;
        }
        let refused = app.get(&path, Some(sam)).await;
        assert!(refused.headers().contains_key("retry-after"));
        assert_error(refused, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }

    both_backends! {
        with super::tight;
        suggestions_are_rate_limited,
    }
}
