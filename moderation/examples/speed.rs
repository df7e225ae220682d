//! Screening speed on posts of about 2 KB built from the corpus (development aid for
//! profiling, e.g. under `perf record`): latency percentiles and posts per second on one
//! thread, then the throughput of the same posts split over every core (as `kindred
//! screen` does). Run from the workspace root:
//!
//! ```text
//! cargo run --release -p kindred-moderation --example speed
//! ```
use std::time::Instant;

use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, Lexicons, Model, Policy, ScreenInput, Screener, TrustLevel};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lexicons = Lexicons::parse(seed::LEXICONS)?;
    let model: Model = seed::MODEL.parse()?;
    let screener = Screener::new(lexicons, model);
    let corpus = seed::CORPUS[..3].join("\n");
    let posts: Vec<String> = parse_corpus(&corpus)?
        .iter()
        .map(|example| {
            let mut post = String::new();
            while post.len() + example.text.len() < 2048 {
                post.push_str(&example.text);
                post.push_str("\n\n");
            }
            post
        })
        .filter(|post| !post.is_empty())
        .collect();
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let policy = Policy::default();
    let mut times = Vec::with_capacity(posts.len() * rounds);
    let started = Instant::now();
    for _ in 0..rounds {
        for post in &posts {
            let start = Instant::now();
            std::hint::black_box(screener.screen(&ScreenInput {
                title: None,
                body: post,
                trust_level: TrustLevel::NEW,
                policy: &policy,
            }));
            times.push(start.elapsed());
        }
    }
    let total = started.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let bytes = posts.iter().map(String::len).sum::<usize>() / posts.len();
    println!(
        "{} screenings of ~{bytes} bytes: p50 {:?}, p99 {:?}, max {:?}, {:.0} posts/s on one thread",
        times.len(),
        at(0.50),
        at(0.99),
        times[times.len() - 1],
        times.len() as f64 / total.as_secs_f64()
    );
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for part in posts.chunks(posts.len().div_ceil(workers)) {
            let (screener, policy) = (&screener, &policy);
            scope.spawn(move || {
                for _ in 0..rounds {
                    for post in part {
                        std::hint::black_box(screener.screen(&ScreenInput {
                            title: None,
                            body: post,
                            trust_level: TrustLevel::NEW,
                            policy,
                        }));
                    }
                }
            });
        }
    });
    println!(
        "{:.0} posts/s on {workers} threads",
        (posts.len() * rounds) as f64 / started.elapsed().as_secs_f64()
    );
    Ok(())
}
