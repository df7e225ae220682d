//! The member's own pages in Spanish (issue 21): profile settings, notification mail,
//! messages and notifications answer `Accept-Language: es` with Spanish words and
//! `<html lang="es">`, and the same pages stay English for an English browser.

use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::{TestApp, PASSWORD};
use crate::pages::Browser;

async fn a_members_own_pages_follow_accept_language(app: TestApp) {
    app.register("sofia_es").await;
    let browser = Browser::speaking(&app, "es-MX,es;q=0.9,en;q=0.5");
    browser.sign_in("sofia_es").await;

    let settings = browser.page("/me", StatusCode::OK).await;
    assert!(settings.contains(r#"<html lang="es""#), "{settings}");
    assert!(settings.contains("<h1>Tu perfil</h1>"), "{settings}");
    assert!(settings.contains("Has iniciado sesión como"));
    assert!(settings.contains("Vivo con cáncer") && settings.contains("Guardar perfil"));
    assert!(!settings.contains("Save profile") && !settings.contains("I live with cancer"));

    let mail = browser.page("/me/mail", StatusCode::OK).await;
    assert!(mail.contains(r#"<html lang="es""#));
    assert!(mail.contains("<h1>Correo de notificaciones</h1>"), "{mail}");
    assert!(mail.contains("En un resumen diario") && mail.contains("Respuestas a mis temas"));
    assert!(!mail.contains("In a daily digest"));

    let messages = browser.page("/messages", StatusCode::OK).await;
    assert!(messages.contains("Empezar una conversación"), "{messages}");
    assert!(messages.contains("Todavía no tienes conversaciones."));

    let notifications = browser.page("/notifications", StatusCode::OK).await;
    assert!(
        notifications.contains("te mencione con @sofia_es"),
        "{notifications}"
    );

    // The same pages for an English browser keep their English words.
    app.register("sophie_en").await;
    let english = Browser::speaking(&app, "en-GB,en;q=0.9");
    english.sign_in("sophie_en").await;
    let settings = english.page("/me", StatusCode::OK).await;
    assert!(settings.contains(r#"<html lang="en""#));
    assert!(settings.contains("Save profile") && settings.contains("I live with cancer"));
    let mail = english.page("/me/mail", StatusCode::OK).await;
    assert!(mail.contains("In a daily digest") && !mail.contains("En un resumen diario"));
}

/// Form problems on pages come from the catalogue: a Spanish visitor reads Spanish ones
/// (a taken username, a bad field, wrong credentials), an English one the English words.
async fn form_problems_follow_the_readers_language(app: TestApp) {
    app.register("lucia_taken").await;
    let spanish = Browser::speaking(&app, "es");
    let taken = spanish
        .submit(
            "/register",
            "/register",
            &[("username", "lucia_taken"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::BAD_REQUEST);
    let html = taken.text().await.expect("body");
    assert!(
        html.contains("Ese nombre de usuario ya está en uso."),
        "{html}"
    );
    assert!(!html.contains("That username is taken"), "{html}");

    let invalid = spanish
        .submit(
            "/register",
            "/register",
            &[("username", "x"), ("password", "short")],
        )
        .await;
    let html = invalid.text().await.expect("body");
    assert!(
        html.contains("El nombre de usuario tiene de 3 a 32 caracteres"),
        "{html}"
    );
    assert!(
        html.contains("La contraseña tiene de 10 a 256 caracteres"),
        "{html}"
    );
    assert!(!html.contains("must be"), "{html}");

    let wrong = spanish
        .submit(
            "/login",
            "/login",
            &[
                ("username", "lucia_taken"),
                ("password", "not the password"),
            ],
        )
        .await;
    let html = wrong.text().await.expect("body");
    assert!(
        html.contains("El nombre de usuario y la contraseña no coinciden."),
        "{html}"
    );
    assert!(!html.contains("do not match"), "{html}");

    let english = Browser::speaking(&app, "en");
    let taken = english
        .submit(
            "/register",
            "/register",
            &[("username", "lucia_taken"), ("password", PASSWORD)],
        )
        .await;
    let html = taken.text().await.expect("body");
    assert!(
        html.contains("That username is taken. Please choose another."),
        "{html}"
    );
    let invalid = english
        .submit(
            "/register",
            "/register",
            &[("username", "x"), ("password", PASSWORD)],
        )
        .await;
    let html = invalid.text().await.expect("body");
    assert!(
        html.contains("Username must be 3 to 32 characters"),
        "{html}"
    );
}

/// The administration pages' choices, the screening policy's explanation and the site's
/// counts (plurals) are Spanish for a Spanish admin.
async fn admin_choices_policy_and_counts_in_spanish(app: TestApp) {
    let admin = app.admin("admin_es").await;
    app.community(&admin, "pulmon", "public", "open").await;
    let browser = Browser::speaking(&app, "es");
    browser.sign_in("admin_es").await;
    let overview = browser.page("/admin", StatusCode::OK).await;
    assert!(
        overview.contains("Pública: cualquiera puede leerla"),
        "{overview}"
    );
    assert!(overview.contains("Un moderador aprueba cada solicitud"));
    assert!(overview.contains("Fuera del directorio"));
    assert!(
        overview.contains("1 miembro ·") || overview.contains("miembros ·"),
        "{overview}"
    );
    assert!(
        overview.contains("elementos pendientes en la cola"),
        "{overview}"
    );
    for english in [
        "Public: anyone can read",
        "Open: anyone may join",
        "open queue items",
        "Condition community",
    ] {
        assert!(!overview.contains(english), "{english}: {overview}");
    }
    let edit = browser.page("/admin/c/pulmon", StatusCode::OK).await;
    assert!(
        edit.contains("La política da puntuaciones para cada etiqueta"),
        "{edit}"
    );
    assert!(edit.contains("Privada: solo la leen sus miembros"));
    assert!(!edit.contains("For each label") && !edit.contains("Private: only members"));

    let english = Browser::speaking(&app, "en");
    english.sign_in("admin_es").await;
    let overview = english.page("/admin", StatusCode::OK).await;
    assert!(overview.contains("Public: anyone can read") && overview.contains("open queue items"));
}

/// The words the page's script writes (a live held reply's "Awaiting review.", counts,
/// previews) come from the catalogue: a Spanish page loads the Spanish words script.
async fn the_scripts_words_follow_the_page(app: TestApp) {
    let words_of = |html: &str| {
        let at = html.find("/static/words-").expect("words script");
        html[at..].split('"').next().expect("path").to_owned()
    };
    let spanish = Browser::speaking(&app, "es")
        .page("/", StatusCode::OK)
        .await;
    let english = Browser::speaking(&app, "en")
        .page("/", StatusCode::OK)
        .await;
    let (es, en) = (words_of(&spanish), words_of(&english));
    assert!(es.starts_with("/static/words-es.") && en.starts_with("/static/words-en."));
    // The words script loads before app.js, which reads it.
    assert!(spanish.find(&es) < spanish.find(r#"src="/static/app."#));
    let fetch = |path: String| {
        let client = reqwest::Client::new();
        let url = format!("{}{path}", app.address);
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("body")
        }
    };
    let es_words = fetch(es).await;
    assert!(
        es_words.contains(r#""js-awaiting-review": "Pendiente de revisión.""#),
        "{es_words}"
    );
    assert!(es_words.contains("Tu respuesta está esperando la revisión de un moderador."));
    assert!(!es_words.contains("Awaiting review") && !es_words.contains("minutes ago"));
    let en_words = fetch(en).await;
    assert!(
        en_words.contains(r#""js-awaiting-review": "Awaiting review.""#),
        "{en_words}"
    );
    // app.js itself holds none of these words.
    let script_path = {
        let at = spanish.find(r#"src="/static/app."#).expect("app.js") + 5;
        spanish[at..].split('"').next().expect("path").to_owned()
    };
    let script = fetch(script_path).await;
    for english in [
        "Awaiting review",
        "a former member",
        "Your reply is posted",
        "open items",
    ] {
        assert!(!script.contains(english), "{english} in app.js");
    }
}

both_backends!(
    the_scripts_words_follow_the_page,
    a_members_own_pages_follow_accept_language,
    form_problems_follow_the_readers_language,
    admin_choices_policy_and_counts_in_spanish,
);
