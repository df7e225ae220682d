//! Personal information, part 3: postal addresses, and people named next to a
//! diagnosis.

use std::ops::Range;

use super::Analysis;
use crate::Label;

impl Analysis<'_> {
    pub(super) fn find_addresses(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let tokens = self.contact.clone();
        let cue_sentences: Vec<u32> = self
            .contact_matches(&lexicon.address_cues)
            .iter()
            .map(|m| tokens.sentence_of[m.tokens.start])
            .collect();
        let directions = [
            "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
        ];
        let prefix_types = ["calle", "avenida", "rue", "via", "camino"];
        let mut found: Vec<(Range<usize>, f32, &'static str)> = Vec::new();
        for i in 0..tokens.len() {
            let number = tokens.text(&text, i);
            let digits = number.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=6).contains(&digits) || number.len() > digits + 1 {
                continue;
            }
            if i > 0 && !self.gap_is(&text, i - 1, &[" ", "\n", ": ", ", ", " (", "("]) {
                continue;
            }
            let sentence_end = tokens.sentence_range(i).end;
            let mut j = i + 1;
            if j < sentence_end
                && directions.contains(&tokens.text(&text, j))
                && self.gap_is(&text, j - 1, &[" "])
            {
                j += 1;
            }
            let mut end = None;
            let mut capitalized = true;
            for k in j..(j + 5).min(sentence_end) {
                if !self.gap_is(&text, k - 1, &[" ", ". "]) {
                    break;
                }
                let word = tokens.text(&text, k);
                if !word.chars().all(char::is_alphabetic) {
                    break;
                }
                if k == j && prefix_types.contains(&word) {
                    if k + 1 < sentence_end
                        && self.is_capitalized(k + 1)
                        && self.gap_is(&text, k, &[" "])
                    {
                        end = Some(k + 2);
                    }
                    break;
                }
                if k > j && lexicon.street_types.contains(word) {
                    capitalized &= self.is_capitalized(k) || word.len() <= 4;
                    end = Some(k + 1);
                    break;
                }
                capitalized &= self.is_capitalized(k);
            }
            let Some(mut end) = end else {
                continue;
            };
            let has_cue = cue_sentences.contains(&tokens.sentence_of[i]);
            let raw = match (capitalized, has_cue) {
                (true, _) => 0.9,
                (false, true) => 0.75,
                (false, false) => continue,
            };
            // Flat, apartment or unit numbers right after.
            if end + 1 < sentence_end
                && matches!(
                    tokens.text(&text, end),
                    "apt" | "apartment" | "flat" | "unit" | "suite" | "ste"
                )
            {
                end += 2;
            }
            found.push((i..end, raw, "street address"));
        }
        found.extend(self.street_first_addresses(lexicon));
        // Postcodes: UK (G12 8QZ) and "P.O. Box 123".
        for i in 0..tokens.len().saturating_sub(1) {
            let (a, b) = (tokens.text(&text, i), tokens.text(&text, i + 1));
            if is_uk_outward(a) && is_uk_inward(b) && self.gap_is(&text, i, &[" "]) {
                let original = self.contact_original(i..i + 2);
                if self.original[original].chars().any(char::is_uppercase) {
                    found.push((i..i + 2, 0.8, "postcode"));
                }
            }
            if i + 2 < tokens.len()
                && a == "po"
                && b == "box"
                && tokens
                    .text(&text, i + 2)
                    .bytes()
                    .all(|c| c.is_ascii_digit())
            {
                found.push((i..i + 3, 0.85, "post office box"));
            }
            if i + 3 < tokens.len()
                && a == "p"
                && b == "o"
                && tokens.text(&text, i + 2) == "box"
                && tokens
                    .text(&text, i + 3)
                    .bytes()
                    .all(|c| c.is_ascii_digit())
            {
                found.push((i..i + 4, 0.85, "post office box"));
            }
        }
        for (range, raw, what) in found {
            let original = self.contact_original(range);
            if self.is_masked(&original) {
                continue;
            }
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.address",
                what.to_string(),
                raw,
                original,
            );
        }
    }

    pub(super) fn find_names_with_diagnosis(
        &mut self,
        lexicon: &crate::lexicon::PersonalInfoLexicon,
    ) {
        let text = self.contact_text().to_string();
        let tokens = self.contact.clone();
        let diagnosis_sentences: Vec<u32> = self
            .contact_matches(&lexicon.diagnoses)
            .iter()
            .map(|m| tokens.sentence_of[m.tokens.start])
            .collect();
        if !diagnosis_sentences.is_empty() {
            self.signals.push("diagnosis");
        }
        let relation_ends: Vec<usize> = self
            .contact_matches(&lexicon.relation_cues)
            .iter()
            .map(|m| m.tokens.end)
            .collect();
        let titles = [
            "dr",
            "doctor",
            "nurse",
            "prof",
            "professor",
            "st",
            "saint",
            "rev",
            "reverend",
            "pastor",
        ];
        // Whether each token is a plain word: checked once, not once per pair it is in.
        let plain: Vec<bool> = (0..tokens.len())
            .map(|i| {
                let word = tokens.text(&text, i);
                word.len() >= 2 && word.chars().all(|c| c.is_alphabetic() || c == '\'')
            })
            .collect();
        let mut found = Vec::new();
        for i in 0..tokens.len().saturating_sub(1) {
            let (first, last) = (tokens.text(&text, i), tokens.text(&text, i + 1));
            if !plain[i] || !plain[i + 1] || !self.gap_is(&text, i, &[" "]) {
                continue;
            }
            if !self.is_capitalized(i) || !self.is_capitalized(i + 1) {
                continue;
            }
            let last_bare = last.trim_end_matches("'s");
            if lexicon.not_names.contains(first)
                || lexicon.not_names.contains(last_bare)
                || lexicon.months.contains_key(last_bare)
            {
                continue;
            }
            if i > 0 && titles.contains(&tokens.text(&text, i - 1)) {
                continue;
            }
            if i + 2 < tokens.len()
                && self.gap_is(&text, i + 1, &[" "])
                && self.is_capitalized(i + 2)
                && lexicon.not_names.contains(tokens.text(&text, i + 2))
            {
                continue;
            }
            let known_first = lexicon.first_names.contains(first);
            let after_relation = relation_ends
                .iter()
                .any(|&end| end == i || (end + 1 == i && self.gap_is(&text, end - 1, &[", "])));
            let with_age = i + 2 < tokens.len()
                && self.gap_is(&text, i + 1, &[", "])
                && tokens
                    .text(&text, i + 2)
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                && tokens.text(&text, i + 2).len() <= 3;
            if !(known_first || after_relation || with_age) {
                continue;
            }
            let sentence = tokens.sentence_of[i];
            // A relative's or an acquaintance's name is private; a bare first + last name
            // may be a public figure's, so it needs the classifier's agreement.
            let personal = after_relation || with_age;
            let raw = if diagnosis_sentences.contains(&sentence) {
                if personal {
                    0.8
                } else {
                    0.6
                }
            } else if !diagnosis_sentences.is_empty() {
                if personal {
                    0.65
                } else {
                    0.5
                }
            } else if with_age && (known_first || after_relation) {
                0.5
            } else {
                continue;
            };
            let end = if with_age { i + 3 } else { i + 2 };
            found.push((i..end, raw));
        }
        for (range, raw) in found {
            let original = self.contact_original(range);
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.name_with_diagnosis",
                "full name with a diagnosis".to_string(),
                raw,
                original,
            );
        }
    }
}

impl Analysis<'_> {
    /// Addresses written street type first, as in Spanish: "Calle Mayor 5, 3º B",
    /// "Av. Insurgentes Sur 1234": a `[street-prefixes]` word, one to five capitalized
    /// words (or `de`, `del`, `la` …), then a house number.
    fn street_first_addresses(
        &self,
        lexicon: &crate::lexicon::PersonalInfoLexicon,
    ) -> Vec<(Range<usize>, f32, &'static str)> {
        const CONNECTORS: [&str; 8] = ["de", "del", "la", "las", "los", "el", "y", "san"];
        let text = self.contact_text();
        let tokens = &self.contact;
        let mut found = Vec::new();
        if lexicon.street_prefixes.is_empty() {
            return found;
        }
        for i in 0..tokens.len() {
            if !lexicon.street_prefixes.contains(tokens.text(text, i)) || i + 2 >= tokens.len() {
                continue;
            }
            let mut k = i + 1;
            let mut named = false;
            while k < tokens.len() && k <= i + 5 {
                let word = tokens.text(text, k);
                let capitalized = self.is_capitalized(k);
                if !word.chars().all(char::is_alphabetic)
                    || !(capitalized || CONNECTORS.contains(&word))
                {
                    break;
                }
                named |= capitalized;
                k += 1;
            }
            if !named {
                continue;
            }
            let Some(number) = (k < tokens.len()).then(|| tokens.text(text, k)) else {
                continue;
            };
            let digits = number.bytes().take_while(u8::is_ascii_digit).count();
            if k == i + 1 || !(1..=5).contains(&digits) || number.len() > digits + 1 {
                continue;
            }
            found.push((i..k + 1, 0.9, "street address"));
        }
        found
    }
}

fn is_uk_outward(word: &str) -> bool {
    let letters = word.chars().take_while(char::is_ascii_alphabetic).count();
    let rest = &word[letters..];
    (1..=2).contains(&letters)
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.len() <= 2
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_uk_inward(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_alphabetic()
}
