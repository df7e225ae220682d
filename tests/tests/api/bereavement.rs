//! Bereavement, appeals and clinician context (issue 19), on both backends: a memorialised
//! account cannot sign in and is never notified or mailed (replies, mentions, reactions,
//! the mail job), and its profile reads "In memory of"; an appeal by the wrong person,
//! twice, late or decided by the same moderator is refused, and an overturn restores the
//! post with a log that never repeats its text; a clinician's note is shown to every
//! reader and refused to non-clinicians; appeals and notes go with erasure.

use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_error, expect_json, Fixture, Session, TestApp};

fn execute(app: &TestApp, sql: String) {
    app.store
        .write(move |conn| Ok(conn.batch_execute(&sql)?))
        .expect("execute");
}

async fn put(
    app: &TestApp,
    path: &str,
    session: Option<&Session>,
    body: Value,
) -> reqwest::Response {
    app.request(reqwest::Method::PUT, path, session)
        .json(&body)
        .send()
        .await
        .expect("PUT")
}

fn notifications_of(app: &TestApp, user_id: &str) -> usize {
    let id: i64 = user_id.parse().expect("id");
    app.store
        .read(|conn| kindred_server::store::notifications::of_user(conn, id))
        .expect("notifications")
        .len()
}

fn outbox_count(app: &TestApp) -> i64 {
    app.store
        .read(kindred_server::store::mail::count_by_status)
        .expect("count")
        .iter()
        .map(|(_, n)| n)
        .sum()
}

/// A member reports the post and the moderator removes it from the queue.
pub(crate) async fn remove_through_queue(
    app: &TestApp,
    reporter: &Session,
    moderator: &Session,
    post_id: &str,
) {
    let response = app
        .post(
            &format!("/api/v1/posts/{post_id}/reports"),
            Some(reporter),
            json!({ "reason": "this reads like an advert" }),
        )
        .await;
    expect_json(response, StatusCode::CREATED).await;
    let queue = app.get_json("/api/v1/mod/queue", Some(moderator)).await;
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == post_id)
        .expect("the reported post is queued")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let response = app
        .post(
            &format!("/api/v1/mod/queue/{item}/decision"),
            Some(moderator),
            json!({ "action": "remove", "reason": "Promotes a product" }),
        )
        .await;
    expect_json(response, StatusCode::OK).await;
}

async fn thread_posts(app: &TestApp, thread: &str, session: Option<&Session>) -> Vec<Value> {
    app.get_json(&format!("/api/v1/threads/{thread}"), session)
        .await["posts"]
        .as_array()
        .expect("posts")
        .clone()
}

async fn memorial_silences_the_account_and_refuses_sign_in(app: TestApp) {
    let w = Fixture::new(&app)
        .community("grief-support", "public", "open")
        .moderator("mod_maria")
        .members(["late_ana", "ben_carer"])
        .thread_by(
            "late_ana",
            "Good days",
            "Today was a good day with my family.",
        )
        .build()
        .await;
    execute(
        &app,
        "UPDATE users SET email = 'ana@example.org' WHERE username = 'late_ana'".into(),
    );
    let ana = w.member("late_ana");
    let ben = w.member("ben_carer");
    // Before the memorial, a reply reaches her (the producers work).
    app.reply(ben, w.thread_id(), "So glad to hear it.").await;
    let before = notifications_of(&app, &ana.user_id);
    assert_eq!(before, 1, "a reply notifies the thread's author");

    let path = "/api/v1/admin/users/late_ana/memorialise";
    assert_error(
        app.post(path, Some(ben), json!({})).await,
        StatusCode::FORBIDDEN,
        "not_admin",
    )
    .await;
    assert_error(
        app.post(
            "/api/v1/admin/users/nobody_here/memorialise",
            Some(&w.admin),
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let done = expect_json(
        app.post(path, Some(&w.admin), json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["memorialised"], true);
    assert_error(
        app.post(path, Some(&w.admin), json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Signed out everywhere, and no new sign-in.
    assert_eq!(
        app.get("/api/v1/me", Some(ana)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_error(
        app.login("late_ana", crate::helpers::PASSWORD).await,
        StatusCode::FORBIDDEN,
        "memorialised",
    )
    .await;

    // Replies, mentions and reactions generate nothing for her; nor does the mail job,
    // even for the notification she had before.
    app.reply(ben, w.thread_id(), "Thinking of you, @late_ana.")
        .await;
    let response = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/posts/{}/reactions/with_you", w.first_post_id()),
            Some(ben),
        )
        .send()
        .await
        .expect("react");
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(notifications_of(&app, &ana.user_id), before);
    // 08:01 UTC two days on: her daily digest hour (replies are mailed daily by default).
    let day = 24 * 3_600_000_000;
    let far = (kindred_server::domain::ids::now_micros() / day + 2) * day
        + 8 * 3_600_000_000
        + 60_000_000;
    app.notification_mail
        .run(&app.store, far)
        .expect("mail job");
    assert_eq!(outbox_count(&app), 0, "no mail for a memorialised account");

    // The profile reads "In memory of", her posts stay, and the log has the step.
    let profile = app.get_json("/api/v1/users/late_ana", Some(ben)).await;
    assert_eq!(profile["memorialised"], true);
    let page = app
        .get("/u/late_ana", None)
        .await
        .text()
        .await
        .expect("page");
    assert!(page.contains("In memory of"), "{page}");
    let posts = thread_posts(&app, w.thread_id(), None).await;
    assert_eq!(posts[0]["author"]["username"], "late_ana");
    let log = app
        .get_json("/api/v1/communities/grief-support/modlog", Some(ben))
        .await;
    assert_eq!(log["items"][0]["action"], "memorialise");

    // Reversible by an admin, logged too; then she signs in again.
    let undone = expect_json(app.delete(path, Some(&w.admin)).await, StatusCode::OK).await;
    assert_eq!(undone["memorialised"], false);
    assert_error(
        app.delete(path, Some(&w.admin)).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let log = app
        .get_json("/api/v1/communities/grief-support/modlog", Some(ben))
        .await;
    assert_eq!(log["items"][0]["action"], "unmemorialise");
    assert_eq!(
        app.login("late_ana", crate::helpers::PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

async fn appeals_are_refused_when_they_should_be_and_an_overturn_restores_the_post(app: TestApp) {
    let w = Fixture::new(&app)
        .community("lung-health", "public", "open")
        .moderator("mod_maria")
        .members(["ana_patient", "ben_carer"])
        .thread("Inhalers", "Which spacer do you use?")
        .build()
        .await;
    let (ana, ben, maria) = (
        w.member("ana_patient"),
        w.member("ben_carer"),
        w.moderator(),
    );
    let secret = "The blue spacer from my pharmacist changed my mornings";
    let post = app.reply(ana, w.thread_id(), secret).await;
    let post_id = post["id"].as_str().expect("id").to_owned();
    remove_through_queue(&app, ben, maria, &post_id).await;
    let log = app
        .get_json("/api/v1/communities/lung-health/modlog", Some(ana))
        .await;
    let decision = log["items"][0]["id"]
        .as_str()
        .expect("decision id")
        .to_owned();

    // Someone else's decision is not found; bad text is refused; nothing is created.
    let by_ben = app
        .post(
            "/api/v1/appeals",
            Some(ben),
            json!({ "decision_id": decision, "text": "Please" }),
        )
        .await;
    assert_error(by_ben, StatusCode::NOT_FOUND, "not_found").await;
    let empty = app
        .post(
            "/api/v1/appeals",
            Some(ana),
            json!({ "post_id": post_id, "text": "  " }),
        )
        .await;
    assert_error(empty, StatusCode::BAD_REQUEST, "invalid_text").await;
    let both = app
        .post(
            "/api/v1/appeals",
            Some(ana),
            json!({ "post_id": post_id, "decision_id": decision, "text": "Please" }),
        )
        .await;
    assert_error(both, StatusCode::BAD_REQUEST, "invalid_decision_id").await;

    let appeal_text = "It was my own experience, not an advert";
    let filed = app
        .post(
            "/api/v1/appeals",
            Some(ana),
            json!({ "post_id": post_id, "text": appeal_text }),
        )
        .await;
    let filed = expect_json(filed, StatusCode::CREATED).await;
    assert_eq!(filed["state"], "open");
    let again = app
        .post(
            "/api/v1/appeals",
            Some(ana),
            json!({ "decision_id": decision, "text": "Again" }),
        )
        .await;
    assert_error(again, StatusCode::CONFLICT, "conflict").await;

    // In the queue; the moderator who decided may not decide it, a member cannot see it.
    let appeals = app.get_json("/api/v1/mod/appeals", Some(maria)).await;
    assert_eq!(appeals[0]["can_decide"], false);
    let id = filed["id"].as_str().expect("id");
    let decide = format!("/api/v1/mod/appeals/{id}/decision");
    let same = app
        .post(&decide, Some(maria), json!({ "outcome": "overturned" }))
        .await;
    assert_error(same, StatusCode::FORBIDDEN, "same_moderator").await;
    let member = app
        .post(&decide, Some(ben), json!({ "outcome": "overturned" }))
        .await;
    assert_error(member, StatusCode::NOT_FOUND, "not_found").await;
    let bad = app
        .post(&decide, Some(&w.admin), json!({ "outcome": "maybe" }))
        .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_outcome").await;

    // A second moderator overturns: the post is back, the author is told, the public log
    // says so without the post's or the appeal's words.
    let sam = app.register("mod_sam").await;
    app.appoint_moderator(&w.admin, "lung-health", "mod_sam")
        .await;
    let decided = app
        .post(&decide, Some(&sam), json!({ "outcome": "overturned" }))
        .await;
    assert_eq!(
        expect_json(decided, StatusCode::OK).await["state"],
        "overturned"
    );
    let twice = app
        .post(&decide, Some(&w.admin), json!({ "outcome": "upheld" }))
        .await;
    assert_error(twice, StatusCode::CONFLICT, "conflict").await;
    let posts = thread_posts(&app, w.thread_id(), Some(ben)).await;
    let restored = posts
        .iter()
        .find(|p| p["id"] == post_id.as_str())
        .expect("visible again");
    assert_eq!(restored["status"], "published");
    let log = app
        .get_json("/api/v1/communities/lung-health/modlog", Some(ben))
        .await;
    assert_eq!(log["items"][0]["reason"], "appealed → overturned");
    let text = log.to_string();
    assert!(
        !text.contains("blue spacer") && !text.contains("own experience"),
        "{text}"
    );
    let inbox = app
        .get_json("/api/v1/notifications", Some(ana))
        .await
        .to_string();
    assert!(inbox.contains("overturned the decision"), "{inbox}");

    // After 30 days a decision can no longer be appealed.
    let late = app.reply(ana, w.thread_id(), "Another spacer story").await;
    let late_id = late["id"].as_str().expect("id").to_owned();
    remove_through_queue(&app, ben, maria, &late_id).await;
    execute(
        &app,
        format!(
            "UPDATE mod_log SET created_at = created_at - 31 * 86400000000 WHERE post_id = {late_id}"
        ),
    );
    let too_late = app
        .post(
            "/api/v1/appeals",
            Some(ana),
            json!({ "post_id": late_id, "text": "Please" }),
        )
        .await;
    assert_error(too_late, StatusCode::CONFLICT, "conflict").await;

    // The appeal is in the member's export, and goes with her.
    let export = app.get_json("/api/v1/me/export", Some(ana)).await;
    assert_eq!(export["appeals"][0]["text"], appeal_text);
    let erased = app
        .request(reqwest::Method::DELETE, "/api/v1/me", Some(ana))
        .json(&json!({ "password": crate::helpers::PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("erase");
    assert!(erased.status().is_success(), "{}", erased.status());
    let id: i64 = ana.user_id.parse().expect("id");
    let traces = kindred_server::service::privacy::traces_of(&app.store, id).expect("traces");
    assert_eq!(traces, 0);
}

/// A member banned from a private community can no longer read its moderation log, and
/// the ban named no post: `GET /me/decisions` gives them the decision to appeal, without
/// the moderator's name, and nobody else sees it or may appeal it.
async fn a_banned_member_finds_the_decision_and_appeals_it(app: TestApp) {
    let w = Fixture::new(&app)
        .community("quiet-circle", "private", "approval")
        .moderator("mod_maria")
        .build()
        .await;
    let maria = w.moderator();
    let ana = app.register("ana_patient").await;
    let ben = app.register("ben_carer").await;
    for name in ["ana_patient", "ben_carer"] {
        let added = app
            .post(
                "/api/v1/communities/quiet-circle/members",
                Some(maria),
                json!({ "username": name }),
            )
            .await;
        assert!(added.status().is_success(), "{}", added.status());
    }
    let mine = "/api/v1/me/decisions";
    assert!(app.get_json(mine, Some(&ana)).await["items"]
        .as_array()
        .expect("items")
        .is_empty());
    let banned = app
        .post(
            "/api/v1/communities/quiet-circle/bans",
            Some(maria),
            json!({ "username": "ana_patient" }),
        )
        .await;
    assert!(banned.status().is_success(), "{}", banned.status());

    // The community, its log included, is gone for her; her decisions are not.
    let log = app
        .get("/api/v1/communities/quiet-circle/modlog", Some(&ana))
        .await;
    assert_eq!(log.status(), StatusCode::NOT_FOUND);
    let decisions = app.get_json(mine, Some(&ana)).await;
    let items = decisions["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{decisions}");
    assert_eq!(items[0]["community"], "quiet-circle");
    assert_eq!(items[0]["sanction"], "ban");
    assert_eq!(items[0]["can_appeal"], true);
    assert_eq!(items[0]["appeal"], Value::Null);
    let text = decisions.to_string();
    assert!(
        !text.contains("mod_maria") && !text.contains(&maria.user_id),
        "{text}"
    );
    let decision = items[0]["id"].as_str().expect("id").to_owned();

    // Nobody else sees it or may appeal it; signed out there is nothing.
    assert!(app.get_json(mine, Some(&ben)).await["items"]
        .as_array()
        .expect("items")
        .is_empty());
    let by_ben = app
        .post(
            "/api/v1/appeals",
            Some(&ben),
            json!({ "decision_id": decision, "text": "Please" }),
        )
        .await;
    assert_error(by_ben, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(app.get(mine, None).await.status(), StatusCode::UNAUTHORIZED);

    // She appeals with the id, and her list shows the appeal.
    let filed = app
        .post(
            "/api/v1/appeals",
            Some(&ana),
            json!({ "decision_id": decision, "text": "I think this was a mistake" }),
        )
        .await;
    let filed = expect_json(filed, StatusCode::CREATED).await;
    assert_eq!(filed["decision_id"], decision.as_str());
    let decisions = app.get_json(mine, Some(&ana)).await;
    assert_eq!(decisions["items"][0]["can_appeal"], false);
    assert_eq!(decisions["items"][0]["appeal"]["state"], "open");
}

async fn a_clinician_note_is_shown_to_readers_and_refused_to_others(app: TestApp) {
    let w = Fixture::new(&app)
        .community("breast-cancer", "public", "open")
        .moderator("mod_maria")
        .members(["nurse_kim", "ana_patient", "ben_carer"])
        .thread_by(
            "ana_patient",
            "Cold caps",
            "Should I stop my tamoxifen for a week?",
        )
        .build()
        .await;
    let (kim, ana, ben) = (
        w.member("nurse_kim"),
        w.member("ana_patient"),
        w.member("ben_carer"),
    );
    let notes = format!("/api/v1/posts/{}/context-notes", w.first_post_id());
    let note = "Most teams advise **asking first**. <script>alert(1)</script> [Source](https://example.org/tamoxifen)";

    let refused = app.post(&notes, Some(kim), json!({ "body": note })).await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_clinician").await;
    let clinician = "/api/v1/admin/users/nurse_kim/clinician";
    let by_member = put(
        &app,
        clinician,
        Some(ben),
        json!({ "role": "oncology nurse" }),
    )
    .await;
    assert_error(by_member, StatusCode::FORBIDDEN, "not_admin").await;
    let unknown = put(
        &app,
        "/api/v1/admin/users/nobody_here/clinician",
        Some(&w.admin),
        json!({ "role": "oncology nurse" }),
    )
    .await;
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let verified = put(
        &app,
        clinician,
        Some(&w.admin),
        json!({ "role": "oncology nurse" }),
    )
    .await;
    expect_json(verified, StatusCode::OK).await;

    let long = app
        .post(&notes, Some(kim), json!({ "body": "a".repeat(501) }))
        .await;
    assert_error(long, StatusCode::BAD_REQUEST, "invalid_body").await;
    let added = app.post(&notes, Some(kim), json!({ "body": note })).await;
    let added = expect_json(added, StatusCode::CREATED).await;
    let html = added["body_html"].as_str().expect("html");
    assert!(
        html.contains("<strong>asking first</strong>") && !html.contains("<script"),
        "{html}"
    );

    // A visitor reads it under the post, labelled with the role; the author is told.
    let posts = thread_posts(&app, w.thread_id(), None).await;
    assert_eq!(posts[0]["context_notes"][0]["label"], "oncology nurse");
    assert_eq!(
        posts[0]["context_notes"][0]["body_html"],
        added["body_html"]
    );
    let inbox = app
        .get_json("/api/v1/notifications", Some(ana))
        .await
        .to_string();
    assert!(inbox.contains("context_note"), "{inbox}");

    // A post she cannot see is not found.
    app.community(&w.admin, "private-circle", "private", "approval")
        .await;
    let (_, hidden) = app
        .thread(&w.admin, "private-circle", "Just us", "A quiet place")
        .await;
    let hidden_notes = format!("/api/v1/posts/{hidden}/context-notes");
    let not_seen = app
        .post(&hidden_notes, Some(kim), json!({ "body": "Context" }))
        .await;
    assert_error(not_seen, StatusCode::NOT_FOUND, "not_found").await;

    // Only its writer and moderators change it; each step is logged.
    let id = added["id"].as_str().expect("id");
    let one = format!("/api/v1/context-notes/{id}");
    let by_ben = app
        .patch(&one, Some(ben), json!({ "body": "Changed" }))
        .await;
    assert_error(by_ben, StatusCode::FORBIDDEN, "not_writer").await;
    let edited = app
        .patch(&one, Some(kim), json!({ "body": "Ask your team first." }))
        .await;
    assert!(expect_json(edited, StatusCode::OK).await["edited_at"].is_string());
    let export = app.get_json("/api/v1/me/export", Some(kim)).await;
    assert_eq!(export["context_notes"][0]["body"], "Ask your team first.");
    assert_error(
        app.delete(&one, Some(ben)).await,
        StatusCode::FORBIDDEN,
        "not_writer",
    )
    .await;
    assert_eq!(
        app.delete(&one, Some(w.moderator())).await.status(),
        StatusCode::NO_CONTENT
    );
    let posts = thread_posts(&app, w.thread_id(), None).await;
    assert_eq!(posts[0]["context_notes"], json!([]));
    let log = app
        .get_json("/api/v1/communities/breast-cancer/modlog", Some(ben))
        .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "context_note_removed",
            "context_note_edited",
            "context_note_added"
        ]
    );
}

crate::both_backends!(
    memorial_silences_the_account_and_refuses_sign_in,
    appeals_are_refused_when_they_should_be_and_an_overturn_restores_the_post,
    a_banned_member_finds_the_decision_and_appeals_it,
    a_clinician_note_is_shown_to_readers_and_refused_to_others,
);
