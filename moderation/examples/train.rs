//! Trains the model on the committed corpus and prints it; prints test-split metrics to
//! stderr. Run from the workspace root:
//!
//! ```text
//! cargo run --release -p kindred-moderation --example train > seed-data/moderation/model.txt
//! ```
use kindred_moderation::eval::{evaluate, parse_corpus};
use kindred_moderation::{LexiconSources, Lexicons, Model, Policy, Screener};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sources = LexiconSources {
        promotion: include_str!("../../seed-data/moderation/promotion.txt"),
        misinformation: include_str!("../../seed-data/moderation/misinformation.txt"),
        personal_info: include_str!("../../seed-data/moderation/personal-info.txt"),
        stance: include_str!("../../seed-data/moderation/stance.txt"),
        allow_list: include_str!("../../seed-data/moderation/allow-list.txt"),
    };
    let lexicons = Lexicons::parse(sources)?;
    // Read at run time here (this is a tool, not the library) so a fresh corpus is used.
    let corpus = std::fs::read_to_string("seed-data/moderation/corpus-a.jsonl")?
        + "\n"
        + &std::fs::read_to_string("seed-data/moderation/corpus-b.jsonl")?
        + "\n"
        + &std::fs::read_to_string("seed-data/moderation/corpus-c.jsonl")?
        + "\n"
        + &std::fs::read_to_string("seed-data/moderation/corpus-d.jsonl")?;
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
