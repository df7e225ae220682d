//! Queries for keeping the database and this node's copies of it in step: the search
//! index's self-check, and SQLite backups.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::SqliteConnection;

use super::schema::posts;
use super::DbConnection;
use crate::error::Error;

/// Posts the search index should hold: every one not deleted, whatever its status.
pub fn indexable_post_count(conn: &mut DbConnection) -> Result<i64, Error> {
    Ok(posts::table
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Ids of indexable posts after `after_id`, in id order.
pub fn indexable_post_ids_after(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> Result<Vec<i64>, Error> {
    Ok(posts::table
        .filter(posts::id.gt(after_id))
        .filter(posts::deleted_at.is_null())
        .order(posts::id.asc())
        .limit(limit)
        .select(posts::id)
        .load(conn)?)
}

/// Writes a consistent copy of a SQLite database to `out` (which must not exist) while
/// others keep reading and writing: `VACUUM INTO` reads one snapshot.
pub fn sqlite_backup(conn: &mut DbConnection, out: &Path) -> Result<(), Error> {
    let DbConnection::Sqlite(sqlite) = conn else {
        return Err(Error::Config(
            "only a SQLite database can be copied with VACUUM INTO".into(),
        ));
    };
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(out.to_string_lossy())
        .execute(sqlite)?;
    Ok(())
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[derive(QueryableByName)]
struct CheckResult {
    #[diesel(sql_type = Text)]
    quick_check: String,
}

/// Tables a Kindred database has from its first migration on.
const KINDRED_TABLES: [&str; 4] = ["__diesel_schema_migrations", "users", "posts", "events"];

/// Checks that `file` is an intact SQLite database with Kindred's tables; the error says
/// what is wrong, for one line on the command line.
pub fn check_sqlite_backup(file: &Path) -> Result<(), String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let mut conn = SqliteConnection::establish(&file.to_string_lossy())
        .map_err(|e| format!("{} cannot be opened: {e}", file.display()))?;
    let not_sqlite =
        |e: diesel::result::Error| format!("{} is not a SQLite database ({e})", file.display());
    conn.batch_execute("PRAGMA query_only = ON")
        .map_err(not_sqlite)?;
    let check: Vec<CheckResult> = diesel::sql_query("PRAGMA quick_check")
        .load(&mut conn)
        .map_err(not_sqlite)?;
    if check.first().map(|row| row.quick_check.as_str()) != Some("ok") {
        return Err(format!(
            "{} is damaged (quick_check failed)",
            file.display()
        ));
    }
    let names = KINDRED_TABLES
        .iter()
        .map(|name| format!("'{name}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let found: Count = diesel::sql_query(format!(
        "SELECT count(*) AS count FROM sqlite_master WHERE type = 'table' AND name IN ({names})"
    ))
    .get_result(&mut conn)
    .map_err(not_sqlite)?;
    if found.count != KINDRED_TABLES.len() as i64 {
        return Err(format!("{} is not a Kindred database", file.display()));
    }
    Ok(())
}
