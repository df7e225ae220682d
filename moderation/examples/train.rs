//! Trains the model on the committed corpus and prints it; prints test-split metrics to
//! stderr. Run from the workspace root:
//!
//! ```text
//! cargo run --release -p kindred-moderation --example train > seed-data/moderation/model.txt
//! ```
use kindred_moderation::eval::{evaluate, parse_corpus};
use kindred_moderation::{seed, Lexicons, Model, Policy, Screener};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lexicons = Lexicons::parse(seed::LEXICONS)?;
    let corpus = seed::corpus();
    let model = Model::train(&corpus, &lexicons)?;
    let text = model.to_text();
    print!("{text}");
    eprintln!("model: {} bytes", text.len());
    let examples = parse_corpus(&corpus)?;
    let screener = Screener::new(lexicons, model);
    for split in ["train", "test"] {
        let selected: Vec<_> = examples.iter().filter(|e| e.split == split).collect();
        let report = evaluate(&screener, &selected, &Policy::default());
        eprintln!("--- {split}\n{report}");
        if split == "test" && std::env::var_os("SHOW_MISTAKES").is_some() {
            eprintln!("mistakes: {}", report.mistakes.join(" "));
        }
    }
    Ok(())
}
