//! Duty of care (issue 19): a post whose author may be at risk is published, the author
//! sees crisis lines, and the community's moderators get a wellbeing item — urgent and
//! live on `mod:{slug}` over a real websocket, and mailed through a real SMTP server for
//! `high`. Figurative speech opens nothing; a report "someone may be at risk" opens the
//! same item.

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::both_backends;
use crate::helpers::{
    assert_error, expect_json, session_from, Backend, Fixture, Session, TestApp, World, PASSWORD,
};
use crate::mail::{app_with_sink, readable, SmtpSink};

const HIGH: &str = "I've saved up my morphine for weeks and tonight is the night. \
                    Thank you all for being kind to me.";
const FIGURATIVE: &str = "This benefits paperwork is killing me, forty pages of it lol";
const SLUG: &str = "carers";

/// A public community with a moderator who has an e-mail address, and two members; the
/// first member starts a thread.
async fn world(app: &TestApp) -> World {
    let w = Fixture::new(app)
        .community(SLUG, "public", "open")
        .members(["cara_carer", "rob_reader"])
        .thread_by("cara_carer", "Long nights", "Anyone else up at 3am?")
        .build()
        .await;
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({ "username": "maria_mod", "password": PASSWORD, "email": "maria@example.org" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.appoint_moderator(&w.admin, SLUG, "maria_mod").await;
    w
}

async fn moderator(app: &TestApp) -> Session {
    let response = app.login("maria_mod", PASSWORD).await;
    session_from(response).await
}

/// Opens a websocket as `session` and subscribes to `topic`.
async fn live(app: &TestApp, session: &Session, topic: &str) -> WebSocketStream<TcpStream> {
    let port = app.address.rsplit(':').next().expect("port");
    let mut request = format!("ws://127.0.0.1:{port}/api/v1/ws")
        .into_client_request()
        .expect("request");
    let bearer = format!("Bearer {}", session.access_token);
    request.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&bearer).expect("header"),
    );
    let stream = TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .expect("connect");
    let (mut ws, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .expect("upgrade");
    let subscribe = json!({ "type": "subscribe", "topic": topic }).to_string();
    ws.send(Message::text(subscribe)).await.expect("send");
    loop {
        if next_json(&mut ws).await["type"] == "subscribed" {
            return ws;
        }
    }
}

async fn next_json(ws: &mut WebSocketStream<TcpStream>) -> Value {
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("a websocket message in time");
        if let Some(Ok(Message::Text(text))) = message {
            return serde_json::from_str(&text).expect("json");
        }
        assert!(
            matches!(message, Some(Ok(_))),
            "websocket closed: {message:?}"
        );
    }
}

async fn start_thread(app: &TestApp, session: &Session, body: &str) -> Value {
    let response = app
        .post(
            &format!("/api/v1/communities/{SLUG}/threads"),
            Some(session),
            json!({ "title": "Tonight", "body": body }),
        )
        .await;
    expect_json(response, StatusCode::CREATED).await
}

async fn a_high_risk_post_is_published_shows_the_panel_and_reaches_moderators_live(app: TestApp) {
    let w = world(&app).await;
    let maria = moderator(&app).await;
    let mut ws = live(&app, &maria, &format!("mod:{SLUG}")).await;
    let cara = w.member("cara_carer");

    let created = start_thread(&app, cara, HIGH).await;
    assert_eq!(created["post"]["status"], "published");
    let panel = &created["care"];
    assert_eq!(panel["country"]["code"], "US");
    assert!(
        panel["country"]["services"][0]["number"] == "988",
        "{panel}"
    );
    let post_id = created["post"]["id"].clone();

    // Live on mod:{slug}: the wellbeing event for this post.
    loop {
        let message = next_json(&mut ws).await;
        if message["type"] == "event" && message["kind"] == "moderation.wellbeing" {
            assert_eq!(message["data"]["post"]["id"], post_id);
            break;
        }
    }

    // The moderator's wellbeing queue: urgent, with the sentences and the template.
    let items = app
        .get_json(
            &format!("/api/v1/mod/wellbeing?community={SLUG}"),
            Some(&maria),
        )
        .await;
    let item = &items[0];
    assert_eq!(item["post"]["id"], post_id);
    assert_eq!(item["level"], "high");
    assert_eq!(item["urgent"], true);
    assert!(
        item["sentences"][0]
            .as_str()
            .is_some_and(|s| s.contains("saved up my morphine")),
        "{item}"
    );
    assert!(item["reach_out_template"]
        .as_str()
        .is_some_and(|t| t.contains("cara_carer")));
    assert_eq!(item["reached_out_at"], Value::Null);

    // The author sees the panel until they dismiss it; a second post the same day does
    // not bring it back.
    let mine = app.get_json("/api/v1/me/care", Some(cara)).await;
    assert_eq!(mine["panel"]["country"]["code"], "US");
    let response = app
        .post("/api/v1/me/care/dismiss", Some(cara), json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_json("/api/v1/me/care", Some(cara)).await["panel"],
        Value::Null
    );
    let again = app
        .post(
            &format!("/api/v1/threads/{}/posts", w.thread_id()),
            Some(cara),
            json!({ "body": HIGH }),
        )
        .await;
    let again = expect_json(again, StatusCode::CREATED).await;
    assert_eq!(
        again["care"],
        Value::Null,
        "the panel came back within a day"
    );

    // Reaching out is recorded; members may not do it, nor read the queue.
    let id = item["id"].as_str().expect("id");
    let path = format!("/api/v1/mod/wellbeing/{id}/reached-out");
    let rob = w.member("rob_reader");
    assert_error(
        app.post(&path, Some(rob), json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/mod/wellbeing", Some(rob)).await,
        StatusCode::FORBIDDEN,
        "not_moderator",
    )
    .await;
    let done = expect_json(
        app.post(&path, Some(&maria), json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["reached_out_by"]["username"], "maria_mod");
    assert!(done["reached_out_at"].is_string());
    assert_error(
        app.post(
            "/api/v1/mod/wellbeing/nope/reached-out",
            Some(&maria),
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

async fn a_figurative_post_opens_nothing_and_a_report_someone_at_risk_does(app: TestApp) {
    let w = world(&app).await;
    let maria = moderator(&app).await;
    let cara = w.member("cara_carer");
    let created = start_thread(&app, cara, FIGURATIVE).await;
    assert_eq!(created["care"], Value::Null);
    assert_eq!(
        app.get_json("/api/v1/me/care", Some(cara)).await["panel"],
        Value::Null
    );
    let items = app.get_json("/api/v1/mod/wellbeing", Some(&maria)).await;
    assert_eq!(items, json!([]));

    // A member worried about the author reports the post.
    let post_id = created["post"]["id"].as_str().expect("id");
    let response = app
        .post(
            &format!("/api/v1/posts/{post_id}/reports"),
            Some(w.member("rob_reader")),
            json!({ "reason": "someone_at_risk" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let items = app.get_json("/api/v1/mod/wellbeing", Some(&maria)).await;
    assert_eq!(items[0]["post"]["id"], post_id);
    assert_eq!(items[0]["source"], "report");
    assert_eq!(items[0]["urgent"], false);
}

both_backends!(
    a_high_risk_post_is_published_shows_the_panel_and_reaches_moderators_live,
    a_figurative_post_opens_nothing_and_a_report_someone_at_risk_does,
);

/// A `high` post mails the community's moderators through the outbox, over real SMTP,
/// without the post's words.
async fn a_high_risk_post_is_mailed_to_the_moderators(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let w = world(&app).await;
    start_thread(&app, w.member("cara_carer"), HIGH).await;
    let messages = sink.wait_for(1).await;
    let mail = readable(&messages[0]);
    assert!(mail.contains("maria@example.org"), "{mail}");
    assert!(mail.contains("may be at risk"), "{mail}");
    assert!(!mail.contains("morphine"), "the post's words were mailed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_high_risk_post_is_mailed_to_the_moderators_sqlite() {
    a_high_risk_post_is_mailed_to_the_moderators(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_high_risk_post_is_mailed_to_the_moderators_postgres() {
    a_high_risk_post_is_mailed_to_the_moderators(Backend::Postgres).await;
}
