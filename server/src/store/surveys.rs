//! Research-partner surveys: the surveys, what each invited member did with them, and
//! their answers — tied to the member only while the survey is open (see
//! [`detach_closed`]).

use diesel::prelude::*;

use super::schema::{memberships, users};
use super::schema_surveys::{survey_invitations, survey_responses, surveys};
use super::DbConnection;
use crate::domain::community::MembershipState;
use crate::error::Error;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    pub id: i64,
    pub community_id: i64,
    pub partner_id: Option<i64>,
    pub title: String,
    /// JSON: the questions as `service::surveys::Question`s.
    pub questions: String,
    pub audience_role: Option<String>,
    pub audience_condition: Option<String>,
    pub opens_at: i64,
    pub closes_at: i64,
    pub status: String,
    pub promotional: bool,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub detached: bool,
    pub created_at: i64,
}

pub fn insert(conn: &mut DbConnection, row: &SurveyRow) -> Result<(), Error> {
    diesel::insert_into(surveys::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<SurveyRow>, Error> {
    Ok(surveys::table
        .find(id)
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()?)
}

/// A partner's surveys, newest first.
pub fn of_partner(conn: &mut DbConnection, partner_id: i64) -> Result<Vec<SurveyRow>, Error> {
    Ok(surveys::table
        .filter(surveys::partner_id.eq(partner_id))
        .order(surveys::created_at.desc())
        .select(SurveyRow::as_select())
        .load(conn)?)
}

/// Every survey, pending ones first, then newest first: the admins' list.
pub fn all(conn: &mut DbConnection) -> Result<Vec<SurveyRow>, Error> {
    let mut rows: Vec<SurveyRow> = surveys::table
        .order(surveys::created_at.desc())
        .select(SurveyRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|row| row.status != "pending");
    Ok(rows)
}

/// Approves or rejects a pending survey; `false` if it was not pending.
pub fn decide(
    conn: &mut DbConnection,
    id: i64,
    status: &str,
    reason: Option<&str>,
    by: i64,
) -> Result<bool, Error> {
    let changed = diesel::update(
        surveys::table
            .filter(surveys::id.eq(id))
            .filter(surveys::status.eq("pending")),
    )
    .set((
        surveys::status.eq(status),
        surveys::decision_reason.eq(reason),
        surveys::decided_by.eq(by),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Approved surveys of these communities open at `now`.
pub fn open_in(
    conn: &mut DbConnection,
    community_ids: &[i64],
    now: i64,
) -> Result<Vec<SurveyRow>, Error> {
    Ok(surveys::table
        .filter(surveys::community_id.eq_any(community_ids))
        .filter(surveys::status.eq("approved"))
        .filter(surveys::opens_at.le(now))
        .filter(surveys::closes_at.gt(now))
        .order(surveys::closes_at.asc())
        .select(SurveyRow::as_select())
        .load(conn)?)
}

/// Claims the approved surveys open at `now` whose opening was not announced yet, marking
/// them announced: (survey id, community id) of each claimed. A survey is claimed once,
/// whichever node or transaction gets there first.
pub fn claim_opened(conn: &mut DbConnection, now: i64) -> Result<Vec<(i64, i64)>, Error> {
    let due: Vec<(i64, i64)> = surveys::table
        .filter(surveys::status.eq("approved"))
        .filter(surveys::announced.eq(false))
        .filter(surveys::opens_at.le(now))
        .filter(surveys::closes_at.gt(now))
        .select((surveys::id, surveys::community_id))
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for (id, community_id) in due {
        let changed = diesel::update(
            surveys::table
                .filter(surveys::id.eq(id))
                .filter(surveys::announced.eq(false)),
        )
        .set(surveys::announced.eq(true))
        .execute(conn)?;
        if changed > 0 {
            claimed.push((id, community_id));
        }
    }
    Ok(claimed)
}

/// The active members of a community who opted in to research, with their profile role
/// and conditions (JSON): the people a survey of that community may invite.
pub fn opted_in_members(
    conn: &mut DbConnection,
    community_id: i64,
) -> Result<Vec<(i64, Option<String>, String)>, Error> {
    Ok(memberships::table
        .inner_join(users::table)
        .filter(memberships::community_id.eq(community_id))
        .filter(memberships::state.eq(MembershipState::Active.as_str()))
        .filter(users::insights_opt_in.eq(true))
        .filter(users::site_role.ne("research_partner"))
        .select((users::id, users::profile_role, users::conditions))
        .load(conn)?)
}

/// What `user_id` did with a survey: `answered`, `dismissed`, `withdrawn`, or nothing yet.
pub fn invitation_state(
    conn: &mut DbConnection,
    survey_id: i64,
    user_id: i64,
) -> Result<Option<String>, Error> {
    Ok(survey_invitations::table
        .find((survey_id, user_id))
        .select(survey_invitations::state)
        .first(conn)
        .optional()?)
}

/// The states of one member's invitations among `survey_ids`: (survey id, state).
pub fn invitation_states(
    conn: &mut DbConnection,
    user_id: i64,
    survey_ids: &[i64],
) -> Result<Vec<(i64, String)>, Error> {
    Ok(survey_invitations::table
        .filter(survey_invitations::user_id.eq(user_id))
        .filter(survey_invitations::survey_id.eq_any(survey_ids))
        .select((survey_invitations::survey_id, survey_invitations::state))
        .load(conn)?)
}

pub fn set_invitation_state(
    conn: &mut DbConnection,
    survey_id: i64,
    user_id: i64,
    state: &str,
) -> Result<(), Error> {
    diesel::delete(survey_invitations::table.find((survey_id, user_id))).execute(conn)?;
    diesel::insert_into(survey_invitations::table)
        .values((
            survey_invitations::survey_id.eq(survey_id),
            survey_invitations::user_id.eq(user_id),
            survey_invitations::state.eq(state),
        ))
        .execute(conn)?;
    Ok(())
}

/// Stores one member's answers; `id` is random so that ids do not order respondents.
pub fn insert_response(
    conn: &mut DbConnection,
    id: i64,
    survey_id: i64,
    user_id: i64,
    role: Option<&str>,
    answers: &str,
) -> Result<(), Error> {
    diesel::insert_into(survey_responses::table)
        .values((
            survey_responses::id.eq(id),
            survey_responses::survey_id.eq(survey_id),
            survey_responses::user_id.eq(Some(user_id)),
            survey_responses::respondent_role.eq(role),
            survey_responses::answers.eq(answers),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes a member's answers to one survey (possible only while they are still tied to
/// the member, i.e. before close); the number of rows removed.
pub fn withdraw(conn: &mut DbConnection, survey_id: i64, user_id: i64) -> Result<usize, Error> {
    Ok(diesel::delete(
        survey_responses::table
            .filter(survey_responses::survey_id.eq(survey_id))
            .filter(survey_responses::user_id.eq(user_id)),
    )
    .execute(conn)?)
}

/// Every response to a survey: (respondent's role, answers JSON).
pub fn responses(
    conn: &mut DbConnection,
    survey_id: i64,
) -> Result<Vec<(Option<String>, String)>, Error> {
    Ok(survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .select((survey_responses::respondent_role, survey_responses::answers))
        .load(conn)?)
}

pub fn response_count(conn: &mut DbConnection, survey_id: i64) -> Result<i64, Error> {
    Ok(survey_responses::table
        .filter(survey_responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)?)
}

/// Cuts the tie between answers and their authors for every survey closed by `now`; the
/// number of surveys detached. Idempotent; called before anything reads answers, so no
/// reader sees a closed survey whose answers still name people, and by the closing job
/// (`service::surveys::closing`).
pub fn detach_closed(conn: &mut DbConnection, now: i64) -> Result<usize, Error> {
    let closed: Vec<i64> = surveys::table
        .filter(surveys::detached.eq(false))
        .filter(surveys::closes_at.le(now))
        .select(surveys::id)
        .load(conn)?;
    if closed.is_empty() {
        return Ok(0);
    }
    diesel::update(
        survey_responses::table.filter(survey_responses::survey_id.eq_any(closed.clone())),
    )
    .set(survey_responses::user_id.eq(None::<i64>))
    .execute(conn)?;
    let count = closed.len();
    diesel::update(surveys::table.filter(surveys::id.eq_any(closed)))
        .set(surveys::detached.eq(true))
        .execute(conn)?;
    Ok(count)
}

/// A member's answers to surveys open at `now`, the only ones still theirs: (survey id,
/// title, answers JSON).
pub fn answers_of(
    conn: &mut DbConnection,
    user_id: i64,
    now: i64,
) -> Result<Vec<(i64, String, String)>, Error> {
    Ok(survey_responses::table
        .inner_join(surveys::table)
        .filter(survey_responses::user_id.eq(user_id))
        .filter(surveys::closes_at.gt(now))
        .select((surveys::id, surveys::title, survey_responses::answers))
        .load(conn)?)
}

/// Erasure: removes a member's answers to surveys not yet closed (closed ones are
/// already detached, and their results published) and their invitations.
pub fn erase_member(conn: &mut DbConnection, user_id: i64) -> Result<(), Error> {
    diesel::delete(survey_responses::table.filter(survey_responses::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(survey_invitations::table.filter(survey_invitations::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}
