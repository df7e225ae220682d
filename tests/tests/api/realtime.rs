//! The websocket at `/api/v1/ws`, over real sockets: live delivery, access checks and
//! their revocation, resume, origin checks, limits, slow consumers, shutdown, and two
//! nodes sharing one PostgreSQL database with Redis between them.
//!
//! "Nothing more arrives" is checked without sleeping: a second, entitled connection
//! receives the event first (the hub hands an event to all its connections at once), then
//! the connection under test answers a `ping` — and the server handles a connection's
//! queued events before its next client message, so anything leaked would come before
//! the `pong`.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use kindred_server::config::Settings;
use kindred_server::store::events;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use crate::both_backends;
use crate::helpers::{spawn_app_with, Backend, Session, TestApp, PASSWORD};
use crate::proxy::{Mode, Proxy};

mod content_notes;
mod messages;
mod surveys;

const WAIT: Duration = Duration::from_secs(10);

/// A websocket client speaking the JSON protocol.
struct Ws {
    socket: WebSocketStream<TcpStream>,
    /// The server's first message.
    hello: Value,
}

/// What the server sent next.
#[derive(Debug)]
enum Incoming {
    Json(Value),
    /// A close frame (code, reason), or `None` when the connection just ended.
    Closed(Option<(u16, String)>),
}

#[derive(Default)]
struct Connect<'a> {
    origin: Option<&'a str>,
    bearer: Option<&'a str>,
    cookie: Option<String>,
    /// A small receive buffer makes a client that stops reading look slow quickly.
    receive_buffer: Option<u32>,
}

impl TestApp {
    fn port(&self) -> u16 {
        self.address
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port in address")
    }

    /// Opens a websocket; `Err(status)` when the upgrade is refused.
    async fn ws_with(&self, options: Connect<'_>) -> Result<Ws, StatusCode> {
        let mut request = format!("ws://127.0.0.1:{}/api/v1/ws", self.port())
            .into_client_request()
            .expect("request");
        let headers = request.headers_mut();
        if let Some(origin) = options.origin {
            headers.insert("origin", HeaderValue::from_str(origin).expect("origin"));
        }
        if let Some(token) = options.bearer {
            let value = format!("Bearer {token}");
            headers.insert(
                "authorization",
                HeaderValue::from_str(&value).expect("auth"),
            );
        }
        if let Some(cookie) = &options.cookie {
            headers.insert("cookie", HeaderValue::from_str(cookie).expect("cookie"));
        }
        let socket = TcpSocket::new_v4().expect("socket");
        if let Some(size) = options.receive_buffer {
            socket.set_recv_buffer_size(size).expect("SO_RCVBUF");
        }
        let stream = socket
            .connect(([127, 0, 0, 1], self.port()).into())
            .await
            .expect("tcp connect");
        match tokio_tungstenite::client_async(request, stream).await {
            Ok((socket, _)) => {
                let mut ws = Ws {
                    socket,
                    hello: Value::Null,
                };
                ws.hello = ws.expect("hello").await;
                Ok(ws)
            }
            Err(WsError::Http(response)) => {
                Err(StatusCode::from_u16(response.status().as_u16()).expect("status"))
            }
            Err(e) => panic!("websocket handshake failed: {e}"),
        }
    }

    async fn ws(&self) -> Ws {
        self.ws_with(Connect::default()).await.expect("upgrade")
    }

    async fn ws_as(&self, session: &Session) -> Ws {
        self.ws_as_token(&session.access_token).await
    }

    async fn ws_as_token(&self, token: &str) -> Ws {
        self.ws_with(Connect {
            bearer: Some(token),
            ..Connect::default()
        })
        .await
        .expect("upgrade")
    }

    /// Waits until this node has fanned out every event in the log, so that a new
    /// subscription starts after everything written so far.
    async fn settled(&self) {
        let store = self.store.clone();
        let newest = tokio::task::spawn_blocking(move || store.read(events::max_id))
            .await
            .expect("join")
            .expect("max event id");
        for _ in 0..500 {
            if self.metric("kindred_realtime_last_event_id").await >= newest as u64 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the event tail did not reach event {newest}");
    }

    /// Waits (up to ten seconds) until a metric shows `value`.
    async fn wait_for_metric(&self, name: &str, value: u64) {
        for _ in 0..400 {
            if self.metric(name).await == value {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{name} never became {value}");
    }

    async fn metric(&self, name: &str) -> u64 {
        let text = self
            .get("/metrics", None)
            .await
            .text()
            .await
            .expect("metrics");
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name} ")))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} in /metrics:\n{text}"))
    }
}

impl Ws {
    async fn send(&mut self, value: Value) {
        self.send_text(value.to_string()).await;
    }

    async fn send_text(&mut self, text: String) {
        self.socket
            .send(Message::text(text))
            .await
            .expect("send to websocket");
    }

    async fn next(&mut self) -> Incoming {
        loop {
            let message = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("a websocket message in time");
            match message {
                Some(Ok(Message::Text(text))) => {
                    return Incoming::Json(serde_json::from_str(&text).expect("JSON message"))
                }
                Some(Ok(Message::Close(frame))) => {
                    return Incoming::Closed(
                        frame.map(|f| (u16::from(f.code), f.reason.to_string())),
                    )
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return Incoming::Closed(None),
            }
        }
    }

    async fn json(&mut self) -> Value {
        match self.next().await {
            Incoming::Json(value) => value,
            Incoming::Closed(frame) => panic!("connection closed ({frame:?}), expected a message"),
        }
    }

    async fn expect(&mut self, kind: &str) -> Value {
        let message = self.json().await;
        assert_eq!(message["type"], kind, "expected {kind}, got {message}");
        message
    }

    /// Reads until the connection closes; returns the close code and reason.
    async fn closed(&mut self) -> (u16, String) {
        loop {
            match self.next().await {
                Incoming::Json(_) => {}
                Incoming::Closed(Some(frame)) => return frame,
                Incoming::Closed(None) => panic!("connection ended without a close frame"),
            }
        }
    }

    async fn subscribe(&mut self, topic: &str) {
        self.send(json!({"type": "subscribe", "topic": topic}))
            .await;
        let ack = self.expect("subscribed").await;
        assert_eq!(ack["topic"], topic);
    }

    /// Sends `ping` and returns everything that arrives before the `pong`.
    async fn sync(&mut self) -> Vec<Value> {
        self.send(json!({"type": "ping"})).await;
        let mut before = Vec::new();
        loop {
            let message = self.json().await;
            if message["type"] == "pong" {
                return before;
            }
            before.push(message);
        }
    }

    /// The next `event` message, skipping nothing: anything else fails the test.
    async fn event(&mut self) -> Value {
        self.expect("event").await
    }
}

/// A public community `open-circle` with a moderator and a member, and a thread in it.
struct Circle {
    moderator: Session,
    member: Session,
    slug: &'static str,
    thread: String,
}

async fn circle(app: &TestApp, visibility: &str) -> Circle {
    let admin = app.admin("root_admin").await;
    let slug = if visibility == "private" {
        "quiet-circle"
    } else {
        "open-circle"
    };
    app.community(&admin, slug, visibility, "open").await;
    let moderator = app.register("maria_mod").await;
    app.appoint_moderator(&admin, slug, "maria_mod").await;
    let member = app.register("sam_member").await;
    app.add_member(&moderator, slug, "sam_member").await;
    let (thread, _) = app
        .thread(&moderator, slug, "Welcome", "Say hello *here*.")
        .await;
    app.settled().await;
    Circle {
        moderator,
        member,
        slug,
        thread,
    }
}

both_backends! {
    with super::default_app;
    live_events_reach_thread_and_community_subscribers,
    private_topics_are_refused_and_a_banned_member_stops_receiving,
    held_posts_reach_only_their_author_and_moderators,
    notifications_and_approvals_arrive_live,
    a_community_made_private_drops_outsiders_at_once,
    resume_replays_missed_events_once_and_in_order,
    foreign_origins_are_refused_before_the_upgrade,
    oversize_frames_close_the_connection,
    malformed_messages_get_errors_then_a_close,
    an_authentication_message_signs_the_connection_in,
    shutdown_closes_sockets_with_going_away,
    reaction_counts_arrive_live,
}

/// An app that allows `https://app.example.org` pages to connect.
async fn default_app(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        |input| input.ws_origins = Some("https://app.example.org".into()),
        |_| {},
    )
    .await
}

async fn cookie_for(app: &TestApp, username: &str) -> String {
    let login = app.login(username, PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    let access = login
        .cookies()
        .find(|c| c.name() == "kindred_access")
        .expect("access cookie")
        .value()
        .to_owned();
    format!("kindred_access={access}")
}

fn post_id(event: &Value) -> &Value {
    &event["data"]["post"]["id"]
}

async fn live_events_reach_thread_and_community_subscribers(app: TestApp) {
    let c = circle(&app, "public").await;
    let community = format!("community:{}", c.slug);
    let thread = format!("thread:{}", c.thread);
    let mut visitor = app.ws().await;
    visitor.subscribe(&community).await;
    let mut member = app.ws_as(&c.member).await;
    member.subscribe(&thread).await;

    let post = app.reply(&c.member, &c.thread, "Hello **all**").await;
    for (ws, topic) in [(&mut visitor, &community), (&mut member, &thread)] {
        let event = ws.event().await;
        assert_eq!(event["kind"], "post.created");
        assert_eq!(&event["topic"], topic.as_str());
        assert!(event["event_id"]
            .as_str()
            .is_some_and(|id| id.parse::<i64>().is_ok()));
        // The post as the API shows it, read from the database.
        assert_eq!(post_id(&event), &post["id"]);
        assert_eq!(event["data"]["post"]["body_html"], post["body_html"]);
        assert_eq!(
            event["data"]["post"]["body_html"],
            "<p>Hello <strong>all</strong></p>\n"
        );
        assert_eq!(event["data"]["post"]["author"]["username"], "sam_member");
        assert_eq!(event["data"]["community"], c.slug);
        // The markdown source goes to its author only, as in the API.
        let source = &event["data"]["post"]["body"];
        if topic == &thread {
            assert_eq!(source, "Hello **all**");
        } else {
            assert_eq!(source, &Value::Null);
        }
    }

    // A new thread reaches the community topic, not the other thread's.
    let (second, _) = app
        .thread(&c.member, c.slug, "Another one", "Second thread")
        .await;
    let created = visitor.event().await;
    assert_eq!(created["kind"], "thread.created");
    assert_eq!(created["data"]["thread"]["id"], second.as_str());
    assert_eq!(created["data"]["thread"]["title"], "Another one");
    assert_eq!(visitor.event().await["kind"], "post.created");
    assert!(member.sync().await.is_empty(), "another thread's events");

    // Edits follow, and moderators' thread changes.
    let edited = app
        .patch(
            &format!("/api/v1/posts/{}", post["id"].as_str().expect("id")),
            Some(&c.member),
            json!({"body": "Hello again"}),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let event = member.event().await;
    assert_eq!(event["kind"], "post.edited");
    assert_eq!(event["data"]["post"]["body_html"], "<p>Hello again</p>\n");
    assert_eq!(visitor.event().await["kind"], "post.edited");
    let locked = app
        .patch(
            &format!("/api/v1/threads/{}", c.thread),
            Some(&c.moderator),
            json!({"locked": true}),
        )
        .await;
    assert_eq!(locked.status(), StatusCode::OK);
    let event = member.event().await;
    assert_eq!(event["kind"], "thread.updated");
    assert_eq!(event["data"]["thread"]["locked"], true);
    assert_eq!(visitor.event().await["kind"], "thread.updated");

    // Unsubscribing stops them.
    member
        .send(json!({"type": "unsubscribe", "topic": thread}))
        .await;
    assert_eq!(
        member.expect("unsubscribed").await["topic"],
        thread.as_str()
    );
    app.reply(&c.moderator, &c.thread, "After unsubscribing")
        .await;
    assert_eq!(visitor.event().await["kind"], "post.created");
    assert!(member.sync().await.is_empty());
}

async fn private_topics_are_refused_and_a_banned_member_stops_receiving(app: TestApp) {
    let c = circle(&app, "private").await;
    let outsider = app.register("nosy_neighbour").await;
    let mut nosy = app.ws_as(&outsider).await;
    let mut anonymous = app.ws().await;
    let community = format!("community:{}", c.slug);
    let moderation = format!("mod:{}", c.slug);
    let mut refusals = Vec::new();
    for ws in [&mut nosy, &mut anonymous] {
        for asked in [
            community.clone(),
            "community:no-such-circle".into(),
            format!("thread:{}", c.thread),
            "thread:4611686018427387904".into(),
            moderation.clone(),
        ] {
            ws.send(json!({"type": "subscribe", "topic": asked})).await;
            let error = ws.expect("error").await;
            assert_eq!(error["code"], "not_found", "{asked}: {error}");
            refusals.push(error["message"].clone());
        }
    }
    // Private and unknown answer exactly alike.
    assert!(refusals.windows(2).all(|w| w[0] == w[1]), "{refusals:?}");
    anonymous
        .send(json!({"type": "subscribe", "topic": "user"}))
        .await;
    assert_eq!(anonymous.expect("error").await["code"], "unauthenticated");

    // The member connects with the session cookie, like a browser.
    let mut member = app
        .ws_with(Connect {
            cookie: Some(cookie_for(&app, "sam_member").await),
            ..Connect::default()
        })
        .await
        .expect("cookie upgrade");
    assert_eq!(member.hello["user"]["username"], "sam_member");
    member.subscribe(&community).await;
    member.subscribe("user").await;
    member
        .send(json!({"type": "subscribe", "topic": moderation}))
        .await;
    assert_eq!(member.expect("error").await["code"], "not_moderator");
    let mut moderator = app.ws_as(&c.moderator).await;
    moderator.subscribe(&community).await;
    moderator.subscribe(&moderation).await;

    app.reply(&c.moderator, &c.thread, "Before the ban").await;
    assert_eq!(member.event().await["kind"], "post.created");
    let mut topics = vec![moderator.event().await, moderator.event().await]
        .into_iter()
        .map(|e| e["topic"].as_str().expect("topic").to_owned())
        .collect::<Vec<_>>();
    topics.sort();
    assert_eq!(topics, [community.clone(), moderation.clone()]);

    let banned = app
        .post(
            &format!("/api/v1/communities/{}/bans", c.slug),
            Some(&c.moderator),
            json!({"username": "sam_member"}),
        )
        .await;
    assert_eq!(banned.status(), StatusCode::OK);
    let dropped = member.expect("unsubscribed").await;
    assert_eq!(dropped["topic"], community.as_str());
    assert_eq!(dropped["reason"], "access_revoked");
    let change = moderator.event().await;
    assert_eq!(change["topic"], moderation.as_str());
    assert_eq!(change["kind"], "membership.changed");
    assert_eq!(change["data"]["change"], "banned");
    assert_eq!(change["data"]["user"]["username"], "sam_member");

    app.reply(&c.moderator, &c.thread, "After the ban").await;
    assert_eq!(moderator.event().await["kind"], "post.created");
    assert!(member.sync().await.is_empty(), "a banned member got more");
    assert!(nosy.sync().await.is_empty());
    member
        .send(json!({"type": "subscribe", "topic": community}))
        .await;
    assert_eq!(member.expect("error").await["code"], "not_found");
}

async fn held_posts_reach_only_their_author_and_moderators(app: TestApp) {
    let c = circle(&app, "public").await;
    let reader = app.register("rita_reader").await;
    let community = format!("community:{}", c.slug);
    let mut author = app.ws_as(&c.member).await;
    author.subscribe("user").await;
    let mut moderator = app.ws_as(&c.moderator).await;
    moderator.subscribe(&format!("mod:{}", c.slug)).await;
    let mut other = app.ws_as(&reader).await;
    other.subscribe(&community).await;
    other.subscribe(&format!("thread:{}", c.thread)).await;
    let mut visitor = app.ws().await;
    visitor.subscribe(&community).await;

    // A clean reply reaches everyone.
    let clean = app
        .reply(&c.member, &c.thread, "Thinking of you all today")
        .await;
    assert_eq!(author.event().await["data"]["post"]["id"], clean["id"]);
    assert_eq!(post_id(&moderator.event().await), &clean["id"]);
    assert_eq!(post_id(&other.event().await), &clean["id"]);
    assert_eq!(post_id(&other.event().await), &clean["id"]);
    assert_eq!(post_id(&visitor.event().await), &clean["id"]);

    // Screening holds this one: only its author and the moderators hear of it.
    let text = "Baking soda cures cancer, so stop the chemo and drink it every morning";
    let post = app.reply(&c.member, &c.thread, text).await;
    assert_eq!(post["status"], "held");
    let mine = author.event().await;
    assert_eq!(mine["topic"], "user");
    assert_eq!(mine["data"]["post"]["status"], "held");
    assert_eq!(mine["data"]["post"]["body"], text);
    let moderated = moderator.event().await;
    assert_eq!(moderated["data"]["post"]["status"], "held");
    assert_eq!(moderated["data"]["post"]["body"], Value::Null);
    assert!(other.sync().await.is_empty(), "a held post leaked");
    assert!(visitor.sync().await.is_empty(), "a held post leaked");
}

async fn reaction_counts_arrive_live(app: TestApp) {
    let c = circle(&app, "public").await;
    let post = app
        .reply(&c.member, &c.thread, "First day of radiotherapy")
        .await;
    let post_id = post["id"].as_str().expect("id");
    app.settled().await;
    let mut visitor = app.ws().await;
    visitor.subscribe(&format!("thread:{}", c.thread)).await;
    let mut author = app.ws_as(&c.member).await;
    author.subscribe("user").await;

    let response = app
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/posts/{post_id}/reactions/with_you"),
            Some(&c.moderator),
        )
        .send()
        .await
        .expect("PUT reaction");
    assert_eq!(response.status(), StatusCode::OK);
    // Readers get the counts, never who pressed (no `mine` in shared events).
    let event = visitor.event().await;
    assert_eq!(event["kind"], "post.reactions_changed", "{event}");
    assert_eq!(event["data"]["post_id"], post_id);
    assert_eq!(event["data"]["reactions"]["with_you"], json!({"count": 1}));
    // The author sees the same change and then their one batched notification.
    let mine = author.event().await;
    assert_eq!(mine["kind"], "post.reactions_changed", "{mine}");
    let notice = author.event().await;
    assert_eq!(notice["kind"], "notification.created", "{notice}");
    assert_eq!(
        notice["data"]["notification"]["detail"],
        "1 person is with you on your post"
    );
}

async fn notifications_and_approvals_arrive_live(app: TestApp) {
    let c = circle(&app, "public").await;
    let mut thread_author = app.ws_as(&c.moderator).await;
    thread_author.subscribe("user").await;
    thread_author.subscribe(&format!("mod:{}", c.slug)).await;
    let mut reader = app.ws().await;
    reader.subscribe(&format!("thread:{}", c.thread)).await;

    // A reply to the moderator's thread: a notification on their `user` topic.
    let reply = app
        .reply(&c.member, &c.thread, "Hello from me, thank you for this")
        .await;
    let mut seen = Vec::new();
    while seen.len() < 2 {
        seen.push(thread_author.event().await);
    }
    let notification = seen
        .iter()
        .find(|e| e["kind"] == "notification.created")
        .unwrap_or_else(|| panic!("no notification in {seen:?}"));
    assert_eq!(notification["topic"], "user");
    let item = &notification["data"]["notification"];
    assert_eq!(item["kind"], "reply_to_thread");
    assert_eq!(item["post_id"], reply["id"]);
    assert_eq!(item["actor"]["username"], "sam_member");
    assert_eq!(post_id(&reader.event().await), &reply["id"]);

    // A held post reaches the queue live, then appears for readers once approved.
    let held = app
        .reply(
            &c.member,
            &c.thread,
            "Apricot kernels cured my cousin, refuse the chemo they push on you",
        )
        .await;
    assert_eq!(held["status"], "held");
    let mut kinds = Vec::new();
    for _ in 0..2 {
        let message = thread_author.event().await;
        kinds.push(message["kind"].as_str().unwrap_or_default().to_owned());
    }
    assert!(kinds.contains(&"post.created".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"moderation.queued".to_owned()), "{kinds:?}");
    assert!(reader.sync().await.is_empty(), "a held post leaked");
    let queue = app
        .get_json(
            &format!("/api/v1/mod/queue?community={}", c.slug),
            Some(&c.moderator),
        )
        .await;
    let item_id = queue["items"][0]["id"].as_str().expect("item").to_owned();
    let response = app
        .post(
            &format!("/api/v1/mod/queue/{item_id}/decision"),
            Some(&c.moderator),
            json!({ "action": "approve", "reason": "quoted to ask about it" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let approved = reader.event().await;
    assert_eq!(approved["kind"], "post.status_changed");
    assert_eq!(post_id(&approved), &held["id"]);
    assert_eq!(approved["data"]["post"]["status"], "published");
}

async fn a_community_made_private_drops_outsiders_at_once(app: TestApp) {
    let c = circle(&app, "public").await;
    let admin = app.admin("second_admin").await;
    let outsider = app.register("passer_by").await;
    let mut watcher = app.ws_as(&outsider).await;
    watcher.subscribe(&format!("thread:{}", c.thread)).await;
    let mut member = app.ws_as(&c.member).await;
    member.subscribe(&format!("thread:{}", c.thread)).await;

    let response = app
        .patch(
            &format!("/api/v1/communities/{}", c.slug),
            Some(&admin),
            json!({ "visibility": "private" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let dropped = watcher.expect("unsubscribed").await;
    assert_eq!(dropped["reason"], "access_revoked");

    let reply = app.reply(&c.member, &c.thread, "Now among ourselves").await;
    assert_eq!(post_id(&member.event().await), &reply["id"]);
    assert!(watcher.sync().await.is_empty(), "a private post leaked");
}

async fn resume_replays_missed_events_once_and_in_order(app: TestApp) {
    let c = circle(&app, "public").await;
    let topic = format!("thread:{}", c.thread);
    let mut ws = app.ws().await;
    ws.subscribe(&topic).await;
    app.reply(&c.member, &c.thread, "one").await;
    let seen = ws.event().await["event_id"]
        .as_str()
        .expect("id")
        .to_owned();
    drop(ws);

    let mut missed = Vec::new();
    for text in ["two", "three", "four"] {
        missed.push(app.reply(&c.member, &c.thread, text).await["id"].clone());
    }
    // Noise that this topic must not replay.
    app.thread(&c.member, c.slug, "Elsewhere", "other thread")
        .await;

    // Resume first, then subscribe: the subscription replays, then goes live.
    let mut ws = app.ws().await;
    ws.send(json!({"type": "resume", "last_event_id": seen}))
        .await;
    assert_eq!(ws.expect("resumed").await["last_event_id"], seen.as_str());
    ws.subscribe(&topic).await;
    let mut last: i64 = seen.parse().expect("id");
    for expected in &missed {
        let event = ws.event().await;
        assert_eq!(post_id(&event), expected);
        let id: i64 = event["event_id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("id");
        assert!(id > last, "in order");
        last = id;
    }
    let live = app.reply(&c.member, &c.thread, "five").await;
    assert_eq!(
        post_id(&ws.event().await),
        &live["id"],
        "live, not a repeat"
    );
    assert!(ws.sync().await.is_empty());

    // Subscribe first, resume after: the same events, once each.
    let mut ws = app.ws().await;
    ws.subscribe(&topic).await;
    ws.send(json!({"type": "resume", "last_event_id": seen}))
        .await;
    let mut replayed = Vec::new();
    for _ in 0..4 {
        replayed.push(post_id(&ws.event().await).clone());
    }
    let mut expected = missed.clone();
    expected.push(live["id"].clone());
    assert_eq!(replayed, expected);
    ws.expect("resumed").await;
    ws.send(json!({"type": "resume", "last_event_id": seen}))
        .await;
    assert_eq!(ws.expect("error").await["code"], "already_resumed");
    assert!(ws.sync().await.is_empty());
}

async fn foreign_origins_are_refused_before_the_upgrade(app: TestApp) {
    let member = app.register("sam_member").await;
    let cookie = cookie_for(&app, "sam_member").await;
    for origin in [
        "https://evil.example",
        "null",
        "https://app.example.org.evil.example",
        "http://app.example.org",
    ] {
        let refused = app
            .ws_with(Connect {
                origin: Some(origin),
                cookie: Some(cookie.clone()),
                ..Connect::default()
            })
            .await;
        assert_eq!(refused.err(), Some(StatusCode::FORBIDDEN), "{origin}");
    }
    // The configured origins (KINDRED_WS_ORIGINS) and origin-less clients are welcome.
    let mut ws = app
        .ws_with(Connect {
            origin: Some("https://app.example.org"),
            cookie: Some(cookie),
            ..Connect::default()
        })
        .await
        .expect("allowed origin");
    ws.subscribe("user").await;
    app.ws_as(&member).await.subscribe("user").await;
    // Bad credentials are refused, not downgraded to anonymous.
    let bad = app
        .ws_with(Connect {
            bearer: Some("not-a-token"),
            ..Connect::default()
        })
        .await;
    assert_eq!(bad.err(), Some(StatusCode::UNAUTHORIZED));
    // A plain GET is not an upgrade.
    let plain = app.get("/api/v1/ws", None).await;
    assert_eq!(plain.status(), StatusCode::BAD_REQUEST);
}

async fn oversize_frames_close_the_connection(app: TestApp) {
    let mut ws = app.ws().await;
    ws.send_text("x".repeat(17 * 1024)).await;
    let (code, _) = ws.closed().await;
    assert_eq!(code, 1009);
    // Just under the limit is merely a malformed message.
    let mut ws = app.ws().await;
    ws.send_text(format!("\"{}\"", "x".repeat(16 * 1024 - 10)))
        .await;
    let error = ws.expect("error").await;
    assert_eq!(error["code"], "invalid_message");
    assert!(error["message"].as_str().expect("message").len() <= 200);
}

async fn malformed_messages_get_errors_then_a_close(app: TestApp) {
    let mut ws = app.ws().await;
    for bad in [
        "not json",
        r#"{"type":"shout"}"#,
        r#"{"type":"subscribe"}"#,
        r#"{"type":"subscribe","topic":"user","extra":1}"#,
    ] {
        ws.send_text(bad.into()).await;
        let error = ws.expect("error").await;
        assert_eq!(error["code"], "invalid_message", "{bad}");
        assert!(error["message"].is_string());
    }
    // Still connected and useful.
    assert!(ws.sync().await.is_empty());
    ws.send(json!({"type": "subscribe", "topic": "room:1"}))
        .await;
    assert_eq!(ws.expect("error").await["code"], "invalid_topic");
    // The tenth strike closes it: four above, six more.
    for _ in 0..6 {
        ws.send_text("{".into()).await;
    }
    let (code, reason) = ws.closed().await;
    assert_eq!(code, 1008);
    assert!(reason.contains("invalid"), "{reason}");
}

async fn an_authentication_message_signs_the_connection_in(app: TestApp) {
    let member = app.register("sam_member").await;
    let other = app.register("someone_else").await;
    let mut ws = app.ws().await;
    assert_eq!(ws.hello["user"], Value::Null);
    ws.send(json!({"type": "subscribe", "topic": "user"})).await;
    assert_eq!(ws.expect("error").await["code"], "unauthenticated");
    ws.send(json!({"type": "auth", "token": member.access_token}))
        .await;
    let ack = ws.expect("authenticated").await;
    assert_eq!(ack["user"]["username"], "sam_member");
    ws.subscribe("user").await;
    ws.send(json!({"type": "auth", "token": other.access_token}))
        .await;
    assert_eq!(ws.expect("error").await["code"], "already_authenticated");
    // A bad token ends the connection.
    let mut ws = app.ws().await;
    ws.send(json!({"type": "auth", "token": "forged"})).await;
    assert_eq!(ws.expect("error").await["code"], "invalid_token");
    assert_eq!(ws.closed().await.0, 1008);
}

async fn shutdown_closes_sockets_with_going_away(app: TestApp) {
    let mut ws = app.ws().await;
    assert!(ws.sync().await.is_empty());
    app.stop.stop();
    let (code, _) = ws.closed().await;
    assert_eq!(code, 1001);
}

/// Limits that are quick to reach: 2 subscriptions, 3 connections per address, queues of
/// 64 messages (a client that stops reading for longer than that is dropped), 3 events
/// of replay.
mod limits {
    use super::*;

    mod node_cap {
        use super::*;

        both_backends! {
            with super::capped_app;
            past_the_node_cap_upgrades_are_refused_with_503,
        }

        /// A node that holds two websockets, whatever their addresses.
        async fn capped_app(backend: Backend) -> TestApp {
            spawn_app_with(
                backend,
                |input| input.ws_max_connections = Some("2".into()),
                |_| {},
            )
            .await
        }

        async fn past_the_node_cap_upgrades_are_refused_with_503(app: TestApp) {
            let first = app.ws().await;
            let _second = app.ws().await;
            let refused = app.ws_with(Connect::default()).await;
            assert_eq!(refused.err(), Some(StatusCode::SERVICE_UNAVAILABLE));
            // The refusal is the usual JSON error, given before any upgrade.
            let response = app
                .client
                .get(app.url("/api/v1/ws"))
                .header("connection", "Upgrade")
                .header("upgrade", "websocket")
                .header("sec-websocket-version", "13")
                .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                .send()
                .await
                .expect("upgrade request");
            assert_eq!(
                crate::helpers::expect_error(response, StatusCode::SERVICE_UNAVAILABLE).await,
                "too_many_connections"
            );
            drop(first);
            let mut again = None;
            for _ in 0..100 {
                if let Ok(ws) = app.ws_with(Connect::default()).await {
                    again = Some(ws);
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            assert!(again.is_some(), "a slot came back when a connection ended");
        }
    }

    both_backends! {
        with super::tight_app;
        resuming_past_the_bound_asks_for_a_resync,
        subscriptions_and_connections_are_limited,
        a_slow_consumer_is_dropped_while_a_fast_one_keeps_up,
    }

    async fn tight_app(backend: Backend) -> TestApp {
        spawn_app_with(
            backend,
            |_| {},
            |settings| {
                let realtime = &mut settings.realtime;
                realtime.max_subscriptions = 2;
                realtime.max_connections_per_ip = 3;
                realtime.outbound_queue = 64;
                realtime.resume_max_events = 3;
            },
        )
        .await
    }

    async fn resuming_past_the_bound_asks_for_a_resync(app: TestApp) {
        let c = circle(&app, "public").await;
        let mut ws = app.ws().await;
        let start = ws.hello["last_event_id"]
            .as_str()
            .expect("hello names the last event")
            .to_owned();
        for text in ["a", "b", "c", "d"] {
            app.reply(&c.member, &c.thread, text).await;
        }
        app.settled().await;
        // Four events were missed; this app replays at most three.
        ws.send(json!({"type": "resume", "last_event_id": start}))
            .await;
        let resync = ws.expect("resync").await;
        let now: i64 = resync["last_event_id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("an id to carry on from");
        assert!(now >= start.parse::<i64>().expect("id") + 4);
        // Three are fine.
        let mut ws = app.ws().await;
        ws.send(json!({"type": "resume", "last_event_id": (now - 3).to_string()}))
            .await;
        ws.expect("resumed").await;
        let mut ws = app.ws().await;
        ws.send(json!({"type": "resume", "last_event_id": "not a number"}))
            .await;
        assert_eq!(ws.expect("error").await["code"], "invalid_message");
    }

    async fn subscriptions_and_connections_are_limited(app: TestApp) {
        let c = circle(&app, "public").await;
        let mut ws = app.ws_as(&c.member).await;
        ws.subscribe(&format!("community:{}", c.slug)).await;
        ws.subscribe(&format!("thread:{}", c.thread)).await;
        ws.send(json!({"type": "subscribe", "topic": "user"})).await;
        assert_eq!(ws.expect("error").await["code"], "too_many_subscriptions");
        // Subscribing again to a topic one has is not one more.
        ws.subscribe(&format!("thread:{}", c.thread)).await;

        // Three connections per address; `ws` is one.
        let second = app.ws().await;
        let third = app.ws().await;
        let refused = app.ws_with(Connect::default()).await;
        assert_eq!(refused.err(), Some(StatusCode::TOO_MANY_REQUESTS));
        drop(second);
        drop(third);
        // Slots come back when connections end (the server notices the close).
        let mut again = None;
        for _ in 0..100 {
            if let Ok(ws) = app.ws_with(Connect::default()).await {
                again = Some(ws);
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(again.is_some(), "a slot was given back");
    }

    async fn a_slow_consumer_is_dropped_while_a_fast_one_keeps_up(app: TestApp) {
        let c = circle(&app, "public").await;
        let community = format!("community:{}", c.slug);
        let thread = format!("thread:{}", c.thread);
        let mut fast = app.ws().await;
        fast.subscribe(&thread).await;
        let mut slow = app
            .ws_with(Connect {
                receive_buffer: Some(4096),
                ..Connect::default()
            })
            .await
            .expect("upgrade");
        slow.subscribe(&community).await;
        slow.subscribe(&thread).await;

        // The fast client reads all the time.
        let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel();
        let reader = tokio::spawn(async move {
            loop {
                let event = fast.event().await;
                if seen_tx.send(post_id(&event).clone()).is_err() {
                    return fast;
                }
            }
        });

        // Large posts, until the server gives up on the client that does not read.
        let body = "All of this is worth reading slowly. ".repeat(500);
        let mut posted = Vec::new();
        while app.metric("kindred_ws_slow_consumer_closes_total").await == 0 {
            assert!(posted.len() < 1000, "the slow client was never dropped");
            for _ in 0..10 {
                posted.push(app.reply(&c.member, &c.thread, &body).await["id"].clone());
            }
        }
        for _ in 0..3 {
            posted.push(app.reply(&c.member, &c.thread, "still here").await["id"].clone());
        }
        // The fast client got every one, in order.
        for expected in &posted {
            let got = tokio::time::timeout(WAIT, seen.recv())
                .await
                .expect("the fast client keeps receiving")
                .expect("reader alive");
            assert_eq!(&got, expected);
        }
        assert_eq!(app.metric("kindred_ws_slow_consumer_closes_total").await, 1);
        drop(seen);
        drop(reader);

        // The slow client finds what fitted in the buffers, then why it was closed.
        let (code, reason) = slow.closed().await;
        assert_eq!(code, 1008);
        assert!(reason.contains("too slow"), "{reason}");
    }
}

/// Heartbeats every 200 ms, and 600 ms of silence closes a connection.
mod heartbeat {
    use super::*;

    both_backends! {
        with super::heartbeat_app;
        silent_clients_are_closed,
        logging_out_ends_the_connection,
    }

    async fn heartbeat_app(backend: Backend) -> TestApp {
        spawn_app_with(
            backend,
            |_| {},
            |settings| {
                settings.realtime.heartbeat_interval = Duration::from_millis(200);
                settings.realtime.idle_timeout = Duration::from_millis(600);
            },
        )
        .await
    }

    async fn silent_clients_are_closed(app: TestApp) {
        let mut ws = app.ws().await;
        // Not reading means not answering the server's pings.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let (code, reason) = ws.closed().await;
        assert_eq!(code, 1000);
        assert!(reason.contains("heartbeat"), "{reason}");
    }

    async fn logging_out_ends_the_connection(app: TestApp) {
        let member = app.register("sam_member").await;
        let mut ws = app.ws_as(&member).await;
        ws.subscribe("user").await;
        let out = app
            .post("/api/v1/auth/logout", Some(&member), json!({}))
            .await;
        assert!(out.status().is_success());
        // Noticed at the next heartbeat.
        let (code, reason) = ws.closed().await;
        assert_eq!(code, 1008);
        assert!(reason.contains("session"), "{reason}");
    }
}

/// Two nodes on one PostgreSQL database sharing a Redis channel.
async fn two_nodes(redis: &str, adjust: impl Fn(&mut Settings) + Copy) -> (TestApp, TestApp) {
    let node_a = spawn_app_with(
        Backend::Postgres,
        |input| input.redis_url = Some(redis.to_owned()),
        adjust,
    )
    .await;
    let shared = node_a.database_url.clone();
    let node_b = spawn_app_with(
        Backend::Postgres,
        |input| {
            input.redis_url = Some(redis.to_owned());
            input.database_url = shared;
        },
        adjust,
    )
    .await;
    (node_a, node_b)
}

/// A post on node A reaches a client of node B through a Redis announcement: the nodes
/// poll the database only once a minute here, so nothing else could wake B in time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_on_one_node_reaches_a_client_of_another_through_redis() {
    let channel = format!("kindred-test-{:016x}", rand::random::<u64>());
    let redis =
        std::env::var("KINDRED_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let (node_a, node_b) = two_nodes(&redis, |settings| {
        settings.realtime.redis_channel = channel.clone();
        settings.realtime.poll_interval = Duration::from_secs(60);
        settings.realtime.redis_poll_interval = Duration::from_secs(60);
    })
    .await;
    for node in [&node_a, &node_b] {
        let mut connected = false;
        for _ in 0..200 {
            if node.metric("kindred_realtime_redis_connected").await == 1 {
                connected = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(
            connected,
            "Redis must be running on {redis} (set KINDRED_TEST_REDIS to change)"
        );
    }

    let c = circle(&node_a, "public").await;
    node_b.settled().await;
    let mut on_b = node_b.ws().await;
    on_b.subscribe(&format!("thread:{}", c.thread)).await;
    let post = node_a.reply(&c.member, &c.thread, "Across nodes").await;
    let event = on_b.event().await;
    assert_eq!(post_id(&event), &post["id"]);
    assert_eq!(event["data"]["post"]["body_html"], "<p>Across nodes</p>\n");
    assert!(node_b.metric("kindred_realtime_redis_wakeups_total").await >= 1);

    // And the other way round.
    let mut on_a = node_a.ws().await;
    on_a.subscribe(&format!("thread:{}", c.thread)).await;
    let reply = node_b.reply(&c.moderator, &c.thread, "Back again").await;
    assert_eq!(post_id(&on_a.event().await), &reply["id"]);
    assert_eq!(post_id(&on_b.event().await), &reply["id"]);
}

/// With Redis unreachable the nodes keep serving, and the database poll delivers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_the_database_poll_still_delivers_across_nodes() {
    let (node_a, node_b) = two_nodes("redis://127.0.0.1:1", |_| {}).await;
    let c = circle(&node_a, "public").await;
    node_b.settled().await;
    let mut on_b = node_b.ws().await;
    on_b.subscribe(&format!("thread:{}", c.thread)).await;
    let post = node_a.reply(&c.member, &c.thread, "Polled").await;
    assert_eq!(post_id(&on_b.event().await), &post["id"]);
    assert_eq!(node_b.metric("kindred_realtime_redis_connected").await, 0);
}

/// When its Redis link drops, a node switches to the fast database poll at once instead
/// of sleeping out its slow safety poll (a minute here), and subscribes again when Redis
/// is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn losing_redis_switches_to_the_fast_poll_at_once() {
    let channel = format!("kindred-test-{:016x}", rand::random::<u64>());
    let redis =
        std::env::var("KINDRED_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let redis_host = redis.trim_start_matches("redis://").trim_end_matches('/');
    let upstream = tokio::net::lookup_host(redis_host)
        .await
        .expect("resolve Redis")
        .next()
        .expect("a Redis address");
    let proxy = Proxy::start(upstream).await;
    let adjust = |settings: &mut Settings| {
        settings.realtime.redis_channel = channel.clone();
        settings.realtime.poll_interval = Duration::from_millis(250);
        settings.realtime.redis_poll_interval = Duration::from_secs(60);
    };
    let node_a = spawn_app_with(
        Backend::Postgres,
        |input| input.redis_url = Some(redis.clone()),
        adjust,
    )
    .await;
    let node_b = spawn_app_with(
        Backend::Postgres,
        |input| {
            input.redis_url = Some(format!("redis://{}", proxy.address));
            input.database_url = node_a.database_url.clone();
        },
        adjust,
    )
    .await;
    for node in [&node_a, &node_b] {
        node.wait_for_metric("kindred_realtime_redis_connected", 1)
            .await;
    }
    let c = circle(&node_a, "public").await;
    node_b.settled().await;
    let mut on_b = node_b.ws().await;
    on_b.subscribe(&format!("thread:{}", c.thread)).await;

    proxy.set(Mode::Close);
    node_b
        .wait_for_metric("kindred_realtime_redis_connected", 0)
        .await;
    let started = Instant::now();
    let post = node_a
        .reply(&c.member, &c.thread, "While Redis is away")
        .await;
    assert_eq!(post_id(&on_b.event().await), &post["id"]);
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(1500),
        "delivered after {took:?}: the fast poll (250 ms) did not start when Redis went away"
    );

    proxy.set(Mode::Forward);
    node_b
        .wait_for_metric("kindred_realtime_redis_connected", 1)
        .await;
}

/// On PostgreSQL an event's id is taken at insert, so a transaction can commit an id
/// lower than one already delivered. The tail delivers in id order: it holds later
/// events while a lower id may still commit, and gives up on ids that never do.
mod ordering {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, PgConnection};

    use super::*;

    async fn app_waiting(gap_wait: Duration) -> TestApp {
        spawn_app_with(
            Backend::Postgres,
            |_| {},
            |settings| settings.realtime.gap_wait = gap_wait,
        )
        .await
    }

    /// Opens a transaction that writes a `thread.updated` event for `thread` and leaves it
    /// uncommitted.
    fn open_transaction(app: &TestApp, thread: &str) -> PgConnection {
        let url = app.database_url.clone().expect("PostgreSQL URL");
        let mut conn = PgConnection::establish(&url).expect("connect");
        conn.batch_execute(&format!(
            "BEGIN; INSERT INTO events (kind, community_id, thread_id, payload, created_at) \
             SELECT 'thread.updated', community_id, id, '{{}}', 0 FROM threads WHERE id = {thread}"
        ))
        .expect("insert in an open transaction");
        conn
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lower_id_that_commits_late_is_delivered_first() {
        let app = app_waiting(Duration::from_secs(30)).await;
        let c = circle(&app, "public").await;
        let mut ws = app.ws().await;
        ws.subscribe(&format!("thread:{}", c.thread)).await;
        let mut slow_writer = open_transaction(&app, &c.thread);
        let post = app.reply(&c.member, &c.thread, "committed first").await;
        assert!(
            ws.sync().await.is_empty(),
            "held back behind the open transaction"
        );
        slow_writer.batch_execute("COMMIT").expect("commit");

        let first = ws.event().await;
        assert_eq!(first["kind"], "thread.updated");
        let second = ws.event().await;
        assert_eq!(post_id(&second), &post["id"]);
        let id = |e: &Value| e["event_id"].as_str().and_then(|i| i.parse::<i64>().ok());
        assert!(id(&first) < id(&second));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_rolled_back_id_is_given_up_after_the_wait() {
        let app = app_waiting(Duration::from_millis(300)).await;
        let c = circle(&app, "public").await;
        let mut ws = app.ws().await;
        ws.subscribe(&format!("thread:{}", c.thread)).await;
        let mut failed_writer = open_transaction(&app, &c.thread);
        let post = app.reply(&c.member, &c.thread, "after a rollback").await;
        failed_writer.batch_execute("ROLLBACK").expect("rollback");
        assert_eq!(post_id(&ws.event().await), &post["id"]);
        assert!(ws.sync().await.is_empty());
    }
}

/// An access token that runs out mid-connection closes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expiring_token_closes_the_connection() {
    use kindred_server::auth::tokens::TokenKeys;
    use kindred_server::config::JwtSecret;
    use kindred_server::domain::ids::{SessionId, UserId};

    let app = default_app(Backend::Sqlite).await;
    let member = app.register("sam_member").await;
    // The same user and session as the member's token, expiring in two seconds.
    let keys = TokenKeys::new(
        &JwtSecret::parse("test-secret-that-is-long-enough-for-hs256").expect("secret"),
    );
    let claims = member.access_token.split('.').nth(1).expect("claims");
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims)
            .expect("base64"),
    )
    .expect("json");
    let id = |key: &str| {
        claims[key]
            .as_str()
            .and_then(|v| v.parse().ok())
            .expect(key)
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let short = keys
        .issue_access(UserId(id("sub")), SessionId(id("sid")), now + 2 - 15 * 60)
        .expect("token");
    let mut ws = app.ws_as_token(&short).await;
    ws.subscribe("user").await;
    assert_eq!(ws.expect("error").await["code"], "token_expired");
    let (code, reason) = ws.closed().await;
    assert_eq!(code, 1008);
    assert!(reason.contains("expired"), "{reason}");
}
