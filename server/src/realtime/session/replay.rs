//! `resume`: events the client missed are replayed from the database, up to the hub's
//! watermark at subscription time, so nothing is sent twice or skipped.

use actix_ws::CloseCode;

use super::{Connection, Step, Stop, REPLAY_BATCH};
use crate::domain::ids::now_micros;
use crate::realtime::loaded;
use crate::realtime::protocol::{EventIdInput, ServerMessage};
use crate::store::events;

impl Connection {
    pub(super) async fn on_resume(&mut self, raw: &EventIdInput) -> Step {
        let Some(last) = raw.parse() else {
            return self.strike("invalid_message", "last_event_id must be an event id");
        };
        if self.resume_from.is_some() {
            return self.error(
                "already_resumed",
                "this connection has already resumed",
                None,
            );
        }
        let watermark = self.state.realtime.hub.watermark();
        let settings = self.state.settings.realtime.clone();
        let replayable = self
            .state
            .store
            .background(move |store| {
                store.read(|conn| {
                    if last >= watermark {
                        // This node may be behind the one the client was on.
                        return Ok(last <= events::max_id(conn)?);
                    }
                    let oldest_allowed = now_micros()
                        - i64::try_from(settings.resume_max_age.as_micros()).unwrap_or(0);
                    let first = events::list_after(conn, last, 1)?;
                    if first.first().is_some_and(|e| e.created_at < oldest_allowed) {
                        return Ok(false);
                    }
                    let too_many =
                        events::nth_id_after(conn, last, settings.resume_max_events + 1)?
                            .is_some_and(|id| id <= watermark);
                    Ok(!too_many)
                })
            })
            .await;
        match replayable {
            Ok(true) => {}
            Ok(false) => {
                return self.send(
                    ServerMessage::Resync {
                        last_event_id: watermark.to_string(),
                    }
                    .to_json(),
                )
            }
            Err(e) => {
                tracing::warn!(error = %e, "websocket resume failed");
                return self.error("unavailable", "try again later", None);
            }
        }
        self.resume_from = Some(last);
        for subscription in self.subscriptions.values_mut() {
            subscription.since = subscription.since.max(last);
        }
        self.replay(last).await?;
        self.send(
            ServerMessage::Resumed {
                last_event_id: last.to_string(),
            }
            .to_json(),
        )
    }

    /// Replays `(from, since]` from the log to every subscription not replayed yet.
    pub(super) async fn replay(&mut self, from: i64) -> Step {
        let Some(up_to) = self
            .subscriptions
            .values()
            .filter(|s| !s.replayed)
            .map(|s| s.since)
            .max()
        else {
            return Ok(());
        };
        let mut after = from;
        while after < up_to {
            let batch = self
                .state
                .store
                .background(move |store| {
                    store.read(|conn| {
                        let rows = events::list_between(conn, after, up_to, REPLAY_BATCH)?;
                        loaded::load(conn, rows)
                    })
                })
                .await;
            let batch = match batch {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::warn!(error = %e, "websocket replay failed");
                    self.error("unavailable", "replay failed; reconnect and resume", None)?;
                    self.out.close(CloseCode::Error, "replay failed");
                    return Err(Stop);
                }
            };
            let Some(last) = batch.last().map(|e| e.id) else {
                break;
            };
            for event in batch {
                if let Some(community_id) = self.community_needing_access(&event) {
                    self.load_access(community_id).await;
                }
                for frame in self.render(&event, |s| !s.replayed && event.id <= s.since) {
                    self.send_patiently(frame).await?;
                }
            }
            after = last;
        }
        for subscription in self.subscriptions.values_mut() {
            subscription.replayed = true;
        }
        Ok(())
    }
}
