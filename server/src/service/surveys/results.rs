//! A closed survey's results: counts of respondents per option, optionally cross-tabulated
//! by profile role (the only cross-tabulation offered), with the insights' small-cell and
//! complementary suppression (`kindred_insights::suppress_members`). Free-text answers
//! never appear. Every look is audited in the insights audit table.

use kindred_insights::{suppress_members, Figure, Relation, MIN_MEMBERS};
use serde::Serialize;
use utoipa::ToSchema;

use super::{partner_survey, questions_of, Answer, QuestionKind, SurveyStatus, SurveyView};
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{next_id, now_micros};
use crate::domain::user::ProfileRole;
use crate::error::Error;
use crate::service::insights::ExportFormat;
use crate::store::insights::{self as audit_store, AuditEntry};
use crate::store::surveys as store;
use crate::store::Store;

/// The role bucket of respondents who did not give one.
const UNSPECIFIED: &str = "unspecified";

/// Published results of one survey.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SurveyResults {
    pub survey: SurveyView,
    /// Members who answered (at least 11, or there are no results).
    pub respondents: u64,
    pub questions: Vec<QuestionResults>,
    /// How figures were withheld, in two sentences.
    pub method: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionResults {
    pub text: String,
    pub kind: String,
    /// Members who answered this question; a number or `"<11"`.
    #[schema(value_type = Object)]
    pub respondents: Figure,
    pub options: Vec<OptionResult>,
    /// Present when asked for `by=role`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_role: Vec<RoleResults>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OptionResult {
    pub label: String,
    /// Members who chose it; a number or `"<11"`.
    #[schema(value_type = Object)]
    pub count: Figure,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleResults {
    pub role: String,
    #[schema(value_type = Object)]
    pub respondents: Figure,
    #[schema(value_type = Vec<Object>)]
    pub counts: Vec<Figure>,
}

pub const METHOD: &str = "Results appear only after a survey closes and only if at least 11 members answered. Any count under 11 is shown as \"<11\", and further counts are withheld where the withheld one could be worked out by subtraction.";

fn roles() -> Vec<&'static str> {
    ProfileRole::ALL
        .iter()
        .map(|r| r.as_str())
        .chain(std::iter::once(UNSPECIFIED))
        .collect()
}

/// Tallies and suppresses one question. `responses` are (role, answers).
fn question_results(
    index: usize,
    kind: QuestionKind,
    text: &str,
    labels: &[String],
    responses: &[(Option<String>, Vec<Answer>)],
    by_role: bool,
) -> Result<QuestionResults, Error> {
    let roles = roles();
    let (options, role_count) = (labels.len(), roles.len());
    // Entries: [respondents, option counts, role totals, role × option cells].
    let role_total = |r: usize| 1 + options + r;
    let cell = |r: usize, o: usize| 1 + options + role_count + r * options + o;
    let mut members = vec![0u64; 1 + options + role_count + role_count * options];
    for (role, answers) in responses {
        let Some(answer) = answers.iter().find(|a| a.question == index) else {
            continue;
        };
        let r = roles
            .iter()
            .position(|known| role.as_deref() == Some(*known))
            .unwrap_or(role_count - 1);
        let chosen: Vec<usize> = match kind {
            QuestionKind::Scale => answer
                .value
                .map(|v| usize::from(v).saturating_sub(1))
                .into_iter()
                .collect(),
            _ => answer.choices.clone(),
        };
        members[0] += 1;
        members[role_total(r)] += 1;
        for o in chosen.into_iter().filter(|&o| o < options) {
            members[1 + o] += 1;
            members[cell(r, o)] += 1;
        }
    }
    let exclusive = kind != QuestionKind::MultipleChoice;
    let mut relations = Vec::new();
    if exclusive {
        relations.push(Relation {
            total: 0,
            cells: (1..=options).collect(),
        });
    }
    if by_role {
        relations.push(Relation {
            total: 0,
            cells: (0..role_count).map(role_total).collect(),
        });
        for r in 0..role_count {
            if exclusive {
                relations.push(Relation {
                    total: role_total(r),
                    cells: (0..options).map(|o| cell(r, o)).collect(),
                });
            }
        }
        for o in 0..options {
            relations.push(Relation {
                total: 1 + o,
                cells: (0..role_count).map(|r| cell(r, o)).collect(),
            });
        }
    } else {
        // Without the cross-tabulation its entries are not published at all.
        members.truncate(1 + options);
    }
    let withheld = suppress_members(&members, &relations, MIN_MEMBERS)
        .map_err(|e| Error::failed("survey suppression", e))?;
    let figure = |e: usize| {
        if withheld[e] {
            Figure::Suppressed { below: MIN_MEMBERS }
        } else {
            Figure::Value(members[e])
        }
    };
    Ok(QuestionResults {
        text: text.to_owned(),
        kind: kind.as_str().to_owned(),
        respondents: figure(0),
        options: labels
            .iter()
            .enumerate()
            .map(|(o, label)| OptionResult {
                label: label.clone(),
                count: figure(1 + o),
            })
            .collect(),
        by_role: if by_role {
            roles
                .iter()
                .enumerate()
                .map(|(r, role)| RoleResults {
                    role: (*role).to_owned(),
                    respondents: figure(role_total(r)),
                    counts: (0..options).map(|o| figure(cell(r, o))).collect(),
                })
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// The results of survey `id` for its partner (or an admin), audited whether shown or
/// withheld: `survey_open` before close, `too_few_respondents` under 11.
pub fn results(
    store_handle: &Store,
    user: &CurrentUser,
    id: i64,
    by_role: bool,
    format: &str,
) -> Result<SurveyResults, Error> {
    let now = now_micros();
    store_handle.write(|conn| store::detach_closed(conn, now))?;
    let (row, survey) = partner_survey(store_handle, user, id)?;
    if row.status != SurveyStatus::Approved.as_str() {
        return Err(Error::NotFound);
    }
    let responses = store_handle.read(|conn| store::responses(conn, id))?;
    let outcome = if row.closes_at > now {
        Err(Error::bad_request(
            "survey_open",
            format!(
                "results appear when the survey closes, on {}",
                survey.closes_at
            ),
        ))
    } else if responses.len() < MIN_MEMBERS as usize {
        Err(Error::bad_request(
            "too_few_respondents",
            format!(
                "fewer than {MIN_MEMBERS} members answered this survey, so no result can be shown without risking that someone is recognised"
            ),
        ))
    } else {
        Ok(())
    };
    // RFC 3339 times start with the month: `2026-12`.
    let month = |time: &str| time.get(..7).unwrap_or_default().to_owned();
    let (from_month, to_month) = (month(&survey.opens_at), month(&survey.closes_at));
    let audited_format = format!("survey:{id}:{format}");
    store_handle.write(|conn| {
        audit_store::audit(
            conn,
            &AuditEntry {
                id: next_id(),
                actor_id: Some(user.id.0),
                channel: if format == "html" { "page" } else { "api" },
                community_id: row.community_id,
                from_month: &from_month,
                to_month: &to_month,
                format: &audited_format,
                outcome: if outcome.is_ok() {
                    "exported"
                } else {
                    "withheld"
                },
                created_at: now,
            },
        )
    })?;
    outcome?;
    let parsed: Vec<(Option<String>, Vec<Answer>)> = responses
        .into_iter()
        .map(|(role, json)| {
            serde_json::from_str(&json)
                .map(|answers| (role, answers))
                .map_err(|e| Error::failed("stored answers", e))
        })
        .collect::<Result<_, _>>()?;
    let questions = questions_of(&row)?
        .iter()
        .enumerate()
        .filter(|(_, q)| q.kind != QuestionKind::FreeText)
        .map(|(i, q)| question_results(i, q.kind, &q.text, &q.labels(), &parsed, by_role))
        .collect::<Result<Vec<_>, _>>()?;
    tracing::info!(
        survey_id = id,
        actor_id = user.id.0,
        by_role,
        "survey results"
    );
    Ok(SurveyResults {
        survey,
        respondents: parsed.len() as u64,
        questions,
        method: METHOD.to_owned(),
    })
}

fn csv_field(text: &str) -> String {
    // A leading = + - @ would be a formula in a spreadsheet.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The results as CSV (`question,kind,option,role,count`, role `all` for everyone) or JSON.
pub fn write_results(results: &SurveyResults, format: ExportFormat) -> Result<String, Error> {
    if format == ExportFormat::Json {
        return serde_json::to_string(results).map_err(|e| Error::failed("survey results", e));
    }
    let mut out = String::from("question,kind,option,role,count\n");
    for question in &results.questions {
        let q = csv_field(&question.text);
        out.push_str(&format!(
            "{q},{},,all,{}\n",
            question.kind, question.respondents
        ));
        for option in &question.options {
            out.push_str(&format!(
                "{q},{},{},all,{}\n",
                question.kind,
                csv_field(&option.label),
                option.count
            ));
        }
        for role in &question.by_role {
            out.push_str(&format!(
                "{q},{},,{},{}\n",
                question.kind, role.role, role.respondents
            ));
            for (option, count) in question.options.iter().zip(&role.counts) {
                out.push_str(&format!(
                    "{q},{},{},{},{count}\n",
                    question.kind,
                    csv_field(&option.label),
                    role.role
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(choice: usize) -> Vec<Answer> {
        vec![Answer {
            question: 0,
            choices: vec![choice],
            value: None,
            text: None,
        }]
    }

    #[test]
    fn a_small_option_and_its_complement_are_withheld() {
        let labels = vec!["yes".to_owned(), "no".to_owned(), "unsure".to_owned()];
        let mut responses = Vec::new();
        responses.extend((0..15).map(|_| (None, single(0))));
        responses.extend((0..12).map(|_| (None, single(1))));
        responses.extend((0..3).map(|_| (None, single(2))));
        let results = question_results(
            0,
            QuestionKind::SingleChoice,
            "q",
            &labels,
            &responses,
            false,
        )
        .expect("results");
        assert_eq!(results.respondents, Figure::Value(30));
        assert!(results.options[2].count.is_suppressed());
        // 30 - 15 - 12 would give "unsure" away, so one more is withheld.
        assert_eq!(results.options[0].count, Figure::Value(15));
        assert!(results.options[1].count.is_suppressed());
    }

    #[test]
    fn the_role_cross_tabulation_is_suppressed_too() {
        let labels = vec!["yes".to_owned(), "no".to_owned()];
        let mut responses = Vec::new();
        responses.extend((0..20).map(|_| (Some("patient".to_owned()), single(0))));
        responses.extend((0..12).map(|_| (Some("caregiver".to_owned()), single(1))));
        responses.extend((0..2).map(|_| (Some("caregiver".to_owned()), single(0))));
        let results = question_results(
            0,
            QuestionKind::SingleChoice,
            "q",
            &labels,
            &responses,
            true,
        )
        .expect("results");
        let caregiver = results
            .by_role
            .iter()
            .find(|r| r.role == "caregiver")
            .expect("caregiver");
        assert!(caregiver.counts[0].is_suppressed());
        assert!(caregiver.counts[1].is_suppressed());
        let published: Vec<u64> = results
            .by_role
            .iter()
            .flat_map(|r| r.counts.iter().filter_map(|f| f.value()))
            .collect();
        assert!(published.iter().all(|&v| v >= 11), "{published:?}");
    }
}
