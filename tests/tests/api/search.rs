//! Search over HTTP: health synonyms, visibility, moderation states, edits, bad queries.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{expect_error, Session, TestApp};

/// Searches until `done` holds (the index follows the events log within a second or two).
pub(crate) async fn search_until(
    app: &TestApp,
    query: &str,
    session: Option<&Session>,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = app
            .get_json(&format!("/api/v1/search?{query}"), session)
            .await;
        if done(&page) {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "search for {query} never satisfied: {page}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

pub(crate) fn post_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["post_id"].as_str().expect("id").to_owned())
        .collect()
}

async fn search_finds_what_the_viewer_may_read(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    app.community(&admin, "gbm-carers", "private", "approval")
        .await;
    let moderator = app.register("mod_dan").await;
    app.appoint_moderator(&admin, "gbm-carers", "mod_dan").await;
    let member = app.register("sam_patient").await;
    let outsider = app.register("outsider").await;
    app.join(&member, "lung").await;

    let (lung_thread, lung_post) = app
        .thread(
            &member,
            "lung",
            "Starting osimertinib",
            "My non-small cell lung cancer has an EGFR mutation.",
        )
        .await;
    let (_, private_post) = app
        .thread(
            &moderator,
            "gbm-carers",
            "Night seizures",
            "Glioblastoma carers: what helps with night seizures?",
        )
        .await;

    synonyms_find_the_post_and_snippets_mark_the_match(&app, &lung_post).await;
    private_posts_are_found_only_by_members(&app, &moderator, &outsider, &private_post).await;
    edits_are_reflected_and_deleted_posts_disappear(&app, &member, &lung_thread, &lung_post).await;
    malformed_queries_are_a_400_with_a_readable_code(&app).await;
}

/// Synonyms: NSCLC finds "non-small cell lung cancer"; snippets mark the match.
async fn synonyms_find_the_post_and_snippets_mark_the_match(app: &TestApp, lung_post: &str) {
    let page = search_until(app, "q=NSCLC", None, |p| !post_ids(p).is_empty()).await;
    assert_eq!(post_ids(&page), vec![lung_post.to_owned()]);
    assert_eq!(page["items"][0]["community"], "lung");
    assert_eq!(page["items"][0]["thread_title"], "Starting osimertinib");
    assert!(page["items"][0]["snippet_html"]
        .as_str()
        .expect("snippet")
        .contains("<mark>"));
}

/// Private posts: not for visitors or outsiders — not in items, not in counts. After a
/// moderator adds them, the outsider finds it at once.
async fn private_posts_are_found_only_by_members(
    app: &TestApp,
    moderator: &Session,
    outsider: &Session,
    private_post: &str,
) {
    search_until(app, "q=seizures", Some(moderator), |p| {
        post_ids(p) == vec![private_post.to_owned()]
    })
    .await;
    for viewer in [None, Some(outsider)] {
        let page = app.get_json("/api/v1/search?q=seizures", viewer).await;
        assert!(post_ids(&page).is_empty());
        assert_eq!(page["total_estimate"], 0);
        let filtered = app
            .get_json("/api/v1/search?q=seizures%20community:gbm-carers", viewer)
            .await;
        assert!(post_ids(&filtered).is_empty());
    }
    // After a moderator adds them, the outsider finds it at once.
    app.add_member(moderator, "gbm-carers", "outsider").await;
    let page = app
        .get_json("/api/v1/search?q=seizures", Some(outsider))
        .await;
    assert_eq!(post_ids(&page), vec![private_post.to_owned()]);
}

/// Edits are reflected; deleted posts disappear.
async fn edits_are_reflected_and_deleted_posts_disappear(
    app: &TestApp,
    member: &Session,
    lung_thread: &str,
    lung_post: &str,
) {
    let edited = app
        .patch(
            &format!("/api/v1/posts/{lung_post}"),
            Some(member),
            json!({"body": "Tagrisso has been kind to me so far."}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    search_until(app, "q=tagrisso", None, |p| {
        post_ids(p) == vec![lung_post.to_owned()]
    })
    .await;
    search_until(app, "q=EGFR", None, |p| post_ids(p).is_empty()).await;
    let reply = app
        .reply(
            member,
            lung_thread,
            "Fatigue is the worst part of targeted therapy",
        )
        .await;
    let reply_id = reply["id"].as_str().expect("id").to_owned();
    search_until(app, "q=fatigue", None, |p| {
        post_ids(p) == vec![reply_id.clone()]
    })
    .await;
    assert_eq!(
        app.delete(&format!("/api/v1/posts/{reply_id}"), Some(member))
            .await
            .status(),
        StatusCode::OK
    );
    search_until(app, "q=fatigue", None, |p| post_ids(p).is_empty()).await;
}

/// Malformed queries are a 400 with a readable message.
async fn malformed_queries_are_a_400_with_a_readable_code(app: &TestApp) {
    for bad in [
        "q=%22unclosed",
        "q=",
        "q=foo:bar",
        "q=after:2024-13-45",
        "q=chemo&sort=sideways",
        "q=chemo&cursor=garbage",
    ] {
        let response = app.get(&format!("/api/v1/search?{bad}"), None).await;
        let code = expect_error(response, StatusCode::BAD_REQUEST).await;
        assert!(
            ["invalid_query", "invalid_sort", "invalid_cursor"].contains(&code.as_str()),
            "{bad}: {code}"
        );
    }
}

async fn held_posts_stay_out_of_search(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "myeloma", "public", "open").await;
    let moderator = app.register("mod_maria").await;
    app.appoint_moderator(&admin, "myeloma", "mod_maria").await;
    let author = app.register("author").await;
    app.join(&author, "myeloma").await;
    let (_, post) = app
        .thread(
            &author,
            "myeloma",
            "Daratumumab week one",
            "Daratumumab infusion reaction story",
        )
        .await;
    search_until(&app, "q=daratumumab", None, |p| {
        post_ids(p) == vec![post.clone()]
    })
    .await;
    let mut readers = Vec::new();
    for name in ["r_one", "r_two", "r_three"] {
        let reader = app.register(name).await;
        app.join(&reader, "myeloma").await;
        readers.push(reader);
    }
    for reader in &readers {
        let reported = app
            .post(
                &format!("/api/v1/posts/{post}/reports"),
                Some(reader),
                json!({"reason": "spam"}),
            )
            .await;
        assert_eq!(reported.status(), StatusCode::CREATED);
    }
    search_until(&app, "q=daratumumab", None, |p| post_ids(p).is_empty()).await;
    let hidden = app
        .get_json(
            "/api/v1/search?q=daratumumab&include_hidden=true",
            Some(&moderator),
        )
        .await;
    assert_eq!(post_ids(&hidden), vec![post.clone()]);
    assert_eq!(hidden["items"][0]["status"], "held");
    let not_for_members = app
        .get_json(
            "/api/v1/search?q=daratumumab&include_hidden=true",
            Some(&readers[0]),
        )
        .await;
    assert!(post_ids(&not_for_members).is_empty());
}

both_backends!(
    search_finds_what_the_viewer_may_read,
    held_posts_stay_out_of_search
);
