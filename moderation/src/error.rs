//! The crate's one error type.
//!
//! Errors only come from parsing what a caller hands in: lexicon files, a corpus, a
//! serialized model, a policy or a trust level. Screening itself never fails: once a
//! [`Screener`](crate::Screener) exists, every input gets a [`Verdict`](crate::Verdict).

/// Everything that can go wrong while building the screening pipeline.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// A lexicon file has a line the parser does not understand.
    #[error("lexicon {file}, line {line}: {message}")]
    Lexicon {
        /// Which lexicon (the field name of [`LexiconSources`](crate::LexiconSources)).
        file: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A corpus line is not a valid labeled example.
    #[error("corpus line {line}: {message}")]
    Corpus {
        /// 1-based line number in the JSONL text.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// The corpus has no training examples, or a label never occurs in them.
    #[error("cannot train: {0}")]
    Training(String),
    /// A serialized model could not be read back.
    #[error("model line {line}: {message}")]
    Model {
        /// 1-based line number in the model text.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A trust level outside 0–3.
    #[error("trust level must be 0 to 3, got {0}")]
    TrustLevel(u8),
    /// A policy whose thresholds are out of range or out of order.
    #[error("invalid policy: {0}")]
    Policy(String),
}
