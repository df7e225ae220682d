//! Temporary.
use kindred_moderation::eval::parse_corpus;
use kindred_moderation::{seed, Policy, ScreenInput, Screener, TrustLevel};
fn main() {
    let screener = Screener::committed().unwrap();
    let split = std::env::var("SPLIT").unwrap_or_else(|_| "train".to_string());
    let policy = Policy::default();
    for e in parse_corpus(seed::CORPUS_ES).unwrap() {
        if e.split != split { continue; }
        let v = screener.screen(&ScreenInput { title: None, body: &e.text, trust_level: TrustLevel::NEW, policy: &policy });
        if v.labels != e.labels {
            println!("{} [{}] want {:?} got {:?} {:?} lang={}\n  {}", e.id, e.kind.clone().unwrap_or_default(), e.labels, v.labels, v.scores, v.language, e.text);
            for r in &v.reasons { println!("    {} {:.2} {}", r.rule, r.score, r.message); }
        }
    }
}
