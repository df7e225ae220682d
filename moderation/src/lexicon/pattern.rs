//! Phrase patterns: parsing one pattern line (steps, alternatives, prefixes, gaps,
//! optional steps) and matching it against the tokens of one sentence.

use std::borrow::Cow;

use super::pattern_set::{TokenKeys, Vocabulary, NO_KEY};
use crate::text::Tokens;

/// One step of a pattern.
/// One alternative of a step. Words carry their [`Vocabulary`] number once the set is
/// indexed (`NO_KEY` before), so matching compares numbers instead of strings.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Atom {
    Word(Box<str>, u32),
    Words(Vec<Box<str>>, Vec<u32>),
    Prefix(Box<str>),
    Any,
    Number,
}

/// The text a pattern is matched against.
#[derive(Clone, Copy)]
pub(super) struct Text<'a> {
    pub(super) view: &'a str,
    pub(super) tokens: &'a Tokens,
    /// Vocabulary numbers of the tokens, when the set was indexed with the same vocabulary.
    pub(super) keys: Option<&'a TokenKeys>,
}

impl Text<'_> {
    pub(super) fn word_is(&self, at: usize, word: &str, key: u32) -> bool {
        match self.keys {
            Some(keys) if key != NO_KEY => keys.words[at] == key,
            _ => self.tokens.text(self.view, at) == word,
        }
    }
}

impl Atom {
    /// Whether the atom matches the single token `token` (a multi-word atom never does).
    pub(super) fn matches(&self, token: &str) -> bool {
        match self {
            Atom::Word(word, _) => token == &**word,
            Atom::Words(..) => false,
            Atom::Prefix(prefix) => token.starts_with(&**prefix),
            Atom::Any => true,
            Atom::Number => token.bytes().any(|b| b.is_ascii_digit()),
        }
    }

    /// How many tokens the atom matches at token `at` (before `limit`), if it matches.
    pub(super) fn match_len(&self, text: Text<'_>, at: usize, limit: usize) -> Option<usize> {
        if at >= limit {
            return None;
        }
        match self {
            Atom::Word(word, key) => text.word_is(at, word, *key).then_some(1),
            Atom::Words(words, keys) => {
                let fits = at + words.len() <= limit
                    && words.iter().enumerate().all(|(i, word)| {
                        text.word_is(at + i, word, keys.get(i).copied().unwrap_or(NO_KEY))
                    });
                fits.then_some(words.len())
            }
            _ => self.matches(text.tokens.text(text.view, at)).then_some(1),
        }
    }

    /// The words the atom spells, for matching inside joined spaced-out letters.
    pub(super) fn spelled(&self) -> Option<Cow<'_, str>> {
        match self {
            Atom::Word(word, _) | Atom::Prefix(word) => Some(Cow::Borrowed(word)),
            Atom::Words(words, _) => Some(Cow::Owned(words.concat())),
            Atom::Any | Atom::Number => None,
        }
    }

    /// Every whole word of the atom.
    pub(super) fn words(&self) -> &[Box<str>] {
        match self {
            Atom::Word(word, _) => std::slice::from_ref(word),
            Atom::Words(words, _) => words,
            _ => &[],
        }
    }

    /// Numbers the atom's words after `vocabulary`.
    pub(super) fn number(&mut self, vocabulary: &Vocabulary) {
        let key = |word: &str| vocabulary.words.get(word).copied().unwrap_or(NO_KEY);
        match self {
            Atom::Word(word, k) => *k = key(word),
            Atom::Words(words, keys) => *keys = words.iter().map(|w| key(w)).collect(),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Element {
    Step {
        atoms: Vec<Atom>,
        optional: bool,
        /// When every atom is one word with a vocabulary number: those numbers, sorted,
        /// so a keyed token is checked by one binary search (empty otherwise).
        keys: Vec<u32>,
    },
    Gap(u8),
}

/// A compiled phrase pattern (see the [module documentation](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub(super) source: Box<str>,
    pub(super) elements: Vec<Element>,
    pub(super) weight: f32,
}

impl Pattern {
    /// Compiles `source` (without its `= weight`).
    pub fn parse(source: &str, weight: f32) -> Result<Pattern, String> {
        let mut elements = Vec::new();
        for step in source.split_whitespace() {
            if let Some(count) = step.strip_prefix('~') {
                let count: u8 = count
                    .parse()
                    .map_err(|_| format!("`{step}`: a gap is ~ followed by a number"))?;
                elements.push(Element::Gap(count));
                continue;
            }
            let (step, optional) = match step.strip_suffix('?') {
                Some(rest) => (rest, true),
                None => (step, false),
            };
            let mut atoms = Vec::new();
            for alternative in step.split('|') {
                let atom = match alternative {
                    "" => return Err(format!("`{step}`: empty alternative")),
                    "*" => Atom::Any,
                    "<num>" => Atom::Number,
                    _ => {
                        let (word, prefix) = match alternative.strip_suffix('*') {
                            Some(word) => (word, true),
                            None => (alternative, false),
                        };
                        let mut words = Vec::new();
                        for part in word.split('_') {
                            // Fold the word like the text it is matched against
                            // (accents, look-alikes, case).
                            let part = crate::normalize::normalize(part).base.as_str().to_string();
                            let valid = part.chars().all(|c| c.is_alphanumeric() || c == '\'')
                                && part.starts_with(|c: char| c.is_alphanumeric());
                            if !valid {
                                return Err(format!(
                                    "`{alternative}`: a word has only letters, digits and apostrophes"
                                ));
                            }
                            words.push(part.into_boxed_str());
                        }
                        match (words.len(), prefix) {
                            (1, true) => Atom::Prefix(words.remove(0)),
                            (1, false) => Atom::Word(words.remove(0), NO_KEY),
                            (_, false) => Atom::Words(words, Vec::new()),
                            (_, true) => {
                                return Err(format!("`{alternative}`: a prefix is one word"))
                            }
                        }
                    }
                };
                atoms.push(atom);
            }
            elements.push(Element::Step {
                atoms,
                optional,
                keys: Vec::new(),
            });
        }
        if !elements.iter().any(|e| {
            matches!(
                e,
                Element::Step {
                    optional: false,
                    ..
                }
            )
        }) {
            return Err("a pattern needs at least one required word".to_string());
        }
        if matches!(elements.first(), Some(Element::Gap(_)))
            || matches!(elements.last(), Some(Element::Gap(_)))
        {
            return Err("a pattern cannot start or end with a gap".to_string());
        }
        Ok(Pattern {
            source: source.into(),
            elements,
            weight,
        })
    }

    /// The pattern as written in the lexicon.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The pattern's weight (1.0 when the lexicon gives none).
    pub fn weight(&self) -> f32 {
        self.weight
    }

    /// Whether `token` is one of the pattern's own words (so a negation word inside a
    /// pattern like `don't ~2 chemo` does not count as negating it).
    pub fn mentions(&self, token: &str) -> bool {
        self.elements.iter().any(|element| match element {
            Element::Step { atoms, .. } => atoms.iter().any(|atom| match atom {
                Atom::Word(..) | Atom::Prefix(_) => atom.matches(token),
                Atom::Words(words, _) => words.iter().any(|word| &**word == token),
                Atom::Any | Atom::Number => false,
            }),
            Element::Gap(_) => false,
        })
    }

    /// Matches the pattern starting at token `start`, not past token `limit`; returns the
    /// end (exclusive) of the first match found (shortest gaps first).
    pub(super) fn match_at(&self, text: Text<'_>, start: usize, limit: usize) -> Option<usize> {
        fn go(elements: &[Element], text: Text<'_>, at: usize, limit: usize) -> Option<usize> {
            let Some((first, rest)) = elements.split_first() else {
                return Some(at);
            };
            match first {
                Element::Gap(count) => {
                    for skip in 0..=usize::from(*count) {
                        if at + skip > limit {
                            break;
                        }
                        if let Some(end) = go(rest, text, at + skip, limit) {
                            return Some(end);
                        }
                    }
                    None
                }
                Element::Step {
                    atoms,
                    optional,
                    keys,
                } => {
                    if let (false, Some(token_keys)) = (keys.is_empty(), text.keys) {
                        // One word each: whichever matches, one token is consumed.
                        if at < limit && keys.binary_search(&token_keys.words[at]).is_ok() {
                            if let Some(end) = go(rest, text, at + 1, limit) {
                                return Some(end);
                            }
                        }
                        return if *optional {
                            go(rest, text, at, limit)
                        } else {
                            None
                        };
                    }
                    for atom in atoms {
                        if let Some(len) = atom.match_len(text, at, limit) {
                            if let Some(end) = go(rest, text, at + len, limit) {
                                return Some(end);
                            }
                        }
                    }
                    if *optional {
                        go(rest, text, at, limit)
                    } else {
                        None
                    }
                }
            }
        }
        go(&self.elements, text, start, limit).filter(|&end| end > start)
    }

    /// Whether the pattern's words occur, in order, inside `joined` — a run of spaced-out
    /// letters that lost its word breaks (`chemoispoison`). Gaps, `*` and `<num>` are ignored.
    pub(super) fn matches_joined(&self, joined: &str) -> bool {
        let mut at = 0;
        for element in &self.elements {
            let Element::Step {
                atoms, optional, ..
            } = element
            else {
                continue;
            };
            let found = atoms
                .iter()
                .filter_map(|atom| {
                    let word = atom.spelled()?;
                    find_short(&joined[at..], &word).map(|i| at + i + word.len())
                })
                .min();
            match found {
                Some(end) => at = end,
                None if *optional
                    || atoms.iter().all(|a| matches!(a, Atom::Any | Atom::Number)) => {}
                None => return false,
            }
        }
        true
    }
}

/// The first position of `needle` in `haystack`, like [`str::find`] but without its
/// searcher's set-up, which costs more than the search for the short words of spaced-out
/// letters.
pub(super) fn find_short(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}
