//! A member's country for the crisis lines (issue 19): chosen among the countries with
//! resources, through the API and the `/me/country` page, and used for their panel
//! instead of the site's default (`US` in tests).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, Session, TestApp};
use crate::pages::Browser;

const HIGH: &str = "I've saved up my morphine for weeks and tonight is the night. \
                    Thank you all for being kind to me.";

async fn put_country(app: &TestApp, session: &Session, country: Value) -> reqwest::Response {
    app.request(Method::PUT, "/api/v1/me/country", Some(session))
        .json(&json!({ "country": country }))
        .send()
        .await
        .expect("PUT")
}

async fn the_members_country_chooses_the_crisis_lines(app: TestApp) {
    let w = Fixture::new(&app)
        .community("carers", "public", "open")
        .moderator("mia_mod")
        .members(["cara_carer", "gwen_uk"])
        .thread("Long nights", "Anyone else up at 3am?")
        .build()
        .await;
    let gwen = w.member("gwen_uk");

    let mine = app.get_json("/api/v1/me/country", Some(gwen)).await;
    assert_eq!(mine["country"], Value::Null);
    assert_eq!(mine["default"], "US");
    assert!(mine["choices"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| c["code"] == "GB")));

    // Refused: a country without resources, or not a string; nothing changes.
    assert_error(
        put_country(&app, gwen, json!("FR")).await,
        StatusCode::BAD_REQUEST,
        "invalid_country",
    )
    .await;
    let bad = put_country(&app, gwen, json!(44)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get_json("/api/v1/me/country", Some(gwen)).await["country"],
        Value::Null
    );

    let saved = expect_json(put_country(&app, gwen, json!("gb")).await, StatusCode::OK).await;
    assert_eq!(saved["country"], "GB");

    // Her post at risk shows the UK's lines; another member still gets the default.
    let path = format!("/api/v1/threads/{}/posts", w.thread_id());
    let posted = expect_json(
        app.post(&path, Some(gwen), json!({ "body": HIGH })).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(posted["care"]["country"]["code"], "GB", "{posted}");
    let mine = app.get_json("/api/v1/me/care", Some(gwen)).await;
    assert_eq!(mine["panel"]["country"]["code"], "GB");
    let cara = w.member("cara_carer");
    let other = expect_json(
        app.post(&path, Some(cara), json!({ "body": HIGH })).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(other["care"]["country"]["code"], "US");

    // Back to the site's default.
    let reset = expect_json(put_country(&app, gwen, Value::Null).await, StatusCode::OK).await;
    assert_eq!(reset["country"], Value::Null);
    let mine = app.get_json("/api/v1/me/care", Some(gwen)).await;
    assert_eq!(mine["panel"]["country"]["code"], "US");
}

async fn the_country_page_saves_without_javascript(app: TestApp) {
    Fixture::new(&app)
        .community("carers", "public", "open")
        .members(["gwen_uk"])
        .build()
        .await;
    let gwen = Browser::new(&app);
    gwen.sign_in("gwen_uk").await;
    let page = gwen.page("/me/country", StatusCode::OK).await;
    assert!(
        page.contains("The site's default (United States)"),
        "{page}"
    );
    let to = gwen
        .submit_ok("/me/country", "/me/country", &[("country", "IE")])
        .await;
    assert_eq!(to, "/me/country?saved=1");
    let page = gwen.page(&to, StatusCode::OK).await;
    assert!(page.contains(r#"<option value="IE" selected>"#), "{page}");
    let refused = gwen
        .submit("/me/country", "/me/country", &[("country", "ZZ")])
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let profile = gwen.page("/me", StatusCode::OK).await;
    assert!(profile.contains(r#"href="/me/country""#));
}

both_backends!(
    the_members_country_chooses_the_crisis_lines,
    the_country_page_saves_without_javascript,
);
