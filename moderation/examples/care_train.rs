//! Trains the self-harm model (`seed-data/care/model.txt`, see
//! `kindred_moderation::care::model`) on the duty-of-care corpus's train split and the
//! train posts of the six moderation corpora (as posts not at risk), with thresholds
//! chosen by cross-validation on them; then prints, for the screener with the new model,
//! the train split's report and the moderation corpora's posts raised to `medium` or
//! `high` (train and test splits apart). Never reads the held-out split.
//!
//! `cargo run --example care_train` from the workspace root; `CHECK=1` only compares the
//! freshly trained model with the committed file.
use kindred_moderation::care::eval::{evaluate_care, parse_care_corpus, CareExample};
use kindred_moderation::care::model::{cross_validate, level_at, CareModel, Sample};
use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, RiskLevel, Screener};

const MODEL_PATH: &str = "seed-data/care/model.txt";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = Screener::committed()?;
    let care = parse_care_corpus(&std::fs::read_to_string("seed-data/care/corpus.jsonl")?)?;
    let moderation = parse_corpus(&seed::corpus())?;
    let mut samples = Vec::new();
    let mut lexicon_levels = Vec::new();
    for example in care.iter().filter(|e| e.split == "train") {
        let (features, lexicon) = base.care_inputs(&example.text);
        lexicon_levels.push(lexicon);
        samples.push(Sample {
            features,
            label: example.self_harm,
            hard_negative: example.is_hard_negative(),
            care: true,
        });
    }
    for example in moderation.iter().filter(|e| e.split == "train") {
        samples.push(Sample {
            features: base.care_inputs(&example.text).0,
            label: RiskLevel::None,
            hard_negative: false,
            care: false,
        });
    }
    let model = CareModel::train(&samples)?;
    let text = model.to_text();
    if std::env::var_os("CHECK").is_some() {
        let same = std::fs::read_to_string(MODEL_PATH)? == text;
        println!("committed model identical to a fresh training: {same}");
        return Ok(());
    }
    std::fs::write(MODEL_PATH, &text)?;
    let [risk, high] = model.thresholds();
    println!(
        "{} training posts; thresholds: at risk {risk}, high {high}",
        samples.len()
    );
    if std::env::var_os("CV").is_some() {
        out_of_fold_report(&samples, &lexicon_levels, model.thresholds());
    }
    let screener = Screener::committed()?.with_care_model(model);
    let train: Vec<&CareExample> = care.iter().filter(|e| e.split == "train").collect();
    println!("train split\n{}", evaluate_care(&screener, &train));
    for split in ["train", "test"] {
        let mut raised = [0usize; 4];
        let mut posts = 0;
        for example in moderation.iter().filter(|e| e.split == split) {
            posts += 1;
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
            "moderation corpora, {split} split ({posts} posts): medium {}, high {}",
            raised[RiskLevel::Medium.index()],
            raised[RiskLevel::High.index()]
        );
    }
    Ok(())
}

/// The duty-of-care train posts' levels (lexicon and model combined) with the model's
/// out-of-fold probabilities: what cross-validation says the held-out split may show.
fn out_of_fold_report(samples: &[Sample], lexicon: &[RiskLevel], thresholds: [f32; 2]) {
    let probabilities = cross_validate(samples);
    let mut matrix = [[0usize; 4]; 4];
    let (mut hard, mut hard_raised, mut moderation_raised) = (0, 0, 0);
    for (i, sample) in samples.iter().enumerate() {
        let model = level_at(probabilities[i], thresholds);
        let level = lexicon.get(i).map_or(model, |&l| l.max(model));
        if sample.care {
            matrix[sample.label.index()][level.index()] += 1;
        } else if level.needs_care() {
            moderation_raised += 1;
        }
        if sample.hard_negative {
            hard += 1;
            hard_raised += usize::from(level.needs_care());
        }
    }
    let recall = |from: usize| {
        let labelled: usize = (from..4).map(|l| matrix[l].iter().sum::<usize>()).sum();
        let found: usize = (from..4)
            .map(|l| matrix[l][from..].iter().sum::<usize>())
            .sum();
        (found, labelled)
    };
    println!("out of fold (lexicon and model), labeled \\ predicted none low medium high");
    for (label, row) in matrix.iter().enumerate() {
        println!("  {:<7} {:?}", RiskLevel::ALL[label].as_str(), row);
    }
    println!(
        "  high found {:?}, medium+ found {:?}, hard negatives at medium+ {hard_raised}/{hard}, moderation posts at medium+ {moderation_raised}",
        (matrix[3][3], matrix[3].iter().sum::<usize>()),
        recall(2)
    );
}
