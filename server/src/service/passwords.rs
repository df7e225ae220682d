//! Forgotten and changed passwords.
//!
//! A reset request always answers the same, whether or not the address belongs to an
//! account, and does the same work either way (a token is drawn and hashed; the mail is
//! only written when there is someone to send it to). The token is mailed as a link and
//! stored as its SHA-256 digest: it works once, for 30 minutes, and no longer once the
//! password has changed by any way. Setting a new password signs out every session.

use std::time::Duration;

use crate::auth::password;
use crate::auth::tokens::{hash_refresh_token, new_refresh_token};
use crate::config::Settings;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, SessionId, UserId};
use crate::domain::user::{Email, Password};
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::service::mail::{enqueue, message_host, recipient_language, Envelope};
use crate::store::password_resets;
use crate::store::users::{self, UserRow};
use crate::store::{sessions, DbConnection, Store};

/// The code of a reset token that does not work (400, unlike a bad session's 401).
pub const INVALID_TOKEN: &str = "invalid_token";

/// How long a reset link works.
pub const RESET_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Reset requests per address and per client, counted in the database (all nodes).
pub struct ResetLimits {
    pub by_email: RateLimit,
    pub by_address: RateLimit,
}

/// The answer to every reset request, whether or not the address belongs to an account,
/// so the answer tells nobody which addresses have one.
pub const RESET_ACCEPTED: &str =
    "If an account uses this address, a link to choose a new password is on its way.";

/// What a mail's links are built from.
pub struct MailContext<'a> {
    pub public_url: &'a str,
    /// The deployment's language, for members who chose none.
    pub default_language: kindred_web::i18n::Lang,
}

impl<'a> MailContext<'a> {
    /// This deployment's: its public address and default language.
    pub fn of(settings: &'a Settings) -> Self {
        MailContext {
            public_url: &settings.public_url,
            default_language: settings.default_language,
        }
    }

    fn host(&self) -> String {
        message_host(self.public_url)
    }
}

/// Mails a reset link to every account registered with `email`, if any. The answer is the
/// same either way; a rate limit answers `429` whether or not the address is known.
pub fn request_reset(
    store: &Store,
    limits: &ResetLimits,
    context: &MailContext<'_>,
    email: &Email,
    client_address: &str,
) -> Result<(), Error> {
    let now = now_micros();
    let email_key = email.as_str().to_lowercase();
    store.read(|conn| {
        limits.by_address.check(conn, client_address, now)?;
        limits.by_email.check(conn, &email_key, now)
    })?;
    let host = context.host();
    store.write(|conn| {
        limits.by_address.record(conn, client_address, now)?;
        limits.by_email.record(conn, &email_key, now)?;
        let accounts = users::find_by_email(conn, email.as_str())?;
        if accounts.is_empty() {
            // The same work as for a known address, so the time taken tells nothing.
            let (_token, _hash) = new_refresh_token();
            return Ok(());
        }
        for account in accounts {
            issue_reset(conn, context, &host, &account, now)?;
        }
        Ok(())
    })
}

fn issue_reset(
    conn: &mut DbConnection,
    context: &MailContext<'_>,
    host: &str,
    account: &UserRow,
    now: i64,
) -> Result<(), Error> {
    let Some(address) = account.email.as_deref() else {
        return Ok(());
    };
    let (token, hash) = new_refresh_token();
    let expires_at = now + RESET_TOKEN_LIFETIME.as_micros() as i64;
    password_resets::insert(conn, &hash, account.id, now, expires_at)?;
    let link = format!("{}/reset?token={token}", context.public_url);
    let minutes = (RESET_TOKEN_LIFETIME.as_secs() / 60) as u32;
    let lang = recipient_language(conn, account.id.0, context.default_language)?;
    enqueue(
        conn,
        Envelope {
            user_id: Some(account.id.0),
            kind: "password_reset",
            to: address,
            host,
            list_unsubscribe: None,
        },
        kindred_web::mail::password_reset(lang, &account.username, &link, minutes),
        now,
    )
}

/// Whether a reset token still works (for the `/reset` page, before the form is sent).
pub fn reset_token_valid(store: &Store, token: &str) -> Result<bool, Error> {
    let hash = hash_refresh_token(token);
    let now = now_micros();
    let row = store.read(|conn| password_resets::find(conn, &hash))?;
    Ok(row.is_some_and(|row| row.used_at.is_none() && row.expires_at > now))
}

/// Sets a new password with a reset token and signs out every session; returns the
/// account's username. An unknown, altered, spent or expired token is
/// `400 invalid_token`, and nothing changes.
pub fn confirm_reset(store: &Store, token: &str, new_password: &Password) -> Result<String, Error> {
    let invalid =
        || Error::bad_request(INVALID_TOKEN, "this reset link is invalid, used or expired");
    if token.is_empty() || token.len() > 128 {
        return Err(invalid());
    }
    let hash = hash_refresh_token(token);
    let new_hash = password::hash(new_password.expose())?;
    let now = now_micros();
    store.write(|conn| {
        let Some(row) = password_resets::find(conn, &hash)? else {
            return Err(invalid());
        };
        if row.used_at.is_some() || row.expires_at <= now {
            return Err(invalid());
        }
        if !password_resets::spend(conn, &hash, now)? {
            return Err(invalid());
        }
        let account = users::find(conn, row.user_id)?.ok_or_else(invalid)?;
        set_password(conn, row.user_id, &new_hash, None, now)?;
        Ok(account.username)
    })
}

/// Changes the signed-in member's password after checking the current one; every other
/// session is signed out and the member is told by mail (when they gave an address).
pub fn change_password(
    store: &Store,
    checks: &RateLimit,
    context: &MailContext<'_>,
    user: &CurrentUser,
    current: &str,
    new_password: &Password,
) -> Result<(), Error> {
    let now = now_micros();
    let key = user.id.to_string();
    store.read(|conn| checks.check(conn, &key, now))?;
    let row = store
        .read(|conn| users::find(conn, user.id))?
        .ok_or(Error::NotFound)?;
    if !password::verify(current, &row.password_hash) {
        store.write(|conn| checks.record(conn, &key, now))?;
        return Err(Error::invalid(
            "current_password",
            "the current password is not right",
        ));
    }
    let new_hash = password::hash(new_password.expose())?;
    let host = context.host();
    let forgot = format!("{}/forgot", context.public_url);
    store.write(|conn| {
        set_password(conn, row.id, &new_hash, Some(user.session_id), now)?;
        if let Some(address) = row.email.as_deref() {
            let lang = recipient_language(conn, row.id.0, context.default_language)?;
            enqueue(
                conn,
                Envelope {
                    user_id: Some(row.id.0),
                    kind: "password_changed",
                    to: address,
                    host: &host,
                    list_unsubscribe: None,
                },
                kindred_web::mail::password_changed(lang, &row.username, &forgot),
                now,
            )?;
        }
        Ok(())
    })
}

/// Stores a new password hash, voids every reset token of the member and signs out every
/// session but `keep`.
fn set_password(
    conn: &mut DbConnection,
    user_id: UserId,
    new_hash: &str,
    keep: Option<SessionId>,
    now: i64,
) -> Result<(), Error> {
    users::set_password_hash(conn, user_id, new_hash)?;
    password_resets::void_for_user(conn, user_id, now)?;
    sessions::revoke_all_of_user(conn, user_id, keep, now)
}
