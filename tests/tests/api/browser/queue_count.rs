//! Journey: a moderator's header shows the open-queue count rendered by the server and
//! follows it live over the websocket when a post is held; the community's removal
//! reasons page adds a reason; the queue offers it and removes with it, and the count
//! comes back down. axe-core audits the pages.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_count_follows_the_queue_live_and_canned_reasons_remove() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (_, thread, nora) = moderated_thread(
        &app,
        "Evenings",
        "Who is around in the evenings?",
        "new_nora",
    )
    .await;
    let mut problems = Vec::new();
    let moderator = browser(&driver).await;
    sign_in(&moderator, &app, "mod_maria").await;
    moderator
        .goto(&app.url("/c/lung-cancer"))
        .await
        .expect("community");
    wait_for_text(&moderator, "a[data-open-queue] .badge", "0").await;

    // Held while the moderator reads elsewhere: the header counts it without a reload.
    let held = app
        .reply(&nora, &thread, "Call me any evening on 555-014-2288.")
        .await;
    assert_eq!(held["status"], "held", "{held}");
    wait_for_text(&moderator, "a[data-open-queue] .badge", "1").await;
    // Without JavaScript the server renders the same count.
    let page = app
        .get("/c/lung-cancer", None)
        .await
        .text()
        .await
        .expect("page");
    assert!(
        !page.contains("data-open-queue"),
        "visitors have no queue link"
    );
    moderator.refresh().await.expect("reload");
    wait_for_text(&moderator, "a[data-open-queue] .badge", "1").await;

    moderator
        .goto(&app.url("/c/lung-cancer/removal-reasons"))
        .await
        .expect("reasons page");
    wait_for_text(&moderator, "main", "No reasons yet").await;
    fill(
        &moderator,
        "#f-text",
        "Please keep phone numbers out of posts, for your safety.",
    )
    .await;
    press(&moderator, "Add reason").await;
    let listed = wait_for_text(&moderator, "main", "Reason added").await;
    assert!(listed.contains("default"), "{listed}");
    check(&moderator, &axe, "removal-reasons", &mut problems).await;

    moderator.goto(&app.url("/mod/queue")).await.expect("queue");
    wait_for_text(&moderator, "main", "555-014-2288").await;
    check(&moderator, &axe, "queue-with-canned-reasons", &mut problems).await;
    press(&moderator, "Remove with this reason").await;
    wait_for_text(&moderator, "main", "Decision recorded").await;
    wait_for_text(&moderator, "a[data-open-queue] .badge", "0").await;
    moderator
        .goto(&app.url("/c/lung-cancer/modlog"))
        .await
        .expect("log");
    wait_for_text(&moderator, "main table", "phone numbers out of posts").await;

    let _ = moderator.close().await;
    assert_accessible(&problems);
}
