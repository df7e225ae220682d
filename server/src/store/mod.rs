//! All SQL lives here: one file per aggregate, each a set of plain functions that take a
//! `&mut DbConnection`. The same code runs on SQLite and PostgreSQL through diesel's
//! `MultiConnection`; ids come from [`crate::domain::ids`] because `RETURNING` is not
//! available through it.
//!
//! Writes go through [`Store::write`], which runs the closure in one transaction, so a
//! state change and its row in `events` commit together or not at all. After each commit
//! the store pokes [`Store::commits`], which wakes the realtime event tail at once.

pub mod blocks;
pub mod bookmarks;
mod calls;
pub mod care;
pub mod communities;
pub mod content_notes;
pub mod countries;
pub mod duty;
pub mod email_confirmations;
pub mod events;
pub mod idempotency;
mod ids;
pub mod insights;
mod instrument;
pub mod languages;
pub mod mail;
pub mod mail_preferences;
pub mod maintenance;
pub mod mentions;
pub mod message_mail;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod partners;
pub mod password_resets;
pub mod posts;
pub mod privacy;
pub mod rate_limits;
pub mod reactions;
pub mod read_positions;
pub mod removal_reasons;
mod schema;
mod schema_content_notes;
mod schema_countries;
mod schema_duty;
mod schema_insight_terms;
mod schema_languages;
mod schema_messages;
mod schema_partners;
mod schema_reading;
mod schema_removal_reasons;
mod schema_surveys;
pub mod sessions;
pub mod surveys;
pub mod threads;
pub mod users;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tokio::sync::watch;

use crate::config::{DatabaseTarget, DbTimeouts};
use crate::error::Error;
pub use instrument::statements;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// One connection to either backend; every storage function takes this type.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Opens connections for the pool, choosing the backend from the parsed URL rather than
/// letting diesel guess, and applies each backend's per-connection settings.
#[derive(Debug, Clone)]
struct ConnectionFactory {
    target: DatabaseTarget,
    timeouts: DbTimeouts,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// libpq options that bound how long a dead or silent server can hold a connection: the
/// connection attempt itself, and TCP keepalives so that a vanished peer is noticed.
/// Options the operator already put in the URL win.
const PG_CONNECTION_OPTIONS: [(&str, &str); 5] = [
    ("connect_timeout", "2"),
    ("keepalives", "1"),
    ("keepalives_idle", "10"),
    ("keepalives_interval", "5"),
    ("keepalives_count", "3"),
];

fn with_connection_options(url: &str) -> String {
    let mut url = url.to_owned();
    // libpq's default `sslmode=prefer` encrypts even a connection to this machine, which
    // cost about 9 % of the server's CPU on thread reads; a URL that asks for TLS gets it.
    let loopback = connects_to_this_machine(&url).then_some(("sslmode", "disable"));
    for (key, value) in PG_CONNECTION_OPTIONS.into_iter().chain(loopback) {
        let present = url.split_once('?').is_some_and(|(_, query)| {
            query
                .split('&')
                .any(|pair| pair.starts_with(&format!("{key}=")))
        });
        if !present {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&format!("{key}={value}"));
        }
    }
    url
}

/// Whether a `postgres://` URL names this machine: `localhost`, a loopback address, or
/// no host (a Unix socket).
fn connects_to_this_machine(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host_and_port.split(':').next().unwrap_or_default(),
    };
    host.is_empty()
        || host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

impl ConnectionFactory {
    /// A connection without the pool's statement limits (migrations may run long).
    fn open(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        match &self.target {
            DatabaseTarget::Postgres(url) => {
                let mut conn = PgConnection::establish(&with_connection_options(url))
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(instrument::count);
                Ok(DbConnection::Postgres(conn))
            }
            DatabaseTarget::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.set_instrumentation(instrument::count);
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// A pooled connection, and whether a failure on it showed the link itself is gone.
struct PoolConnection {
    conn: DbConnection,
    broken: bool,
}

impl r2d2::ManageConnection for ConnectionFactory {
    type Connection = PoolConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PoolConnection, Self::Error> {
        let mut conn = self.open()?;
        if let DbConnection::Postgres(pg) = &mut conn {
            // A statement or an idle transaction that outlives the budget is cancelled by
            // the server, so one slow query cannot pin a connection and its request.
            let millis = self.timeouts.statement.as_millis();
            pg.batch_execute(&format!(
                "SET statement_timeout = {millis}; \
                 SET idle_in_transaction_session_timeout = {millis};"
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(PoolConnection {
            conn,
            broken: false,
        })
    }

    fn is_valid(&self, conn: &mut PoolConnection) -> Result<(), Self::Error> {
        conn.conn
            .batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut PoolConnection) -> bool {
        use diesel::r2d2::R2D2Connection;
        conn.broken || conn.conn.is_broken()
    }
}

/// Runs `f` on a pooled connection and marks the connection broken when the error says
/// the link is gone, so the pool drops it instead of handing it to the next request.
fn on_connection<T>(
    pooled: &mut r2d2::PooledConnection<ConnectionFactory>,
    f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
) -> Result<T, Error> {
    let result = f(&mut pooled.conn);
    if matches!(result, Err(Error::Unavailable(_))) {
        pooled.broken = true;
    }
    result
}

type Pool = r2d2::Pool<ConnectionFactory>;

/// Handle to the database: a connection pool plus, on SQLite, a process-wide write lock.
///
/// SQLite allows one writer at a time; a deferred transaction that reads and then writes
/// fails with `SQLITE_BUSY` instead of waiting when another writer got there first.
/// Taking this lock around every write transaction makes writers queue instead.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    sqlite_write_lock: Option<Arc<Mutex<()>>>,
    backend: Backend,
    /// Counts committed write transactions; background tasks wait for it to change.
    commits: Arc<watch::Sender<u64>>,
    /// Whether the last write transaction failed for want of disk space (`/healthz`).
    storage_full: Arc<AtomicBool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl Store {
    /// Connects once directly (so that a bad URL or an unreachable server is reported with
    /// the driver's own message), runs pending migrations, then builds the pool.
    pub fn connect(target: &DatabaseTarget, pool_size: u32) -> Result<Store, Error> {
        Store::connect_with(target, pool_size, DbTimeouts::default())
    }

    /// [`Store::connect`] with the server's configured timeouts.
    pub fn connect_with(
        target: &DatabaseTarget,
        pool_size: u32,
        timeouts: DbTimeouts,
    ) -> Result<Store, Error> {
        let factory = ConnectionFactory {
            target: target.clone(),
            timeouts,
        };
        if let DatabaseTarget::Sqlite(path) = target {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::Config(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
        let mut first = factory
            .open()
            .map_err(|e| Error::Config(format!("cannot open {}: {e}", target.describe())))?;
        run_migrations(&mut first)?;
        users::backfill_skeletons(&mut first)?;
        drop(first);

        let backend = match target {
            DatabaseTarget::Sqlite(_) => Backend::Sqlite,
            DatabaseTarget::Postgres(_) => Backend::Postgres,
        };
        let pool = r2d2::Pool::builder()
            // r2d2 runs `is_valid` (a `SELECT 1` SQLite parses anew each time) on every
            // checkout: four a reply. A SQLite file's connection does not go stale, so only
            // PostgreSQL's, which cross a network, are tested.
            .test_on_check_out(backend == Backend::Postgres)
            .max_size(pool_size)
            .min_idle(Some(pool_size.min(2)))
            .connection_timeout(timeouts.pool_checkout)
            .build(factory)
            .map_err(|e| Error::Config(format!("cannot open {}: {e}", target.describe())))?;
        Ok(Store {
            pool,
            sqlite_write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            backend,
            commits: Arc::new(watch::Sender::new(0)),
            storage_full: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` on a pooled connection without a transaction: for reads.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut pooled = self.pool.get()?;
        on_connection(&mut pooled, f)
    }

    /// Like [`Store::read`], but gives up after `wait` when no connection can be had
    /// (background tasks that retry anyway, rather than hold a thread for the pool's
    /// full timeout while the database is down).
    pub fn read_within<T>(
        &self,
        wait: Duration,
        f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut pooled = self.pool.get_timeout(wait)?;
        on_connection(&mut pooled, f)
    }

    /// Runs `f` in one transaction: everything it writes, events included, commits together.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _guard = self.sqlite_write_lock.as_ref().map(|lock| {
            lock.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        });
        let mut pooled = self.pool.get()?;
        let result = on_connection(&mut pooled, |conn| conn.transaction(f));
        match &result {
            Err(Error::StorageFull(_)) => self.storage_full.store(true, Ordering::Relaxed),
            Ok(_) => self.storage_full.store(false, Ordering::Relaxed),
            Err(_) => {}
        }
        if result.is_ok() {
            // A receiver that is busy sees the change when it next waits: nothing is lost.
            self.commits
                .send_modify(|count| *count = count.wrapping_add(1));
        }
        result
    }

    /// Changes after every committed write transaction (the realtime tail and the search
    /// indexer wait on it).
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.subscribe()
    }

    /// Connections open and idle, for `/metrics`.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// Checks the database answers, waiting at most `wait` for a connection.
    pub fn ping(&self, wait: Duration) -> Result<(), Error> {
        self.read_within(wait, |conn| Ok(conn.batch_execute("SELECT 1")?))
    }

    /// Whether the last write transaction failed because the disk is full; cleared by
    /// the next one that commits.
    pub fn storage_full(&self) -> bool {
        self.storage_full.load(Ordering::Relaxed)
    }
}

fn run_migrations(conn: &mut DbConnection) -> Result<(), Error> {
    let result = match conn {
        DbConnection::Postgres(pg) => pg.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConnection::Sqlite(sqlite) => {
            sqlite.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ())
        }
    };
    result.map_err(|e| Error::Config(format!("database migration failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_options_are_added_unless_the_url_sets_them() {
        let url = with_connection_options("postgres://u@db/k?sslmode=disable&connect_timeout=9");
        assert!(url.starts_with("postgres://u@db/k?sslmode=disable&connect_timeout=9&"));
        assert_eq!(url.matches("connect_timeout=").count(), 1);
        assert!(url.contains("&keepalives=1&keepalives_idle=10"));
        let bare = with_connection_options("postgres://u@db/k");
        assert!(bare.starts_with("postgres://u@db/k?connect_timeout=2&keepalives=1"));
        assert!(!bare.contains("sslmode"));
    }

    #[test]
    fn connections_to_this_machine_skip_tls_unless_asked() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/test",
            "postgres://u:p@localhost/k",
            "postgres://[::1]:5432/k",
            "postgres:///k",
        ] {
            assert!(
                with_connection_options(url).ends_with("&sslmode=disable"),
                "{url}"
            );
        }
        let asked = with_connection_options("postgres://127.0.0.1/k?sslmode=require");
        assert_eq!(asked.matches("sslmode=").count(), 1);
        assert!(asked.contains("sslmode=require"));
        assert!(!with_connection_options("postgres://db.internal/k").contains("sslmode"));
        assert!(!with_connection_options("postgres://u@10.0.0.5:5432/k").contains("sslmode"));
    }
}
