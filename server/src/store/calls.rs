//! Running synchronous store and service calls from async code: a request's call on the
//! blocking pool within its budget, a read inline where that is cheaper, and a background
//! task's call without a budget. Every layer above the store reaches the database through
//! these, so none of them needs the HTTP layer's helpers.

use std::time::Duration;

use super::{Backend, Store};
use crate::error::Error;

/// How long a request waits for its service call. The database's own limits (pool
/// checkout, statement timeout) normally end a call sooner; this bounds what they cannot,
/// such as a server that stopped answering on an open connection. The call itself runs
/// on until the connection recovers or breaks; only the client stops waiting.
const REQUEST_BUDGET: Duration = Duration::from_secs(5);

impl Store {
    /// Runs a request's synchronous service call on the blocking thread pool; 503 when it
    /// takes longer than the request budget.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let store = self.clone();
        let call = tokio::task::spawn_blocking(move || f(&store));
        match tokio::time::timeout(REQUEST_BUDGET, call).await {
            Ok(joined) => joined.map_err(|e| Error::failed("blocking task failed", e))?,
            Err(_) => Err(Error::Unavailable(format!(
                "no answer within {} s",
                REQUEST_BUDGET.as_secs()
            ))),
        }
    }

    /// Runs a request's read-only service call. On SQLite the read is local and, in WAL
    /// mode, never waits for a writer, so it runs on the worker thread: handing it to the
    /// blocking pool cost more in context switches than the query itself (see
    /// BENCHMARKS.md). PostgreSQL reads cross the network and go to the blocking pool.
    pub async fn reading<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        match self.backend {
            Backend::Sqlite => f(self),
            Backend::Postgres => self.blocking(f).await,
        }
    }

    /// Runs a background task's synchronous call (event followers, websocket sessions) on
    /// the blocking thread pool, without a request's budget: these retry on their own.
    pub async fn background<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| Error::failed("blocking task failed", e))?
    }
}
