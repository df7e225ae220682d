//! The `contact` view's edits: spelled-out digits, letter look-alikes inside digit
//! strings and spelled-out e-mail addresses.

use std::ops::Range;

use super::Edit;

/// The digit a spelled-out number word stands for.
pub(super) fn digit_word(word: &str) -> Option<&'static str> {
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
pub(super) fn repeat_word(word: &str) -> Option<usize> {
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
pub(super) fn digit_word_edits(base: &str, words: &[Range<usize>]) -> Vec<Edit> {
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
pub(super) fn digit_lookalike_edits(base: &str) -> Vec<Edit> {
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
                let c = &base[at..=at];
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
pub(super) fn spaced_email_edits(base: &str) -> Vec<Edit> {
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
pub(super) fn spelled_separator(
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
pub(super) fn spelled_address_edits(base: &str, words: &[Range<usize>]) -> Vec<Edit> {
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
