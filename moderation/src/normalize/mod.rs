//! Stage 1: normalization — undoing the tricks people use to slip text past filters,
//! while remembering where every character came from.
//!
//! Vocabulary:
//! - the *original* is the text exactly as the author typed it;
//! - a *view* ([`MappedText`]) is a rewritten copy in which every byte knows the byte range
//!   of the original that produced it, so a match in a view becomes a [`Span`] of the
//!   original (see [`MappedText::original_range`]).
//!
//! [`normalize`] builds three views:
//! - [`Normalized::base`]: compatibility decomposition (the "K" of NFKC: full-width,
//!   ligatures, math letters, circled digits…) with combining marks dropped, look-alike
//!   Cyrillic and Greek letters folded to Latin, invisible characters (zero-width spaces and
//!   joiners, soft hyphens, bidi controls, variation selectors) removed, typographic quotes
//!   and dashes made plain, lower case, and runs of white space collapsed to one space
//!   (or one newline);
//! - [`Normalized::words`]: `base` with leetspeak undone inside words (`fr33` → `free`,
//!   `b@king` → `baking`, `$ale` → `sale`) and spaced-out letters joined
//!   (`b u y n o w` → `buynow`, `d.m.` → `dm`). Phrase rules and the classifier read it;
//! - [`Normalized::contact`]: `base` with spelled-out digits turned into digits
//!   (`five five five` → `5 5 5`), letter look-alikes inside digit strings fixed
//!   (`555-O1O2` → `555-0102`) and spelled-out addresses rejoined
//!   (`jane at gmail dot com` → `jane@gmail.com`). Contact-detail detectors read it.
//!
//! The character tables here (look-alikes, leetspeak, number words) are part of the
//! alphabet, not of any lexicon; lexicons live in `seed-data/moderation/`.
//!
//! [`Span`]: crate::Span

use std::ops::Range;

mod contact;
mod fold;
mod words;

use contact::{digit_lookalike_edits, digit_word_edits, spaced_email_edits, spelled_address_edits};
use fold::fold;
use words::{join_spaced_letters, leet_edits};

/// A rewritten text whose every byte maps back to a byte range of the original.
#[derive(Debug, Clone, Default)]
pub struct MappedText {
    text: String,
    starts: Vec<u32>,
    ends: Vec<u32>,
}

impl MappedText {
    fn with_capacity(capacity: usize) -> MappedText {
        MappedText {
            text: String::with_capacity(capacity),
            starts: Vec::with_capacity(capacity),
            ends: Vec::with_capacity(capacity),
        }
    }

    /// The rewritten text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Whether the view is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The byte range of the original text that produced bytes `range` of this view.
    ///
    /// `range` must lie on char boundaries of the view; the answer lies on char
    /// boundaries of the original.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        if len == 0 {
            return 0..0;
        }
        let first = range.start.min(len - 1);
        let last = range.end.saturating_sub(1).max(range.start).min(len - 1);
        let start = self.starts[first] as usize;
        let end = self.ends[last] as usize;
        start..end.max(start)
    }

    fn push(&mut self, c: char, source: Range<usize>) {
        self.text.push(c);
        let (start, end) = (source.start as u32, source.end as u32);
        if c.is_ascii() {
            self.starts.push(start);
            self.ends.push(end);
        } else {
            for _ in 0..c.len_utf8() {
                self.starts.push(start);
                self.ends.push(end);
            }
        }
    }

    /// Appends `run` (ASCII at byte `at` of the original that folds to itself but for
    /// case) in lower case, each byte mapped to itself: one copy instead of a push per char.
    fn push_ascii_run(&mut self, run: &str, at: usize) {
        let len = self.text.len();
        self.text.push_str(run);
        self.text[len..].make_ascii_lowercase();
        let start = at as u32;
        let end = start + run.len() as u32;
        self.starts.extend(start..end);
        self.ends.extend((start + 1)..=end);
    }

    /// Copies `self[range]`, keeping its mapping.
    fn copy_into(&self, range: Range<usize>, out: &mut MappedText) {
        out.text.push_str(&self.text[range.clone()]);
        out.starts.extend_from_slice(&self.starts[range.clone()]);
        out.ends.extend_from_slice(&self.ends[range]);
    }

    /// The last char of the view.
    fn last_char(&self) -> Option<char> {
        self.text.chars().next_back()
    }
}

/// One replacement of a byte range of a view by new text (mapped to the whole range).
#[derive(Debug, Clone)]
struct Edit {
    range: Range<usize>,
    replacement: String,
}

/// Rewrites `view` by applying sorted, non-overlapping `edits`.
fn apply_edits(view: &MappedText, edits: &[Edit]) -> MappedText {
    if edits.is_empty() {
        return view.clone();
    }
    let mut out = MappedText::with_capacity(view.len());
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at {
            continue;
        }
        view.copy_into(at..edit.range.start, &mut out);
        let source = view.original_range(edit.range.clone());
        for c in edit.replacement.chars() {
            out.push(c, source.clone());
        }
        at = edit.range.end;
    }
    view.copy_into(at..view.len(), &mut out);
    out
}

/// The three views of one text. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Normalized {
    /// Folded, lower-cased, white space collapsed.
    pub base: MappedText,
    /// `base` with leetspeak undone and spaced-out letters joined.
    pub words: MappedText,
    /// Byte ranges of `words` that were spaced-out letters before joining.
    pub joined: Vec<Range<usize>>,
    /// `base` with spelled-out digits and addresses rewritten.
    pub contact: MappedText,
}

/// Builds every view of `original`. See the [module documentation](self).
pub fn normalize(original: &str) -> Normalized {
    let base = fold(original);
    let words_of_base = word_ranges(base.as_str());
    let leet = leet_edits(base.as_str());
    // Without leetspeak, letters are joined in `base` itself, whose words are known.
    let (words, joined) = if leet.is_empty() {
        join_spaced_letters(&base, &words_of_base)
    } else {
        let unleet = apply_edits(&base, &leet);
        join_spaced_letters(&unleet, &word_ranges(unleet.as_str()))
    };
    let mut contact_edits = digit_word_edits(base.as_str(), &words_of_base);
    contact_edits.extend(digit_lookalike_edits(base.as_str()));
    contact_edits.extend(spelled_address_edits(base.as_str(), &words_of_base));
    contact_edits.extend(spaced_email_edits(base.as_str()));
    contact_edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let contact = apply_edits(&base, &contact_edits);
    Normalized {
        base,
        words,
        joined,
        contact,
    }
}

/// The char starting at byte `at` of `text` (a char boundary), if any; ASCII without
/// decoding.
pub(crate) fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[at..].chars().next(),
        None => None,
    }
}

/// Whether `c` is part of a word (letters and digits of any script).
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// Word runs of `text` as byte ranges.
pub(crate) fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        let start = at;
        at += c.len_utf8();
        if !is_word_char(c) {
            continue;
        }
        // The rest of the word: runs of ASCII letters and digits without decoding.
        loop {
            at += bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric())
                .count();
            match char_at(text, at) {
                Some(next) if !next.is_ascii() && is_word_char(next) => at += next.len_utf8(),
                _ => break,
            }
        }
        ranges.push(start..at);
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_words(input: &str, expected: &str) {
        assert_eq!(
            normalize(input).words.as_str(),
            expected,
            "input: {input:?}"
        );
    }

    fn check_contact(input: &str, expected: &str) {
        assert_eq!(
            normalize(input).contact.as_str(),
            expected,
            "input: {input:?}"
        );
    }

    #[test]
    fn folds_compatibility_forms_case_and_accents() {
        check_words("Ｆｕｌｌ ｗｉｄｔｈ", "full width");
        check_words("Cáncer cürë", "cancer cure");
        check_words("𝐁𝐮𝐲 𝐧𝐨𝐰", "buy now");
        check_words("ﬁne", "fine");
    }

    #[test]
    fn folds_cyrillic_and_greek_lookalikes() {
        check_words("сurе", "cure");
        check_words("Вuу nоw", "buy now");
        check_words("Αpricot", "apricot");
    }

    #[test]
    fn removes_invisible_characters() {
        check_words("cu\u{200B}re", "cure");
        check_words("b\u{00AD}uy\u{FEFF} now", "buy now");
    }

    #[test]
    fn collapses_white_space() {
        check_words("  a   b\t\n\n c ", "a b\nc");
    }

    #[test]
    fn undoes_leetspeak_inside_words() {
        check_words("fr33 d1sc0unt", "free discount");
        check_words("b@king s0da", "baking soda");
        check_words("$ale now!!!", "sale now!!!");
        check_words("c4nc3r", "cancer");
    }

    #[test]
    fn leaves_numbers_prices_and_units_alone() {
        check_words(
            "take 500mg on the 4th, $49.99",
            "take 500mg on the 4th, $49.99",
        );
        check_words("call 555-123-4567", "call 555-123-4567");
        check_words("b12", "b12");
    }

    #[test]
    fn joins_spaced_out_letters() {
        let normalized = normalize("b u y n o w and D.M. me");
        assert_eq!(normalized.words.as_str(), "buynow and dm me");
        assert_eq!(normalized.joined.len(), 2);
        check_words("c-u-r-e", "cure");
        check_words("I am a patient", "i am a patient");
    }

    #[test]
    fn spells_out_digits() {
        check_contact(
            "call five five five one two three four",
            "call 5 5 5 1 2 3 4",
        );
        check_contact("555 one two three four", "555 1 2 3 4");
        check_contact("one of my two kids", "one of my two kids");
        check_contact(
            "ring oh seven seven zero zero, nine double oh, two six one",
            "ring 0 7 7 0 0, 9 0 0, 2 6 1",
        );
        check_contact("triple five two one", "55 5 2 1");
        check_contact("oh, one more thing", "oh, one more thing");
        check_contact("a double whammy", "a double whammy");
    }

    #[test]
    fn fixes_letter_lookalikes_in_digit_strings() {
        check_contact("555-O1O2-333", "555-0102-333");
        check_contact("room 101", "room 101");
        check_contact("555 O I 4 3 O 6 (O = zero", "555 0 1 4 3 0 6 (o = zero");
        check_contact("i see 4 ways", "i see 4 ways");
    }

    #[test]
    fn rejoins_spelled_out_addresses() {
        check_contact("jane at gmail dot com", "jane@gmail.com");
        check_contact("jane.doe(at)mail(dot)co(dot)uk", "jane.doe@mail.co.uk");
        check_contact("jane [at] gmail.com", "jane@gmail.com");
        check_contact("look at webmd.com", "look at webmd.com");
        check_contact("cureshop dot com", "cureshop.com");
        check_contact("meet at noon", "meet at noon");
        check_contact(
            "i'm at sinead dot byrne88 at gmail dot com",
            "i'm at sinead.byrne88@gmail.com",
        );
        check_contact(
            "priya dot k 84 at yahoo dot co dot in",
            "priya dot k 84@yahoo.co.in",
        );
    }

    #[test]
    fn closes_up_spaced_out_email_addresses() {
        check_contact(
            "mail: j a n e . d o w @ g m a i l . c o m now",
            "mail: jane.dow@gmail.com now",
        );
        check_contact(
            "is run.for.ruth @ example . com — we",
            "is run.for.ruth@example.com - we",
        );
        check_contact("a b c d", "a b c d");
    }

    #[test]
    fn maps_back_to_original_bytes() {
        let original = "Call ＦＩＶＥ five five, 1234567 or jane at gmail dot com";
        let normalized = normalize(original);
        let contact = normalized.contact.as_str();
        let at = contact.find('@').unwrap_or_default();
        let range = normalized.contact.original_range(at..at + 1);
        assert_eq!(&original[range], " at ");
        let first = contact.find('5').unwrap_or_default();
        let range = normalized.contact.original_range(first..first + 1);
        assert_eq!(&original[range], "ＦＩＶＥ");
        let words = normalize("h\u{200B}éllo w0rld");
        let w = words.words.as_str().find("world").unwrap_or_default();
        assert_eq!(
            &"h\u{200B}éllo w0rld"[words.words.original_range(w..w + 5)],
            "w0rld"
        );
    }
}
