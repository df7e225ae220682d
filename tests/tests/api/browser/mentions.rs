//! Journeys: a member mentions another with the keyboard alone (the suggestions list,
//! arrow keys, Enter), and replies to a particular post with "Reply to this"; axe-core
//! audits the thread with the suggestions open, and the site admins' `/admin/messages`.

use fantoccini::key::Key;

use super::*;
use crate::messages::make_trusted;

/// The value of the form field at `css`.
async fn value_of(client: &Client, css: &str) -> String {
    client
        .execute(
            "return document.querySelector(arguments[0]).value;",
            vec![json!(css)],
        )
        .await
        .expect("read value")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_mentions_with_the_keyboard_and_quotes_a_post() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "caregivers", "public", "open").await;
    let sam = app.register("sam_patient").await;
    let jo = app.register("jo_carer").await;
    let joan = app.register("joan_helper").await;
    for member in [&sam, &jo, &joan] {
        app.join(member, "caregivers").await;
    }
    let (thread, first) = app
        .thread(
            &sam,
            "caregivers",
            "Scan day tomorrow",
            "Scan day tomorrow and I cannot sleep.",
        )
        .await;
    app.reply(&joan, &thread, "Sending strength for tomorrow.")
        .await;
    // jo_carer writes elsewhere in the community: suggested after the thread's authors.
    app.thread(&jo, "caregivers", "Night shifts", "Tired tonight.")
        .await;
    let mut problems = Vec::new();

    let client = browser(&driver).await;
    sign_in(&client, &app, "sam_patient").await;
    client
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    let field = client
        .find(Locator::Css("form.reply-form textarea[name=body]"))
        .await
        .expect("reply box");
    field.send_keys("Thank you @jo").await.expect("type");
    wait_for_text(&client, "#mention-suggestions", "@joan_helper").await;
    let attributes = client
        .execute(
            "const f = document.querySelector('form.reply-form textarea');
             return [f.getAttribute('aria-autocomplete'), f.getAttribute('aria-controls'),
                     f.getAttribute('aria-activedescendant')];",
            vec![],
        )
        .await
        .expect("attributes");
    assert_eq!(
        attributes,
        json!(["list", "mention-suggestions", "mention-option-0"])
    );
    check(&client, &axe, "thread-mention-suggestions", &mut problems).await;
    // joan wrote in the thread, so she comes first; the arrow key moves to jo_carer.
    field
        .send_keys(&Key::Down.to_string())
        .await
        .expect("arrow down");
    field
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("enter");
    let typed = value_of(&client, "form.reply-form textarea").await;
    assert_eq!(typed, "Thank you @jo_carer ");
    field.send_keys("for the soup.").await.expect("type");
    press(&client, "Post reply").await;
    let shown = wait_for_text(&client, "#posts", "for the soup").await;
    assert!(shown.contains("@jo_carer"), "{shown}");
    let link = client
        .find(Locator::Css("#posts a.mention[href='/u/jo_carer']"))
        .await;
    assert!(link.is_ok(), "the mention is a profile link");
    // The reply that arrived without a reload can be answered too, like the others.
    let links = client
        .execute(
            "return document.querySelectorAll('#posts a.quote-link').length;",
            vec![],
        )
        .await
        .expect("count");
    assert_eq!(links, json!(3));

    // "Reply to this" on the first post fills the box with its quote, in place.
    client
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    click(&client, &format!("a.quote-link[data-quote-id='{first}']")).await;
    let quoted = value_of(&client, "form.reply-form textarea").await;
    assert!(
        quoted.starts_with(&format!(
            "> [sam_patient wrote](/p/{first}):\n> Scan day tomorrow and I cannot sleep."
        )),
        "{quoted}"
    );
    assert_eq!(
        value_of(&client, "form.reply-form input[name=reply_to]").await,
        first
    );
    client
        .find(Locator::Css("form.reply-form textarea"))
        .await
        .expect("reply box")
        .send_keys("Still awake too.")
        .await
        .expect("type");
    press(&client, "Post reply").await;
    wait_for_text(&client, "#posts", "Still awake too.").await;
    let read = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    let last = read["posts"]
        .as_array()
        .and_then(|posts| posts.last().cloned())
        .expect("posts");
    assert_eq!(last["reply_to"], first.as_str(), "{last}");
    client.close().await.expect("close");
    assert_accessible(&problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admins_message_review_is_accessible() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lymphoma", "public", "open").await;
    let ana = app.register("ana_patient").await;
    let ben = app.register("ben_carer").await;
    app.join(&ana, "lymphoma").await;
    app.join(&ben, "lymphoma").await;
    make_trusted(&app, "ana_patient");
    let started = app
        .post(
            "/api/v1/conversations",
            Some(&ana),
            json!({"to": ["ben_carer"], "body": "Shall we talk on the phone?"}),
        )
        .await;
    let started: Value = started.json().await.expect("json");
    let id = started["conversation"]["id"].as_str().expect("id");
    let held = app
        .post(
            &format!("/api/v1/conversations/{id}/messages"),
            Some(&ben),
            json!({"body": "Happy to talk any evening, call me on 555-014-2288."}),
        )
        .await;
    let held: Value = held.json().await.expect("json");
    assert_eq!(held["message"]["status"], "held", "{held}");
    let mut problems = Vec::new();
    let client = browser(&driver).await;
    sign_in(&client, &app, "site_admin").await;
    client
        .goto(&app.url("/admin/messages"))
        .await
        .expect("admin messages");
    wait_for_text(&client, "main", "555-014-2288").await;
    check(&client, &axe, "admin-messages", &mut problems).await;
    problems.extend(sideways_on_a_phone(&client, "admin-messages").await);
    client.close().await.expect("close");
    assert_accessible(&problems);
}
