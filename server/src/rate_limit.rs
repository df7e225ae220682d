//! Attempts counted per key within a fixed time window: failed logins (per username and
//! per client address), to slow down password guessing; data exports; and the actions a
//! spammer repeats — registering, posting, reporting, previewing ([`AbuseLimits`]). Once
//! a key has used up its attempts it waits out the window, answered with `429` and
//! `Retry-After`.
//!
//! The counts live in the database (`store::rate_limits`), so every node behind a load
//! balancer counts the same attempts. A key is stored as an HMAC-SHA256 under the
//! deployment's secret, so the table holds no usernames or addresses, and guessing which
//! address a row belongs to needs the secret.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Limits;
use crate::domain::hex::lower_hex;
use crate::error::Error;
use crate::store::{rate_limits, DbConnection};

/// Windows older than this are deleted as new attempts come in; no window is longer.
const LONGEST_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// One kind of limited attempt.
pub struct RateLimit {
    scope: &'static str,
    max_attempts: u32,
    window_micros: i64,
    /// HMAC-SHA256 keyed with the deployment's secret, cloned for every key.
    mac: Hmac<Sha256>,
}

impl RateLimit {
    /// `scope` names the kind of attempt (part of every key); `window` is capped at a day.
    pub fn new(scope: &'static str, max_attempts: u32, window: Duration, secret: &[u8]) -> Self {
        RateLimit {
            scope,
            max_attempts,
            window_micros: window.min(LONGEST_WINDOW).as_micros() as i64,
            // Called once at startup; HMAC hashes a key of any length, so this never fails.
            mac: Hmac::new_from_slice(secret).expect("HMAC accepts keys of any length"),
        }
    }

    fn key(&self, value: &str) -> String {
        let mut mac = self.mac.clone();
        for part in [self.scope.as_bytes(), value.as_bytes()] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        lower_hex(&mac.finalize().into_bytes())
    }

    /// `Err(RateLimited)` while `value` has used up its attempts in the current window.
    pub fn check(&self, conn: &mut DbConnection, value: &str, now: i64) -> Result<(), Error> {
        let since = now - self.window_micros;
        match rate_limits::current(conn, &self.key(value), since)? {
            Some((started, attempts)) if attempts >= i64::from(self.max_attempts) => {
                let left_micros = started + self.window_micros - now;
                Err(Error::RateLimited {
                    retry_after_secs: (left_micros / 1_000_000).max(1) as u64,
                })
            }
            _ => Ok(()),
        }
    }

    /// Checks `value` and counts this attempt: [`RateLimit::check`] then
    /// [`RateLimit::record`]. Inside a write transaction the count goes with the action:
    /// an action that fails later is not counted.
    pub fn take(&self, conn: &mut DbConnection, value: &str, now: i64) -> Result<(), Error> {
        self.check(conn, value, now)?;
        self.record(conn, value, now)
    }

    /// Counts one attempt for `value`.
    pub fn record(&self, conn: &mut DbConnection, value: &str, now: i64) -> Result<(), Error> {
        rate_limits::count_attempt(conn, &self.key(value), now, now - self.window_micros)?;
        // Expired windows are ignored by `check` and restarted by `count_attempt`, so
        // deleting them is housekeeping: once a minute per process, not a table scan in
        // every write transaction that counts an attempt.
        let last = LAST_FORGET.load(Ordering::Relaxed);
        if (now - last).abs() >= FORGET_EVERY_MICROS
            && LAST_FORGET
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            rate_limits::forget_before(conn, now - LONGEST_WINDOW.as_micros() as i64)?;
        }
        Ok(())
    }
}

/// When this process last deleted expired windows (microseconds since the epoch).
static LAST_FORGET: AtomicI64 = AtomicI64::new(0);
const FORGET_EVERY_MICROS: i64 = 60_000_000;

/// How much one client address or one member may do, whatever they do it through (API
/// or pages). New members (trust level 0) post less: spam comes from fresh accounts.
pub struct AbuseLimits {
    /// Accounts created per client address.
    pub registrations_by_address: RateLimit,
    /// Threads and replies per member of trust level 1 and above.
    pub posts_by_member: RateLimit,
    /// Threads and replies per new member (trust level 0).
    pub posts_by_new_member: RateLimit,
    /// Reports per member.
    pub reports_by_member: RateLimit,
    /// Markdown previews per member.
    pub previews_by_member: RateLimit,
    /// Private messages per member of trust level 1 and above (as many as posts).
    pub messages_by_member: RateLimit,
    /// Private messages per new member (as many as their posts).
    pub messages_by_new_member: RateLimit,
    /// Reactions added or taken back per member.
    pub reactions_by_member: RateLimit,
    /// `@mention` suggestions per member.
    pub suggestions_by_member: RateLimit,
    /// Survey drafts, answers, withdrawals and dismissals per account.
    pub surveys_by_account: RateLimit,
}

impl AbuseLimits {
    /// The limit on threads and replies for a poster of this trust level. Staff, who are
    /// not screened (`None`), have none.
    pub fn posts_for(&self, trust: Option<u8>) -> Option<&RateLimit> {
        match trust {
            None => None,
            Some(0) => Some(&self.posts_by_new_member),
            Some(_) => Some(&self.posts_by_member),
        }
    }

    /// The limit on private messages for a sender of this trust level (`None`: site
    /// admins, who have none).
    pub fn messages_for(&self, trust: Option<u8>) -> Option<&RateLimit> {
        match trust {
            None => None,
            Some(0) => Some(&self.messages_by_new_member),
            Some(_) => Some(&self.messages_by_member),
        }
    }

    pub fn new(limits: &Limits, secret: &[u8]) -> AbuseLimits {
        let hour = Duration::from_secs(3600);
        let minute = Duration::from_secs(60);
        AbuseLimits {
            registrations_by_address: RateLimit::new(
                "register-address",
                limits.registrations_per_hour_per_ip,
                hour,
                secret,
            ),
            posts_by_member: RateLimit::new("post-member", limits.posts_per_hour, hour, secret),
            posts_by_new_member: RateLimit::new(
                "post-new-member",
                limits.posts_per_hour_new_member,
                hour,
                secret,
            ),
            reports_by_member: RateLimit::new(
                "report-member",
                limits.reports_per_hour,
                hour,
                secret,
            ),
            previews_by_member: RateLimit::new(
                "preview-member",
                limits.previews_per_minute,
                minute,
                secret,
            ),
            messages_by_member: RateLimit::new(
                "message-member",
                limits.posts_per_hour,
                hour,
                secret,
            ),
            messages_by_new_member: RateLimit::new(
                "message-new-member",
                limits.posts_per_hour_new_member,
                hour,
                secret,
            ),
            reactions_by_member: RateLimit::new(
                "reaction-member",
                limits.reactions_per_hour,
                hour,
                secret,
            ),
            suggestions_by_member: RateLimit::new(
                "suggest-member",
                limits.suggestions_per_minute,
                minute,
                secret,
            ),
            // As many as reactions: each is one deliberate click, never a burst.
            surveys_by_account: RateLimit::new(
                "survey-account",
                limits.reactions_per_hour,
                hour,
                secret,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_secret_scope_and_value_and_hide_them() {
        let window = Duration::from_secs(60);
        let login = RateLimit::new("login", 3, window, b"secret one");
        let key = login.key("maria");
        assert_eq!(key.len(), 64);
        assert!(!key.contains("maria"));
        assert_eq!(key, login.key("maria"));
        assert_ne!(key, login.key("maria2"));
        assert_ne!(
            key,
            RateLimit::new("export", 3, window, b"secret one").key("maria")
        );
        assert_ne!(
            key,
            RateLimit::new("login", 3, window, b"secret two").key("maria")
        );
        // Parts are length-prefixed: moving a byte between them changes the key.
        assert_ne!(
            RateLimit::new("ab", 1, window, b"s").key("c"),
            RateLimit::new("a", 1, window, b"s").key("bc")
        );
    }
}
