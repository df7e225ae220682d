//! Counting attempts per key within a time window (per node, in memory): failed logins,
//! to slow down password guessing, and data exports. Once a key has used up `max`
//! attempts, it waits out the window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::Error;

pub struct WindowLimiter {
    max_attempts: u32,
    window: Duration,
    attempts: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Above this many tracked keys, expired entries are swept before adding another.
const SWEEP_ABOVE: usize = 10_000;

impl WindowLimiter {
    pub fn new(max_attempts: u32, window: Duration) -> WindowLimiter {
        WindowLimiter {
            max_attempts,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(RateLimited)` while `key` has used up its attempts in the current window.
    pub fn check(&self, key: &str) -> Result<(), Error> {
        let attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        match attempts.get(key) {
            Some((started, count)) if *count >= self.max_attempts => {
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

    pub fn record(&self, key: &str) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        if attempts.len() > SWEEP_ABOVE {
            let window = self.window;
            attempts.retain(|_, (started, _)| started.elapsed() < window);
        }
        let entry = attempts
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
        let limiter = WindowLimiter::new(2, Duration::from_millis(50));
        assert!(limiter.check("k").is_ok());
        limiter.record("k");
        limiter.record("k");
        assert!(matches!(limiter.check("k"), Err(Error::RateLimited { .. })));
        assert!(limiter.check("other").is_ok());
        std::thread::sleep(Duration::from_millis(60));
        assert!(limiter.check("k").is_ok());
    }
}
