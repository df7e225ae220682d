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

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

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
        self.ends.extend(start + 1..end + 1);
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

/// Characters that render as nothing and are used to split words invisibly.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E0FFF}')
        || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Latin letters that Cyrillic, Greek and other look-alikes stand for (lower case).
fn confusable(c: char) -> char {
    match c {
        'а' | 'А' | 'α' | 'Α' | 'ɑ' => 'a',
        'в' | 'В' | 'β' | 'Β' | 'ь' => 'b',
        'с' | 'С' | 'ϲ' | 'Ϲ' => 'c',
        'ԁ' | 'δ' => 'd',
        'е' | 'Е' | 'ε' | 'Ε' | 'ё' | 'Ё' | 'є' => 'e',
        'ɡ' => 'g',
        'һ' | 'н' | 'Н' | 'Η' => 'h',
        'і' | 'І' | 'ї' | 'ι' | 'Ι' | 'ı' | 'ɩ' | 'Ӏ' | 'ӏ' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'ʟ' => 'l',
        'м' | 'М' | 'Μ' => 'm',
        'η' | 'ո' | 'п' => 'n',
        'о' | 'О' | 'ο' | 'Ο' | 'օ' | 'σ' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ԛ' | 'Ԛ' => 'q',
        'г' => 'r',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'υ' | 'ս' | 'μ' => 'u',
        'ν' | 'ѵ' => 'v',
        'ԝ' | 'Ԝ' | 'ω' | 'ш' => 'w',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'у' | 'У' | 'γ' | 'Υ' => 'y',
        'Ζ' => 'z',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' => '-',
        '\u{00B7}' | '\u{2022}' | '\u{2219}' | '\u{30FB}' => '.',
        other => other,
    }
}

/// Builds the base view: decomposition, mark removal, look-alikes, lower case, spaces.
fn fold(original: &str) -> MappedText {
    let mut out = MappedText::with_capacity(original.len());
    // Pending white space: its source range and whether it contained a line break.
    let mut pending: Option<(Range<usize>, bool)> = None;
    let bytes = original.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if pending.is_none() && bytes[at].is_ascii_graphic() {
            // Most of a text: visible ASCII and single spaces between it, which the
            // char by char rules below leave as they are (but for case), all at once.
            let mut end = at + 1;
            while let Some(&byte) = bytes.get(end) {
                let single_space =
                    byte == b' ' && bytes.get(end + 1).is_some_and(u8::is_ascii_graphic);
                if !byte.is_ascii_graphic() && !single_space {
                    break;
                }
                end += 1;
            }
            out.push_ascii_run(&original[at..end], at);
            at = end;
            continue;
        }
        let Some(c) = original[at..].chars().next() else {
            break;
        };
        let source = at..at + c.len_utf8();
        at = source.end;
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            let newline = matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}');
            pending = match pending {
                Some((range, seen)) => Some((range, seen || newline)),
                None => Some((source, newline)),
            };
            continue;
        }
        if let Some((range, newline)) = pending.take() {
            if !out.is_empty() {
                out.push(if newline { '\n' } else { ' ' }, range);
            }
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase(), source);
            continue;
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) || is_invisible(d) {
                return;
            }
            if d.is_whitespace() {
                if out.last_char() != Some(' ') {
                    out.push(' ', source.clone());
                }
                return;
            }
            for lower in confusable(d).to_lowercase() {
                out.push(lower, source.clone());
            }
        });
    }
    out
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

/// The letter a leetspeak character stands for.
fn leet_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' | '€' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

/// Edits that undo leetspeak inside words of the base view.
///
/// A run of letters, digits and `@ $ ! | € +` is rewritten when it has at least two
/// letters, every other character has a leet meaning, and it is not a number with a unit
/// (`30mg`, `4th`, `10am`). Leading `@` (mentions) and `$` before digits (prices),
/// and trailing `! | $ +`, are punctuation, not letters.
fn leet_edits(base: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    let bytes = base.as_bytes();
    let is_run_char =
        |c: char| c.is_alphanumeric() || matches!(c, '@' | '$' | '!' | '|' | '€' | '+');
    let mut at = 0;
    while let Some(c) = char_at(base, at) {
        let start = at;
        at += c.len_utf8();
        if !is_run_char(c) {
            continue;
        }
        let mut only_letters = c.is_alphabetic();
        while let Some(next) = char_at(base, at) {
            if !is_run_char(next) {
                break;
            }
            only_letters &= next.is_alphabetic();
            at += next.len_utf8();
        }
        let end = at;
        // Most runs are plain words: nothing to undo (trimming only drops non-letters).
        if only_letters {
            continue;
        }
        let mut run = &base[start..end];
        let mut run_start = start;
        // Trim punctuation that is not leet at the edges.
        while let Some(first) = run.chars().next() {
            let strip = matches!(first, '!' | '|' | '+' | '@')
                || (first == '$' && run[1..].starts_with(|d: char| d.is_ascii_digit()));
            if !strip {
                break;
            }
            run = &run[first.len_utf8()..];
            run_start += first.len_utf8();
        }
        while let Some(last) = run.chars().next_back() {
            if !matches!(last, '!' | '|' | '+' | '$') {
                break;
            }
            run = &run[..run.len() - last.len_utf8()];
        }
        let _ = bytes;
        if run.is_empty() {
            continue;
        }
        let letters = run.chars().filter(|c| c.is_alphabetic()).count();
        let leet = run.chars().filter(|c| !c.is_alphabetic()).count();
        if letters < 2 || leet == 0 {
            continue;
        }
        if !run
            .chars()
            .all(|c| c.is_alphabetic() || leet_letter(c).is_some())
        {
            continue;
        }
        // A number followed by a unit or ordinal suffix: 30mg, 4th, 2nd, 10am.
        let digits_then_letters = {
            let rest = run.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.len() < run.len() && rest.chars().all(|c| c.is_alphabetic())
        };
        if digits_then_letters && run.chars().filter(|c| c.is_alphabetic()).count() <= 3 {
            continue;
        }
        let mut offset = run_start;
        for c in run.chars() {
            if let (false, Some(letter)) = (c.is_alphabetic(), leet_letter(c)) {
                edits.push(Edit {
                    range: offset..offset + c.len_utf8(),
                    replacement: letter.to_string(),
                });
            }
            offset += c.len_utf8();
        }
    }
    edits
}

/// Joins spaced-out letters in `view`: three or more single characters separated by one
/// space or one of `. - _ * /` (`b u y n o w`), or two or more separated by dots with no
/// space (`d.m.`). `view_words` are the [`word_ranges`] of `view`. Returns the new view
/// and the ranges of the joined words in it.
fn join_spaced_letters(
    view: &MappedText,
    view_words: &[Range<usize>],
) -> (MappedText, Vec<Range<usize>>) {
    let text = view.as_str();
    // Single-character words not followed by an apostrophe: (start, end) in `text`.
    let singles: Vec<Range<usize>> = view_words
        .iter()
        .filter(|word| {
            text[(*word).clone()].chars().nth(1).is_none() && !text[word.end..].starts_with('\'')
        })
        .cloned()
        .collect();
    let separator = |gap: &str| -> Option<bool> {
        // Some(true): a dot with no space; Some(false): another allowed separator.
        match gap {
            "." => Some(true),
            " " | "-" | "_" | "*" | "/" | ". " | " ." => Some(false),
            _ => None,
        }
    };
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < singles.len() {
        let mut j = i;
        let mut all_dots = true;
        while j + 1 < singles.len() {
            let gap = &text[singles[j].end..singles[j + 1].start];
            match separator(gap) {
                Some(dot) => {
                    all_dots &= dot;
                    j += 1;
                }
                None => break,
            }
        }
        let count = j - i + 1;
        if count >= 3 || (count == 2 && all_dots) {
            let mut end = singles[j].end;
            if all_dots && text[end..].starts_with('.') {
                end += 1;
            }
            groups.push(singles[i].start..end);
        }
        i = j + 1;
    }
    if groups.is_empty() {
        return (view.clone(), Vec::new());
    }
    let mut out = MappedText::with_capacity(view.len());
    let mut joined = Vec::with_capacity(groups.len());
    let mut at = 0;
    for group in groups {
        view.copy_into(at..group.start, &mut out);
        let start = out.len();
        for (offset, c) in text[group.clone()].char_indices() {
            if is_word_char(c) {
                let from = group.start + offset;
                view.copy_into(from..from + c.len_utf8(), &mut out);
            }
        }
        joined.push(start..out.len());
        at = group.end;
    }
    view.copy_into(at..view.len(), &mut out);
    (out, joined)
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

/// The digit a spelled-out number word stands for.
fn digit_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "zero" | "oh" => "0",
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" | "niner" => "9",
        "hundred" => "00",
        _ => return None,
    })
}

/// How many times a repeat word ("double five", "triple oh") writes the next digit.
fn repeat_word(word: &str) -> Option<usize> {
    match word {
        "double" => Some(2),
        "triple" => Some(3),
        _ => None,
    }
}

/// Edits that turn runs of spelled-out digits into digits: `five five five one two three`
/// → `5 5 5 1 2 3`, `oh seven double oh` → `0 7 00`. A run is number words and digit
/// groups separated by at most three characters of ` - . , / ( )`; it is rewritten when it
/// has three number words, or one number word and seven digits in all. `hundred` never
/// starts a run, nor does an `oh` that no number follows ("oh, one more thing").
fn digit_word_edits(base: &str, words: &[Range<usize>]) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut i = 0;
    let word = |k: usize| &base[words[k].clone()];
    // (is a number word, digits it contributes)
    let item = |k: usize| -> Option<(bool, usize)> {
        let w = word(k);
        if w.bytes().all(|b| b.is_ascii_digit()) {
            Some((false, w.len()))
        } else if let Some(times) = repeat_word(w) {
            let next = words
                .get(k + 1)
                .and_then(|r| digit_word(&base[r.clone()]))?;
            Some((true, (times - 1) * next.len()))
        } else {
            digit_word(w).map(|d| (true, d.len()))
        }
    };
    while i < words.len() {
        let Some(_) = item(i) else {
            i += 1;
            continue;
        };
        let number_follows = i + 1 < words.len() && item(i + 1).is_some();
        if word(i) == "hundred" || (word(i) == "oh" && !number_follows) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < words.len() && item(j + 1).is_some() {
            let gap = &base[words[j].end..words[j + 1].start];
            if gap.is_empty()
                || gap.len() > 3
                || !gap
                    .chars()
                    .all(|c| matches!(c, ' ' | '-' | '.' | ',' | '/' | '(' | ')'))
            {
                break;
            }
            j += 1;
        }
        let (mut number_words, mut digits) = (0, 0);
        for k in i..=j {
            if let Some((is_word, count)) = item(k) {
                number_words += usize::from(is_word);
                digits += count;
            }
        }
        if number_words >= 3 || (number_words >= 1 && digits >= 7) {
            for (k, range) in words.iter().enumerate().take(j + 1).skip(i) {
                let replacement = match repeat_word(word(k)) {
                    Some(times) => digit_word(word(k + 1)).map(|d| d.repeat(times - 1)),
                    None => digit_word(word(k)).map(str::to_string),
                };
                if let Some(replacement) = replacement {
                    edits.push(Edit {
                        range: range.clone(),
                        replacement,
                    });
                }
            }
        }
        i = j + 1;
    }
    edits
}

/// Edits that fix letters standing in for digits inside digit strings:
/// `555-O1O2` → `555-0102`, `555 O I 4 3` → `555 0 1 4 3`. A group of chunks (runs of
/// non-space characters) qualifies when it has at least five digits and its only letters
/// are `o`, `l` and `i`, fewer of them than digits. A group is one chunk, or
/// consecutive chunks that are each digits and separators or one such letter.
fn digit_lookalike_edits(base: &str) -> Vec<Edit> {
    // No group can have five digits when the whole text has fewer (most texts).
    if base.bytes().filter(u8::is_ascii_digit).count() < 5 {
        return Vec::new();
    }
    let lookalike = |c: char| matches!(c, 'o' | 'l' | 'i');
    let mut chunks: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for chunk in base.split([' ', '\n']) {
        chunks.push((offset, chunk));
        offset += chunk.len() + 1;
    }
    let numeric = |chunk: &str| {
        chunk.bytes().any(|b| b.is_ascii_digit())
            && chunk
                .chars()
                .all(|c| c.is_ascii_digit() || lookalike(c) || "-.()/".contains(c))
    };
    let single = |chunk: &str| chunk.len() == 1 && chunk.chars().all(lookalike);
    let mut edits = Vec::new();
    let mut i = 0;
    while i < chunks.len() {
        let mut j = i + 1;
        if numeric(chunks[i].1) || single(chunks[i].1) {
            while j < chunks.len() && (numeric(chunks[j].1) || single(chunks[j].1)) {
                j += 1;
            }
        }
        let group = &chunks[i..j];
        let digits: usize = group
            .iter()
            .map(|(_, c)| c.bytes().filter(u8::is_ascii_digit).count())
            .sum();
        i = j;
        // Most groups are one ordinary word: done before collecting anything.
        if digits < 5 {
            continue;
        }
        let letters: Vec<usize> = group
            .iter()
            .flat_map(|(start, chunk)| {
                chunk
                    .char_indices()
                    .filter(|(_, c)| c.is_alphabetic())
                    .map(move |(at, _)| start + at)
            })
            .collect();
        let all_lookalikes = group
            .iter()
            .all(|(_, chunk)| chunk.chars().filter(|c| c.is_alphabetic()).all(lookalike));
        if digits >= 5 && !letters.is_empty() && letters.len() < digits && all_lookalikes {
            for at in letters {
                let c = &base[at..at + 1];
                edits.push(Edit {
                    range: at..at + 1,
                    replacement: if c == "o" { "0" } else { "1" }.to_string(),
                });
            }
        }
    }
    edits
}

/// Edits that close up e-mail addresses typed with spaces: `j a n e @ m a i l . c o m`,
/// `run.for.ruth @ example . com`. Spaces are removed inside a run of single characters
/// that contains `@`, and around an `@` or a `.` that sits between letters and belongs to
/// a stretch of text containing `@`.
fn spaced_email_edits(base: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    if !base.contains('@') {
        return edits;
    }
    let chunks: Vec<(usize, &str)> = {
        let mut list = Vec::new();
        let mut offset = 0;
        for chunk in base.split(' ') {
            list.push((offset, chunk));
            offset += chunk.len() + 1;
        }
        list
    };
    let mut i = 0;
    while i < chunks.len() {
        // A run of chunks joined by single spaces where every chunk is one character, or
        // is "@" / "." / a word next to them.
        let glue = |chunk: &str| matches!(chunk, "@" | "." | "(at)" | "(dot)");
        let mut j = i;
        let mut has_at = false;
        while j + 1 < chunks.len() {
            let (a, b) = (chunks[j].1, chunks[j + 1].1);
            let single = |c: &str| c.chars().count() == 1 && !c.contains('\n');
            if (single(a) && single(b)) || glue(a) || glue(b) {
                has_at |= a == "@" || b == "@" || a.ends_with('@') || b.starts_with('@');
                j += 1;
            } else {
                break;
            }
        }
        if j > i && has_at && j - i >= 2 {
            for &(start, chunk) in &chunks[i..j] {
                let space = start + chunk.len();
                edits.push(Edit {
                    range: space..space + 1,
                    replacement: String::new(),
                });
            }
        }
        i = j + 1;
    }
    edits
}

/// Top-level domains recognised after a spelled-out "dot" with no "at".
const SPELLED_DOMAIN_ENDINGS: &[&str] = &[
    "com", "net", "org", "co", "io", "us", "uk", "ca", "info", "biz", "shop", "store", "me", "ly",
    "au",
];

/// How an "at" or "dot" is written between two words.
fn spelled_separator(
    base: &str,
    gap_before: Range<usize>,
    word: &str,
    gap_after: Range<usize>,
) -> Option<bool> {
    // Some(true): bracketed, e.g. "(at)"; Some(false): a plain word between spaces.
    let before = base[gap_before].trim();
    let after = base[gap_after].trim();
    let bracketed = matches!(
        (before, after),
        ("(", ")") | ("[", "]") | ("{", "}") | ("<", ">")
    );
    let _ = word;
    if bracketed {
        Some(true)
    } else if before.is_empty() && after.is_empty() {
        Some(false)
    } else {
        None
    }
}

/// Edits that rejoin spelled-out e-mail addresses and domains: `jane at gmail dot com`,
/// `jane(at)gmail(dot)com`, `shop dot com`.
///
/// A plain " at " is only rewritten when the domain after it has a spelled-out dot, so
/// "look at webmd.com" stays as it is.
fn spelled_address_edits(base: &str, words: &[Range<usize>]) -> Vec<Edit> {
    let word = |k: usize| &base[words[k].clone()];
    // (range of the separator including surrounding gaps, replacement, index of next word)
    let separator = |k: usize, name: &str| -> Option<(Range<usize>, bool)> {
        // Word k is `name`, between words k-1 and k+1.
        if k == 0 || k + 1 >= words.len() || word(k) != name {
            return None;
        }
        let before = words[k - 1].end..words[k].start;
        let after = words[k].end..words[k + 1].start;
        if before.len() > 3 || after.len() > 3 || base[before.clone()].contains('\n') {
            return None;
        }
        spelled_separator(base, before.clone(), name, after.clone())
            .map(|bracketed| (before.start..after.end, bracketed))
    };
    let mut edits = Vec::new();
    let mut k = 1;
    while k + 1 < words.len() {
        // Only an "at" or a "dot" can start an edit.
        if !matches!(word(k), "at" | "dot") {
            k += 1;
            continue;
        }
        if let Some((at_range, at_bracketed)) = separator(k, "at") {
            // Walk the domain: word (dot word)+, with dots spelled or real.
            let mut dots: Vec<Edit> = Vec::new();
            let mut spelled_dot = false;
            let mut m = k + 1;
            loop {
                if let Some((dot_range, _)) = separator(m + 1, "dot") {
                    dots.push(Edit {
                        range: dot_range,
                        replacement: ".".to_string(),
                    });
                    spelled_dot = true;
                    m += 2;
                } else if m + 1 < words.len() && &base[words[m].end..words[m + 1].start] == "." {
                    m += 1;
                } else {
                    break;
                }
            }
            // A plain " at " needs a domain that ends like one: "i'm at sinead dot byrne88"
            // is not an address, the "at" in "… byrne88 at gmail dot com" is.
            let ends_like_domain = || {
                let last = word(m);
                SPELLED_DOMAIN_ENDINGS.contains(&last)
                    || ((2..=3).contains(&last.len())
                        && last.bytes().all(|b| b.is_ascii_lowercase()))
            };
            if m > k + 1 && (at_bracketed || (spelled_dot && ends_like_domain())) {
                // The local part may have spelled-out dots too: "sinead dot byrne88 at …".
                let mut j = k - 1;
                while j >= 2 {
                    let Some((dot_range, _)) = separator(j - 1, "dot") else {
                        break;
                    };
                    edits.push(Edit {
                        range: dot_range,
                        replacement: ".".to_string(),
                    });
                    j -= 2;
                }
                edits.push(Edit {
                    range: at_range,
                    replacement: "@".to_string(),
                });
                edits.extend(dots);
                k = m + 1;
                continue;
            }
        }
        if let Some((dot_range, bracketed)) = separator(k, "dot") {
            if bracketed || SPELLED_DOMAIN_ENDINGS.contains(&word(k + 1)) {
                edits.push(Edit {
                    range: dot_range,
                    replacement: ".".to_string(),
                });
            }
        }
        k += 1;
    }
    // Local-part dots are found after the dots before them; edits apply in text order.
    edits.sort_by_key(|edit| edit.range.start);
    edits.dedup_by_key(|edit| edit.range.start);
    edits
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
