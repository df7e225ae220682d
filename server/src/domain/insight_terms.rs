//! The insights vocabulary (`seed-data/insights/`), parsed once, and the vocabulary terms
//! a post mentions, found once when its body is written and kept in `post_insight_terms`
//! (migration 000032) so that the insights page only counts.

use std::sync::LazyLock;

use kindred_insights::{Mentions, Vocabulary};
use sha2::{Digest, Sha256};

use crate::domain::hex::lower_hex;
use crate::domain::markdown::html_to_text;
use crate::error::Error;

const TREATMENTS: &str = include_str!("../../../seed-data/insights/treatments.txt");
const SIDE_EFFECTS: &str = include_str!("../../../seed-data/insights/side_effects.txt");
const CONCERNS: &str = include_str!("../../../seed-data/insights/concerns.txt");

static VOCABULARY: LazyLock<Result<Vocabulary, kindred_insights::Error>> =
    LazyLock::new(|| Vocabulary::parse(TREATMENTS, SIDE_EFFECTS, CONCERNS));

/// The vocabulary the insights count.
pub fn vocabulary() -> Result<&'static Vocabulary, Error> {
    VOCABULARY
        .as_ref()
        .map_err(|e| Error::failed("insights vocabulary", e.clone()))
}

/// A digest of the three vocabulary files: stored terms found with another vocabulary
/// (an upgrade that changed a file) are stale.
pub fn fingerprint() -> String {
    let mut digest = Sha256::new();
    for text in [TREATMENTS, SIDE_EFFECTS, CONCERNS] {
        digest.update((text.len() as u64).to_le_bytes());
        digest.update(text.as_bytes());
    }
    lower_hex(&digest.finalize())
}

/// The terms a post's rendered HTML mentions.
pub fn mentions_of_html(html: &str) -> Result<Mentions, Error> {
    Ok(vocabulary()?.mentions(&html_to_text(html)))
}

/// The terms a post's rendered HTML mentions, as `post_insight_terms.terms` stores them.
pub fn stored_terms_of_html(html: &str) -> Result<String, Error> {
    Ok(mentions_of_html(html)?.encode())
}
