//! Evaluation of the medical-advice nudge on its corpus (`seed-data/advice/train.jsonl`
//! and the held-out `test.jsonl`, described in `seed-data/advice/README.md`): recall on
//! directives, and how many hard negatives — the author's own experience, what a clinician
//! said, sending the reader to the care team, comfort tips, questions — it nudges.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::eval::Rate;
use crate::{Error, Screener};

/// What the writer of a corpus post meant it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceKind {
    /// Tells other members to stop, skip, refuse, change the dose of, share or swap a
    /// treatment: the one kind the nudge is for.
    Directive,
    /// What the author did, with or without their team.
    OwnExperience,
    /// What a clinician told the author.
    ClinicianSaid,
    /// Encouraging the reader to ask their care team.
    CareTeam,
    /// Practical comfort tips.
    ComfortTip,
    /// Asking.
    Question,
}

impl AdviceKind {
    /// The kind's name in the corpus.
    pub fn as_str(self) -> &'static str {
        match self {
            AdviceKind::Directive => "directive",
            AdviceKind::OwnExperience => "own_experience",
            AdviceKind::ClinicianSaid => "clinician_said",
            AdviceKind::CareTeam => "care_team",
            AdviceKind::ComfortTip => "comfort_tip",
            AdviceKind::Question => "question",
        }
    }
}

/// One labelled post of the advice corpus.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviceExample {
    /// Identifier (`adv-0001`).
    pub id: String,
    /// The post.
    pub text: String,
    /// Whether the post is a directive (true exactly for [`AdviceKind::Directive`]).
    pub advice: bool,
    /// What its writer meant it to be.
    pub kind: AdviceKind,
    /// `en` or `es`.
    pub lang: String,
}

/// Whether a JSON-lines text is an advice corpus (its first line has `advice` and `kind`
/// but no `self_harm`).
pub fn is_advice_corpus(jsonl: &str) -> bool {
    jsonl
        .lines()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .is_some_and(|value| {
            value.get("advice").is_some()
                && value.get("kind").is_some()
                && value.get("self_harm").is_none()
        })
}

/// Parses an advice corpus; blank lines are skipped.
pub fn parse_advice_corpus(jsonl: &str) -> Result<Vec<AdviceExample>, Error> {
    let mut examples = Vec::new();
    for (index, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| Error::Corpus {
            line: index + 1,
            message,
        };
        let example: AdviceExample =
            serde_json::from_str(line).map_err(|e| error(e.to_string()))?;
        if example.advice != (example.kind == AdviceKind::Directive) {
            return Err(error(format!(
                "advice must be true exactly for directives, not for a `{}` post",
                example.kind.as_str()
            )));
        }
        examples.push(example);
    }
    Ok(examples)
}

/// A post to evaluate the nudge on, from either corpus.
#[derive(Debug, Clone, Copy)]
pub struct Labelled<'a> {
    /// Identifier.
    pub id: &'a str,
    /// The post.
    pub text: &'a str,
    /// Whether it is a directive.
    pub directive: bool,
    /// Whether it was written to look like one without being one; `None` for a post that
    /// is neither (ordinary forum life).
    pub hard_negative: Option<&'a str>,
}

impl<'a> From<&'a AdviceExample> for Labelled<'a> {
    fn from(example: &'a AdviceExample) -> Labelled<'a> {
        Labelled {
            id: &example.id,
            text: &example.text,
            directive: example.advice,
            hard_negative: (!example.advice).then(|| example.kind.as_str()),
        }
    }
}

/// How the nudge did on a set of posts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdviceReport {
    /// Posts evaluated.
    pub examples: usize,
    /// Directives the nudge missed (`wrong`) out of all directives.
    pub directives_missed: Rate,
    /// Hard negatives nudged out of all hard negatives.
    pub hard_negatives_nudged: Rate,
    /// The same, per kind of hard negative.
    pub by_kind: BTreeMap<String, Rate>,
    /// Other posts nudged.
    pub others_nudged: Rate,
    /// Ids of the posts the nudge got wrong.
    pub mistakes: Vec<String>,
}

impl AdviceReport {
    /// Share of directives the nudge caught.
    pub fn recall(&self) -> f64 {
        if self.directives_missed.total == 0 {
            1.0
        } else {
            1.0 - self.directives_missed.rate()
        }
    }
}

/// Screens every post and counts what went right.
pub fn evaluate_advice(screener: &Screener, examples: &[Labelled<'_>]) -> AdviceReport {
    let mut report = AdviceReport {
        examples: examples.len(),
        ..AdviceReport::default()
    };
    for example in examples {
        let nudged = screener.advice(None, example.text).directive;
        let rate = if example.directive {
            &mut report.directives_missed
        } else if let Some(kind) = example.hard_negative {
            let by_kind = report.by_kind.entry(kind.to_string()).or_default();
            by_kind.total += 1;
            by_kind.wrong += usize::from(nudged);
            &mut report.hard_negatives_nudged
        } else {
            &mut report.others_nudged
        };
        let wrong = nudged != example.directive;
        rate.total += 1;
        rate.wrong += usize::from(wrong);
        if wrong {
            report.mistakes.push(example.id.to_string());
        }
    }
    report
}

impl fmt::Display for AdviceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} examples (medical-advice nudge)", self.examples)?;
        writeln!(
            f,
            "directives: recall {:.3} ({}/{} nudged)",
            self.recall(),
            self.directives_missed.total - self.directives_missed.wrong,
            self.directives_missed.total
        )?;
        writeln!(
            f,
            "hard negatives nudged: {}/{} ({:.1}%)",
            self.hard_negatives_nudged.wrong,
            self.hard_negatives_nudged.total,
            100.0 * self.hard_negatives_nudged.rate()
        )?;
        for (kind, rate) in &self.by_kind {
            writeln!(f, "  {kind:<24} {}/{}", rate.wrong, rate.total)?;
        }
        write!(
            f,
            "other posts nudged: {}/{}",
            self.others_nudged.wrong, self.others_nudged.total
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn parses_and_reports_on_an_advice_corpus() {
        let corpus = r#"{"id":"a-1","text":"Just stop the tamoxifen, it's poison.","advice":true,"kind":"directive","lang":"en"}
{"id":"a-2","text":"I stopped my tamoxifen last spring.","advice":false,"kind":"own_experience","lang":"en"}"#;
        assert!(is_advice_corpus(corpus));
        let examples = parse_advice_corpus(corpus).unwrap_or_default();
        let labelled: Vec<Labelled<'_>> = examples.iter().map(Labelled::from).collect();
        let report = evaluate_advice(&crate::testing::screener(), &labelled);
        assert_eq!(report.directives_missed.total, 1);
        assert_eq!(report.directives_missed.wrong, 0);
        assert_eq!(report.hard_negatives_nudged.total, 1);
        assert_eq!(report.hard_negatives_nudged.wrong, 0);
        assert!(report.to_string().contains("recall 1.000"));
        let bad = corpus.replace("\"advice\":false", "\"advice\":true");
        assert!(matches!(
            parse_advice_corpus(&bad),
            Err(Error::Corpus { line: 2, .. })
        ));
    }

    #[test]
    fn the_committed_splits_parse_and_hold_enough_of_each() {
        let train = parse_advice_corpus(seed::ADVICE_TRAIN).unwrap_or_default();
        let test = parse_advice_corpus(seed::ADVICE_TEST).unwrap_or_default();
        assert!(train.len() + test.len() >= 200);
        let hard = train.iter().chain(&test).filter(|e| !e.advice).count();
        assert!(hard >= 100, "{hard}");
        assert!(test.iter().any(|e| e.lang == "es" && e.advice));
    }

    #[test]
    fn the_nudge_meets_its_targets_on_the_train_split() {
        let train = parse_advice_corpus(seed::ADVICE_TRAIN).unwrap_or_default();
        let labelled: Vec<Labelled<'_>> = train.iter().map(Labelled::from).collect();
        let report = evaluate_advice(&crate::testing::screener(), &labelled);
        assert!(report.recall() >= 0.85, "{report}");
        assert!(report.hard_negatives_nudged.rate() <= 0.05, "{report}");
    }
}
