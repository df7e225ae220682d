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

mod answering;
pub mod closing;
mod drafting;
mod eligibility;
pub mod results;

pub use answering::{
    answer, dismiss, exported_answers, free_texts, withdraw, Answer, AnswersInput, ExportedAnswers,
    FreeTextView,
};
pub use drafting::{
    decide, draft, for_review, of_partner, partner_survey, DecisionInput, DraftInput,
};
pub(crate) use eligibility::waiting;
pub use eligibility::{invitations, invitees, InvitationView, SurveyNotice};

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::ids::{format_time, CommunityId};
use crate::domain::text_enum;
use crate::error::Error;
use crate::store::surveys::SurveyRow;
use crate::store::{communities, DbConnection};

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
