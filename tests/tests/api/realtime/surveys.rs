//! Survey invitations over a real websocket (issue 20): when a survey opens — approved
//! with its opening time passed, or its opening time passing later — the members it
//! invites hear of it on their `user` topic, once; members who did not opt in to
//! research, members of other communities and community topics get nothing.

use super::*;
use crate::helpers::expect_json;
use crate::partners::partner;
use crate::surveys::{in_seconds, member, sql, survey_body};

async fn approve(app: &TestApp, admin: &Session, survey: &str) {
    expect_json(
        app.post(
            &format!("/api/v1/admin/surveys/{survey}/approve"),
            Some(admin),
            json!({"reason": "Clear, kind questions; no promotion."}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
}

async fn draft(app: &TestApp, partner: &Session, opens_at: String) -> String {
    let mut body = survey_body();
    body["opens_at"] = Value::String(opens_at);
    let drafted = expect_json(
        app.post("/api/v1/partner/surveys", Some(partner), body)
            .await,
        StatusCode::CREATED,
    )
    .await;
    drafted["id"].as_str().expect("id").to_owned()
}

/// Runs the closing job's announcing step once, as every node does each minute.
async fn announce(app: &TestApp) -> usize {
    app.run_job_now(kindred_server::service::surveys::closing::announce_opened)
        .await
}

async fn an_opened_survey_reaches_its_invitees_live_and_nobody_else(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    app.community(&admin, "breast", "public", "open").await;
    let lena = partner(&app, &admin, "lena_research", "lung").await;
    let ana = member(&app, "ana_patient", true).await;
    let cleo = member(&app, "cleo_patient", false).await;
    let bea = app.register("bea_patient").await;
    app.join(&bea, "breast").await;
    let opted = app
        .patch(
            "/api/v1/me/consents",
            Some(&bea),
            json!({"insights_opt_in": true}),
        )
        .await;
    assert_eq!(opted.status(), StatusCode::OK);
    app.settled().await;
    let mut anas = app.ws_as(&ana).await;
    anas.subscribe("user").await;
    let mut cleos = app.ws_as(&cleo).await;
    cleos.subscribe("user").await;
    cleos.subscribe("community:lung").await;
    let mut beas = app.ws_as(&bea).await;
    beas.subscribe("user").await;
    let mut visitor = app.ws().await;
    visitor.subscribe("community:lung").await;

    // Approved after its opening time: the invitee hears at once.
    let survey = draft(&app, &lena, in_seconds(-60)).await;
    approve(&app, &admin, &survey).await;
    let live = anas.event().await;
    assert_eq!(live["topic"], "user");
    assert_eq!(live["kind"], "survey.opened");
    assert_eq!(live["data"]["survey_id"], survey.as_str());
    assert_eq!(live["data"]["community"], "lung");
    assert_eq!(live["data"]["title"], "Living with scan anxiety");
    for ws in [&mut cleos, &mut beas, &mut visitor] {
        assert!(
            ws.sync().await.is_empty(),
            "an uninvited socket heard of it"
        );
    }
    assert_eq!(announce(&app).await, 0, "announced once");

    // Approved before it opens: nothing yet; the job announces it when the time passes.
    let later = draft(&app, &lena, in_seconds(3000)).await;
    approve(&app, &admin, &later).await;
    assert_eq!(announce(&app).await, 0);
    assert!(anas.sync().await.is_empty(), "announced before opening");
    sql(
        &app,
        format!("UPDATE surveys SET opens_at = opens_at - 3600000000 WHERE id = {later}"),
    )
    .await;
    assert_eq!(announce(&app).await, 1);
    let live = anas.event().await;
    assert_eq!(live["kind"], "survey.opened");
    assert_eq!(live["data"]["survey_id"], later.as_str());
    for ws in [&mut cleos, &mut beas, &mut visitor] {
        assert!(
            ws.sync().await.is_empty(),
            "an uninvited socket heard of it"
        );
    }
    assert_eq!(announce(&app).await, 0, "announced once");
}

both_backends!(an_opened_survey_reaches_its_invitees_live_and_nobody_else);
