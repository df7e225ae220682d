//! The crate's single error type.

use crate::Category;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A vocabulary file is malformed. `line` is 1-based.
    #[error("{file} line {line}: {message}", file = category.file_name())]
    Vocabulary {
        /// Which of the three vocabularies (i.e. which file) the error is in.
        category: Category,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// A month was not `YYYY-MM` with a year in 1..=9999 and a month in 1..=12.
    #[error("invalid month {input:?}: expected YYYY-MM")]
    InvalidMonth {
        /// The rejected input.
        input: String,
    },
    /// [`crate::Aggregates::publish`] was asked for a threshold below
    /// [`crate::MIN_MEMBERS`]. The threshold may be raised, never lowered.
    #[error("min_members {requested} is below the floor of {floor}")]
    ThresholdTooLow {
        /// The requested threshold.
        requested: u32,
        /// The lowest threshold allowed ([`crate::MIN_MEMBERS`]).
        floor: u32,
    },
    /// Stored mentions ([`crate::Mentions::encode`]) that do not fit the vocabulary:
    /// the offending token.
    #[error("stored mentions {0:?} do not fit the vocabulary")]
    Mentions(String),
    /// Serialising a report to JSON failed.
    #[error("JSON serialisation failed: {0}")]
    Json(String),
}
