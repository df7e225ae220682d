//! Private messages over a real websocket: only the conversation's participants receive
//! them, and a held message only its author until a site admin publishes it.

use super::*;
use crate::helpers::expect_json;
use crate::messages::{send, started, ward};

async fn messages_reach_participants_and_nobody_else(app: TestApp) {
    let w = ward(&app).await;
    let (ana, ben, cat) = (
        w.member("ana_patient"),
        w.member("ben_carer"),
        w.member("cat_survivor"),
    );
    app.settled().await;
    let mut anas = app.ws_as(ana).await;
    let mut bens = app.ws_as(ben).await;
    let mut cats = app.ws_as(cat).await;
    let mut admins = app.ws_as(&w.admin).await;
    for ws in [&mut anas, &mut bens, &mut cats, &mut admins] {
        ws.subscribe("user").await;
    }

    let created = started(&app, ana, &["ben_carer"], "Thinking of you today").await;
    let id = created["conversation"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let live = bens.event().await;
    assert_eq!(live["topic"], "user");
    assert_eq!(live["kind"], "message.created");
    assert_eq!(live["data"]["message"]["id"], created["message"]["id"]);
    assert_eq!(
        live["data"]["message"]["body_html"],
        "<p>Thinking of you today</p>\n"
    );
    assert_eq!(live["data"]["message"]["author"]["username"], "ana_patient");
    assert_eq!(
        anas.event().await["data"]["message"]["id"],
        created["message"]["id"]
    );
    // The others' sockets got nothing before their pong.
    assert!(cats.sync().await.is_empty());
    assert!(admins.sync().await.is_empty());

    // A held message goes to its author alone.
    let held = expect_json(
        send(&app, ben, &id, "Call me on 555-014-2288 tonight").await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(held["message"]["status"], "held");
    let own = bens.event().await;
    assert_eq!(own["data"]["message"]["status"], "held");
    assert!(anas.sync().await.is_empty());
    assert!(cats.sync().await.is_empty());

    // Published by a site admin, it reaches the participants then, and nobody else.
    let message_id = held["message"]["id"].as_str().expect("id");
    expect_json(
        app.post(
            &format!("/api/v1/admin/messages/{message_id}/decision"),
            Some(&w.admin),
            serde_json::json!({ "action": "publish" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    for ws in [&mut anas, &mut bens] {
        let live = ws.event().await;
        assert_eq!(live["topic"], "user");
        assert_eq!(live["kind"], "message.status_changed");
        assert_eq!(live["data"]["message"]["id"], held["message"]["id"]);
        assert_eq!(live["data"]["message"]["status"], "published");
        assert_eq!(live["data"]["message"]["moderation_note"], Value::Null);
    }
    assert!(cats.sync().await.is_empty());
    assert!(admins.sync().await.is_empty());
}

both_backends!(messages_reach_participants_and_nobody_else);
