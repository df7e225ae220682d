//! Jobs every node runs on a timer (notification mail, detaching closed surveys' answers):
//! one loop that waits, stops on shutdown, runs the job on the blocking pool with the
//! current time and logs a failure, so each job is only its work.

use std::time::Duration;

use tokio::sync::watch;

use crate::domain::ids::now_micros;
use crate::error::Error;
use crate::store::Store;

/// Runs `job(store, now)` every `interval` until shutdown. A failed run is logged under
/// `name` and the next one comes at the next tick: the jobs claim their work in the
/// database, so a missed run leaves nothing half done.
pub async fn run_every<T: Send + 'static>(
    name: &'static str,
    interval: Duration,
    store: Store,
    mut shutdown: watch::Receiver<bool>,
    job: impl Fn(&Store, i64) -> Result<T, Error> + Clone + Send + 'static,
) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            return;
        }
        let job = job.clone();
        let result = store
            .background(move |store| job(store, now_micros()))
            .await;
        if let Err(e) = result {
            tracing::warn!(job = name, error = %e, "periodic job failed");
        }
    }
}
