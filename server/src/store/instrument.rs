//! Counts the SQL statements every pooled connection runs, and logs each one's SQL (never
//! its bound values) at trace level (target `kindred_server::sql`), so that the cost of a
//! path can be stated in statements: a count repeats on a loaded machine where timings do
//! not. `/metrics` shows the counts (`kindred_db_statements_total`,
//! `kindred_db_statements_prepared_total`); `bench/callgrind.sh --post` divides them by the
//! replies it sent.

use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::InstrumentationEvent;

/// Statements run, transaction control (`BEGIN`, `COMMIT`) included.
static STATEMENTS: AtomicU64 = AtomicU64::new(0);
/// Statements diesel prepared and put in a connection's cache: after warm-up this stays
/// still, and statements it cannot keep prepared are parsed again on every run.
static PREPARED: AtomicU64 = AtomicU64::new(0);

/// The instrumentation every connection gets.
pub(super) fn count(event: InstrumentationEvent<'_>) {
    match event {
        InstrumentationEvent::StartQuery { query, .. } => {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
            if tracing::enabled!(target: "kindred_server::sql", tracing::Level::TRACE) {
                // Bound values are members' data (addresses, post text, password hashes):
                // only the statement's SQL is logged, never what diesel prints after it.
                let text = query.to_string();
                let sql = text.split(" -- binds: ").next().unwrap_or("");
                tracing::trace!(target: "kindred_server::sql", "{sql}");
            }
        }
        InstrumentationEvent::CacheQuery { sql, .. } => {
            PREPARED.fetch_add(1, Ordering::Relaxed);
            tracing::trace!(target: "kindred_server::sql", "prepared and cached: {sql}");
        }
        _ => {}
    }
}

/// Statements this process has run so far, and how many of them it prepared into a
/// connection's statement cache.
pub fn statements() -> (u64, u64) {
    (
        STATEMENTS.load(Ordering::Relaxed),
        PREPARED.load(Ordering::Relaxed),
    )
}
