//! Answering: a member answers an open survey offered to them, dismisses it, or withdraws
//! their answers until it closes; moderators read the free-text answers; members export
//! the answers still tied to them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::eligibility::open_for;
use super::{questions_of, Question, QuestionKind};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, CommunityId};
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::service::access;
use crate::store::surveys as store;
use crate::store::{communities, users, DbConnection, Store};

/// The longest free-text answer, in characters.
const MAX_FREE_TEXT: usize = 2000;

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
        limit.take(conn, &user.id.to_string(), now)?;
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
        limit.take(conn, &user.id.to_string(), now)?;
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
        limit.take(conn, &user.id.to_string(), now)?;
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
                .is_some_and(|m| access::moderates(m.role, m.state));
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
