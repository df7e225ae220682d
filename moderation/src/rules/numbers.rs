//! Personal information, part 2: numbers — record and id numbers, phone numbers and
//! dates of birth — and the digit-run candidates they are read from.

use std::ops::Range;

use super::{Analysis, Masked};
use crate::lexicon::Lexicons;
use crate::text::Tokens;
use crate::Label;

impl Analysis<'_> {
    pub(super) fn find_record_numbers(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let mut found: Vec<(Range<usize>, &'static str, f32, String)> = Vec::new();
        for (set, rule, raw) in [
            (&lexicon.ssn_cues, "personal_info.ssn", 0.95),
            (&lexicon.record_cues, "personal_info.record_number", 0.9),
        ] {
            for cue in self.contact_matches(set) {
                let sentence_end = self.contact.sentence_range(cue.tokens.start).end;
                let window = cue.tokens.end..(cue.tokens.end + 12).min(sentence_end);
                let id = window
                    .clone()
                    .find(|&t| self.looks_like_id(&text, t, sentence_end));
                if let Some(id) = id {
                    let end = self.id_end(&text, id, sentence_end);
                    let pattern = set.patterns()[cue.pattern].source().to_string();
                    found.push((cue.tokens.start..end, rule, raw, pattern));
                }
            }
        }
        for (range, rule, raw, pattern) in found {
            let original = self.contact_original(range);
            if self
                .hits
                .iter()
                .any(|h| h.rule == rule && h.range == original)
            {
                continue;
            }
            self.push_hit(Label::PersonalInfo, rule, pattern, raw, original.clone());
            self.masked.push((original, Masked::Number));
        }
    }

    /// The end (exclusive) of an id starting at contact token `start`: following tokens
    /// joined by `-`, `/` or a space that carry digits (`W8820-447192`, `481 229 775`).
    fn id_end(&self, text: &str, start: usize, limit: usize) -> usize {
        let mut end = start + 1;
        while end < limit {
            let gap = &text[self.contact.spans[end - 1].end..self.contact.spans[end].start];
            let next = self.contact.text(text, end);
            let joined = matches!(gap, "-" | "/" | ".")
                || (gap == " " && next.bytes().any(|b| b.is_ascii_digit()));
            if !joined || !next.bytes().any(|b| b.is_ascii_digit()) && gap == " " {
                break;
            }
            end += 1;
        }
        end
    }

    /// Whether contact token `start` begins an id: at least five digits in it and the
    /// tokens joined to it, or four with letters (`W8820`), and not a year.
    fn looks_like_id(&self, text: &str, start: usize, limit: usize) -> bool {
        let token = self.contact.text(text, start);
        let own = token.bytes().filter(u8::is_ascii_digit).count();
        if own == 0 {
            return false;
        }
        let end = self.id_end(text, start, limit);
        let digits: usize = (start..end)
            .map(|t| {
                self.contact
                    .text(text, t)
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .count()
            })
            .sum();
        let letters = token.chars().any(char::is_alphabetic);
        let year = end == start + 1
            && token.len() == 4
            && token
                .parse::<u32>()
                .is_ok_and(|y| (1900..=2100).contains(&y));
        !year && (digits >= 5 || (digits >= 4 && letters))
    }

    pub(super) fn find_phone_numbers(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.personal_info;
        let text = self.contact_text().to_string();
        let cues = self.contact_matches(&lexicon.contact_cues);
        let ssn_cues = self.contact_matches(&lexicon.ssn_cues);
        let cue_sentences: Vec<u32> = cues
            .iter()
            .map(|m| self.contact.sentence_of[m.tokens.start])
            .collect();
        let ssn_sentences: Vec<u32> = ssn_cues
            .iter()
            .map(|m| self.contact.sentence_of[m.tokens.start])
            .collect();
        for candidate in number_candidates(&text) {
            let original = self
                .normalized
                .contact
                .original_range(candidate.range.clone());
            if self.is_masked(&original) {
                continue;
            }
            // The first token starting at or after the number (tokens are in text order).
            let first_after = self
                .contact
                .spans
                .partition_point(|span| span.start < candidate.range.start);
            let sentence =
                (first_after < self.contact.len()).then(|| self.contact.sentence_of[first_after]);
            let has_cue = sentence.is_some_and(|s| cue_sentences.contains(&s));
            let has_ssn_cue = sentence.is_some_and(|s| ssn_sentences.contains(&s));
            let groups = &candidate.groups;
            let digits = candidate.digits.len();
            let spaced_out = groups.iter().all(|&g| g == 1);
            let dashed_ssn = (groups.as_slice() == [3, 2, 4]
                || (spaced_out && candidate.punctuated_groups.as_slice() == [3, 2, 4]))
                && !candidate.separators.contains('.');
            if dashed_ssn || (digits == 9 && groups.len() == 1 && has_ssn_cue) {
                self.push_hit(
                    Label::PersonalInfo,
                    "personal_info.ssn",
                    "number shaped like a social security number".to_string(),
                    0.97,
                    original.clone(),
                );
                self.masked.push((original, Masked::Number));
                continue;
            }
            let Some(raw) = phone_weight(&candidate, has_cue) else {
                continue;
            };
            if lexicons.allow.helpline(&candidate.digits).is_some() {
                self.masked.push((original, Masked::Helpline));
                continue;
            }
            if lexicons.allow.toll_free(&candidate.digits).is_some() {
                self.masked.push((original, Masked::TollFree));
                continue;
            }
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.phone",
                format!("{digits}-digit phone number"),
                raw,
                original.clone(),
            );
            self.masked.push((original, Masked::Number));
        }
    }

    pub(super) fn find_birth_dates(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let mut found = Vec::new();
        for cue in self.contact_matches(&lexicon.birth_date_cues) {
            let sentence = self.contact.sentence_range(cue.tokens.start);
            let from = cue.tokens.start.saturating_sub(4).max(sentence.start);
            let to = (cue.tokens.end + 8).min(sentence.end);
            let mut best: Option<(Range<usize>, bool)> = None;
            for start in from..to {
                if cue.tokens.contains(&start) {
                    continue;
                }
                if let Some((end, full)) =
                    date_at(&text, &self.contact, start, sentence.end, &lexicon.months)
                {
                    if best.as_ref().is_none_or(|(_, f)| full && !f) {
                        best = Some((start..end, full));
                    }
                }
            }
            if best.is_none() && sentence.end < self.contact.len() {
                // "…my mom's date of birth. It's March 3, 1949."
                let next = self.contact.sentence_range(sentence.end);
                for start in next.start..(next.start + 6).min(next.end) {
                    if let Some((end, true)) =
                        date_at(&text, &self.contact, start, next.end, &lexicon.months)
                    {
                        best = Some((start..end, true));
                        break;
                    }
                }
            }
            if let Some((date, full)) = best {
                let range = cue.tokens.start.min(date.start)..cue.tokens.end.max(date.end);
                found.push((range, if full { 0.9 } else { 0.6 }));
            }
        }
        for (range, raw) in found {
            let original = self.contact_original(range);
            if self.hits.iter().any(|h| {
                h.rule == "personal_info.birth_date"
                    && h.range.start < original.end
                    && original.start < h.range.end
            }) {
                continue;
            }
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.birth_date",
                "birth date".to_string(),
                raw,
                original,
            );
        }
    }

    pub(super) fn is_capitalized(&self, token: usize) -> bool {
        let range = self.contact_original(token..token + 1);
        let word = &self.original[range];
        // Most words: a lower-case first letter, decided without going through the chars.
        if word.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
            return false;
        }
        let mut letters = word.chars().filter(|c| c.is_alphabetic());
        let first_upper = letters.next().is_some_and(char::is_uppercase);
        first_upper
            && (word.chars().filter(|c| c.is_alphabetic()).count() == 1
                || letters.any(char::is_lowercase))
    }

    pub(super) fn gap_is(&self, text: &str, left: usize, allowed: &[&str]) -> bool {
        // Bytes: token boundaries are char boundaries already.
        let gap =
            &text.as_bytes()[self.contact.spans[left].end..self.contact.spans[left + 1].start];
        allowed.iter().any(|candidate| candidate.as_bytes() == gap)
    }
}

/// A run of digits and separators that may be a phone or id number.
#[derive(Debug, Clone, PartialEq)]
struct NumberCandidate {
    range: Range<usize>,
    digits: String,
    groups: Vec<usize>,
    /// Digits between punctuation, spaces ignored: `4 4 1 - 7 8 - 2 3 0 9` is `[3, 2, 4]`.
    punctuated_groups: Vec<usize>,
    separators: String,
    plus: bool,
}

/// Runs of digit groups separated by at most three of ` - . ( ) /`, not glued to letters.
fn number_candidates(text: &str) -> Vec<NumberCandidate> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (matches!(bytes[i], b'+' | b'(')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let glued = i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || matches!(bytes[i - 1], b'$' | b'#' | b'/' | b'.' | b',' | b':'));
        if !starts || glued {
            i += 1;
            continue;
        }
        let start = i;
        let plus = bytes[i] == b'+';
        let mut digits = String::new();
        let mut groups = Vec::new();
        let mut punctuated_groups = Vec::new();
        let mut since_punctuation = 0;
        let mut separators = String::new();
        let mut current = 0;
        let mut end = i;
        let mut seps = 0;
        let mut pending = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                digits.push(b as char);
                separators.push_str(&pending);
                pending.clear();
                current += 1;
                since_punctuation += 1;
                seps = 0;
                end = i + 1;
            } else if b == b','
                && (current > 1 || (current == 0 && groups.last().is_some_and(|&g| g > 1)))
            {
                // Commas separate lists of numbers, except between spelled-out digits.
                break;
            } else if matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'/' | b'+' | b',') && seps < 3
            {
                if current > 0 {
                    groups.push(current);
                    current = 0;
                }
                if b != b' ' {
                    pending.push(b as char);
                    if since_punctuation > 0 {
                        punctuated_groups.push(since_punctuation);
                        since_punctuation = 0;
                    }
                }
                seps += 1;
            } else {
                break;
            }
            i += 1;
        }
        if current > 0 {
            groups.push(current);
        }
        if since_punctuation > 0 {
            punctuated_groups.push(since_punctuation);
        }
        // Glued to letters on the right (e.g. "10am"), or a decimal comma: not a number.
        let glued_right = bytes.get(end).is_some_and(|b| {
            b.is_ascii_alphabetic()
                || *b == b',' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        });
        if !glued_right && !digits.is_empty() {
            found.push(NumberCandidate {
                range: start..end,
                digits,
                groups,
                punctuated_groups,
                separators,
                plus,
            });
        }
        i = end.max(start + 1);
    }
    found
}

/// The weight of a number candidate as a phone number, if it is one.
fn phone_weight(candidate: &NumberCandidate, has_cue: bool) -> Option<f32> {
    let digits = candidate.digits.len();
    let groups = &candidate.groups;
    let singles = groups.iter().filter(|&&g| g == 1).count();
    let all_small = groups.iter().all(|&g| g <= 4);
    let date_like = candidate.separators.contains('/')
        && groups.len() == 3
        && ((groups[0] <= 2 && groups[1] <= 2 && matches!(groups[2], 2 | 4)) || groups[0] == 4);

    if date_like || candidate.separators.matches('.').count() == 1 && groups.len() == 2 {
        return None;
    }
    if candidate.plus {
        return (8..=15).contains(&digits).then_some(0.95);
    }
    match digits {
        10 if groups.len() == 1 => Some(if candidate.digits.starts_with(['0', '1']) {
            0.6
        } else {
            0.8
        }),
        10 | 11 if all_small && groups.len() >= 3 => Some(0.95),
        11 if groups.len() == 1 && candidate.digits.starts_with('1') => Some(0.8),
        // National numbers with a trunk 0, grouped as people write them: 0412 555 019,
        // 07700 900 461, 020 7188 7188.
        10 | 11 if (2..=4).contains(&groups.len()) && candidate.digits.starts_with('0') => {
            Some(0.9)
        }
        7 if groups.as_slice() == [3, 4] => Some(if has_cue { 0.95 } else { 0.85 }),
        7 if singles >= 4 => Some(0.9),
        7 if groups.len() == 1 && has_cue => Some(0.8),
        8..=9 if has_cue && all_small && groups.len() >= 2 => Some(0.7),
        _ => None,
    }
}

/// Parses a date starting at contact token `start`; returns its end token and whether it
/// has a day, a month and a year.
/// Words between a date's day, month and year: "3rd of March", "3 de mayo de 1961",
/// "del 1961".
const DATE_JOINERS: [&str; 3] = ["of", "de", "del"];

fn date_at(
    text: &str,
    tokens: &Tokens,
    start: usize,
    limit: usize,
    months: &crate::lexicon::WordMap<u8>,
) -> Option<(usize, bool)> {
    let token = |i: usize| (i < limit).then(|| tokens.text(text, i));
    let gap = |i: usize| &text[tokens.spans[i].end..tokens.spans[i + 1].start];
    let number = |w: &str| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let suffix = &w[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        digits.parse().ok()
    };
    let is_year = |w: &str| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (1900..=2100).contains(&w.parse::<u32>().unwrap_or(0))
    };
    let first = token(start)?;
    // Numeric: 3/21/1988, 1-12-64, 2016-02-02.
    if let (Some(a), Some(b), Some(c)) = (
        number(first),
        token(start + 1).and_then(number),
        token(start + 2).and_then(number),
    ) {
        let sep = gap(start);
        if matches!(sep, "/" | "-" | ".")
            && gap(start + 1) == sep
            && first.bytes().all(|b| b.is_ascii_digit())
        {
            let c_text = token(start + 2).unwrap_or_default();
            let iso = first.len() == 4 && b <= 12 && c <= 31;
            let day_month =
                a <= 31 && b <= 31 && (a <= 12 || b <= 12) && matches!(c_text.len(), 2 | 4);
            if iso || day_month {
                return Some((start + 3, true));
            }
        }
    }
    // Month name first: March 3, 1975 / March 1975 / May 3rd.
    if months.contains_key(first) {
        if let Some(day) = token(start + 1).and_then(number) {
            if (1..=31).contains(&day) && token(start + 1).is_some_and(|w| w.len() <= 4) {
                if token(start + 2).is_some_and(is_year)
                    && matches!(gap(start + 1), " " | ", " | ",")
                {
                    return Some((start + 3, true));
                }
                return Some((start + 2, false));
            }
            if first != "may" && token(start + 1).is_some_and(is_year) {
                return Some((start + 2, false));
            }
        }
    }
    // Day first: 3 March 1975 / 3rd of March / 3 de mayo de 1961.
    let joins = |i: usize| token(i).is_some_and(|w| DATE_JOINERS.contains(&w));
    if let Some(day) = number(first) {
        if (1..=31).contains(&day) && first.len() <= 4 {
            let mut at = start + 1;
            if joins(at) {
                at += 1;
            }
            if token(at).is_some_and(|w| months.contains_key(w)) {
                let year = if joins(at + 1) { at + 2 } else { at + 1 };
                if token(year).is_some_and(is_year) {
                    return Some((year + 1, true));
                }
                return Some((at + 1, false));
            }
        }
    }
    None
}
