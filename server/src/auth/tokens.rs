//! Access tokens are short-lived JWTs (HS256 only, 15 minutes) naming the user and the
//! session; refresh tokens are random strings, stored hashed, used once each.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::JwtSecret;
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
            .map_err(|e| Error::Internal(format!("token signing failed: {e}")))
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
            .map_err(|_| Error::InvalidToken("access token is invalid or expired"))?;
        let user = UserId::parse(&data.claims.sub);
        let session = SessionId::parse(&data.claims.sid);
        match (user, session) {
            (Some(user), Some(session)) => Ok((user, session, data.claims.exp)),
            _ => Err(Error::InvalidToken("access token is invalid or expired")),
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
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A random value for the CSRF cookie.
pub fn new_csrf_token() -> String {
    let bytes: [u8; 24] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
