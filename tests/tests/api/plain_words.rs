//! Plain words in moderation: what screening holds (a trusted member's promotion with a
//! health claim included), and that authors and moderators read sentences — never a
//! classifier probability or a pattern — with the moderator's queue one click away.

use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::{Fixture, Session, TestApp};
use crate::pages::{csrf_token, Browser};

const DAY_MICROS: i64 = 86_400_000_000;

/// Makes `member` a long-standing member (trust level 3): an account 100 days old with 60
/// published posts and none removed.
async fn make_trusted(app: &TestApp, member: &Session) {
    let id: i64 = member.user_id.parse().expect("user id");
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || {
        store.write(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "UPDATE users SET created_at = created_at - {}, published_posts = 60, \
                 removed_posts = 0 WHERE id = {id}",
                100 * DAY_MICROS
            ))
            .execute(conn)?;
            Ok(())
        })
    })
    .await
    .expect("join")
    .expect("backdate the member");
}

/// What no page may show: the screener's internals.
fn assert_no_internals(html: &str, page: &str) {
    for internal in [
        "probability",
        "classifier",
        "personal_info",
        "<num>",
        "`",
        "\\b",
        "(?",
    ] {
        assert!(
            !html.contains(internal),
            "{page} shows {internal:?}: {html}"
        );
    }
}

async fn a_trusted_members_shop_link_with_a_cure_claim_is_held(app: TestApp) {
    let w = Fixture::new(&app)
        .community("brain-tumours", "public", "open")
        .moderator("mod_maria")
        .members(["long_timer"])
        .thread("Supplements", "What has helped you?")
        .build()
        .await;
    let member = w.member("long_timer");
    make_trusted(&app, member).await;

    // A shop link and a code alone: a trusted member is flagged, not held.
    let tip = app
        .reply(
            member,
            w.thread_id(),
            "Our turmeric capsules are 30% off this week, use code HEAL30 at checkout: shop.example.com/turmeric?ref=kindred",
        )
        .await;
    assert_eq!(tip["status"], "published", "{tip}");

    // The same with a claim that CBD shrinks tumours waits for a moderator.
    let cbd = app
        .reply(
            member,
            w.thread_id(),
            "CBD oil shrank my tumour. Get it at greenleaf-cbd.shop with code KINDRED10 for 10% off.",
        )
        .await;
    assert_eq!(cbd["status"], "held", "{cbd}");
    let note = cbd["moderation_note"].as_str().expect("a note");
    assert!(note.contains("advertising or selling"), "{note}");
    assert!(note.contains("health claim"), "{note}");
    assert!(note.contains("usually within a day"), "{note}");
    assert_no_internals(note, "the note");
}

async fn authors_and_moderators_read_sentences(app: TestApp) {
    let w = Fixture::new(&app)
        .community("lung", "public", "open")
        .moderator("mod_maria")
        .members(["new_member"])
        .thread("Evenings", "Anyone around to talk?")
        .build()
        .await;
    let held = app
        .reply(
            w.member("new_member"),
            w.thread_id(),
            "Happy to talk any evening, call me on 555-014-2288.",
        )
        .await;
    assert_eq!(held["status"], "held");
    let advert = app
        .reply(
            w.member("new_member"),
            w.thread_id(),
            "Buy our turmeric immune booster capsules at https://cure-shop.example.com and use code HEAL20 for 20% off!",
        )
        .await;
    assert_eq!(advert["status"], "held");

    // The author reads what to change, and when to expect a review.
    let author = Browser::new(&app);
    author.sign_in("new_member").await;
    let thread = author
        .page(&format!("/t/{}", w.thread_id()), StatusCode::OK)
        .await;
    assert!(
        thread.contains(
            "Your post includes a phone number (“555-014-2288”). Please remove it to keep you safe."
        ),
        "{thread}"
    );
    assert!(thread.contains("usually within a day"), "{thread}");
    assert!(thread.contains("a discount code"), "{thread}");
    assert_no_internals(&thread, "the author's thread page");
    assert!(
        !thread.contains(r#"href="/mod/queue""#),
        "members who moderate nothing have no queue link"
    );

    // The moderator sees the queue's open count in the header and sentences in the queue.
    let moderator = Browser::new(&app);
    moderator.sign_in("mod_maria").await;
    let home = moderator.page("/", StatusCode::OK).await;
    assert!(home.contains(r#"href="/mod/queue""#), "{home}");
    assert!(home.contains("2 open items"), "{home}");
    let queue = moderator.page("/mod/queue", StatusCode::OK).await;
    for sentence in [
        "Personal details",
        "Advertising or selling",
        "It includes a phone number (“555-014-2288”).",
        "It includes a discount code",
        "The wording is like earlier posts that advertised or sold something.",
    ] {
        assert!(queue.contains(sentence), "{sentence}: {queue}");
    }
    assert_no_internals(&queue, "the moderation queue");

    // Each item says who wrote it: a new member with no earlier decisions.
    assert!(
        queue.contains("About the author: joined today, trust level 0 (new); 0 posts published, none removed; no earlier decisions."),
        "{queue}"
    );

    // The API keeps the technical findings for tools, and the author's history.
    let api = app.get_json("/api/v1/mod/queue", Some(w.moderator())).await;
    assert!(api.to_string().contains("classifier probability"), "{api}");
    let items = api["items"].as_array().expect("items");
    assert_eq!(items[0]["author_history"]["trust_level"], 0, "{api}");
    let advert_item = items
        .iter()
        .find(|i| i["post"]["id"] == advert["id"])
        .expect("the advert is queued");

    // One click removes the advert with the default reason for advertising.
    let token = csrf_token(&queue);
    let removed = moderator
        .post(
            &format!(
                "/mod/queue/{}/decision",
                advert_item["id"].as_str().expect("id")
            ),
            &[
                ("csrf_token", token.as_str()),
                ("action", "remove"),
                ("reason", "Advertising and selling are not allowed here."),
            ],
        )
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert!(queue.contains("Remove records: “Advertising and selling are not allowed here.”"));
    let log = app
        .get_json("/api/v1/communities/lung/modlog", Some(w.moderator()))
        .await;
    assert_eq!(log["items"][0]["action"], "remove", "{log}");
    assert_eq!(
        log["items"][0]["reason"],
        "Advertising and selling are not allowed here."
    );
    let queue = moderator.page("/mod/queue", StatusCode::OK).await;
    assert!(queue.contains("earlier decisions: 1 removed"), "{queue}");
    assert!(queue.contains("1 open item"), "{queue}");
}

both_backends!(
    a_trusted_members_shop_link_with_a_cure_claim_is_held,
    authors_and_moderators_read_sentences,
);
