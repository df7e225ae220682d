//! `kindred bench insights`: how long the `/insights/{slug}` page takes to build its
//! figures for 12 months of a community with `posts` opted-in posts (the page's two
//! reports: the chosen 12 months and the 12 before, each read, scanned for vocabulary
//! terms, aggregated and suppressed, and audited), on a throw-away SQLite database and
//! PostgreSQL if given. Rendering the SVG is not included: it draws the finished figures.
//!
//! The data is written with plain SQL (the same for both backends): one community, 2,000
//! opted-in members, 10,000 threads, and posts spread evenly over the 12 months, their
//! bodies drawn from a few sentences that mention treatments, side effects and concerns.
//! The posts' vocabulary terms are then stored by the code a server runs at startup for
//! posts that have none (`service::insights::fill_terms`), timed apart.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use crate::postgres_url_for;
use crate::ws::connect_postgres;
use kindred_server::config::{DatabaseTarget, DbTimeouts};
use kindred_server::domain::current_user::CurrentUser;
use kindred_server::domain::ids::{SessionId, UserId};
use kindred_server::domain::user::SiteRole;
use kindred_server::error::Error;
use kindred_server::service::insights::{fill_terms, page_reports, InsightsRequest};
use kindred_server::store::Store;

pub struct InsightsBench {
    pub posts: usize,
    /// Timed page builds (the first also warms the database's cache).
    pub repeats: usize,
    /// Also measure on PostgreSQL (a throw-away database on this server).
    pub postgres_url: Option<String>,
    /// Where the SQLite database goes (removed afterwards).
    pub work_dir: PathBuf,
}

const MEMBERS: usize = 2_000;
const THREADS: usize = 10_000;
/// 2026-01-01 00:00 UTC, the first of the 12 months.
const FIRST_MONTH: i64 = 1_767_225_600 * 1_000_000;
/// 30 days: posts of month `k` are written `k` times this after `FIRST_MONTH`, plus a day.
const MONTH: i64 = 30 * 86_400 * 1_000_000;
const DAY: i64 = 86_400 * 1_000_000;

const BODIES: [&str; 8] = [
    "<p>Chemo round 3 and the neuropathy is back, pins and needles in my fingers.</p>",
    "<p>Can&#39;t afford the copay for immunotherapy this month. Anyone found help with cost?</p>",
    "<p>Radiation left me with so much fatigue. Sleep is impossible, insomnia every night.</p>",
    "<p>Scan anxiety before the CT on Friday. Waiting is the worst part.</p>",
    "<p>Started osimertinib, some rash and diarrhea but manageable.</p>",
    "<p>Thinking of you all today. Nothing to report, just saying hello.</p>",
    "<p>Nausea after chemo again; ginger helps a bit. Anyone else on carboplatin?</p>",
    "<p>My insurance denied the claim for the PET scan. Feeling so much anxiety.</p>",
];

pub fn run(bench: &InsightsBench) -> Result<String, Error> {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "insights page figures, 12 months, {} posts by {MEMBERS} opted-in members ({} timed builds)",
        bench.posts, bench.repeats
    );
    let dir = bench.work_dir.join(format!(
        "kindred-bench-insights-{:016x}",
        rand::random::<u64>()
    ));
    let sqlite = DatabaseTarget::Sqlite(dir.join("bench.db"));
    let outcome = measure(bench, &sqlite);
    let _ = std::fs::remove_dir_all(&dir);
    line(&mut report, "SQLite", outcome?);
    if let Some(postgres) = &bench.postgres_url {
        let admin_url = postgres_url_for(postgres, "postgres")?;
        let database = format!("kindred_bench_insights_{:08x}", rand::random::<u32>());
        connect_postgres(&admin_url)?.batch_execute(&format!("CREATE DATABASE {database}"))?;
        let target = DatabaseTarget::Postgres(postgres_url_for(postgres, &database)?);
        let outcome = measure(bench, &target);
        let dropped = connect_postgres(&admin_url).and_then(|mut admin| {
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                .map_err(Error::from)
        });
        line(&mut report, "PostgreSQL", outcome?);
        dropped?;
    }
    Ok(report)
}

/// What one backend measured.
struct Measured {
    load: Duration,
    /// Storing the posts' vocabulary terms, as a server does at startup.
    fill: Duration,
    builds: Vec<Duration>,
}

fn line(
    report: &mut String,
    backend: &str,
    Measured {
        load,
        fill,
        mut builds,
    }: Measured,
) {
    builds.sort();
    let _ = writeln!(
        report,
        "{backend:<12} load {:>7.1} s   terms {:>6.1} s   page build median {:>8.1} ms  worst {:>8.1} ms",
        load.as_secs_f64(),
        fill.as_secs_f64(),
        crate::millis(crate::percentile(&builds, 0.5)),
        crate::millis(builds.last().copied().unwrap_or_default()),
    );
}

fn measure(bench: &InsightsBench, target: &DatabaseTarget) -> Result<Measured, Error> {
    let seeding = Store::connect_with(
        target,
        1,
        DbTimeouts {
            statement: Duration::from_secs(3600),
            ..DbTimeouts::default()
        },
    )?;
    let started = Instant::now();
    let sql = seed_sql(bench.posts);
    seeding.write(|conn| Ok(conn.batch_execute(&sql)?))?;
    let load = started.elapsed();
    drop(seeding);
    let store = Store::connect_with(
        target,
        2,
        DbTimeouts {
            statement: Duration::from_secs(600),
            ..DbTimeouts::default()
        },
    )?;
    let started = Instant::now();
    fill_terms(&store)?;
    let fill = started.elapsed();
    let admin = CurrentUser {
        id: UserId(0),
        username: "bench_admin".into(),
        site_role: SiteRole::Admin,
        session_id: SessionId(0),
    };
    let request = InsightsRequest::parse("bench", "2026-01", "2026-12", None)?;
    let mut builds = Vec::with_capacity(bench.repeats);
    for _ in 0..bench.repeats.max(1) {
        let started = Instant::now();
        let reports = page_reports(&store, &admin, &request)?;
        builds.push(started.elapsed());
        drop(reports);
    }
    Ok(Measured { load, fill, builds })
}

/// Member `i` has id `i` (1…2,000, all opted in); admin id 0; posts `1…posts`.
fn seed_sql(posts: usize) -> String {
    let at = FIRST_MONTH;
    let bodies = BODIES
        .iter()
        .enumerate()
        .fold(String::new(), |mut cases, (k, body)| {
            let _ = write!(cases, " WHEN {k} THEN '{}'", body.replace('\'', "''"));
            cases
        });
    format!(
        "INSERT INTO users (id, username, display_name, email, password_hash, site_role, created_at)
           VALUES (0, 'bench_admin', 'Admin', NULL, '-', 'admin', {at});
         INSERT INTO users (id, username, display_name, email, password_hash, created_at,
                            insights_opt_in)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MEMBERS})
           SELECT i, 'member_' || i, 'Member ' || i, NULL, '-', {at}, TRUE FROM n;
         INSERT INTO communities (id, slug, name, description, rules, kind, visibility,
                                  join_policy, created_at)
           VALUES (1, 'bench', 'Bench', '', '', 'general', 'public', 'open', {at});
         INSERT INTO threads (id, community_id, author_id, title, post_count, created_at,
                              last_post_at)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {THREADS})
           SELECT i, 1, 1 + i % {MEMBERS}, 'Thread ' || i, 0, {at}, {at} FROM n;
         INSERT INTO posts (id, thread_id, community_id, author_id, body_source, body_html,
                            status, created_at)
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {posts})
           SELECT i, 1 + i % {THREADS}, 1, 1 + (i * 7) % {MEMBERS}, '-',
                  CASE i % {kinds}{bodies} END,
                  'published', {at} + (i % 12) * {MONTH} + {DAY} FROM n;",
        kinds = BODIES.len()
    )
}
