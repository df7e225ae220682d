//! Content notes (issue 19): notes on new threads, replies and edits; unknown notes and
//! other people's posts refused; a member's choice and a community's defaults; folded
//! posts in the thread page and search results for members who chose so, open for others;
//! the forms without JavaScript; screening's suggestion in the preview; the export.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, Session, TestApp, World};
use crate::pages::Browser;

const OPENING: &str = "Mum moved to the hospice on Tuesday and the nurses there are so kind.";

async fn ward(app: &TestApp) -> World {
    Fixture::new(app)
        .community("palliative-care", "public", "open")
        .moderator("mod_rosa")
        .members(["writer_wes", "careful_cat", "open_olly"])
        .build()
        .await
}

fn notes(value: &Value) -> Vec<&str> {
    value["content_notes"]
        .as_array()
        .unwrap_or_else(|| panic!("content_notes in {value}"))
        .iter()
        .map(|n| n.as_str().expect("a note name"))
        .collect()
}

async fn put(app: &TestApp, path: &str, session: &Session, body: Value) -> reqwest::Response {
    app.request(Method::PUT, path, Some(session))
        .json(&body)
        .send()
        .await
        .expect("PUT")
}

async fn thread_for(app: &TestApp, thread: &str, session: &Session) -> Value {
    app.get_json(&format!("/api/v1/threads/{thread}"), Some(session))
        .await
}

/// The `<article>` of one post in a page.
fn article<'a>(html: &'a str, post: &str) -> &'a str {
    let start = html
        .find(&format!(r#"id="p{post}""#))
        .unwrap_or_else(|| panic!("post {post} in {html}"));
    let end = html[start..].find("</article>").expect("end of article") + start;
    &html[start..end]
}

async fn search_until(
    app: &TestApp,
    query: &str,
    session: &Session,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = app
            .get_json(&format!("/api/v1/search?{query}"), Some(session))
            .await;
        if done(&page) {
            return page;
        }
        assert!(Instant::now() < deadline, "search for {query}: {page}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

async fn notes_fold_away_for_members_who_chose_them(app: TestApp) {
    let w = ward(&app).await;
    let slug = w.slug.clone();
    let (wes, cat, olly) = (
        w.member("writer_wes"),
        w.member("careful_cat"),
        w.member("open_olly"),
    );

    // A thread marked when started: its notes, once each, in the list's order.
    let response = app
        .post(
            &format!("/api/v1/communities/{slug}/threads"),
            Some(wes),
            json!({ "title": "Hospice week", "body": OPENING,
                    "content_notes": ["self_harm", "end_of_life", "self_harm"] }),
        )
        .await;
    let created = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(notes(&created["thread"]), ["end_of_life", "self_harm"]);
    assert_eq!(notes(&created["post"]), ["end_of_life", "self_harm"]);
    let thread = created["thread"]["id"].as_str().expect("id").to_owned();
    let opening = created["post"]["id"].as_str().expect("id").to_owned();

    // Unknown notes are refused with a clear code, and nothing is written.
    let response = app
        .post(
            &format!("/api/v1/communities/{slug}/threads"),
            Some(wes),
            json!({ "title": "Spoilers", "body": "Hello", "content_notes": ["spoilers"] }),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "unknown_content_note").await;
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(wes),
            json!({ "body": "Hello", "content_notes": ["END_OF_LIFE"] }),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "unknown_content_note").await;
    let listed = app
        .get_json(&format!("/api/v1/communities/{slug}/threads"), Some(wes))
        .await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    assert_eq!(notes(&listed["items"][0]), ["end_of_life", "self_harm"]);

    // A reply with a note, and one given a note by an edit.
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(wes),
            json!({ "body": "Dad's funeral is on Friday.", "content_notes": ["death_and_loss"] }),
        )
        .await;
    let loss = expect_json(response, StatusCode::CREATED).await["post"].clone();
    assert_eq!(notes(&loss), ["death_and_loss"]);
    let loss = loss["id"].as_str().expect("id").to_owned();
    let scan = app.reply(wes, &thread, "Scan results next week.").await;
    assert!(notes(&scan).is_empty());
    let scan = scan["id"].as_str().expect("id").to_owned();
    let edited = app
        .patch(
            &format!("/api/v1/posts/{scan}"),
            Some(wes),
            json!({ "body": "Scan results: it has spread.", "content_notes": ["recurrence"] }),
        )
        .await;
    assert_eq!(
        notes(&expect_json(edited, StatusCode::OK).await["post"]),
        ["recurrence"]
    );
    // An edit without the field keeps the notes; someone else's post is not theirs to mark.
    let edited = app
        .patch(
            &format!("/api/v1/posts/{scan}"),
            Some(wes),
            json!({ "body": "Scan results: it has spread, sadly." }),
        )
        .await;
    assert_eq!(
        notes(&expect_json(edited, StatusCode::OK).await["post"]),
        ["recurrence"]
    );
    let response = app
        .patch(
            &format!("/api/v1/posts/{scan}"),
            Some(cat),
            json!({ "body": "Mine now", "content_notes": [] }),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_author").await;
    let response = app
        .patch(
            &format!("/api/v1/posts/{scan}"),
            Some(wes),
            json!({ "body": "x", "content_notes": ["gore"] }),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "unknown_content_note").await;
    let read = thread_for(&app, &thread, cat).await;
    let by_id = |id: &str| {
        read["posts"]
            .as_array()
            .expect("posts")
            .iter()
            .find(|p| p["id"] == id)
            .cloned()
            .expect("the post")
    };
    assert_eq!(notes(&by_id(&opening)), ["end_of_life", "self_harm"]);
    assert_eq!(notes(&by_id(&loss)), ["death_and_loss"]);
    assert_eq!(notes(&by_id(&scan)), ["recurrence"]);
    assert_eq!(notes(&read["thread"]), ["end_of_life", "self_harm"]);
    assert_eq!(read["collapse_content_notes"], json!([]));

    // A member's choice.
    let mine = app.get_json("/api/v1/me/content-notes", Some(cat)).await;
    assert_eq!(mine["chosen"], false);
    assert_eq!(mine["collapse"], json!([]));
    assert_eq!(mine["notes"].as_array().map(Vec::len), Some(5));
    let response = put(
        &app,
        "/api/v1/me/content-notes",
        cat,
        json!({ "collapse": ["nope"] }),
    )
    .await;
    assert_error(response, StatusCode::BAD_REQUEST, "unknown_content_note").await;
    let response = put(
        &app,
        "/api/v1/me/content-notes",
        cat,
        json!({ "collapse": ["end_of_life"] }),
    )
    .await;
    let mine = expect_json(response, StatusCode::OK).await;
    assert_eq!(
        (mine["chosen"].clone(), mine["collapse"].clone()),
        (json!(true), json!(["end_of_life"]))
    );

    // A community's defaults: its moderators set them; they apply to who has not chosen.
    let path = format!("/api/v1/communities/{slug}/content-notes");
    assert_eq!(app.get_json(&path, None).await["collapse"], json!([]));
    let response = put(&app, &path, cat, json!({ "collapse": ["death_and_loss"] })).await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let response = put(
        &app,
        &path,
        w.moderator(),
        json!({ "collapse": ["death_and_loss"] }),
    )
    .await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["collapse"],
        json!(["death_and_loss"])
    );
    let response = put(
        &app,
        "/api/v1/communities/nowhere/content-notes",
        w.moderator(),
        json!({ "collapse": [] }),
    )
    .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        thread_for(&app, &thread, olly).await["collapse_content_notes"],
        json!(["death_and_loss"])
    );
    assert_eq!(
        thread_for(&app, &thread, cat).await["collapse_content_notes"],
        json!(["end_of_life"])
    );

    // The pages: folded for who chose so, a label for everyone else.
    let page = format!("/t/{thread}");
    let cat_browser = Browser::new(&app);
    cat_browser.sign_in("careful_cat").await;
    let html = cat_browser.page(&page, StatusCode::OK).await;
    assert!(
        article(&html, &opening).contains(
            "<details class=\"content-note\"><summary>This post has a content note: end of life, suicide and self-harm \u{2014} show</summary>"
        ),
        "{html}"
    );
    assert!(!article(&html, &loss).contains("<details class=\"content-note\">"));
    assert!(article(&html, &loss).contains("Content note: death and loss"));
    let olly_browser = Browser::new(&app);
    olly_browser.sign_in("open_olly").await;
    let html = olly_browser.page(&page, StatusCode::OK).await;
    assert!(
        !article(&html, &opening).contains("<details class=\"content-note\">"),
        "{html}"
    );
    assert!(article(&html, &opening).contains("Content note: end of life, suicide and self-harm"));
    assert!(article(&html, &loss).contains("This post has a content note: death and loss"));
    // Visitors get the community's defaults; authors never have their own posts folded.
    let html = Browser::new(&app).page(&page, StatusCode::OK).await;
    assert!(article(&html, &loss).contains("This post has a content note: death and loss"));
    let wes_browser = Browser::new(&app);
    wes_browser.sign_in("writer_wes").await;
    let html = wes_browser.page(&page, StatusCode::OK).await;
    assert!(
        !article(&html, &loss).contains("<details class=\"content-note\">"),
        "{html}"
    );

    // Search results carry the notes, folded for who chose so.
    let found = search_until(&app, "q=hospice", cat, |p| {
        p["items"].as_array().is_some_and(|i| !i.is_empty())
    })
    .await;
    let item = &found["items"][0];
    assert_eq!(item["post_id"], opening.as_str());
    assert_eq!(notes(item), ["end_of_life", "self_harm"]);
    assert_eq!(item["collapsed"], true);
    let found = app.get_json("/api/v1/search?q=hospice", Some(olly)).await;
    assert_eq!(found["items"][0]["collapsed"], false);
    let html = cat_browser.page("/search?q=hospice", StatusCode::OK).await;
    assert!(
        html.contains("This post has a content note: end of life, suicide and self-harm"),
        "{html}"
    );
    let html = olly_browser.page("/search?q=hospice", StatusCode::OK).await;
    assert!(!html.contains("This post has a content note"), "{html}");

    // The export: the notes on the member's posts, and their choice.
    let export = app.get_json("/api/v1/me/export", Some(wes)).await;
    let exported = export["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .find(|p| p["id"] == opening.as_str())
        .cloned()
        .expect("the opening post");
    assert_eq!(notes(&exported), ["end_of_life", "self_harm"]);
    assert_eq!(export["collapse_content_notes"], Value::Null);
    let export = app.get_json("/api/v1/me/export", Some(cat)).await;
    assert_eq!(export["collapse_content_notes"], json!(["end_of_life"]));
}

async fn the_forms_mark_and_choose_without_javascript(app: TestApp) {
    let w = ward(&app).await;
    let (thread, _) = app
        .thread(
            w.member("writer_wes"),
            &w.slug,
            "Our week",
            "Quiet days at home.",
        )
        .await;
    let page = format!("/t/{thread}");
    let wes = Browser::new(&app);
    wes.sign_in("writer_wes").await;
    let html = wes.page(&page, StatusCode::OK).await;
    assert!(html.contains(r#"name="note_graphic_medical""#), "{html}");
    let to = wes
        .submit_ok(
            &page,
            &format!("{page}/reply"),
            &[
                ("body", "The drain came out today."),
                ("note_graphic_medical", "on"),
            ],
        )
        .await;
    assert!(to.starts_with(&page), "{to}");
    let read = thread_for(&app, &thread, w.member("writer_wes")).await;
    let last = read["posts"]
        .as_array()
        .and_then(|p| p.last())
        .cloned()
        .expect("reply");
    assert_eq!(notes(&last), ["graphic_medical"]);
    // The edit form shows the post's notes ticked, and replaces them.
    let html = wes.page(&page, StatusCode::OK).await;
    let id = last["id"].as_str().expect("id");
    assert!(
        article(&html, id).contains(r#"name="note_graphic_medical" value="on" checked"#),
        "{html}"
    );
    wes.submit_ok(
        &page,
        &format!("{page}/p/{id}/edit"),
        &[
            ("body", "The drain came out today."),
            ("note_recurrence", "on"),
        ],
    )
    .await;
    let read = thread_for(&app, &thread, w.member("writer_wes")).await;
    assert_eq!(
        notes(
            read["posts"]
                .as_array()
                .and_then(|p| p.last())
                .expect("reply")
        ),
        ["recurrence"]
    );
    // A new thread with a note.
    let to = wes
        .submit_ok(
            &format!("/new?community={}", w.slug),
            "/new",
            &[
                ("community", w.slug.as_str()),
                ("title", "Saying goodbye"),
                ("body", "We are planning the funeral."),
                ("note_death_and_loss", "on"),
            ],
        )
        .await;
    let new_thread = to.trim_start_matches("/t/").to_owned();
    let read = thread_for(&app, &new_thread, w.member("writer_wes")).await;
    assert_eq!(notes(&read["thread"]), ["death_and_loss"]);

    // Screening suggests a note in the preview, and never applies it.
    let response = wes
        .submit(
            &page,
            "/preview",
            &[("body", "Mum moved to the hospice today.")],
        )
        .await;
    let preview: Value = response.json().await.expect("json");
    assert_eq!(
        preview["suggested_content_notes"][0]["note"], "end_of_life",
        "{preview}"
    );
    let response = wes
        .submit(
            &page,
            "/preview",
            &[("body", "Lovely walk in the park today.")],
        )
        .await;
    let preview: Value = response.json().await.expect("json");
    assert_eq!(preview["suggested_content_notes"], json!([]));

    // The member's settings page, and the moderators' defaults page.
    let cat = Browser::new(&app);
    cat.sign_in("careful_cat").await;
    let to = cat
        .submit_ok(
            "/me/content-notes",
            "/me/content-notes",
            &[("collapse_self_harm", "on")],
        )
        .await;
    assert_eq!(to, "/me/content-notes?notice=saved");
    let mine = app
        .get_json("/api/v1/me/content-notes", Some(w.member("careful_cat")))
        .await;
    assert_eq!(mine["collapse"], json!(["self_harm"]));
    let html = cat.page("/me/content-notes", StatusCode::OK).await;
    assert!(
        html.contains(r#"name="collapse_self_harm" value="on" checked"#),
        "{html}"
    );
    let defaults = format!("/c/{}/content-notes", w.slug);
    cat.page(&defaults, StatusCode::FORBIDDEN).await;
    let rosa = Browser::new(&app);
    rosa.sign_in("mod_rosa").await;
    rosa.submit_ok(&defaults, &defaults, &[("collapse_graphic_medical", "on")])
        .await;
    let set = app
        .get_json(
            &format!("/api/v1/communities/{}/content-notes", w.slug),
            None,
        )
        .await;
    assert_eq!(set["collapse"], json!(["graphic_medical"]));
}

/// The last post of a thread, as its author reads it through the API.
async fn last_post(app: &TestApp, thread: &str, session: &Session) -> (usize, Value) {
    let read = thread_for(app, thread, session).await;
    let posts = read["posts"].as_array().cloned().unwrap_or_default();
    let last = posts.last().cloned().expect("a post");
    (posts.len(), last)
}

async fn a_form_without_notes_comes_back_with_the_suggestion_without_javascript(app: TestApp) {
    let w = ward(&app).await;
    let wes_session = w.member("writer_wes");
    let (thread, _) = app
        .thread(wes_session, &w.slug, "Our week", "Quiet days at home.")
        .await;
    let page = format!("/t/{thread}");
    let action = format!("{page}/reply");
    let wes = Browser::new(&app);
    wes.sign_in("writer_wes").await;

    // Submitted without a note: not posted; the form again, the suggested box ticked.
    let body = "Mum moved to the hospice today.";
    let again = wes.submit(&page, &action, &[("body", body)]).await;
    assert_eq!(again.status(), StatusCode::OK);
    let html = again.text().await.expect("page");
    assert!(
        html.contains("This post may need a content note: end of life."),
        "{html}"
    );
    assert!(
        html.contains(r#"name="note_end_of_life" value="on" checked"#),
        "{html}"
    );
    assert!(!html.contains(r#"name="note_death_and_loss" value="on" checked"#));
    assert!(html.contains(r#"name="notes_suggested" value="true""#));
    assert!(html.contains(r#"name="post_without_notes" value="true""#));
    assert!(html.contains("Post without a note"));
    assert!(html.contains(body), "the text is kept");
    assert_eq!(last_post(&app, &thread, wes_session).await.0, 1);

    // Posting the form as it came back: with the ticked note.
    let to = wes
        .submit_ok(
            &page,
            &action,
            &[
                ("body", body),
                ("notes_suggested", "true"),
                ("note_end_of_life", "on"),
            ],
        )
        .await;
    assert!(to.contains("notice=posted"), "{to}");
    let (count, last) = last_post(&app, &thread, wes_session).await;
    assert_eq!(count, 2);
    assert_eq!(notes(&last), ["end_of_life"]);

    // "Post without a note": posted with none, even with the box still ticked.
    let body = "Dad's funeral is on Friday.";
    let html = wes
        .submit(&page, &action, &[("body", body)])
        .await
        .text()
        .await
        .expect("page");
    assert!(
        html.contains(r#"name="note_death_and_loss" value="on" checked"#),
        "{html}"
    );
    wes.submit_ok(
        &page,
        &action,
        &[
            ("body", body),
            ("notes_suggested", "true"),
            ("note_death_and_loss", "on"),
            ("post_without_notes", "true"),
        ],
    )
    .await;
    let (count, last) = last_post(&app, &thread, wes_session).await;
    assert_eq!(count, 3);
    assert_eq!(notes(&last), Vec::<&str>::new());

    // Nothing to suggest, or a note already chosen: posted at once.
    wes.submit_ok(
        &page,
        &action,
        &[("body", "Lovely walk in the park today.")],
    )
    .await;
    wes.submit_ok(
        &page,
        &action,
        &[("body", "He died on Sunday."), ("note_end_of_life", "on")],
    )
    .await;
    let (count, last) = last_post(&app, &thread, wes_session).await;
    assert_eq!(count, 5);
    assert_eq!(notes(&last), ["end_of_life"]);

    // A new thread: the title counts too, and the step is the same.
    let form_page = format!("/new?community={}", w.slug);
    let fields = [
        ("community", w.slug.as_str()),
        ("title", "Hospice week"),
        ("body", "A quiet week with the family."),
    ];
    let again = wes.submit(&form_page, "/new", &fields).await;
    assert_eq!(again.status(), StatusCode::OK);
    let html = again.text().await.expect("page");
    assert!(
        html.contains(r#"name="note_end_of_life" value="on" checked"#),
        "{html}"
    );
    let mut declined = fields.to_vec();
    declined.extend([("notes_suggested", "true"), ("post_without_notes", "true")]);
    let to = wes.submit_ok(&form_page, "/new", &declined).await;
    let new_thread = to.trim_start_matches("/t/").to_owned();
    let read = thread_for(&app, &new_thread, wes_session).await;
    assert_eq!(read["thread"]["title"], "Hospice week");
    assert_eq!(notes(&read["thread"]), Vec::<&str>::new());
}

both_backends! {
    notes_fold_away_for_members_who_chose_them,
    the_forms_mark_and_choose_without_javascript,
    a_form_without_notes_comes_back_with_the_suggestion_without_javascript,
}
