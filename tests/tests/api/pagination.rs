//! Keyset pagination: following `next_cursor` visits every item exactly once, in order.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Session, TestApp};

/// Follows `next_cursor` from `path` (which may already have a query) and returns every
/// item under `field`, with the size of each page.
async fn all_pages(
    app: &TestApp,
    path: &str,
    field: &str,
    session: Option<&Session>,
) -> (Vec<Value>, Vec<usize>) {
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut sizes = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}{separator}cursor={c}"),
            None => path.to_owned(),
        };
        let page = app.get_json(&url, session).await;
        let got = page[field]
            .as_array()
            .unwrap_or_else(|| panic!("{field} in {page}"));
        sizes.push(got.len());
        items.extend(got.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => {
                assert!(!got.is_empty(), "a cursor after an empty page: {url}");
                cursor = Some(next.to_owned());
            }
            None => break,
        }
        assert!(sizes.len() <= 200, "pagination does not end: {url}");
    }
    (items, sizes)
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

fn assert_each_once(ids: &[String], what: &str) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: duplicates in {ids:?}");
}

/// Pages of `limit` items: all full but the last, which is not empty.
fn expected_sizes(total: usize, limit: usize) -> Vec<usize> {
    let mut sizes = vec![limit; total / limit];
    if !total.is_multiple_of(limit) {
        sizes.push(total % limit);
    }
    sizes
}

async fn threads_page_pinned_first_then_newest_activity(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let member = app.register("member_max").await;
    app.join(&member, "open-garden").await;

    let expected = thirty_threads_bumped_and_pinned_in_a_known_order(&app, &admin, &member).await;
    every_page_size_lists_pinned_first_then_newest_activity(&app, &member, &expected).await;
    the_default_page_size_is_25(&app, &expected).await;
    bumped_unpinned_threads_lead_the_unpinned_newest_bump_first(&app).await;
}

/// Thirty threads; replies bring four back to the top and moderators pin three. The
/// expected listing: pinned first, then newest activity first.
async fn thirty_threads_bumped_and_pinned_in_a_known_order(
    app: &TestApp,
    admin: &Session,
    member: &Session,
) -> Vec<String> {
    // `activity` lists thread ids from the least to the most recently active.
    let mut threads = Vec::new();
    let mut activity: Vec<String> = Vec::new();
    for n in 0..30 {
        let (id, _) = app
            .thread(
                member,
                "open-garden",
                &format!("Thread {n:02}"),
                &format!("Body {n}"),
            )
            .await;
        threads.push(id.clone());
        activity.push(id);
    }
    // Replies bring old threads back to the top.
    for n in [3, 10, 0, 27] {
        app.reply(member, &threads[n], "bump").await;
        activity.retain(|id| id != &threads[n]);
        activity.push(threads[n].clone());
    }
    // Moderators pin a few; pinning is not activity.
    let mut pinned = HashSet::new();
    for n in [5, 20, 3] {
        let response = app
            .patch(
                &format!("/api/v1/threads/{}", threads[n]),
                Some(admin),
                json!({"pinned": true}),
            )
            .await;
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        pinned.insert(threads[n].clone());
    }
    let newest_first = activity.iter().rev();
    let expected: Vec<String> = newest_first
        .clone()
        .filter(|id| pinned.contains(*id))
        .chain(newest_first.filter(|id| !pinned.contains(*id)))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 30);
    expected
}

/// At every page size, for visitors and members, each thread comes once: pinned first,
/// then newest activity first, in pages of the asked size.
async fn every_page_size_lists_pinned_first_then_newest_activity(
    app: &TestApp,
    member: &Session,
    expected: &[String],
) {
    for limit in [7, 1, 2, 3, 25, 29, 30, 100] {
        for session in [None, Some(member)] {
            let (items, sizes) = all_pages(
                app,
                &format!("/api/v1/communities/open-garden/threads?limit={limit}"),
                "items",
                session,
            )
            .await;
            let got = ids(&items);
            assert_each_once(&got, &format!("limit {limit}"));
            assert_eq!(
                got, expected,
                "limit {limit}: pinned first, then newest activity first"
            );
            assert_eq!(
                sizes,
                expected_sizes(30, limit.min(30)),
                "limit {limit}: page sizes"
            );
            for (i, item) in items.iter().enumerate() {
                assert_eq!(item["pinned"], i < 3, "limit {limit}: item {i}");
                assert_eq!(item["community"], "open-garden");
            }
        }
    }
}

/// Without a limit, pages hold 25 threads.
async fn the_default_page_size_is_25(app: &TestApp, expected: &[String]) {
    let (items, sizes) = all_pages(
        app,
        "/api/v1/communities/open-garden/threads",
        "items",
        None,
    )
    .await;
    assert_eq!(sizes, [25, 5], "default page size is 25");
    assert_eq!(ids(&items), expected);
}

/// The bumped, unpinned threads lead the unpinned ones, newest bump first.
async fn bumped_unpinned_threads_lead_the_unpinned_newest_bump_first(app: &TestApp) {
    let (items, _) = all_pages(
        app,
        "/api/v1/communities/open-garden/threads?limit=7",
        "items",
        None,
    )
    .await;
    let titles: Vec<&str> = items.iter().filter_map(|t| t["title"].as_str()).collect();
    assert_eq!(
        titles[..6],
        [
            "Thread 03",
            "Thread 20",
            "Thread 05",
            "Thread 27",
            "Thread 00",
            "Thread 10"
        ]
    );
    assert_eq!(
        titles[29], "Thread 01",
        "the oldest untouched thread is last"
    );
}

async fn posts_page_in_creation_order(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let sam = app.register("sam_p").await;
    let jo = app.register("jo_carer").await;
    app.join(&sam, "open-garden").await;
    app.join(&jo, "open-garden").await;
    let (thread, first) = app
        .thread(&sam, "open-garden", "A long conversation", "Reply 0")
        .await;
    let mut expected = vec![first];
    for n in 1..=60 {
        let author = if n % 2 == 0 { &sam } else { &jo };
        let post = app.reply(author, &thread, &format!("Reply {n}")).await;
        expected.push(post["id"].as_str().expect("id").to_owned());
    }
    // A deleted reply keeps its place as a tombstone.
    let response = app
        .delete(&format!("/api/v1/posts/{}", expected[30]), Some(&sam))
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);

    let (posts, sizes) = all_pages(
        &app,
        &format!("/api/v1/threads/{thread}?limit=25"),
        "posts",
        None,
    )
    .await;
    assert_eq!(sizes, [25, 25, 11]);
    let got = ids(&posts);
    assert_each_once(&got, "posts");
    assert_eq!(got, expected, "creation order");
    for (n, post) in posts.iter().enumerate() {
        if n == 30 {
            assert_eq!(post["deleted"], true);
            assert_eq!(post["body_html"], "");
        } else {
            assert_eq!(post["body_html"], format!("<p>Reply {n}</p>\n"), "post {n}");
            let author = if n % 2 == 0 { "sam_p" } else { "jo_carer" };
            assert_eq!(post["author"]["username"], author, "post {n}");
        }
    }
    // Each page carries the thread itself.
    let page = app
        .get_json(&format!("/api/v1/threads/{thread}?limit=25"), Some(&jo))
        .await;
    assert_eq!(page["thread"]["post_count"], 61);
    assert_eq!(page["thread"]["title"], "A long conversation");

    for limit in [1, 7, 60, 61, 100] {
        let (posts, sizes) = all_pages(
            &app,
            &format!("/api/v1/threads/{thread}?limit={limit}"),
            "posts",
            Some(&jo),
        )
        .await;
        assert_eq!(ids(&posts), expected, "limit {limit}");
        assert_eq!(sizes, expected_sizes(61, limit.min(61)), "limit {limit}");
    }
    let (posts, sizes) = all_pages(&app, &format!("/api/v1/threads/{thread}"), "posts", None).await;
    assert_eq!(sizes, [50, 11], "default page size for posts is 50");
    assert_eq!(ids(&posts), expected);
}

async fn communities_page_by_slug(app: TestApp) {
    let admin = app.admin("site_admin").await;
    let slugs = [
        ("mesothelioma", "public"),
        ("breast-cancer", "public"),
        ("carers-corner", "private"),
        ("a-general", "public"),
        ("zz-last", "public"),
        ("lung-cancer", "public"),
        ("bereavement", "public"),
        ("hodgkin", "private"),
        ("pancreatic", "public"),
        ("kidney", "public"),
        ("ovarian", "private"),
        ("prostate", "public"),
        ("skin-cancer", "public"),
        ("lung-cancer-2", "public"),
    ];
    for (slug, visibility) in slugs {
        app.community(&admin, slug, visibility, "open").await;
    }
    let member = app.register("member_max").await;
    app.add_member(&admin, "hodgkin", "member_max").await;

    let sorted = |filter: &dyn Fn(&str, &str) -> bool| {
        let mut wanted: Vec<String> = slugs
            .iter()
            .filter(|(s, v)| filter(s, v))
            .map(|(s, _)| (*s).to_owned())
            .collect();
        wanted.sort();
        wanted
    };
    let public = sorted(&|_, v| v == "public");
    let everything = sorted(&|_, _| true);
    let for_member = sorted(&|s, v| v == "public" || s == "hodgkin");
    assert_eq!(public.len(), 11);

    for (who, session, expected) in [
        ("anonymous", None, &public),
        ("member", Some(&member), &for_member),
        ("admin", Some(&admin), &everything),
    ] {
        for limit in [5, 1, 4, 11, 100] {
            let (items, sizes) = all_pages(
                &app,
                &format!("/api/v1/communities?limit={limit}"),
                "items",
                session,
            )
            .await;
            let got: Vec<String> = items
                .iter()
                .map(|c| c["slug"].as_str().expect("slug").to_owned())
                .collect();
            assert_each_once(&got, who);
            assert_eq!(&got, expected, "{who}, limit {limit}");
            assert_eq!(
                sizes,
                expected_sizes(expected.len(), limit.min(expected.len())),
                "{who}, limit {limit}"
            );
        }
    }
}

both_backends!(
    threads_page_pinned_first_then_newest_activity,
    posts_page_in_creation_order,
    communities_page_by_slug,
);
