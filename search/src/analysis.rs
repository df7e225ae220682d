//! Text analysis: how post text and query words become index terms.
//!
//! Vocabulary: an *analyzer* turns text into *tokens*; a token's text is a *term*. The
//! *text analyzer* splits on anything that is not a letter or digit, drops tokens over 40
//! bytes, lowercases, folds accents to ASCII (`tumeur` and `tuméur` meet) and applies the
//! English Snowball stemmer (`scans`, `scanning` → `scan`). Documents and queries go
//! through the same analyzer, so a query word matches every inflection of itself.
//! The *username analyzer* keeps a username whole and lowercases it. The *raw analyzer*
//! only splits, keeping case: it is used to match case-sensitive synonym keys (`ALL`,
//! `MM`) against what the person typed.
//!
//! No English stop words are removed: phrases such as "no evidence of disease" or "pins
//! and needles" must keep every word for phrase queries to line up.
//!
//! The *Spanish analyzer* serves the Spanish fields, which only posts detected as Spanish
//! fill (every post also goes through the text analyzer): split, drop long, lowercase,
//! drop Spanish stop words (`de`, `la`, `que`, …), fold accents (`quimioterapía` and
//! `quimioterapia` meet, `corazón` = `corazon`), then Spanish Snowball stemming
//! (`quimioterapias` → `quimioterap`). Folding comes first so that a misplaced or
//! missing accent stems the same; the cost is that the stemmer's accented suffixes
//! (`-ación`) no longer fire on the singular. Tokens keep
//! the positions they had before stop words were dropped, so a phrase is matched with
//! the gaps where its stop words were ([`Analysed::spanish`] carries the positions).
//!
//! Stemming is the costliest step of indexing, and words follow Zipf's law, so the
//! stemmer is wrapped in a per-thread *stem cache* ([`CachedStemmer`]): the same
//! output as tantivy's `Stemmer`, computed once per distinct word.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
    TokenizerManager,
};

/// Name under which the text analyzer is registered on the index.
pub(crate) const TEXT_ANALYZER: &str = "kindred_text";
/// The Spanish stop-word list, one word a line.
const SPANISH_STOP_WORDS: &str = include_str!("../../seed-data/search/stop-words-es.txt");
/// Name under which the Spanish analyzer is registered on the index.
pub(crate) const SPANISH_ANALYZER: &str = "kindred_spanish";
/// Name under which the username analyzer is registered on the index.
pub(crate) const USERNAME_ANALYZER: &str = "kindred_username";

/// Tokens longer than this many bytes are dropped (base64 blobs, long URLs).
const MAX_TOKEN_BYTES: usize = 40;

/// The analyzer for titles and bodies: split, drop long, lowercase, fold, stem.
pub(crate) fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// The analyzer for the Spanish fields: split, drop long, lowercase, drop stop words,
/// fold, stem.
pub(crate) fn spanish_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(spanish_stop_words()))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::Spanish))
        .build()
}

/// The Spanish stop words (data: `seed-data/search/stop-words-es.txt`), lowercase and
/// with their accents.
fn spanish_stop_words() -> impl Iterator<Item = String> {
    SPANISH_STOP_WORDS
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
}

/// Most distinct words one thread remembers the stems of (about 1 MB); past that, new
/// words are stemmed without being remembered.
const STEM_CACHE_WORDS: usize = 16_384;

thread_local! {
    /// One stem cache per thread, shared by every analyzer running on it: indexing
    /// threads and search threads (query words, snippets) each keep theirs warm.
    static STEMS: RefCell<StemCache> = RefCell::new(StemCache::new());
}

/// English stemming (tantivy's `Stemmer`), remembered per distinct word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub(crate) struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub(crate) struct CachedStemmerStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let word = &mut self.tail.token_mut().text;
        STEMS.with(|cache| match cache.try_borrow_mut() {
            Ok(mut cache) => cache.stem_in_place(word),
            // Unreachable (nothing stems while stemming), but never worth a panic.
            Err(_) => StemCache::new().stem_in_place(word),
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

struct StemCache {
    stems: HashMap<String, String>,
    /// tantivy's stemmer over a whole-input tokenizer: stems one word.
    stemmer: TextAnalyzer,
}

impl StemCache {
    fn new() -> StemCache {
        StemCache {
            stems: HashMap::new(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }

    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            match stream.next() {
                Some(token) => token.text.clone(),
                None => return,
            }
        };
        if self.stems.len() < STEM_CACHE_WORDS {
            self.stems.insert(std::mem::take(word), stem.clone());
        }
        *word = stem;
    }
}

/// The analyzer for usernames: the whole value, lowercased.
pub(crate) fn username_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Every analyzer the schema names, ready to hand to an index.
pub(crate) fn tokenizer_manager() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(TEXT_ANALYZER, text_analyzer());
    manager.register(SPANISH_ANALYZER, spanish_analyzer());
    manager.register(USERNAME_ANALYZER, username_analyzer());
    manager
}

/// A piece of text analysed both ways: the terms of the English (title and body)
/// fields, and the terms of the Spanish fields with their positions. Spanish terms are
/// empty when the text is only Spanish stop words.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Analysed {
    pub(crate) english: Vec<String>,
    /// `(position, term)`, positions counted from the first kept term.
    pub(crate) spanish: Vec<(usize, String)>,
}

/// A reusable analyzer for query-side work (synonym keys, query words).
#[derive(Clone)]
pub(crate) struct Analyzer {
    text: TextAnalyzer,
    spanish: TextAnalyzer,
    raw: TextAnalyzer,
}

impl Analyzer {
    pub(crate) fn new() -> Analyzer {
        Analyzer {
            text: text_analyzer(),
            spanish: spanish_analyzer(),
            raw: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .build(),
        }
    }

    /// The terms `text` is indexed under, in order.
    pub(crate) fn terms(&mut self, text: &str) -> Vec<String> {
        collect(&mut self.text, text)
    }

    /// The terms `text` is indexed under in the Spanish fields, with positions counted
    /// from the first term kept.
    pub(crate) fn spanish_terms(&mut self, text: &str) -> Vec<(usize, String)> {
        let mut stream = self.spanish.token_stream(text);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push((token.position, token.text.clone()));
        }
        let first = terms.first().map_or(0, |(position, _)| *position);
        for (position, _) in &mut terms {
            *position -= first;
        }
        terms
    }

    /// `text` analysed for both the English and the Spanish fields.
    pub(crate) fn both(&mut self, text: &str) -> Analysed {
        Analysed {
            english: self.terms(text),
            spanish: self.spanish_terms(text),
        }
    }

    /// The tokens of `text` as typed (split only, case kept).
    pub(crate) fn raw_tokens(&mut self, text: &str) -> Vec<String> {
        collect(&mut self.raw, text)
    }
}

fn collect(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::Analyzer;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(
            Analyzer::new().terms(input),
            expected,
            "analysing {input:?}"
        );
    }

    #[test]
    fn lowercases_folds_and_stems() {
        check("Scans SCANNING scanned", &["scan", "scan", "scan"]);
        check("Tumeur tuméur", &["tumeur", "tumeur"]);
        check("Non-small cell", &["non", "small", "cell"]);
        check("HER2+ and PD-L1", &["her2", "and", "pd", "l1"]);
        check("pins and needles", &["pin", "and", "needl"]);
        check("...!!!", &[]);
    }

    #[test]
    fn the_cache_stems_like_tantivy() {
        use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
        let text = "Running runners ran; the runner runs, running again. Generously generous \
                    generation cancers cancerous oncologists oncology";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let expected = super::collect(&mut plain, text);
        let mut cached = Analyzer::new();
        // Twice: the second pass is served from the cache.
        assert_eq!(cached.terms(text), expected);
        assert_eq!(cached.terms(text), expected);
    }

    fn spanish(input: &str) -> Vec<String> {
        Analyzer::new()
            .spanish_terms(input)
            .into_iter()
            .map(|(_, term)| term)
            .collect()
    }

    #[test]
    fn spanish_stems_inflections_together() {
        for (a, b) in [
            ("quimioterapia", "quimioterapias"),
            ("tratamiento", "tratamientos"),
            ("secundarios", "secundaria"),
        ] {
            assert_eq!(spanish(a), spanish(b), "{a} / {b}");
            assert_eq!(spanish(a).len(), 1, "{a}");
        }
        assert_ne!(spanish("pulmón"), spanish("pelo"));
    }

    #[test]
    fn spanish_folds_accents_typed_or_not() {
        for (accented, plain) in [
            ("quimioterapía", "quimioterapia"),
            ("Corazón", "corazon"),
            ("METÁSTASIS", "metastasis"),
            ("pulmón", "pulmon"),
            ("cáncer", "cancer"),
        ] {
            assert_eq!(spanish(accented), spanish(plain), "{accented}");
        }
        for term in spanish("Quimioterapía: náuseas, corazón, Señora") {
            assert!(term.is_ascii(), "{term}");
        }
    }

    #[test]
    fn spanish_drops_stop_words_but_keeps_positions() {
        let terms = Analyzer::new().spanish_terms("de la quimio y los efectos de la radio");
        let positions: Vec<usize> = terms.iter().map(|(position, _)| *position).collect();
        assert_eq!(positions, [0, 3, 6], "{terms:?}");
        assert!(spanish("de la que el en y los").is_empty());
        // The English analysis keeps every word.
        assert_eq!(Analyzer::new().terms("de la quimio").len(), 3);
    }

    #[test]
    fn raw_tokens_keep_case() {
        assert_eq!(Analyzer::new().raw_tokens("ALL of MM"), ["ALL", "of", "MM"]);
    }
}
