//! The closing job: answers are stored apart from identity once a survey closes. Every
//! reader of answers also detaches first, so nothing ever reads a closed survey's answers
//! still naming people; this job makes sure the stored rows stop naming them soon after
//! close even if nobody reads them. It also announces surveys whose opening time passed
//! (`survey.opened`), so invitees who are connected hear of them live.

use std::time::Duration;

use crate::domain::event::{EventPayload, SurveyPayload};
use crate::error::Error;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::surveys as store;
use crate::store::{DbConnection, Store};

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

/// Appends a `survey.opened` event for every approved survey open at `now` and not
/// announced yet, inside the caller's transaction; how many. The approval of a survey
/// whose opening time already passed calls it too, so its invitees hear at once.
pub(super) fn announce_in(conn: &mut DbConnection, now: i64) -> Result<usize, Error> {
    let opened = store::claim_opened(conn, now)?;
    for (survey_id, community_id) in &opened {
        events::append(
            conn,
            NewEvent {
                kind: EventKind::SurveyOpened,
                community_id: Some(*community_id),
                thread_id: None,
                post_id: None,
                actor_id: None,
                payload: EventPayload::Survey(SurveyPayload {
                    survey_id: Some(*survey_id),
                }),
                created_at: now,
            },
        )?;
    }
    Ok(opened.len())
}

/// Announces the surveys whose opening time passed by `now` (see [`announce_in`]).
pub fn announce_opened(store_handle: &Store, now: i64) -> Result<usize, Error> {
    let announced = store_handle.write(|conn| announce_in(conn, now))?;
    if announced > 0 {
        tracing::info!(surveys = announced, "opened surveys announced");
    }
    Ok(announced)
}

/// One run of the periodic job: announces the surveys that opened, then detaches the
/// answers of those that closed.
pub fn run_once(store_handle: &Store, now: i64) -> Result<(), Error> {
    announce_opened(store_handle, now)?;
    detach_closed(store_handle, now)?;
    Ok(())
}
