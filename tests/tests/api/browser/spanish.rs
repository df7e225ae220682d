//! Journey in Spanish (issue 21): a visitor switches the footer's language to Español,
//! registers, joins the Spanish community, replies with a phone number and reads, in
//! Spanish, that the reply was held and why; then searches "quimio" and finds a Spanish
//! post about "quimioterapia". axe-core audits the Spanish pages.

use super::*;

/// The Spanish community, with a moderator's thread about chemotherapy. The thread's id.
async fn a_spanish_community_with_a_thread(app: &TestApp) -> String {
    let admin = app.admin("site_admin").await;
    let response = app
        .post(
            "/api/v1/communities",
            Some(&admin),
            json!({
                "slug": "cancer-de-mama-es", "name": "Cáncer de mama — en español",
                "description": "Para pacientes y familias que prefieren hablar en español",
                "rules": "1. Con respeto\n2. Nada de ventas", "kind": "condition",
                "condition_tags": ["breast-cancer"], "visibility": "public",
                "join_policy": "open", "language": "es"
            }),
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let rosa = app.register("moderadora_rosa").await;
    app.appoint_moderator(&admin, "cancer-de-mama-es", "moderadora_rosa")
        .await;
    let (thread, _) = app
        .thread(
            &rosa,
            "cancer-de-mama-es",
            "Primera semana de tratamiento",
            "Ayer empecé las quimioterapias y tengo muchas náuseas. ¿Qué os ayudó durante \
             los primeros ciclos?",
        )
        .await;
    thread
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_speaker_registers_joins_is_held_in_spanish_and_finds_quimio() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let thread = a_spanish_community_with_a_thread(&app).await;
    let mut problems = Vec::new();
    let client = browser(&driver).await;

    // The footer's switch: the directory comes back in Spanish.
    client
        .goto(&app.url("/communities"))
        .await
        .expect("directory");
    wait_for_text(&client, "main h1", "Communities").await;
    client
        .find(Locator::Css("#footer-language"))
        .await
        .expect("language switch")
        .select_by_value("es")
        .await
        .expect("choose Español");
    click(&client, "footer form.language-switch button[type=submit]").await;
    // The switch goes back to the page it was sent from when the browser says which
    // (this site sends no `Referer`, so here it is the home page), in Spanish either way.
    wait_for_text(&client, "footer", "Idioma").await;
    client
        .goto(&app.url("/communities"))
        .await
        .expect("directory");
    wait_for_text(&client, "main h1", "Comunidades").await;
    let lang = client
        .find(Locator::Css("html"))
        .await
        .expect("html")
        .attr("lang")
        .await
        .expect("lang");
    assert_eq!(lang.as_deref(), Some("es"));
    check(&client, &axe, "es-directory", &mut problems).await;

    // Registers on the Spanish form.
    client.goto(&app.url("/register")).await.expect("register");
    wait_for_text(&client, "main", "Nombre de usuario").await;
    fill(&client, "#f-username", "lucia_es").await;
    fill(&client, "#f-password", PASSWORD).await;
    fill(&client, "#f-display_name", "Lucía").await;
    check(&client, &axe, "es-register", &mut problems).await;
    press(&client, "Crear la cuenta").await;
    wait_for_text(&client, "header nav", "Cerrar sesión").await;

    // Joins the Spanish community.
    client
        .goto(&app.url("/c/cancer-de-mama-es"))
        .await
        .expect("community");
    wait_for_text(&client, "main h1", "Cáncer de mama — en español").await;
    press(&client, "Unirse a la comunidad").await;
    wait_for_text(&client, "main", "Salir de la comunidad").await;
    check(&client, &axe, "es-community-member", &mut problems).await;

    // A reply with a phone number is held, and she reads why in Spanish.
    client
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    fill(
        &client,
        "#f-body",
        "A mí me ayudó el jengibre. Si alguna quiere hablar, escríbeme al +34 612 345 678.",
    )
    .await;
    press(&client, "Publicar respuesta").await;
    let held = wait_for_text(
        &client,
        "#posts",
        "Tu mensaje incluye un número de teléfono",
    )
    .await;
    assert!(held.contains("equipo de moderación"), "{held}");
    // Without JavaScript's help, the page the server renders says the same.
    client.refresh().await.expect("reload");
    let page = wait_for_text(&client, "#posts", "Pendiente de revisión").await;
    assert!(
        page.contains("Tu mensaje incluye un número de teléfono"),
        "{page}"
    );
    check(&client, &axe, "es-thread-held", &mut problems).await;

    // "quimio" finds the post about "quimioterapias".
    client.goto(&app.url("/search")).await.expect("search");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        fill(&client, "#q", "quimio\u{E007}").await;
        client
            .wait()
            .for_element(Locator::Css("#q"))
            .await
            .expect("search page");
        if main_text(&client)
            .await
            .contains("Primera semana de tratamiento")
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "search for quimio never found the Spanish post"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    check(&client, &axe, "es-search-quimio", &mut problems).await;
    let _ = client.close().await;
    assert_accessible(&problems);
}
