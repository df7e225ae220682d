//! Words and sentences of a normalized view.
//!
//! A *token* is a run of letters and digits, with inner apostrophes kept (`don't`,
//! `cancer's`). A *sentence* ends at `!`, `?`, a line break, or a `.`/`;` followed by a
//! space; a sentence is a *question* when it ends with `?`.

use std::ops::Range;

use crate::normalize::{char_at, is_word_char};

/// Tokens and sentences of one view.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    /// Byte range of each token in the view.
    pub spans: Vec<Range<usize>>,
    /// Token index ranges of the sentences, in order, covering every token.
    pub sentences: Vec<Range<usize>>,
    /// Whether each sentence ends with a question mark.
    pub questions: Vec<bool>,
    /// Sentence index of each token.
    pub sentence_of: Vec<u32>,
}

impl Tokens {
    /// Splits `text` into tokens and sentences.
    pub fn new(text: &str) -> Tokens {
        let mut tokens = Tokens::default();
        // About one token per five bytes of ordinary text.
        tokens.spans.reserve(text.len() / 5);
        let mut sentence_start = 0;
        let mut start: Option<usize> = None;
        let bytes = text.as_bytes();
        let mut close_sentence = |tokens: &mut Tokens, question: bool| {
            let end = tokens.spans.len();
            if end > sentence_start {
                tokens.sentences.push(sentence_start..end);
                tokens.questions.push(question);
                sentence_start = end;
            } else if question {
                // "?!" or "? ?": the question mark belongs to the sentence before.
                if let Some(last) = tokens.questions.last_mut() {
                    *last = true;
                }
            }
        };
        let mut at = 0;
        while let Some(c) = char_at(text, at) {
            let next_at = at + c.len_utf8();
            if is_word_char(c) {
                if start.is_none() {
                    start = Some(at);
                }
                // The rest of a run of ASCII letters and digits at once.
                at = next_at
                    + bytes[next_at..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                continue;
            }
            let next = char_at(text, next_at);
            if c == '\'' && start.is_some() && next.is_some_and(is_word_char) {
                at = next_at;
                continue;
            }
            if let Some(s) = start.take() {
                tokens.spans.push(s..at);
            }
            match c {
                // Not inside a link or a word: "page?ref=x", "wh!te".
                '?' if next.is_none_or(|n| !is_word_char(n)) => close_sentence(&mut tokens, true),
                '!' if next.is_none_or(|n| !is_word_char(n)) => close_sentence(&mut tokens, false),
                '\n' => close_sentence(&mut tokens, false),
                ';' if next.is_none_or(|n| n == ' ' || n == '\n') => {
                    close_sentence(&mut tokens, false);
                }
                '.' if next.is_none_or(|n| n == ' ' || n == '\n')
                    && !ends_with_abbreviation(text, &tokens.spans) =>
                {
                    close_sentence(&mut tokens, false);
                }
                _ => {}
            }
            at = next_at;
        }
        if let Some(s) = start {
            tokens.spans.push(s..text.len());
        }
        close_sentence(&mut tokens, false);
        tokens.sentence_of = vec![0; tokens.spans.len()];
        for (index, sentence) in tokens.sentences.iter().enumerate() {
            for token in sentence.clone() {
                tokens.sentence_of[token] = index as u32;
            }
        }
        tokens
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The text of token `index` in `view`.
    pub fn text<'v>(&self, view: &'v str, index: usize) -> &'v str {
        &view[self.spans[index].clone()]
    }

    /// Token index range of the sentence containing token `index`.
    pub fn sentence_range(&self, index: usize) -> Range<usize> {
        self.sentences[self.sentence_of[index] as usize].clone()
    }

    /// Byte range in the view covered by tokens `range` (non-empty).
    pub fn byte_range(&self, range: Range<usize>) -> Range<usize> {
        let last = range.end.max(range.start + 1) - 1;
        self.spans[range.start].start..self.spans[last].end
    }
}

/// Whether the last token is a single letter or a common abbreviation (`dr.`, `st.`),
/// after which a full stop does not end the sentence.
fn ends_with_abbreviation(text: &str, spans: &[Range<usize>]) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "dr", "mr", "mrs", "ms", "st", "ave", "rd", "jr", "sr", "vs", "etc", "approx", "apt",
        "prof", "no", "tel", "e.g", "i.e",
    ];
    spans.last().is_some_and(|last| {
        let word = &text[last.clone()];
        word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
            || ABBREVIATIONS.contains(&word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_sentences() {
        let text = "is it true? i don't know. dr. smith says 2.5 mg! ok shop.com/x?ref=1 now";
        let tokens = Tokens::new(text);
        let words: Vec<&str> = (0..tokens.len()).map(|i| tokens.text(text, i)).collect();
        assert_eq!(
            words,
            [
                "is", "it", "true", "i", "don't", "know", "dr", "smith", "says", "2", "5", "mg",
                "ok", "shop", "com", "x", "ref", "1", "now"
            ]
        );
        assert_eq!(tokens.sentences, [0..3, 3..6, 6..12, 12..19]);
        assert_eq!(tokens.questions, [true, false, false, false]);
    }
}
