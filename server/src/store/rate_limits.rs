//! The `rate_limits` table: one row per key, the start of its current window and the
//! attempts counted in it.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::schema::rate_limits;
use super::DbConnection;
use crate::error::Error;

/// The key's window start and attempts, if its window started after `since`.
pub fn current(
    conn: &mut DbConnection,
    key: &str,
    since: i64,
) -> Result<Option<(i64, i64)>, Error> {
    Ok(rate_limits::table
        .filter(rate_limits::key.eq(key))
        .filter(rate_limits::window_started_at.gt(since))
        .select((rate_limits::window_started_at, rate_limits::attempts))
        .get_result(conn)
        .optional()?)
}

/// Counts one attempt for `key` at `now`: in its current window if that started after
/// `since`, else in a new window starting now. Safe against another node counting the
/// same key at the same moment: increments and the restart of an expired window are
/// single conditional updates, and an insert that loses a race becomes an increment.
pub fn count_attempt(
    conn: &mut DbConnection,
    key: &str,
    now: i64,
    since: i64,
) -> Result<(), Error> {
    let in_window = diesel::update(rate_limits::table)
        .filter(rate_limits::key.eq(key))
        .filter(rate_limits::window_started_at.gt(since))
        .set(rate_limits::attempts.eq(rate_limits::attempts + 1))
        .execute(conn)?;
    if in_window > 0 {
        return Ok(());
    }
    let restarted = diesel::update(rate_limits::table)
        .filter(rate_limits::key.eq(key))
        .filter(rate_limits::window_started_at.le(since))
        .set((
            rate_limits::window_started_at.eq(now),
            rate_limits::attempts.eq(1),
        ))
        .execute(conn)?;
    if restarted > 0 {
        return Ok(());
    }
    // A savepoint, so that losing the race does not abort the surrounding transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(rate_limits::table)
            .values((
                rate_limits::key.eq(key),
                rate_limits::window_started_at.eq(now),
                rate_limits::attempts.eq(1),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            diesel::update(rate_limits::table)
                .filter(rate_limits::key.eq(key))
                .set(rate_limits::attempts.eq(rate_limits::attempts + 1))
                .execute(conn)?;
            Ok(())
        }
        Err(other) => Err(other.into()),
    }
}

/// Forgets windows that started at or before `before`.
pub fn forget_before(conn: &mut DbConnection, before: i64) -> Result<usize, Error> {
    Ok(
        diesel::delete(rate_limits::table.filter(rate_limits::window_started_at.le(before)))
            .execute(conn)?,
    )
}
