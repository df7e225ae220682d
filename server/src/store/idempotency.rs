//! The `idempotency_keys` table: the first answer to each keyed creating request.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::idempotency_keys;
use super::DbConnection;
use crate::domain::ids::{PostId, UserId};
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub user_id: UserId,
    pub key: String,
    pub fingerprint: String,
    /// The HTTP status answered; 0 while the creating transaction is still running (a
    /// claim never commits with 0: the same transaction records the answer).
    pub status: i64,
    pub response: String,
    pub created_at: i64,
    /// The post the request created, which the response quotes.
    pub post_id: Option<PostId>,
}

pub fn find(
    conn: &mut DbConnection,
    user_id: UserId,
    key: &str,
) -> Result<Option<IdempotencyRow>, Error> {
    Ok(idempotency_keys::table
        .find((user_id, key))
        .select(IdempotencyRow::as_select())
        .get_result(conn)
        .optional()?)
}

/// Inserts a claim; `false` when the key is already taken. On PostgreSQL an insert that
/// meets another transaction's uncommitted claim waits for it to end, so a concurrent
/// duplicate learns the outcome of the first request instead of racing it.
pub fn try_claim(conn: &mut DbConnection, row: &IdempotencyRow) -> Result<bool, Error> {
    // A savepoint, so that losing the race does not abort the surrounding transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(idempotency_keys::table)
            .values(row)
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(other) => Err(other.into()),
    }
}

/// Takes over an expired row for a new request.
pub fn reclaim(
    conn: &mut DbConnection,
    row: &IdempotencyRow,
    expired_before: i64,
) -> Result<bool, Error> {
    let changed = diesel::update(
        idempotency_keys::table
            .find((row.user_id, &row.key))
            .filter(idempotency_keys::created_at.lt(expired_before)),
    )
    .set((
        idempotency_keys::fingerprint.eq(&row.fingerprint),
        idempotency_keys::status.eq(row.status),
        idempotency_keys::response.eq(&row.response),
        idempotency_keys::created_at.eq(row.created_at),
        idempotency_keys::post_id.eq(row.post_id),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn record_answer(
    conn: &mut DbConnection,
    user_id: UserId,
    key: &str,
    status: i64,
    response: &str,
    post_id: Option<PostId>,
) -> Result<(), Error> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set((
            idempotency_keys::status.eq(status),
            idempotency_keys::response.eq(response),
            idempotency_keys::post_id.eq(post_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets the answers that quote a post being deleted: a retry of that request then
/// posts anew, and the deleted words are not kept anywhere.
pub fn forget_post(conn: &mut DbConnection, post_id: PostId) -> Result<(), Error> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::post_id.eq(post_id)))
        .execute(conn)?;
    Ok(())
}

/// Forgets keys created before `before`.
pub fn forget_before(conn: &mut DbConnection, before: i64) -> Result<usize, Error> {
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
            .execute(conn)?,
    )
}
