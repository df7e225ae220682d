//! Research-partner surveys (issue 20): questions a research partner asks the members of
//! a community granted to them, which members choose to answer.
//!
//! A partner drafts a survey (single choice, multiple choice, 1–5 scales; a free-text
//! question only for the community's moderators, never the partner); screening checks
//! its text for promotion; an admin approves or rejects it with a reason. Between its
//! opening and closing dates, members who opted in to research and belong to the
//! community (optionally of one profile role or condition) see it on their surveys
//! page and in a banner — never as a post — and answer, dismiss, or withdraw their
//! answers until close. At close the answers are detached from their authors
//! (`store::surveys::detach_closed`); results ([`results`]) exist only then, only with
//! at least 11 respondents, and with the insights' suppression.

pub mod results;

use chrono::DateTime;
use kindred_moderation::{Label, Policy, ScreenInput, TrustLevel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::community::{CommunitySlug, MembershipRole, MembershipState};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, next_id, now_micros, CommunityId};
use crate::domain::text_enum;
use crate::domain::user::{ConditionTags, ProfileRole};
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::surveys::{self as store, SurveyRow};
use crate::store::{communities, partners, users, DbConnection, Store};

text_enum! {
    /// What a question asks for.
    QuestionKind, "kind" {
        SingleChoice => "single_choice",
        MultipleChoice => "multiple_choice",
        Scale => "scale",
        FreeText => "free_text",
    }
}

text_enum! {
    /// Where a survey stands with the admins.
    SurveyStatus, "status" {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
    }
}

/// The most questions in one survey, and of options in one question.
const MAX_QUESTIONS: usize = 20;
const MAX_OPTIONS: usize = 12;
/// The longest a survey may stay open.
const MAX_OPEN_DAYS: i64 = 366;
/// The longest free-text answer, in characters.
const MAX_FREE_TEXT: usize = 2000;

/// One question of a survey.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub kind: QuestionKind,
    /// The question, 3 to 500 characters.
    #[schema(min_length = 3, max_length = 500)]
    pub text: String,
    /// The choices of a single- or multiple-choice question (2 to 12); none for a scale
    /// (1–5) or free text.
    #[serde(default)]
    #[schema(max_items = 12)]
    pub options: Vec<String>,
    /// Must be `true` on a free-text question: its answers are read by the community's
    /// moderators only, and never leave Kindred.
    #[serde(default)]
    pub for_moderators: bool,
}

impl Question {
    /// The labels results are counted under: the options, or `1`…`5` for a scale.
    pub fn labels(&self) -> Vec<String> {
        match self.kind {
            QuestionKind::Scale => (1..=5).map(|v: u8| v.to_string()).collect(),
            _ => self.options.clone(),
        }
    }
}

/// `POST /partner/surveys`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// A community granted to the partner.
    #[schema(min_length = 3, max_length = 48)]
    pub community: String,
    #[schema(min_length = 3, max_length = 200)]
    pub title: String,
    #[schema(min_items = 1, max_items = 20)]
    pub questions: Vec<Question>,
    /// RFC 3339.
    pub opens_at: String,
    /// RFC 3339; after `opens_at` and in the future, at most a year later.
    pub closes_at: String,
    /// Only members with this profile role are invited.
    #[serde(default)]
    pub audience_role: Option<ProfileRole>,
    /// Only members with this condition tag are invited.
    #[serde(default)]
    pub audience_condition: Option<String>,
}

/// A survey as its partner and the admins see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyView {
    pub id: String,
    pub community: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub audience_role: Option<String>,
    pub audience_condition: Option<String>,
    pub opens_at: String,
    pub closes_at: String,
    /// `pending` | `approved` | `rejected`.
    pub status: String,
    /// Whether screening found promotion in the text (such a survey cannot be approved).
    pub promotional: bool,
    /// The admin's reason for approving or rejecting.
    pub decision_reason: Option<String>,
    /// Whether the survey has closed (its results, if any, are available).
    pub closed: bool,
}

fn view(row: &SurveyRow, slug: &str, now: i64) -> Result<SurveyView, Error> {
    Ok(SurveyView {
        id: row.id.to_string(),
        community: slug.to_owned(),
        title: row.title.clone(),
        questions: questions_of(row)?,
        audience_role: row.audience_role.clone(),
        audience_condition: row.audience_condition.clone(),
        opens_at: format_time(row.opens_at),
        closes_at: format_time(row.closes_at),
        status: row.status.clone(),
        promotional: row.promotional,
        decision_reason: row.decision_reason.clone(),
        closed: row.closes_at <= now,
    })
}

pub(crate) fn questions_of(row: &SurveyRow) -> Result<Vec<Question>, Error> {
    serde_json::from_str(&row.questions).map_err(|e| Error::failed("stored survey questions", e))
}

fn slug_of(conn: &mut DbConnection, community_id: i64) -> Result<String, Error> {
    Ok(communities::find(conn, CommunityId(community_id))?
        .map(|c| c.slug)
        .unwrap_or_default())
}

fn parse_time(field: &'static str, raw: &str) -> Result<i64, Error> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.timestamp_micros())
        .map_err(|_| Error::invalid(field, format!("{field} must be an RFC 3339 time")))
}

fn check_len(field: &'static str, value: &str, min: usize, max: usize) -> Result<(), Error> {
    crate::domain::check_text(field, value.trim(), min, max, false)
}

fn check_questions(questions: &[Question]) -> Result<(), Error> {
    if questions.is_empty() {
        return Err(Error::bad_request(
            "no_question",
            "a survey needs at least one question",
        ));
    }
    if questions.len() > MAX_QUESTIONS {
        return Err(Error::invalid(
            "questions",
            format!("a survey has at most {MAX_QUESTIONS} questions"),
        ));
    }
    for question in questions {
        check_len("questions", &question.text, 3, 500)?;
        match question.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
                if question.options.len() < 2 || question.options.len() > MAX_OPTIONS {
                    return Err(Error::invalid(
                        "options",
                        format!("a choice question has 2 to {MAX_OPTIONS} options"),
                    ));
                }
                for (i, option) in question.options.iter().enumerate() {
                    check_len("options", option, 1, 200)?;
                    if question.options[..i]
                        .iter()
                        .any(|o| o.trim() == option.trim())
                    {
                        return Err(Error::invalid("options", "options must differ"));
                    }
                }
            }
            QuestionKind::Scale | QuestionKind::FreeText if !question.options.is_empty() => {
                return Err(Error::invalid(
                    "options",
                    "scales (1 to 5) and free-text questions have no options",
                ));
            }
            QuestionKind::FreeText if !question.for_moderators => {
                return Err(Error::bad_request(
                    "free_text_for_partner",
                    "free-text answers never leave Kindred: a free-text question may only be read by the community's moderators (set for_moderators: true)",
                ));
            }
            _ => {}
        }
        if question.for_moderators && question.kind != QuestionKind::FreeText {
            return Err(Error::invalid(
                "for_moderators",
                "only free-text questions are for the moderators",
            ));
        }
    }
    Ok(())
}

/// Whether screening finds promotion in `text` (by the default policy, as for a new
/// member: a partner's words get no trust they have not earned).
fn promotional(text: &str) -> Result<bool, Error> {
    let screener = crate::screening::screener()?;
    let verdict = screener.screen(&ScreenInput {
        title: None,
        body: text,
        trust_level: TrustLevel::NEW,
        policy: &Policy::default(),
    });
    Ok(verdict.has(Label::Promotion))
}

fn survey_text(title: &str, questions: &[Question]) -> String {
    let mut text = title.to_owned();
    for question in questions {
        text.push_str("\n\n");
        text.push_str(&question.text);
        for option in &question.options {
            text.push('\n');
            text.push_str(option);
        }
    }
    text
}

fn require_partner(user: &CurrentUser) -> Result<(), Error> {
    if user.is_research_partner() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "not_partner",
            "only research partners draft surveys",
        ))
    }
}

/// A partner drafts a survey; it waits for an admin.
pub fn draft(
    store_handle: &Store,
    limit: &RateLimit,
    user: &CurrentUser,
    input: DraftInput,
) -> Result<SurveyView, Error> {
    require_partner(user)?;
    let slug = CommunitySlug::parse(&input.community)?;
    check_len("title", &input.title, 3, 200)?;
    check_questions(&input.questions)?;
    let opens_at = parse_time("opens_at", &input.opens_at)?;
    let closes_at = parse_time("closes_at", &input.closes_at)?;
    let now = now_micros();
    if closes_at <= opens_at || closes_at <= now {
        return Err(Error::invalid(
            "closes_at",
            "closes_at must be after opens_at and in the future",
        ));
    }
    if closes_at - opens_at > MAX_OPEN_DAYS * 86_400_000_000 {
        return Err(Error::invalid(
            "closes_at",
            "a survey stays open at most a year",
        ));
    }
    let condition = input
        .audience_condition
        .as_deref()
        .map(|c| ConditionTags::parse(&[c.to_owned()]).map(|t| t.as_slice()[0].clone()))
        .transpose()?;
    let questions: Vec<Question> = input
        .questions
        .into_iter()
        .map(|q| Question {
            text: q.text.trim().to_owned(),
            options: q.options.iter().map(|o| o.trim().to_owned()).collect(),
            ..q
        })
        .collect();
    let title = input.title.trim().to_owned();
    let flagged = promotional(&survey_text(&title, &questions))?;
    let questions_json =
        serde_json::to_string(&questions).map_err(|e| Error::failed("survey questions", e))?;
    let row = store_handle.write(|conn| {
        let found = communities::find_by_slug(conn, slug.as_str())?;
        let granted = match &found {
            Some(c) => partners::is_granted(conn, user.id, c.id)?,
            None => false,
        };
        let community = found.filter(|_| granted).ok_or_else(|| {
            Error::invalid(
                "community",
                format!("no community called {} is granted to you", slug.as_str()),
            )
        })?;
        limit.take(conn, &user.id.0.to_string(), now)?;
        let row = SurveyRow {
            id: next_id(),
            community_id: community.id.0,
            partner_id: Some(user.id.0),
            title,
            questions: questions_json,
            audience_role: input.audience_role.map(|r| r.as_str().to_owned()),
            audience_condition: condition,
            opens_at,
            closes_at,
            status: SurveyStatus::Pending.as_str().to_owned(),
            promotional: flagged,
            decision_reason: None,
            decided_by: None,
            detached: false,
            created_at: now,
        };
        store::insert(conn, &row)?;
        Ok(row)
    })?;
    tracing::info!(
        survey_id = row.id,
        partner_id = user.id.0,
        flagged,
        "survey drafted"
    );
    view(&row, slug.as_str(), now)
}

/// A partner's own surveys.
pub fn of_partner(store_handle: &Store, user: &CurrentUser) -> Result<Vec<SurveyView>, Error> {
    require_partner(user)?;
    let now = now_micros();
    store_handle.read(|conn| {
        store::of_partner(conn, user.id.0)?
            .iter()
            .map(|row| view(row, &slug_of(conn, row.community_id)?, now))
            .collect()
    })
}

/// One of a partner's surveys; `NotFound` for anyone else's.
pub fn partner_survey(
    store_handle: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<(SurveyRow, SurveyView), Error> {
    let now = now_micros();
    store_handle.read(|conn| {
        let row = store::find(conn, id)?
            .filter(|row| {
                user.is_admin() || (user.is_research_partner() && row.partner_id == Some(user.id.0))
            })
            .ok_or(Error::NotFound)?;
        let view = view(&row, &slug_of(conn, row.community_id)?, now)?;
        Ok((row, view))
    })
}

fn require_admin(user: &CurrentUser) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "not_admin",
            "only site admins review surveys",
        ))
    }
}

/// Every survey, pending first: the admins' review list.
pub fn for_review(store_handle: &Store, user: &CurrentUser) -> Result<Vec<SurveyView>, Error> {
    require_admin(user)?;
    let now = now_micros();
    store_handle.read(|conn| {
        store::all(conn)?
            .iter()
            .map(|row| view(row, &slug_of(conn, row.community_id)?, now))
            .collect()
    })
}

/// `POST /admin/surveys/{id}/approve|reject`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = SurveyDecisionInput)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// Why, for the partner: 3 to 1000 characters.
    #[schema(min_length = 3, max_length = 1000)]
    pub reason: String,
}

/// An admin approves (`approve = true`) or rejects a pending survey with a reason. A
/// survey screening found promotional cannot be approved; neither can one already closed.
pub fn decide(
    store_handle: &Store,
    user: &CurrentUser,
    id: i64,
    approve: bool,
    input: &DecisionInput,
) -> Result<SurveyView, Error> {
    require_admin(user)?;
    check_len("reason", &input.reason, 3, 1000)?;
    let reason = input.reason.trim();
    if approve && promotional(reason)? {
        return Err(Error::invalid(
            "reason",
            "the reason reads as promotion; surveys carry no advertising",
        ));
    }
    let now = now_micros();
    let status = if approve {
        SurveyStatus::Approved
    } else {
        SurveyStatus::Rejected
    };
    let row = store_handle.write(|conn| {
        let row = store::find(conn, id)?.ok_or(Error::NotFound)?;
        if row.status != SurveyStatus::Pending.as_str() {
            return Err(Error::Conflict(format!("this survey was already {}", row.status)));
        }
        if approve && row.promotional {
            return Err(Error::bad_request(
                "promotional",
                "screening found promotion in this survey; reject it with a reason instead",
            ));
        }
        if approve && row.closes_at <= now {
            return Err(Error::bad_request(
                "survey_closed",
                "this survey's closing date has passed; reject it so the partner can draft it again",
            ));
        }
        store::decide(conn, id, status.as_str(), Some(reason), user.id.0)?;
        store::find(conn, id)?.ok_or(Error::NotFound)
    })?;
    tracing::info!(
        survey_id = id,
        admin_id = user.id.0,
        status = status.as_str(),
        "survey decided"
    );
    store_handle.read(|conn| view(&row, &slug_of(conn, row.community_id)?, now))
}

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
fn eligible(conn: &mut DbConnection, survey: &SurveyRow, user_id: i64) -> Result<bool, Error> {
    let Some(user) = users::find(conn, crate::domain::ids::UserId(user_id))? else {
        return Ok(false);
    };
    let member = communities::find_membership(
        conn,
        CommunityId(survey.community_id),
        crate::domain::ids::UserId(user_id),
    )?
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

/// One answer: `choices` (indexes) for a choice question, `value` (1–5) for a scale,
/// `text` for free text.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = SurveyAnswer)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Index of the question answered (from 0).
    pub question: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub text: Option<String>,
}

/// `POST /surveys/{id}/answers`: answers to any of the questions (at least one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    #[schema(min_items = 1, max_items = 20)]
    pub answers: Vec<Answer>,
}

fn check_answers(questions: &[Question], answers: Vec<Answer>) -> Result<Vec<Answer>, Error> {
    if answers.is_empty() {
        return Err(Error::invalid("answers", "answer at least one question"));
    }
    let mut checked: Vec<Answer> = Vec::with_capacity(answers.len());
    for answer in answers {
        let Some(question) = questions.get(answer.question) else {
            return Err(Error::invalid("answers", "no such question"));
        };
        if checked.iter().any(|a| a.question == answer.question) {
            return Err(Error::invalid("answers", "one answer per question"));
        }
        let fits = match question.kind {
            QuestionKind::SingleChoice => {
                answer.choices.len() == 1 && answer.value.is_none() && answer.text.is_none()
            }
            QuestionKind::MultipleChoice => {
                !answer.choices.is_empty() && answer.value.is_none() && answer.text.is_none()
            }
            QuestionKind::Scale => {
                answer.choices.is_empty()
                    && answer.value.is_some_and(|v| (1..=5).contains(&v))
                    && answer.text.is_none()
            }
            QuestionKind::FreeText => {
                answer.choices.is_empty()
                    && answer.value.is_none()
                    && answer
                        .text
                        .as_ref()
                        .is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= MAX_FREE_TEXT)
            }
        };
        let mut choices = answer.choices.clone();
        choices.sort_unstable();
        choices.dedup();
        let in_range = choices.iter().all(|&c| c < question.options.len());
        if !fits || !in_range || choices.len() != answer.choices.len() {
            return Err(Error::invalid(
                "answers",
                format!(
                    "question {} takes {}",
                    answer.question + 1,
                    match question.kind {
                        QuestionKind::SingleChoice => "one of its options",
                        QuestionKind::MultipleChoice => "one or more of its options",
                        QuestionKind::Scale => "a value from 1 to 5",
                        QuestionKind::FreeText => "a text of at most 2000 characters",
                    }
                ),
            ));
        }
        checked.push(Answer {
            choices,
            text: answer.text.map(|t| t.trim().to_owned()),
            ..answer
        });
    }
    Ok(checked)
}

/// The survey a member acts on, open now and offered to them: `NotFound` if they cannot
/// see it, `survey_closed` once it closed (or before it opens), `not_eligible` with the
/// reason otherwise.
fn open_for(
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

/// A member answers an open survey offered to them, once (withdraw to answer again).
pub fn answer(
    store_handle: &Store,
    limit: &RateLimit,
    user: &CurrentUser,
    id: i64,
    input: AnswersInput,
) -> Result<(), Error> {
    let now = now_micros();
    // Committed on its own: the refusals below roll their transaction back.
    store_handle.write(|conn| store::detach_closed(conn, now))?;
    store_handle.write(|conn| {
        let survey = open_for(conn, user, id, now)?;
        let answers = check_answers(&questions_of(&survey)?, input.answers)?;
        if store::invitation_state(conn, id, user.id.0)?.as_deref() == Some("answered") {
            return Err(Error::Conflict(
                "you already answered this survey; withdraw your answers to answer again".into(),
            ));
        }
        limit.take(conn, &user.id.0.to_string(), now)?;
        let role = users::find(conn, user.id)?.and_then(|u| u.profile_role);
        let json = serde_json::to_string(&answers).map_err(|e| Error::failed("answers", e))?;
        store::insert_response(conn, random_id(), id, user.id.0, role.as_deref(), &json)?;
        store::set_invitation_state(conn, id, user.id.0, "answered")
    })
}

/// A positive random id: response ids must not tell who answered first.
fn random_id() -> i64 {
    i64::try_from(rand::random::<u64>() >> 1).unwrap_or(i64::MAX)
}

/// A member takes back their answers while the survey is open.
pub fn withdraw(
    store_handle: &Store,
    limit: &RateLimit,
    user: &CurrentUser,
    id: i64,
) -> Result<(), Error> {
    let now = now_micros();
    store_handle.write(|conn| store::detach_closed(conn, now))?;
    store_handle.write(|conn| {
        let survey = store::find(conn, id)?.ok_or(Error::NotFound)?;
        if survey.closes_at <= now {
            return Err(Error::bad_request(
                "survey_closed",
                "this survey has closed: its answers no longer name anyone, so they cannot be withdrawn",
            ));
        }
        if store::withdraw(conn, id, user.id.0)? == 0 {
            return Err(Error::NotFound);
        }
        limit.take(conn, &user.id.0.to_string(), now)?;
        store::set_invitation_state(conn, id, user.id.0, "withdrawn")
    })
}

/// A member says no thanks: the banner stops showing the survey.
pub fn dismiss(
    store_handle: &Store,
    limit: &RateLimit,
    user: &CurrentUser,
    id: i64,
) -> Result<(), Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        open_for(conn, user, id, now)?;
        if store::invitation_state(conn, id, user.id.0)?.as_deref() == Some("answered") {
            return Err(Error::Conflict(
                "you answered this survey; withdraw your answers instead".into(),
            ));
        }
        limit.take(conn, &user.id.0.to_string(), now)?;
        store::set_invitation_state(conn, id, user.id.0, "dismissed")
    })
}

/// The free-text answers of a survey, for its community's moderators (and admins) only.
pub fn free_texts(
    store_handle: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<Vec<FreeTextView>, Error> {
    let now = now_micros();
    store_handle.write(|conn| store::detach_closed(conn, now))?;
    store_handle.read(|conn| {
        let survey = store::find(conn, id)?.ok_or(Error::NotFound)?;
        let moderator =
            communities::find_membership(conn, CommunityId(survey.community_id), user.id)?
                .is_some_and(|m| {
                    m.role == MembershipRole::Moderator && m.state == MembershipState::Active
                });
        if !(moderator || user.is_admin()) || user.is_research_partner() {
            return Err(Error::NotFound);
        }
        let questions = questions_of(&survey)?;
        let mut texts = Vec::new();
        for (_, json) in store::responses(conn, id)? {
            let answers: Vec<Answer> =
                serde_json::from_str(&json).map_err(|e| Error::failed("stored answers", e))?;
            for answer in answers {
                if let (Some(text), Some(question)) = (answer.text, questions.get(answer.question))
                {
                    texts.push(FreeTextView {
                        question: question.text.clone(),
                        text,
                    });
                }
            }
        }
        texts.sort_by(|a, b| a.question.cmp(&b.question).then(a.text.cmp(&b.text)));
        Ok(texts)
    })
}

/// One free-text answer, without its author.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FreeTextView {
    pub question: String,
    pub text: String,
}

/// A member's answers still tied to them, for their data export.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExportedAnswers {
    pub survey_id: String,
    pub title: String,
    pub answers: Vec<Answer>,
}

pub fn exported_answers(
    conn: &mut DbConnection,
    user_id: i64,
) -> Result<Vec<ExportedAnswers>, Error> {
    store::answers_of(conn, user_id, now_micros())?
        .into_iter()
        .map(|(id, title, json)| {
            Ok(ExportedAnswers {
                survey_id: id.to_string(),
                title,
                answers: serde_json::from_str(&json)
                    .map_err(|e| Error::failed("stored answers", e))?,
            })
        })
        .collect()
}
