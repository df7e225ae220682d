//! Query-time synonyms: health vocabulary as data.
//!
//! Vocabulary: a *rule* is one line of the synonyms file. A rule's *keys* are the terms
//! that trigger it; its *alternatives* are what a key expands to. At query time a word
//! (or a run of unquoted words) that equals a key becomes an OR of itself and the
//! alternatives, multi-word alternatives as phrases. Documents are indexed as written,
//! so editing the file needs no reindex.
//!
//! The file format (a superset of Solr's `synonyms.txt`), one rule per line:
//!
//! ```text
//! # a comment; blank lines are ignored
//! chemo, chemotherapy                  # equivalence: each term finds all the others
//! mets => metastasis, metastatic       # one-way: the left side also finds the right
//! case-sensitive: ALL => acute lymphoblastic leukemia
//! ```
//!
//! Keys and alternatives are compared after analysis (lowercased, folded, stemmed), so
//! `Chemo`, `chemos` and `chemo` are the same key. A `case-sensitive:` rule only fires
//! when the person typed the key exactly as written, which keeps abbreviations that are
//! also English words (`ALL`, `MM`, `IO`) from firing on ordinary text. The original word
//! is always kept: expansion only adds.
//!
//! Spanish and English terms share rules (`quimio, quimioterapia, chemo, chemotherapy`),
//! so a query in one language finds the other's posts. Keys are matched on the English
//! analysis, which every post and query gets; each term is also remembered with its
//! Spanish analysis ([`Synonyms::spanish_of`]) so that an alternative is searched in the
//! Spanish fields too (`quimioterapias` in a Spanish post meets `quimioterapia` there).

use std::collections::HashMap;

use crate::analysis::Analyzer;
use crate::error::Error;

const CASE_SENSITIVE_PREFIX: &str = "case-sensitive:";

/// A parsed synonyms file. Cheap to share behind an `Arc`.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Analysed key terms → alternatives (each a sequence of analysed terms).
    folded: HashMap<Vec<String>, Vec<Vec<String>>>,
    /// Key tokens as typed (case kept) → alternatives.
    cased: HashMap<Vec<String>, Vec<Vec<String>>>,
    /// Every term of the file, by its English analysis → its Spanish analysis (with
    /// positions). Terms that are only Spanish stop words are left out.
    spanish: HashMap<Vec<String>, Vec<(usize, String)>>,
    /// The longest key, in terms: how far a run of query words is scanned.
    max_key_terms: usize,
    rules: usize,
}

impl Synonyms {
    /// No synonyms at all.
    pub fn empty() -> Synonyms {
        Synonyms::default()
    }

    /// Parses the contents of a synonyms file (see the module docs for the format).
    pub fn parse(text: &str) -> Result<Synonyms, Error> {
        let mut analyzer = Analyzer::new();
        let mut synonyms = Synonyms::default();
        for (index, line) in text.lines().enumerate() {
            let line_number = index + 1;
            let fail = |message: &str| Error::Synonyms {
                line: line_number,
                message: message.to_owned(),
            };
            let content = line.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let (case_sensitive, rule) = match content.strip_prefix(CASE_SENSITIVE_PREFIX) {
                Some(rest) => (true, rest.trim()),
                None => (false, content),
            };
            let sides: Vec<&str> = rule.split("=>").collect();
            match sides.as_slice() {
                [group] => {
                    if case_sensitive {
                        return Err(fail("a case-sensitive rule must be one-way (`KEY => ...`)"));
                    }
                    let members = parse_terms(&mut analyzer, group, &fail)?;
                    synonyms.remember_spanish(&members);
                    if members.len() < 2 {
                        return Err(fail("a rule needs at least two terms"));
                    }
                    for member in &members {
                        let others = members
                            .iter()
                            .filter(|other| *other != member)
                            .map(|other| other.terms.clone());
                        synonyms.add(false, member.terms.clone(), others);
                    }
                }
                [left, right] => {
                    let keys = parse_terms(&mut analyzer, left, &fail)?;
                    let alternatives = parse_terms(&mut analyzer, right, &fail)?;
                    synonyms.remember_spanish(&keys);
                    synonyms.remember_spanish(&alternatives);
                    if keys.is_empty() || alternatives.is_empty() {
                        return Err(fail("both sides of `=>` need at least one term"));
                    }
                    for key in keys {
                        let key_terms = if case_sensitive { key.raw } else { key.terms };
                        let alternatives = alternatives.iter().map(|a| a.terms.clone());
                        synonyms.add(case_sensitive, key_terms, alternatives);
                    }
                }
                _ => return Err(fail("a rule has at most one `=>`")),
            }
            synonyms.rules += 1;
        }
        Ok(synonyms)
    }

    /// How many rules (non-comment lines) the file had.
    pub fn rule_count(&self) -> usize {
        self.rules
    }

    /// What a plain sentence mentions, for matching it against names and tags analysed
    /// with [`Synonyms::analysed`]: every run of its words up to the longest key, and
    /// each run's synonyms, as analysed phrases (terms joined by one space). "my husband
    /// has GBM" mentions "husband", "gbm" and "glioblastoma", among others.
    pub fn mentions(&self, text: &str) -> Vec<String> {
        let mut analyzer = Analyzer::new();
        let words: Vec<(Vec<String>, Vec<String>)> = text
            .split_whitespace()
            .map(|word| (analyzer.raw_tokens(word), analyzer.terms(word)))
            .filter(|(_, terms)| !terms.is_empty())
            .collect();
        let mut found: Vec<String> = Vec::new();
        let mut add = |phrase: String| {
            if !found.contains(&phrase) {
                found.push(phrase);
            }
        };
        for start in 0..words.len() {
            let longest = self.max_key_terms.max(1).min(words.len() - start);
            for end in start + 1..=start + longest {
                let run = &words[start..end];
                let raw: Vec<String> = run.iter().flat_map(|(r, _)| r.clone()).collect();
                let terms: Vec<String> = run.iter().flat_map(|(_, t)| t.clone()).collect();
                for alternative in self.alternatives(&raw, &terms) {
                    add(alternative.join(" "));
                }
                add(terms.join(" "));
            }
        }
        found
    }

    /// A name or tag analysed as [`Synonyms::mentions`] analyses sentences.
    pub fn analysed(text: &str) -> String {
        Analyzer::new().terms(text).join(" ")
    }

    /// The longest key, in terms.
    pub(crate) fn max_key_terms(&self) -> usize {
        self.max_key_terms
    }

    /// The alternatives of a key, given both the tokens as typed (for case-sensitive
    /// rules) and the analysed terms. Never contains `terms` itself.
    pub(crate) fn alternatives(&self, raw: &[String], terms: &[String]) -> Vec<Vec<String>> {
        let mut found: Vec<Vec<String>> = Vec::new();
        let hits = [self.cased.get(raw), self.folded.get(terms)];
        for alternative in hits.into_iter().flatten().flatten() {
            if alternative.as_slice() != terms && !found.contains(alternative) {
                found.push(alternative.clone());
            }
        }
        found
    }

    /// The Spanish analysis of a term of the file, given its English analysis (as the
    /// alternatives are returned).
    pub(crate) fn spanish_of(&self, terms: &[String]) -> Option<&[(usize, String)]> {
        self.spanish.get(terms).map(Vec::as_slice)
    }

    fn remember_spanish(&mut self, terms: &[Term]) {
        for term in terms {
            if !term.spanish.is_empty() {
                self.spanish
                    .entry(term.terms.clone())
                    .or_insert_with(|| term.spanish.clone());
            }
        }
    }

    fn add(
        &mut self,
        case_sensitive: bool,
        key: Vec<String>,
        alternatives: impl Iterator<Item = Vec<String>>,
    ) {
        self.max_key_terms = self.max_key_terms.max(key.len());
        let map = if case_sensitive {
            &mut self.cased
        } else {
            &mut self.folded
        };
        let entry = map.entry(key).or_default();
        for alternative in alternatives {
            if !entry.contains(&alternative) {
                entry.push(alternative);
            }
        }
    }
}

/// One term of a rule: its analysed terms and its tokens as written.
#[derive(PartialEq)]
struct Term {
    terms: Vec<String>,
    raw: Vec<String>,
    spanish: Vec<(usize, String)>,
}

fn parse_terms(
    analyzer: &mut Analyzer,
    list: &str,
    fail: &dyn Fn(&str) -> Error,
) -> Result<Vec<Term>, Error> {
    let mut parsed: Vec<Term> = Vec::new();
    for item in list.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(fail(
                "an empty term (two commas in a row, or a trailing comma?)",
            ));
        }
        let terms = analyzer.terms(item);
        if terms.is_empty() {
            return Err(fail(&format!("`{item}` has no letters or digits")));
        }
        let term = Term {
            terms,
            raw: analyzer.raw_tokens(item),
            spanish: analyzer.spanish_terms(item),
        };
        if !parsed.iter().any(|seen| seen.terms == term.terms) {
            parsed.push(term);
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    fn expand(synonyms: &Synonyms, typed: &str) -> Vec<String> {
        let mut analyzer = Analyzer::new();
        let found = synonyms.alternatives(&analyzer.raw_tokens(typed), &analyzer.terms(typed));
        found.into_iter().map(|terms| terms.join(" ")).collect()
    }

    #[test]
    fn a_sentence_mentions_its_words_and_their_synonyms() {
        let synonyms =
            Synonyms::parse("GBM, glioblastoma, grade 4 astrocytoma\nbrain tumor, brain tumour\n")
                .expect("parses");
        let mentions = synonyms.mentions("My husband has GBM and a brain tumor");
        for phrase in ["glioblastoma", "gbm", "brain tumour", "husband"] {
            assert!(
                mentions.contains(&Synonyms::analysed(phrase)),
                "{phrase}: {mentions:?}"
            );
        }
        assert!(!mentions.contains(&Synonyms::analysed("lung")));
    }

    #[test]
    fn equivalence_rules_go_both_ways() {
        let synonyms = Synonyms::parse("NSCLC, non-small cell lung cancer\n").unwrap();
        assert_eq!(expand(&synonyms, "nsclc"), ["non small cell lung cancer"]);
        assert_eq!(expand(&synonyms, "Non-Small Cell Lung Cancers"), ["nsclc"]);
        assert_eq!(synonyms.max_key_terms(), 5);
    }

    #[test]
    fn one_way_rules_do_not_go_back() {
        let synonyms = Synonyms::parse("mets => metastasis, metastatic").unwrap();
        assert_eq!(expand(&synonyms, "mets"), ["metastasi", "metastat"]);
        assert!(expand(&synonyms, "metastasis").is_empty());
    }

    #[test]
    fn case_sensitive_rules_need_the_typed_case() {
        let text = "case-sensitive: ALL => acute lymphoblastic leukemia";
        let synonyms = Synonyms::parse(text).unwrap();
        assert_eq!(expand(&synonyms, "ALL"), ["acut lymphoblast leukemia"]);
        assert!(expand(&synonyms, "all").is_empty());
        assert!(expand(&synonyms, "All").is_empty());
    }

    #[test]
    fn comments_blank_lines_and_merging() {
        let text = "# heading\n\nchemo, chemotherapy # inline\nchemo, chemo therapy\n";
        let synonyms = Synonyms::parse(text).unwrap();
        assert_eq!(synonyms.rule_count(), 2);
        assert_eq!(
            expand(&synonyms, "chemo"),
            ["chemotherapi", "chemo therapi"]
        );
        assert_eq!(
            synonyms.alternatives(&[], &words("nothing")),
            Vec::<Vec<String>>::new()
        );
    }

    #[test]
    fn spanish_and_english_terms_expand_both_ways() {
        let text = "quimio, quimioterapia, chemo, chemotherapy\nCPCNP, NSCLC\nmama => breast\n";
        let synonyms = Synonyms::parse(text).unwrap();
        let mut analyzer = Analyzer::new();
        let analysed = |analyzer: &mut Analyzer, word: &str| analyzer.terms(word).join(" ");
        for typed in ["quimio", "Quimioterapía", "QUIMIOTERAPIA"] {
            let found = expand(&synonyms, typed);
            assert!(found.contains(&"chemo".to_owned()), "{typed}: {found:?}");
        }
        let found = expand(&synonyms, "chemo");
        for spanish in ["quimio", "quimioterapia"] {
            assert!(
                found.contains(&analysed(&mut analyzer, spanish)),
                "{found:?}"
            );
        }
        assert_eq!(expand(&synonyms, "cpcnp"), ["nsclc"]);
        assert_eq!(expand(&synonyms, "NSCLC"), ["cpcnp"]);
        assert_eq!(expand(&synonyms, "mama"), ["breast"]);
        assert!(expand(&synonyms, "breast").is_empty());
        // Each term keeps its Spanish analysis, for the Spanish fields.
        let quimioterapia = analyzer.terms("quimioterapia");
        assert_eq!(
            synonyms.spanish_of(&quimioterapia),
            Some(analyzer.spanish_terms("quimioterapias").as_slice())
        );
    }

    #[test]
    fn malformed_lines_name_the_line() {
        for (text, line) in [
            ("chemo", 1),
            ("ok, fine\nchemo,, chemotherapy", 2),
            ("a => b => c", 1),
            ("\n\n => b", 3),
            ("case-sensitive: ALL, all lymphoma", 1),
            ("chemo, !!!", 1),
        ] {
            match Synonyms::parse(text) {
                Err(Error::Synonyms { line: got, .. }) => assert_eq!(got, line, "{text:?}"),
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }
}
