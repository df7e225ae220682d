//! Evaluation of the self-harm risk level on the duty-of-care corpus
//! (`seed-data/care/corpus.jsonl`, described in its README): per-level precision and
//! recall, `medium` and `high` together, and hard negatives screened `medium` or above.

use std::fmt;

use serde::Deserialize;

use super::RiskLevel;
use crate::eval::{Confusion, Rate};
use crate::{Error, Screener};

/// One labeled post of the duty-of-care corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct CareExample {
    /// Identifier (`care-0001`).
    pub id: String,
    /// The post.
    pub text: String,
    /// The author's risk level.
    pub self_harm: RiskLevel,
    /// Whether the post tells other members what to do with a treatment.
    pub advice: bool,
    /// What its writer meant it to be (`everyday`, `hard_grief`, `at_risk`, …).
    pub kind: String,
    /// `train` or `test`.
    pub split: String,
}

impl CareExample {
    /// Whether the post was written to look at risk without being so (`hard_*` kinds).
    pub fn is_hard_negative(&self) -> bool {
        self.kind.starts_with("hard_")
    }
}

#[derive(Deserialize)]
struct RawCareExample {
    id: String,
    text: String,
    self_harm: String,
    advice: bool,
    kind: String,
    split: String,
}

/// Whether a JSON-lines text is a duty-of-care corpus (its first line has `self_harm`).
pub fn is_care_corpus(jsonl: &str) -> bool {
    jsonl
        .lines()
        .find(|line| !line.trim().is_empty())
        .and_then(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .is_some_and(|value| value.get("self_harm").is_some())
}

/// Parses a duty-of-care corpus; blank lines are skipped.
pub fn parse_care_corpus(jsonl: &str) -> Result<Vec<CareExample>, Error> {
    let mut examples = Vec::new();
    for (index, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| Error::Corpus {
            line: index + 1,
            message,
        };
        let raw: RawCareExample = serde_json::from_str(line).map_err(|e| error(e.to_string()))?;
        let self_harm = RiskLevel::parse(&raw.self_harm)
            .ok_or_else(|| error(format!("unknown self_harm level `{}`", raw.self_harm)))?;
        if raw.split != "train" && raw.split != "test" {
            return Err(error(format!(
                "split must be train or test, not `{}`",
                raw.split
            )));
        }
        examples.push(CareExample {
            id: raw.id,
            text: raw.text,
            self_harm,
            advice: raw.advice,
            kind: raw.kind,
            split: raw.split,
        });
    }
    Ok(examples)
}

/// Metrics of the risk level over a set of examples.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CareReport {
    /// Examples evaluated.
    pub examples: usize,
    /// Per level, in [`RiskLevel::ALL`] order: the level predicted exactly.
    pub levels: [Confusion; 4],
    /// `medium` or `high` labeled against `medium` or `high` predicted.
    pub needs_care: Confusion,
    /// Hard negatives screened `medium` or above.
    pub hard_negatives_at_medium: Rate,
    /// `matrix[labeled][predicted]`, in [`RiskLevel::ALL`] order.
    pub matrix: [[usize; 4]; 4],
    /// Ids of the examples whose predicted level differs from their label.
    pub mistakes: Vec<String>,
}

fn count(c: &mut Confusion, labeled: bool, predicted: bool) {
    match (labeled, predicted) {
        (true, true) => c.true_positives += 1,
        (false, true) => c.false_positives += 1,
        (true, false) => c.false_negatives += 1,
        (false, false) => c.true_negatives += 1,
    }
}

/// Screens every example and counts what went right.
pub fn evaluate_care(screener: &Screener, examples: &[&CareExample]) -> CareReport {
    let mut report = CareReport {
        examples: examples.len(),
        ..CareReport::default()
    };
    for example in examples {
        let predicted = screener.self_harm(None, &example.text).level;
        for level in RiskLevel::ALL {
            count(
                &mut report.levels[level.index()],
                example.self_harm == level,
                predicted == level,
            );
        }
        count(
            &mut report.needs_care,
            example.self_harm.needs_care(),
            predicted.needs_care(),
        );
        if example.is_hard_negative() {
            report.hard_negatives_at_medium.total += 1;
            report.hard_negatives_at_medium.wrong += usize::from(predicted.needs_care());
        }
        report.matrix[example.self_harm.index()][predicted.index()] += 1;
        if predicted != example.self_harm {
            report.mistakes.push(example.id.clone());
        }
    }
    report
}

impl fmt::Display for CareReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} examples (self-harm risk level)", self.examples)?;
        writeln!(
            f,
            "{:<16} {:>9} {:>9} {:>5} {:>5} {:>5}",
            "level", "precision", "recall", "tp", "fp", "fn"
        )?;
        let rows = RiskLevel::ALL
            .iter()
            .map(|level| (level.as_str(), self.levels[level.index()]))
            .chain([("medium+high", self.needs_care)]);
        for (name, c) in rows {
            writeln!(
                f,
                "{:<16} {:>9.3} {:>9.3} {:>5} {:>5} {:>5}",
                name,
                c.precision(),
                c.recall(),
                c.true_positives,
                c.false_positives,
                c.false_negatives
            )?;
        }
        writeln!(f, "labeled \\ predicted   none    low medium   high")?;
        for level in RiskLevel::ALL {
            let row = self.matrix[level.index()];
            writeln!(
                f,
                "{:<20} {:>5} {:>6} {:>6} {:>6}",
                level.as_str(),
                row[0],
                row[1],
                row[2],
                row[3]
            )?;
        }
        write!(
            f,
            "hard negatives at medium or high: {}/{} ({:.1}%)",
            self.hard_negatives_at_medium.wrong,
            self.hard_negatives_at_medium.total,
            100.0 * self.hard_negatives_at_medium.rate()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_on_a_care_corpus() {
        let corpus = r#"{"id":"c-1","text":"This paperwork is killing me.","self_harm":"none","advice":false,"kind":"hard_figurative","lang":"en","split":"test"}
{"id":"c-2","text":"I've saved my pills and tonight I'm going to take them all. Goodbye.","self_harm":"high","advice":false,"kind":"at_risk","lang":"en","split":"test"}"#;
        assert!(is_care_corpus(corpus));
        assert!(!is_care_corpus(
            r#"{"id":"x","text":"t","labels":[],"split":"test"}"#
        ));
        let examples = parse_care_corpus(corpus).unwrap_or_default();
        let all: Vec<&CareExample> = examples.iter().collect();
        let report = evaluate_care(&crate::testing::screener(), &all);
        assert_eq!(report.levels[RiskLevel::High.index()].true_positives, 1);
        assert_eq!(report.hard_negatives_at_medium.total, 1);
        assert_eq!(report.hard_negatives_at_medium.wrong, 0);
        assert!(report.to_string().contains("medium+high"));
        let bad = corpus.replace("\"high\"", "\"severe\"");
        assert!(matches!(
            parse_care_corpus(&bad),
            Err(Error::Corpus { line: 2, .. })
        ));
    }
}
