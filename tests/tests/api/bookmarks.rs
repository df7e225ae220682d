//! Bookmarks: saving a post (idempotent), the `/me/bookmarks` list and the `/me/saved`
//! page, posts that later leave the member's sight, the export and erasure.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, Session, TestApp, World, PASSWORD};
use crate::pages::Browser;

async fn ward(app: &TestApp) -> World {
    Fixture::new(app)
        .community("brain-tumours", "public", "open")
        .moderator("mod_ines")
        .members(["night_owl", "saver_sam"])
        .thread_by(
            "night_owl",
            "What helped with the steroid insomnia",
            "Taking the dexamethasone before noon made the biggest difference for us.",
        )
        .build()
        .await
}

async fn bookmark(app: &TestApp, session: &Session, method: Method, post: &str) -> Value {
    let response = app
        .request(
            method,
            &format!("/api/v1/me/bookmarks/{post}"),
            Some(session),
        )
        .send()
        .await
        .expect("bookmark request");
    expect_json(response, StatusCode::OK).await
}

async fn saved_ids(app: &TestApp, session: &Session) -> Vec<String> {
    app.get_json("/api/v1/me/bookmarks", Some(session)).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["post_id"].as_str().expect("post_id").to_owned())
        .collect()
}

async fn saved_posts_are_listed_while_readable_and_go_with_the_member(app: TestApp) {
    let w = ward(&app).await;
    let sam = w.member("saver_sam");
    let first = w.first_post_id().to_owned();

    assert_eq!(
        bookmark(&app, sam, Method::PUT, &first).await,
        json!({"saved": true})
    );
    assert_eq!(
        bookmark(&app, sam, Method::PUT, &first).await,
        json!({"saved": true})
    );
    let listed = app.get_json("/api/v1/me/bookmarks", Some(sam)).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let item = &listed["items"][0];
    assert_eq!(item["post_id"], first.as_str());
    assert_eq!(
        item["thread_title"],
        "What helped with the steroid insomnia"
    );
    assert_eq!(item["community_name"], "Community brain-tumours");
    assert_eq!(item["author"]["username"], "night_owl");
    assert!(item["excerpt"]
        .as_str()
        .expect("excerpt")
        .starts_with("Taking the dexamethasone"));
    // Nobody else sees another member's bookmarks.
    assert!(saved_ids(&app, w.member("night_owl")).await.is_empty());

    // A post that is later held (its author edits in a phone number) or deleted shows
    // nothing of itself.
    let reply = app
        .reply(w.member("night_owl"), w.thread_id(), "Melatonin too.")
        .await;
    let reply_id = reply["id"].as_str().expect("id").to_owned();
    let gone = app
        .reply(w.member("night_owl"), w.thread_id(), "Deleting soon")
        .await;
    let gone_id = gone["id"].as_str().expect("id").to_owned();
    bookmark(&app, sam, Method::PUT, &reply_id).await;
    bookmark(&app, sam, Method::PUT, &gone_id).await;
    assert_eq!(
        saved_ids(&app, sam).await,
        [gone_id.clone(), reply_id.clone(), first.clone()]
    );
    let edited = app
        .patch(
            &format!("/api/v1/posts/{reply_id}"),
            Some(w.member("night_owl")),
            json!({ "body": "Call me any evening on 555-014-2288." }),
        )
        .await;
    assert_eq!(
        expect_json(edited, StatusCode::OK).await["post"]["status"],
        "held"
    );
    let deleted = app
        .delete(
            &format!("/api/v1/posts/{gone_id}"),
            Some(w.member("night_owl")),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let listed = app.get_json("/api/v1/me/bookmarks", Some(sam)).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    assert!(!listed.to_string().contains("555-014-2288"));

    // Saving a post one may not see, or one not published: refused.
    let response = app
        .request(
            Method::PUT,
            &format!("/api/v1/me/bookmarks/{reply_id}"),
            Some(sam),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .request(
            Method::PUT,
            &format!("/api/v1/me/bookmarks/{reply_id}"),
            Some(w.member("night_owl")),
        )
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::CONFLICT, "post_not_published").await;
    let response = app
        .request(Method::PUT, "/api/v1/me/bookmarks/nope", Some(sam))
        .send()
        .await
        .expect("PUT");
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;

    // Forgetting is idempotent.
    assert_eq!(
        bookmark(&app, sam, Method::DELETE, &gone_id).await,
        json!({"saved": false})
    );
    assert_eq!(
        bookmark(&app, sam, Method::DELETE, &gone_id).await,
        json!({"saved": false})
    );

    // In the export; gone with the member.
    let export = app.get_json("/api/v1/me/export", Some(sam)).await;
    let exported: Vec<&str> = export["bookmarks"]
        .as_array()
        .expect("bookmarks")
        .iter()
        .map(|b| b["post_id"].as_str().expect("post_id"))
        .collect();
    assert_eq!(exported, [reply_id.as_str(), first.as_str()]);
    let response = app
        .request(Method::DELETE, "/api/v1/me", Some(sam))
        .json(&json!({ "password": PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("DELETE /me");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let count: i64 = {
        let store = app.store.clone();
        let user_id: i64 = sam.user_id.parse().expect("user id");
        tokio::task::spawn_blocking(move || {
            store.read(|conn| kindred_server::store::privacy::references_to(conn, user_id))
        })
        .await
        .expect("join")
        .expect("references")
    };
    assert_eq!(count, 0, "nothing names the erased member");
}

async fn the_save_button_and_the_saved_page_work_without_javascript(app: TestApp) {
    let w = ward(&app).await;
    let first = w.first_post_id().to_owned();
    let thread = format!("/t/{}", w.thread_id());
    let browser = Browser::new(&app);
    assert!(browser.redirect("/me/saved").await.starts_with("/login"));
    browser.sign_in("saver_sam").await;
    let html = browser.page("/me/saved", StatusCode::OK).await;
    assert!(html.contains("Nothing saved yet"), "{html}");
    let html = browser.page(&thread, StatusCode::OK).await;
    assert!(
        html.contains(r#"aria-pressed="false">Save for later"#),
        "{html}"
    );

    let to = browser
        .submit_ok(
            &thread,
            &format!("{thread}/p/{first}/save"),
            &[("on", "true")],
        )
        .await;
    assert_eq!(to, format!("/p/{first}"));
    let html = browser.page(&thread, StatusCode::OK).await;
    assert!(
        html.contains(r#"aria-pressed="true">Save for later"#),
        "{html}"
    );
    let html = browser.page("/me/saved", StatusCode::OK).await;
    assert!(html.contains(&format!(r#"href="/p/{first}""#)), "{html}");
    assert!(html.contains("What helped with the steroid insomnia"));

    let to = browser
        .submit_ok(
            &thread,
            &format!("{thread}/p/{first}/save"),
            &[("on", "false")],
        )
        .await;
    assert_eq!(to, format!("/p/{first}"));
    let html = browser.page("/me/saved", StatusCode::OK).await;
    assert!(html.contains("Nothing saved yet"), "{html}");
}

both_backends! {
    saved_posts_are_listed_while_readable_and_go_with_the_member,
    the_save_button_and_the_saved_page_work_without_javascript,
}
