//! All SQL lives here: one file per aggregate, each a set of plain functions that take a
//! `&mut DbConnection`. The same code runs on SQLite and PostgreSQL through diesel's
//! `MultiConnection`; ids come from [`crate::domain::ids`] because `RETURNING` is not
//! available through it.
//!
//! Writes go through [`Store::write`], which runs the closure in one transaction, so a
//! state change and its row in `events` commit together or not at all. After each commit
//! the store pokes [`Store::commits`], which wakes the realtime event tail at once.

pub mod communities;
pub mod events;
pub mod idempotency;
pub mod insights;
pub mod moderation;
pub mod notifications;
pub mod posts;
pub mod privacy;
pub mod rate_limits;
mod schema;
pub mod sessions;
pub mod threads;
pub mod users;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use tokio::sync::watch;

use crate::config::DatabaseTarget;
use crate::error::Error;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// One connection to either backend; every storage function takes this type.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Opens connections for the pool, choosing the backend from the parsed URL rather than
/// letting diesel guess, and applies SQLite's per-connection settings.
#[derive(Debug, Clone)]
struct ConnectionFactory {
    target: DatabaseTarget,
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

impl ConnectionFactory {
    fn open(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        match &self.target {
            DatabaseTarget::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgres)
                .map_err(diesel::r2d2::Error::ConnectionError),
            DatabaseTarget::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionFactory {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
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
        let factory = ConnectionFactory {
            target: target.clone(),
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
        drop(first);

        let backend = match target {
            DatabaseTarget::Sqlite(_) => Backend::Sqlite,
            DatabaseTarget::Postgres(_) => Backend::Postgres,
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(pool_size.min(2)))
            .connection_timeout(Duration::from_secs(10))
            .build(factory)
            .map_err(|e| Error::Config(format!("cannot open {}: {e}", target.describe())))?;
        Ok(Store {
            pool,
            sqlite_write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            backend,
            commits: Arc::new(watch::Sender::new(0)),
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
        let mut conn = self.pool.get()?;
        f(&mut conn)
    }

    /// Like [`Store::read`], but gives up after `wait` when no connection can be had
    /// (background tasks that retry anyway, rather than hold a thread for the pool's
    /// full timeout while the database is down).
    pub fn read_within<T>(
        &self,
        wait: Duration,
        f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let mut conn = self.pool.get_timeout(wait)?;
        f(&mut conn)
    }

    /// Runs `f` in one transaction: everything it writes, events included, commits together.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _guard = self
            .sqlite_write_lock
            .as_ref()
            .map(|lock| lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let mut pooled = self.pool.get()?;
        let conn: &mut DbConnection = &mut pooled;
        let result = conn.transaction(f);
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

    pub fn ping(&self) -> Result<(), Error> {
        self.read(|conn| Ok(conn.batch_execute("SELECT 1")?))
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
