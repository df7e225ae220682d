//! The medical-advice nudge (issue 19): a post telling other members to stop, skip,
//! refuse, change the dose of, share or swap a treatment gets a gentle suggestion in the
//! preview and at the first submit — nothing posted, the text handed back — and posts
//! with `acknowledge_advice: true` ("Post anyway" on the pages, without JavaScript). The
//! author's own experience posts at once. Moderators are not screened.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{expect_json, Fixture, TestApp};
use crate::pages::{csrf_token, Browser};

const DIRECTIVE: &str = "Just stop the tamoxifen, the joint pain isn't worth it. \
                         You should halve your steroids too.";
const OWN_EXPERIENCE: &str = "I stopped my tamoxifen for two months last year and my team \
                              lowered my dose afterwards. Ask your oncologist about it.";
const SLUG: &str = "breast-cancer";
const SUGGESTION: &str =
    "You may want to tell this as your own experience, or suggest asking the care team.";

async fn posts_of(app: &TestApp, thread: &str) -> Vec<Value> {
    let thread = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    thread["posts"].as_array().cloned().unwrap_or_default()
}

async fn a_directive_is_nudged_at_submit_and_posts_when_acknowledged(app: TestApp) {
    let w = Fixture::new(&app)
        .community(SLUG, "public", "open")
        .moderator("mia_mod")
        .members(["ana_patient"])
        .thread("Joint pain on AIs", "Anyone else aching all over?")
        .build()
        .await;
    let ana = w.member("ana_patient");
    let path = format!("/api/v1/threads/{}/posts", w.thread_id());

    // The first submit: the nudge, nothing posted.
    let nudged = app
        .post(&path, Some(ana), json!({ "body": DIRECTIVE }))
        .await;
    let nudged = expect_json(nudged, StatusCode::OK).await;
    assert_eq!(nudged["posted"], false, "{nudged}");
    assert_eq!(nudged["advice"]["message"], SUGGESTION);
    let sentences = nudged["advice"]["sentences"].as_array().expect("sentences");
    assert!(
        sentences
            .iter()
            .any(|s| s.as_str() == Some("Just stop the tamoxifen, the joint pain isn't worth it")),
        "{nudged}"
    );
    assert!(nudged.get("post").is_none());
    assert_eq!(posts_of(&app, w.thread_id()).await.len(), 1);

    // Posting anyway: published as it is, not held.
    let posted = app
        .post(
            &path,
            Some(ana),
            json!({ "body": DIRECTIVE, "acknowledge_advice": true }),
        )
        .await;
    let posted = expect_json(posted, StatusCode::CREATED).await;
    assert_eq!(posted["post"]["status"], "published");
    assert_eq!(posts_of(&app, w.thread_id()).await.len(), 2);

    // The author's own experience posts at once.
    let own = app
        .post(&path, Some(ana), json!({ "body": OWN_EXPERIENCE }))
        .await;
    expect_json(own, StatusCode::CREATED).await;

    // A new thread is nudged the same way, and no thread is left behind.
    let threads = format!("/api/v1/communities/{SLUG}/threads");
    let first = app
        .post(
            &threads,
            Some(ana),
            json!({ "title": "My advice", "body": DIRECTIVE }),
        )
        .await;
    let first = expect_json(first, StatusCode::OK).await;
    assert_eq!(first["advice"]["message"], SUGGESTION);
    let listed = app.get_json(&threads, None).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    let anyway = app
        .post(
            &threads,
            Some(ana),
            json!({ "title": "My advice", "body": DIRECTIVE, "acknowledge_advice": true }),
        )
        .await;
    expect_json(anyway, StatusCode::CREATED).await;

    // Not a boolean: refused like any bad body.
    let bad = app
        .post(
            &path,
            Some(ana),
            json!({ "body": DIRECTIVE, "acknowledge_advice": "yes" }),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

async fn the_preview_and_the_page_form_nudge_and_post_anyway_without_javascript(app: TestApp) {
    let w = Fixture::new(&app)
        .community(SLUG, "public", "open")
        .moderator("mia_mod")
        .members(["ana_patient"])
        .thread("Joint pain on AIs", "Anyone else aching all over?")
        .build()
        .await;
    let ana = Browser::new(&app);
    ana.sign_in("ana_patient").await;
    let thread = format!("/t/{}", w.thread_id());
    let html = ana.page(&thread, StatusCode::OK).await;
    let token = csrf_token(&html);

    // The preview carries the nudge, and none for the author's own experience.
    let preview = ana
        .post(
            "/preview",
            &[("csrf_token", token.as_str()), ("body", DIRECTIVE)],
        )
        .await;
    let preview: Value = expect_json(preview, StatusCode::OK).await;
    assert_eq!(preview["advice"]["message"], SUGGESTION, "{preview}");
    let own = ana
        .post(
            "/preview",
            &[("csrf_token", token.as_str()), ("body", OWN_EXPERIENCE)],
        )
        .await;
    let own: Value = expect_json(own, StatusCode::OK).await;
    assert!(own["advice"].is_null(), "{own}");

    // The form: the page again with the text kept, the suggestion and "Post anyway".
    let action = format!("{thread}/reply");
    let again = ana.submit(&thread, &action, &[("body", DIRECTIVE)]).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again = again.text().await.expect("page");
    assert!(again.contains(SUGGESTION), "{again}");
    assert!(again.contains("Post anyway"));
    assert!(
        again.contains("the joint pain isn"),
        "the text is kept: {again}"
    );
    assert!(again.contains(r#"name="acknowledge_advice" value="true""#));
    assert_eq!(posts_of(&app, w.thread_id()).await.len(), 1);

    // "Post anyway": the hidden field goes with the form, and the reply is posted.
    let to = ana
        .submit_ok(
            &thread,
            &action,
            &[("body", DIRECTIVE), ("acknowledge_advice", "true")],
        )
        .await;
    assert!(to.contains("notice=posted"), "{to}");
    assert_eq!(posts_of(&app, w.thread_id()).await.len(), 2);
}

both_backends!(
    a_directive_is_nudged_at_submit_and_posts_when_acknowledged,
    the_preview_and_the_page_form_nudge_and_post_anyway_without_javascript,
);
