//! Survey invitations on the websocket: a `survey.opened` event goes only to the `user`
//! topic of the members the survey invites (active members of its community who opted in
//! to research and fit its audience), read at delivery time — never to other members,
//! never to research partners, never on a community topic.

use std::collections::HashMap;

use serde_json::json;

use crate::domain::event::EventPayload;
use crate::domain::ids::CommunityId;
use crate::error::Error;
use crate::service::surveys::{invitees, SurveyStatus};
use crate::store::communities;
use crate::store::events::{EventKind, EventRow};
use crate::store::surveys as store;
use crate::store::DbConnection;

/// An opened survey as delivered, with the members it goes to.
#[derive(Debug, Clone)]
pub struct LiveSurvey {
    /// The invited members (ids).
    pub recipients: Vec<i64>,
    /// The `data` of the event: the survey's id, title and community.
    pub data: serde_json::Value,
}

fn survey_id_of(row: &EventRow) -> Option<i64> {
    let kind = EventKind::parse(&row.kind).filter(|k| *k == EventKind::SurveyOpened)?;
    match kind.read_payload(&row.payload).ok()? {
        EventPayload::Survey(payload) => payload.survey_id,
        _ => None,
    }
}

/// The surveys a batch of events announces, by event id.
pub fn load(conn: &mut DbConnection, rows: &[EventRow]) -> Result<HashMap<i64, LiveSurvey>, Error> {
    let mut loaded = HashMap::new();
    for row in rows {
        let Some(survey_id) = survey_id_of(row) else {
            continue;
        };
        let Some(survey) =
            store::find(conn, survey_id)?.filter(|s| s.status == SurveyStatus::Approved.as_str())
        else {
            continue;
        };
        let Some(community) = communities::find(conn, CommunityId(survey.community_id))? else {
            continue;
        };
        loaded.insert(
            row.id,
            LiveSurvey {
                recipients: invitees(conn, &survey)?,
                data: json!({
                    "survey_id": survey.id.to_string(),
                    "title": survey.title,
                    "community": community.slug,
                    "community_name": community.name,
                }),
            },
        );
    }
    Ok(loaded)
}
