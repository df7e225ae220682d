//! Stage 5: evaluation on labeled examples.
//!
//! Vocabulary:
//! - an [`Example`] is one labeled post of a corpus: a JSON object per line with `id`,
//!   `text`, `labels` (a subset of `promotion`, `misinformation`, `personal_info`) and
//!   `split` (`train` or `test`);
//! - a post is *predicted* to have a label when its score reaches the policy's flag
//!   threshold (it is in [`Verdict::labels`](crate::Verdict::labels));
//! - a *clean* post has no label; a clean post is *wrongly held* when its action is
//!   hold or reject for a new author (trust 0, the strictest case);
//! - a *hard negative* is a clean post that looks like a problem on the surface: some
//!   rule fires on it before stance is taken into account (a remedy with "cure", a
//!   price, a link, a phone-shaped number…) or it names an alternative remedy. Questions
//!   about remedies and debunking posts are typically hard negatives. It is *wrongly
//!   flagged* when any label is predicted;
//! - a corpus line may also say what its writer meant the post to be (`kind`); a clean
//!   post of kind `hard` — written to look risky: a question about a myth, a debunk,
//!   reported speech, a helpline — is counted on its own, whatever the rules make of it.

use std::fmt;

use serde::Deserialize;

use crate::rules::Analysis;
use crate::{Action, Error, Label, Policy, ScreenInput, Screener, TrustLevel};

/// One labeled post.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Identifier, unique within the corpus.
    pub id: String,
    /// The post text.
    pub text: String,
    /// The labels a moderator gave it (empty: clean).
    pub labels: Vec<Label>,
    /// `train` or `test`.
    pub split: String,
    /// What its writer meant it to be (`everyday`, `hard`, …), where the corpus says.
    pub kind: Option<String>,
    /// The language it is written in (ISO 639-1), where the corpus says; else `en`.
    pub language: String,
}

#[derive(Deserialize)]
struct RawExample {
    id: String,
    text: String,
    labels: Vec<String>,
    split: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

/// Parses a corpus in JSONL form; blank lines are skipped.
pub fn parse_corpus(jsonl: &str) -> Result<Vec<Example>, Error> {
    let mut examples = Vec::new();
    for (index, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| Error::Corpus {
            line: index + 1,
            message,
        };
        let raw: RawExample = serde_json::from_str(line).map_err(|e| error(e.to_string()))?;
        let mut labels = Vec::new();
        for name in &raw.labels {
            let label =
                Label::parse(name).ok_or_else(|| error(format!("unknown label `{name}`")))?;
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        labels.sort();
        if raw.split != "train" && raw.split != "test" {
            return Err(error(format!(
                "split must be train or test, not `{}`",
                raw.split
            )));
        }
        examples.push(Example {
            id: raw.id,
            text: raw.text,
            labels,
            split: raw.split,
            kind: raw.kind,
            language: raw
                .language
                .unwrap_or_else(|| crate::language::ENGLISH.to_string()),
        });
    }
    Ok(examples)
}

/// True and false positives and negatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Confusion {
    /// Labeled and predicted.
    pub true_positives: usize,
    /// Predicted, not labeled.
    pub false_positives: usize,
    /// Labeled, not predicted.
    pub false_negatives: usize,
    /// Neither.
    pub true_negatives: usize,
}

impl Confusion {
    /// Of the predicted, the share labeled (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
            1.0,
        )
    }

    /// Of the labeled, the share predicted (1 when nothing was labeled).
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
            1.0,
        )
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(numerator: usize, denominator: usize, empty: f64) -> f64 {
    if denominator == 0 {
        empty
    } else {
        numerator as f64 / denominator as f64
    }
}

/// A count of posts and how many of them went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    /// Posts counted.
    pub total: usize,
    /// Posts that went wrong.
    pub wrong: usize,
}

impl Rate {
    /// `wrong / total` (0 when there are none).
    pub fn rate(&self) -> f64 {
        ratio(self.wrong, self.total, 0.0)
    }
}

/// Metrics over a set of examples.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Examples evaluated.
    pub examples: usize,
    /// Per label, in [`Label::ALL`] order.
    pub confusion: [Confusion; 3],
    /// Clean posts wrongly held (or rejected) for a new author.
    pub clean_held: Rate,
    /// Clean posts wrongly flagged with any label.
    pub clean_flagged: Rate,
    /// Hard negatives wrongly flagged with any label.
    pub hard_negatives_flagged: Rate,
    /// Clean posts their writer marked `hard`, wrongly flagged with any label.
    pub marked_hard_flagged: Rate,
    /// Ids of the examples whose predicted labels differ from their labels.
    pub mistakes: Vec<String>,
}

impl Report {
    /// The confusion counts of one label.
    pub fn of(&self, label: Label) -> Confusion {
        self.confusion[label.index()]
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} examples", self.examples)?;
        writeln!(
            f,
            "{:<16} {:>9} {:>9} {:>9} {:>5} {:>5} {:>5} {:>5}",
            "label", "precision", "recall", "f1", "tp", "fp", "fn", "tn"
        )?;
        for label in Label::ALL {
            let c = self.of(label);
            writeln!(
                f,
                "{:<16} {:>9.3} {:>9.3} {:>9.3} {:>5} {:>5} {:>5} {:>5}",
                label.as_str(),
                c.precision(),
                c.recall(),
                c.f1(),
                c.true_positives,
                c.false_positives,
                c.false_negatives,
                c.true_negatives
            )?;
        }
        writeln!(
            f,
            "clean posts held: {}/{} ({:.1}%)",
            self.clean_held.wrong,
            self.clean_held.total,
            100.0 * self.clean_held.rate()
        )?;
        writeln!(
            f,
            "clean posts flagged: {}/{} ({:.1}%)",
            self.clean_flagged.wrong,
            self.clean_flagged.total,
            100.0 * self.clean_flagged.rate()
        )?;
        write!(
            f,
            "hard negatives flagged: {}/{} ({:.1}%)",
            self.hard_negatives_flagged.wrong,
            self.hard_negatives_flagged.total,
            100.0 * self.hard_negatives_flagged.rate()
        )?;
        if self.marked_hard_flagged.total > 0 {
            write!(
                f,
                "\nclean posts marked hard by their writer flagged: {}/{} ({:.1}%)",
                self.marked_hard_flagged.wrong,
                self.marked_hard_flagged.total,
                100.0 * self.marked_hard_flagged.rate()
            )?;
        }
        Ok(())
    }
}

/// The examples grouped by their language, in order of the codes.
pub fn by_language<'a>(examples: &[&'a Example]) -> Vec<(String, Vec<&'a Example>)> {
    let mut groups: std::collections::BTreeMap<String, Vec<&'a Example>> =
        std::collections::BTreeMap::new();
    for example in examples {
        groups
            .entry(example.language.clone())
            .or_default()
            .push(example);
    }
    groups.into_iter().collect()
}

/// Whether a clean example is a hard negative (see the [module documentation](self)).
pub fn is_hard_negative(example: &Example, screener: &Screener) -> bool {
    if !example.labels.is_empty() {
        return false;
    }
    let language = crate::language::detect(&example.text);
    let analysis = Analysis::new(&example.text, screener.lexicons_for(language));
    analysis.hits.iter().any(|hit| hit.raw >= 0.4) || analysis.signals.contains(&"remedy")
}

/// Screens every example under `policy` for a new author and counts what went right.
pub fn evaluate(screener: &Screener, examples: &[&Example], policy: &Policy) -> Report {
    let mut report = Report {
        examples: examples.len(),
        ..Report::default()
    };
    for example in examples {
        let verdict = screener.screen(&ScreenInput {
            title: None,
            body: &example.text,
            trust_level: TrustLevel::NEW,
            policy,
        });
        for label in Label::ALL {
            let labeled = example.labels.contains(&label);
            let predicted = verdict.has(label);
            let c = &mut report.confusion[label.index()];
            match (labeled, predicted) {
                (true, true) => c.true_positives += 1,
                (false, true) => c.false_positives += 1,
                (true, false) => c.false_negatives += 1,
                (false, false) => c.true_negatives += 1,
            }
        }
        if verdict.labels != example.labels {
            report.mistakes.push(example.id.clone());
        }
        if example.labels.is_empty() {
            let flagged = !verdict.labels.is_empty();
            report.clean_held.total += 1;
            report.clean_held.wrong += usize::from(verdict.action >= Action::Hold);
            report.clean_flagged.total += 1;
            report.clean_flagged.wrong += usize::from(flagged);
            if is_hard_negative(example, screener) {
                report.hard_negatives_flagged.total += 1;
                report.hard_negatives_flagged.wrong += usize::from(flagged);
            }
            if example.kind.as_deref() == Some("hard") {
                report.marked_hard_flagged.total += 1;
                report.marked_hard_flagged.wrong += usize::from(flagged);
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_corpus() {
        let corpus = r#"{"id":"x-1","text":"hi","labels":[],"split":"train"}

{"id":"x-2","text":"call 555-0100","labels":["personal_info","promotion"],"split":"test"}"#;
        let examples = parse_corpus(corpus).unwrap_or_default();
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[1].labels, [Label::Promotion, Label::PersonalInfo]);
        assert_eq!(examples[0].kind, None);
        let marked = r#"{"id":"x","text":"t","labels":[],"split":"test","kind":"hard"}"#;
        let examples = parse_corpus(marked).unwrap_or_default();
        assert_eq!(examples[0].kind.as_deref(), Some("hard"));
    }

    #[test]
    fn counts_posts_marked_hard_by_their_writer() {
        let corpus = r#"{"id":"a","text":"Is it true that baking soda cures cancer?","labels":[],"split":"test","kind":"hard"}
{"id":"b","text":"Scan day tomorrow.","labels":[],"split":"test","kind":"everyday"}"#;
        let examples = parse_corpus(corpus).unwrap_or_default();
        let all: Vec<&Example> = examples.iter().collect();
        let report = evaluate(&crate::testing::screener(), &all, &Policy::default());
        assert_eq!(report.marked_hard_flagged.total, 1);
        assert_eq!(report.clean_flagged.total, 2);
        assert!(report.to_string().contains("marked hard by their writer"));
    }

    #[test]
    fn reports_the_line_of_a_bad_example() {
        let corpus = "{\"id\":\"x\",\"text\":\"t\",\"labels\":[],\"split\":\"train\"}\n{\"id\":\"y\",\"text\":\"t\",\"labels\":[\"spam\"],\"split\":\"train\"}";
        assert!(matches!(
            parse_corpus(corpus),
            Err(Error::Corpus { line: 2, .. })
        ));
        assert!(matches!(
            parse_corpus("not json"),
            Err(Error::Corpus { line: 1, .. })
        ));
    }

    #[test]
    fn computes_precision_recall_and_f1() {
        let c = Confusion {
            true_positives: 8,
            false_positives: 2,
            false_negatives: 8,
            true_negatives: 82,
        };
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert!((c.f1() - 2.0 * 0.8 * 0.5 / 1.3).abs() < 1e-9);
        assert!((Confusion::default().f1() - 1.0).abs() < 1e-9);
    }
}
