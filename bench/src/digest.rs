//! `kindred bench digest`: how long the notification-mail job takes to build the daily
//! digests of `members` members with `items` unread replies each, at their digest hour:
//! reading the notifications, checking what each member may still see, rendering the
//! digests and writing them into the outbox (nothing is sent).
//!
//! The data is written with plain SQL (the same for SQLite and PostgreSQL): one community
//! everyone belongs to, one thread of `items` posts, and for each member one
//! `reply_to_thread` notification per post, an hour before the digest hour.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::postgres_url_for;
use crate::ws::connect_postgres;
use kindred_server::config::{DatabaseTarget, DbTimeouts};
use kindred_server::error::Error;
use kindred_server::service::mail_preferences::{NotificationMail, UnsubscribeKeys};
use kindred_server::store::Store;

pub struct DigestBench {
    pub members: usize,
    pub items: usize,
    /// Also measure on PostgreSQL (a throw-away database on this server).
    pub postgres_url: Option<String>,
    /// Where the SQLite database goes (removed afterwards).
    pub work_dir: PathBuf,
}

/// 2026-12-07 08:00 UTC: the default digest hour in the default zone (UTC).
const DIGEST_AT: i64 = 1_796_630_400 * 1_000_000;
const HOUR: i64 = 3_600 * 1_000_000;

pub fn run(bench: &DigestBench) -> Result<String, Error> {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "daily digests for {} members with {} unread replies each",
        bench.members, bench.items
    );
    let dir = bench.work_dir.join(format!(
        "kindred-bench-digest-{:016x}",
        rand::random::<u64>()
    ));
    let sqlite = DatabaseTarget::Sqlite(dir.join("bench.db"));
    let outcome = measure(bench, &sqlite);
    let _ = std::fs::remove_dir_all(&dir);
    line(&mut report, "SQLite", bench, outcome?);
    if let Some(postgres) = &bench.postgres_url {
        let admin_url = postgres_url_for(postgres, "postgres")?;
        let database = format!("kindred_bench_digest_{:08x}", rand::random::<u32>());
        connect_postgres(&admin_url)?.batch_execute(&format!("CREATE DATABASE {database}"))?;
        let target = DatabaseTarget::Postgres(postgres_url_for(postgres, &database)?);
        let outcome = measure(bench, &target);
        let dropped = connect_postgres(&admin_url).and_then(|mut admin| {
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                .map_err(Error::from)
        });
        line(&mut report, "PostgreSQL", bench, outcome?);
        dropped?;
    }
    Ok(report)
}

fn line(
    report: &mut String,
    backend: &str,
    bench: &DigestBench,
    (took, digests): (Duration, usize),
) {
    let _ = writeln!(
        report,
        "{backend:<12} {:>8.1} s  {digests} digests  {:.0} digests/s  {:.0} items/s",
        took.as_secs_f64(),
        digests as f64 / took.as_secs_f64(),
        (digests * bench.items) as f64 / took.as_secs_f64()
    );
}

/// Seeds the data, then times one run of the job at the digest hour.
fn measure(bench: &DigestBench, target: &DatabaseTarget) -> Result<(Duration, usize), Error> {
    // Seeding writes the whole data set in a few statements, longer than the server's
    // statement timeout allows; the job then runs with the server's timeouts.
    let seeding = Store::connect_with(
        target,
        1,
        DbTimeouts {
            statement: Duration::from_secs(3600),
            ..DbTimeouts::default()
        },
    )?;
    let sql = seed_sql(bench.members, bench.items);
    seeding.write(|conn| Ok(conn.batch_execute(&sql)?))?;
    drop(seeding);
    let store = Store::connect(target, 4)?;
    let job = NotificationMail {
        public_url: "https://kindred.example.org".into(),
        default_language: kindred_web::i18n::Lang::En,
        keys: UnsubscribeKeys::new(b"kindred bench digest"),
        grace: Duration::from_secs(60),
    };
    let started = Instant::now();
    let ran = job.run(&store, DIGEST_AT)?;
    let took = started.elapsed();
    if ran.digests != bench.members {
        return Err(Error::Internal(format!(
            "expected {} digests, the job built {} ({} items skipped)",
            bench.members, ran.digests, ran.skipped
        )));
    }
    Ok((took, ran.digests))
}

/// Member `i` has id `i` (1…members); the author of the posts is id 0, the posts are
/// `1…items`.
fn seed_sql(members: usize, items: usize) -> String {
    let at = DIGEST_AT - HOUR;
    format!(
        "INSERT INTO users (id, username, display_name, email, password_hash, created_at)
           VALUES (0, 'bench_author', 'Author', NULL, '-', {at});
         INSERT INTO users (id, username, display_name, email, password_hash, created_at)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {members})
           SELECT i, 'member_' || i, 'Member ' || i, 'member' || i || '@example.org', '-', {at}
           FROM n;
         INSERT INTO communities (id, slug, name, description, rules, kind, visibility,
                                  join_policy, created_at)
           VALUES (1, 'bench', 'Bench', '', '', 'general', 'public', 'open', {at});
         INSERT INTO memberships (community_id, user_id, state, created_at, updated_at)
           WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {members})
           SELECT 1, i, 'active', {at}, {at} FROM n;
         INSERT INTO threads (id, community_id, author_id, title, post_count, created_at,
                              last_post_at)
           VALUES (1, 1, 0, 'Scan days', {items}, {at}, {at});
         INSERT INTO posts (id, thread_id, community_id, author_id, body_source, body_html,
                            status, created_at)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {items})
           SELECT i, 1, 1, 0, 'Thinking of you today.', '<p>Thinking of you today.</p>',
                  'published', {at} FROM n;
         INSERT INTO notifications (id, user_id, kind, community_id, thread_id, post_id,
                                    actor_id, created_at)
           WITH RECURSIVE m(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM m WHERE i < {members}),
                p(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM p WHERE j < {items})
           SELECT m.i * {items} + p.j, m.i, 'reply_to_thread', 1, 1, p.j, 0, {at}
           FROM m CROSS JOIN p;"
    )
}
