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
//! No stop words are removed: phrases such as "no evidence of disease" or "pins and
//! needles" must keep every word for phrase queries to line up.
//!
//! Stemming is the costliest step of indexing, and words follow Zipf's law, so the
//! stemmer is wrapped in a per-thread *stem cache* ([`CachedStemmer`]): the same
//! output as tantivy's `Stemmer`, computed once per distinct word.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Name under which the text analyzer is registered on the index.
pub(crate) const TEXT_ANALYZER: &str = "kindred_text";
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
    manager.register(USERNAME_ANALYZER, username_analyzer());
    manager
}

/// A reusable analyzer for query-side work (synonym keys, query words).
#[derive(Clone)]
pub(crate) struct Analyzer {
    text: TextAnalyzer,
    raw: TextAnalyzer,
}

impl Analyzer {
    pub(crate) fn new() -> Analyzer {
        Analyzer {
            text: text_analyzer(),
            raw: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .build(),
        }
    }

    /// The terms `text` is indexed under, in order.
    pub(crate) fn terms(&mut self, text: &str) -> Vec<String> {
        collect(&mut self.text, text)
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

    #[test]
    fn raw_tokens_keep_case() {
        assert_eq!(Analyzer::new().raw_tokens("ALL of MM"), ["ALL", "of", "MM"]);
    }
}
