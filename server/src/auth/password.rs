//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1, per-hash random salt).

use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::Error;

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::DEFAULT)
}

/// A counting semaphore for the blocking threads that hash.
struct Permits {
    free: Mutex<usize>,
    freed: Condvar,
}

struct Permit<'a>(&'a Permits);

impl Permits {
    fn new(count: usize) -> Permits {
        Permits {
            free: Mutex::new(count),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        self.free
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn acquire(&self) -> Permit<'_> {
        let mut free = self.lock();
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.lock() += 1;
        self.0.freed.notify_one();
    }
}

/// Each hash takes 19 MiB and a core for tens of milliseconds, and the blocking pool has
/// hundreds of threads: a burst of logins or sign-ups waits here, one hash per core,
/// instead of taking all the memory (the request budget answers 503 if it waits too long).
fn hashing_permits() -> &'static Permits {
    static PERMITS: OnceLock<Permits> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Permits::new(cores.max(2))
    })
}

pub fn hash(password: &str) -> Result<String, Error> {
    let _permit = hashing_permits().acquire();
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::failed("password hashing failed", e.to_string()))
}

pub fn verify(password: &str, stored_hash: &str) -> bool {
    let _permit = hashing_permits().acquire();
    PasswordHash::new(stored_hash).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Spends the same time as checking a real password, for logins naming an unknown user,
/// so that the response time does not tell which usernames exist.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("kindred-timing-equaliser").unwrap_or_default());
    verify(password, dummy);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_waits_for_a_free_permit() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let permits = Arc::new(Permits::new(2));
        let first = permits.acquire();
        let _second = permits.acquire();
        let got_third = Arc::new(AtomicBool::new(false));
        let waiter = {
            let (permits, got_third) = (permits.clone(), got_third.clone());
            std::thread::spawn(move || {
                let _third = permits.acquire();
                got_third.store(true, Ordering::SeqCst);
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            !got_third.load(Ordering::SeqCst),
            "a third permit out of two"
        );
        drop(first);
        waiter.join().expect("waiter");
        assert!(got_third.load(Ordering::SeqCst));
    }

    #[test]
    fn hashes_verify_and_are_salted() {
        let first = hash("correct horse battery").expect("hash");
        let second = hash("correct horse battery").expect("hash");
        assert_ne!(first, second);
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", &first));
        assert!(!verify("wrong horse battery", &first));
        assert!(!verify("anything", "not a hash"));
    }
}
