//! A translated interface (issue 21): the language comes from the member's setting, else
//! the language cookie the footer's switch sets, else `Accept-Language`; API error
//! messages follow it with the same codes; communities have a language the directory
//! filters by.

use reqwest::header::{ACCEPT_LANGUAGE, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_json, Fixture, TestApp};
use crate::pages::Browser;

async fn api_errors_follow_accept_language(app: TestApp) {
    let spanish = app
        .request(Method::GET, "/api/v1/communities/no-such-place", None)
        .header(ACCEPT_LANGUAGE, "es-MX,es;q=0.9,en;q=0.8")
        .send()
        .await
        .expect("GET");
    assert_eq!(
        spanish
            .headers()
            .get("content-language")
            .and_then(|v| v.to_str().ok()),
        Some("es")
    );
    let body = assert_error(spanish, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(body["error"]["message"], "no encontrado");

    // English (or a language Kindred does not speak) keeps the server's own message.
    let english = app
        .request(Method::GET, "/api/v1/communities/no-such-place", None)
        .header(ACCEPT_LANGUAGE, "fr, en;q=0.5")
        .send()
        .await
        .expect("GET");
    let body = assert_error(english, StatusCode::NOT_FOUND, "not_found").await;
    assert_ne!(body["error"]["message"], "no encontrado");

    // A refused field names the field in Spanish; the code is the same.
    let session = app.register("lucia_es").await;
    let refused = app
        .request(Method::PUT, "/api/v1/me/language", Some(&session))
        .header(ACCEPT_LANGUAGE, "es")
        .json(&json!({ "language": "klingon" }))
        .send()
        .await
        .expect("PUT");
    let body = assert_error(refused, StatusCode::BAD_REQUEST, "invalid_language").await;
    assert_eq!(body["error"]["message"], "el campo «language» no es válido");
}

async fn a_member_who_chose_spanish_reads_spanish_pages(app: TestApp) {
    let session = app.register("mariana_t").await;
    let mine = app.get_json("/api/v1/me/language", Some(&session)).await;
    assert_eq!(mine["language"], Value::Null);
    assert_eq!(mine["default"], "en");
    let saved = expect_json(
        app.request(Method::PUT, "/api/v1/me/language", Some(&session))
            .json(&json!({ "language": "es-MX" }))
            .send()
            .await
            .expect("PUT"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["language"], "es");

    let browser = Browser::new(&app);
    browser.sign_in("mariana_t").await;
    // Her setting chooses, though her browser asks for no language.
    let home = browser.page("/", StatusCode::OK).await;
    assert!(home.contains(r#"<html lang="es""#), "{home}");
    assert!(home.contains("Cerrar sesión") && home.contains("Tu perfil"));
    assert!(home.contains("Hola de nuevo, mariana_t"));
    assert!(!home.contains("Sign out"));
}

async fn a_visitor_switches_to_spanish_in_the_footer(app: TestApp) {
    let browser = Browser::new(&app);
    let before = browser.page("/communities", StatusCode::OK).await;
    assert!(before.contains(r#"<html lang="en""#));
    assert!(before.contains("Language") && before.contains(">Español<"));

    let response = browser
        .submit("/communities", "/language", &[("language", "es")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Without a `Referer` from this site the switch goes home.
    let back = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok());
    assert_eq!(back, Some("/"));

    let after = browser.page("/communities", StatusCode::OK).await;
    assert!(after.contains(r#"<html lang="es""#), "{after}");
    assert!(after.contains("<h1>Comunidades</h1>") && after.contains("Iniciar sesión"));

    // Refused: a language Kindred does not speak.
    let refused = browser
        .submit("/communities", "/language", &[("language", "xx")])
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

async fn accept_language_chooses_for_a_visitor(app: TestApp) {
    let page = app
        .client
        .get(app.url("/login"))
        .header(ACCEPT_LANGUAGE, "de;q=0.9, es-AR;q=0.8, en;q=0.1")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains(r#"<html lang="es""#));
    assert!(page.contains("Nombre de usuario") && page.contains("Contraseña"));
}

async fn the_directory_filters_by_language(app: TestApp) {
    let admin = app.admin("admin_lang").await;
    let created = expect_json(
        app.post(
            "/api/v1/communities",
            Some(&admin),
            json!({
                "slug": "mama-es", "name": "Cáncer de mama — en español",
                "kind": "condition", "condition_tags": ["breast-cancer"],
                "visibility": "public", "join_policy": "open", "language": "es"
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["language"], "es");
    app.community(&admin, "lung-en", "public", "open").await;
    let listed = app.get_json("/api/v1/communities", None).await;
    let english = listed["items"]
        .as_array()
        .and_then(|items| items.iter().find(|c| c["slug"] == "lung-en"))
        .expect("lung-en listed");
    assert_eq!(english["language"], "en");
    assert_error(
        app.post(
            "/api/v1/communities",
            Some(&admin),
            json!({
                "slug": "bad-lang", "name": "Bad", "kind": "general",
                "visibility": "public", "join_policy": "open", "language": "xx"
            }),
        )
        .await,
        StatusCode::BAD_REQUEST,
        "invalid_language",
    )
    .await;

    let browser = Browser::new(&app);
    let spanish = browser
        .page("/communities?language=es", StatusCode::OK)
        .await;
    assert!(spanish.contains("Cáncer de mama — en español"));
    assert!(!spanish.contains("Community lung-en"));
    let all = browser.page("/communities", StatusCode::OK).await;
    assert!(all.contains("Cáncer de mama — en español") && all.contains("Community lung-en"));

    // An admin can change it; the English community then shows under Spanish too.
    let patched = expect_json(
        app.patch(
            "/api/v1/communities/lung-en",
            Some(&admin),
            json!({ "language": "es" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(patched["language"], "es");
    let spanish = browser
        .page("/communities?language=es", StatusCode::OK)
        .await;
    assert!(spanish.contains("Community lung-en"));
}

/// The same request with and without Spanish: the code stays, the message follows the
/// language (a signed-in member's setting first), and a held post's note is in the
/// language of the post.
async fn api_errors_and_held_notes_in_the_members_language(app: TestApp) {
    let w = Fixture::new(&app)
        .community("mama-es", "public", "open")
        .moderator("mod_es")
        .members(["carmen_es", "ruth_en"])
        .thread(
            "Primer ciclo",
            "¿Cómo les fue con el primer ciclo de quimio?",
        )
        .build()
        .await;
    let (carmen, ruth) = (w.member("carmen_es"), w.member("ruth_en"));
    expect_json(
        app.request(Method::PUT, "/api/v1/me/language", Some(carmen))
            .json(&json!({ "language": "es" }))
            .send()
            .await
            .expect("PUT"),
        StatusCode::OK,
    )
    .await;

    // Carmen's setting answers in Spanish though her client asks for no language; the
    // same request from Ruth (no setting) is English, and Spanish with `Accept-Language`.
    let hers = assert_error(
        app.get("/api/v1/communities/no-such-place", Some(carmen))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(hers["error"]["message"], "no encontrado");
    let english = assert_error(
        app.get("/api/v1/communities/no-such-place", Some(ruth))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(english["error"]["message"], "not found");

    // Validation: an empty reply, the same code in both languages.
    let path = format!("/api/v1/threads/{}/posts", w.thread_id());
    let refused = |lang: Option<&'static str>| {
        let mut request = app
            .request(Method::POST, &path, Some(ruth))
            .json(&json!({ "body": "" }));
        if let Some(lang) = lang {
            request = request.header(ACCEPT_LANGUAGE, lang);
        }
        request.send()
    };
    let english = expect_json(refused(None).await.expect("POST"), StatusCode::BAD_REQUEST).await;
    let spanish = expect_json(
        refused(Some("es")).await.expect("POST"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(spanish["error"]["code"], english["error"]["code"]);
    let message = spanish["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("el campo «"), "{spanish}");
    assert_ne!(spanish["error"]["message"], english["error"]["message"]);

    // A Spanish post held for a phone number: the note is Spanish; an English one English.
    let held = app
        .reply(
            carmen,
            w.thread_id(),
            "Si alguna quiere hablar de la quimio, escríbeme al +34 612 345 678 cuando quieras.",
        )
        .await;
    assert_eq!(held["status"], "held", "{held}");
    let note = held["moderation_note"].as_str().unwrap_or_default();
    assert!(
        note.contains("Tu mensaje incluye un número de teléfono"),
        "{note}"
    );
    assert!(note.contains("equipo de moderación"), "{note}");
    let held = app
        .reply(
            ruth,
            w.thread_id(),
            "Happy to talk any evening, call me on 555-014-2288.",
        )
        .await;
    assert_eq!(held["status"], "held", "{held}");
    let note = held["moderation_note"].as_str().unwrap_or_default();
    assert!(note.contains("Your post includes a phone number"), "{note}");
}

/// The slugs of a directory answer.
fn slugs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["slug"].as_str().map(str::to_owned))
        .collect()
}

async fn the_api_directory_filters_by_language_and_the_admin_forms_set_it(app: TestApp) {
    let admin = app.admin("admin_dir").await;
    expect_json(
        app.post(
            "/api/v1/communities",
            Some(&admin),
            json!({
                "slug": "mama-es", "name": "Cáncer de mama — en español", "kind": "general",
                "visibility": "public", "join_policy": "open", "language": "es"
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    app.community(&admin, "lung-en", "public", "open").await;

    let spanish = app.get_json("/api/v1/communities?language=es", None).await;
    assert_eq!(slugs(&spanish), ["mama-es"], "{spanish}");
    let regional = app
        .get_json("/api/v1/communities?language=es-MX&limit=5", None)
        .await;
    assert_eq!(slugs(&regional), ["mama-es"], "{regional}");
    let english = slugs(&app.get_json("/api/v1/communities?language=en", None).await);
    assert!(english.contains(&"lung-en".to_owned()) && !english.contains(&"mama-es".to_owned()));
    let everything = slugs(&app.get_json("/api/v1/communities", None).await);
    assert!(
        everything.contains(&"lung-en".to_owned()) && everything.contains(&"mama-es".to_owned())
    );
    assert_error(
        app.get("/api/v1/communities?language=xx", None).await,
        StatusCode::BAD_REQUEST,
        "invalid_language",
    )
    .await;

    // The admin's forms: create in Spanish, then move it to English on the edit page.
    let browser = Browser::new(&app);
    browser.sign_in("admin_dir").await;
    let form = browser.page("/admin", StatusCode::OK).await;
    assert!(
        form.contains(r#"name="language""#) && form.contains(">Español<"),
        "{form}"
    );
    let to = browser
        .submit_ok(
            "/admin",
            "/admin/communities",
            &[
                ("slug", "pulmon-es"),
                ("name", "Cáncer de pulmón — en español"),
                ("kind", "general"),
                ("visibility", "public"),
                ("join_policy", "open"),
                ("language", "es"),
            ],
        )
        .await;
    assert_eq!(to, "/c/pulmon-es");
    let created = app.get_json("/api/v1/communities/pulmon-es", None).await;
    assert_eq!(created["language"], "es", "{created}");
    let edit = browser.page("/admin/c/pulmon-es", StatusCode::OK).await;
    assert!(edit.contains(r#"<option value="es" selected>"#), "{edit}");

    let fields = |language: &'static str| {
        [
            ("name", "Cáncer de pulmón — en español"),
            ("kind", "general"),
            ("visibility", "public"),
            ("join_policy", "open"),
            ("language", language),
        ]
    };
    let refused = browser
        .submit("/admin/c/pulmon-es", "/admin/c/pulmon-es", &fields("xx"))
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.expect("body");
    assert!(html.contains("f-language-error"), "{html}");
    browser
        .submit_ok("/admin/c/pulmon-es", "/admin/c/pulmon-es", &fields("en"))
        .await;
    let edited = app.get_json("/api/v1/communities/pulmon-es", None).await;
    assert_eq!(edited["language"], "en", "{edited}");
}

both_backends!(
    api_errors_follow_accept_language,
    api_errors_and_held_notes_in_the_members_language,
    a_member_who_chose_spanish_reads_spanish_pages,
    a_visitor_switches_to_spanish_in_the_footer,
    accept_language_chooses_for_a_visitor,
    the_directory_filters_by_language,
    the_api_directory_filters_by_language_and_the_admin_forms_set_it,
);
