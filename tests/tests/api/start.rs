//! A place to start: registering lands on `/start`, which suggests communities from the
//! member's role and conditions or their own words (through the health synonyms), with
//! "ask to join" for a listed private group; the search box matches communities too.

use reqwest::header::LOCATION;
use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{expect_json, Session, TestApp};
use crate::pages::{csrf_token, Browser};

/// The demo's shape: brain tumours, caregivers, a listed private glioblastoma caregivers'
/// group, an unlisted private group and lung cancer.
pub(crate) async fn communities(app: &TestApp) -> Session {
    let admin = app.admin("site_admin").await;
    for (slug, name, kind, tags, visibility, join_policy, listed) in [
        (
            "brain-tumours",
            "Brain Tumours",
            "condition",
            vec!["brain-tumour", "glioblastoma"],
            "public",
            "open",
            false,
        ),
        (
            "cancer-caregivers",
            "Caregivers of People with Cancer",
            "caregiver",
            vec![],
            "public",
            "open",
            false,
        ),
        (
            "glioblastoma-caregivers",
            "Glioblastoma Caregivers",
            "caregiver",
            vec!["glioblastoma"],
            "private",
            "approval",
            true,
        ),
        (
            "gbm-secret",
            "Secret GBM Circle",
            "caregiver",
            vec!["glioblastoma"],
            "private",
            "approval",
            false,
        ),
        (
            "lung-cancer",
            "Lung Cancer",
            "condition",
            vec!["lung-cancer"],
            "public",
            "open",
            false,
        ),
    ] {
        let created = app
            .post(
                "/api/v1/communities",
                Some(&admin),
                json!({
                    "slug": slug, "name": name, "description": format!("About {name}"),
                    "kind": kind, "condition_tags": tags, "visibility": visibility,
                    "join_policy": join_policy, "listed": listed,
                }),
            )
            .await;
        assert_eq!(
            expect_json(created, StatusCode::CREATED).await["listed"],
            listed
        );
    }
    admin
}

async fn a_new_member_starts_here_and_asks_to_join_the_listed_group(app: TestApp) {
    communities(&app).await;

    // Registering lands on Start here.
    let browser = Browser::new(&app);
    let page = browser.page("/register", StatusCode::OK).await;
    let token = csrf_token(&page);
    let registered = browser
        .post(
            "/register",
            &[
                ("csrf_token", token.as_str()),
                ("username", "new_carer"),
                ("password", crate::helpers::PASSWORD),
                ("display_name", "Alex"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(registered.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        registered.headers().get(LOCATION).expect("Location"),
        "/start"
    );
    let start = browser.page("/start", StatusCode::OK).await;
    assert!(start.contains("Three house rules"), "{start}");
    assert!(start.contains("Introduce yourself"), "{start}");
    assert!(start.contains("not told us your role"), "{start}");

    // In their own words: a caregiver of someone with glioblastoma.
    let start = browser
        .page("/start?about=my+husband+has+glioblastoma", StatusCode::OK)
        .await;
    for name in [
        "Brain Tumours",
        "Caregivers of People with Cancer",
        "Glioblastoma Caregivers",
    ] {
        assert!(start.contains(name), "{name}: {start}");
    }
    assert!(!start.contains("Lung Cancer"), "{start}");
    assert!(!start.contains("Secret GBM Circle"), "{start}");
    assert!(
        start.contains(r#"action="/c/glioblastoma-caregivers/join""#),
        "{start}"
    );
    assert!(start.contains("Ask to join"), "{start}");
    assert!(
        start.contains(r#"href="/new?community=brain-tumours""#),
        "introduce yourself where it fits: {start}"
    );

    // Asking to join the listed private group is a request.
    let asked = browser
        .submit(
            "/start?about=glioblastoma",
            "/c/glioblastoma-caregivers/join",
            &[],
        )
        .await;
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let start = browser
        .page("/start?about=glioblastoma", StatusCode::OK)
        .await;
    assert!(start.contains("waiting for a moderator"), "{start}");

    // From the profile: the same suggestions without typing anything.
    let session =
        crate::helpers::session_from(app.login("new_carer", crate::helpers::PASSWORD).await).await;
    let saved = app
        .patch(
            "/api/v1/me/profile",
            Some(&session),
            json!({"role": "caregiver", "conditions": ["glioblastoma"]}),
        )
        .await;
    expect_json(saved, StatusCode::OK).await;
    let start = browser.page("/start", StatusCode::OK).await;
    assert!(start.contains("I care for someone"), "{start}");
    assert!(start.contains("Brain Tumours"), "{start}");
    assert!(
        start.contains("Caregivers of People with Cancer"),
        "{start}"
    );

    // Too long a sentence is refused, not cut.
    let long = "a".repeat(501);
    browser
        .page(&format!("/start?about={long}"), StatusCode::BAD_REQUEST)
        .await;
    // Visitors are asked to sign in.
    let visitor = Browser::new(&app);
    assert!(visitor.redirect("/start").await.starts_with("/login"));
}

async fn the_search_box_matches_communities_from_plain_sentences(app: TestApp) {
    communities(&app).await;
    let visitor = Browser::new(&app);
    let home = visitor.page("/", StatusCode::OK).await;
    assert!(home.contains(r#"action="/search""#), "{home}");
    let found = visitor
        .page("/search?q=my+husband+has+glioblastoma", StatusCode::OK)
        .await;
    assert!(found.contains("Communities that may fit"), "{found}");
    for name in [
        "Brain Tumours",
        "Caregivers of People with Cancer",
        "Glioblastoma Caregivers",
    ] {
        assert!(found.contains(name), "{name}: {found}");
    }
    assert!(!found.contains("Secret GBM Circle"), "{found}");
    assert!(!found.contains("Lung Cancer"), "{found}");
    // Abbreviations through the synonyms.
    let found = visitor.page("/search?q=GBM", StatusCode::OK).await;
    assert!(found.contains("Brain Tumours"), "{found}");
    let found = visitor
        .page("/search?q=my+wife+has+a+brain+tumor", StatusCode::OK)
        .await;
    assert!(found.contains("Brain Tumours"), "{found}");
}

both_backends!(
    a_new_member_starts_here_and_asks_to_join_the_listed_group,
    the_search_box_matches_communities_from_plain_sentences,
);
