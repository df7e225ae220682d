//! The `words` view's edits: leetspeak undone inside words and spaced-out letters
//! joined.

use std::ops::Range;

use super::{char_at, is_word_char, Edit, MappedText};

/// The letter a leetspeak character stands for.
pub(super) fn leet_letter(c: char) -> Option<char> {
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
pub(super) fn leet_edits(base: &str) -> Vec<Edit> {
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
            rest.len() < run.len() && rest.chars().all(char::is_alphabetic)
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
pub(super) fn join_spaced_letters(
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
