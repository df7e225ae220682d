//! Journey: two members write to each other from two browser sessions, without
//! JavaScript-only paths; a block refuses the answer; axe-core audits the new pages.

use super::*;
use crate::messages::make_trusted;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_members_exchange_messages_and_a_block_refuses_the_next() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung-cancer", "public", "open").await;
    let ana = app.register("ana_patient").await;
    let ben = app.register("ben_carer").await;
    app.join(&ana, "lung-cancer").await;
    app.join(&ben, "lung-cancer").await;
    make_trusted(&app, "ana_patient");
    let mut problems = Vec::new();

    let first = browser(&driver).await;
    sign_in(&first, &app, "ana_patient").await;
    first.goto(&app.url("/messages")).await.expect("messages");
    check(&first, &axe, "messages-empty", &mut problems).await;
    fill(&first, "#f-to", "ben_carer").await;
    fill(&first, "#f-body", "Thinking of you before the scan").await;
    press(&first, "Send").await;
    wait_for_text(&first, "main", "Thinking of you before the scan").await;
    check(&first, &axe, "messages-conversation", &mut problems).await;

    let second = browser(&driver).await;
    sign_in(&second, &app, "ben_carer").await;
    second.goto(&app.url("/messages")).await.expect("messages");
    wait_for_text(&second, "main", "1 unread message").await;
    check(&second, &axe, "messages-list", &mut problems).await;
    click(&second, "main ul.conversation-list a").await;
    wait_for_text(&second, "main", "Thinking of you before the scan").await;
    fill(&second, "#f-body", "Thank you, it helps").await;
    press(&second, "Send").await;
    wait_for_text(&second, "main", "Thank you, it helps").await;

    // Without the `#m…` anchor the redirect added: a fragment alone would not reload.
    let mut conversation = second.current_url().await.expect("url");
    conversation.set_fragment(None);
    first
        .goto(conversation.as_str())
        .await
        .expect("conversation");
    wait_for_text(&first, "main", "Thank you, it helps").await;

    // Ana blocks Ben from her settings; his next answer is refused.
    first.goto(&app.url("/me/blocks")).await.expect("blocks");
    fill(&first, "#f-username", "ben_carer").await;
    press(&first, "Block").await;
    wait_for_text(&first, "main", "Unblock").await;
    check(&first, &axe, "blocks", &mut problems).await;
    second
        .goto(conversation.as_str())
        .await
        .expect("conversation");
    fill(&second, "#f-body", "Are you still there?").await;
    press(&second, "Send").await;
    wait_for_text(&second, "main", "You cannot message this member").await;
    assert!(!main_text(&first).await.contains("Are you still there?"));

    first.close().await.expect("close");
    second.close().await.expect("close");
    assert_accessible(&problems);
}
