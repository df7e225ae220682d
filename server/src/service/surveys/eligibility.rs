//! Who is offered a survey: active members of its community who opted in to research
//! and fit its audience (profile role, condition), between its opening and closing dates.

use serde::Serialize;
use utoipa::ToSchema;

use super::{questions_of, Question, SurveyStatus};
use crate::domain::community::MembershipState;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, now_micros, CommunityId, UserId};
use crate::domain::user::ConditionTags;
use crate::error::Error;
use crate::store::surveys::{self as store, SurveyRow};
use crate::store::{communities, users, DbConnection, Store};

/// A survey offered to a member.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub community: String,
    pub community_name: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub closes_at: String,
    /// `invited` | `answered` | `dismissed` | `withdrawn`.
    pub state: String,
}

/// Whether `user_id` may answer `survey` now: a member in good standing of its
/// community, opted in to research, of the audience's role and condition if it has one.
pub(super) fn eligible(
    conn: &mut DbConnection,
    survey: &SurveyRow,
    user_id: i64,
) -> Result<bool, Error> {
    let Some(user) = users::find(conn, UserId(user_id))? else {
        return Ok(false);
    };
    let member =
        communities::find_membership(conn, CommunityId(survey.community_id), UserId(user_id))?
            .is_some_and(|m| m.state == MembershipState::Active);
    let role_fits = survey
        .audience_role
        .as_ref()
        .is_none_or(|role| user.profile_role.as_ref() == Some(role));
    let condition_fits = survey
        .audience_condition
        .as_ref()
        .is_none_or(|tag| ConditionTags::from_json(&user.conditions).contains(tag));
    Ok(member && user.insights_opt_in && role_fits && condition_fits)
}

/// The open surveys `user` is invited to, with what they did about each.
pub fn invitations(store_handle: &Store, user: &CurrentUser) -> Result<Vec<InvitationView>, Error> {
    let now = now_micros();
    store_handle.read(|conn| {
        let memberships = communities::memberships_of_user(conn, user.id)?;
        let ids: Vec<i64> = memberships
            .iter()
            .filter(|(m, _)| m.state == MembershipState::Active)
            .map(|(m, _)| m.community_id.0)
            .collect();
        let surveys = store::open_in(conn, &ids, now)?;
        let survey_ids: Vec<i64> = surveys.iter().map(|s| s.id).collect();
        let states = store::invitation_states(conn, user.id.0, &survey_ids)?;
        let mut views = Vec::new();
        for survey in &surveys {
            if !eligible(conn, survey, user.id.0)? {
                continue;
            }
            let community = communities::find(conn, CommunityId(survey.community_id))?
                .ok_or(Error::NotFound)?;
            let state = states
                .iter()
                .find(|(id, _)| *id == survey.id)
                .map_or("invited", |(_, state)| state.as_str());
            views.push(InvitationView {
                id: survey.id.to_string(),
                community: community.slug,
                community_name: community.name,
                title: survey.title.clone(),
                questions: questions_of(survey)?,
                closes_at: format_time(survey.closes_at),
                state: state.to_owned(),
            });
        }
        Ok(views)
    })
}
/// The survey a member acts on, open now and offered to them: `NotFound` if they cannot
/// see it, `survey_closed` once it closed (or before it opens), `not_eligible` with the
/// reason otherwise.
pub(super) fn open_for(
    conn: &mut DbConnection,
    user: &CurrentUser,
    id: i64,
    now: i64,
) -> Result<SurveyRow, Error> {
    let survey = store::find(conn, id)?
        .filter(|s| s.status == SurveyStatus::Approved.as_str())
        .ok_or(Error::NotFound)?;
    let member = communities::find_membership(conn, CommunityId(survey.community_id), user.id)?
        .is_some_and(|m| m.state == MembershipState::Active);
    if !member {
        return Err(Error::NotFound);
    }
    if survey.closes_at <= now || survey.opens_at > now {
        return Err(Error::bad_request(
            "survey_closed",
            format!(
                "this survey is open from {} to {}",
                format_time(survey.opens_at),
                format_time(survey.closes_at)
            ),
        ));
    }
    if !eligible(conn, &survey, user.id.0)? {
        return Err(Error::forbidden(
            "not_eligible",
            "this survey is for members who opted in to research (in your privacy settings) and fit its audience",
        ));
    }
    Ok(survey)
}
