//! The `mail_outbox` table: mail written with the change that caused it, sent later by
//! each node's sender (`crate::mail`).
//!
//! A row is `pending` until sent (`sent`) or given up (`failed`). A sender claims due rows
//! by stamping them with its claim and moving `next_attempt_at` a lease ahead, so no other
//! node picks them while it sends; a sender that dies leaves them to be claimed again once
//! the lease has passed. Delivery is therefore at least once, and twice only if a node dies
//! between the SMTP server's acceptance and the `sent` mark.

use diesel::prelude::*;

use super::schema::{mail_outbox, mail_preferences, password_resets};
use super::DbConnection;
use crate::domain::ids::UserId;
use crate::domain::mail::MailStatus;
use crate::error::Error;

/// A mail to write into the outbox.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = mail_outbox)]
pub struct NewMail {
    pub id: i64,
    /// `<…@host>`: the same on every attempt, so a receiver can drop a duplicate.
    pub message_id: String,
    pub user_id: Option<i64>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub list_unsubscribe: Option<String>,
    #[diesel(serialize_as = String)]
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub message_id: String,
    pub user_id: Option<i64>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub list_unsubscribe: Option<String>,
    pub attempts: i32,
    pub created_at: i64,
}

pub fn insert(conn: &mut DbConnection, mail: NewMail) -> Result<(), Error> {
    diesel::insert_into(mail_outbox::table)
        .values(mail)
        .execute(conn)?;
    Ok(())
}

/// Whether any row is due: checked with a plain read before claiming, so an idle sender
/// never takes SQLite's write lock (nor counts as a successful write on a full disk).
pub fn any_due(conn: &mut DbConnection, now: i64) -> Result<bool, Error> {
    Ok(diesel::select(diesel::dsl::exists(
        mail_outbox::table
            .filter(mail_outbox::status.eq(MailStatus::Pending.as_str()))
            .filter(mail_outbox::next_attempt_at.le(now)),
    ))
    .get_result(conn)?)
}

/// Claims up to `limit` due rows for `claim` until `lease_until` and returns them. Run it
/// in a write transaction: on PostgreSQL the rows are locked with `SKIP LOCKED`, so two
/// nodes claiming at once take different rows; SQLite has one writer at a time.
pub fn claim_due(
    conn: &mut DbConnection,
    now: i64,
    lease_until: i64,
    claim: &str,
    limit: i64,
) -> Result<Vec<OutboxRow>, Error> {
    let due = mail_outbox::table
        .filter(mail_outbox::status.eq(MailStatus::Pending.as_str()))
        .filter(mail_outbox::next_attempt_at.le(now))
        .order((mail_outbox::next_attempt_at, mail_outbox::id))
        .limit(limit)
        .select(mail_outbox::id);
    let ids: Vec<i64> = match conn {
        DbConnection::Postgres(pg) => due.for_update().skip_locked().load(pg)?,
        DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
        .set((
            mail_outbox::claim.eq(claim),
            mail_outbox::next_attempt_at.eq(lease_until),
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
        ))
        .execute(conn)?;
    Ok(mail_outbox::table
        .filter(mail_outbox::id.eq_any(&ids))
        .order((mail_outbox::next_attempt_at, mail_outbox::id))
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// The claimed row, still pending and still ours.
macro_rules! ours {
    ($id:expr, $claim:expr) => {
        mail_outbox::table
            .filter(mail_outbox::id.eq($id))
            .filter(mail_outbox::claim.eq($claim))
            .filter(mail_outbox::status.eq(MailStatus::Pending.as_str()))
    };
}

/// Marks a claimed row sent. Its bodies are dropped: a sent mail is kept only as a record
/// (recipient, kind, time), not as a second copy of what it said.
pub fn mark_sent(conn: &mut DbConnection, id: i64, claim: &str, now: i64) -> Result<bool, Error> {
    let updated = diesel::update(ours!(id, claim))
        .set((
            mail_outbox::status.eq(MailStatus::Sent.as_str()),
            mail_outbox::sent_at.eq(now),
            mail_outbox::claim.eq(None::<String>),
            mail_outbox::text_body.eq(""),
            mail_outbox::html_body.eq(""),
            mail_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Gives a claimed row back to be tried again at `next_attempt_at`.
pub fn mark_retry(
    conn: &mut DbConnection,
    id: i64,
    claim: &str,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), Error> {
    diesel::update(ours!(id, claim))
        .set((
            mail_outbox::next_attempt_at.eq(next_attempt_at),
            mail_outbox::claim.eq(None::<String>),
            mail_outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives up on a claimed row.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    claim: &str,
    error: &str,
) -> Result<(), Error> {
    diesel::update(ours!(id, claim))
        .set((
            mail_outbox::status.eq(MailStatus::Failed.as_str()),
            mail_outbox::claim.eq(None::<String>),
            mail_outbox::last_error.eq(error),
            mail_outbox::text_body.eq(""),
            mail_outbox::html_body.eq(""),
        ))
        .execute(conn)?;
    Ok(())
}

/// Rows per status, for `/metrics`. A status this build does not know is an error.
pub fn count_by_status(conn: &mut DbConnection) -> Result<Vec<(MailStatus, i64)>, Error> {
    let counts: Vec<(String, i64)> = mail_outbox::table
        .group_by(mail_outbox::status)
        .select((mail_outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    counts
        .into_iter()
        .map(|(status, count)| Ok((MailStatus::parse(&status)?, count)))
        .collect()
}

/// Forgets a member's mail, sent or not, their reset tokens, address confirmations and
/// mail preferences (erasure).
pub fn forget_user(conn: &mut DbConnection, user_id: i64) -> Result<(), Error> {
    diesel::delete(mail_preferences::table.filter(mail_preferences::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(mail_outbox::table.filter(mail_outbox::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(password_resets::table.filter(password_resets::user_id.eq(user_id)))
        .execute(conn)?;
    super::email_confirmations::void_for_user(conn, UserId(user_id))?;
    Ok(())
}
