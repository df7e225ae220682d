//! Screening speed: one 2 KB post (criterion), a batch of corpus posts (throughput), and
//! latency percentiles over many posts, printed before criterion runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion, Throughput};
use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, Policy, ScreenInput, Screener, TrustLevel};

/// The screener the server runs: both classifiers, the self-harm model, the Spanish and
/// any-language lexicons.
fn screener() -> Screener {
    Screener::committed().unwrap_or_else(|e| panic!("{e}"))
}

/// Corpus posts, each repeated up to about 2 KB.
fn posts_of_2kb() -> Vec<String> {
    let corpus = seed::CORPUS[..2].join("\n");
    let examples = parse_corpus(&corpus).unwrap_or_else(|e| panic!("{e}"));
    examples
        .iter()
        .map(|e| {
            let mut post = String::new();
            while post.len() + e.text.len() < 2048 {
                post.push_str(&e.text);
                post.push_str("\n\n");
            }
            if post.is_empty() {
                post.push_str(&e.text);
            }
            post
        })
        .collect()
}

fn latency_percentiles(screener: &Screener, posts: &[String]) {
    let policy = Policy::default();
    let mut times: Vec<Duration> = Vec::with_capacity(posts.len() * 3);
    let started = Instant::now();
    for _ in 0..3 {
        for post in posts {
            let input = ScreenInput {
                title: None,
                body: post,
                trust_level: TrustLevel::NEW,
                policy: &policy,
            };
            let start = Instant::now();
            black_box(screener.screen(black_box(&input)));
            times.push(start.elapsed());
        }
    }
    let total = started.elapsed();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let bytes: usize = posts.iter().map(String::len).sum::<usize>() / posts.len();
    println!(
        "screen, {} posts of ~{bytes} bytes: p50 {:?}, p99 {:?}, max {:?}, {:.0} posts/s on one thread",
        times.len(),
        at(0.50),
        at(0.99),
        times[times.len() - 1],
        times.len() as f64 / total.as_secs_f64()
    );
}

fn benches(c: &mut Criterion) {
    let screener = screener();
    let posts = posts_of_2kb();
    latency_percentiles(&screener, &posts);
    let policy = Policy::default();
    let post = &posts[posts.len() / 2];
    c.bench_function("screen one 2 KB post", |b| {
        let input = ScreenInput {
            title: None,
            body: post,
            trust_level: TrustLevel::NEW,
            policy: &policy,
        };
        b.iter(|| screener.screen(black_box(&input)));
    });
    let batch = &posts[..100];
    let mut group = c.benchmark_group("throughput");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("screen 100 posts of 2 KB", |b| {
        b.iter(|| {
            for post in batch {
                let input = ScreenInput {
                    title: None,
                    body: post,
                    trust_level: TrustLevel::NEW,
                    policy: &policy,
                };
                black_box(screener.screen(black_box(&input)));
            }
        });
    });
    group.finish();
}

criterion_group!(screen, benches);

fn main() {
    screen();
    Criterion::default().configure_from_args().final_summary();
}
