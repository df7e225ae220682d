//! Lexicons: the words and phrase patterns the rule detectors look for, kept as data in
//! `seed-data/moderation/*.txt` and handed in as text through [`LexiconSources`].
//!
//! # File format
//!
//! Every lexicon file is a list of `[sections]`, one entry per line; `#` starts a comment.
//! Which sections a file has is listed in its header comment. An entry is either a plain
//! word or value, or a *phrase pattern*, optionally followed by `= weight` (in `[0, 1]`):
//!
//! ```text
//! [phrases]
//! dm|pm|message me ~2 for price* = 0.8
//! ```
//!
//! A pattern is a sequence of space-separated steps matched against the tokens of one
//! sentence of the normalized text:
//!
//! | step | matches |
//! |---|---|
//! | `word` | exactly that token (`don't` is one token) |
//! | `a\|b\|c` | any of the alternatives |
//! | `do_not` | several tokens in a row, as one alternative (`don't\|do_not`) |
//! | `cur*` | a token starting with `cur` |
//! | `*` | any one token |
//! | `<num>` | a token containing a digit |
//! | `word?` | the step, or nothing |
//! | `~3` | zero to three tokens of anything |

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::text::Tokens;
use crate::Error;

/// FNV-1a: a fast, deterministic hasher for the short words of the lexicons.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A hash set of words using [`Fnv`].
pub type WordSet = HashSet<Box<str>, BuildHasherDefault<Fnv>>;
/// A hash map from words using [`Fnv`].
pub type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<Fnv>>;

/// The text of every lexicon file, as the caller read (or `include_str!`-ed) it.
#[derive(Debug, Clone, Copy)]
pub struct LexiconSources<'a> {
    /// `promotion.txt`: sales phrases, promo-code cues, link signals.
    pub promotion: &'a str,
    /// `misinformation.txt`: remedies, efficacy claims, stand-alone claims.
    pub misinformation: &'a str,
    /// `personal-info.txt`: cues for birth dates, ids, addresses, names and diagnoses.
    pub personal_info: &'a str,
    /// `stance.txt`: questions, negation, hedging, reported speech, debunking.
    pub stance: &'a str,
    /// `allow-list.txt`: helpline numbers and trusted domains that are never flagged.
    pub allow_list: &'a str,
}

/// One step of a pattern.
/// One alternative of a step. Words carry their [`Vocabulary`] number once the set is
/// indexed (`NO_KEY` before), so matching compares numbers instead of strings.
#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Word(Box<str>, u32),
    Words(Vec<Box<str>>, Vec<u32>),
    Prefix(Box<str>),
    Any,
    Number,
}

/// The text a pattern is matched against.
#[derive(Clone, Copy)]
struct Text<'a> {
    view: &'a str,
    tokens: &'a Tokens,
    /// Vocabulary numbers of the tokens, when the set was indexed with the same vocabulary.
    keys: Option<&'a TokenKeys>,
}

impl Text<'_> {
    fn word_is(&self, at: usize, word: &str, key: u32) -> bool {
        match self.keys {
            Some(keys) if key != NO_KEY => keys.words[at] == key,
            _ => self.tokens.text(self.view, at) == word,
        }
    }
}

impl Atom {
    /// Whether the atom matches the single token `token` (a multi-word atom never does).
    fn matches(&self, token: &str) -> bool {
        match self {
            Atom::Word(word, _) => token == &**word,
            Atom::Words(..) => false,
            Atom::Prefix(prefix) => token.starts_with(&**prefix),
            Atom::Any => true,
            Atom::Number => token.bytes().any(|b| b.is_ascii_digit()),
        }
    }

    /// How many tokens the atom matches at token `at` (before `limit`), if it matches.
    fn match_len(&self, text: Text<'_>, at: usize, limit: usize) -> Option<usize> {
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
    fn spelled(&self) -> Option<Cow<'_, str>> {
        match self {
            Atom::Word(word, _) | Atom::Prefix(word) => Some(Cow::Borrowed(word)),
            Atom::Words(words, _) => Some(Cow::Owned(words.concat())),
            Atom::Any | Atom::Number => None,
        }
    }

    /// Every whole word of the atom.
    fn words(&self) -> &[Box<str>] {
        match self {
            Atom::Word(word, _) => std::slice::from_ref(word),
            Atom::Words(words, _) => words,
            _ => &[],
        }
    }

    /// Numbers the atom's words after `vocabulary`.
    fn number(&mut self, vocabulary: &Vocabulary) {
        let key = |word: &str| vocabulary.words.get(word).copied().unwrap_or(NO_KEY);
        match self {
            Atom::Word(word, k) => *k = key(word),
            Atom::Words(words, keys) => *keys = words.iter().map(|w| key(w)).collect(),
            _ => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Element {
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
    source: Box<str>,
    elements: Vec<Element>,
    weight: f32,
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
    fn match_at(&self, text: Text<'_>, start: usize, limit: usize) -> Option<usize> {
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
    fn matches_joined(&self, joined: &str) -> bool {
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
fn find_short(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

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
    patterns: Vec<Pattern>,
    by_word: WordMap<Vec<usize>>,
    by_prefix: WordMap<Vec<usize>>,
    /// Distinct byte lengths of the prefixes in `by_prefix`, ascending.
    prefix_lengths: Vec<usize>,
    /// Patterns that start with a number (`<num> off`): candidates only at tokens with a
    /// digit.
    numbered: Vec<usize>,
    anywhere: Vec<usize>,
    /// `by_word` and `by_prefix` by [`Vocabulary`] number (see [`PatternSet::index_with`]).
    by_word_key: Vec<Vec<usize>>,
    by_prefix_key: Vec<Vec<usize>>,
}

/// No vocabulary number.
const NO_KEY: u32 = u32::MAX;

/// Every first word and prefix that some pattern set is indexed by, numbered. A text's
/// tokens are looked up here once ([`Vocabulary::keys`]); every set then finds its
/// candidate patterns by number instead of hashing each token again.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: WordMap<u32>,
    /// By word number: whether the word is the first word of a pattern of some set.
    first_words: Vec<bool>,
    prefixes: WordMap<u32>,
    prefix_lengths: Vec<usize>,
}

/// The [`Vocabulary`] numbers of a text's tokens.
#[derive(Debug, Clone, Default)]
pub struct TokenKeys {
    /// Per token: its word number, or `NO_KEY`.
    words: Vec<u32>,
    /// Per token: where its prefix numbers start in `prefixes` (one more entry at the end).
    prefix_starts: Vec<u32>,
    prefixes: Vec<u32>,
    /// The tokens whose word is the first word of a pattern of some set, in order: the
    /// only places where a set without number-led, prefix-led or anywhere patterns can
    /// match.
    pattern_starts: Vec<u32>,
}

impl Vocabulary {
    fn add(&mut self, set: &PatternSet) {
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
    fn prefixes_of(&self, token: usize) -> &[u32] {
        let start = self.prefix_starts[token] as usize;
        let end = self.prefix_starts[token + 1] as usize;
        &self.prefixes[start..end]
    }
}

impl PatternSet {
    fn push(&mut self, pattern: Pattern) {
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
                            self.by_word.entry(word.clone()).or_default().push(index)
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
                                .push(index)
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

    fn find(
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
                let matching = match seen.iter().find(|(w, _)| *w == word) {
                    Some((_, matching)) => matching.clone(),
                    None => {
                        let matching: Vec<usize> = (0..self.patterns.len())
                            .filter(|&p| self.patterns[p].matches_joined(word))
                            .collect();
                        seen.push((word, matching.clone()));
                        matching
                    }
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
    fn keyed_candidates(&self, keys: &TokenKeys, token: usize, out: &mut Vec<usize>) {
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
    fn candidates(&self, token: &str, out: &mut Vec<usize>) {
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

/// A lexicon file split into sections.
struct Sections<'a> {
    file: &'static str,
    /// (section, line number, entry)
    entries: Vec<(&'a str, usize, &'a str)>,
}

impl<'a> Sections<'a> {
    fn parse(file: &'static str, text: &'a str, known: &[&str]) -> Result<Sections<'a>, Error> {
        let mut section: Option<&'a str> = None;
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let error = |message: String| Error::Lexicon {
                file,
                line: index + 1,
                message,
            };
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                if !known.contains(&name) {
                    return Err(error(format!(
                        "unknown section [{name}]; expected one of {}",
                        known.join(", ")
                    )));
                }
                section = Some(name);
                continue;
            }
            let Some(current) = section else {
                return Err(error("entry before the first [section]".to_string()));
            };
            entries.push((current, index + 1, line));
        }
        Ok(Sections { file, entries })
    }

    fn entries(&self, section: &str) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        let section = section.to_string();
        self.entries
            .iter()
            .filter(move |(name, _, _)| *name == section)
            .map(|&(_, line, entry)| (line, entry))
    }

    fn error(&self, line: usize, message: String) -> Error {
        Error::Lexicon {
            file: self.file,
            line,
            message,
        }
    }

    /// A section of patterns, each with an optional `= weight`.
    fn patterns(&self, section: &str, default_weight: f32) -> Result<PatternSet, Error> {
        let mut set = PatternSet::default();
        for (line, entry) in self.entries(section) {
            let (source, weight) = match entry.rsplit_once('=') {
                Some((source, weight)) => {
                    let weight: f32 = weight.trim().parse().map_err(|_| {
                        self.error(line, format!("weight `{}` is not a number", weight.trim()))
                    })?;
                    if !(0.0..=1.0).contains(&weight) {
                        return Err(self.error(line, format!("weight {weight} is not in [0, 1]")));
                    }
                    (source.trim(), weight)
                }
                None => (entry, default_weight),
            };
            let pattern =
                Pattern::parse(source, weight).map_err(|message| self.error(line, message))?;
            set.push(pattern);
        }
        Ok(set)
    }

    /// A section of plain words (several per line allowed), lower-cased.
    fn words(&self, section: &str) -> WordSet {
        self.entries(section)
            .flat_map(|(_, entry)| entry.split_whitespace())
            .map(|word| word.to_lowercase().into())
            .collect()
    }

    /// A section of plain words (several per line allowed) in order, lower-cased.
    fn word_list(&self, section: &str) -> Vec<Box<str>> {
        self.entries(section)
            .flat_map(|(_, entry)| entry.split_whitespace())
            .map(|word| word.to_lowercase().into())
            .collect()
    }
}

/// Promotion lexicon (`promotion.txt`).
#[derive(Debug, Clone, Default)]
pub struct PromotionLexicon {
    /// `[phrases]`: sales and solicitation phrases, weighted.
    pub phrases: PatternSet,
    /// `[code-cues]`: phrases after which a token like `SAVE20` is a promo code.
    pub code_cues: PatternSet,
    /// `[shop-link-words]`: words in a link's host or path that suggest a shop.
    pub shop_link_words: Vec<Box<str>>,
    /// `[affiliate-params]`: query parameter names that pay the poster.
    pub affiliate_params: Vec<Box<str>>,
    /// `[contact-apps]`: messaging apps and their link hosts.
    pub contact_apps: Vec<Box<str>>,
    /// `[fundraising-hosts]`: crowdfunding and payment link hosts.
    pub fundraising_hosts: Vec<Box<str>>,
}

/// Misinformation lexicon (`misinformation.txt`).
#[derive(Debug, Clone, Default)]
pub struct MisinformationLexicon {
    /// `[remedies]`: unproven treatments sold as cures.
    pub remedies: PatternSet,
    /// `[efficacy]`: words that claim a treatment works (`cures`, `shrinks tumors`).
    pub efficacy: PatternSet,
    /// `[claims]`: stand-alone false claims (`biopsies spread cancer`).
    pub claims: PatternSet,
    /// `[endorsement]`: the writer vouching for or acting on a claim (`living proof`,
    /// `we said no to the chemo`). Not a claim on its own: a signal for the classifier.
    pub endorsement: PatternSet,
}

/// Stance lexicon (`stance.txt`): how a sentence relates to the claims in it.
#[derive(Debug, Clone, Default)]
pub struct StanceLexicon {
    /// `[question]`: asking rather than telling.
    pub question: PatternSet,
    /// `[negation]`: denying.
    pub negation: PatternSet,
    /// `[hedging]`: unsure.
    pub hedging: PatternSet,
    /// `[reported]`: someone else's words.
    pub reported: PatternSet,
    /// `[debunking]`: warning against or refuting.
    pub debunking: PatternSet,
    /// `[follow-up]`: a question that asks whether the sentence before it is true ("Just
    /// read that X. Is there any truth in this?").
    pub follow_up: PatternSet,
}

/// Personal-information lexicon (`personal-info.txt`).
#[derive(Debug, Clone, Default)]
pub struct PersonalInfoLexicon {
    /// `[birth-date-cues]`: `dob`, `date of birth`, `born on`.
    pub birth_date_cues: PatternSet,
    /// `[ssn-cues]`: social security / national insurance number cues.
    pub ssn_cues: PatternSet,
    /// `[record-cues]`: medical record, insurance member, policy number cues.
    pub record_cues: PatternSet,
    /// `[contact-cues]`: `call me`, `text me`, `my number`.
    pub contact_cues: PatternSet,
    /// `[address-cues]`: `live at`, `stay with us at`, `send it to`.
    pub address_cues: PatternSet,
    /// `[street-types]`: `street`, `st`, `avenue`, `row`.
    pub street_types: WordSet,
    /// `[months]`: month names and abbreviations, in order (`january jan`, …).
    pub months: WordMap<u8>,
    /// `[diagnoses]`: diagnosis words.
    pub diagnoses: PatternSet,
    /// `[first-names]`: common given names.
    pub first_names: WordSet,
    /// `[relation-cues]`: words before a person's name (`my neighbor`, `named`).
    pub relation_cues: PatternSet,
    /// `[not-names]`: capitalized words that are not surnames (`Cancer`, `Clinic`).
    pub not_names: WordSet,
    /// `[webmail]`: e-mail providers (`gmail`), for `jane at gmail.com`.
    pub webmail: WordSet,
    /// `[top-level-domains]`: endings that make `word.tld` a link.
    pub top_level_domains: WordSet,
}

/// A helpline number that may always be posted.
#[derive(Debug, Clone, PartialEq)]
pub struct Helpline {
    /// Digits only, national form (a leading `1` country code dropped).
    pub digits: String,
    /// Who answers it.
    pub name: String,
}

/// A range of numbers that only organisations have: toll-free and freephone numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct TollFreeRange {
    /// First digits of the number in national form.
    pub prefix: String,
    /// How many digits the whole number has, in national form.
    pub lengths: std::ops::RangeInclusive<usize>,
    /// What the range is.
    pub name: String,
}

/// Allow-list (`allow-list.txt`).
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    /// `[helplines]`: `number | name`.
    pub helplines: Vec<Helpline>,
    /// `[toll-free]`: `prefix | digits (or min-max) | name`.
    pub toll_free: Vec<TollFreeRange>,
    /// `[domains]`: trusted hosts; a host matches when it is the domain or a subdomain.
    pub domains: Vec<Box<str>>,
}

impl AllowList {
    /// The helpline whose number is `digits` (any formatting), if any.
    pub fn helpline(&self, digits: &str) -> Option<&Helpline> {
        let national = national_digits(digits);
        self.helplines.iter().find(|h| h.digits == national)
    }

    /// The toll-free range `digits` (any formatting) belongs to, if any.
    pub fn toll_free(&self, digits: &str) -> Option<&TollFreeRange> {
        let national = national_digits(digits);
        self.toll_free.iter().find(|range| {
            national.starts_with(&range.prefix) && range.lengths.contains(&national.len())
        })
    }

    /// Whether `host` is a trusted domain or a subdomain of one.
    pub fn trusts_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.domains.iter().any(|domain| {
            host == &**domain
                || (host.ends_with(&**domain) && host[..host.len() - domain.len()].ends_with('.'))
                || (domain.starts_with('.') && host.ends_with(&**domain))
        })
    }
}

/// Digits of a phone number in national form: non-digits removed, a leading NANP `1`
/// dropped from 11-digit numbers, letters mapped to keypad digits (`1-800-4-CANCER`).
pub fn national_digits(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            d @ '0'..='9' => Some(d),
            'a'..='c' => Some('2'),
            'd'..='f' => Some('3'),
            'g'..='i' => Some('4'),
            'j'..='l' => Some('5'),
            'm'..='o' => Some('6'),
            'p'..='s' => Some('7'),
            't'..='v' => Some('8'),
            'w'..='z' => Some('9'),
            _ => None,
        })
        .collect();
    match digits.strip_prefix('1') {
        Some(rest) if digits.len() == 11 => rest.to_string(),
        _ => digits,
    }
}

/// Every lexicon, parsed. Built once with [`Lexicons::parse`] and shared.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    /// The first words and prefixes of every pattern set, numbered.
    pub vocabulary: Vocabulary,
    /// From `promotion.txt`.
    pub promotion: PromotionLexicon,
    /// From `misinformation.txt`.
    pub misinformation: MisinformationLexicon,
    /// From `personal-info.txt`.
    pub personal_info: PersonalInfoLexicon,
    /// From `stance.txt`.
    pub stance: StanceLexicon,
    /// From `allow-list.txt`.
    pub allow: AllowList,
}

impl Lexicons {
    /// Parses every lexicon file.
    pub fn parse(sources: LexiconSources<'_>) -> Result<Lexicons, Error> {
        let promotion = Sections::parse(
            "promotion",
            sources.promotion,
            &[
                "phrases",
                "code-cues",
                "shop-link-words",
                "affiliate-params",
                "contact-apps",
                "fundraising-hosts",
            ],
        )?;
        let misinformation = Sections::parse(
            "misinformation",
            sources.misinformation,
            &["remedies", "efficacy", "claims", "endorsement"],
        )?;
        let personal = Sections::parse(
            "personal_info",
            sources.personal_info,
            &[
                "birth-date-cues",
                "ssn-cues",
                "record-cues",
                "contact-cues",
                "address-cues",
                "street-types",
                "months",
                "diagnoses",
                "first-names",
                "relation-cues",
                "not-names",
                "webmail",
                "top-level-domains",
            ],
        )?;
        let stance = Sections::parse(
            "stance",
            sources.stance,
            &[
                "question",
                "negation",
                "hedging",
                "reported",
                "debunking",
                "follow-up",
            ],
        )?;
        let allow = Sections::parse(
            "allow_list",
            sources.allow_list,
            &["helplines", "toll-free", "domains"],
        )?;

        let mut months = WordMap::default();
        for (number, (_, entry)) in personal.entries("months").enumerate() {
            for name in entry.split_whitespace() {
                months.insert(name.to_lowercase().into(), (number + 1) as u8);
            }
        }
        let mut helplines = Vec::new();
        for (line, entry) in allow.entries("helplines") {
            let (number, name) = entry.split_once('|').unwrap_or((entry, ""));
            let number = number.trim();
            let digits = national_digits(number);
            if digits.len() < 3 {
                return Err(allow.error(line, format!("`{number}` is not a phone number")));
            }
            helplines.push(Helpline {
                digits,
                name: name.trim().to_string(),
            });
        }
        let mut toll_free = Vec::new();
        for (line, entry) in allow.entries("toll-free") {
            let mut parts = entry.splitn(3, '|').map(str::trim);
            let (Some(prefix), Some(lengths), name) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(allow.error(line, "expected `prefix | digits | name`".to_string()));
            };
            let (low, high) = lengths.split_once('-').unwrap_or((lengths, lengths));
            let (Ok(low), Ok(high)) = (low.trim().parse::<usize>(), high.trim().parse::<usize>())
            else {
                return Err(allow.error(line, format!("`{lengths}` is not a digit count")));
            };
            if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) || low > high {
                return Err(allow.error(line, format!("`{prefix} | {lengths}` is not a range")));
            }
            toll_free.push(TollFreeRange {
                prefix: prefix.to_string(),
                lengths: low..=high,
                name: name.unwrap_or("").to_string(),
            });
        }
        let mut lexicons = Lexicons {
            vocabulary: Vocabulary::default(),
            promotion: PromotionLexicon {
                phrases: promotion.patterns("phrases", 0.6)?,
                code_cues: promotion.patterns("code-cues", 0.85)?,
                shop_link_words: promotion.word_list("shop-link-words"),
                affiliate_params: promotion.word_list("affiliate-params"),
                contact_apps: promotion.word_list("contact-apps"),
                fundraising_hosts: promotion.word_list("fundraising-hosts"),
            },
            misinformation: MisinformationLexicon {
                remedies: misinformation.patterns("remedies", 0.8)?,
                efficacy: misinformation.patterns("efficacy", 1.0)?,
                claims: misinformation.patterns("claims", 0.8)?,
                endorsement: misinformation.patterns("endorsement", 1.0)?,
            },
            personal_info: PersonalInfoLexicon {
                birth_date_cues: personal.patterns("birth-date-cues", 0.9)?,
                ssn_cues: personal.patterns("ssn-cues", 0.95)?,
                record_cues: personal.patterns("record-cues", 0.9)?,
                contact_cues: personal.patterns("contact-cues", 1.0)?,
                address_cues: personal.patterns("address-cues", 1.0)?,
                street_types: personal.words("street-types"),
                months,
                diagnoses: personal.patterns("diagnoses", 1.0)?,
                first_names: personal.words("first-names"),
                relation_cues: personal.patterns("relation-cues", 1.0)?,
                not_names: personal.words("not-names"),
                webmail: personal.words("webmail"),
                top_level_domains: personal.words("top-level-domains"),
            },
            stance: StanceLexicon {
                question: stance.patterns("question", 1.0)?,
                negation: stance.patterns("negation", 1.0)?,
                hedging: stance.patterns("hedging", 1.0)?,
                reported: stance.patterns("reported", 1.0)?,
                debunking: stance.patterns("debunking", 1.0)?,
                follow_up: stance.patterns("follow-up", 1.0)?,
            },
            allow: AllowList {
                helplines,
                toll_free,
                domains: allow.word_list("domains"),
            },
        };
        lexicons.index();
        Ok(lexicons)
    }

    fn sets_mut(&mut self) -> [&mut PatternSet; 19] {
        [
            &mut self.promotion.phrases,
            &mut self.promotion.code_cues,
            &mut self.misinformation.remedies,
            &mut self.misinformation.efficacy,
            &mut self.misinformation.claims,
            &mut self.misinformation.endorsement,
            &mut self.personal_info.birth_date_cues,
            &mut self.personal_info.ssn_cues,
            &mut self.personal_info.record_cues,
            &mut self.personal_info.contact_cues,
            &mut self.personal_info.address_cues,
            &mut self.personal_info.diagnoses,
            &mut self.personal_info.relation_cues,
            &mut self.stance.question,
            &mut self.stance.negation,
            &mut self.stance.hedging,
            &mut self.stance.reported,
            &mut self.stance.debunking,
            &mut self.stance.follow_up,
        ]
    }

    /// Builds the vocabulary of every set and numbers each set's index after it.
    fn index(&mut self) {
        let mut vocabulary = Vocabulary::default();
        for set in self.sets_mut() {
            vocabulary.add(set);
        }
        for set in self.sets_mut() {
            set.index_with(&vocabulary);
        }
        self.vocabulary = vocabulary;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let mut set = PatternSet::default();
        set.push(Pattern::parse(pattern, 1.0).unwrap_or_else(|e| panic!("{e}")));
        let tokens = Tokens::new(text);
        set.find_all(text, &tokens, &[])
            .into_iter()
            .map(|m| text[tokens.byte_range(m.tokens)].to_string())
            .collect()
    }

    #[test]
    fn matches_words_alternatives_prefixes_and_gaps() {
        assert_eq!(
            matches("dm|pm me", "just dm me or pm me"),
            ["dm me", "pm me"]
        );
        assert_eq!(
            matches("baking soda ~3 cur*", "baking soda really cured it"),
            ["baking soda really cured"]
        );
        assert_eq!(
            matches("baking soda ~1 cur*", "baking soda really truly cured it"),
            Vec::<String>::new()
        );
        assert_eq!(
            matches("use promo? code", "use code x, use promo code y"),
            ["use code", "use promo code"]
        );
        assert_eq!(
            matches("call me at <num>", "call me at 555"),
            ["call me at 555"]
        );
        assert_eq!(
            matches("don't|dont * chemo", "don't do chemo"),
            ["don't do chemo"]
        );
        assert_eq!(
            matches("don't|do_not stop", "do not stop, don't stop"),
            ["do not stop", "don't stop"]
        );
    }

    #[test]
    fn does_not_match_across_sentences() {
        assert_eq!(
            matches("sugar ~2 feeds", "no sugar. feeds are fine"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(Pattern::parse("~2 cure", 1.0).is_err());
        assert!(Pattern::parse("cure ~x", 1.0).is_err());
        assert!(Pattern::parse("a||b", 1.0).is_err());
        assert!(Pattern::parse("word?", 1.0).is_err());
        assert!(Pattern::parse("e-mail", 1.0).is_err());
    }

    #[test]
    fn matches_spaced_out_words() {
        let pattern = Pattern::parse("chemo ~2 poison", 1.0).unwrap_or_else(|e| panic!("{e}"));
        assert!(pattern.matches_joined("chemoispoison"));
        assert!(!pattern.matches_joined("poisonchemo"));
    }

    #[test]
    fn reports_the_line_of_a_bad_entry() {
        let sources = LexiconSources {
            promotion: "[phrases]\nbuy now = 2\n",
            misinformation: "",
            personal_info: "",
            stance: "",
            allow_list: "",
        };
        let error = Lexicons::parse(sources).err();
        assert!(
            matches!(
                error,
                Some(Error::Lexicon {
                    file: "promotion",
                    line: 2,
                    ..
                })
            ),
            "{error:?}"
        );
        let sources = LexiconSources {
            promotion: "[nope]\n",
            ..sources
        };
        assert!(Lexicons::parse(sources).is_err());
    }

    #[test]
    fn normalizes_helpline_numbers_and_trusts_subdomains() {
        assert_eq!(national_digits("1-800-4-CANCER"), "8004226237");
        assert_eq!(national_digits("+1 (800) 227-2345"), "8002272345");
        let allow = AllowList {
            helplines: vec![],
            toll_free: vec![TollFreeRange {
                prefix: "0808".to_string(),
                lengths: 10..=11,
                name: "UK freephone".to_string(),
            }],
            domains: vec!["nih.gov".into(), ".edu".into()],
        };
        assert!(allow.toll_free("0808 2080 888").is_some());
        assert!(allow.toll_free("0808 20").is_none());
        assert!(allow.toll_free("07700 900261").is_none());
        assert!(allow.trusts_host("pubmed.ncbi.nlm.nih.gov"));
        assert!(allow.trusts_host("nih.gov"));
        assert!(!allow.trusts_host("notnih.gov"));
        assert!(allow.trusts_host("cancer.ucsf.edu"));
    }
}
