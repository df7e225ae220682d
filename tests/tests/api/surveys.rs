//! Research-partner surveys (issue 20): a partner drafts, an admin approves, eligible
//! members answer, dismiss or withdraw; results exist only after close, only with 11 or
//! more respondents, with small counts suppressed; every look is audited.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Session, TestApp, PASSWORD};
use crate::partners::partner;

/// An RFC 3339 time `seconds` from now.
pub(crate) fn in_seconds(seconds: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let t = now + seconds;
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

pub(crate) async fn sql(app: &TestApp, statement: String) {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || {
        store.write(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query(statement).execute(conn)?;
            Ok(())
        })
    })
    .await
    .expect("join")
    .expect("sql");
}

/// How many surveys' answers still name `member` (what their data export holds).
async fn own_answers(app: &TestApp, member: &Session) -> usize {
    let store = app.store.clone();
    let id: i64 = member.user_id.parse().expect("user id");
    tokio::task::spawn_blocking(move || kindred_server::service::privacy::export(&store, id))
        .await
        .expect("join")
        .expect("export")
        .survey_answers
        .len()
}

/// What its closing date would do: the survey closes now.
pub(crate) async fn close(app: &TestApp, survey: &str) {
    sql(
        app,
        format!("UPDATE surveys SET closes_at = opens_at + 1000000 WHERE id = {survey}"),
    )
    .await;
}

pub(crate) async fn member(app: &TestApp, name: &str, opted_in: bool) -> Session {
    let session = app.register(name).await;
    app.join(&session, "lung").await;
    if opted_in {
        let response = app
            .patch(
                "/api/v1/me/consents",
                Some(&session),
                json!({"insights_opt_in": true}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    session
}

pub(crate) fn survey_body() -> Value {
    json!({
        "community": "lung",
        "title": "Living with scan anxiety",
        "opens_at": in_seconds(-60),
        "closes_at": in_seconds(3600),
        "questions": [
            {"kind": "single_choice", "text": "Does scan anxiety keep you awake?", "options": ["yes", "no", "unsure"]},
            {"kind": "scale", "text": "How well supported do you feel?"},
            {"kind": "multiple_choice", "text": "What helps?", "options": ["talking", "walking", "reading"]},
            {"kind": "free_text", "text": "Anything the moderators should know?", "for_moderators": true}
        ]
    })
}

pub(crate) struct Setup {
    pub(crate) admin: Session,
    pub(crate) partner: Session,
    pub(crate) survey: String,
}

/// A lung community, `lena_research` granted it, and her survey approved and open.
pub(crate) async fn approved_survey(app: &TestApp) -> Setup {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    app.community(&admin, "breast", "public", "open").await;
    let lena = partner(app, &admin, "lena_research", "lung").await;
    let drafted = expect_json(
        app.post("/api/v1/partner/surveys", Some(&lena), survey_body())
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(drafted["status"], "pending");
    let survey = drafted["id"].as_str().expect("id").to_owned();
    let approved = expect_json(
        app.post(
            &format!("/api/v1/admin/surveys/{survey}/approve"),
            Some(&admin),
            json!({"reason": "Clear, kind questions; no promotion."}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    Setup {
        admin,
        partner: lena,
        survey,
    }
}

pub(crate) fn answers(choice: usize) -> Value {
    json!({"answers": [
        {"question": 0, "choices": [choice]},
        {"question": 1, "value": 4},
        {"question": 2, "choices": [0, 1]},
        {"question": 3, "text": "The waiting room is cold."}
    ]})
}

pub(crate) async fn answer(
    app: &TestApp,
    session: &Session,
    survey: &str,
    body: Value,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/surveys/{survey}/answers"),
        Some(session),
        body,
    )
    .await
}

async fn partner_drafts_admin_approves_members_answer_and_results_are_suppressed(app: TestApp) {
    let Setup {
        admin,
        partner: lena,
        survey,
    } = approved_survey(&app).await;

    // Bad drafts change nothing.
    let mut not_granted = survey_body();
    not_granted["community"] = json!("breast");
    assert_error(
        app.post("/api/v1/partner/surveys", Some(&lena), not_granted)
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_community",
    )
    .await;
    let mut no_question = survey_body();
    no_question["questions"] = json!([]);
    assert_error(
        app.post("/api/v1/partner/surveys", Some(&lena), no_question)
            .await,
        StatusCode::BAD_REQUEST,
        "no_question",
    )
    .await;
    let mut free_text = survey_body();
    free_text["questions"] = json!([{"kind": "free_text", "text": "Tell us everything"}]);
    assert_error(
        app.post("/api/v1/partner/surveys", Some(&lena), free_text)
            .await,
        StatusCode::BAD_REQUEST,
        "free_text_for_partner",
    )
    .await;
    let mine = app.get_json("/api/v1/partner/surveys", Some(&lena)).await;
    assert_eq!(mine.as_array().expect("list").len(), 1, "{mine}");

    // Twelve opted-in members answer: eleven "yes", one "no".
    let mut members = Vec::new();
    for i in 0..12 {
        let session = member(&app, &format!("member_{i:02}"), true).await;
        let offered = app.get_json("/api/v1/surveys", Some(&session)).await;
        assert_eq!(offered[0]["id"], survey.as_str(), "{offered}");
        assert_eq!(offered[0]["state"], "invited");
        let response = answer(&app, &session, &survey, answers(usize::from(i == 11))).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        members.push(session);
    }
    // Not opted in: refused with the reason; not a member: nothing to see.
    let shy = member(&app, "shy_member", false).await;
    assert!(app
        .get_json("/api/v1/surveys", Some(&shy))
        .await
        .as_array()
        .expect("list")
        .is_empty());
    assert_error(
        answer(&app, &shy, &survey, answers(0)).await,
        StatusCode::FORBIDDEN,
        "not_eligible",
    )
    .await;
    let outsider = app.register("outsider").await;
    assert_error(
        answer(&app, &outsider, &survey, answers(0)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Answering twice is refused; answers that do not fit the questions too.
    assert_eq!(
        answer(&app, &members[0], &survey, answers(0))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let dismissing = member(&app, "dismissing", true).await;
    let bad = json!({"answers": [{"question": 0, "choices": [7]}]});
    assert_error(
        answer(&app, &dismissing, &survey, bad).await,
        StatusCode::BAD_REQUEST,
        "invalid_answers",
    )
    .await;
    let dismissed = app
        .post(
            &format!("/api/v1/surveys/{survey}/dismiss"),
            Some(&dismissing),
            json!({}),
        )
        .await;
    assert_eq!(dismissed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_json("/api/v1/surveys", Some(&dismissing)).await[0]["state"],
        "dismissed"
    );

    // Before close there are no results.
    let results_path = format!("/api/v1/partner/surveys/{survey}/results");
    assert_error(
        app.get(&results_path, Some(&lena)).await,
        StatusCode::BAD_REQUEST,
        "survey_open",
    )
    .await;
    assert_eq!(own_answers(&app, &members[0]).await, 1);

    close(&app, &survey).await;
    assert_error(
        answer(&app, &dismissing, &survey, answers(0)).await,
        StatusCode::BAD_REQUEST,
        "survey_closed",
    )
    .await;
    assert_error(
        app.post(
            &format!("/api/v1/surveys/{survey}/withdraw"),
            Some(&members[0]),
            json!({}),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "survey_closed",
    )
    .await;
    // At close the answers stopped naming anyone.
    assert_eq!(own_answers(&app, &members[0]).await, 0);

    let results = app.get_json(&results_path, Some(&lena)).await;
    assert_eq!(results["respondents"], 12, "{results}");
    let first = &results["questions"][0];
    assert_eq!(first["options"][0]["count"], 11, "{results}");
    assert_eq!(first["options"][1]["count"], "<11", "{results}");
    assert_eq!(first["options"][2]["count"], "<11", "{results}");
    // Nobody chose a scale value other than 4: the rest is withheld, never zero.
    let scale = &results["questions"][1];
    assert_eq!(scale["options"][3]["count"], 12, "{results}");
    assert_eq!(scale["options"][0]["count"], "<11", "{results}");
    // The free-text question is not in the partner's results at all.
    assert_eq!(results["questions"].as_array().expect("questions").len(), 3);
    assert!(!results.to_string().contains("waiting room"));
    let by_role = app
        .get_json(&format!("{results_path}?by=role"), Some(&lena))
        .await;
    assert!(by_role["questions"][0]["by_role"].is_array(), "{by_role}");
    assert_error(
        app.get(&format!("{results_path}?by=age"), Some(&lena))
            .await,
        StatusCode::BAD_REQUEST,
        "invalid_by",
    )
    .await;

    let csv = app
        .get(&format!("{results_path}?format=csv"), Some(&lena))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.expect("csv");
    assert!(
        csv.starts_with("question,kind,option,role,count\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"Does scan anxiety keep you awake?\",single_choice,\"no\",all,<11"),
        "{csv}"
    );
    assert!(csv.contains(",\"yes\",all,11\n"), "{csv}");

    // The moderators (here the admin) read the free text; a member cannot.
    let texts = app
        .get_json(&format!("/api/v1/surveys/{survey}/free-text"), Some(&admin))
        .await;
    assert_eq!(texts.as_array().expect("texts").len(), 12, "{texts}");
    assert_eq!(
        app.get(
            &format!("/api/v1/surveys/{survey}/free-text"),
            Some(&members[1])
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );

    // Every look was audited: one withheld (still open), three shown; the refused
    // breakdown was not a look.
    let lena_id: i64 = lena.user_id.parse().expect("id");
    let store = app.store.clone();
    let audit = tokio::task::spawn_blocking(move || {
        store.read(|conn| kindred_server::store::insights::audit_of_actor(conn, lena_id))
    })
    .await
    .expect("join")
    .expect("audit");
    let survey_rows: Vec<_> = audit
        .iter()
        .filter(|(_, format, _)| format.starts_with(&format!("survey:{survey}:")))
        .collect();
    assert_eq!(survey_rows.len(), 4, "{audit:?}");
    assert_eq!(survey_rows[0].2, "withheld");
    assert!(survey_rows.iter().any(|(_, f, _)| f.ends_with(":csv")));
}

async fn ten_answers_give_no_results(app: TestApp) {
    let Setup {
        partner: lena,
        survey,
        ..
    } = approved_survey(&app).await;
    for i in 0..10 {
        let session = member(&app, &format!("member_{i:02}"), true).await;
        let response = answer(&app, &session, &survey, answers(0)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    close(&app, &survey).await;
    for format in ["json", "csv"] {
        let body = assert_error(
            app.get(
                &format!("/api/v1/partner/surveys/{survey}/results?format={format}"),
                Some(&lena),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "too_few_respondents",
        )
        .await;
        assert!(!body.to_string().contains("10"), "{body}");
    }
    // Her pages in Spanish: the status word, the method and the refusal are Spanish.
    let spanish = |path: String| {
        app.client
            .get(app.url(&path))
            .header("cookie", format!("kindred_access={}", lena.access_token))
            .header("accept-language", "es")
            .send()
    };
    let list = spanish("/partner/surveys".into()).await.expect("page");
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await.expect("html");
    assert!(html.contains("<strong>aprobada</strong>"), "{html}");
    assert!(!html.contains("<strong>approved</strong>"), "{html}");
    let results = spanish(format!("/partner/surveys/{survey}"))
        .await
        .expect("page");
    assert_eq!(results.status(), StatusCode::BAD_REQUEST);
    let html = results.text().await.expect("html");
    assert!(
        html.contains("Los resultados solo aparecen cuando la encuesta se ha cerrado"),
        "{html}"
    );
    assert!(html.contains("Menos de 11 miembros respondieron"), "{html}");
    assert!(
        !html.contains("Results appear only") && !html.contains("fewer than 11"),
        "{html}"
    );
    // Another partner, or a member, cannot even see the survey.
    let member = app.register("curious").await;
    let response = app
        .request(
            Method::GET,
            &format!("/api/v1/partner/surveys/{survey}/results"),
            Some(&member),
        )
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn members_withdraw_before_close_and_erasure_removes_answers(app: TestApp) {
    let Setup { admin, survey, .. } = approved_survey(&app).await;
    let ana = member(&app, "ana_patient", true).await;
    let response = answer(&app, &ana, &survey, answers(0)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Her export holds her answers while they are still hers.
    let export = app.get_json("/api/v1/me/export", Some(&ana)).await;
    assert_eq!(
        export["survey_answers"][0]["survey_id"],
        survey.as_str(),
        "{export}"
    );
    assert_eq!(
        export["survey_answers"][0]["answers"][3]["text"],
        "The waiting room is cold."
    );

    let withdrawn = app
        .post(
            &format!("/api/v1/surveys/{survey}/withdraw"),
            Some(&ana),
            json!({}),
        )
        .await;
    assert_eq!(withdrawn.status(), StatusCode::NO_CONTENT);
    assert_eq!(own_answers(&app, &ana).await, 0);
    assert_eq!(
        app.get_json("/api/v1/surveys", Some(&ana)).await[0]["state"],
        "withdrawn"
    );
    // Nothing left to withdraw.
    let again = app
        .post(
            &format!("/api/v1/surveys/{survey}/withdraw"),
            Some(&ana),
            json!({}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);

    // She answers again, then erases her account: the answers go with her.
    let response = answer(&app, &ana, &survey, answers(1)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(own_answers(&app, &ana).await, 1);
    let erased = app
        .request(Method::DELETE, "/api/v1/me", Some(&ana))
        .json(&json!({"password": PASSWORD, "posts": "delete"}))
        .send()
        .await
        .expect("send");
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);
    let store = app.store.clone();
    let survey_id: i64 = survey.parse().expect("id");
    let left = tokio::task::spawn_blocking(move || {
        store.read(|conn| kindred_server::store::surveys::response_count(conn, survey_id))
    })
    .await
    .expect("join")
    .expect("count");
    assert_eq!(left, 0);

    // A decided survey cannot be decided again.
    let twice = app
        .post(
            &format!("/api/v1/admin/surveys/{survey}/reject"),
            Some(&admin),
            json!({"reason": "Changed my mind."}),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
}

/// The notifications `who` sees: (the survey ids waiting for them, the unread count,
/// the header's unread count).
async fn survey_notices(app: &TestApp, who: &Session) -> (Vec<String>, i64, i64) {
    let list = app.get_json("/api/v1/notifications", Some(who)).await;
    let surveys = list["surveys"]
        .as_array()
        .expect("surveys")
        .iter()
        .map(|s| s["survey_id"].as_str().expect("survey id").to_owned())
        .collect();
    let header = app
        .get_json("/api/v1/notifications/unread-count", Some(who))
        .await["unread_count"]
        .as_i64()
        .expect("count");
    (
        surveys,
        list["unread_count"].as_i64().expect("count"),
        header,
    )
}

async fn an_open_survey_is_a_notification_until_answered_or_dismissed(app: TestApp) {
    let Setup { survey, .. } = approved_survey(&app).await;
    let ana = member(&app, "ana_patient", true).await;
    let ben = member(&app, "ben_patient", true).await;
    let not_opted_in = member(&app, "cleo_patient", false).await;
    for who in [&ana, &ben] {
        assert_eq!(
            survey_notices(&app, who).await,
            (vec![survey.clone()], 1, 1)
        );
    }
    let list = app.get_json("/api/v1/notifications", Some(&ana)).await;
    assert_eq!(
        list["surveys"][0]["title"], "Living with scan anxiety",
        "{list}"
    );
    assert_eq!(list["surveys"][0]["community"], "lung", "{list}");
    assert_eq!(survey_notices(&app, &not_opted_in).await, (vec![], 0, 0));

    // Marking everything read leaves the invitation: only answering or dismissing clears it.
    let marked = expect_json(
        app.post(
            "/api/v1/notifications/read",
            Some(&ana),
            json!({"all": true}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(marked["unread_count"], 1, "{marked}");
    let dismissed = app
        .post(
            &format!("/api/v1/surveys/{survey}/dismiss"),
            Some(&ana),
            json!({}),
        )
        .await;
    assert_eq!(dismissed.status(), StatusCode::NO_CONTENT);
    assert_eq!(survey_notices(&app, &ana).await, (vec![], 0, 0));
    let answered = answer(&app, &ben, &survey, answers(0)).await;
    assert_eq!(answered.status(), StatusCode::NO_CONTENT);
    assert_eq!(survey_notices(&app, &ben).await, (vec![], 0, 0));

    // Never a post: the community holds no thread about it.
    let threads = app
        .get_json("/api/v1/communities/lung/threads", Some(&ana))
        .await;
    assert_eq!(
        threads["items"].as_array().map(Vec::len),
        Some(0),
        "{threads}"
    );

    // Once the survey closes nobody is invited any more.
    let dana = member(&app, "dana_patient", true).await;
    assert_eq!(survey_notices(&app, &dana).await.1, 1);
    close(&app, &survey).await;
    assert_eq!(survey_notices(&app, &dana).await, (vec![], 0, 0));
}

/// How many answers to `survey` still name a member, and how many there are.
async fn linked_answers(app: &TestApp, survey: &str, members: &[&Session]) -> (usize, i64) {
    let store = app.store.clone();
    let survey: i64 = survey.parse().expect("survey id");
    let ids: Vec<i64> = members
        .iter()
        .map(|m| m.user_id.parse().expect("user id"))
        .collect();
    tokio::task::spawn_blocking(move || {
        store.read(|conn| {
            let mut linked = 0;
            for id in &ids {
                // From the beginning of time: every answer of theirs still naming them.
                linked += kindred_server::store::surveys::answers_of(conn, *id, 0)?
                    .iter()
                    .filter(|(s, _, _)| *s == survey)
                    .count();
            }
            let total = kindred_server::store::surveys::response_count(conn, survey)?;
            Ok((linked, total))
        })
    })
    .await
    .expect("join")
    .expect("count")
}

/// Runs the closing job once, as the server does every minute.
async fn run_closing_job(app: &TestApp) -> usize {
    app.run_job_now(kindred_server::service::surveys::closing::detach_closed)
        .await
}

async fn the_closing_job_detaches_answers_from_members(app: TestApp) {
    let Setup { survey, .. } = approved_survey(&app).await;
    let mut members = Vec::new();
    for i in 0..3 {
        let session = member(&app, &format!("member_{i:02}"), true).await;
        let response = answer(&app, &session, &survey, answers(i % 3)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        members.push(session);
    }
    let all: Vec<&Session> = members.iter().collect();
    // Open: the answers stay tied to their authors, who may still withdraw them.
    assert_eq!(run_closing_job(&app).await, 0);
    assert_eq!(linked_answers(&app, &survey, &all).await, (3, 3));

    close(&app, &survey).await;
    assert_eq!(run_closing_job(&app).await, 1);
    assert_eq!(linked_answers(&app, &survey, &all).await, (0, 3));
    assert_eq!(run_closing_job(&app).await, 0, "a survey is detached once");
    assert_eq!(own_answers(&app, &members[0]).await, 0);
}

async fn the_draft_page_limits_the_audience_without_javascript(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let lena = partner(&app, &admin, "lena_research", "lung").await;
    let browser = crate::pages::Browser::new(&app);
    browser.sign_in("lena_research").await;
    let form = browser.page("/partner/surveys", StatusCode::OK).await;
    for field in [
        r#"name="audience_role""#,
        r#"<option value="caregiver">"#,
        r#"name="audience_condition""#,
    ] {
        assert!(form.contains(field), "{field} in {form}");
    }
    let (today, later) = (in_seconds(0), in_seconds(30 * 86_400));
    let fields = |role: &'static str| {
        vec![
            ("community", "lung".to_owned()),
            ("title", "Caring through scan weeks".to_owned()),
            ("opens_on", today[..10].to_owned()),
            ("closes_on", later[..10].to_owned()),
            ("audience_role", role.to_owned()),
            ("audience_condition", "lung-cancer".to_owned()),
            ("q0_kind", "scale".to_owned()),
            ("q0_text", "How tired are you after a scan week?".to_owned()),
            ("q0_options", String::new()),
        ]
    };
    let refused = fields("astronaut");
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = browser
        .submit("/partner/surveys", "/partner/surveys", &refused)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let good = fields("caregiver");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let to = browser
        .submit_ok("/partner/surveys", "/partner/surveys", &good)
        .await;
    assert_eq!(to, "/partner/surveys?notice=drafted");
    let mine = app.get_json("/api/v1/partner/surveys", Some(&lena)).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(mine[0]["audience_role"], "caregiver", "{mine}");
    assert_eq!(mine[0]["audience_condition"], "lung-cancer", "{mine}");
    let survey = mine[0]["id"].as_str().expect("id").to_owned();
    let approved = app
        .post(
            &format!("/api/v1/admin/surveys/{survey}/approve"),
            Some(&admin),
            json!({"reason": "Clear, kind questions; no promotion."}),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::OK);

    // Only opted-in caregivers with the condition on their profile are invited.
    let mut invited = Vec::new();
    for (name, role, conditions) in [
        ("carer_lung", "caregiver", ["lung-cancer"]),
        ("carer_other", "caregiver", ["breast-cancer"]),
        ("patient_lung", "patient", ["lung-cancer"]),
    ] {
        let session = member(&app, name, true).await;
        let response = app
            .patch(
                "/api/v1/me/profile",
                Some(&session),
                json!({"role": role, "conditions": conditions}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let offered = app.get_json("/api/v1/surveys", Some(&session)).await;
        invited.push((name, offered.as_array().map_or(0, Vec::len)));
    }
    assert_eq!(
        invited,
        vec![("carer_lung", 1), ("carer_other", 0), ("patient_lung", 0)]
    );
}

both_backends!(
    partner_drafts_admin_approves_members_answer_and_results_are_suppressed,
    ten_answers_give_no_results,
    members_withdraw_before_close_and_erasure_removes_answers,
    an_open_survey_is_a_notification_until_answered_or_dismissed,
    the_closing_job_detaches_answers_from_members,
    the_draft_page_limits_the_audience_without_javascript,
);
