//! Counting failures per key within a time window (per node, in memory). Used to slow
//! down password guessing: once a key has failed `max` times, it waits out the window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::Error;

pub struct FailureLimiter {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Above this many tracked keys, expired entries are swept before adding another.
const SWEEP_ABOVE: usize = 10_000;

impl FailureLimiter {
    pub fn new(max_failures: u32, window: Duration) -> FailureLimiter {
        FailureLimiter {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(RateLimited)` while `key` has used up its failures in the current window.
    pub fn check(&self, key: &str) -> Result<(), Error> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match failures.get(key) {
            Some((started, count)) if *count >= self.max_failures => {
                let elapsed = started.elapsed();
                if elapsed < self.window {
                    Err(Error::RateLimited {
                        retry_after_secs: (self.window - elapsed).as_secs().max(1),
                    })
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > SWEEP_ABOVE {
            let window = self.window;
            failures.retain(|_, (started, _)| started.elapsed() < window);
        }
        let entry = failures
            .entry(key.to_owned())
            .or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_forgets_after_the_window() {
        let limiter = FailureLimiter::new(2, Duration::from_millis(50));
        assert!(limiter.check("k").is_ok());
        limiter.record_failure("k");
        limiter.record_failure("k");
        assert!(matches!(limiter.check("k"), Err(Error::RateLimited { .. })));
        assert!(limiter.check("other").is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert!(limiter.check("k").is_ok());
    }
}
