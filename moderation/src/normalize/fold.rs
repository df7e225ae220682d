//! The `base` view: compatibility decomposition, combining marks dropped, look-alike
//! letters folded to Latin, invisible characters removed, plain punctuation, lower case
//! and collapsed white space.

use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::MappedText;

/// Characters that render as nothing and are used to split words invisibly.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E0FFF}')
        || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Latin letters that Cyrillic, Greek and other look-alikes stand for (lower case).
pub(super) fn confusable(c: char) -> char {
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
pub(super) fn fold(original: &str) -> MappedText {
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
