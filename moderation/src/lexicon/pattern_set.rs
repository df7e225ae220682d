//! Pattern sets: patterns indexed by their first word through a shared
//! [`Vocabulary`], so a text's tokens are hashed once and every set finds its candidate
//! patterns by number.

use std::ops::Range;

use super::pattern::{Atom, Element, Pattern, Text};
use super::WordMap;
use crate::text::Tokens;

/// A match of one pattern of a [`PatternSet`].
#[derive(Debug, Clone, PartialEq)]
pub struct PatternMatch {
    /// Index of the pattern in its set.
    pub pattern: usize,
    /// Token range matched.
    pub tokens: Range<usize>,
}

/// A list of patterns indexed by their first word, for fast matching.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    pub(super) patterns: Vec<Pattern>,
    pub(super) by_word: WordMap<Vec<usize>>,
    pub(super) by_prefix: WordMap<Vec<usize>>,
    /// Distinct byte lengths of the prefixes in `by_prefix`, ascending.
    pub(super) prefix_lengths: Vec<usize>,
    /// Patterns that start with a number (`<num> off`): candidates only at tokens with a
    /// digit.
    pub(super) numbered: Vec<usize>,
    pub(super) anywhere: Vec<usize>,
    /// `by_word` and `by_prefix` by [`Vocabulary`] number (see [`PatternSet::index_with`]).
    pub(super) by_word_key: Vec<Vec<usize>>,
    pub(super) by_prefix_key: Vec<Vec<usize>>,
}

/// No vocabulary number.
pub(super) const NO_KEY: u32 = u32::MAX;

/// Every first word and prefix that some pattern set is indexed by, numbered. A text's
/// tokens are looked up here once ([`Vocabulary::keys`]); every set then finds its
/// candidate patterns by number instead of hashing each token again.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub(super) words: WordMap<u32>,
    /// By word number: whether the word is the first word of a pattern of some set.
    pub(super) first_words: Vec<bool>,
    pub(super) prefixes: WordMap<u32>,
    pub(super) prefix_lengths: Vec<usize>,
}

/// The [`Vocabulary`] numbers of a text's tokens.
#[derive(Debug, Clone, Default)]
pub struct TokenKeys {
    /// Per token: its word number, or `NO_KEY`.
    pub(super) words: Vec<u32>,
    /// Per token: where its prefix numbers start in `prefixes` (one more entry at the end).
    pub(super) prefix_starts: Vec<u32>,
    pub(super) prefixes: Vec<u32>,
    /// The tokens whose word is the first word of a pattern of some set, in order: the
    /// only places where a set without number-led, prefix-led or anywhere patterns can
    /// match.
    pub(super) pattern_starts: Vec<u32>,
}

impl Vocabulary {
    pub(super) fn add(&mut self, set: &PatternSet) {
        // Every whole word of every pattern, in pattern order.
        for pattern in &set.patterns {
            for element in &pattern.elements {
                if let Element::Step { atoms, .. } = element {
                    for word in atoms.iter().flat_map(Atom::words) {
                        let next = self.words.len() as u32;
                        self.words.entry(word.clone()).or_insert(next);
                    }
                }
            }
        }
        self.first_words.resize(self.words.len(), false);
        for word in set.by_word.keys() {
            if let Some(&key) = self.words.get(word) {
                self.first_words[key as usize] = true;
            }
        }
        let mut prefixes: Vec<&Box<str>> = set.by_prefix.keys().collect();
        prefixes.sort();
        for prefix in prefixes {
            let next = self.prefixes.len() as u32;
            self.prefixes.entry(prefix.clone()).or_insert(next);
            if let Err(at) = self.prefix_lengths.binary_search(&prefix.len()) {
                self.prefix_lengths.insert(at, prefix.len());
            }
        }
    }

    /// Looks every token of `view` up.
    pub fn keys(&self, view: &str, tokens: &Tokens) -> TokenKeys {
        let mut keys = TokenKeys {
            words: Vec::with_capacity(tokens.len()),
            prefix_starts: Vec::with_capacity(tokens.len() + 1),
            prefixes: Vec::new(),
            pattern_starts: Vec::new(),
        };
        for index in 0..tokens.len() {
            let token = tokens.text(view, index);
            let key = self.words.get(token).copied().unwrap_or(NO_KEY);
            keys.words.push(key);
            if self.first_words.get(key as usize) == Some(&true) {
                keys.pattern_starts.push(index as u32);
            }
            keys.prefix_starts.push(keys.prefixes.len() as u32);
            for &length in &self.prefix_lengths {
                if length > token.len() {
                    break;
                }
                if let Some(&key) = token.get(..length).and_then(|p| self.prefixes.get(p)) {
                    keys.prefixes.push(key);
                }
            }
        }
        keys.prefix_starts.push(keys.prefixes.len() as u32);
        keys
    }
}

impl TokenKeys {
    pub(super) fn prefixes_of(&self, token: usize) -> &[u32] {
        let start = self.prefix_starts[token] as usize;
        let end = self.prefix_starts[token + 1] as usize;
        &self.prefixes[start..end]
    }
}

impl PatternSet {
    pub(super) fn push(&mut self, pattern: Pattern) {
        let index = self.patterns.len();
        match pattern.elements.first() {
            Some(Element::Step {
                atoms,
                optional: false,
                ..
            }) if atoms
                .iter()
                .all(|a| matches!(a, Atom::Word(..) | Atom::Words(..) | Atom::Prefix(_))) =>
            {
                for atom in atoms {
                    match atom {
                        Atom::Word(word, _) => {
                            self.by_word.entry(word.clone()).or_default().push(index);
                        }
                        Atom::Words(words, _) => self
                            .by_word
                            .entry(words[0].clone())
                            .or_default()
                            .push(index),
                        Atom::Prefix(prefix) => {
                            if let Err(at) = self.prefix_lengths.binary_search(&prefix.len()) {
                                self.prefix_lengths.insert(at, prefix.len());
                            }
                            self.by_prefix
                                .entry(prefix.clone())
                                .or_default()
                                .push(index);
                        }
                        Atom::Any | Atom::Number => {}
                    }
                }
            }
            Some(Element::Step {
                atoms,
                optional: false,
                ..
            }) if atoms.iter().all(|a| matches!(a, Atom::Number)) => self.numbered.push(index),
            _ => self.anywhere.push(index),
        }
        self.patterns.push(pattern);
    }

    /// The patterns, in lexicon order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Numbers the set's index after `vocabulary`, for [`PatternSet::find_all_keyed`].
    pub fn index_with(&mut self, vocabulary: &Vocabulary) {
        for pattern in &mut self.patterns {
            for element in &mut pattern.elements {
                if let Element::Step { atoms, keys, .. } = element {
                    for atom in atoms.iter_mut() {
                        atom.number(vocabulary);
                    }
                    keys.clear();
                    let words: Option<Vec<u32>> = atoms
                        .iter()
                        .map(|atom| match atom {
                            Atom::Word(_, key) if *key != NO_KEY => Some(*key),
                            _ => None,
                        })
                        .collect();
                    if let Some(mut words) = words {
                        words.sort_unstable();
                        words.dedup();
                        *keys = words;
                    }
                }
            }
        }
        self.by_word_key = vec![Vec::new(); vocabulary.words.len()];
        for (word, list) in &self.by_word {
            if let Some(&key) = vocabulary.words.get(word) {
                // A pattern is listed twice when two alternatives of its first step start
                // with the same word (`no|no_one`); the lists are in pattern order.
                let mut list = list.clone();
                list.dedup();
                self.by_word_key[key as usize] = list;
            }
        }
        self.by_prefix_key = vec![Vec::new(); vocabulary.prefixes.len()];
        for (prefix, list) in &self.by_prefix {
            if let Some(&key) = vocabulary.prefixes.get(prefix) {
                self.by_prefix_key[key as usize].clone_from(list);
            }
        }
    }

    /// Every match of every pattern within sentences of `view`, in token order.
    /// `joined` are the byte ranges of spaced-out words (see
    /// [`Normalized::joined`](crate::normalize::Normalized::joined)).
    pub fn find_all(
        &self,
        view: &str,
        tokens: &Tokens,
        joined: &[Range<usize>],
    ) -> Vec<PatternMatch> {
        self.find(view, tokens, None, joined)
    }

    /// Like [`PatternSet::find_all`], with the tokens already looked up in the
    /// [`Vocabulary`] this set was indexed with.
    pub fn find_all_keyed(
        &self,
        view: &str,
        tokens: &Tokens,
        keys: &TokenKeys,
        joined: &[Range<usize>],
    ) -> Vec<PatternMatch> {
        self.find(view, tokens, Some(keys), joined)
    }

    pub(super) fn find(
        &self,
        view: &str,
        tokens: &Tokens,
        keys: Option<&TokenKeys>,
        joined: &[Range<usize>],
    ) -> Vec<PatternMatch> {
        let mut found = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        let text = Text { view, tokens, keys };
        // Every pattern starts with a whole word: only tokens whose word starts a pattern of
        // some set need a look, and there only the patterns listed under the word.
        let by_first_word =
            self.numbered.is_empty() && self.anywhere.is_empty() && self.by_prefix.is_empty();
        // The sentences to walk token by token: none when the tokens that start patterns
        // were enough.
        let mut walked: &[Range<usize>] = &tokens.sentences;
        if let (Some(keys), true) = (keys, by_first_word) {
            for &start in &keys.pattern_starts {
                let start = start as usize;
                let Some(list) = self.by_word_key.get(keys.words[start] as usize) else {
                    continue;
                };
                let sentence_end = tokens.sentence_range(start).end;
                for &index in list {
                    if let Some(end) = self.patterns[index].match_at(text, start, sentence_end) {
                        found.push(PatternMatch {
                            pattern: index,
                            tokens: start..end,
                        });
                    }
                }
            }
            walked = &[];
        }
        for sentence in walked {
            for start in sentence.clone() {
                let numbered =
                    !self.numbered.is_empty() && Atom::Number.matches(tokens.text(view, start));
                if let Some(keys) = keys {
                    if !numbered && self.anywhere.is_empty() && keys.prefixes_of(start).is_empty() {
                        // Most tokens: at most the one list of the word, in pattern order
                        // and without repeats already, so it is not copied.
                        let list = self
                            .by_word_key
                            .get(keys.words[start] as usize)
                            .map_or(&[][..], Vec::as_slice);
                        for &index in list {
                            if let Some(end) =
                                self.patterns[index].match_at(text, start, sentence.end)
                            {
                                found.push(PatternMatch {
                                    pattern: index,
                                    tokens: start..end,
                                });
                            }
                        }
                        continue;
                    }
                }
                match keys {
                    Some(keys) => self.keyed_candidates(keys, start, &mut candidates),
                    None => self.candidates(tokens.text(view, start), &mut candidates),
                }
                if numbered {
                    // Number-led patterns come after the others (several lists: sort).
                    let before = candidates.len();
                    candidates.extend_from_slice(&self.numbered);
                    if before > 0 {
                        candidates.sort_unstable();
                        candidates.dedup();
                    }
                }
                for &index in &candidates {
                    if let Some(end) = self.patterns[index].match_at(text, start, sentence.end) {
                        found.push(PatternMatch {
                            pattern: index,
                            tokens: start..end,
                        });
                    }
                }
            }
        }
        if !joined.is_empty() {
            // Spaced-out words often repeat: match each distinct text once.
            let mut seen: Vec<(&str, Vec<usize>)> = Vec::new();
            for (index, span) in tokens.spans.iter().enumerate() {
                let inside = joined
                    .iter()
                    .any(|j| j.start <= span.start && span.end <= j.end);
                if !inside {
                    continue;
                }
                let word = &view[span.clone()];
                let matching = if let Some((_, matching)) = seen.iter().find(|(w, _)| *w == word) {
                    matching.clone()
                } else {
                    let matching: Vec<usize> = (0..self.patterns.len())
                        .filter(|&p| self.patterns[p].matches_joined(word))
                        .collect();
                    seen.push((word, matching.clone()));
                    matching
                };
                for pattern_index in matching {
                    let already = found
                        .iter()
                        .any(|m| m.pattern == pattern_index && m.tokens.contains(&index));
                    if !already {
                        found.push(PatternMatch {
                            pattern: pattern_index,
                            tokens: index..index + 1,
                        });
                    }
                }
            }
            found.sort_by_key(|m| (m.tokens.start, m.pattern));
        }
        found
    }

    /// [`PatternSet::candidates`] by vocabulary number.
    pub(super) fn keyed_candidates(&self, keys: &TokenKeys, token: usize, out: &mut Vec<usize>) {
        out.clear();
        // Each list is in pattern order already; only several of them need sorting.
        let mut lists = 0;
        if let Some(list) = self.by_word_key.get(keys.words[token] as usize) {
            lists += usize::from(!list.is_empty());
            out.extend_from_slice(list);
        }
        for &key in keys.prefixes_of(token) {
            if let Some(list) = self.by_prefix_key.get(key as usize) {
                lists += usize::from(!list.is_empty());
                out.extend_from_slice(list);
            }
        }
        lists += usize::from(!self.anywhere.is_empty());
        out.extend_from_slice(&self.anywhere);
        if lists > 1 {
            out.sort_unstable();
        }
        out.dedup();
    }

    /// The patterns that may match at a token, in pattern order: those indexed by the
    /// token or by one of its prefixes, and those that can start anywhere.
    pub(super) fn candidates(&self, token: &str, out: &mut Vec<usize>) {
        out.clear();
        if let Some(list) = self.by_word.get(token) {
            out.extend_from_slice(list);
        }
        for &length in &self.prefix_lengths {
            if length > token.len() {
                break;
            }
            if let Some(list) = token.get(..length).and_then(|p| self.by_prefix.get(p)) {
                out.extend_from_slice(list);
            }
        }
        out.extend_from_slice(&self.anywhere);
        if out.len() > 1 {
            out.sort_unstable();
            out.dedup();
        }
    }
}
