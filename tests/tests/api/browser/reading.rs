//! Journey: a member reads a long thread to its second page, three more posts come, and
//! the community page says how many are new; "Jump to first unread" lands at that post on the second page,
//! whose times read in the member's own zone. axe-core audits the pages.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_count_and_jump_land_at_the_first_new_post_in_the_readers_zone() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung-cancer", "public", "open").await;
    let rae = app.register("reader_rae").await;
    let wes = app.register("writer_wes").await;
    app.join(&rae, "lung-cancer").await;
    // A moderator, whom the posting limits leave alone.
    app.appoint_moderator(&admin, "lung-cancer", "writer_wes")
        .await;
    let (thread, _) = app
        .thread(
            &wes,
            "lung-cancer",
            "Scan days",
            "How do you get through scan days?",
        )
        .await;
    let zone = app
        .patch(
            "/api/v1/me/mail-preferences",
            Some(&rae),
            json!({"time_zone": "America/New_York"}),
        )
        .await;
    assert!(zone.status().is_success());
    let mut problems = Vec::new();

    let client = browser(&driver).await;
    sign_in(&client, &app, "reader_rae").await;
    let mut ids = Vec::new();
    for i in 0..55 {
        if i == 52 {
            // Rae reads the second page, up to the 53rd post.
            client
                .goto(&app.url(&format!("/p/{}", ids[51])))
                .await
                .expect("permalink");
            wait_for_text(&client, "main", "Post 53 of 53").await;
        }
        let post = app
            .reply(&wes, &thread, &format!("Scan day note number {i}."))
            .await;
        ids.push(post["id"].as_str().expect("id").to_owned());
    }
    let first_new = ids[52].clone();

    client
        .goto(&app.url("/c/lung-cancer"))
        .await
        .expect("community");
    wait_for_text(&client, "main", "3 new since your last visit").await;
    check(&client, &axe, "reading-community-unread", &mut problems).await;
    client
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    wait_for_text(&client, "main", "Jump to first unread").await;
    check(&client, &axe, "reading-thread-unread", &mut problems).await;
    click(&client, "p.jump-unread a").await;
    wait_for_text(&client, "main", "Scan day note number 54.").await;
    let url = client.current_url().await.expect("url");
    assert_eq!(
        url.fragment(),
        Some(format!("p{first_new}").as_str()),
        "{url}"
    );
    let landed = client
        .find(Locator::Id(&format!("p{first_new}")))
        .await
        .expect("the first unread post")
        .text()
        .await
        .expect("text");
    assert!(landed.contains("Scan day note number 52."), "{landed}");
    assert!(landed.contains("Post 54 of 56"), "{landed}");
    // The post is on screen: the page scrolled to it (to within a pixel's fraction).
    let on_screen = client
        .execute(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect(); \
             return r.top > -1 && r.top < window.innerHeight;",
            vec![json!(format!("p{first_new}"))],
        )
        .await
        .expect("measure");
    assert_eq!(on_screen, json!(true));
    // Its time reads in words, with New York time on hover.
    let title = client
        .find(Locator::Css(&format!("#p{first_new} time")))
        .await
        .expect("time")
        .attr("title")
        .await
        .expect("title")
        .unwrap_or_default();
    assert!(
        title.ends_with(" EST") || title.ends_with(" EDT"),
        "{title}"
    );
    check(&client, &axe, "reading-thread-page-2", &mut problems).await;

    let _ = client.close().await;
    assert_accessible(&problems);
}
