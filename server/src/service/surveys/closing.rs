//! The closing job: answers are stored apart from identity once a survey closes. Every
//! reader of answers also detaches first, so nothing ever reads a closed survey's answers
//! still naming people; this job makes sure the stored rows stop naming them soon after
//! close even if nobody reads them.

use std::time::Duration;

use crate::error::Error;
use crate::store::surveys as store;
use crate::store::Store;

/// How often the job looks for surveys that closed.
pub const DETACH_EVERY: Duration = Duration::from_secs(60);

/// Cuts the tie between answers and their authors for every survey closed by `now`; the
/// number of surveys this run detached.
pub fn detach_closed(store_handle: &Store, now: i64) -> Result<usize, Error> {
    let detached = store_handle.write(|conn| store::detach_closed(conn, now))?;
    if detached > 0 {
        tracing::info!(surveys = detached, "closed surveys' answers detached");
    }
    Ok(detached)
}
