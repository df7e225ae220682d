//! Surveys in a real browser (Chromium, SQLite; see `browser.rs`): a member answers from
//! the banner on `/surveys`; after close the partner reads results with withheld counts
//! hatched; the admins' review and grants pages; axe-core finds nothing serious.

use fantoccini::Locator;
use reqwest::StatusCode;

use crate::browser::{assert_accessible, browser, browser_kit, check, sign_in, spawn_for_browser};
use crate::surveys::{answer, answers, approved_survey, close, member, Setup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_answers_from_the_banner_and_the_partner_reads_results() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let Setup { survey, .. } = approved_survey(&app).await;
    for i in 0..11 {
        let session = member(&app, &format!("member_{i:02}"), true).await;
        let response = answer(&app, &session, &survey, answers(0)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    member(&app, "ana_patient", true).await;
    let mut problems = Vec::new();

    let ana = browser(&driver).await;
    sign_in(&ana, &app, "ana_patient").await;
    ana.goto(&app.url("/surveys")).await.expect("surveys page");
    ana.find(Locator::Css("section.survey-banner"))
        .await
        .expect("the survey's banner");
    check(&ana, &axe, "surveys-banner", &mut problems).await;
    for id in [
        format!("s{survey}-q0-1"),
        format!("s{survey}-q1-4"),
        format!("s{survey}-q2-2"),
    ] {
        ana.find(Locator::Id(&id))
            .await
            .expect("a choice")
            .click()
            .await
            .expect("choose");
    }
    ana.find(Locator::Css(
        "section.survey-banner form button[type=submit]",
    ))
    .await
    .expect("send button")
    .click()
    .await
    .expect("send");
    let thanks = ana
        .wait()
        .for_element(Locator::Css("div.alert-ok"))
        .await
        .expect("notice")
        .text()
        .await
        .expect("text");
    assert!(thanks.contains("your answers are in"), "{thanks}");
    ana.find(Locator::Css("form[action$='/withdraw']"))
        .await
        .expect("the withdraw form");
    check(&ana, &axe, "surveys-answered", &mut problems).await;
    let _ = ana.close().await;

    close(&app, &survey).await;
    let lena = browser(&driver).await;
    sign_in(&lena, &app, "lena_research").await;
    lena.goto(&app.url("/partner/surveys"))
        .await
        .expect("partner surveys");
    check(&lena, &axe, "partner-surveys", &mut problems).await;
    lena.goto(&app.url(&format!("/partner/surveys/{survey}")))
        .await
        .expect("results page");
    let hatched = lena
        .find(Locator::Css("table td.withheld"))
        .await
        .expect("a withheld count")
        .text()
        .await
        .expect("text");
    assert!(hatched.contains("<11"), "{hatched}");
    let body = lena
        .find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text");
    assert!(body.contains("12 members answered"), "{body}");
    check(&lena, &axe, "partner-results", &mut problems).await;
    let _ = lena.close().await;

    let admin = browser(&driver).await;
    sign_in(&admin, &app, "site_admin").await;
    for (path, name) in [
        ("/admin/surveys", "admin-surveys"),
        ("/admin/partners", "admin-partners"),
    ] {
        admin.goto(&app.url(path)).await.expect("admin page");
        check(&admin, &axe, name, &mut problems).await;
    }
    let grants = admin
        .find(Locator::Css("main table"))
        .await
        .expect("grants table")
        .text()
        .await
        .expect("text");
    assert!(grants.contains("lena_research"), "{grants}");
    let _ = admin.close().await;
    assert_accessible(&problems);
}

/// The header's notifications link once it shows `count` unread, waited for: the page
/// script updates it live.
async fn wait_for_unread(client: &fantoccini::Client, count: usize) {
    client
        .wait()
        .at_most(std::time::Duration::from_secs(20))
        .for_element(Locator::Css(&format!(
            "header a[href='/notifications'][data-unread='{count}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("the header never showed {count} unread: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_shows_in_notifications_links_to_the_survey_and_arrives_live() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let Setup {
        survey,
        admin,
        partner,
    } = approved_survey(&app).await;
    member(&app, "ana_patient", true).await;
    let mut problems = Vec::new();

    let ana = browser(&driver).await;
    sign_in(&ana, &app, "ana_patient").await;
    ana.goto(&app.url("/notifications"))
        .await
        .expect("notifications page");
    let link = ana
        .find(Locator::Css(&format!(
            "section.survey-notices a[href='/surveys#survey-{survey}']"
        )))
        .await
        .expect("the invitation's link");
    assert_eq!(link.text().await.expect("text"), "Living with scan anxiety");
    wait_for_unread(&ana, 1).await;
    check(&ana, &axe, "notifications-survey", &mut problems).await;

    // Another survey opens while the page is open: the header's count follows live.
    ana.wait()
        .for_element(Locator::Css("html[data-live=connected]"))
        .await
        .expect("the page's websocket connects");
    let drafted = app
        .post(
            "/api/v1/partner/surveys",
            Some(&partner),
            crate::surveys::survey_body(),
        )
        .await;
    assert_eq!(drafted.status(), StatusCode::CREATED);
    let second: serde_json::Value = drafted.json().await.expect("json");
    let second = second["id"].as_str().expect("id");
    let approved = app
        .post(
            &format!("/api/v1/admin/surveys/{second}/approve"),
            Some(&admin),
            serde_json::json!({"reason": "Clear, kind questions; no promotion."}),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    wait_for_unread(&ana, 2).await;
    check(&ana, &axe, "notifications-survey-live", &mut problems).await;

    // The link leads to the survey's banner on /surveys.
    link.click().await.expect("follow the link");
    ana.wait()
        .for_element(Locator::Id(&format!("survey-{survey}")))
        .await
        .expect("the survey's banner");
    assert!(ana
        .current_url()
        .await
        .expect("url")
        .as_str()
        .ends_with(&format!("/surveys#survey-{survey}")));
    let _ = ana.close().await;
    assert_accessible(&problems);
}
