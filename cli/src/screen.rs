//! `kindred screen` and `kindred moderation train|eval`: the moderation crate's tools on
//! the command line. Screening posts as they are written lives in `kindred_server::screening`.

use kindred_moderation::advice::eval as advice;
use kindred_moderation::care::eval as care;
use kindred_moderation::{seed, Lexicons, Model, Policy, ScreenInput, Screener, TrustLevel};
use serde_json::json;

use kindred_server::error::Error;
use kindred_server::screening::screener;

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
    let io_error = |e: std::io::Error| Error::failed("cannot write", e);
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
        let line = line.map_err(|e| Error::failed("cannot read stdin", e))?;
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
                "self_harm": verdict.self_harm.level.as_str(),
                "advice": verdict.advice.directive,
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
    let model =
        Model::train(&corpus, &lexicons).map_err(|e| Error::failed("training failed", e))?;
    Ok(model.to_text())
}

/// `kindred moderation eval`: the report on a labeled file (its test split when it marks
/// one, else every line), one per language when its lines are in several (`language`, `en`
/// when a line does not say). A duty-of-care corpus (`seed-data/care/corpus.jsonl`, lines with
/// `self_harm`) gets the risk level's report instead.
pub fn evaluate(jsonl: &str) -> Result<String, Error> {
    if care::is_care_corpus(jsonl) {
        return evaluate_care(jsonl);
    }
    if advice::is_advice_corpus(jsonl) {
        return evaluate_advice(jsonl);
    }
    let examples = kindred_moderation::eval::parse_corpus(jsonl)
        .map_err(|e| Error::invalid("data", e.to_string()))?;
    let tests: Vec<_> = examples.iter().filter(|e| e.split == "test").collect();
    let chosen = if tests.is_empty() {
        examples.iter().collect()
    } else {
        tests
    };
    let screener = screener()?;
    let groups = kindred_moderation::eval::by_language(&chosen);
    if let [(_, only)] = groups.as_slice() {
        let report = kindred_moderation::eval::evaluate(&screener, only, &Policy::default());
        return Ok(report.to_string());
    }
    // A corpus in several languages (its lines' `language`): one report each.
    let mut out = String::new();
    for (language, group) in &groups {
        let report = kindred_moderation::eval::evaluate(&screener, group, &Policy::default());
        out.push_str(&format!("## {language}\n{report}\n"));
    }
    Ok(out)
}

/// The risk level's report on a duty-of-care corpus (its test split when it marks one).
fn evaluate_care(jsonl: &str) -> Result<String, Error> {
    let examples =
        care::parse_care_corpus(jsonl).map_err(|e| Error::invalid("data", e.to_string()))?;
    let tests: Vec<_> = examples.iter().filter(|e| e.split == "test").collect();
    let chosen = if tests.is_empty() {
        examples.iter().collect()
    } else {
        tests
    };
    let screener = screener()?;
    let care_report = care::evaluate_care(&screener, &chosen);
    // The corpus labels the advice nudge too: its directives and its hard negatives.
    let labelled: Vec<advice::Labelled<'_>> = chosen
        .iter()
        .map(|e| advice::Labelled {
            id: &e.id,
            text: &e.text,
            directive: e.advice,
            hard_negative: e.is_hard_negative().then_some(e.kind.as_str()),
        })
        .collect();
    let advice_report = advice::evaluate_advice(&screener, &labelled);
    Ok(format!("{care_report}\n\n{advice_report}"))
}

/// The advice nudge's report on an advice corpus file (`seed-data/advice/test.jsonl` is
/// the held-out split): recall on directives, hard negatives nudged.
fn evaluate_advice(jsonl: &str) -> Result<String, Error> {
    let examples =
        advice::parse_advice_corpus(jsonl).map_err(|e| Error::invalid("data", e.to_string()))?;
    let labelled: Vec<advice::Labelled<'_>> = examples.iter().map(advice::Labelled::from).collect();
    let screener = screener()?;
    Ok(advice::evaluate_advice(&screener, &labelled).to_string())
}
