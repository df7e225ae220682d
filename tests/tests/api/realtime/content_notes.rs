//! Content notes on live events (issue 19), over a real websocket: a new thread on the
//! community topic, an edited post and an approved held post carry their notes, so the
//! page folds them as it folds rendered ones; a notification about a post with a note the
//! recipient folds away leaves its excerpt out, live, in the list and on the page.

use super::*;
use crate::helpers::expect_json;

fn notes(value: &Value) -> Vec<&str> {
    value["content_notes"]
        .as_array()
        .unwrap_or_else(|| panic!("content_notes in {value}"))
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

async fn thread_edit_and_approval_events_carry_content_notes(app: TestApp) {
    let c = circle(&app, "public").await;
    let community = format!("community:{}", c.slug);
    let mut visitor = app.ws().await;
    visitor.subscribe(&community).await;

    // A new thread: the thread and its opening post carry the notes.
    let created = expect_json(
        app.post(
            &format!("/api/v1/communities/{}/threads", c.slug),
            Some(&c.member),
            json!({ "title": "Hospice week", "body": "Mum moved to the hospice on Monday.",
                    "content_notes": ["end_of_life"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let thread = created["thread"]["id"].as_str().expect("id").to_owned();
    let live = visitor.event().await;
    assert_eq!(live["kind"], "thread.created");
    assert_eq!(notes(&live["data"]["thread"]), ["end_of_life"]);
    let live = visitor.event().await;
    assert_eq!(live["kind"], "post.created");
    assert_eq!(notes(&live["data"]["post"]), ["end_of_life"]);

    // An edit that changes the notes: the event carries the new ones.
    let mut reader = app.ws().await;
    reader.subscribe(&format!("thread:{thread}")).await;
    let post = created["post"]["id"].as_str().expect("id");
    let edited = app
        .patch(
            &format!("/api/v1/posts/{post}"),
            Some(&c.member),
            json!({ "body": "Mum died in the hospice last night.",
                    "content_notes": ["end_of_life", "death_and_loss"] }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let live = reader.event().await;
    assert_eq!(live["kind"], "post.edited");
    assert_eq!(
        notes(&live["data"]["post"]),
        ["end_of_life", "death_and_loss"]
    );
    assert_eq!(visitor.event().await["kind"], "post.edited");

    // A held reply with a note, approved: readers get it with its note.
    let held = expect_json(
        app.post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&c.member),
            json!({ "body": "Apricot kernels cured my cousin, refuse the chemo they push on you",
                    "content_notes": ["graphic_medical"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(held["post"]["status"], "held", "{held}");
    assert!(reader.sync().await.is_empty(), "a held post leaked");
    let queue = app
        .get_json(
            &format!("/api/v1/mod/queue?community={}", c.slug),
            Some(&c.moderator),
        )
        .await;
    let item_id = queue["items"][0]["id"].as_str().expect("item").to_owned();
    let response = app
        .post(
            &format!("/api/v1/mod/queue/{item_id}/decision"),
            Some(&c.moderator),
            json!({ "action": "approve", "reason": "quoted to ask about it" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let approved = reader.event().await;
    assert_eq!(approved["kind"], "post.status_changed");
    assert_eq!(post_id(&approved), &held["post"]["id"]);
    assert_eq!(notes(&approved["data"]["post"]), ["graphic_medical"]);
}

const HIDDEN: &str = "I keep thinking about the night the ambulance came";

async fn notification_excerpts_fold_for_readers_who_chose_the_note(app: TestApp) {
    let c = circle(&app, "public").await;
    // The thread's author folds suicide and self-harm away; the member chose nothing.
    let response = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/me/content-notes",
            Some(&c.moderator),
        )
        .json(&json!({ "collapse": ["self_harm"] }))
        .send()
        .await
        .expect("PUT");
    assert_eq!(response.status(), StatusCode::OK);
    let mut author = app.ws_as(&c.moderator).await;
    author.subscribe("user").await;

    let reply = expect_json(
        app.post(
            &format!("/api/v1/threads/{}/posts", c.thread),
            Some(&c.member),
            json!({ "body": HIDDEN, "content_notes": ["self_harm", "end_of_life"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let reply_id = reply["post"]["id"].as_str().expect("id").to_owned();
    let live = loop {
        let event = author.event().await;
        if event["kind"] == "notification.created" {
            break event;
        }
    };
    let item = &live["data"]["notification"];
    assert_eq!(item["post_id"], reply_id.as_str(), "{live}");
    assert_eq!(item["excerpt"], "", "{live}");
    assert_eq!(item["folded_by"], json!(["self_harm"]), "{live}");
    assert_eq!(notes(item), ["end_of_life", "self_harm"]);
    assert!(!live.to_string().contains(HIDDEN), "{live}");

    // The stored list says the same, and so does the page.
    let inbox = app
        .get_json("/api/v1/notifications", Some(&c.moderator))
        .await;
    let listed = &inbox["items"][0];
    assert_eq!(listed["post_id"], reply_id.as_str(), "{inbox}");
    assert_eq!(listed["excerpt"], "");
    assert_eq!(listed["folded_by"], json!(["self_harm"]));
    let browser = crate::pages::Browser::new(&app);
    browser.sign_in("maria_mod").await;
    let html = browser.page("/notifications", StatusCode::OK).await;
    assert!(
        html.contains("This post has a content note: suicide and self-harm. Open it to read it."),
        "{html}"
    );
    assert!(!html.contains(HIDDEN), "{html}");

    // A reader who did not choose the note gets the excerpt as before.
    let mut member = app.ws_as(&c.member).await;
    member.subscribe("user").await;
    let answer = expect_json(
        app.post(
            &format!("/api/v1/threads/{}/posts", c.thread),
            Some(&c.moderator),
            json!({ "body": "Thank you for telling us, we are here.", "reply_to": reply_id,
                    "content_notes": ["self_harm"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let live = loop {
        let event = member.event().await;
        if event["kind"] == "notification.created" {
            break event;
        }
    };
    let item = &live["data"]["notification"];
    assert_eq!(item["post_id"], answer["post"]["id"], "{live}");
    assert_eq!(item["excerpt"], "Thank you for telling us, we are here.");
    assert_eq!(item["folded_by"], json!([]));
    let inbox = app.get_json("/api/v1/notifications", Some(&c.member)).await;
    assert_eq!(
        inbox["items"][0]["excerpt"],
        "Thank you for telling us, we are here."
    );
}

both_backends!(
    with super::default_app;
    thread_edit_and_approval_events_carry_content_notes,
    notification_excerpts_fold_for_readers_who_chose_the_note
);
