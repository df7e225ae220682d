//! `kindred bench`: measurements an operator can repeat on their own machine. Results are
//! printed as tables; BENCHMARKS.md records the ones we ran.
//!
//! These are tools, not the application: they create, load and drop throw-away
//! PostgreSQL databases of their own (`search.rs` also queries its own table), which is
//! why SQL appears here and not only in `store/`. Nothing here runs inside
//! `kindred serve`; `ws.rs` and `post.rs` start `kindred serve` as child processes. A crate
//! of its own so none of this ships in the server library.

mod client;
pub mod digest;
pub mod insights;
pub mod mail;
pub mod markdown;
pub mod post;
pub mod search;
pub mod ws;

use std::time::Duration;

use kindred_server::error::Error;

/// The value at `fraction` (0.0–1.0) of sorted samples, nearest rank; zero when empty.
pub(crate) fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

pub(crate) fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// A kernel memory figure of a process (`VmRSS`, `VmHWM`, …) from /proc, in KiB.
pub(crate) fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        line.strip_prefix(field)?
            .strip_prefix(':')?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    })
}

/// `url` (a `postgres://` URL) with its database name replaced by `database`; the query
/// string, if any, is kept.
pub(crate) fn postgres_url_for(url: &str, database: &str) -> Result<String, Error> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (scheme, rest) = base
        .split_once("://")
        .filter(|(scheme, _)| *scheme == "postgres" || *scheme == "postgresql")
        .ok_or_else(|| Error::Config("--postgres must be a postgres:// URL".into()))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let mut out = format!("{scheme}://{authority}/{database}");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_get_another_database() {
        assert_eq!(
            postgres_url_for("postgres://u@h:5432/test?gssencmode=disable", "b").ok(),
            Some("postgres://u@h:5432/b?gssencmode=disable".into())
        );
        assert_eq!(
            postgres_url_for("postgresql://h", "b").ok(),
            Some("postgresql://h/b".into())
        );
        assert!(postgres_url_for("sqlite://x.db", "b").is_err());
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 0.5), Duration::from_millis(51));
        assert_eq!(percentile(&samples, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }
}
