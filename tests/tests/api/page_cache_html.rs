//! The HTML thread page from the page cache (issue 22): a signed-out visitor's `GET /t/{id}`
//! of a public community is kept per language, with each visitor's own CSRF token spliced
//! in (masked afresh on every answer, never another visitor's); a `304` only for the
//! browser that holds the page with its own token; a signed-in member never gets a cached
//! page; an edit or a removal shows at once.

use reqwest::header::{CACHE_CONTROL, ETAG};
use reqwest::{Response, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{expect_json, Fixture, TestApp};
use crate::pages::{csrf_token, Browser};

fn header(response: &Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default()
}

/// The page once it comes from the cache (the tail may still be reading the fixture's
/// writes): its `ETag` and HTML.
async fn cached(browser: &Browser, path: &str) -> (String, String) {
    for _ in 0..100 {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let cache = header(&response, "x-page-cache");
        assert_eq!(
            header(&response, CACHE_CONTROL.as_str()),
            "private, no-cache"
        );
        let tag = header(&response, ETAG.as_str());
        let html = response.text().await.expect("body");
        if cache == "hit" {
            return (tag, html);
        }
        assert_eq!(cache, "miss", "a visitor's public page is cacheable");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the page never came from the cache");
}

/// Posts the footer's language switch with `token`, answering the status.
async fn switch_language(browser: &Browser, token: &str) -> StatusCode {
    browser
        .post("/language", &[("csrf_token", token), ("language", "en")])
        .await
        .status()
}

async fn two_visitors_get_their_own_tokens_from_one_cached_page(app: TestApp) {
    let w = Fixture::new(&app)
        .community("lung", "public", "open")
        .moderator("mod_maria")
        .thread("Scan days", "How do you get through them?")
        .build()
        .await;
    let path = format!("/t/{}", w.thread_id());
    let (ann, bob) = (Browser::new(&app), Browser::new(&app));
    let (ann_tag, ann_page) = cached(&ann, &path).await;
    let (bob_tag, bob_page) = cached(&bob, &path).await;
    assert!(ann_page.contains("How do you get through them?"));
    let (ann_token, bob_token) = (csrf_token(&ann_page), csrf_token(&bob_page));
    assert!(!ann_page.contains("csrf-slot-"), "no marker is left");
    assert_ne!(ann_token, bob_token);
    assert_ne!(ann_tag, bob_tag, "one tag per visitor's cookie");
    let (_, ann_again) = cached(&ann, &path).await;
    assert_ne!(csrf_token(&ann_again), ann_token, "masked afresh each time");
    // Each token is its visitor's own: it works for them and not for the other.
    assert_eq!(
        switch_language(&bob, &ann_token).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        switch_language(&ann, &bob_token).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        switch_language(&ann, &ann_token).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        switch_language(&bob, &bob_token).await,
        StatusCode::SEE_OTHER
    );

    // 304 only for the browser whose cookie the tag was made for.
    let (ann_tag, _) = cached(&ann, &path).await;
    let mine = ann.revalidate(&path, &ann_tag).await;
    assert_eq!(mine.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header(&mine, "x-page-cache"), "hit");
    let theirs = bob.revalidate(&path, &ann_tag).await;
    assert_eq!(theirs.status(), StatusCode::OK);
    let bobs = theirs.text().await.expect("body");
    assert!(bobs.contains("Scan days"));
    assert_eq!(
        switch_language(&bob, &csrf_token(&bobs)).await,
        StatusCode::SEE_OTHER
    );

    // Kept per language, and a Spanish reader's page is Spanish.
    let ana = Browser::speaking(&app, "es");
    let (_, spanish) = cached(&ana, &path).await;
    assert!(spanish.contains(r#"lang="es""#), "{spanish}");
    assert!(ann_page.contains(r#"lang="en""#));
}

async fn a_signed_in_member_never_gets_a_cached_page(app: TestApp) {
    let w = Fixture::new(&app)
        .community("lung", "public", "open")
        .moderator("mod_maria")
        .members(["ben_carer"])
        .thread_by("ben_carer", "Scan days", "How do you get through them?")
        .build()
        .await;
    let path = format!("/t/{}", w.thread_id());
    cached(&Browser::new(&app), &path).await;
    let ben = Browser::new(&app);
    ben.sign_in("ben_carer").await;
    for _ in 0..3 {
        let response = ben.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "x-page-cache"), "");
        assert_eq!(header(&response, ETAG.as_str()), "");
        assert_eq!(header(&response, CACHE_CONTROL.as_str()), "no-store");
        let html = response.text().await.expect("body");
        assert!(html.contains(r#"data-me="ben_carer""#), "his own page");
        assert!(html.contains("reply-form"), "with his reply form");
    }
    // The visitor's page still carries nothing of his.
    let (_, page) = cached(&Browser::new(&app), &path).await;
    assert!(!page.contains("data-me="));
    assert!(!page.contains("reply-form"));
}

async fn an_edit_and_a_removal_show_at_once(app: TestApp) {
    let w = Fixture::new(&app)
        .community("lung", "public", "open")
        .moderator("mod_maria")
        .members(["ben_carer"])
        .thread_by("ben_carer", "Scan days", "How do you get through them?")
        .build()
        .await;
    let path = format!("/t/{}", w.thread_id());
    let visitor = Browser::new(&app);
    let reply = app
        .reply(
            w.moderator(),
            w.thread_id(),
            "Music in the waiting room helps me.",
        )
        .await;
    let (_, page) = cached(&visitor, &path).await;
    assert!(page.contains("Music in the waiting room"));

    let edited = app
        .patch(
            &format!("/api/v1/posts/{}", w.first_post_id()),
            Some(w.member("ben_carer")),
            json!({"body": "How do you get through the days before a scan?"}),
        )
        .await;
    expect_json(edited, StatusCode::OK).await;
    let at_once = visitor.page(&path, StatusCode::OK).await;
    assert!(at_once.contains("the days before a scan"), "{at_once}");
    let (_, page) = cached(&visitor, &path).await;
    assert!(page.contains("the days before a scan"));

    let reply_id = reply["id"].as_str().expect("reply id");
    let removed = app
        .delete(&format!("/api/v1/posts/{reply_id}"), Some(w.moderator()))
        .await;
    expect_json(removed, StatusCode::OK).await;
    let at_once = visitor.page(&path, StatusCode::OK).await;
    assert!(!at_once.contains("Music in the waiting room"), "{at_once}");
    let (_, page) = cached(&visitor, &path).await;
    assert!(!page.contains("Music in the waiting room"));
}

async fn a_private_communitys_html_page_is_never_cached(app: TestApp) {
    let w = Fixture::new(&app)
        .community("gbm-caregivers", "private", "approval")
        .moderator("mod_omar")
        .thread("Seizure plans at home", "What is in your plan?")
        .build()
        .await;
    let path = format!("/t/{}", w.thread_id());
    let visitor = Browser::new(&app);
    for _ in 0..3 {
        let response = visitor.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(header(&response, "x-page-cache"), "");
        assert!(!response.text().await.expect("body").contains("Seizure"));
    }
}

both_backends!(
    two_visitors_get_their_own_tokens_from_one_cached_page,
    a_signed_in_member_never_gets_a_cached_page,
    an_edit_and_a_removal_show_at_once,
    a_private_communitys_html_page_is_never_cached
);
