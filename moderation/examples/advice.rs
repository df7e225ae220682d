//! Development aid for the medical-advice nudge: reads `seed-data/advice/advice.txt` at run
//! time (so a lexicon edit needs no rebuild) and prints, on the advice corpus's train
//! split, the report and every mistake with its text, then the same on the train split of
//! the duty-of-care corpus (`seed-data/care/corpus.jsonl`, which labels `advice` too). With
//! `SPLIT=test` it prints the held-out splits' reports only — figures, never texts. Last,
//! how many posts of the six moderation corpora the nudge fires on, by label. `CORPUS=file`
//! reads another duty-of-care corpus file of the same format (a subset, say); `PROBE=file`
//! prints whether each line of a file of posts written to probe it is nudged.
use kindred_moderation::advice::eval::{evaluate_advice, parse_advice_corpus, Labelled};
use kindred_moderation::care::eval::parse_care_corpus;
use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, LexiconSources, Lexicons, Model, Screener};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let advice = std::fs::read_to_string("seed-data/advice/advice.txt")?;
    let lexicons = Lexicons::parse(LexiconSources {
        advice: &advice,
        ..seed::LEXICONS
    })?;
    let screener = Screener::new(lexicons, Model::from_text(seed::MODEL)?);
    if let Ok(path) = std::env::var("PROBE") {
        // One post a line, written to probe the lexicon: nudged or not, and why.
        for line in std::fs::read_to_string(path)?.lines() {
            let found = screener.advice(None, line);
            println!("{:<5} {line}\n      {:?}", found.directive, found.sentences);
        }
        return Ok(());
    }
    let held_out = std::env::var("SPLIT").is_ok_and(|split| split == "test");
    let path = if held_out {
        "seed-data/advice/test.jsonl"
    } else {
        "seed-data/advice/train.jsonl"
    };
    let examples = parse_advice_corpus(&std::fs::read_to_string(path)?)?;
    let labelled: Vec<Labelled<'_>> = examples.iter().map(Labelled::from).collect();
    let report = evaluate_advice(&screener, &labelled);
    println!("{report}");
    if !held_out {
        for example in examples.iter().filter(|e| report.mistakes.contains(&e.id)) {
            println!("{} {:?}: {}", example.id, example.kind, example.text);
        }
    }
    let split = if held_out { "test" } else { "train" };
    let care = parse_care_corpus(&std::fs::read_to_string(
        std::env::var("CORPUS").unwrap_or_else(|_| "seed-data/care/corpus.jsonl".to_string()),
    )?)?;
    let care: Vec<_> = care.iter().filter(|e| e.split == split).collect();
    let labelled: Vec<Labelled<'_>> = care
        .iter()
        .map(|e| Labelled {
            id: &e.id,
            text: &e.text,
            directive: e.advice,
            hard_negative: e.is_hard_negative().then_some(e.kind.as_str()),
        })
        .collect();
    let report = evaluate_advice(&screener, &labelled);
    println!("\nduty-of-care corpus, {split} split:\n{report}");
    if !held_out {
        for example in care.iter().filter(|e| report.mistakes.contains(&e.id)) {
            println!(
                "{} {} {}: {}",
                example.id, example.advice, example.kind, example.text
            );
        }
    }
    // The moderation corpora label no advice; what the nudge fires on there is a cost
    // (clean posts) or a directive in a myth (labelled posts).
    let corpus = parse_corpus(&seed::corpus())?;
    let (mut clean, mut clean_nudged, mut labelled, mut labelled_nudged) = (0, 0, 0, 0);
    for example in &corpus {
        let nudged = usize::from(screener.advice(None, &example.text).directive);
        if example.labels.is_empty() {
            clean += 1;
            clean_nudged += nudged;
        } else {
            labelled += 1;
            labelled_nudged += nudged;
        }
    }
    println!(
        "\nmoderation corpora: clean posts nudged {clean_nudged}/{clean}, labelled posts nudged {labelled_nudged}/{labelled}"
    );
    Ok(())
}
