//! Content notes (issue 19) in a real browser: a member who chose to fold "end of life"
//! sees such a post folded behind its summary, opens it with a click (no script needed:
//! `<details>`), and a reply with that note arriving live is folded too. axe-core checks
//! the page folded and open.

use std::time::Duration;

use fantoccini::Locator;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::{
    assert_accessible, browser, browser_kit, check, click, moderated_thread, sign_in,
    spawn_for_browser, wait_for_text,
};
use crate::helpers::{expect_json, Session, TestApp};

async fn reply_with_note(app: &TestApp, session: &Session, thread: &str, body: &str) {
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(session),
            json!({ "body": body, "content_notes": ["end_of_life"] }),
        )
        .await;
    expect_json(response, StatusCode::CREATED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folded_post_opens_on_click_and_live_ones_fold_too() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (moderator, thread, cat) = moderated_thread(
        &app,
        "Hospice week",
        "How is everyone doing?",
        "careful_cat",
    )
    .await;
    reply_with_note(&app, &moderator, &thread, "Mum's last days were peaceful.").await;
    let response = app
        .request(Method::PUT, "/api/v1/me/content-notes", Some(&cat))
        .json(&json!({ "collapse": ["end_of_life"] }))
        .send()
        .await
        .expect("PUT");
    expect_json(response, StatusCode::OK).await;
    let mut problems = Vec::new();

    let client = browser(&driver).await;
    sign_in(&client, &app, "careful_cat").await;
    client
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    let summary = wait_for_text(
        &client,
        "details.content-note summary",
        "This post has a content note: end of life \u{2014} show",
    )
    .await;
    assert!(!summary.contains("peaceful"), "{summary}");
    let hidden = client
        .find(Locator::Css("details.content-note .post-body"))
        .await
        .expect("the folded body");
    assert!(!hidden.is_displayed().await.expect("displayed"), "folded");
    check(&client, &axe, "content-note-folded", &mut problems).await;
    click(&client, "details.content-note summary").await;
    assert!(hidden.is_displayed().await.expect("displayed"), "opened");
    let opened = wait_for_text(&client, "details.content-note", "peaceful").await;
    assert!(opened.contains("Mum's last days"), "{opened}");
    check(&client, &axe, "content-note-open", &mut problems).await;

    // A reply with the note arriving over the websocket is folded the same way.
    reply_with_note(
        &app,
        &moderator,
        &thread,
        "Thinking of you all this evening.",
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let folded = client
            .find_all(Locator::Css("details.content-note"))
            .await
            .expect("find");
        if folded.len() == 2 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the live reply was never folded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let _ = client.close().await;
    assert_accessible(&problems);
}
