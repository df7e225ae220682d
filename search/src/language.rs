//! Which language a post or a query is written in.
//!
//! Vocabulary: a text's *language* ([`TextLanguage`]) is English or Spanish, the two
//! languages the index analyses. It is *detected* from the text itself (letter trigrams,
//! `whatlang`, choosing between those two only), so the index needs nothing from the
//! server. Detection reads at most [`DETECT_BYTES`] of a post: a post's opening says
//! which language it is in, and detection is then a fixed cost per post — about as
//! much as the rest of indexing it, so a post whose language the server recorded as
//! English or Spanish ([`PostDoc::language`]) is not detected again.

use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use crate::document::PostDoc;

/// The recorded language ([`PostDoc::language`]) of a post written in English.
pub(crate) const ENGLISH: &str = "en";
/// The recorded language of a post written in Spanish.
pub(crate) const SPANISH: &str = "es";

/// A detector that chooses between English and Spanish only: anything else in Latin
/// script is analysed the English way, which is what it got before.
static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Eng, Lang::Spa]));

/// Longest prefix of a text that detection reads, in bytes.
pub(crate) const DETECT_BYTES: usize = 1_000;

/// A language the index has an analysis for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextLanguage {
    English,
    Spanish,
}

impl TextLanguage {
    /// Detects the language of `text`; English when unsure or when there are no
    /// letters, since every post is analysed the English way anyway.
    pub(crate) fn detect(text: &str) -> TextLanguage {
        match DETECTOR.detect_lang(prefix(text, DETECT_BYTES)) {
            Some(Lang::Spa) => TextLanguage::Spanish,
            _ => TextLanguage::English,
        }
    }

    /// The analysis a post gets: its recorded language when that is English or Spanish,
    /// else the language detected from its title and body.
    pub(crate) fn of_doc(post: &PostDoc) -> TextLanguage {
        match post.language.as_deref() {
            Some(ENGLISH) => TextLanguage::English,
            Some(SPANISH) => TextLanguage::Spanish,
            _ => TextLanguage::of_post(&post.thread_title, &post.body),
        }
    }

    /// Detects the language of a post from its title and body.
    pub(crate) fn of_post(title: &str, body: &str) -> TextLanguage {
        let mut text = String::with_capacity(DETECT_BYTES + 1);
        text.push_str(prefix(title, DETECT_BYTES));
        text.push('\n');
        text.push_str(prefix(body, DETECT_BYTES.saturating_sub(text.len())));
        TextLanguage::detect(&text)
    }

    /// The value kept in the `language` field.
    pub(crate) fn code(self) -> u64 {
        match self {
            TextLanguage::English => 0,
            TextLanguage::Spanish => 1,
        }
    }

    pub(crate) fn from_code(code: u64) -> TextLanguage {
        match code {
            1 => TextLanguage::Spanish,
            _ => TextLanguage::English,
        }
    }
}

/// The longest prefix of `text` of at most `bytes` bytes that ends on a character
/// boundary.
fn prefix(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::{prefix, TextLanguage};

    #[test]
    fn tells_spanish_from_english() {
        for spanish in [
            "Empecé la quimioterapia la semana pasada y tengo muchas náuseas.",
            "¿Alguien más con cáncer de pulmón? Me dieron el diagnóstico ayer.",
            "efectos secundarios de la quimio",
        ] {
            assert_eq!(
                TextLanguage::detect(spanish),
                TextLanguage::Spanish,
                "{spanish}"
            );
        }
        for english in [
            "Started chemo last week and the nausea is rough.",
            "Anyone else with lung cancer? Diagnosed yesterday.",
            "side effects of chemo",
            "",
            "12345 !!!",
        ] {
            assert_eq!(
                TextLanguage::detect(english),
                TextLanguage::English,
                "{english}"
            );
        }
        assert_eq!(
            TextLanguage::of_post("Radioterapia", "¿Cuántas sesiones os dieron a vosotras?"),
            TextLanguage::Spanish
        );
    }

    #[test]
    fn prefixes_end_on_character_boundaries() {
        assert_eq!(prefix("quimioterapía", 12), "quimioterap");
        assert_eq!(prefix("quimioterapía", 13), "quimioterapí");
        assert_eq!(prefix("abc", 10), "abc");
        for code in [0, 1] {
            assert_eq!(TextLanguage::from_code(code).code(), code);
        }
    }
}
