//! Bad input of every kind answers 4xx in the JSON error shape, never 500, and leaves
//! nothing half-written behind.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_error, expect_json, Backend, Fixture, Session, TestApp,
    PASSWORD,
};

const GARDEN: &str = "open-garden";

/// An admin, a public community and a member of it.
async fn setup(app: &TestApp) -> (Session, Session) {
    let mut w = Fixture::new(app)
        .community(GARDEN, "public", "open")
        .members(["member_max"])
        .build()
        .await;
    (w.admin, w.members.remove(0))
}

/// Sends `body` as-is with the given content type (none if `None`).
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    session: Option<&Session>,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut builder = app.request(method, path, session).body(body);
    if let Some(content_type) = content_type {
        builder = builder.header(CONTENT_TYPE, content_type);
    }
    builder.send().await.expect("request")
}

/// Path, session, content type, body and the expected (400) error code.
type BodyCase<'a> = (
    &'a str,
    Option<&'a Session>,
    Option<&'a str>,
    String,
    &'a str,
);

async fn json_bodies_are_checked(app: TestApp) {
    let (_, member) = setup(&app).await;
    let (thread, _) = app.thread(&member, GARDEN, "A thread", "A body").await;
    malformed_unknown_mistyped_and_mislabelled_json_is_refused(&app, &member, &thread).await;
    invalid_utf8_and_wrongly_typed_patches_are_refused(&app, &member, &thread).await;
    none_of_the_refused_bodies_created_anything(&app, &thread).await;
}

/// Malformed JSON, unknown fields, wrong types, and JSON sent without saying so or as
/// something else.
async fn malformed_unknown_mistyped_and_mislabelled_json_is_refused(
    app: &TestApp,
    member: &Session,
    thread: &str,
) {
    let reply = format!("/api/v1/threads/{thread}/posts");
    let register = "/api/v1/auth/register";
    let login = "/api/v1/auth/login";
    let json = Some("application/json");
    let mut cases: Vec<BodyCase> = Vec::new();
    // Malformed JSON.
    for body in [
        "{\"username\": \"sam_p\",",
        "not json at all",
        "",
        "[]",
        "null",
        "{\"username\": \"sam_p\"}",
    ] {
        cases.push((register, None, json, body.into(), "invalid_json"));
    }
    cases.push((
        login,
        None,
        json,
        "{\"username\": \"sam_p\"}".into(),
        "invalid_json",
    ));
    // Unknown fields.
    let sneaky = json!({"username": "sam_p", "password": PASSWORD, "site_role": "admin"});
    cases.push((register, None, json, sneaky.to_string(), "invalid_json"));
    let held = json!({"body": "hi", "status": "held"});
    cases.push((&reply, Some(member), json, held.to_string(), "invalid_json"));
    // Wrong types.
    for body in [
        json!({"username": 42, "password": PASSWORD}),
        json!({"username": ["sam_p"], "password": PASSWORD}),
        json!({"username": "sam_p", "password": true}),
    ] {
        cases.push((register, None, json, body.to_string(), "invalid_json"));
    }
    for body in [
        json!({"body": {"text": "hi"}}),
        json!({"body": null}),
        json!({"body": 7}),
    ] {
        cases.push((&reply, Some(member), json, body.to_string(), "invalid_json"));
    }
    // JSON sent without saying so, or as something else.
    let fine = json!({"username": "sam_p", "password": PASSWORD}).to_string();
    cases.push((register, None, None, fine.clone(), "unsupported_media_type"));
    cases.push((
        register,
        None,
        Some("text/plain"),
        fine,
        "unsupported_media_type",
    ));
    let form = Some("application/x-www-form-urlencoded");
    cases.push((
        &reply,
        Some(member),
        form,
        "body=hi".into(),
        "unsupported_media_type",
    ));

    for (path, session, content_type, body, code) in cases {
        let response = raw(app, Method::POST, path, session, content_type, body.clone()).await;
        let status = if code == "unsupported_media_type" {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_error_for(
            response,
            status,
            code,
            format!("POST {path} {content_type:?} {body}"),
        )
        .await;
    }
}

/// Invalid UTF-8 is not JSON either; patches with wrongly typed fields are refused.
async fn invalid_utf8_and_wrongly_typed_patches_are_refused(
    app: &TestApp,
    member: &Session,
    thread: &str,
) {
    let response = raw(
        app,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some("application/json"),
        vec![b'{', 0xff, 0xfe, b'}'],
    )
    .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_json").await;
    let response = raw(
        app,
        Method::PATCH,
        "/api/v1/me/profile",
        Some(member),
        Some("application/json"),
        json!({"show_bio": "yes"}).to_string(),
    )
    .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_json").await;
    let response = raw(
        app,
        Method::PATCH,
        &format!("/api/v1/threads/{thread}"),
        Some(member),
        Some("application/json"),
        json!({"pinned": 1}).to_string(),
    )
    .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_json").await;
}

/// None of it created anything: no account, no reply.
async fn none_of_the_refused_bodies_created_anything(app: &TestApp, thread: &str) {
    let response = app.login("sam_p", PASSWORD).await;
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let view = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    assert_eq!(view["thread"]["post_count"], 1);
}

async fn oversized_bodies_are_refused(app: TestApp) {
    let (_, member) = setup(&app).await;
    let (thread, _) = app.thread(&member, GARDEN, "A thread", "A body").await;
    let big = "x".repeat(260 * 1024);
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"username": "sam_p", "password": PASSWORD, "display_name": big}),
        )
        .await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&member),
            json!({"body": big}),
        )
        .await;
    assert_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // One character past the body rule is refused by the rule, naming the field.
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&member),
            json!({"body": "🌱".repeat(20_001)}),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_body").await;
    let view = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    assert_eq!(view["thread"]["post_count"], 1);
}

/// The body rule counts characters, so the byte limit must admit its longest post in
/// any script: 20,000 four-byte characters, sent raw (80,000 bytes) or escaped as JSON
/// surrogate pairs (240,000 bytes), in a new thread, a reply and an edit.
async fn the_longest_post_fits_the_body_limit(app: TestApp) {
    let (_, member) = setup(&app).await;
    let longest = "🌱".repeat(20_000);
    let (thread, _) = app.thread(&member, GARDEN, "A long one", &longest).await;
    let post = app.reply(&member, &thread, &longest).await;
    assert_eq!(post["body"], longest.as_str());
    let post_id = post["id"].as_str().expect("post id").to_owned();
    let escaped = format!(r#"{{"body": "{}"}}"#, r"\ud83c\udf31".repeat(20_000));
    assert!(escaped.len() > 240_000);
    let response = raw(
        &app,
        Method::POST,
        &format!("/api/v1/threads/{thread}/posts"),
        Some(&member),
        Some("application/json"),
        escaped.clone(),
    )
    .await;
    let post = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(post["post"]["body"], longest.as_str());
    let response = raw(
        &app,
        Method::PATCH,
        &format!("/api/v1/posts/{post_id}"),
        Some(&member),
        Some("application/json"),
        escaped,
    )
    .await;
    expect_json(response, StatusCode::OK).await;
}

async fn registration_is_validated(app: TestApp) {
    let register = |username: String, password: String, email: Option<String>| {
        let mut body = json!({"username": username, "password": password});
        if let Some(email) = email {
            body["email"] = json!(email);
        }
        app.register_raw(body)
    };
    for username in [
        "ab",
        "",
        "   ",
        &"x".repeat(33),
        "has space",
        "semi;colon",
        "émile",
        "a-b-c",
        "dot.name",
        "<script>",
    ] {
        let response = register(username.to_owned(), PASSWORD.into(), None).await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_username",
            format!("{username:?}"),
        )
        .await;
    }
    for password in [
        "short",
        "123456789",
        "password123",
        "Password123",
        "PASSWORD123",
        "qwertyuiop",
        "1234567890",
        &"p".repeat(257),
    ] {
        let response = register("sam_p".into(), password.to_owned(), None).await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_password",
            format!("{password:?}"),
        )
        .await;
    }
    for email in [
        "jo",
        "jo@",
        "@example.org",
        "jo@example",
        "jo @example.org",
        "a@b@c.d",
        "jo@.org",
        "jo@example.",
        "",
    ] {
        let response = register("sam_p".into(), PASSWORD.into(), Some(email.to_owned())).await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_email",
            format!("{email:?}"),
        )
        .await;
    }
    let response = app
        .register_raw(json!({"username": "sam_p", "password": PASSWORD, "display_name": " "}))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_display_name").await;

    // Nothing above created sam_p; now it does, once.
    let response = register(
        "Sam_P".into(),
        PASSWORD.into(),
        Some("sam@example.org".into()),
    )
    .await;
    let created = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(created["user"]["username"], "sam_p", "stored lower-cased");
    for duplicate in ["sam_p", "Sam_P", "SAM_P", " sam_p "] {
        let response = register(duplicate.to_owned(), PASSWORD.into(), None).await;
        assert_error_for(
            response,
            StatusCode::CONFLICT,
            "conflict",
            format!("{duplicate:?}"),
        )
        .await;
    }
    // Boundaries that are fine.
    for username in ["abc", &"x".repeat(32), "under_score_9"] {
        let response = register(username.to_owned(), "ten chars!".into(), None).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{username:?}");
    }
}

async fn communities_and_threads_are_validated(app: TestApp) {
    let (admin, member) = setup(&app).await;
    bad_community_slugs_and_fields_are_refused_and_nothing_created(&app, &admin).await;
    bad_titles_and_bodies_leave_no_thread_behind(&app, &member).await;
    let (thread, post) = titles_and_bodies_at_the_limits_are_allowed(&app, &member).await;
    bad_replies_and_edits_change_nothing(&app, &member, &thread, &post).await;
}

/// Starts a thread in the garden as `member`.
async fn start_thread(
    app: &TestApp,
    member: &Session,
    title: String,
    body: String,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/communities/{GARDEN}/threads"),
        Some(member),
        json!({"title": title, "body": body}),
    )
    .await
}

/// Bad slugs, a taken slug and bad fields are refused; the community was not created.
async fn bad_community_slugs_and_fields_are_refused_and_nothing_created(
    app: &TestApp,
    admin: &Session,
) {
    let community = |slug: &str| json!({"slug": slug, "name": "A community", "kind": "general", "visibility": "public", "join_policy": "open"});
    for slug in [
        "ab",
        "Lung",
        "lung_cancer",
        "../etc",
        "lung cancer",
        "",
        &"a".repeat(49),
        "café",
    ] {
        let response = app
            .post("/api/v1/communities", Some(admin), community(slug))
            .await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_slug",
            format!("{slug:?}"),
        )
        .await;
    }
    let response = app
        .post("/api/v1/communities", Some(admin), community(GARDEN))
        .await;
    assert_error(response, StatusCode::CONFLICT, "conflict").await;
    for (field, value, code) in [
        ("visibility", json!("secret"), "invalid_visibility"),
        ("join_policy", json!("invite"), "invalid_join_policy"),
        ("kind", json!("other"), "invalid_kind"),
        ("name", json!(""), "invalid_name"),
        ("name", json!("n".repeat(101)), "invalid_name"),
        (
            "condition_tags",
            json!(["no spaces"]),
            "invalid_condition_tags",
        ),
    ] {
        let mut body = community("new-place");
        body[field] = value;
        let response = app.post("/api/v1/communities", Some(admin), body).await;
        let got = expect_error(response, StatusCode::BAD_REQUEST).await;
        // Tags share their rule (and so their code) with profile conditions.
        let ok = got == code || (field == "condition_tags" && got == "invalid_conditions");
        assert!(ok, "{field}: {got}");
    }
    let response = app.get("/api/v1/communities/new-place", None).await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

/// Bad titles and bodies are refused, and the failed creations left no thread behind,
/// not even a half-written one.
async fn bad_titles_and_bodies_leave_no_thread_behind(app: &TestApp, member: &Session) {
    for title in [
        "t".repeat(201),
        String::new(),
        "   ".into(),
        "line\nbreak".into(),
        "tab\u{7}bell".into(),
    ] {
        let response = start_thread(app, member, title.clone(), "A body".into()).await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_title",
            format!("{title:?}"),
        )
        .await;
    }
    for body in [
        String::new(),
        "   \n\t  ".into(),
        "x".repeat(20_001),
        "é".repeat(20_001),
        "nul\u{0}byte".into(),
    ] {
        let response = start_thread(app, member, "A fine title".into(), body.clone()).await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_body",
            format!("{} chars", body.chars().count()),
        )
        .await;
    }
    // Failed creations left no thread behind, not even a half-written one.
    let listing = app
        .get_json(&format!("/api/v1/communities/{GARDEN}/threads"), None)
        .await;
    assert_eq!(listing["items"], json!([]));
    assert_eq!(listing["next_cursor"], Value::Null);
}

/// The limits themselves are allowed (they count characters, not bytes). The thread's
/// and its first post's ids.
async fn titles_and_bodies_at_the_limits_are_allowed(
    app: &TestApp,
    member: &Session,
) -> (String, String) {
    // Realistic text, so that screening publishes it: the point here is the limits.
    let long_title: String = "Café after chemo ".repeat(12).chars().take(200).collect();
    let long_body: String = "Thinking of you at the café after chemo today. "
        .repeat(500)
        .chars()
        .take(20_000)
        .collect();
    let created = expect_json(
        start_thread(app, member, long_title, long_body).await,
        StatusCode::CREATED,
    )
    .await;
    let thread = created["thread"]["id"].as_str().expect("id").to_owned();
    let post = created["post"]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        created["thread"]["title"]
            .as_str()
            .map(|t| t.chars().count()),
        Some(200)
    );
    (thread, post)
}

/// Bad replies and edits are refused and change nothing.
async fn bad_replies_and_edits_change_nothing(
    app: &TestApp,
    member: &Session,
    thread: &str,
    post: &str,
) {
    for body in [String::new(), " \n ".into(), "x".repeat(20_001)] {
        let response = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(member),
                json!({"body": body}),
            )
            .await;
        assert_error_for(response, StatusCode::BAD_REQUEST, "invalid_body", "reply").await;
        let response = app
            .patch(
                &format!("/api/v1/posts/{post}"),
                Some(member),
                json!({"body": body}),
            )
            .await;
        assert_error_for(response, StatusCode::BAD_REQUEST, "invalid_body", "edit").await;
    }
    let view = app
        .get_json(&format!("/api/v1/threads/{thread}"), Some(member))
        .await;
    assert_eq!(view["thread"]["post_count"], 1);
    assert_eq!(
        view["posts"][0]["edited_at"],
        Value::Null,
        "failed edits changed nothing"
    );
    let listing = app
        .get_json(&format!("/api/v1/communities/{GARDEN}/threads"), None)
        .await;
    assert_eq!(listing["items"].as_array().map(Vec::len), Some(1));
}

async fn missing_auth_and_unknown_ids(app: TestApp) {
    let (_, member) = setup(&app).await;
    let (thread, post) = app.thread(&member, GARDEN, "A thread", "A body").await;

    writes_and_member_reads_need_a_session(&app, &thread, &post).await;
    ids_that_name_nothing_are_not_found(&app, &member).await;
    post_and_thread_ids_are_not_interchangeable(&app, &member, &thread, &post).await;
    unknown_slugs_and_usernames_are_not_found(&app, &member).await;
    // Nothing above touched the thread.
    let view = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    assert_eq!(view["posts"][0]["deleted"], false);
}

async fn writes_and_member_reads_need_a_session(app: &TestApp, thread: &str, post: &str) {
    for (method, path, body) in [
        (Method::GET, "/api/v1/me".to_owned(), None),
        (
            Method::PATCH,
            "/api/v1/me/profile".to_owned(),
            Some(json!({"bio": "x"})),
        ),
        (
            Method::POST,
            format!("/api/v1/communities/{GARDEN}/join"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/v1/communities/{GARDEN}/threads"),
            Some(json!({"title": "t", "body": "b"})),
        ),
        (
            Method::POST,
            format!("/api/v1/threads/{thread}/posts"),
            Some(json!({"body": "b"})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/posts/{post}"),
            Some(json!({"body": "b"})),
        ),
        (Method::DELETE, format!("/api/v1/posts/{post}"), None),
        (
            Method::GET,
            format!("/api/v1/communities/{GARDEN}/members"),
            None,
        ),
    ] {
        let mut request = app.request(method.clone(), &path, None);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        assert_error_for(
            response,
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            format!("{method} {path}"),
        )
        .await;
    }
}

/// Ids out of range, malformed or of nothing: the same 404 on every route that takes one.
async fn ids_that_name_nothing_are_not_found(app: &TestApp, member: &Session) {
    for id in [
        "4611686018427387904",
        "1",
        "0",
        "abc",
        "-1",
        "99999999999999999999",
        "1.5",
        "%20",
        "1e3",
    ] {
        let response = app
            .get(&format!("/api/v1/threads/{id}"), Some(member))
            .await;
        assert_error_for(
            response,
            StatusCode::NOT_FOUND,
            "not_found",
            format!("GET thread {id}"),
        )
        .await;
        let response = app
            .post(
                &format!("/api/v1/threads/{id}/posts"),
                Some(member),
                json!({"body": "hi"}),
            )
            .await;
        assert_error_for(
            response,
            StatusCode::NOT_FOUND,
            "not_found",
            format!("reply {id}"),
        )
        .await;
        let response = app
            .patch(
                &format!("/api/v1/threads/{id}"),
                Some(member),
                json!({"pinned": true}),
            )
            .await;
        assert_error_for(
            response,
            StatusCode::NOT_FOUND,
            "not_found",
            format!("PATCH thread {id}"),
        )
        .await;
        let response = app
            .patch(
                &format!("/api/v1/posts/{id}"),
                Some(member),
                json!({"body": "hi"}),
            )
            .await;
        assert_error_for(
            response,
            StatusCode::NOT_FOUND,
            "not_found",
            format!("PATCH post {id}"),
        )
        .await;
        let response = app
            .delete(&format!("/api/v1/posts/{id}"), Some(member))
            .await;
        assert_error_for(
            response,
            StatusCode::NOT_FOUND,
            "not_found",
            format!("DELETE post {id}"),
        )
        .await;
    }
}

/// A post id is not a thread id and the other way round.
async fn post_and_thread_ids_are_not_interchangeable(
    app: &TestApp,
    member: &Session,
    thread: &str,
    post: &str,
) {
    let response = app.get(&format!("/api/v1/threads/{post}"), None).await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .delete(&format!("/api/v1/posts/{thread}"), Some(member))
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

async fn unknown_slugs_and_usernames_are_not_found(app: &TestApp, member: &Session) {
    for slug in ["no-such-place", "NO-SUCH", "a", "..", "%2e%2e"] {
        let response = app.get(&format!("/api/v1/communities/{slug}"), None).await;
        assert_error_for(response, StatusCode::NOT_FOUND, "not_found", &slug).await;
        let response = app
            .post(
                &format!("/api/v1/communities/{slug}/join"),
                Some(member),
                json!({}),
            )
            .await;
        assert_error_for(response, StatusCode::NOT_FOUND, "not_found", &slug).await;
    }
    for username in ["nobody_here", "x", "bad name", "%00"] {
        let response = app.get(&format!("/api/v1/users/{username}"), None).await;
        assert_error_for(response, StatusCode::NOT_FOUND, "not_found", &username).await;
    }
}

async fn cursors_queries_and_routes(app: TestApp) {
    let (admin, member) = setup(&app).await;
    let (thread, _) = app.thread(&member, GARDEN, "A thread", "A body").await;
    one_thread_fits_on_one_page(&app).await;
    malformed_and_foreign_cursors_are_refused(&app, &admin, &thread).await;
    query_parameters_of_the_wrong_type_or_unknown_are_refused(&app, &admin, &thread).await;
    out_of_range_limits_are_clamped_not_refused(&app).await;
    unknown_routes_answer_404_in_the_usual_shape(&app).await;
}

/// One thread, one page: there is no next cursor.
async fn one_thread_fits_on_one_page(app: &TestApp) {
    let thread_cursor_page = app
        .get_json(
            &format!("/api/v1/communities/{GARDEN}/threads?limit=1"),
            None,
        )
        .await;
    assert_eq!(
        thread_cursor_page["next_cursor"],
        Value::Null,
        "one thread, one page"
    );
}

/// Malformed cursors are refused; a slug cursor (what /communities hands out) is not a
/// thread cursor, and so on.
async fn malformed_and_foreign_cursors_are_refused(app: &TestApp, admin: &Session, thread: &str) {
    let slug_cursor = {
        app.community(admin, "zz-last", "public", "open").await;
        let page = app.get_json("/api/v1/communities?limit=1", None).await;
        page["next_cursor"].as_str().expect("cursor").to_owned()
    };
    let bad_cursors = [
        "!!!",
        "not base64 at all",
        "%FF",
        &"A".repeat(600),
        "A",
        &slug_cursor,
    ];
    for cursor in bad_cursors {
        let encoded: String = cursor
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let thread_list = format!("/api/v1/communities/{GARDEN}/threads?cursor={encoded}");
        let response = app.get(&thread_list, None).await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
            &thread_list,
        )
        .await;
        if cursor != slug_cursor {
            let response = app
                .get(&format!("/api/v1/communities?cursor={encoded}"), None)
                .await;
            assert_error_for(
                response,
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                format!("communities {cursor}"),
            )
            .await;
            let response = app
                .get(
                    &format!("/api/v1/communities/{GARDEN}/members?cursor={encoded}"),
                    Some(admin),
                )
                .await;
            assert_error_for(
                response,
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                format!("members {cursor}"),
            )
            .await;
        }
        let response = app
            .get(&format!("/api/v1/threads/{thread}?cursor={encoded}"), None)
            .await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_cursor",
            format!("posts {cursor}"),
        )
        .await;
    }
}

/// Query parameters of the wrong type or unknown.
async fn query_parameters_of_the_wrong_type_or_unknown_are_refused(
    app: &TestApp,
    admin: &Session,
    thread: &str,
) {
    for query in [
        "limit=abc",
        "limit=1.5",
        "limit=99999999999999999999",
        "limit=",
        "colour=blue",
        "limit=1&limit=2",
    ] {
        for path in [
            "/api/v1/communities".to_owned(),
            format!("/api/v1/communities/{GARDEN}/threads"),
            format!("/api/v1/threads/{thread}"),
        ] {
            let response = app.get(&format!("{path}?{query}"), None).await;
            let status = response.status();
            assert!(status.is_client_error(), "{path}?{query}: {status}");
            assert_error_for(
                response,
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("{path}?{query}"),
            )
            .await;
        }
    }
    let response = app
        .get(
            &format!("/api/v1/communities/{GARDEN}/members?state=everyone"),
            Some(admin),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_state").await;
}

/// Out-of-range limits are clamped, not refused.
async fn out_of_range_limits_are_clamped_not_refused(app: &TestApp) {
    for limit in ["0", "-5", "100000"] {
        let page = app
            .get_json(&format!("/api/v1/communities?limit={limit}"), None)
            .await;
        let count = page["items"].as_array().map(Vec::len).expect("items");
        assert!((1..=2).contains(&count), "limit={limit}: {count}");
    }
}

/// Unknown routes answer 404 in the usual shape.
async fn unknown_routes_answer_404_in_the_usual_shape(app: &TestApp) {
    for path in [
        "/api/v1/nothing-here",
        "/api/v2/communities",
        "/nothing",
        "/api/v1/threads",
        "/api/v1/communities/open-garden/threads/extra",
    ] {
        let response = app.get(path, None).await;
        assert_error_for(response, StatusCode::NOT_FOUND, "not_found", &path).await;
    }
}

// NUL bytes and other control characters in slugs, cursors and emails. PostgreSQL cannot
// store NUL in text, so letting one reach a query is a 500 there, while SQLite stores it.
// Each must be refused as bad input before any query.

async fn nul_in_a_slug_is_not_found(app: TestApp) {
    let (_, member) = setup(&app).await;
    for (method, path) in [
        (Method::GET, "/api/v1/communities/%00abc"),
        (Method::GET, "/api/v1/communities/open-garden%00"),
        (Method::GET, "/api/v1/communities/%00abc/threads"),
        (Method::POST, "/api/v1/communities/ab%00c/join"),
        (Method::POST, "/api/v1/communities/ab%00c/leave"),
        (Method::GET, "/api/v1/communities/ab%00c/members"),
    ] {
        let mut request = app.request(method.clone(), path, Some(&member));
        if method == Method::POST {
            request = request.json(&json!({}));
        }
        let response = request.send().await.expect("request");
        assert_error_for(
            response,
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{method} {path}"),
        )
        .await;
    }
    let response = app
        .post(
            "/api/v1/communities/ab%00c/threads",
            Some(&member),
            json!({"title": "t", "body": "b"}),
        )
        .await;
    assert_error_for(
        response,
        StatusCode::NOT_FOUND,
        "not_found",
        "start a thread",
    )
    .await;
}

async fn control_characters_in_an_email_are_refused(app: TestApp) {
    for email in [
        "jo\u{0}@example.org",
        "jo@exa\u{1b}mple.org",
        "jo\u{7f}@example.org",
    ] {
        let response = app
            .register_raw(json!({"username": "sam_p", "password": PASSWORD, "email": email}))
            .await;
        assert_error_for(
            response,
            StatusCode::BAD_REQUEST,
            "invalid_email",
            format!("{email:?}"),
        )
        .await;
    }
    let response = app.login("sam_p", PASSWORD).await;
    assert_error_for(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
        "no account was made",
    )
    .await;
}

async fn a_cursor_that_decodes_to_no_slug_is_refused(app: TestApp) {
    let (admin, _) = setup(&app).await;
    // "AAAA" is base64url for three NUL bytes; "Li4v" for "../".
    for cursor in ["AAAA", "Li4v"] {
        for path in [
            format!("/api/v1/communities?cursor={cursor}"),
            format!("/api/v1/communities/{GARDEN}/members?cursor={cursor}"),
        ] {
            let response = app.get(&path, Some(&admin)).await;
            assert_error_for(response, StatusCode::BAD_REQUEST, "invalid_cursor", &path).await;
        }
    }
}

async fn wrong_methods_answer_in_the_error_shape(app: TestApp) {
    let (_, member) = setup(&app).await;
    let (thread, post) = app.thread(&member, GARDEN, "A thread", "A body").await;
    for (method, path) in [
        (Method::PUT, "/api/v1/communities".to_owned()),
        (Method::DELETE, format!("/api/v1/communities/{GARDEN}")),
        (Method::GET, "/api/v1/auth/login".to_owned()),
        (Method::DELETE, format!("/api/v1/threads/{thread}")),
        (Method::GET, format!("/api/v1/posts/{post}")),
        (Method::POST, "/healthz".to_owned()),
    ] {
        let response = app
            .request(method.clone(), &path, Some(&member))
            .send()
            .await
            .expect("request");
        let status = response.status();
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {status}"
        );
        let code = expect_error(response, status).await;
        assert!(
            code == "not_found" || code == "method_not_allowed",
            "{method} {path}: {code}"
        );
    }
}

async fn health_and_metrics(app: TestApp) {
    let response = app.get("/healthz", None).await;
    let health = expect_json(response, StatusCode::OK).await;
    assert_eq!(health["status"], "ok");
    let backend = match app.backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(health["database"], backend);

    let (_, member) = setup(&app).await;
    let (thread, _) = app.thread(&member, GARDEN, "A thread", "A body").await;
    app.get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    let response = app.get("/api/v1/threads/4611686018427387904", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // Prometheus picks the OpenMetrics parser by this type.
    assert!(
        content_type.starts_with("application/openmetrics-text; version=1.0.0"),
        "{content_type}"
    );
    let text = response.text().await.expect("metrics");
    assert!(
        text.contains("# TYPE kindred_http_requests counter"),
        "{text}"
    );
    assert!(
        text.contains(
            "kindred_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("route=\"/api/v1/threads/{id}\",status=\"200\"}"),
        "{text}"
    );
    assert!(
        text.contains("route=\"/api/v1/threads/{id}\",status=\"404\"}"),
        "{text}"
    );
    assert!(
        !text.contains(&thread),
        "metrics name routes, not ids: {text}"
    );
    assert!(!text.contains("4611686018427387904"), "{text}");
    assert!(
        text.contains(&format!(
            "kindred_db_pool_connections{{backend=\"{backend}\"}}"
        )),
        "{text}"
    );
    assert!(
        text.contains("kindred_http_request_duration_seconds_count"),
        "{text}"
    );
}

both_backends!(
    json_bodies_are_checked,
    oversized_bodies_are_refused,
    the_longest_post_fits_the_body_limit,
    registration_is_validated,
    communities_and_threads_are_validated,
    missing_auth_and_unknown_ids,
    cursors_queries_and_routes,
    nul_in_a_slug_is_not_found,
    control_characters_in_an_email_are_refused,
    a_cursor_that_decodes_to_no_slug_is_refused,
    wrong_methods_answer_in_the_error_shape,
    health_and_metrics,
);
