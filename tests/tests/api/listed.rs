//! Listed private communities: their name, description and member count show in the
//! directory and their page offers "ask to join", while their threads, posts and search
//! hits stay invisible to non-members; unlisted private communities still answer 404.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, Session, TestApp};
use crate::pages::Browser;

fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["slug"].as_str().expect("slug").to_owned())
        .collect()
}

/// Searches for `word` as `session` until the thread's post shows (the index follows the
/// events log within a second or two).
async fn wait_until_indexed(app: &TestApp, session: &Session, word: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = app
            .get_json(&format!("/api/v1/search?q={word}"), Some(session))
            .await;
        if page["items"].as_array().is_some_and(|i| !i.is_empty()) {
            return;
        }
        assert!(Instant::now() < deadline, "{word} never indexed: {page}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn a_listed_private_community_shows_its_door_not_its_rooms(app: TestApp) {
    let w = Fixture::new(&app)
        .community("gbm-carers", "private", "approval")
        .community("hidden-circle", "private", "approval")
        .moderator("mod_dan")
        .thread("Night shifts", "Lorazepam timing and the long nights")
        .build()
        .await;
    let outsider = app.register("new_carer").await;

    // Only an admin lists a community.
    let refused = app
        .patch(
            "/api/v1/communities/gbm-carers",
            Some(w.moderator()),
            json!({"listed": true}),
        )
        .await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_admin").await;
    let listed = app
        .patch(
            "/api/v1/communities/gbm-carers",
            Some(&w.admin),
            json!({"listed": true}),
        )
        .await;
    assert_eq!(expect_json(listed, StatusCode::OK).await["listed"], true);
    let bad = app
        .patch(
            "/api/v1/communities/gbm-carers",
            Some(&w.admin),
            json!({"listed": "yes"}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // The directory shows it, with its member count, to visitors and members alike; the
    // unlisted one stays out.
    for session in [None, Some(&outsider)] {
        let directory = app.get_json("/api/v1/communities", session).await;
        assert!(slugs(&directory).contains(&"gbm-carers".to_owned()));
        assert!(!slugs(&directory).contains(&"hidden-circle".to_owned()));
        let card = app
            .get_json("/api/v1/communities/gbm-carers", session)
            .await;
        assert_eq!(card["listed"], true);
        assert_eq!(card["visibility"], "private");
        assert_eq!(card["member_count"], 1);
        assert!(card["membership"].is_null());
    }
    for path in [
        "/api/v1/communities/hidden-circle",
        "/api/v1/communities/hidden-circle/threads",
    ] {
        assert_eq!(
            app.get(path, Some(&outsider)).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }

    // Its threads, posts and search hits stay invisible.
    wait_until_indexed(&app, w.moderator(), "lorazepam").await;
    let thread = w.thread_id();
    for path in [
        "/api/v1/communities/gbm-carers/threads".to_owned(),
        format!("/api/v1/threads/{thread}"),
        "/api/v1/communities/gbm-carers/modlog".to_owned(),
    ] {
        assert_eq!(
            app.get(&path, Some(&outsider)).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let found = app
        .get_json("/api/v1/search?q=lorazepam", Some(&outsider))
        .await;
    assert_eq!(found["items"], json!([]), "{found}");
    let reply = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&outsider),
            json!({"body": "Hello"}),
        )
        .await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);

    // The page offers "ask to join" and no threads.
    let browser = Browser::new(&app);
    browser.sign_in("new_carer").await;
    let page = browser.page("/c/gbm-carers", StatusCode::OK).await;
    assert!(page.contains("Ask to join"), "{page}");
    assert!(!page.contains("Night shifts"), "{page}");
    assert!(
        page.contains("only its members can read its threads"),
        "{page}"
    );
    let directory = browser.page("/communities", StatusCode::OK).await;
    assert!(directory.contains(r#"href="/c/gbm-carers""#), "{directory}");
    assert!(!directory.contains("hidden-circle"), "{directory}");
    browser
        .page("/c/hidden-circle", StatusCode::NOT_FOUND)
        .await;
    browser
        .page(&format!("/t/{thread}"), StatusCode::NOT_FOUND)
        .await;

    // Asking is a request, and a request is all it is until a moderator approves.
    let asked = browser
        .submit("/c/gbm-carers", "/c/gbm-carers/join", &[])
        .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let page = browser.page("/c/gbm-carers", StatusCode::OK).await;
    assert!(page.contains("waiting for a moderator"), "{page}");
    assert!(!page.contains("Night shifts"), "{page}");
    assert_eq!(
        app.get(&format!("/api/v1/threads/{thread}"), Some(&outsider))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.add_member(w.moderator(), "gbm-carers", "new_carer")
        .await;
    let page = browser.page("/c/gbm-carers", StatusCode::OK).await;
    assert!(page.contains("Night shifts"), "{page}");
    assert_eq!(
        app.get(&format!("/api/v1/threads/{thread}"), Some(&outsider))
            .await
            .status(),
        StatusCode::OK
    );
}

/// An open private community, listed: joining from outside is still a request.
async fn joining_a_listed_private_community_is_always_a_request(app: TestApp) {
    let w = Fixture::new(&app)
        .community("quiet-room", "private", "open")
        .build()
        .await;
    let listed = app
        .patch(
            "/api/v1/communities/quiet-room",
            Some(&w.admin),
            json!({"listed": true}),
        )
        .await;
    expect_json(listed, StatusCode::OK).await;
    let member = app.register("someone_new").await;
    let joined = app
        .post(
            "/api/v1/communities/quiet-room/join",
            Some(&member),
            json!({}),
        )
        .await;
    let joined = expect_json(joined, StatusCode::OK).await;
    assert_eq!(joined["membership"]["state"], "pending", "{joined}");
    // Withdrawing the request works from outside too.
    let left = app
        .post(
            "/api/v1/communities/quiet-room/leave",
            Some(&member),
            json!({}),
        )
        .await;
    assert!(left.status().is_success(), "{}", left.status());
}

both_backends!(
    a_listed_private_community_shows_its_door_not_its_rooms,
    joining_a_listed_private_community_is_always_a_request,
);
