//! `kindred bench markdown`: the most expensive post bodies we can find, and what they do
//! to a running server.
//!
//! 1. **Known bombs**: bodies of 2–20 KB that made rendering cost seconds before its
//!    bounds (deep block quotes and lists on one line, a table padded to a wide header,
//!    …), timed through today's [`render_markdown`] and through the unbounded pipeline it
//!    replaced (pulldown-cmark, then ammonia, nothing else), side by side.
//! 2. **Search**: a hill-climb over random bodies of markdown punctuation, 2–20 KB,
//!    keeping and mutating the slowest, to find bodies the list above does not know.
//!    Refused bodies count too: refusing must be cheap as well.
//! 3. **Under attack**: an in-process server on a throw-away SQLite database with the
//!    demo data; four clients post the most expensive accepted body as replies (as a
//!    member, so screening runs too; the bench lifts the posting limits) while a fifth
//!    times `/livez`. The same `/livez` timing without the attackers is the baseline.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::json;

use crate::client::LocalApi;
use crate::{millis, percentile};
use kindred_server::config::{ConfigInput, Settings};
use kindred_server::domain::markdown::{render_markdown, render_unbounded};
use kindred_server::error::Error;
use kindred_server::startup::Application;
use kindred_server::store::Store;

/// What to run.
#[derive(Debug, Clone)]
pub struct MarkdownBench {
    /// Mutation rounds of the search.
    pub rounds: usize,
    /// Seconds of `/livez` timing with and without the attackers.
    pub attack_secs: u64,
    pub seed: u64,
}

/// Pieces the search builds bodies from: every markdown marker, and a little text.
const PIECES: [&str; 24] = [
    ">", "> ", "- ", "* ", "+ ", "1. ", "1) ", "|", "|-", "\n", "  ", "    ", "[", "]", "(", ")",
    "`", "*", "_", "#", "<", "&", "\\", "a",
];

fn known_bombs() -> Vec<(&'static str, String)> {
    // Rows shorter than the header are padded to its width: 3 characters ask for 200 cells.
    let mut table = format!("{}|\n{}|\n", "|a".repeat(200), "|-".repeat(200));
    table.push_str(&"a|\n".repeat(6_000));
    let mut staircase = String::new();
    for level in 0..120 {
        staircase.push_str(&" ".repeat(level * 2));
        staircase.push_str("- x\n");
    }
    vec![
        (">×20,000", ">".repeat(20_000)),
        (">×5,000", ">".repeat(5_000)),
        ("\"> - \"×5,000", "> - ".repeat(5_000)),
        ("\"- > \"×5,000", "- > ".repeat(5_000)),
        ("\"1. \"×6,666", "1. ".repeat(6_666)),
        ("\"* \"×10,000", "* ".repeat(10_000)),
        ("lists nested by indentation, 120 deep", staircase),
        ("table rows padded to 200 columns", table),
        ("\"*a* \"×5,000", "*a* ".repeat(5_000)),
        (
            "\"[a](http://a.b) \"×1,300",
            "[a](http://a.b) ".repeat(1_300),
        ),
        ("\"<\"×20,000", "<".repeat(20_000)),
        ("\"`\"×20,000", "`".repeat(20_000)),
        ("\"[\"×20,000", "[".repeat(20_000)),
        ("\"*\"×20,000", "*".repeat(20_000)),
    ]
}

/// The slowest of three runs of `f` (to keep the search from chasing noise, a body's cost
/// is its best time: what it reliably costs).
fn cost(f: impl Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn render_cost(body: &str) -> (Duration, bool) {
    let accepted = render_markdown("body", body).is_ok();
    (
        cost(|| {
            let _ = std::hint::black_box(render_markdown("body", body));
        }),
        accepted,
    )
}

fn random_body(rng: &mut StdRng) -> String {
    let target = rng.gen_range(2_000..=20_000);
    let mut body = String::with_capacity(target + 8);
    while body.len() < target {
        let piece = PIECES[rng.gen_range(0..PIECES.len())];
        let times = rng.gen_range(1..=40);
        for _ in 0..times {
            body.push_str(piece);
        }
    }
    body.truncate(target.min(body.len()));
    body
}

/// A variation of `body`: a slice repeated, pieces inserted, or a slice cut, kept within
/// 20,000 characters.
fn mutate(body: &str, rng: &mut StdRng) -> String {
    let bytes = body.as_bytes();
    let at = rng.gen_range(0..bytes.len().max(1));
    let end = (at + rng.gen_range(1..64)).min(bytes.len());
    let mut out = match rng.gen_range(0..3) {
        0 => {
            let slice = &bytes[at..end];
            let mut out = bytes[..end].to_vec();
            for _ in 0..rng.gen_range(2..200) {
                out.extend_from_slice(slice);
            }
            out.extend_from_slice(&bytes[end..]);
            out
        }
        1 => {
            let piece = PIECES[rng.gen_range(0..PIECES.len())];
            let mut out = bytes[..at].to_vec();
            for _ in 0..rng.gen_range(1..100) {
                out.extend_from_slice(piece.as_bytes());
            }
            out.extend_from_slice(&bytes[at..]);
            out
        }
        _ => [&bytes[..at], &bytes[end..]].concat(),
    };
    out.truncate(20_000);
    // The pieces are ASCII, so every cut is at a character boundary.
    String::from_utf8_lossy(&out).into_owned()
}

/// The slowest bodies the hill-climb found: (cost, accepted, body).
fn search(bench: &MarkdownBench) -> Vec<(Duration, bool, String)> {
    let mut rng = StdRng::seed_from_u64(bench.seed);
    let mut pool: Vec<(Duration, bool, String)> = (0..40)
        .map(|_| {
            let body = random_body(&mut rng);
            let (time, accepted) = render_cost(&body);
            (time, accepted, body)
        })
        .collect();
    for _ in 0..bench.rounds {
        pool.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        pool.truncate(20);
        let parent = rng.gen_range(0..pool.len());
        let child = mutate(&pool[parent].2, &mut rng);
        if child.trim().is_empty() {
            continue;
        }
        let (time, accepted) = render_cost(&child);
        pool.push((time, accepted, child));
    }
    pool.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    pool.truncate(5);
    pool
}

fn describe(body: &str) -> String {
    let start: String = body.chars().take(24).collect();
    format!("{:?}… ({} chars)", start, body.chars().count())
}

pub fn run(bench: &MarkdownBench) -> Result<String, Error> {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "render + sanitise, best of 3 (ms): bounded (today) vs unbounded (before)"
    );
    let _ = writeln!(
        report,
        "{:<42} {:>9} {:>9} {:>10}",
        "body", "bounded", "outcome", "unbounded"
    );
    let mut worst_accepted: Option<(Duration, String)> = None;
    let mut consider = |time: Duration, accepted: bool, body: &str| {
        if accepted && worst_accepted.as_ref().is_none_or(|(t, _)| time > *t) {
            worst_accepted = Some((time, body.to_owned()));
        }
    };
    for (name, body) in known_bombs() {
        let (time, accepted) = render_cost(&body);
        let before = cost(|| {
            std::hint::black_box(render_unbounded(&body));
        });
        let _ = writeln!(
            report,
            "{:<42} {:>9.2} {:>9} {:>10.1}",
            name,
            millis(time),
            if accepted { "accepted" } else { "refused" },
            millis(before)
        );
        consider(time, accepted, &body);
    }
    let _ = writeln!(
        report,
        "\nslowest of {} searched bodies (bounded renderer):",
        bench.rounds + 40
    );
    for (time, accepted, body) in search(bench) {
        let _ = writeln!(
            report,
            "{:<42} {:>9.2} {:>9}",
            describe(&body),
            millis(time),
            if accepted { "accepted" } else { "refused" }
        );
        consider(time, accepted, &body);
    }
    let Some((worst_time, worst_body)) = worst_accepted else {
        return Err(Error::Internal("no body was accepted".into()));
    };
    let _ = writeln!(
        report,
        "\nmost expensive accepted body: {} at {:.2} ms",
        describe(&worst_body),
        millis(worst_time)
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed("tokio runtime", e))?;
    let attack = runtime.block_on(under_attack(bench, worst_body))?;
    report.push_str(&attack);
    Ok(report)
}

/// `/livez` latency (p50, p99, max) over `secs`, while `attackers` clients post `body`.
async fn under_attack(bench: &MarkdownBench, body: String) -> Result<String, Error> {
    let data_dir = std::env::temp_dir().join(format!(
        "kindred-bench-markdown-{:016x}",
        rand::random::<u64>()
    ));
    let mut settings = Settings::load(ConfigInput {
        data_dir: Some(data_dir.clone()),
        bind: Some("127.0.0.1:0".into()),
        jwt_secret: Some("kindred-bench-markdown-secret-0123456789abcdef".into()),
        ..ConfigInput::default()
    })?;
    settings.limits.posts_per_hour = u32::MAX;
    settings.limits.posts_per_hour_new_member = u32::MAX;
    let store = Store::connect(&settings.database, settings.pool_size)?;
    kindred_server::seed::seed_demo(&store)?;
    let app = Application::build_with_store(settings, store)?;
    let port = app.port();
    let stop = app.stop_handle();
    let server = tokio::spawn(app.run_until_stopped());
    let api = LocalApi::new(port)?;
    let token = api.login("sam_patient").await?;
    let thread_id = match api
        .send(
            Method::GET,
            "/api/v1/communities/lung-cancer/threads?limit=1",
            Some(&token),
            None,
        )
        .await?
    {
        (200, page) => page["items"][0]["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Internal("the demo has no lung cancer thread".into()))?,
        (status, body) => {
            return Err(Error::Internal(format!("listing threads: {status} {body}")));
        }
    };
    let mut report = String::new();
    for attackers in [0usize, 4] {
        let running = Arc::new(AtomicBool::new(true));
        let posted = Arc::new(AtomicUsize::new(0));
        let mut clients = Vec::new();
        for _ in 0..attackers {
            let (running, posted, token, body, api) = (
                running.clone(),
                posted.clone(),
                token.clone(),
                body.clone(),
                api.clone(),
            );
            let path = format!("/api/v1/threads/{thread_id}/posts");
            clients.push(tokio::spawn(async move {
                let reply = json!({ "body": body });
                while running.load(Ordering::Relaxed) {
                    if let Ok((201, _)) = api
                        .send(Method::POST, &path, Some(&token), Some(&reply))
                        .await
                    {
                        posted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        let mut samples = Vec::new();
        let until = Instant::now() + Duration::from_secs(bench.attack_secs);
        while Instant::now() < until {
            let started = Instant::now();
            let (status, _) = api.send(Method::GET, "/livez", None, None).await?;
            if status != 200 {
                return Err(Error::Internal(format!("/livez answered {status}")));
            }
            samples.push(started.elapsed());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        running.store(false, Ordering::Relaxed);
        for client in clients {
            let _ = client.await;
        }
        samples.sort();
        let _ = writeln!(
            report,
            "/livez with {attackers} attackers: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms \
             ({} samples; {} expensive replies accepted)",
            millis(percentile(&samples, 0.5)),
            millis(percentile(&samples, 0.99)),
            millis(samples.last().copied().unwrap_or_default()),
            samples.len(),
            posted.load(Ordering::Relaxed),
        );
    }
    stop.stop();
    let _ = server.await;
    let _ = std::fs::remove_dir_all(&data_dir);
    Ok(report)
}
