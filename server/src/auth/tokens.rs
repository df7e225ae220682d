//! Access tokens are short-lived JWTs (HS256 only, 15 minutes) naming the user and the
//! session; refresh tokens are random strings, stored hashed, used once each.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::JwtSecret;
use crate::domain::hex::lower_hex;
use crate::domain::ids::{SessionId, UserId};
use crate::error::Error;

pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
pub const REFRESH_TOKEN_SECONDS: i64 = 30 * 24 * 60 * 60;

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: String,
    sid: String,
    iat: i64,
    exp: i64,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    pub fn new(secret: &JwtSecret) -> TokenKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        TokenKeys {
            encoding: EncodingKey::from_secret(secret.expose()),
            decoding: DecodingKey::from_secret(secret.expose()),
            validation,
        }
    }

    pub fn issue_access(
        &self,
        user: UserId,
        session: SessionId,
        now_secs: i64,
    ) -> Result<String, Error> {
        let claims = AccessClaims {
            sub: user.to_string(),
            sid: session.to_string(),
            iat: now_secs,
            exp: now_secs + ACCESS_TOKEN_SECONDS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::failed("token signing failed", e))
    }

    /// Checks signature, algorithm and expiry; the session is checked by the caller.
    pub fn verify_access(&self, token: &str) -> Result<(UserId, SessionId), Error> {
        self.verify_access_until(token)
            .map(|(user, session, _)| (user, session))
    }

    /// Like [`TokenKeys::verify_access`], also returning the expiry (seconds since the
    /// epoch), for connections that outlive a request.
    pub fn verify_access_until(&self, token: &str) -> Result<(UserId, SessionId, i64), Error> {
        let data = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| Error::InvalidToken("es3-token-access-invalid"))?;
        let user = UserId::parse(&data.claims.sub);
        let session = SessionId::parse(&data.claims.sid);
        match (user, session) {
            (Some(user), Some(session)) => Ok((user, session, data.claims.exp)),
            _ => Err(Error::InvalidToken("es3-token-access-invalid")),
        }
    }
}

/// A new random refresh token (256 bits) and the hash under which it is stored.
pub fn new_refresh_token() -> (String, String) {
    let bytes: [u8; 32] = rand::random();
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> String {
    lower_hex(&Sha256::digest(token.as_bytes()))
}

/// A random value for the CSRF cookie.
pub fn new_csrf_token() -> String {
    let bytes: [u8; 24] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The CSRF cookie's value as a page carries it: a fresh random pad and the value XOR the
/// pad, so the bytes differ on every page. Pages are served compressed, and a secret that
/// repeats byte for byte beside text an attacker can reflect (a search query) could be
/// guessed from the compressed size (BREACH).
pub fn mask_csrf_token(token: &str) -> String {
    let pad: Vec<u8> = (0..token.len()).map(|_| rand::random::<u8>()).collect();
    let mut masked = pad.clone();
    masked.extend(token.bytes().zip(&pad).map(|(byte, key)| byte ^ key));
    format!(
        "{MASKED_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(masked)
    )
}

const MASKED_PREFIX: &str = "m.";

/// Whether `sent` (from a form field or the `X-CSRF-Token` header) is the CSRF cookie's
/// value, as it is or masked by [`mask_csrf_token`]. An empty cookie never matches.
pub fn csrf_token_matches(cookie: &str, sent: &str) -> bool {
    if cookie.is_empty() {
        return false;
    }
    let Some(masked) = sent.strip_prefix(MASKED_PREFIX) else {
        return bool::from(cookie.as_bytes().ct_eq(sent.as_bytes()));
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(masked) else {
        return false;
    };
    let (pad, value) = bytes.split_at(bytes.len() / 2);
    let unmasked: Vec<u8> = value
        .iter()
        .zip(pad)
        .map(|(byte, key)| byte ^ key)
        .collect();
    pad.len() == value.len() && bool::from(cookie.as_bytes().ct_eq(&unmasked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_csrf_tokens_differ_every_time_and_still_match() {
        let token = new_csrf_token();
        let (first, second) = (mask_csrf_token(&token), mask_csrf_token(&token));
        assert_ne!(first, second);
        assert!(!first.contains(&token));
        assert!(csrf_token_matches(&token, &first));
        assert!(csrf_token_matches(&token, &second));
        assert!(csrf_token_matches(&token, &token));
        let other = new_csrf_token();
        assert!(!csrf_token_matches(&other, &first));
        assert!(!csrf_token_matches("", ""));
        assert!(!csrf_token_matches(&token, "m.not base64!"));
        assert!(!csrf_token_matches(&token, "m."));
        assert!(!csrf_token_matches(&token, &first[..first.len() - 2]));
    }

    fn keys() -> TokenKeys {
        TokenKeys::new(&JwtSecret::parse(&"s".repeat(40)).expect("secret"))
    }

    #[test]
    fn round_trip() {
        let keys = keys();
        let now = chrono::Utc::now().timestamp();
        let token = keys
            .issue_access(UserId(7), SessionId(9), now)
            .expect("token");
        assert_eq!(
            keys.verify_access(&token).ok(),
            Some((UserId(7), SessionId(9)))
        );
    }

    #[test]
    fn expired_and_foreign_tokens_fail() {
        let keys = keys();
        let old = chrono::Utc::now().timestamp() - 3600;
        let expired = keys
            .issue_access(UserId(7), SessionId(9), old)
            .expect("token");
        assert!(keys.verify_access(&expired).is_err());
        let other = TokenKeys::new(&JwtSecret::parse(&"o".repeat(40)).expect("secret"));
        let foreign = other
            .issue_access(UserId(7), SessionId(9), chrono::Utc::now().timestamp())
            .expect("token");
        assert!(keys.verify_access(&foreign).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, hash_a) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(hash_refresh_token(&a), hash_a);
        assert_eq!(hash_a.len(), 64);
    }
}
