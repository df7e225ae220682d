//! Promotion: selling, soliciting and advertising, weighed against stance.

use std::ops::Range;

use super::{Analysis, Hit, Stance};
use crate::lexicon::Lexicons;
use crate::Label;

impl Analysis<'_> {
    pub(super) fn find_promotion(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.promotion;
        let text = self.words_text().to_string();
        let post_debunks = self.sentence_stance.iter().any(|s| s.debunking);
        let mut found: Vec<(Range<usize>, &'static str, f32, String, Stance)> = Vec::new();
        for m in self.words_matches(&lexicon.phrases) {
            let pattern = &lexicon.phrases.patterns()[m.pattern];
            let stance = self.stance_of(m.tokens.clone(), &[pattern], false);
            found.push((
                m.tokens.clone(),
                "promotion.phrase",
                pattern.weight(),
                pattern.source().to_string(),
                stance,
            ));
        }
        for m in self.words_matches(&lexicon.code_cues) {
            let pattern = &lexicon.code_cues.patterns()[m.pattern];
            let sentence_end = self.words.sentence_range(m.tokens.start).end;
            let code = (m.tokens.end..(m.tokens.end + 2).min(sentence_end))
                .find(|&t| self.looks_like_code(t));
            let stance = self.stance_of(m.tokens.clone(), &[pattern], false);
            match code {
                Some(t) => found.push((
                    m.tokens.start..t + 1,
                    "promotion.code",
                    0.9,
                    "promo code".to_string(),
                    stance,
                )),
                None => found.push((
                    m.tokens.clone(),
                    "promotion.phrase",
                    0.45,
                    pattern.source().to_string(),
                    stance,
                )),
            }
        }
        for (index, span) in self.words.spans.iter().enumerate() {
            let word = &text[span.clone()];
            if lexicon.contact_apps.iter().any(|app| &**app == word) {
                let stance = self.stance_of(index..index + 1, &[], false);
                found.push((
                    index..index + 1,
                    "promotion.contact_app",
                    0.4,
                    format!("messaging app ({word})"),
                    stance,
                ));
            }
        }
        for (tokens, rule, raw, detail, stance) in found {
            let strength = raw * promotion_factor(stance, post_debunks);
            let range = self.words_original(tokens);
            self.hits.push(Hit {
                label: Label::Promotion,
                rule,
                detail,
                raw,
                strength,
                stance,
                range,
            });
        }
        // Links were found with contact details; give them their sentence's stance.
        for index in 0..self.hits.len() {
            if self.hits[index].label != Label::Promotion
                || !self.hits[index].rule.starts_with("promotion.link")
            {
                continue;
            }
            if let Some(sentence) = self.sentence_at(self.hits[index].range.start) {
                let stance = self.sentence_stance[sentence];
                let hit = &mut self.hits[index];
                hit.stance = stance;
                hit.strength = hit.raw * promotion_factor(stance, post_debunks);
            }
        }
        if self.contact_text().contains(['$', '£', '€']) || self.words_text().contains(" dollars")
        {
            self.signals.push("price");
        }
    }

    /// Whether words token `index` looks like a promo code in the original: 3–16 letters
    /// and digits, its letters all capitals or mixed with digits.
    fn looks_like_code(&self, index: usize) -> bool {
        let range = self.word_ranges[index].clone();
        let code: String = self.original[range]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let letters = code.chars().filter(|c| c.is_alphabetic()).count();
        let digits = code.chars().filter(char::is_ascii_digit).count();
        (3..=16).contains(&code.chars().count())
            && letters >= 2
            && (code
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                || digits > 0)
    }
}

/// How much of a promotion hit survives its stance.
fn promotion_factor(stance: Stance, post_debunks: bool) -> f32 {
    let mut factor: f32 = 1.0;
    if stance.debunking || stance.reported {
        factor = factor.min(0.3);
    }
    if stance.negation {
        factor = factor.min(0.3);
    }
    if stance.question {
        factor = factor.min(0.6);
    }
    if post_debunks {
        factor = factor.min(0.6);
    }
    factor
}
