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

/// The lexicons for Spanish posts: the English ones, the language-independent selling
/// signals of `any-language.txt` and the Spanish entries of `seed-data/moderation/es/`
/// (a section may appear in several files; its entries add up).
pub const LEXICONS_ES: LexiconSources<'static> = LexiconSources {
    promotion: concat!(
        include_str!("../../seed-data/moderation/promotion.txt"),
        "\n",
        include_str!("../../seed-data/moderation/any-language.txt"),
        "\n",
        include_str!("../../seed-data/moderation/es/promotion.txt"),
    ),
    misinformation: concat!(
        include_str!("../../seed-data/moderation/misinformation.txt"),
        "\n",
        include_str!("../../seed-data/moderation/es/misinformation.txt"),
    ),
    personal_info: concat!(
        include_str!("../../seed-data/moderation/personal-info.txt"),
        "\n",
        include_str!("../../seed-data/moderation/es/personal-info.txt"),
    ),
    stance: concat!(
        include_str!("../../seed-data/moderation/stance.txt"),
        "\n",
        include_str!("../../seed-data/moderation/es/stance.txt"),
    ),
    ..LEXICONS
};

/// The lexicons for posts in any other language but English and Spanish: the English ones
/// and the language-independent selling signals of `any-language.txt`.
pub const LEXICONS_ANY_LANGUAGE: LexiconSources<'static> = LexiconSources {
    promotion: concat!(
        include_str!("../../seed-data/moderation/promotion.txt"),
        "\n",
        include_str!("../../seed-data/moderation/any-language.txt"),
    ),
    ..LEXICONS
};

/// The Spanish corpus (`seed-data/moderation/es/corpus.jsonl`): original Spanish posts,
/// split into `train` (tuned on) and `test` (held out) before any tuning. The classifier
/// does not learn from it: Spanish is screened by its lexicons.
pub const CORPUS_ES: &str = include_str!("../../seed-data/moderation/es/corpus.jsonl");

/// The self-harm model trained on the duty-of-care corpus's train split and the train
/// posts of [`CORPUS`] (see [`care::model`](crate::care::model)), in its text form.
pub const CARE_MODEL: &str = include_str!("../../seed-data/care/model.txt");

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
