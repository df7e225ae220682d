//! Single-flight renewal of browser (cookie) sessions.
//!
//! When the access cookie has expired, the first page a browser loads renews the session
//! with its refresh cookie, and the refresh token is spent. A browser with two tabs open
//! sends two requests at the same instant carrying the same refresh cookie; the second
//! would present a spent token, which reuse detection treats as theft and answers by
//! ending the session. Instead, cookie renewals on a node run one at a time, and for a
//! few seconds a renewal is remembered by the spent token's hash: the second tab gets the
//! same new cookies as the first. The API's `/auth/refresh` does not use this, so a spent
//! token presented there always revokes its family.
//!
//! Behind a load balancer the two requests may reach different nodes; sticky sessions
//! keep them together, otherwise the second tab is signed out (the safe failure).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, MutexGuard};

/// How long a renewal is handed to other requests carrying the same refresh cookie.
const REMEMBERED_FOR: Duration = Duration::from_secs(10);

/// New credentials from one renewal.
#[derive(Clone)]
pub struct Renewal {
    pub access_token: String,
    pub refresh_token: String,
    at: Instant,
}

impl Renewal {
    pub fn new(access_token: String, refresh_token: String) -> Renewal {
        Renewal {
            access_token,
            refresh_token,
            at: Instant::now(),
        }
    }
}

#[derive(Default)]
pub struct CookieRenewals {
    recent: Mutex<HashMap<String, Renewal>>,
}

/// Held while one renewal runs; other renewals on this node wait for it.
pub struct RenewalSlot<'a> {
    recent: MutexGuard<'a, HashMap<String, Renewal>>,
}

impl CookieRenewals {
    /// Waits for any renewal in progress, then forgets renewals older than a few seconds.
    pub async fn slot(&self) -> RenewalSlot<'_> {
        let mut recent = self.recent.lock().await;
        recent.retain(|_, renewal| renewal.at.elapsed() < REMEMBERED_FOR);
        RenewalSlot { recent }
    }
}

impl RenewalSlot<'_> {
    /// The renewal made moments ago with this (now spent) refresh token, if any.
    pub fn recent(&self, refresh_token_hash: &str) -> Option<Renewal> {
        self.recent.get(refresh_token_hash).cloned()
    }

    pub fn remember(&mut self, refresh_token_hash: String, renewal: Renewal) {
        self.recent.insert(refresh_token_hash, renewal);
    }
}
