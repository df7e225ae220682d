//! Duty of care (issue 19) in a real browser (Chromium, SQLite; see `browser.rs`): a member
//! replies at risk from the thread page (the script posts through the API) and lands on the
//! crisis-lines panel, which she closes; the moderator, whose queue page is open, is told
//! live, sees the urgent item on top and records "I reached out". axe-core on both pages.

use fantoccini::Locator;

use crate::browser::{
    assert_accessible, browser, browser_kit, check, click, fill, moderated_thread, press, sign_in,
    spawn_for_browser, wait_for_text,
};

const HIGH: &str = "I've saved up my morphine for weeks and tonight is the night. \
                    Thank you all for being kind to me.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_at_risk_sees_the_panel_and_the_moderator_reaches_out() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (_, thread, _) =
        moderated_thread(&app, "Long nights", "Anyone else up at 3am?", "cara_carer").await;
    let mut problems = Vec::new();

    let moderator = browser(&driver).await;
    sign_in(&moderator, &app, "mod_maria").await;
    moderator.goto(&app.url("/mod/queue")).await.expect("queue");
    wait_for_text(&moderator, "main", "Nothing is waiting").await;

    let member = browser(&driver).await;
    sign_in(&member, &app, "cara_carer").await;
    member
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    fill(&member, "#f-body", HIGH).await;
    press(&member, "Post reply").await;
    let panel = wait_for_text(&member, "section.care-panel", "You are not alone").await;
    assert!(panel.contains("988"), "the US crisis line: {panel}");
    member
        .find(Locator::Css("section.care-panel a[href^='tel:']"))
        .await
        .expect("a tel: link");
    check(&member, &axe, "care-panel", &mut problems).await;
    press(&member, "Close this for now").await;
    let shown = wait_for_text(&member, "main", "morphine").await;
    assert!(shown.contains("Long nights"), "back on the thread: {shown}");

    // The open queue is told live; "show" brings the urgent item, on top.
    wait_for_text(&moderator, "#queue-live", "1 new item").await;
    click(&moderator, "#queue-live a").await;
    let item = wait_for_text(&moderator, ".wellbeing-item", "Urgent").await;
    assert!(item.contains("morphine"), "{item}");
    check(&moderator, &axe, "care-queue", &mut problems).await;
    press(&moderator, "I reached out").await;
    let recorded = wait_for_text(&moderator, ".wellbeing-item", "Reached out by").await;
    assert!(recorded.contains("mod_maria"), "{recorded}");
    check(&moderator, &axe, "care-queue-reached-out", &mut problems).await;

    let _ = member.close().await;
    let _ = moderator.close().await;
    assert_accessible(&problems);
}
