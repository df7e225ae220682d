//! Development aid for the self-harm risk level: reads `seed-data/care/self-harm.txt` at
//! run time (so a lexicon edit needs no rebuild) and prints, on the duty-of-care corpus's
//! train split, the report and every mistake with its text; then how many posts of the six
//! moderation corpora screen `medium` or `high` (each would mail moderators). With
//! `SPLIT=test` it prints the held-out split's report only — figures, never texts;
//! `PROBE=file` prints the level of each line of a file of posts written to probe it;
//! `CORPUS=file` reads another corpus file of the same format (a subset, say).
use kindred_moderation::care::eval::{evaluate_care, parse_care_corpus, CareExample};
use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, LexiconSources, Lexicons, Model, RiskLevel, Screener};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let self_harm = std::fs::read_to_string("seed-data/care/self-harm.txt")?;
    let lexicons = Lexicons::parse(LexiconSources {
        self_harm: &self_harm,
        ..seed::LEXICONS
    })?;
    let screener = Screener::new(lexicons, Model::from_text(seed::MODEL)?);
    let examples = parse_care_corpus(&std::fs::read_to_string(
        std::env::var("CORPUS").unwrap_or_else(|_| "seed-data/care/corpus.jsonl".to_string()),
    )?)?;
    if let Ok(path) = std::env::var("PROBE") {
        // One post a line, written to probe the lexicon: its level and sentences.
        for line in std::fs::read_to_string(path)?.lines() {
            let found = screener.self_harm(None, line);
            println!(
                "{:<6} {line}\n       {:?}",
                found.level.as_str(),
                found.sentences
            );
        }
        return Ok(());
    }
    let split = std::env::var("SPLIT").unwrap_or_else(|_| "train".to_string());
    let chosen: Vec<&CareExample> = examples.iter().filter(|e| e.split == split).collect();
    let report = evaluate_care(&screener, &chosen);
    if split == "train" {
        for example in &chosen {
            let found = screener.self_harm(None, &example.text);
            if found.level != example.self_harm {
                println!(
                    "{} {} labeled {} screened {}: {}\n    {:?}",
                    example.id,
                    example.kind,
                    example.self_harm,
                    found.level,
                    example.text,
                    found.sentences
                );
            }
        }
        let corpus = parse_corpus(&seed::corpus())?;
        let mut raised = [0usize; 4];
        for example in &corpus {
            let found = screener.self_harm(None, &example.text);
            raised[found.level.index()] += 1;
            if found.level.needs_care() && std::env::var_os("QUIET").is_none() {
                println!(
                    "moderation {} {}: {:?}",
                    example.id, found.level, found.sentences
                );
            }
        }
        println!(
            "moderation corpora ({} posts): medium {}, high {}",
            corpus.len(),
            raised[RiskLevel::Medium.index()],
            raised[RiskLevel::High.index()]
        );
    }
    println!("{report}");
    Ok(())
}
