//! Kindred's committed moderation data, embedded at compile time from
//! `seed-data/moderation/`: the lexicons, the trained model and the labeled corpus (see
//! `seed-data/moderation/README.md` for what each corpus file holds). Cargo rebuilds
//! whatever uses them when one of the files changes.

use crate::LexiconSources;

/// The lexicons.
pub const LEXICONS: LexiconSources<'static> = LexiconSources {
    promotion: include_str!("../../seed-data/moderation/promotion.txt"),
    misinformation: include_str!("../../seed-data/moderation/misinformation.txt"),
    personal_info: include_str!("../../seed-data/moderation/personal-info.txt"),
    stance: include_str!("../../seed-data/moderation/stance.txt"),
    allow_list: include_str!("../../seed-data/moderation/allow-list.txt"),
    self_harm: include_str!("../../seed-data/care/self-harm.txt"),
    advice: include_str!("../../seed-data/advice/advice.txt"),
};

/// The model trained on [`CORPUS`] with [`LEXICONS`], in its text form.
pub const MODEL: &str = include_str!("../../seed-data/moderation/model.txt");

/// The corpus files in training order, each in JSON-lines form.
pub const CORPUS: [&str; 6] = [
    include_str!("../../seed-data/moderation/corpus-a.jsonl"),
    include_str!("../../seed-data/moderation/corpus-b.jsonl"),
    include_str!("../../seed-data/moderation/corpus-c.jsonl"),
    include_str!("../../seed-data/moderation/corpus-d.jsonl"),
    include_str!("../../seed-data/moderation/corpus-e.jsonl"),
    include_str!("../../seed-data/moderation/corpus-f.jsonl"),
];

/// The medical-advice corpus (`seed-data/advice/`): the split tuned on, and the held-out one.
pub const ADVICE_TRAIN: &str = include_str!("../../seed-data/advice/train.jsonl");
/// The medical-advice corpus's held-out split.
pub const ADVICE_TEST: &str = include_str!("../../seed-data/advice/test.jsonl");

/// The whole corpus as one JSON-lines text.
pub fn corpus() -> String {
    CORPUS.join("\n")
}
