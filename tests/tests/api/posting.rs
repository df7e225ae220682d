//! Posting: `Idempotency-Key` on the requests that create threads, replies and reports
//! (API and page forms), and the trust counters the post writes keep.

use reqwest::header::LOCATION;
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_error, expect_json, status_and_text, Fixture, Session,
    TestApp, World, PASSWORD,
};
use kindred_server::domain::ids::UserId;
use kindred_server::store::{moderation, posts, threads, DbConnection};

/// A public community with a moderator, two members and the moderator's thread.
async fn forum(app: &TestApp) -> World {
    Fixture::new(app)
        .community("lung", "public", "open")
        .moderator("mod_maria")
        .members(["ana_patient", "ben_carer"])
        .thread("Scan days", "How do you get through them?")
        .build()
        .await
}

async fn keyed_post(
    app: &TestApp,
    path: &str,
    session: &Session,
    key: &str,
    body: Value,
) -> Response {
    app.request(Method::POST, path, Some(session))
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await
        .expect("POST")
}

/// Reads from the server's database.
async fn count<T: Send + 'static>(
    app: &TestApp,
    f: impl FnOnce(&mut DbConnection) -> Result<T, kindred_server::error::Error> + Send + 'static,
) -> T {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.read(f))
        .await
        .expect("join")
        .expect("read")
}

async fn retries_create_once_and_answer_the_same(app: TestApp) {
    let f = forum(&app).await;

    // A new thread, sent three times.
    let path = "/api/v1/communities/lung/threads";
    let body = json!({"title": "Fatigue", "body": "Does it lift after the last cycle?"});
    let first = status_and_text(
        keyed_post(
            &app,
            path,
            f.member("ana_patient"),
            "thread-1",
            body.clone(),
        )
        .await,
    )
    .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    for _ in 0..2 {
        let again = keyed_post(
            &app,
            path,
            f.member("ana_patient"),
            "thread-1",
            body.clone(),
        )
        .await;
        assert_eq!(status_and_text(again).await, first);
    }
    assert_eq!(count(&app, threads::count).await, 2);

    // A reply, sent five times at once and then once more: the duplicates that arrive
    // while the first is running wait for it.
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let body = json!({"body": "Counting the hours helps me, oddly."});
    let posts_before = count(&app, posts::count).await;
    let sends = (0..5).map(|_| {
        keyed_post(
            &app,
            &path,
            f.member("ana_patient"),
            "reply-1",
            body.clone(),
        )
    });
    let mut answers = Vec::new();
    for response in futures_util::future::join_all(sends).await {
        answers.push(status_and_text(response).await);
    }
    answers.push(
        status_and_text(
            keyed_post(
                &app,
                &path,
                f.member("ana_patient"),
                "reply-1",
                body.clone(),
            )
            .await,
        )
        .await,
    );
    assert_eq!(answers[0].0, StatusCode::CREATED, "{}", answers[0].1);
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(count(&app, posts::count).await, posts_before + 1);
    let reply: Value = serde_json::from_str(&answers[0].1).expect("json");
    let post_id = reply["post"]["id"].as_str().expect("id").to_owned();

    // A report: without the key a second report is refused (409); with it, the first
    // answer comes back and the report counts once.
    let path = format!("/api/v1/posts/{post_id}/reports");
    let body = json!({"reason": "this looks like an advert"});
    let first = status_and_text(
        keyed_post(&app, &path, f.member("ben_carer"), "report-1", body.clone()).await,
    )
    .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    let again = keyed_post(&app, &path, f.member("ben_carer"), "report-1", body.clone()).await;
    assert_eq!(status_and_text(again).await, first);
    let id: i64 = post_id.parse().expect("id");
    assert_eq!(
        count(&app, move |conn| moderation::open_report_weight(conn, id)).await,
        1
    );
    let unkeyed = app.post(&path, Some(f.member("ben_carer")), body).await;
    expect_error(unkeyed, StatusCode::CONFLICT).await;
}

async fn a_key_means_one_request(app: TestApp) {
    let f = forum(&app).await;
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let created = keyed_post(
        &app,
        &path,
        f.member("ana_patient"),
        "k-1",
        json!({"body": "first words"}),
    )
    .await;
    let created = expect_json(created, StatusCode::CREATED).await;
    let posts_after_first = count(&app, posts::count).await;

    the_same_key_for_another_body_or_request_is_refused(&app, &f).await;
    another_members_key_is_theirs(&app, &f, posts_after_first).await;
    a_refused_request_stores_nothing_so_its_key_works_once_fixed(&app, &f).await;
    keys_are_1_to_255_visible_ascii_characters(&app, &f, posts_after_first).await;
    deleting_the_post_forgets_the_stored_answer(&app, &f, &created).await;
}

/// The same key with another body, or for another kind of request: refused.
async fn the_same_key_for_another_body_or_request_is_refused(app: &TestApp, f: &World) {
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let other = keyed_post(
        app,
        &path,
        f.member("ana_patient"),
        "k-1",
        json!({"body": "other words"}),
    )
    .await;
    assert_error(
        other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
    let thread = keyed_post(
        app,
        "/api/v1/communities/lung/threads",
        f.member("ana_patient"),
        "k-1",
        json!({"title": "A title", "body": "first words"}),
    )
    .await;
    assert_error(
        thread,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    )
    .await;
}

/// Another member's key is theirs: the same key and body post again.
async fn another_members_key_is_theirs(app: &TestApp, f: &World, posts_after_first: i64) {
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let ben = keyed_post(
        app,
        &path,
        f.member("ben_carer"),
        "k-1",
        json!({"body": "first words"}),
    )
    .await;
    let ben = expect_json(ben, StatusCode::CREATED).await;
    assert_eq!(ben["post"]["author"]["username"], "ben_carer");
    assert_eq!(count(app, posts::count).await, posts_after_first + 1);
}

/// A refused request stores nothing: its key can be used once the request is fixed.
async fn a_refused_request_stores_nothing_so_its_key_works_once_fixed(app: &TestApp, f: &World) {
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let empty = keyed_post(
        app,
        &path,
        f.member("ana_patient"),
        "k-2",
        json!({"body": ""}),
    )
    .await;
    expect_error(empty, StatusCode::BAD_REQUEST).await;
    let fixed = keyed_post(
        app,
        &path,
        f.member("ana_patient"),
        "k-2",
        json!({"body": "now with words"}),
    )
    .await;
    expect_json(fixed, StatusCode::CREATED).await;
}

/// Keys are 1 to 255 visible ASCII characters; refused keys post nothing.
async fn keys_are_1_to_255_visible_ascii_characters(
    app: &TestApp,
    f: &World,
    posts_after_first: i64,
) {
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let long = "k".repeat(256);
    for bad in ["", "two words", "tab\there", long.as_str()] {
        let refused = keyed_post(
            app,
            &path,
            f.member("ana_patient"),
            bad,
            json!({"body": "a reply"}),
        )
        .await;
        assert_error_for(
            refused,
            StatusCode::BAD_REQUEST,
            "invalid_idempotency_key",
            format!("key {bad:?}"),
        )
        .await;
    }
    let accented = app
        .request(Method::POST, &path, Some(f.member("ana_patient")))
        .header(
            "idempotency-key",
            reqwest::header::HeaderValue::from_bytes("clé".as_bytes()).expect("header"),
        )
        .json(&json!({"body": "a reply"}))
        .send()
        .await
        .expect("POST");
    assert_error(accented, StatusCode::BAD_REQUEST, "invalid_idempotency_key").await;
    assert_eq!(count(app, posts::count).await, posts_after_first + 2);
}

/// Deleting the post forgets the stored answer, which quotes its words: the same
/// request then posts anew.
async fn deleting_the_post_forgets_the_stored_answer(app: &TestApp, f: &World, created: &Value) {
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let first_id = created["post"]["id"].as_str().expect("id");
    let deleted = app
        .delete(
            &format!("/api/v1/posts/{first_id}"),
            Some(f.member("ana_patient")),
        )
        .await;
    expect_json(deleted, StatusCode::OK).await;
    let again = keyed_post(
        app,
        &path,
        f.member("ana_patient"),
        "k-1",
        json!({"body": "first words"}),
    )
    .await;
    let again = expect_json(again, StatusCode::CREATED).await;
    assert_ne!(again["post"]["id"], created["post"]["id"]);
}

/// The value of the hidden `name` field in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("a {name} field in {html}"))
        + marker.len();
    let end = html[start..].find('"').expect("end of value") + start;
    html[start..end].to_owned()
}

async fn page_forms_submitted_twice_create_once(app: TestApp) {
    let f = forum(&app).await;
    let browser = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let get = |path: String| {
        let request = browser.get(app.url(&path));
        async move {
            let response = request.send().await.expect("GET");
            assert_eq!(response.status(), StatusCode::OK, "GET {path}");
            response.text().await.expect("body")
        }
    };
    let login = get("/login".into()).await;
    let signed_in = browser
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", hidden(&login, "csrf_token").as_str()),
            ("username", "ana_patient"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("POST /login");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);

    // The reply form, submitted twice (a double click without the script).
    let page = get(format!("/t/{}", f.thread_id())).await;
    let key = hidden(&page, "idempotency_key");
    assert!(!key.is_empty());
    let fields = [
        ("csrf_token", hidden(&page, "csrf_token")),
        ("idempotency_key", key.clone()),
        ("body", "Posted from the form, once.".to_owned()),
    ];
    let posts_before = count(&app, posts::count).await;
    let mut locations = Vec::new();
    for _ in 0..2 {
        let sent = browser
            .post(app.url(&format!("/t/{}/reply", f.thread_id())))
            .form(&fields)
            .send()
            .await
            .expect("POST reply");
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        locations.push(sent.headers().get(LOCATION).cloned().expect("Location"));
    }
    assert_eq!(locations[0], locations[1]);
    assert_eq!(count(&app, posts::count).await, posts_before + 1);
    // The page after it carries a new key for the next reply.
    let after = get(format!("/t/{}", f.thread_id())).await;
    assert_ne!(hidden(&after, "idempotency_key"), key);

    // The new-thread form, likewise.
    let page = get("/new?community=lung".into()).await;
    let fields = [
        ("csrf_token", hidden(&page, "csrf_token")),
        ("idempotency_key", hidden(&page, "idempotency_key")),
        ("community", "lung".to_owned()),
        ("title", "Wigs or scarves?".to_owned()),
        ("body", "What did you choose, and why?".to_owned()),
    ];
    let threads_before = count(&app, threads::count).await;
    for _ in 0..2 {
        let sent = browser
            .post(app.url("/new"))
            .form(&fields)
            .send()
            .await
            .expect("POST /new");
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(count(&app, threads::count).await, threads_before + 1);
}

/// Every member's maintained trust counters equal the count over their posts (what
/// `author_trust` computed before the counters existed).
async fn assert_counters_match(app: &TestApp, members: &[&Session], step: &str) {
    for member in members {
        let id: i64 = member.user_id.parse().expect("user id");
        let (kept, recounted) = count(app, move |conn| {
            let kept = moderation::trust_counters(conn, UserId(id))?.map(|(_, p, r)| (p, r));
            Ok((kept, moderation::recounted_trust_counters(conn, id)?))
        })
        .await;
        assert_eq!(kept, Some(recounted), "{} after {step}", member.username);
    }
}

async fn decide(app: &TestApp, moderator: &Session, post_id: &str, action: &str) {
    let queue = app.get_json("/api/v1/mod/queue", Some(moderator)).await;
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == post_id)
        .unwrap_or_else(|| panic!("{post_id} in the queue: {queue}"));
    let path = format!(
        "/api/v1/mod/queue/{}/decision",
        item["id"].as_str().expect("id")
    );
    let decided = app
        .post(
            &path,
            Some(moderator),
            json!({"action": action, "reason": "reviewed"}),
        )
        .await;
    expect_json(decided, StatusCode::OK).await;
}

/// The forum plus two more readers (to report posts), all members of `lung`.
struct TrustCast {
    f: World,
    cleo: Session,
    dan: Session,
}

impl TrustCast {
    fn everyone(&self) -> [&Session; 5] {
        [
            self.f.moderator(),
            self.f.member("ana_patient"),
            self.f.member("ben_carer"),
            &self.cleo,
            &self.dan,
        ]
    }
}

async fn trust_counters_follow_every_post_write(app: TestApp) {
    let f = forum(&app).await;
    let cleo = app.register("cleo_reader").await;
    let dan = app.register("dan_reader").await;
    app.join(&cleo, "lung").await;
    app.join(&dan, "lung").await;
    let cast = TrustCast { f, cleo, dan };
    assert_counters_match(&app, &cast.everyone(), "joining").await;

    let published = publishing_replies_and_a_thread(&app, &cast).await;
    let held_too = held_posts_approved_or_removed(&app, &cast).await;
    a_post_hidden_by_reports_then_removed(&app, &cast, &published[0]).await;
    the_author_deletes_a_published_and_a_removed_post(&app, &cast, &[&published[1], &held_too])
        .await;
    erasure_deletes_bens_counters_and_leaves_the_others(&app, &cast).await;
}

/// Published replies and a thread. The replies ana published.
async fn publishing_replies_and_a_thread(app: &TestApp, cast: &TrustCast) -> Vec<Value> {
    let f = &cast.f;
    let mut published = Vec::new();
    for text in [
        "One day at a time.",
        "The nurses were lovely.",
        "Tea helps.",
    ] {
        published.push(
            app.reply(f.member("ana_patient"), f.thread_id(), text)
                .await,
        );
    }
    app.thread(
        f.member("ana_patient"),
        "lung",
        "Hello",
        "New here, diagnosed last month.",
    )
    .await;
    app.reply(f.member("ben_carer"), f.thread_id(), "Thinking of you all.")
        .await;
    assert_counters_match(app, &cast.everyone(), "publishing").await;
    published
}

/// Held by screening, then approved; held by screening, then removed. The removed post.
async fn held_posts_approved_or_removed(app: &TestApp, cast: &TrustCast) -> Value {
    let f = &cast.f;
    let held = app
        .reply(
            f.member("ana_patient"),
            f.thread_id(),
            "Call me any evening on 555-014-2288.",
        )
        .await;
    assert_eq!(held["status"], "held");
    let held_too = app
        .reply(
            f.member("ana_patient"),
            f.thread_id(),
            "Or text me on 555-014-9911.",
        )
        .await;
    assert_eq!(held_too["status"], "held");
    assert_counters_match(app, &cast.everyone(), "holding").await;
    decide(
        app,
        f.moderator(),
        held["id"].as_str().expect("id"),
        "approve",
    )
    .await;
    assert_counters_match(app, &cast.everyone(), "approving").await;
    decide(
        app,
        f.moderator(),
        held_too["id"].as_str().expect("id"),
        "remove",
    )
    .await;
    assert_counters_match(app, &cast.everyone(), "removing a held post").await;
    held_too
}

/// Hidden by reports, then removed: published → held → removed.
async fn a_post_hidden_by_reports_then_removed(app: &TestApp, cast: &TrustCast, post: &Value) {
    let f = &cast.f;
    let reported = post["id"].as_str().expect("id").to_owned();
    for reader in [f.member("ben_carer"), &cast.cleo, &cast.dan] {
        let sent = app
            .post(
                &format!("/api/v1/posts/{reported}/reports"),
                Some(reader),
                json!({"reason": "this looks like an advert"}),
            )
            .await;
        expect_json(sent, StatusCode::CREATED).await;
    }
    assert_counters_match(app, &cast.everyone(), "reports hiding a post").await;
    decide(app, f.moderator(), &reported, "remove").await;
    assert_counters_match(app, &cast.everyone(), "removing a reported post").await;
}

/// Deleted by its author: a published post, and the removed one.
async fn the_author_deletes_a_published_and_a_removed_post(
    app: &TestApp,
    cast: &TrustCast,
    posts: &[&Value],
) {
    for post in posts {
        let id = post["id"].as_str().expect("id");
        let deleted = app
            .delete(
                &format!("/api/v1/posts/{id}"),
                Some(cast.f.member("ana_patient")),
            )
            .await;
        expect_json(deleted, StatusCode::OK).await;
    }
    assert_counters_match(app, &cast.everyone(), "deleting").await;
}

/// Erasure: ben's posts are deleted with him; the others' counters are untouched.
async fn erasure_deletes_bens_counters_and_leaves_the_others(app: &TestApp, cast: &TrustCast) {
    let f = &cast.f;
    let erased = app
        .request(Method::DELETE, "/api/v1/me", Some(f.member("ben_carer")))
        .json(&json!({ "password": PASSWORD, "posts": "delete" }))
        .send()
        .await
        .expect("DELETE /me");
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    assert_counters_match(
        app,
        &[
            f.moderator(),
            f.member("ana_patient"),
            &cast.cleo,
            &cast.dan,
        ],
        "erasing ben",
    )
    .await;
    let ben_id: i64 = f.member("ben_carer").user_id.parse().expect("id");
    assert_eq!(
        count(app, move |conn| moderation::trust_counters(
            conn,
            UserId(ben_id)
        ))
        .await,
        None
    );
    let ana_id: i64 = f.member("ana_patient").user_id.parse().expect("id");
    let (_, published_now, removed_now) = count(app, move |conn| {
        moderation::trust_counters(conn, UserId(ana_id))
    })
    .await
    .expect("ana");
    // Published: 3 replies + the thread + the approved one − the reported − the deleted.
    assert_eq!((published_now, removed_now), (3, 2));
}

/// Replies sent at once by several members, some of them retried with the same key,
/// each count once in the thread, and the thread's latest activity is its latest reply.
async fn replies_at_once_count_once_in_their_thread(app: TestApp) {
    let f = forum(&app).await;
    let path = format!("/api/v1/threads/{}/posts", f.thread_id());
    let posters = [
        f.member("ana_patient"),
        f.member("ben_carer"),
        f.moderator(),
    ];
    // Each poster sends replies 0..4, reply 0 three times with one key.
    let (app, path) = (&app, &path);
    let sends = posters.iter().flat_map(|poster| {
        (0..4).chain([0, 0]).map(move |n| async move {
            let body = json!({ "body": format!("Reply {n} from {}", poster.username) });
            keyed_post(app, path, poster, &format!("reply-{n}"), body).await
        })
    });
    let mut created = Vec::new();
    for response in futures_util::future::join_all(sends).await {
        let answer = expect_json(response, StatusCode::CREATED).await;
        created.push(answer["post"]["id"].as_str().expect("post id").to_owned());
    }
    created.sort();
    created.dedup();
    assert_eq!(created.len(), 12, "one post per poster and key");

    let page = app
        .get_json(&format!("/api/v1/threads/{}?limit=50", f.thread_id()), None)
        .await;
    assert_eq!(
        page["thread"]["post_count"], 13,
        "the opening post and 12 replies"
    );
    let latest = page["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|post| post["created_at"].as_str().expect("created_at"))
        .max()
        .expect("a post");
    assert_eq!(page["thread"]["last_post_at"], latest);
}

both_backends!(
    replies_at_once_count_once_in_their_thread,
    retries_create_once_and_answer_the_same,
    a_key_means_one_request,
    page_forms_submitted_twice_create_once,
    trust_counters_follow_every_post_write,
);
