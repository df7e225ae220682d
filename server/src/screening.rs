//! Screening new and edited posts with the `moderation` crate: loading its lexicons and
//! trained model (embedded in the binary), and turning a verdict into what happens to the
//! post — its status, the note its author reads, and what moderators see in the queue.

use std::sync::{Arc, OnceLock};

use kindred_moderation::{
    Action, Label, LexiconSources, Lexicons, Model, Policy, ScreenInput, Screener, TrustLevel,
    Verdict,
};
use serde_json::json;

use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::service::moderation::Findings;

const LEXICONS: LexiconSources<'static> = LexiconSources {
    promotion: include_str!("../../seed-data/moderation/promotion.txt"),
    misinformation: include_str!("../../seed-data/moderation/misinformation.txt"),
    personal_info: include_str!("../../seed-data/moderation/personal-info.txt"),
    stance: include_str!("../../seed-data/moderation/stance.txt"),
    allow_list: include_str!("../../seed-data/moderation/allow-list.txt"),
};
const MODEL: &str = include_str!("../../seed-data/moderation/model.txt");

/// The screener, built once per process (parsing the model takes a moment).
pub fn screener() -> Result<Arc<Screener>, Error> {
    static SCREENER: OnceLock<Arc<Screener>> = OnceLock::new();
    if let Some(screener) = SCREENER.get() {
        return Ok(screener.clone());
    }
    let lexicons = Lexicons::parse(LEXICONS)
        .map_err(|e| Error::Config(format!("moderation lexicons: {e}")))?;
    let model =
        Model::from_text(MODEL).map_err(|e| Error::Config(format!("moderation model: {e}")))?;
    Ok(SCREENER
        .get_or_init(|| Arc::new(Screener::new(lexicons, model)))
        .clone())
}

/// What screening decided for one post.
pub struct Screened {
    pub status: PostStatus,
    /// For the author, when the post is held.
    pub note: Option<String>,
    /// For the moderators' queue, when the post is flagged or held.
    pub findings: Option<Findings>,
}

impl Screened {
    /// Published as it is, nothing to review.
    pub fn clean() -> Screened {
        Screened {
            status: PostStatus::Published,
            note: None,
            findings: None,
        }
    }
}

/// Screens a post for a community with policy `policy_json` (`{}` = the defaults).
/// `Err(Rejected)` when the policy refuses it outright.
pub fn screen(
    screener: &Screener,
    title: Option<&str>,
    body: &str,
    trust_level: u8,
    policy_json: &str,
) -> Result<Screened, Error> {
    let policy = Policy::from_json(policy_json).unwrap_or_default();
    let trust = TrustLevel::new(trust_level.min(TrustLevel::MAX)).unwrap_or(TrustLevel::NEW);
    let verdict = screener.screen(&ScreenInput {
        title,
        body,
        trust_level: trust,
        policy: &policy,
    });
    let note = author_note(&verdict);
    match verdict.action {
        Action::Reject => Err(Error::Rejected(note)),
        Action::Hold => Ok(Screened {
            status: PostStatus::Held,
            note: Some(note),
            findings: Some(findings(&verdict)),
        }),
        Action::Flag => Ok(Screened {
            status: PostStatus::Published,
            note: None,
            findings: Some(findings(&verdict)),
        }),
        Action::Allow => Ok(Screened::clean()),
    }
}

fn findings(verdict: &Verdict) -> Findings {
    Findings {
        labels: json!(verdict
            .labels
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()),
        scores: json!(verdict.scores),
        reasons: json!(verdict.reasons),
    }
}

/// Plain words for the author: what was found and what to change.
fn author_note(verdict: &Verdict) -> String {
    let mut parts = Vec::new();
    for label in &verdict.labels {
        match label {
            Label::Promotion => parts.push(
                "It looks like it advertises or sells something, which Kindred does not allow. \
                 Remove links to shops, prices, codes and invitations to message you."
                    .to_owned(),
            ),
            Label::Misinformation => parts.push(
                "It seems to present a health claim that goes against medical evidence as fact. \
                 If you are asking or sharing what someone told you, say so."
                    .to_owned(),
            ),
            Label::PersonalInfo => {
                let own: Vec<&str> = verdict
                    .reasons
                    .iter()
                    .filter(|r| r.label == Label::PersonalInfo)
                    .map(|r| r.message.as_str())
                    .take(3)
                    .collect();
                if own.is_empty() {
                    parts.push("It seems to contain personal details; remove them.".to_owned());
                } else {
                    parts.extend(own.into_iter().map(str::to_owned));
                }
            }
        }
    }
    if parts.is_empty() {
        "A moderator will look at it.".to_owned()
    } else {
        format!("Waiting for a moderator. {}", parts.join(" "))
    }
}

/// Lines read and screened together; the batch is split between the worker threads.
const BATCH_LINES: usize = 4096;

/// `kindred screen`: one JSON verdict per input line, in order. Lines that are not
/// `{"id", "text"}` get `{"id": null, "error"}` and the rest go on; the result is an error
/// (exit code 1) if any line failed. Batches of lines are screened on every core, each
/// thread taking a contiguous part, and written back in input order.
pub fn screen_lines(
    input: impl std::io::BufRead,
    mut output: impl std::io::Write,
) -> Result<(), Error> {
    let screener = screener()?;
    let policy = Policy::default();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let io_error = |e: std::io::Error| Error::Internal(format!("cannot write: {e}"));
    let mut failed = 0usize;
    let mut lines = input.lines();
    let mut batch: Vec<String> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        for line in lines.by_ref() {
            let line = line.map_err(|e| Error::Internal(format!("cannot read stdin: {e}")))?;
            if line.trim().is_empty() {
                continue;
            }
            batch.push(line);
            if batch.len() == BATCH_LINES {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        let part = batch.len().div_ceil(workers);
        let answers: Vec<Vec<ScreenedLine>> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .chunks(part)
                .map(|lines| {
                    let (screener, policy) = (&screener, &policy);
                    scope.spawn(move || {
                        lines
                            .iter()
                            .map(|line| screen_line(screener, policy, line))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .map_err(|_| Error::Internal("a screening thread panicked".to_owned()))
                })
                .collect::<Result<_, _>>()
        })?;
        for answer in answers.iter().flatten() {
            failed += usize::from(!answer.parsed);
            writeln!(output, "{}", answer.json).map_err(io_error)?;
        }
    }
    output.flush().map_err(io_error)?;
    if failed > 0 {
        return Err(Error::Internal(format!(
            "{failed} input lines could not be read"
        )));
    }
    Ok(())
}

/// One output line of `kindred screen`.
struct ScreenedLine {
    json: String,
    /// Whether the input line was a `{"id", "text"}` object.
    parsed: bool,
}

fn screen_line(screener: &Screener, policy: &Policy, line: &str) -> ScreenedLine {
    #[derive(serde::Deserialize)]
    struct Line {
        id: serde_json::Value,
        text: String,
    }
    match serde_json::from_str::<Line>(line) {
        Ok(post) => {
            let verdict = screener.screen(&ScreenInput {
                title: None,
                body: &post.text,
                trust_level: TrustLevel::NEW,
                policy,
            });
            let answer = json!({
                "id": post.id,
                "labels": verdict.labels.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
                "scores": verdict.scores,
                "action": verdict.action.as_str(),
                "reasons": verdict.reasons.iter().map(|r| r.message.as_str()).collect::<Vec<_>>(),
            });
            ScreenedLine {
                json: answer.to_string(),
                parsed: true,
            }
        }
        Err(e) => ScreenedLine {
            json: json!({ "id": null, "error": format!("not a {{\"id\", \"text\"}} line: {e}") })
                .to_string(),
            parsed: false,
        },
    }
}

const CORPUS: [&str; 4] = [
    include_str!("../../seed-data/moderation/corpus-a.jsonl"),
    include_str!("../../seed-data/moderation/corpus-b.jsonl"),
    include_str!("../../seed-data/moderation/corpus-c.jsonl"),
    include_str!("../../seed-data/moderation/corpus-d.jsonl"),
];

/// `kindred moderation train`: the model text, trained on the embedded corpus.
pub fn train() -> Result<String, Error> {
    let lexicons = Lexicons::parse(LEXICONS)
        .map_err(|e| Error::Config(format!("moderation lexicons: {e}")))?;
    let corpus = CORPUS.join("\n");
    let model = Model::train(&corpus, &lexicons)
        .map_err(|e| Error::Internal(format!("training failed: {e}")))?;
    Ok(model.to_text())
}

/// `kindred moderation eval`: the report on a labeled file (its test split when it marks
/// one, else every line).
pub fn evaluate(jsonl: &str) -> Result<String, Error> {
    let examples = kindred_moderation::eval::parse_corpus(jsonl)
        .map_err(|e| Error::invalid("data", e.to_string()))?;
    let tests: Vec<_> = examples.iter().filter(|e| e.split == "test").collect();
    let chosen = if tests.is_empty() {
        examples.iter().collect()
    } else {
        tests
    };
    let screener = screener()?;
    let report = kindred_moderation::eval::evaluate(&screener, &chosen, &Policy::default());
    Ok(report.to_string())
}
