//! The insights figures counted from the vocabulary terms stored with each post
//! (`post_insight_terms`, migration 000032) are the figures of the computation before
//! it, which read every counted post's HTML and scanned it on each view: kept here as
//! the reference, and compared through edits, deletions, removals, approval after hold,
//! erasure, consent changes and posts whose terms are not stored yet.

use std::fmt::Write;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};
use kindred_insights::{aggregate, Contribution, Month, Report, MIN_MEMBERS};
use kindred_server::domain::current_user::CurrentUser;
use kindred_server::domain::ids::{SessionId, UserId};
use kindred_server::domain::insight_terms::vocabulary;
use kindred_server::domain::markdown::html_to_text;
use kindred_server::domain::user::{ErasePosts, SiteRole};
use kindred_server::service::insights::{fill_terms, page_reports, shift, InsightsRequest};
use kindred_server::service::privacy;
use kindred_server::store::{DbConnection, Store};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{expect_json, Session, TestApp};
use crate::insights::month_now;

/// Replies of every shape the page meets: several terms, none, forms across markdown,
/// accents, entities, links, a term in a code span, a side effect with its treatment.
const TEXTS: [&str; 10] = [
    "Chemo round 3 and the neuropathy is back, pins and needles in my fingers.",
    "Can't afford the copay for immunotherapy this month. Anyone found help with the **cost**?",
    "Radiation left me with so much fatigue. Insomnia every night.",
    "Scan anxiety before the CT on Friday. Waiting for results is the worst part.",
    "Started *osimertinib*, some rash and diarrhea but manageable. [notes](https://example.org/rash)",
    "Thinking of you all today. Nothing to report, just saying hello.",
    "Nausea after chemo again; ginger helps. Anyone else on carboplatin & `cisplatin`?",
    "My insurance denied the claim for the PET scan. Feeling so much anxiety.",
    "Náusea y quimio: the nausea is better with Zofran, hair loss is the hard part.",
    "> Hot flushes at night\n\nand hormone therapy makes me *exhausted* — lonely too.",
];

async fn member(app: &TestApp, name: &str, opted_in: bool) -> Session {
    let session = app.register(name).await;
    app.join(&session, "lung").await;
    consent(app, &session, opted_in).await;
    session
}

async fn consent(app: &TestApp, session: &Session, opted_in: bool) {
    let response = app
        .patch(
            "/api/v1/me/consents",
            Some(session),
            json!({"insights_opt_in": opted_in}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[derive(QueryableByName)]
struct ScannedPost {
    #[diesel(sql_type = BigInt)]
    author_id: i64,
    #[diesel(sql_type = BigInt)]
    thread_id: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    created_at: i64,
    #[diesel(sql_type = Text)]
    body_html: String,
}

/// The month (UTC) of a time in microseconds since the epoch.
fn month_of(micros: i64) -> Month {
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = micros.div_euclid(86_400_000_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Month::parse(&format!("{year:04}-{month:02}")).expect("month")
}

/// The computation before stored terms: every counted post's HTML, as text, scanned.
fn scanned_report(store: &Store, from: Month, to: Month) -> Report {
    const COUNTED: &str = "SELECT p.author_id, p.thread_id, p.id, p.created_at, p.body_html \
         FROM posts p JOIN users u ON u.id = p.author_id \
         JOIN communities c ON c.id = p.community_id \
         WHERE c.slug = 'lung' AND p.status = 'published' AND p.deleted_at IS NULL \
         AND u.insights_opt_in = TRUE";
    let posts: Vec<ScannedPost> = store
        .read(|conn| {
            Ok(match conn {
                DbConnection::Postgres(pg) => diesel::sql_query(COUNTED).load(pg)?,
                DbConnection::Sqlite(sqlite) => diesel::sql_query(COUNTED).load(sqlite)?,
            })
        })
        .expect("counted posts");
    let texts: Vec<(ScannedPost, Month, String)> = posts
        .into_iter()
        .map(|post| {
            let month = month_of(post.created_at);
            let text = html_to_text(&post.body_html);
            (post, month, text)
        })
        .filter(|(_, month, _)| (from..=to).contains(month))
        .collect();
    let contributions = texts.iter().map(|(post, month, text)| Contribution {
        member: u64::try_from(post.author_id).expect("id"),
        thread: u64::try_from(post.thread_id).expect("id"),
        post: u64::try_from(post.id).expect("id"),
        month: *month,
        text,
    });
    aggregate(vocabulary().expect("vocabulary"), contributions)
        .publish(MIN_MEMBERS)
        .expect("publish")
}

/// The page's two reports and the API's CSV and JSON exports equal the scanned figures.
async fn assert_figures_match_a_full_scan(app: &TestApp, admin: &Session, step: &str) {
    let to = Month::parse(&month_now()).expect("month");
    let from = shift(to, -2).expect("month");
    let expected = scanned_report(&app.store, from, to);
    assert!(
        !expected.is_empty_after_suppression(),
        "{step}: the community has figures to compare: {}",
        expected.to_csv()
    );
    for format in ["csv", "json"] {
        let path =
            format!("/api/v1/admin/insights?community=lung&from={from}&to={to}&format={format}");
        let response = app.get(&path, Some(admin)).await;
        assert_eq!(response.status(), StatusCode::OK, "{step}");
        let exported = response.text().await.expect("export");
        let wanted = if format == "csv" {
            expected.to_csv()
        } else {
            expected.to_json().expect("json")
        };
        assert_eq!(exported, wanted, "{step}: the {format} export");
    }
    let user = CurrentUser {
        id: UserId(admin.user_id.parse().expect("admin id")),
        username: admin.username.clone(),
        site_role: SiteRole::Admin,
        session_id: SessionId(0),
    };
    let request =
        InsightsRequest::parse("lung", &from.to_string(), &to.to_string(), None).expect("request");
    let store = app.store.clone();
    let (page, previous_expected) = tokio::task::spawn_blocking(move || {
        let page = page_reports(&store, &user, &request).expect("page");
        let previous = scanned_report(&store, page.previous_from, page.previous_to);
        (page, previous)
    })
    .await
    .expect("page task");
    assert_eq!(
        page.current.as_ref().ok(),
        Some(&expected),
        "{step}: the page"
    );
    assert_eq!(
        page.previous,
        (!previous_expected.is_empty_after_suppression()).then_some(previous_expected),
        "{step}: the page's previous period"
    );
}

fn sql(app: &TestApp, statements: String) {
    app.store
        .write(move |conn| Ok(conn.batch_execute(&statements)?))
        .expect("sql");
}

async fn insights_from_stored_terms_match_a_full_scan(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let (first, _) = app
        .thread(
            &admin,
            "lung",
            "How is treatment going?",
            "Share if you like.",
        )
        .await;
    let (second, _) = app
        .thread(&admin, "lung", "Side effects", "What helps?")
        .await;
    // 16 members (14 opted in) write 3 replies each, in both threads.
    let mut members = Vec::new();
    let mut replies: Vec<Vec<String>> = Vec::new();
    for i in 0..16 {
        let session = member(&app, &format!("patient_{i:02}"), i < 14).await;
        let mut own = Vec::new();
        for k in 0..3 {
            let thread = if (i + k) % 2 == 0 { &first } else { &second };
            // Chemotherapy and fatigue in the first two replies of everyone, so that
            // some figures rest on at least 11 members and are published.
            let opening = ["Chemo week, no energy. ", "Chemo again. ", ""][k];
            let text = format!("{opening}{}", TEXTS[(i * 3 + k) % TEXTS.len()]);
            let post = app.reply(&session, thread, &text).await;
            own.push(post["id"].as_str().expect("post id").to_owned());
        }
        members.push(session);
        replies.push(own);
    }
    // Every member's third reply was written one or two months ago.
    let moved = replies
        .iter()
        .enumerate()
        .fold(String::new(), |mut statements, (i, own)| {
            let days: i64 = if i % 2 == 0 { 32 } else { 62 };
            let _ = write!(
                statements,
                "UPDATE posts SET created_at = created_at - {} WHERE id = {};",
                days * 86_400_000_000,
                own[2]
            );
            statements
        });
    sql(&app, moved);
    assert_figures_match_a_full_scan(&app, &admin, "as written").await;

    // Edits: to other terms, to no term at all.
    for (i, body) in [
        (
            0,
            "Now on pembrolizumab; the rash and the fatigue are gone.",
        ),
        (1, "Nothing to add."),
    ] {
        let edited = app
            .patch(
                &format!("/api/v1/posts/{}", replies[i][0]),
                Some(&members[i]),
                json!({"body": body}),
            )
            .await;
        assert_eq!(edited.status(), StatusCode::OK, "edit");
    }
    // The author deletes a reply.
    let deleted = app
        .delete(
            &format!("/api/v1/posts/{}", replies[5][1]),
            Some(&members[5]),
        )
        .await;
    assert!(deleted.status().is_success(), "delete");
    // A reply is reported and removed by a moderator.
    let reported = app
        .post(
            &format!("/api/v1/posts/{}/reports", replies[6][0]),
            Some(&members[7]),
            json!({"reason": "this looks like an advert"}),
        )
        .await;
    assert!(reported.status().is_success(), "report");
    let queue = app
        .get_json("/api/v1/mod/queue?community=lung", Some(&admin))
        .await;
    decide(&app, &admin, &queue, &replies[6][0], "remove").await;
    // A reply held by screening (a phone number) and approved.
    let held = app
        .reply(
            &members[8],
            &first,
            "Chemo support group, call me on 555-014-2288 about the nausea.",
        )
        .await;
    assert_eq!(held["status"], "held");
    let held_id = held["id"].as_str().expect("id").to_owned();
    assert_figures_match_a_full_scan(&app, &admin, "held").await;
    let queue = app
        .get_json("/api/v1/mod/queue?community=lung", Some(&admin))
        .await;
    decide(&app, &admin, &queue, &held_id, "approve").await;
    // Consent changes both ways.
    consent(&app, &members[2], false).await;
    consent(&app, &members[14], true).await;
    assert_figures_match_a_full_scan(&app, &admin, "edited, removed, approved, consents").await;

    // Erasure: one member's posts kept without a name, another's deleted.
    let store = app.store.clone();
    let (kept, gone) = (
        members[3].user_id.parse::<i64>().expect("id"),
        members[4].user_id.parse::<i64>().expect("id"),
    );
    tokio::task::spawn_blocking(move || {
        privacy::erase(&store, kept, ErasePosts::Anonymize).expect("erase");
        privacy::erase(&store, gone, ErasePosts::Delete).expect("erase");
    })
    .await
    .expect("erasure");
    assert_figures_match_a_full_scan(&app, &admin, "erased").await;

    // Posts whose terms are not stored (written before the migration, or by an older
    // node) are scanned by the page, then filled at startup.
    let forgotten = replies[9..12]
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    sql(
        &app,
        format!("DELETE FROM post_insight_terms WHERE post_id IN ({forgotten});"),
    );
    assert_figures_match_a_full_scan(&app, &admin, "terms missing").await;
    let store = app.store.clone();
    let filled = tokio::task::spawn_blocking(move || fill_terms(&store))
        .await
        .expect("fill task")
        .expect("fill");
    assert_eq!(filled, 9, "the posts without terms, and only they");
    // A changed vocabulary (another fingerprint) forgets every stored term and refills.
    sql(
        &app,
        "UPDATE insight_vocabulary SET fingerprint = 'older';".into(),
    );
    let store = app.store.clone();
    let refilled = tokio::task::spawn_blocking(move || fill_terms(&store))
        .await
        .expect("fill task")
        .expect("fill");
    assert!(refilled > 48, "every post refilled ({refilled})");
    assert_figures_match_a_full_scan(&app, &admin, "refilled").await;
}

async fn decide(app: &TestApp, admin: &Session, queue: &Value, post_id: &str, action: &str) {
    let item = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["post"]["id"] == post_id)
        .unwrap_or_else(|| panic!("{post_id} queued: {queue}"));
    let decided = app
        .post(
            &format!(
                "/api/v1/mod/queue/{}/decision",
                item["id"].as_str().expect("id")
            ),
            Some(admin),
            json!({"action": action, "reason": "checked"}),
        )
        .await;
    expect_json(decided, StatusCode::OK).await;
}

both_backends!(with crate::helpers::spawn_app; insights_from_stored_terms_match_a_full_scan);
