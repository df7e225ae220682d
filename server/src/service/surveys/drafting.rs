//! Drafting and review: a partner drafts a survey for a community granted to them,
//! screening marks promotional text, and an admin approves or rejects it with a reason.

use kindred_moderation::{Label, Policy, ScreenInput, TrustLevel};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    check_len, parse_time, slug_of, view, Question, QuestionKind, SurveyStatus, SurveyView,
};
use crate::domain::community::CommunitySlug;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros};
use crate::domain::user::{ConditionTags, ProfileRole};
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::surveys::{self as store, SurveyRow};
use crate::store::{communities, partners, Store};

/// The most questions in one survey, and of options in one question.
const MAX_QUESTIONS: usize = 20;
const MAX_OPTIONS: usize = 12;
/// The longest a survey may stay open.
const MAX_OPEN_DAYS: i64 = 366;

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
        limit.take(conn, &user.id.to_string(), now)?;
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
            return Err(Error::Conflict(
                format!("this survey was already {}", row.status).into(),
            ));
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
        if approve {
            super::closing::announce_in(conn, now)?;
        }
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
