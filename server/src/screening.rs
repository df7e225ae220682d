//! Screening new and edited posts with the `moderation` crate: loading its lexicons and
//! trained model (embedded in the binary), and turning a verdict into what happens to the
//! post — its status, the note its author reads, and what moderators see in the queue.

use std::sync::{Arc, OnceLock};

use kindred_moderation::{
    seed, Action, Label, Lexicons, Model, Policy, ScreenInput, Screener, TrustLevel, Verdict,
};
use serde_json::json;

use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::service::moderation::Findings;

/// The screener, built once per process (parsing the model takes a moment).
pub fn screener() -> Result<Arc<Screener>, Error> {
    static SCREENER: OnceLock<Arc<Screener>> = OnceLock::new();
    if let Some(screener) = SCREENER.get() {
        return Ok(screener.clone());
    }
    let lexicons = Lexicons::parse(seed::LEXICONS)
        .map_err(|e| Error::Config(format!("moderation lexicons: {e}")))?;
    let model = Model::from_text(seed::MODEL)
        .map_err(|e| Error::Config(format!("moderation model: {e}")))?;
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

/// Lines read and screened together.
const BATCH_LINES: usize = 4096;
/// Lines a worker thread takes from a batch at a time: small enough that both threads
/// finish a batch together whatever the lengths of its posts.
const CHUNK_LINES: usize = 32;

/// `kindred screen`: one JSON verdict per input line, in order. Lines that are not
/// `{"id", "text"}` get `{"id": null, "error"}` and the rest go on; the result is an error
/// (exit code 1) if any line failed.
///
/// A pipeline: this thread reads a batch of lines and writes the answers to the batch
/// before it while a screening thread has the batch's lines screened on every core.
pub fn screen_lines(
    input: impl std::io::BufRead,
    mut output: impl std::io::Write,
) -> Result<(), Error> {
    let screener = screener()?;
    let policy = Policy::default();
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let io_error = |e: std::io::Error| Error::Internal(format!("cannot write: {e}"));
    let stopped = || Error::Internal("the screening thread stopped".to_owned());
    let mut lines = input.lines();
    let mut failed = 0usize;
    std::thread::scope(|scope| -> Result<(), Error> {
        let (batches, to_screen) = std::sync::mpsc::sync_channel::<Vec<String>>(1);
        let (answered, answers) =
            std::sync::mpsc::sync_channel::<Result<Vec<ScreenedLine>, Error>>(1);
        let (screener, policy) = (&screener, &policy);
        scope.spawn(move || {
            for batch in to_screen {
                let screened = screen_batch(screener, policy, &batch, workers);
                if answered.send(screened).is_err() {
                    break;
                }
            }
        });
        let mut in_flight = 0usize;
        loop {
            let batch = read_batch(&mut lines)?;
            let last = batch.is_empty();
            if !last {
                batches.send(batch).map_err(|_| stopped())?;
                in_flight += 1;
            }
            while in_flight > 1 || (last && in_flight > 0) {
                let screened = answers.recv().map_err(|_| stopped())??;
                in_flight -= 1;
                for answer in &screened {
                    failed += usize::from(!answer.parsed);
                    writeln!(output, "{}", answer.json).map_err(io_error)?;
                }
            }
            if last {
                return Ok(());
            }
        }
    })?;
    output.flush().map_err(io_error)?;
    if failed > 0 {
        return Err(Error::Internal(format!(
            "{failed} input lines could not be read"
        )));
    }
    Ok(())
}

/// Up to [`BATCH_LINES`] non-blank lines; none at the end of the input.
fn read_batch(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<Vec<String>, Error> {
    let mut batch = Vec::with_capacity(BATCH_LINES);
    for line in lines {
        let line = line.map_err(|e| Error::Internal(format!("cannot read stdin: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        batch.push(line);
        if batch.len() == BATCH_LINES {
            break;
        }
    }
    Ok(batch)
}

/// Screens `batch` on `workers` threads that take [`CHUNK_LINES`] lines at a time, and
/// returns the answers in input order.
fn screen_batch(
    screener: &Screener,
    policy: &Policy,
    batch: &[String],
    workers: usize,
) -> Result<Vec<ScreenedLine>, Error> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || next.fetch_add(CHUNK_LINES, std::sync::atomic::Ordering::Relaxed);
    let done: Vec<Vec<(usize, Vec<ScreenedLine>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut chunks = Vec::new();
                    loop {
                        let start = take();
                        if start >= batch.len() {
                            return chunks;
                        }
                        let lines = &batch[start..(start + CHUNK_LINES).min(batch.len())];
                        let screened = lines
                            .iter()
                            .map(|line| screen_line(screener, policy, line))
                            .collect();
                        chunks.push((start, screened));
                    }
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
    let mut chunks: Vec<(usize, Vec<ScreenedLine>)> = done.into_iter().flatten().collect();
    chunks.sort_unstable_by_key(|(start, _)| *start);
    Ok(chunks.into_iter().flat_map(|(_, lines)| lines).collect())
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

/// `kindred moderation train`: the model text, trained on the embedded corpus.
pub fn train() -> Result<String, Error> {
    let lexicons = Lexicons::parse(seed::LEXICONS)
        .map_err(|e| Error::Config(format!("moderation lexicons: {e}")))?;
    let corpus = seed::corpus();
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
