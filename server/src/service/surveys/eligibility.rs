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
use crate::store::communities::{self, CommunityRow};
use crate::store::surveys::{self as store, SurveyRow};
use crate::store::{users, DbConnection, Store};

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

/// Everyone `survey` invites, by the rules of [`eligible`]: who hears live that it opened.
pub fn invitees(conn: &mut DbConnection, survey: &SurveyRow) -> Result<Vec<i64>, Error> {
    Ok(store::opted_in_members(conn, survey.community_id)?
        .into_iter()
        .filter(|(_, role, conditions)| {
            survey
                .audience_role
                .as_ref()
                .is_none_or(|wanted| role.as_ref() == Some(wanted))
                && survey
                    .audience_condition
                    .as_ref()
                    .is_none_or(|tag| ConditionTags::from_json(conditions).contains(tag))
        })
        .map(|(id, _, _)| id)
        .collect())
}

/// An open survey offered to `user_id`, its community, and what they did about it
/// (`invited` while they did nothing).
struct Offer {
    survey: SurveyRow,
    community: CommunityRow,
    state: String,
}

/// The open surveys offered to `user_id` at `now`, soonest to close first.
fn offers(conn: &mut DbConnection, user_id: i64, now: i64) -> Result<Vec<Offer>, Error> {
    let memberships = communities::memberships_of_user(conn, UserId(user_id))?;
    let ids: Vec<i64> = memberships
        .iter()
        .filter(|(m, _)| m.state == MembershipState::Active)
        .map(|(m, _)| m.community_id.0)
        .collect();
    let surveys = store::open_in(conn, &ids, now)?;
    if surveys.is_empty() {
        return Ok(Vec::new());
    }
    let survey_ids: Vec<i64> = surveys.iter().map(|s| s.id).collect();
    let states = store::invitation_states(conn, user_id, &survey_ids)?;
    let mut offers = Vec::new();
    for survey in surveys {
        if !eligible(conn, &survey, user_id)? {
            continue;
        }
        let community =
            communities::find(conn, CommunityId(survey.community_id))?.ok_or(Error::NotFound)?;
        let state = states
            .iter()
            .find(|(id, _)| *id == survey.id)
            .map_or("invited", |(_, state)| state.as_str())
            .to_owned();
        offers.push(Offer {
            survey,
            community,
            state,
        });
    }
    Ok(offers)
}

/// The open surveys `user` is invited to, with what they did about each.
pub fn invitations(store_handle: &Store, user: &CurrentUser) -> Result<Vec<InvitationView>, Error> {
    let now = now_micros();
    store_handle.read(|conn| {
        offers(conn, user.id.0, now)?
            .into_iter()
            .map(|offer| {
                Ok(InvitationView {
                    id: offer.survey.id.to_string(),
                    questions: questions_of(&offer.survey)?,
                    community: offer.community.slug,
                    community_name: offer.community.name,
                    title: offer.survey.title,
                    closes_at: format_time(offer.survey.closes_at),
                    state: offer.state,
                })
            })
            .collect()
    })
}

/// An invitation still waiting for the member: the survey is open and they neither
/// answered nor dismissed it. It sits in their notifications, counted with the unread
/// ones, from the moment the survey opens until they act on it or it closes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyNotice {
    pub survey_id: String,
    pub community: String,
    pub community_name: String,
    pub title: String,
    pub closes_at: String,
}

/// The invitations waiting for `user` (see [`SurveyNotice`]). Computed, not stored: a
/// survey opening at a set time, or a member joining, opting in or filling in their
/// profile, changes who is invited without any write to hang a notification on.
pub(crate) fn waiting(
    conn: &mut DbConnection,
    user: &CurrentUser,
    now: i64,
) -> Result<Vec<SurveyNotice>, Error> {
    if user.is_research_partner() {
        return Ok(Vec::new());
    }
    Ok(offers(conn, user.id.0, now)?
        .into_iter()
        .filter(|offer| offer.state == "invited")
        .map(|offer| SurveyNotice {
            survey_id: offer.survey.id.to_string(),
            community: offer.community.slug,
            community_name: offer.community.name,
            title: offer.survey.title,
            closes_at: format_time(offer.survey.closes_at),
        })
        .collect())
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
