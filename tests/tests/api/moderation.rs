//! Reports, the moderation queue, decisions and the moderation log.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_error, expect_json, Fixture, Session, TestApp, World,
};

/// A public community with a moderator, a new member (`new_member`, the author of the
/// posts reported), three readers and the moderator's thread.
async fn community_with_members(app: &TestApp) -> World {
    Fixture::new(app)
        .community("myeloma", "public", "open")
        .moderator("mod_maria")
        .members(["new_member", "reader_one", "reader_two", "reader_three"])
        .thread("Induction side effects", "How is everyone doing?")
        .build()
        .await
}

async fn report(app: &TestApp, session: &Session, post_id: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/posts/{post_id}/reports"),
        Some(session),
        json!({ "reason": "this looks like an advert" }),
    )
    .await
}

async fn reports_hide_a_post_until_a_moderator_decides(app: TestApp) {
    let c = community_with_members(&app).await;
    let post = app
        .reply(
            c.member("new_member"),
            c.thread_id(),
            "Honestly the waiting room coffee is the worst part",
        )
        .await;
    let post_id = post["id"].as_str().expect("id").to_owned();

    own_and_double_reports_are_refused(&app, &c, &post_id).await;
    below_the_threshold_the_post_stays_up_for_moderators_to_see(&app, &c).await;
    enough_reports_hide_the_post_from_all_but_author_and_moderators(&app, &c, &post_id).await;
    let decision_path = only_moderators_read_the_queue_and_decide(&app, &c).await;
    the_moderator_removes_the_post_and_suspends_the_author(&app, &c, &decision_path).await;
    the_author_sees_the_outcome_and_cannot_post_while_suspended(&app, &c, &post_id).await;
    the_log_shows_members_the_action_and_moderators_the_note(&app, &c).await;
}

/// Own post and double reports are refused; strangers to the post get 404.
async fn own_and_double_reports_are_refused(app: &TestApp, c: &World, post_id: &str) {
    expect_error(
        report(app, c.member("new_member"), post_id).await,
        StatusCode::CONFLICT,
    )
    .await;
    let first = expect_json(
        report(app, c.member("reader_one"), post_id).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first["post_status"], "published");
    expect_error(
        report(app, c.member("reader_one"), post_id).await,
        StatusCode::CONFLICT,
    )
    .await;
    expect_error(
        report(app, c.member("reader_two"), "999999").await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

/// Below the threshold the post stays up but the moderators see it.
async fn below_the_threshold_the_post_stays_up_for_moderators_to_see(app: &TestApp, c: &World) {
    let queue = app.get_json("/api/v1/mod/queue", Some(c.moderator())).await;
    assert_eq!(queue["items"].as_array().expect("items").len(), 1);
    assert_eq!(queue["items"][0]["source"], "reports");
    assert_eq!(
        queue["items"][0]["reports"][0]["reason"],
        "this looks like an advert"
    );
}

/// Enough reports hide it from everyone but its author and the moderators.
async fn enough_reports_hide_the_post_from_all_but_author_and_moderators(
    app: &TestApp,
    c: &World,
    post_id: &str,
) {
    expect_json(
        report(app, c.member("reader_two"), post_id).await,
        StatusCode::CREATED,
    )
    .await;
    let third = expect_json(
        report(app, c.member("reader_three"), post_id).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(third["post_status"], "held");
    let visible_ids = |thread: &Value| -> Vec<String> {
        thread["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .map(|p| p["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let path = format!("/api/v1/threads/{}", c.thread_id());
    assert!(!visible_ids(&app.get_json(&path, None).await).contains(&post_id.to_owned()));
    assert!(
        !visible_ids(&app.get_json(&path, Some(c.member("reader_one"))).await)
            .contains(&post_id.to_owned())
    );
    let own_view = app.get_json(&path, Some(c.member("new_member"))).await;
    let own = own_view["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| p["id"] == post_id)
        .expect("author still sees the post")
        .clone();
    assert_eq!(own["status"], "held");
    assert!(own["moderation_note"]
        .as_str()
        .is_some_and(|n| n.contains("reports")));
    assert_eq!(app.get_json(&path, None).await["thread"]["post_count"], 1);
}

/// Members cannot read the queue or decide.
async fn only_moderators_read_the_queue_and_decide(app: &TestApp, c: &World) -> String {
    let refused = app
        .get("/api/v1/mod/queue", Some(c.member("reader_one")))
        .await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_moderator").await;
    let queue = app
        .get_json("/api/v1/mod/queue?community=myeloma", Some(c.moderator()))
        .await;
    let item_id = queue["items"][0]["id"]
        .as_str()
        .expect("item id")
        .to_owned();
    let decision_path = format!("/api/v1/mod/queue/{item_id}/decision");
    let refused = app
        .post(
            &decision_path,
            Some(c.member("reader_one")),
            json!({"action": "remove", "reason": "spam"}),
        )
        .await;
    expect_error(refused, StatusCode::NOT_FOUND).await;
    let bad = app
        .post(
            &decision_path,
            Some(c.moderator()),
            json!({"action": "explode", "reason": "x"}),
        )
        .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_action").await;
    decision_path
}

/// The moderator removes it and suspends the author for a week.
async fn the_moderator_removes_the_post_and_suspends_the_author(
    app: &TestApp,
    c: &World,
    decision_path: &str,
) {
    let decided = app
        .post(
            decision_path,
            Some(c.moderator()),
            json!({"action": "remove", "reason": "No selling in this community", "note": "third advert this month",
                   "sanction": {"kind": "suspend", "days": 7}}),
        )
        .await;
    let decided = expect_json(decided, StatusCode::OK).await;
    assert_eq!(decided["post_status"], "removed");
    assert_eq!(decided["sanction"], "suspend 7 days");
    let again = app
        .post(
            decision_path,
            Some(c.moderator()),
            json!({"action": "approve", "reason": "oops"}),
        )
        .await;
    expect_error(again, StatusCode::CONFLICT).await;
    let queue = app.get_json("/api/v1/mod/queue", Some(c.moderator())).await;
    assert!(queue["items"].as_array().expect("items").is_empty());
}

/// The author sees the outcome and cannot post while suspended.
async fn the_author_sees_the_outcome_and_cannot_post_while_suspended(
    app: &TestApp,
    c: &World,
    post_id: &str,
) {
    let path = format!("/api/v1/threads/{}", c.thread_id());
    let own_view = app.get_json(&path, Some(c.member("new_member"))).await;
    let own = own_view["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| p["id"] == post_id)
        .expect("author sees the removed post")
        .clone();
    assert_eq!(own["status"], "removed");
    assert_eq!(own["moderation_note"], "No selling in this community");
    let blocked = app
        .post(
            &format!("/api/v1/threads/{}/posts", c.thread_id()),
            Some(c.member("new_member")),
            json!({"body": "hello again"}),
        )
        .await;
    assert_error(blocked, StatusCode::FORBIDDEN, "suspended").await;
}

/// The log: members see action, reason and time; moderators also see the note.
async fn the_log_shows_members_the_action_and_moderators_the_note(app: &TestApp, c: &World) {
    let public = app
        .get_json(
            "/api/v1/communities/myeloma/modlog",
            Some(c.member("reader_one")),
        )
        .await;
    assert_eq!(public["items"][0]["action"], "remove");
    assert_eq!(public["items"][0]["reason"], "No selling in this community");
    assert!(public["items"][0]["note"].is_null());
    assert!(public["items"][0]["moderator"].is_null());
    let private = app
        .get_json("/api/v1/communities/myeloma/modlog", Some(c.moderator()))
        .await;
    assert_eq!(private["items"][0]["note"], "third advert this month");
    assert_eq!(private["items"][0]["target_user"]["username"], "new_member");
    let anonymous = app.get("/api/v1/communities/myeloma/modlog", None).await;
    expect_error(anonymous, StatusCode::FORBIDDEN).await;
}

async fn dismissing_reports_restores_the_post(app: TestApp) {
    let c = community_with_members(&app).await;
    let post = app
        .reply(
            c.member("new_member"),
            c.thread_id(),
            "My M-spike went down this cycle!",
        )
        .await;
    let post_id = post["id"].as_str().expect("id").to_owned();
    for reader in &c.members[1..] {
        expect_json(report(&app, reader, &post_id).await, StatusCode::CREATED).await;
    }
    let queue = app.get_json("/api/v1/mod/queue", Some(c.moderator())).await;
    let item_id = queue["items"][0]["id"].as_str().expect("item").to_owned();
    let decided = app
        .post(
            &format!("/api/v1/mod/queue/{item_id}/decision"),
            Some(c.moderator()),
            json!({"action": "dismiss", "reason": "Good news is welcome here"}),
        )
        .await;
    assert_eq!(
        expect_json(decided, StatusCode::OK).await["post_status"],
        "published"
    );
    let thread = app
        .get_json(&format!("/api/v1/threads/{}", c.thread_id()), None)
        .await;
    assert!(thread["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .any(|p| p["id"] == post_id.as_str()));
    assert_eq!(thread["thread"]["post_count"], 2);
}

fn find_post<'a>(thread: &'a Value, id: &str) -> Option<&'a Value> {
    thread["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| p["id"] == id)
}

async fn screening_holds_what_it_must_and_lets_questions_through(app: TestApp) {
    let c = community_with_members(&app).await;
    let held_id = a_phone_number_is_held_and_the_author_told_which_part(&app, &c).await;
    an_edited_held_post_waits_for_approval_of_the_new_version(&app, &c, &held_id).await;
    an_advert_from_a_new_account_is_held_with_labels_and_spans_then_removed(&app, &c).await;
    asking_about_a_myth_or_warning_against_it_is_published(&app, &c).await;
}

/// A phone number: held, and the author is told which part to remove. The held post's id.
async fn a_phone_number_is_held_and_the_author_told_which_part(app: &TestApp, c: &World) -> String {
    let path = format!("/api/v1/threads/{}", c.thread_id());
    let held = app
        .reply(
            c.member("new_member"),
            c.thread_id(),
            "Happy to talk any evening, call me on 555-014-2288.",
        )
        .await;
    let held_id = held["id"].as_str().expect("id").to_owned();
    assert_eq!(held["status"], "held");
    assert!(
        held["moderation_note"]
            .as_str()
            .is_some_and(|n| n.contains("555-014-2288")),
        "{held}"
    );
    assert!(find_post(&app.get_json(&path, None).await, &held_id).is_none());
    assert!(find_post(
        &app.get_json(&path, Some(c.member("reader_one"))).await,
        &held_id
    )
    .is_none());
    held_id
}

/// The author edits it; it stays held until a moderator approves the new version.
async fn an_edited_held_post_waits_for_approval_of_the_new_version(
    app: &TestApp,
    c: &World,
    held_id: &str,
) {
    let path = format!("/api/v1/threads/{}", c.thread_id());
    let edited = app
        .patch(
            &format!("/api/v1/posts/{held_id}"),
            Some(c.member("new_member")),
            json!({"body": "Happy to talk any evening here in the thread."}),
        )
        .await;
    assert_eq!(
        expect_json(edited, StatusCode::OK).await["post"]["status"],
        "held"
    );
    let queue = app.get_json("/api/v1/mod/queue", Some(c.moderator())).await;
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == held_id)
        .expect("held post queued")
        .clone();
    assert_eq!(item["source"], "screening");
    assert_eq!(
        item["post_source"],
        "Happy to talk any evening here in the thread."
    );
    let approved = app
        .post(
            &format!(
                "/api/v1/mod/queue/{}/decision",
                item["id"].as_str().expect("id")
            ),
            Some(c.moderator()),
            json!({"action": "approve", "reason": "Thanks for removing the number"}),
        )
        .await;
    assert_eq!(
        expect_json(approved, StatusCode::OK).await["post_status"],
        "published"
    );
    let visible = app.get_json(&path, None).await;
    let shown = find_post(&visible, held_id).expect("approved post is visible");
    assert_eq!(
        shown["body_html"],
        "<p>Happy to talk any evening here in the thread.</p>\n"
    );
}

/// An advert from a new account: held with its labels and spans, then removed.
async fn an_advert_from_a_new_account_is_held_with_labels_and_spans_then_removed(
    app: &TestApp,
    c: &World,
) {
    let path = format!("/api/v1/threads/{}", c.thread_id());
    let advert = app
        .reply(
            c.member("new_member"),
            c.thread_id(),
            "Buy our turmeric immune booster capsules at https://cure-shop.example.com and use code HEAL20 for 20% off! DM me for wholesale prices.",
        )
        .await;
    let advert_id = advert["id"].as_str().expect("id").to_owned();
    assert_eq!(advert["status"], "held");
    let queue = app
        .get_json("/api/v1/mod/queue?community=myeloma", Some(c.moderator()))
        .await;
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == advert_id.as_str())
        .expect("advert queued")
        .clone();
    assert!(
        item["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .any(|l| l == "promotion"),
        "{item}"
    );
    assert!(
        item["scores"]["promotion"]
            .as_f64()
            .is_some_and(|s| s > 0.5),
        "{item}"
    );
    let spanned = item["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|r| r["span"].is_object())
        .expect("a reason with a span");
    let (start, end) = (
        spanned["span"]["start"].as_u64().expect("start") as usize,
        spanned["span"]["end"].as_u64().expect("end") as usize,
    );
    let source = item["post_source"].as_str().expect("source");
    assert_eq!(
        &source[start..end],
        spanned["matched"].as_str().expect("matched")
    );
    let removed = app
        .post(
            &format!(
                "/api/v1/mod/queue/{}/decision",
                item["id"].as_str().expect("id")
            ),
            Some(c.moderator()),
            json!({"action": "remove", "reason": "No selling here"}),
        )
        .await;
    assert_eq!(
        expect_json(removed, StatusCode::OK).await["post_status"],
        "removed"
    );
    let log = app
        .get_json(
            "/api/v1/communities/myeloma/modlog",
            Some(c.member("reader_one")),
        )
        .await;
    assert_eq!(log["items"][0]["action"], "remove");
    let own = app.get_json(&path, Some(c.member("new_member"))).await;
    assert_eq!(
        find_post(&own, &advert_id).expect("author sees it")["status"],
        "removed"
    );
}

/// Asking about a myth, or warning against it, is published.
async fn asking_about_a_myth_or_warning_against_it_is_published(app: &TestApp, c: &World) {
    for text in [
        "My aunt keeps sending me videos saying baking soda cures cancer. Is there any truth to it?",
        "Please don't fall for the apricot kernel thing, they contain cyanide and there is no evidence.",
    ] {
        let post = app.reply(c.member("reader_two"), c.thread_id(), text).await;
        assert_eq!(post["status"], "published", "{text}");
    }
}

async fn put_policy(
    app: &TestApp,
    session: &Session,
    slug: &str,
    body: Value,
) -> reqwest::Response {
    app.request(
        Method::PUT,
        &format!("/api/v1/communities/{slug}/moderation-policy"),
        Some(session),
    )
    .json(&body)
    .send()
    .await
    .expect("PUT")
}

async fn moderators_edit_the_screening_policy_and_it_applies(app: TestApp) {
    let c = community_with_members(&app).await;
    let path = "/api/v1/communities/myeloma/moderation-policy";

    // The defaults, spelled out.
    let current = app.get_json(path, Some(c.moderator())).await;
    assert_eq!(current["community"], "myeloma");
    assert_eq!(
        current["policy"]["promotion"]["flag_instead_of_hold"],
        json!([2, 3])
    );
    assert_eq!(
        current["policy"]["personal_info"]["flag_instead_of_hold"],
        json!([])
    );
    let admin = app.admin("policy_admin").await;
    app.get_json(path, Some(&admin)).await;

    // Members may not read or change it; a private community stays invisible.
    let refused = app.get(path, Some(c.member("reader_one"))).await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_moderator").await;
    let refused = put_policy(&app, c.member("reader_one"), "myeloma", json!({})).await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_moderator").await;
    app.community(&admin, "quiet-room", "private", "approval")
        .await;
    let hidden = app
        .get(
            "/api/v1/communities/quiet-room/moderation-policy",
            Some(c.moderator()),
        )
        .await;
    expect_error(hidden, StatusCode::NOT_FOUND).await;
    let hidden = put_policy(&app, c.moderator(), "quiet-room", json!({})).await;
    expect_error(hidden, StatusCode::NOT_FOUND).await;

    // Validated at the edge: thresholds in [0, 1], flag <= hold <= reject, trust 0–3.
    for bad in [
        json!({"promotion": {"flag": 0.9, "hold": 0.5}}),
        json!({"misinformation": {"hold": 1.5}}),
        json!({"misinformation": {"reject": 0.6}}),
        json!({"personal_info": {"flag_instead_of_hold": [4]}}),
        json!({"spam": {"flag": 0.5}}),
        json!({"promotion": {"flag": "high"}}),
    ] {
        let refused = put_policy(&app, c.moderator(), "myeloma", bad.clone()).await;
        assert_error_for(refused, StatusCode::BAD_REQUEST, "invalid_policy", &bad).await;
    }
    let unchanged = app.get_json(path, Some(c.moderator())).await;
    assert_eq!(unchanged, current);

    // Phone numbers from anyone are published and queued instead of held.
    let changed = put_policy(
        &app,
        c.moderator(),
        "myeloma",
        json!({"personal_info": {"flag_instead_of_hold": [0, 1, 2, 3]}}),
    )
    .await;
    let changed = expect_json(changed, StatusCode::OK).await;
    assert_eq!(
        changed["policy"]["personal_info"]["flag_instead_of_hold"],
        json!([0, 1, 2, 3])
    );
    assert_eq!(
        changed["policy"]["promotion"],
        current["policy"]["promotion"]
    );
    assert_eq!(app.get_json(path, Some(c.moderator())).await, changed);
    let post = app
        .reply(
            c.member("new_member"),
            c.thread_id(),
            "Text me on 555-014-2288 any evening",
        )
        .await;
    assert_eq!(post["status"], "published");
    let queue = app
        .get_json("/api/v1/mod/queue?community=myeloma", Some(c.moderator()))
        .await;
    assert!(
        queue["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["post"]["id"] == post["id"]),
        "flagged posts are still queued: {queue}"
    );

    // The change is in the log: the new policy in the moderators' note only.
    let public = app
        .get_json(
            "/api/v1/communities/myeloma/modlog",
            Some(c.member("reader_one")),
        )
        .await;
    assert_eq!(public["items"][0]["action"], "policy");
    assert!(public["items"][0]["note"].is_null());
    let private = app
        .get_json("/api/v1/communities/myeloma/modlog", Some(c.moderator()))
        .await;
    let note = private["items"][0]["note"].as_str().expect("note");
    let logged: Value = serde_json::from_str(note).expect("policy JSON");
    assert_eq!(logged, changed["policy"]);
}

both_backends!(
    reports_hide_a_post_until_a_moderator_decides,
    dismissing_reports_restores_the_post,
    screening_holds_what_it_must_and_lets_questions_through,
    moderators_edit_the_screening_policy_and_it_applies,
);
