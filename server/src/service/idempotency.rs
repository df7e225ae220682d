//! `Idempotency-Key`: a client that cannot tell whether its request to create something
//! (a thread, a reply, a report) was saved — the connection dropped, the server crashed —
//! sends it again with the same key and gets the first answer instead of a duplicate.
//!
//! The key is claimed by the first statement of the creating transaction and the answer
//! recorded by its last, so the row and the thing it created commit together or not at
//! all: a crash can leave neither a post without its key nor a key without its post.
//! Only successful creations are remembered; a refused request (400, 403, 422) wrote
//! nothing and may be sent again with the same key. A duplicate that arrives while the
//! first is still running waits for it (SQLite's write lock; on PostgreSQL the claim's
//! insert waits on the first transaction's uncommitted row) and then replays its answer.
//! Keys belong to one member and last 24 hours.

use std::sync::atomic::{AtomicI64, Ordering};

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::hex::lower_hex;
use crate::domain::ids::{PostId, ThreadId, UserId};
use crate::domain::moderation::ModerationText;
use crate::domain::post::{PostBody, ThreadTitle};
use crate::error::Error;
use crate::store::idempotency::{self, IdempotencyRow};
use crate::store::{DbConnection, Store};

/// How long a key is remembered.
pub const KEY_LIFETIME_MICROS: i64 = 24 * 3600 * 1_000_000;

/// How often a node deletes expired keys (lookups ignore them in the meantime).
const PURGE_EVERY_MICROS: i64 = 60 * 1_000_000;

/// A client's key for one creating request: 1 to 255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(raw: &[u8]) -> Result<IdempotencyKey, Error> {
        let visible = raw.iter().all(|b| (0x21..=0x7e).contains(b));
        match std::str::from_utf8(raw) {
            Ok(text) if visible && (1..=255).contains(&raw.len()) => {
                Ok(IdempotencyKey(text.to_owned()))
            }
            _ => Err(Error::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            )),
        }
    }

    /// A fresh random key, for the forms a page renders.
    pub fn random() -> IdempotencyKey {
        IdempotencyKey(format!("{:032x}", rand::random::<u128>()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A keyed request: its key and a fingerprint of what it asks for, so that the same key
/// sent with a different request is refused rather than answered with another's result.
#[derive(Debug, Clone)]
pub struct Keyed {
    key: IdempotencyKey,
    fingerprint: String,
}

impl Keyed {
    /// `parts` name the operation and its parsed input; each is length-prefixed so that
    /// no two different requests run together into the same bytes.
    fn new(key: IdempotencyKey, parts: &[&str]) -> Keyed {
        let mut hash = Sha256::new();
        for part in parts {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        let fingerprint = lower_hex(&hash.finalize());
        Keyed { key, fingerprint }
    }

    pub fn thread(key: IdempotencyKey, slug: &str, title: &ThreadTitle, body: &PostBody) -> Keyed {
        Keyed::new(key, &["thread", slug, title.as_str(), body.as_str()])
    }

    pub fn reply(
        key: IdempotencyKey,
        thread: ThreadId,
        body: &PostBody,
        reply_to: Option<PostId>,
    ) -> Keyed {
        let (thread, reply_to) = (thread.0.to_string(), reply_to.map(|p| p.0.to_string()));
        Keyed::new(
            key,
            &[
                "reply",
                &thread,
                body.as_str(),
                reply_to.as_deref().unwrap_or(""),
            ],
        )
    }

    pub fn report(key: IdempotencyKey, post: PostId, reason: &ModerationText) -> Keyed {
        Keyed::new(key, &["report", &post.0.to_string(), reason.as_str()])
    }

    /// A new conversation: its other participants (parsed, in the order sent) and text.
    pub fn conversation(key: IdempotencyKey, to: &[&str], body: &PostBody) -> Keyed {
        let mut parts = vec!["conversation", body.as_str()];
        parts.extend_from_slice(to);
        Keyed::new(key, &parts)
    }

    pub fn message(key: IdempotencyKey, conversation: i64, body: &PostBody) -> Keyed {
        Keyed::new(key, &["message", &conversation.to_string(), body.as_str()])
    }
}

/// The answer to a creating request: its HTTP status and JSON body, kept as sent so that
/// a retry receives the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// The post the body quotes, if any: deleting it forgets the stored answer.
    post_id: Option<PostId>,
}

impl Answer {
    pub fn created<T: Serialize>(body: &T) -> Result<Answer, Error> {
        let body =
            serde_json::to_string(body).map_err(|e| Error::failed("serializing an answer", e))?;
        Ok(Answer {
            status: 201,
            body,
            post_id: None,
        })
    }

    /// A `200` answer that created nothing (the advice nudge, `service::advice`).
    pub fn ok<T: Serialize>(body: &T) -> Result<Answer, Error> {
        Ok(Answer {
            status: 200,
            ..Answer::created(body)?
        })
    }

    /// Whether the answer created nothing.
    pub fn created_nothing(&self) -> bool {
        self.status == 200
    }

    /// An answer that quotes `post`.
    #[must_use]
    pub fn quoting(self, post: PostId) -> Answer {
        Answer {
            post_id: Some(post),
            ..self
        }
    }

    /// Reads back what the answer says (pages redirect to what was created).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_str(&self.body).map_err(|e| Error::failed("reading a stored answer", e))
    }
}

/// The stored answer for this key, if a request with it has committed; checked before the
/// slow part of a request (screening) so that a retry costs a lookup.
pub(crate) fn stored(
    store: &Store,
    user_id: UserId,
    keyed: Option<&Keyed>,
    now: i64,
) -> Result<Option<Answer>, Error> {
    let Some(keyed) = keyed else {
        return Ok(None);
    };
    let row = store.read(|conn| idempotency::find(conn, user_id, keyed.key.as_str()))?;
    match row {
        Some(row) if row.status != 0 => replay(row, keyed, now),
        _ => Ok(None),
    }
}

fn replay(row: IdempotencyRow, keyed: &Keyed, now: i64) -> Result<Option<Answer>, Error> {
    if row.created_at < now - KEY_LIFETIME_MICROS {
        return Ok(None);
    }
    if row.fingerprint != keyed.fingerprint {
        return Err(Error::IdempotencyKeyReused);
    }
    let status = u16::try_from(row.status)
        .map_err(|e| Error::failed(format!("stored status {}", row.status), e))?;
    Ok(Some(Answer {
        status,
        body: row.response,
        post_id: row.post_id,
    }))
}

/// Runs `create` once per key: inside the caller's write transaction, claims the key,
/// and either replays the answer of the request that holds it or creates and records
/// the new answer. Without a key, just creates.
pub(crate) fn once(
    conn: &mut DbConnection,
    user_id: UserId,
    keyed: Option<&Keyed>,
    now: i64,
    create: impl FnOnce(&mut DbConnection) -> Result<Answer, Error>,
) -> Result<Answer, Error> {
    let Some(keyed) = keyed else {
        return create(conn);
    };
    let claim = IdempotencyRow {
        user_id,
        key: keyed.key.as_str().to_owned(),
        fingerprint: keyed.fingerprint.clone(),
        status: 0,
        response: String::new(),
        created_at: now,
        post_id: None,
    };
    let expired_before = now - KEY_LIFETIME_MICROS;
    if !idempotency::try_claim(conn, &claim)?
        && !idempotency::reclaim(conn, &claim, expired_before)?
    {
        let row = idempotency::find(conn, user_id, keyed.key.as_str())?;
        if let Some(answer) = row
            .map(|row| replay(row, keyed, now))
            .transpose()?
            .flatten()
        {
            return Ok(answer);
        }
        return Err(Error::Internal(
            "idempotency key neither free nor answered".into(),
        ));
    }
    let answer = create(conn)?;
    idempotency::record_answer(
        conn,
        user_id,
        keyed.key.as_str(),
        i64::from(answer.status),
        &answer.body,
        answer.post_id,
    )?;
    Ok(answer)
}

static LAST_PURGE: AtomicI64 = AtomicI64::new(0);

/// Deletes expired keys, at most once a minute per node, outside any creating
/// transaction (expiry needs no atomicity: lookups already ignore expired rows).
pub(crate) fn purge_expired(store: &Store, now: i64) -> Result<(), Error> {
    let last = LAST_PURGE.load(Ordering::Relaxed);
    if now - last < PURGE_EVERY_MICROS
        || LAST_PURGE
            .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return Ok(());
    }
    store.write(|conn| idempotency::forget_before(conn, now - KEY_LIFETIME_MICROS))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters() {
        assert!(IdempotencyKey::parse(b"a").is_ok());
        assert!(IdempotencyKey::parse(&[b'k'; 255]).is_ok());
        assert!(IdempotencyKey::parse(b"8f14e45f-ceea-4e7a-9b2c-3d7e1f0a6b55").is_ok());
        assert!(IdempotencyKey::parse(b"").is_err());
        assert!(IdempotencyKey::parse(&[b'k'; 256]).is_err());
        assert!(IdempotencyKey::parse(b"with space").is_err());
        assert!(IdempotencyKey::parse(b"tab\there").is_err());
        assert!(IdempotencyKey::parse("clé".as_bytes()).is_err());
        assert!(IdempotencyKey::parse(IdempotencyKey::random().as_str().as_bytes()).is_ok());
    }

    #[test]
    fn fingerprints_tell_requests_apart() {
        let key = || IdempotencyKey::parse(b"k").expect("key");
        let print = |parts: &[&str]| Keyed::new(key(), parts).fingerprint;
        assert_eq!(print(&["reply", "1", "hi"]), print(&["reply", "1", "hi"]));
        assert_ne!(print(&["reply", "1", "hi"]), print(&["reply", "1", "hi!"]));
        assert_ne!(print(&["reply", "1", "2"]), print(&["reply", "12", ""]));
    }
}
