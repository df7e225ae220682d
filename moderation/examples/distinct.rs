//! Screening cost on distinct posts of about 2 KB (development aid for issue 22): post `i`
//! joins different corpus posts (`(i·7919 + k·104729) mod n` for k = 0, 1, …) until it
//! reaches about 2 KB, so no two posts share their text and nothing repeats inside a post,
//! unlike the `speed` example's repetitions of one post. Each post is screened once, on
//! one thread, with the committed screener (`kindred screen`'s).
//!
//! Measure CPU time or instructions, not wall-clock, on a shared machine, and subtract a
//! run with `POSTS=0` (set-up only):
//!
//! ```text
//! cargo build --release -p kindred-moderation --examples
//! POSTS=2000 valgrind --tool=callgrind target/release/examples/distinct
//! POSTS=20000 /usr/bin/time -f '%U user %S sys' target/release/examples/distinct
//! ```
//!
//! With `VERDICTS=path`, every verdict is also written there as a JSON line, to check
//! that an optimisation leaves the output byte-identical (`cmp` before and after); with
//! `AS_IS=file.jsonl`, the posts are the `text` of each line of that file instead, each
//! once (a corpus as `kindred moderation eval` screens it).
use std::io::Write;
use std::time::Instant;

use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, Policy, ScreenInput, Screener, TrustLevel};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let screener = Screener::committed()?;
    let texts: Vec<String> = parse_corpus(&seed::corpus())?
        .into_iter()
        .map(|example| example.text)
        .collect();
    let count: usize = std::env::var("POSTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let posts: Vec<String> = match std::env::var("AS_IS") {
        Ok(path) => std::fs::read_to_string(path)?
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line)?;
                Ok(value["text"].as_str().unwrap_or_default().to_string())
            })
            .collect::<Result<_, serde_json::Error>>()?,
        Err(_) => distinct_posts(&texts, count),
    };
    let count = posts.len();
    let mut verdicts = match std::env::var("VERDICTS") {
        Ok(path) => Some(std::io::BufWriter::new(std::fs::File::create(path)?)),
        Err(_) => None,
    };
    let policy = Policy::default();
    let started = Instant::now();
    for post in &posts {
        let verdict = screener.screen(&ScreenInput {
            title: None,
            body: post,
            trust_level: TrustLevel::NEW,
            policy: &policy,
        });
        if let Some(out) = verdicts.as_mut() {
            serde_json::to_writer(&mut *out, &verdict)?;
            out.write_all(b"\n")?;
        }
        std::hint::black_box(verdict);
    }
    let elapsed = started.elapsed();
    if let Some(mut out) = verdicts {
        out.flush()?;
    }
    if let Some(bytes) = posts
        .iter()
        .map(String::len)
        .sum::<usize>()
        .checked_div(count)
    {
        println!(
            "{count} posts of ~{bytes} bytes: {:.0} µs each (wall-clock, one thread)",
            elapsed.as_secs_f64() * 1e6 / count as f64
        );
    }
    Ok(())
}

/// Post `i` joins corpus posts `(i·7919 + k·104729) mod n`, k = 0, 1, …, up to ~2 KB.
fn distinct_posts(texts: &[String], count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let mut post = String::new();
            for k in 0.. {
                let text = &texts[(i * 7919 + k * 104_729) % texts.len()];
                if !post.is_empty() && post.len() + text.len() + 2 > 2048 {
                    break;
                }
                if !post.is_empty() {
                    post.push_str("\n\n");
                }
                post.push_str(text);
            }
            post
        })
        .collect()
}
