//! Putting mail in the outbox. Called inside the write transaction of the change that
//! causes the mail, so the two commit together; the sender task (`crate::mail`) sends it.

use crate::domain::ids::{next_id, UserId};
use crate::domain::mail::MailStatus;
use crate::error::Error;
use crate::store::mail::{self as outbox, NewMail};
use crate::store::DbConnection;
use kindred_web::i18n::Lang;
pub use kindred_web::mail::Rendered;

/// The language a member's mail is written in: their setting, else the deployment's
/// `default` (mail has no `Accept-Language` to go by).
pub fn recipient_language(
    conn: &mut DbConnection,
    user_id: i64,
    default: Lang,
) -> Result<Lang, Error> {
    Ok(crate::store::languages::of_user(conn, user_id)?
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(default))
}

/// Who a mail is for and why.
pub struct Envelope<'a> {
    pub user_id: Option<i64>,
    /// `password_reset`, `password_changed`, …: for the record and for metrics.
    pub kind: &'static str,
    pub to: &'a str,
    /// The host part of every `Message-ID`: the public URL's host.
    pub host: &'a str,
    /// Where one click unsubscribes (notification mail only).
    pub list_unsubscribe: Option<String>,
}

/// Writes a mail to the outbox, due now. Every mail comes through here, so nothing is
/// queued for a memorialised account (issue 19), whatever produced it.
pub fn enqueue(
    conn: &mut DbConnection,
    envelope: Envelope<'_>,
    mail: Rendered,
    now: i64,
) -> Result<(), Error> {
    if let Some(user_id) = envelope.user_id {
        if crate::store::duty::memorial(conn, UserId(user_id))?.is_some() {
            return Ok(());
        }
    }
    let id = next_id();
    outbox::insert(
        conn,
        NewMail {
            id,
            message_id: format!("<{id:x}.{}@{}>", envelope.kind, envelope.host),
            user_id: envelope.user_id,
            kind: envelope.kind.to_owned(),
            to_address: envelope.to.to_owned(),
            subject: crate::mail::one_line(&mail.subject),
            text_body: mail.text,
            html_body: mail.html,
            list_unsubscribe: envelope.list_unsubscribe,
            status: MailStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        },
    )
}

/// The host for `Message-ID`s from a public URL like `https://forum.example.org:8443`.
pub fn message_host(public_url: &str) -> String {
    url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "localhost".into())
}
