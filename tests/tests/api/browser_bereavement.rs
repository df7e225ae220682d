//! Appeals and clinician context (issue 19) in a real browser (Chromium, SQLite; see
//! `browser.rs`): the author of a removed post sees the appeal button next to the
//! decision and sends an appeal without JavaScript's help; the clinician's note renders
//! under the post with her role; the moderators' queue lists the appeal and a second
//! reader overturns it; an admin memorialises a member from the members page and the
//! profile reads "In memory of". axe-core on every page.

use reqwest::StatusCode;
use serde_json::json;

use crate::bereavement::remove_through_queue;
use crate::browser::{
    assert_accessible, browser, browser_kit, check, click, fill, moderated_thread, press, sign_in,
    spawn_for_browser, wait_for_text,
};
use crate::helpers::{expect_json, session_from, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_appeal_button_and_a_clinician_note_render_and_work() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (moderator, thread, ana) =
        moderated_thread(&app, "Spacers", "Which spacer do you use?", "ana_patient").await;
    let admin = session_from(app.login("site_admin", PASSWORD).await).await;
    let ben = app.register("ben_carer").await;
    app.join(&ben, "lung-cancer").await;
    let kim = app.register("nurse_kim").await;
    app.join(&kim, "lung-cancer").await;

    let removed = app
        .reply(&ana, &thread, "The blue one from my pharmacist")
        .await;
    let removed_id = removed["id"].as_str().expect("id").to_owned();
    remove_through_queue(&app, &ben, &moderator, &removed_id).await;
    let kept = app
        .reply(&ana, &thread, "Should I skip my inhaler on good days?")
        .await;
    let kept_id = kept["id"].as_str().expect("id");
    let verified = app
        .request(
            reqwest::Method::PUT,
            "/api/v1/admin/users/nurse_kim/clinician",
            Some(&admin),
        )
        .json(&json!({ "role": "respiratory nurse" }))
        .send()
        .await
        .expect("verify");
    expect_json(verified, StatusCode::OK).await;
    let note = app
        .post(
            &format!("/api/v1/posts/{kept_id}/context-notes"),
            Some(&kim),
            json!({ "body": "Most teams advise keeping a preventer inhaler going. [Asthma + Lung UK](https://www.asthmaandlung.org.uk)" }),
        )
        .await;
    expect_json(note, StatusCode::CREATED).await;
    let mut problems = Vec::new();

    let member = browser(&driver).await;
    sign_in(&member, &app, "ana_patient").await;
    member
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    let shown = wait_for_text(&member, ".context-note", "Context from a respiratory nurse").await;
    assert!(shown.contains("preventer inhaler"), "{shown}");
    wait_for_text(
        &member,
        &format!("#p{removed_id} details.appeal summary"),
        "Appeal this decision",
    )
    .await;
    check(&member, &axe, "thread-with-appeal-and-note", &mut problems).await;
    click(&member, &format!("#p{removed_id} details.appeal summary")).await;
    fill(
        &member,
        &format!("#ap{removed_id}"),
        "It was my own experience, not an advert.",
    )
    .await;
    press(&member, "Send appeal").await;
    wait_for_text(&member, "main", "Your appeal is sent").await;

    let staff = browser(&driver).await;
    sign_in(&staff, &app, "site_admin").await;
    staff.goto(&app.url("/mod/queue")).await.expect("queue");
    let appeal = wait_for_text(&staff, ".appeal-item", "own experience").await;
    assert!(appeal.contains("post removed"), "{appeal}");
    check(&staff, &axe, "queue-with-appeal", &mut problems).await;
    press(&staff, "Overturn (restore, lift sanction)").await;
    wait_for_text(&staff, "main", "Decision recorded").await;
    staff
        .goto(&app.url("/admin/members"))
        .await
        .expect("members page");
    wait_for_text(&staff, "main", "Memorialise an account").await;
    check(&staff, &axe, "admin-members", &mut problems).await;
    fill(&staff, "#f-username", "ben_carer").await;
    press(&staff, "Save").await;
    wait_for_text(&staff, "main", "The account is memorialised").await;
    staff.goto(&app.url("/u/ben_carer")).await.expect("profile");
    wait_for_text(&staff, "h1", "In memory of").await;
    check(&staff, &axe, "memorial-profile", &mut problems).await;

    let _ = member.close().await;
    let _ = staff.close().await;
    assert_accessible(&problems);
}
