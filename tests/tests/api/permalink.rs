//! Never losing your place: `/p/{post_id}` opens the thread page that shows the post, at
//! the post, for the posts the reader may see; search lists each thread once, by name.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{expect_json, Fixture, TestApp};
use crate::pages::{csrf_token, Browser};

/// The `href` of the first link in `html` that starts with `prefix`.
fn first_link(html: &str, prefix: &str) -> String {
    let marker = format!(r#"href="{prefix}"#);
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("a link to {prefix}… in {html}"))
        + r#"href=""#.len();
    let end = html[start..].find('"').expect("end of href") + start;
    html[start..end].replace("&amp;", "&")
}

async fn a_notification_opens_the_page_that_shows_the_post(app: TestApp) {
    let w = Fixture::public_scan_days(&app, ["ben_carer", "ana_patient"])
        .build()
        .await;
    // 58 replies make 59 posts: page 1 holds posts 1–50, page 2 posts 51–59. The
    // moderator writes them (moderators are not rate-limited), so Ben hears of each.
    let mut ids = vec![w.first_post_id().to_owned()];
    for n in 2..=59 {
        let post = app
            .reply(w.moderator(), w.thread_id(), &format!("Reply number {n}"))
            .await;
        ids.push(post["id"].as_str().expect("post id").to_owned());
    }
    let last = &ids[58];

    let ben = Browser::new(&app);
    ben.sign_in("ben_carer").await;
    let inbox = ben.page("/notifications", StatusCode::OK).await;
    let link = first_link(&inbox, "/p/");
    assert!(
        link.starts_with(&format!("/p/{last}?n=")),
        "the newest notification is post 59: {link}"
    );
    let unread = |html: &str| html.matches(r#"class="notification unread""#).count();
    let unread_before = unread(&inbox);

    let target = ben.redirect(&link).await;
    // Opening a notification marks it read.
    let inbox = ben.page("/notifications", StatusCode::OK).await;
    assert_eq!(unread(&inbox), unread_before - 1);
    let (page, anchor) = target.split_once('#').expect("an anchor");
    assert_eq!(anchor, format!("p{last}"));
    assert!(
        page.starts_with(&format!("/t/{}?cursor=", w.thread_id())),
        "{target}"
    );
    let html = ben.page(page, StatusCode::OK).await;
    assert!(html.contains(&format!(r#"id="p{last}""#)), "{html}");
    assert!(html.contains("Posts 51–59 of 59"), "{html}");
    assert!(
        !html.contains(&format!(r#"id="p{}""#, ids[49])),
        "post 50 is on page 1"
    );
    let earlier = first_link(&html, &format!("/t/{}", w.thread_id()));
    let first_page = ben.page(&earlier, StatusCode::OK).await;
    assert!(first_page.contains("Posts 1–50 of 59"), "{first_page}");
    assert!(first_page.contains("Later posts"), "{first_page}");

    // Post 50 is the last of page 1, which needs no cursor; post 51 opens page 2.
    assert_eq!(
        ben.redirect(&format!("/p/{}", ids[49])).await,
        format!("/t/{}#p{}", w.thread_id(), ids[49])
    );
    assert_eq!(
        ben.redirect(&format!("/p/{}", ids[50])).await,
        format!("{page}#p{}", ids[50])
    );

    // Pages are counted as the reader sees the thread: once a moderator removes Ana's
    // reply, it is on her pages and the moderator's, not on Ben's.
    let removed = app
        .reply(
            w.member("ana_patient"),
            w.thread_id(),
            "My own way through scan days",
        )
        .await;
    let removed = removed["id"].as_str().expect("post id").to_owned();
    let moderator = Browser::new(&app);
    moderator.sign_in("mod_maria").await;
    let html = moderator.page(page, StatusCode::OK).await;
    let token = csrf_token(&html);
    let response = moderator
        .post(
            &format!("/t/{}/p/{removed}/remove", w.thread_id()),
            &[("csrf_token", token.as_str()), ("reason", "Off topic")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = ben
        .page(&format!("/p/{removed}"), StatusCode::NOT_FOUND)
        .await;
    assert!(html.contains("Page not found"), "{html}");
    let html = ben.page(page, StatusCode::OK).await;
    assert!(html.contains("Posts 51–59 of 59"), "{html}");
    let ana = Browser::new(&app);
    ana.sign_in("ana_patient").await;
    let to = ana.redirect(&format!("/p/{removed}")).await;
    assert_eq!(to, format!("{page}#p{removed}"));
    let html = ana.page(page, StatusCode::OK).await;
    assert!(html.contains("Posts 51–60 of 60"), "{html}");
}

async fn a_private_post_is_not_found_for_outsiders(app: TestApp) {
    let w = Fixture::private_seizure_plans(&app).build().await;
    app.register("outsider_olga").await;
    let unknown = Browser::new(&app)
        .page("/p/7777777777", StatusCode::NOT_FOUND)
        .await;
    assert!(unknown.contains("Page not found"), "{unknown}");
    let permalink = format!("/p/{}", w.first_post_id());

    let visitor = Browser::new(&app);
    let outsider = Browser::new(&app);
    outsider.sign_in("outsider_olga").await;
    for reader in [&visitor, &outsider] {
        let html = reader.page(&permalink, StatusCode::NOT_FOUND).await;
        assert!(html.contains("Page not found"), "{html}");
        assert!(!html.contains("Seizure"), "{html}");
    }
    for garbage in ["/p/abc", "/p/-1", "/p/0", "/p/99999999999999999999999"] {
        visitor.page(garbage, StatusCode::NOT_FOUND).await;
    }

    let moderator = Browser::new(&app);
    moderator.sign_in("mod_omar").await;
    assert_eq!(
        moderator.redirect(&permalink).await,
        format!("/t/{}#p{}", w.thread_id(), w.first_post_id())
    );
}

async fn search_lists_a_thread_once_with_names(app: TestApp) {
    let w = Fixture::new(&app)
        .community("caregivers", "public", "open")
        .moderator("mod_maria")
        .members(["ben_carer"])
        .thread_by(
            "ben_carer",
            "Finding respite care",
            "Where do you find respite care?",
        )
        .build()
        .await;
    let renamed = app
        .patch(
            "/api/v1/me/profile",
            Some(w.member("ben_carer")),
            json!({ "display_name": "Ben Okafor" }),
        )
        .await;
    expect_json(renamed, StatusCode::OK).await;
    for body in [
        "Respite care saved me.",
        "Our respite care nurse comes on Tuesdays.",
    ] {
        app.reply(w.member("ben_carer"), w.thread_id(), body).await;
    }

    let deadline = Instant::now() + Duration::from_secs(20);
    let api = loop {
        let page: Value = app.get_json("/api/v1/search?q=respite", None).await;
        if page["items"]
            .as_array()
            .is_some_and(|items| items.len() == 3)
        {
            break page;
        }
        assert!(Instant::now() < deadline, "never indexed: {page}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    };
    for item in api["items"].as_array().expect("items") {
        assert_eq!(item["community"], "caregivers");
        assert_eq!(item["community_name"], "Community caregivers");
    }
    let by_ben = api["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["author"] == "ben_carer")
        .expect("Ben's post");
    assert_eq!(by_ben["author_display_name"], "Ben Okafor");

    let html = Browser::new(&app)
        .page("/search?q=respite", StatusCode::OK)
        .await;
    assert_eq!(
        html.matches("Finding respite care</a>").count(),
        1,
        "{html}"
    );
    assert!(html.contains("and 2 more posts in this thread"), "{html}");
    assert!(html.contains(">Community caregivers</a>"), "{html}");
    let best = api["items"][0]["post_id"].as_str().expect("post id");
    assert!(html.contains(&format!(r#"href="/p/{best}""#)), "{html}");
    assert!(
        !html.contains(&format!(r#"href="/t/{}""#, w.thread_id())),
        "{html}"
    );
    assert!(html.contains(">Ben Okafor</a>"), "{html}");
    assert!(!html.contains(">ben_carer</a>"), "{html}");
}

both_backends!(
    a_notification_opens_the_page_that_shows_the_post,
    a_private_post_is_not_found_for_outsiders,
    search_lists_a_thread_once_with_names
);
