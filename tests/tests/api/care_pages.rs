//! Duty of care (issue 19) on the pages, without JavaScript: a member who posts at risk
//! from the page lands on the calm crisis-lines panel, dismisses it, and does not see it
//! again that day; the moderator's `/mod/queue` shows the urgent wellbeing item at the top
//! and records "I reached out".

use reqwest::header::LOCATION;
use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::{Fixture, TestApp};
use crate::pages::Browser;

const HIGH: &str = "I've saved up my morphine for weeks and tonight is the night. \
                    Thank you all for being kind to me.";
const SLUG: &str = "carers";

/// The form action starting with `prefix` in `html`.
fn action(html: &str, prefix: &str) -> String {
    let start = html
        .find(prefix)
        .unwrap_or_else(|| panic!("a form to {prefix} in {html}"));
    let end = html[start..].find('"').expect("end of action") + start;
    html[start..end].to_owned()
}

async fn a_post_at_risk_shows_the_panel_and_reaches_the_queue(app: TestApp) {
    let w = Fixture::new(&app)
        .community(SLUG, "public", "open")
        .members(["cara_carer", "rob_reader"])
        .moderator("maria_mod")
        .build()
        .await;

    // Cara starts a thread from the page: published, and she lands on the panel.
    let cara = Browser::new(&app);
    cara.sign_in("cara_carer").await;
    let to = cara
        .submit_ok(
            &format!("/new?community={SLUG}"),
            "/new",
            &[
                ("community", SLUG),
                ("title", "Long nights"),
                ("body", HIGH),
            ],
        )
        .await;
    assert!(to.starts_with("/me/care?next=/t/"), "{to}");
    let panel = cara.page(&to, StatusCode::OK).await;
    assert!(panel.contains("You are not alone"), "{panel}");
    assert!(panel.contains(r#"role="region" aria-labelledby="care-title""#));
    assert!(panel.contains(r#"href="tel:"#), "{panel}");
    assert!(panel.contains("Your post is published"));
    let next = to["/me/care?next=".len()..].replace("%23", "#");
    assert!(panel.contains(&format!(r#"href="{next}""#)), "{panel}");
    let thread_path = next.split('#').next().expect("thread path").to_owned();
    let thread = cara.page(&thread_path, StatusCode::OK).await;
    assert!(
        thread.contains("morphine"),
        "the post is published: {thread}"
    );

    // A link elsewhere is never followed or offered.
    let hostile = cara
        .page("/me/care?next=https://evil.example/", StatusCode::OK)
        .await;
    assert!(!hostile.contains("evil.example"));

    // Dismissed with the form: back to the post, and the panel is gone.
    let back = cara
        .submit_ok(&to, "/me/care/dismiss", &[("next", &next)])
        .await;
    assert_eq!(back, next);
    let gone = cara.page("/me/care", StatusCode::OK).await;
    assert!(!gone.contains("You are not alone"), "{gone}");
    // At most once a day: another post at risk goes straight to the thread.
    let reply_action = format!("{thread_path}/reply");
    let to = cara
        .submit_ok(&thread_path, &reply_action, &[("body", HIGH)])
        .await;
    assert!(to.contains("notice=posted"), "{to}");
    // A hostile `next` on the dismiss form sends home.
    let home = cara
        .submit_ok(
            "/me/care",
            "/me/care/dismiss",
            &[("next", "//evil.example")],
        )
        .await;
    assert_eq!(home, "/");

    // The moderator's queue: the urgent item on top, with what was said and the guide.
    let maria = Browser::new(&app);
    maria.sign_in("maria_mod").await;
    let queue = maria.page("/mod/queue", StatusCode::OK).await;
    assert!(queue.contains("Someone may be at risk"), "{queue}");
    assert!(queue.contains("Urgent"));
    assert!(queue.contains("How to read the levels"));
    assert!(queue.contains("<q>"), "the matched sentences: {queue}");
    assert!(queue.contains("I read your post and wanted"));
    let wellbeing_at = queue.find("wellbeing-item").expect("a wellbeing item");
    assert!(
        queue
            .find("class=\"queue-item\"")
            .is_none_or(|at| at > wellbeing_at),
        "wellbeing items come first"
    );
    let reach = action(&queue, "/mod/wellbeing/");

    // A member cannot record it.
    let refused = cara.submit("/", &reach, &[]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    let to = maria.submit_ok("/mod/queue", &reach, &[]).await;
    assert!(to.starts_with("/mod/queue?notice=reached_out#w"), "{to}");
    let queue = maria.page(&to, StatusCode::OK).await;
    assert!(queue.contains("Recorded: you reached out"), "{queue}");
    assert!(queue.contains("Reached out by"), "{queue}");
    assert!(queue.contains(r#"href="/u/maria_mod""#), "{queue}");
    let items = app
        .get_json("/api/v1/mod/wellbeing", Some(w.moderator()))
        .await;
    assert!(
        items
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["reached_out_by"]["username"] == "maria_mod"),
        "{items}"
    );

    // A form without its CSRF token changes nothing.
    let forged = maria.post(&reach, &[]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.headers().get(LOCATION).is_none());
}

both_backends!(a_post_at_risk_shows_the_panel_and_reaches_the_queue);
