//! Screening in Spanish (issue 21): a Spanish post with a Spanish phone number is held, a
//! Spanish question about bicarbonate is not, and the post object carries the language
//! detected, on creation and after an edit.

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{expect_json, Fixture, TestApp};

const PHONE: &str = "Hola a todas, si alguna quiere hablar de la quimio, escríbeme al \
                     +34 612 345 678 cuando quieras.";
const QUESTION: &str = "¿Es verdad que el bicarbonato cura el cáncer? Mi tía me mandó un \
                        video y no sé qué pensar, me da mucho miedo.";
const ENGLISH: &str = "Finished round four of chemo today. Tired, but the nurses were lovely \
                       and my daughter brought soup.";

async fn spanish_posts_are_screened_and_their_language_recorded(app: TestApp) {
    let w = Fixture::new(&app)
        .community("cancer-de-mama", "public", "open")
        .moderator("mia_mod")
        .members(["lucia"])
        .thread(
            "Primer ciclo",
            "¿Cómo les fue con el primer ciclo de quimio?",
        )
        .build()
        .await;
    let lucia = w.member("lucia");
    let path = format!("/api/v1/threads/{}/posts", w.thread_id());

    let held = app.post(&path, Some(lucia), json!({ "body": PHONE })).await;
    let held = expect_json(held, StatusCode::CREATED).await;
    assert_eq!(held["post"]["status"], "held", "{held}");
    assert_eq!(held["post"]["language"], "es", "{held}");

    let asked = app
        .post(&path, Some(lucia), json!({ "body": QUESTION }))
        .await;
    let asked = expect_json(asked, StatusCode::CREATED).await;
    assert_eq!(asked["post"]["status"], "published", "{asked}");
    assert_eq!(asked["post"]["language"], "es", "{asked}");

    // Edited into English, the post's language follows.
    let post_id = asked["post"]["id"]
        .as_str()
        .map_or_else(|| asked["post"]["id"].to_string(), str::to_owned);
    let edited = app
        .patch(
            &format!("/api/v1/posts/{post_id}"),
            Some(lucia),
            json!({ "body": ENGLISH }),
        )
        .await;
    let edited = expect_json(edited, StatusCode::OK).await;
    assert_eq!(edited["post"]["language"], "en", "{edited}");

    // The thread as another reader sees it carries the language too.
    let thread = app
        .get_json(&format!("/api/v1/threads/{}", w.thread_id()), None)
        .await;
    let posts = thread["posts"].as_array().cloned().unwrap_or_default();
    assert!(posts.iter().any(|p| p["language"] == "en"), "{thread}");
}

both_backends!(spanish_posts_are_screened_and_their_language_recorded);
