//! The member's own pages in Spanish (issue 21): profile settings, notification mail,
//! messages and notifications answer `Accept-Language: es` with Spanish words and
//! `<html lang="es">`, and the same pages stay English for an English browser.

use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::TestApp;
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

both_backends!(a_members_own_pages_follow_accept_language);
