//! A member's e-mail address: changing it, and confirming it at registration when
//! `KINDRED_REQUIRE_EMAIL_VERIFICATION` is on.
//!
//! A change needs the current password and takes effect only when the link mailed to the
//! NEW address is opened; the current address is told at once, so a stolen session cannot
//! move an account away quietly. The link is stored as its SHA-256 digest, works once, for
//! 24 hours, and only the member's latest link works. Confirming a new address voids the
//! password-reset links mailed to the old one.
//!
//! Several accounts may share an address (registration allows it), so asking for an
//! address another account uses is answered like any other: nothing here tells whether an
//! address is known.

use std::time::Duration;

use crate::auth::password;
use crate::auth::tokens::{hash_refresh_token, new_refresh_token};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, UserId};
use crate::domain::user::Email;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::service::mail::{enqueue, message_host, recipient_language, Envelope};
use crate::service::passwords::{MailContext, INVALID_TOKEN};
use crate::store::email_confirmations as confirmations;
use crate::store::users::{self, UserRow};
use crate::store::{password_resets, DbConnection, Store};

/// How long a confirmation link works.
pub const CONFIRMATION_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The code of the 403 a member gets for posting or joining before confirming.
pub const EMAIL_UNCONFIRMED: &str = "email_unconfirmed";

/// What a member is told once a change of address is asked for.
pub const CHANGE_MAILED: &str =
    "We mailed a link to the new address. Your address changes when you open it (within 24 hours).";

/// What a member is told once a new confirmation link is on its way.
pub const LINK_RESENT: &str = "We mailed you a new link. It works for 24 hours.";

/// The limits on a change of address.
pub struct EmailChecks<'a> {
    /// Confirmation mails per member (changes and resends together): each one goes to an
    /// address the member typed, so this bounds what an account can mail strangers.
    pub mails: &'a RateLimit,
    /// Wrong current passwords, shared with the change of password.
    pub passwords: &'a RateLimit,
}

/// Asks to move the signed-in member to `new_email`: checks the current password, mails a
/// link to the new address and a notice to the current one. Nothing else changes yet.
pub fn request_change(
    store: &Store,
    checks: &EmailChecks<'_>,
    context: &MailContext<'_>,
    user: &CurrentUser,
    new_email: &Email,
    current_password: &str,
) -> Result<(), Error> {
    let now = now_micros();
    let key = user.id.to_string();
    store.read(|conn| {
        checks.passwords.check(conn, &key, now)?;
        checks.mails.check(conn, &key, now)
    })?;
    let row = store
        .read(|conn| users::find(conn, user.id))?
        .ok_or(Error::NotFound)?;
    if !password::verify(current_password, &row.password_hash) {
        store.write(|conn| checks.passwords.record(conn, &key, now))?;
        return Err(Error::invalid(
            "current_password",
            "the current password is not right",
        ));
    }
    let unchanged = row
        .email
        .as_deref()
        .is_some_and(|current| current.eq_ignore_ascii_case(new_email.as_str()));
    if unchanged && !row_unconfirmed(store, row.id)? {
        return Err(Error::invalid("new_email", "this is already your address"));
    }
    let forgot = format!("{}/forgot", context.public_url);
    store.write(|conn| {
        checks.mails.take(conn, &key, now)?;
        issue(conn, context, &row, new_email.as_str(), false, now)?;
        if let Some(current) = row.email.as_deref().filter(|_| !unchanged) {
            let lang = recipient_language(conn, row.id.0, context.default_language)?;
            enqueue(
                conn,
                Envelope {
                    user_id: Some(row.id.0),
                    kind: "email_change_requested",
                    to: current,
                    host: &message_host(context.public_url),
                    list_unsubscribe: None,
                },
                kindred_web::mail::email_change_requested(lang, &row.username, &forgot),
                now,
            )?;
        }
        Ok(())
    })
}

/// The member's address and whether they still have to confirm it (for `/me/email`).
pub fn address(store: &Store, user: &CurrentUser) -> Result<(Option<String>, bool), Error> {
    store.read(|conn| {
        let row = users::find(conn, user.id)?.ok_or(Error::NotFound)?;
        Ok((row.email, confirmations::is_unconfirmed(conn, row.id)?))
    })
}

fn row_unconfirmed(store: &Store, user_id: UserId) -> Result<bool, Error> {
    store.read(|conn| confirmations::is_unconfirmed(conn, user_id))
}

/// Mails a fresh link to a member who registered under the verification rule and has not
/// confirmed yet. `400 already_confirmed` otherwise.
pub fn resend_confirmation(
    store: &Store,
    mails: &RateLimit,
    context: &MailContext<'_>,
    user: &CurrentUser,
) -> Result<(), Error> {
    let now = now_micros();
    let key = user.id.to_string();
    store.write(|conn| {
        let row = users::find(conn, user.id)?.ok_or(Error::NotFound)?;
        match row.email.as_deref() {
            Some(address) if confirmations::is_unconfirmed(conn, row.id)? => {
                mails.take(conn, &key, now)?;
                issue(conn, context, &row, address, true, now)
            }
            _ => Err(Error::bad_request(
                "already_confirmed",
                "your e-mail address needs no confirmation",
            )),
        }
    })
}

/// At registration under the verification rule, inside the registration's transaction:
/// the new member must confirm `email` before posting or joining.
pub(crate) fn start_verification(
    conn: &mut DbConnection,
    context: &MailContext<'_>,
    user: &UserRow,
    email: &str,
    now: i64,
) -> Result<(), Error> {
    confirmations::mark_unconfirmed(conn, user.id)?;
    issue(conn, context, user, email, true, now)
}

fn issue(
    conn: &mut DbConnection,
    context: &MailContext<'_>,
    user: &UserRow,
    email: &str,
    registering: bool,
    now: i64,
) -> Result<(), Error> {
    let (token, hash) = new_refresh_token();
    let expires_at = now + CONFIRMATION_LIFETIME.as_micros() as i64;
    confirmations::replace(conn, &hash, user.id, email, now, expires_at)?;
    let link = format!("{}/email/confirm?token={token}", context.public_url);
    let hours = (CONFIRMATION_LIFETIME.as_secs() / 3600) as u32;
    let lang = recipient_language(conn, user.id.0, context.default_language)?;
    enqueue(
        conn,
        Envelope {
            user_id: Some(user.id.0),
            kind: "email_confirmation",
            to: email,
            host: &message_host(context.public_url),
            list_unsubscribe: None,
        },
        kindred_web::mail::confirm_email(lang, &user.username, &link, hours, registering),
        now,
    )
}

/// Whether a confirmation link still works (for the `/email/confirm` page, which asks
/// for a click first: mail scanners open links, and must not confirm anything).
pub fn token_valid(store: &Store, token: &str) -> Result<bool, Error> {
    if token.is_empty() || token.len() > 128 {
        return Ok(false);
    }
    let hash = hash_refresh_token(token);
    let now = now_micros();
    let row = store.read(|conn| confirmations::find(conn, &hash))?;
    Ok(row.is_some_and(|row| row.used_at.is_none() && row.expires_at > now))
}

/// Confirms the address a link was mailed to: it becomes the member's address, the
/// member may post and join, and reset links mailed to an earlier address stop working.
/// An unknown, altered, used or expired link is `400 invalid_token` and changes nothing.
pub fn confirm(store: &Store, token: &str) -> Result<(), Error> {
    let invalid = || {
        Error::bad_request(
            INVALID_TOKEN,
            "this confirmation link is invalid, used or expired",
        )
    };
    if token.is_empty() || token.len() > 128 {
        return Err(invalid());
    }
    let hash = hash_refresh_token(token);
    let now = now_micros();
    store.write(|conn| {
        let row = confirmations::find(conn, &hash)?.ok_or_else(invalid)?;
        if row.used_at.is_some()
            || row.expires_at <= now
            || !confirmations::spend(conn, &hash, now)?
        {
            return Err(invalid());
        }
        confirmations::set_confirmed_email(conn, row.user_id, &row.email)?;
        confirmations::void_for_user(conn, row.user_id)?;
        password_resets::void_for_user(conn, row.user_id, now)
    })
}

/// Refuses a member who registered under the verification rule and has not confirmed
/// their address yet (`403 email_unconfirmed`). Called by posting and joining.
pub fn require_confirmed(conn: &mut DbConnection, user_id: UserId) -> Result<(), Error> {
    if confirmations::is_unconfirmed(conn, user_id)? {
        return Err(unconfirmed());
    }
    Ok(())
}

/// The refusal of [`require_confirmed`], for a caller that read the flag itself.
pub(crate) fn unconfirmed() -> Error {
    Error::forbidden(
        EMAIL_UNCONFIRMED,
        "confirm your e-mail address first: open the link we mailed you, or ask for a new one under Settings, E-mail",
    )
}
