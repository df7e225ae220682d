//! The committed model and its quality.
//!
//! - `committed_model_matches_a_fresh_training` keeps `seed-data/moderation/model.txt` in
//!   step with the committed corpus and lexicons. When it fails, retrain:
//!   `cargo run --release -p kindred-moderation --example train > seed-data/moderation/model.txt`
//! - `test_split_metrics_stay_above_the_floor` prints the held-out metrics and fails if
//!   they fall below the floors recorded here.

use kindred_moderation::eval::{evaluate, parse_corpus, Example};
use kindred_moderation::{
    seed, Action, Label, Lexicons, Model, Policy, ScreenInput, Screener, TrustLevel,
};

use kindred_moderation::seed::{corpus, MODEL};

fn lexicons() -> Lexicons {
    Lexicons::parse(seed::LEXICONS).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn committed_model_matches_a_fresh_training() {
    let fresh = Model::train(&corpus(), &lexicons()).unwrap_or_else(|e| panic!("{e}"));
    let text = fresh.to_text();
    assert!(
        text == MODEL,
        "seed-data/moderation/model.txt is stale: retrain with \
         `cargo run --release -p kindred-moderation --example train > seed-data/moderation/model.txt`"
    );
    assert!(
        // About 1 MiB for 10,000 training posts; a jump past this means something grew
        // that should not have (more hash bits, unquantized weights).
        MODEL.len() <= 3 << 19,
        "model is {} bytes, over 1.5 MiB",
        MODEL.len()
    );
    let loaded: Model = MODEL.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded, fresh);
}

#[test]
fn training_is_deterministic() {
    let corpus = corpus();
    let examples = parse_corpus(&corpus).unwrap_or_else(|e| panic!("{e}"));
    let some: Vec<&Example> = examples.iter().step_by(3).collect();
    let lexicons = lexicons();
    let first = Model::train_on(&some, &lexicons).unwrap_or_else(|e| panic!("{e}"));
    let second = Model::train_on(&some, &lexicons).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.to_text(), second.to_text());
}

#[test]
fn test_split_metrics_stay_above_the_floor() {
    let corpus = corpus();
    let examples = parse_corpus(&corpus).unwrap_or_else(|e| panic!("{e}"));
    let test: Vec<&Example> = examples.iter().filter(|e| e.split == "test").collect();
    let model: Model = MODEL.parse().unwrap_or_else(|e| panic!("{e}"));
    let screener = Screener::new(lexicons(), model);
    let report = evaluate(&screener, &test, &Policy::default());
    println!("{report}");
    // Floors: a little under what the committed model measures, so that a change that
    // makes things worse is noticed. The targets are higher: see the crate documentation.
    let floors = [
        (Label::Promotion, 0.93, 0.95),
        (Label::Misinformation, 0.90, 0.88),
        (Label::PersonalInfo, 0.96, 0.97),
    ];
    for (label, precision, recall) in floors {
        let c = report.of(label);
        assert!(
            c.precision() >= precision,
            "{label} precision {:.3} < {precision}\n{report}",
            c.precision()
        );
        assert!(
            c.recall() >= recall,
            "{label} recall {:.3} < {recall}\n{report}",
            c.recall()
        );
    }
    // Clean posts wrongly held: 1.5 % (11/750); the target is 2 %. Hard negatives flagged:
    // 6.4 % (13/203) by the rule-based definition, 2.1 % (5/239) of the posts their
    // writers marked hard; the target is 5 %.
    assert!(report.clean_held.rate() <= 0.02, "{report}");
    assert!(report.hard_negatives_flagged.rate() <= 0.08, "{report}");
    assert!(report.marked_hard_flagged.rate() <= 0.035, "{report}");
}

/// Replies of a word or two are most of a forum's posts. A model learned from longer posts
/// once held "first" as promotion and flagged "second" as misinformation: one word decided
/// the score. These must all go through, titled or not, from a brand-new member.
#[test]
fn short_everyday_replies_are_allowed() {
    let model: Model = MODEL.parse().unwrap_or_else(|e| panic!("{e}"));
    let screener = Screener::new(lexicons(), model);
    let policy = Policy::default();
    let replies = [
        "first",
        "second",
        "hello",
        "Hi all",
        "thanks",
        "Thank you!",
        "ok",
        "yes",
        "no",
        "bump",
        "test",
        "me too",
        "same here",
        "hugs",
        "sending love",
        "great news",
        "Welcome!",
        "following",
        "lol",
        "how are you?",
        "good luck tomorrow",
        "update",
    ];
    for reply in replies {
        for title in [None, Some("Older thread"), Some("Scan day")] {
            let verdict = screener.screen(&ScreenInput {
                title,
                body: reply,
                trust_level: TrustLevel::NEW,
                policy: &policy,
            });
            assert_eq!(
                verdict.action,
                Action::Allow,
                "{title:?} / {reply:?}: {:?}",
                verdict.scores
            );
        }
    }
}
