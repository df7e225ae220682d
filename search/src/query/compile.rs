//! Compiling: a [`ParsedQuery`], the synonyms and the viewer's [`Visibility`] → one
//! tantivy query, with visibility as a fast-field clause of that same query.

use std::collections::Bound;
use std::sync::Arc;

use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, SegmentReader, Term};

use crate::analysis::{Analysed, Analyzer};
use crate::columns::{values_by_doc, IdSet};
use crate::error::Error;
use crate::language::TextLanguage;
use crate::lazy_union::LazyUnion;
use crate::schema::{Fields, COMMUNITY_ID, STATUS};
use crate::synonyms::Synonyms;
use crate::PostStatus;

use super::{Clause, ParsedQuery, Resolution, Visibility, TITLE_BOOST};

/// The parts of a search that compilation turns into one tantivy query.
pub(crate) struct CompileInput<'a> {
    pub(crate) fields: &'a Fields,
    pub(crate) synonyms: &'a Synonyms,
    pub(crate) visibility: &'a Visibility,
    pub(crate) include_hidden: bool,
    /// Some post of the index has Spanish terms; without any, the Spanish fields are
    /// left out of the query.
    pub(crate) spanish_indexed: bool,
}

/// A compiled search: the query to run and the positive text part to highlight with.
pub(crate) struct Compiled {
    pub(crate) query: Box<dyn Query>,
    pub(crate) highlight: Option<Box<dyn Query>>,
    /// The same search split for top-k pruning, when its shape allows it.
    pub(crate) split: Option<SplitQuery>,
}

/// A search whose only scored part is one flat union of term queries (a word and its
/// one-word synonyms, in titles and bodies), and everything else — visibility, filters,
/// exclusions — restricts without scoring. tantivy can run such a union with Block-WAND,
/// skipping blocks of postings that cannot reach the page being filled.
pub(crate) struct SplitQuery {
    pub(crate) scored: Box<dyn Query>,
    pub(crate) filter: Box<dyn Query>,
}

/// A required part of a query: any of its parts matches (one part: that part).
struct Unit {
    parts: Vec<Box<dyn Query>>,
    /// Every part is a plain term query.
    term_union: bool,
}

impl Unit {
    /// The query matching any part. A union with phrases among its parts is a
    /// [`LazyUnion`] when other required units make it one side of an intersection,
    /// where it is asked about the other side's candidates only; a unit searched `alone`
    /// leads its search, and tantivy's union walks all its parts faster than a
    /// `LazyUnion` settling document by document.
    fn query(&self, alone: bool) -> Box<dyn Query> {
        let parts = || self.parts.iter().map(|part| part.box_clone()).collect();
        match self.parts.as_slice() {
            [] => empty(),
            [part] => part.box_clone(),
            _ if self.term_union || alone => Box::new(BooleanQuery::union(parts())),
            _ => Box::new(LazyUnion::new(parts())),
        }
    }
}

impl ParsedQuery {
    pub(crate) fn compile(&self, input: &CompileInput<'_>) -> Result<Compiled, Error> {
        let mut compiler = Compiler {
            fields: input.fields,
            synonyms: input.synonyms,
            analyzer: Analyzer::new(),
            query: self,
            spanish_query: None,
            spanish_indexed: input.spanish_indexed,
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let units: Vec<Unit> = self
            .include
            .iter()
            .flat_map(|clause| compiler.include(clause))
            .collect();
        if !self.include.is_empty() && units.is_empty() {
            return Err(Error::NothingSearchable);
        }
        for clause in &self.exclude {
            if let Some(excluded) = compiler.exclude(clause) {
                clauses.push((Occur::MustNot, excluded));
            }
        }
        clauses.push((Occur::Must, filter(self.visibility_query(input)?)));
        let author_terms = |names: &[String]| -> Vec<Term> {
            let author = input.fields.author;
            names
                .iter()
                .map(|name| Term::from_field_text(author, name))
                .collect()
        };
        if !self.authors.is_empty() {
            let authors = TermSetQuery::new(author_terms(&self.authors));
            clauses.push((Occur::Must, filter(Box::new(authors))));
        }
        if !self.excluded_authors.is_empty() {
            let authors = TermSetQuery::new(author_terms(&self.excluded_authors));
            clauses.push((Occur::MustNot, Box::new(authors)));
        }
        if self.after.is_some() || self.before.is_some() {
            clauses.push((
                Occur::Must,
                filter(self.date_query(input.fields.created_at)),
            ));
        }
        let alone = units.len() == 1;
        let split = match units.as_slice() {
            [unit] if unit.term_union && !self.narrows() => Some(SplitQuery {
                scored: unit.query(alone),
                filter: Box::new(BooleanQuery::new(
                    clauses
                        .iter()
                        .map(|(occur, query)| (*occur, query.box_clone()))
                        .collect(),
                )),
            }),
            _ => None,
        };
        let positives: Vec<Box<dyn Query>> = units.iter().map(|unit| unit.query(alone)).collect();
        let highlight = match positives.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::union(
                positives.iter().map(|query| query.box_clone()).collect(),
            )) as Box<dyn Query>),
        };
        clauses.extend(positives.into_iter().map(|query| (Occur::Must, query)));
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            highlight,
            split,
        })
    }

    /// Whether the words and phrases searched for read as Spanish.
    fn is_spanish(&self) -> bool {
        let text: Vec<&str> = self
            .include
            .iter()
            .flat_map(|clause| match clause {
                Clause::Words(words) => words.iter().map(String::as_str).collect(),
                Clause::Phrase(phrase) => vec![phrase.as_str()],
            })
            .collect();
        TextLanguage::detect(&text.join(" ")) == TextLanguage::Spanish
    }

    /// Whether a filter keeps only part of the visible posts. Pruning then loses: few of
    /// the scored matches pass, so the page fills late and little can be skipped.
    fn narrows(&self) -> bool {
        self.communities.iter().any(|filter| !filter.excluded)
            || !self.authors.is_empty()
            || self.after.is_some()
            || self.before.is_some()
    }

    /// Community and status, as one predicate on fast fields: a document is visible if
    /// its community is readable (and selected by `community:` filters), and it is
    /// published or the viewer moderates its community and asked for hidden posts.
    fn visibility_query(&self, input: &CompileInput<'_>) -> Result<Box<dyn Query>, Error> {
        let mut allowed: Vec<i64> = input.visibility.readable.clone();
        allowed.sort_unstable();
        allowed.dedup();
        let mut selected: Option<Vec<i64>> = None;
        for filter in &self.communities {
            let id = match filter.resolved {
                Resolution::Pending => {
                    return Err(Error::UnresolvedCommunity {
                        slug: filter.slug.clone(),
                    })
                }
                Resolution::Unknown => None,
                Resolution::Id(id) => Some(id),
            };
            if filter.excluded {
                if let Some(id) = id {
                    allowed.retain(|&community| community != id);
                }
            } else {
                selected.get_or_insert_with(Vec::new).extend(id);
            }
        }
        if let Some(selected) = selected {
            allowed.retain(|community| selected.contains(community));
        }
        if allowed.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        let mut hidden_ok: Vec<i64> = Vec::new();
        if input.include_hidden {
            hidden_ok.clone_from(&input.visibility.moderated);
            hidden_ok.retain(|community| allowed.binary_search(community).is_ok());
        }
        let allowed = Arc::new(IdSet::new(allowed));
        let hidden_ok = Arc::new(IdSet::new(hidden_ok));
        let published = PostStatus::Published.code();
        let predicate = FunctionPredicate::from(move |segment: &SegmentReader| {
            let fast = segment.fast_fields();
            let community = values_by_doc(fast.i64(COMMUNITY_ID)?, i64::MIN);
            let status = values_by_doc(fast.u64(STATUS)?, u64::MAX);
            let allowed = Arc::clone(&allowed);
            let hidden_ok = Arc::clone(&hidden_ok);
            Ok(move |doc: DocId| {
                let id = community.get_val(doc);
                allowed.contains(id) && (status.get_val(doc) == published || hidden_ok.contains(id))
            })
        });
        Ok(Box::new(DocPredicateQuery::from(predicate)))
    }

    fn date_query(&self, created_at: Field) -> Box<dyn Query> {
        if let (Some(after), Some(before)) = (self.after, self.before) {
            if after >= before {
                return Box::new(EmptyQuery);
            }
        }
        let bound = |value: Option<i64>, included: bool| match value {
            None => Bound::Unbounded,
            Some(micros) if included => Bound::Included(Term::from_field_i64(created_at, micros)),
            Some(micros) => Bound::Excluded(Term::from_field_i64(created_at, micros)),
        };
        Box::new(RangeQuery::new(
            bound(self.after, true),
            bound(self.before, false),
        ))
    }
}

/// A clause that restricts without scoring.
pub(super) fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

struct Compiler<'a> {
    fields: &'a Fields,
    synonyms: &'a Synonyms,
    analyzer: Analyzer,
    query: &'a ParsedQuery,
    /// The query reads as Spanish: its Spanish stop words are not required. Detected
    /// only when a word is a Spanish stop word.
    spanish_query: Option<bool>,
    spanish_indexed: bool,
}

/// A typed word, as typed and analysed.
struct Word {
    raw: Vec<String>,
    terms: Vec<String>,
    /// Its Spanish analysis; empty for a Spanish stop word.
    spanish: Vec<(usize, String)>,
}

impl Compiler<'_> {
    /// The required units of a positive clause: one per word or synonym match of a run,
    /// one for a phrase. Words with nothing searchable in them give no unit.
    fn include(&mut self, clause: &Clause) -> Vec<Unit> {
        match clause {
            Clause::Phrase(phrase) => {
                let analysed = self.analyzer.both(phrase);
                self.with_alternatives(&analysed, &[]).into_iter().collect()
            }
            Clause::Words(run) => {
                let words: Vec<Word> = run
                    .iter()
                    .map(|word| Word {
                        raw: self.analyzer.raw_tokens(word),
                        terms: self.analyzer.terms(word),
                        spanish: self.analyzer.spanish_terms(word),
                    })
                    .filter(|word| !word.terms.is_empty())
                    .collect();
                // In a Spanish query, "efectos de la quimio" needs neither "de" nor "la"
                // (unless the run is nothing else): an English post about chemo has
                // neither, and a Spanish post matches the words that carry meaning.
                let skip_stop_words = words.iter().any(|word| word.spanish.is_empty())
                    && words.iter().any(|word| !word.spanish.is_empty())
                    && self.spanish_query();
                let mut units = Vec::new();
                let mut start = 0;
                while start < words.len() {
                    let (end, alternatives) = self.longest_synonym(&words, start);
                    let run = &words[start..end];
                    let unit = if let [word] = run {
                        if skip_stop_words && word.spanish.is_empty() && alternatives.is_empty() {
                            start = end;
                            continue;
                        }
                        let analysed = Analysed {
                            english: word.terms.clone(),
                            spanish: word.spanish.clone(),
                        };
                        self.with_alternatives(&analysed, &alternatives)
                    } else {
                        let originals: Vec<Box<dyn Query>> = run
                            .iter()
                            .filter_map(|word| {
                                self.text_match(&Analysed {
                                    english: word.terms.clone(),
                                    spanish: word.spanish.clone(),
                                })
                            })
                            .collect();
                        let original = Box::new(BooleanQuery::intersection(originals));
                        Some(self.any_of(vec![original], false, &alternatives, &[]))
                    };
                    units.extend(unit);
                    start = end;
                }
                units
            }
        }
    }

    /// The query an exclusion removes: a phrase as typed, or a word and its synonyms.
    fn exclude(&mut self, clause: &Clause) -> Option<Box<dyn Query>> {
        match clause {
            Clause::Phrase(phrase) => {
                let analysed = self.analyzer.both(phrase);
                self.text_match(&analysed)
            }
            Clause::Words(run) => {
                let word = run.join(" ");
                let raw = self.analyzer.raw_tokens(&word);
                let analysed = self.analyzer.both(&word);
                let alternatives = self.synonyms.alternatives(&raw, &analysed.english);
                self.with_alternatives(&analysed, &alternatives)
                    .map(|unit| unit.query(false))
            }
        }
    }

    fn spanish_query(&mut self) -> bool {
        let query = self.query;
        *self.spanish_query.get_or_insert_with(|| query.is_spanish())
    }

    /// The longest run of words from `start` that is a synonym key, with its
    /// alternatives; `(start + 1, [])` when none is.
    fn longest_synonym(&self, words: &[Word], start: usize) -> (usize, Vec<Vec<String>>) {
        let max_terms = self.synonyms.max_key_terms();
        let mut end = start;
        let mut raw: Vec<String> = Vec::new();
        let mut terms: Vec<String> = Vec::new();
        let mut best = (start + 1, Vec::new());
        while end < words.len() && terms.len() + words[end].terms.len() <= max_terms {
            raw.extend(words[end].raw.iter().cloned());
            terms.extend(words[end].terms.iter().cloned());
            end += 1;
            let alternatives = self.synonyms.alternatives(&raw, &terms);
            if !alternatives.is_empty() {
                best = (end, alternatives);
            }
        }
        best
    }

    /// Terms or any of their alternatives; `None` if there is nothing searchable.
    fn with_alternatives(&self, analysed: &Analysed, alternatives: &[Vec<String>]) -> Option<Unit> {
        if analysed.english.is_empty() {
            return None;
        }
        Some(self.any_of(
            self.text_parts(analysed),
            is_one_term(analysed),
            alternatives,
            &analysed.english,
        ))
    }

    /// An alternative (English terms, as synonyms return them) with its Spanish analysis.
    fn alternative(&self, terms: &[String]) -> Analysed {
        Analysed {
            english: terms.to_vec(),
            spanish: self
                .synonyms
                .spanish_of(terms)
                .map(<[(usize, String)]>::to_vec)
                .unwrap_or_default(),
        }
    }

    /// One flat union of `parts` and the title and body parts of each alternative.
    ///
    /// Flat, because tantivy runs a union of plain term queries as one scorer (nested
    /// unions each buffer their own matches). An alternative phrase containing a word
    /// that is on its own an alternative (or `original_terms`, when that is one word) is
    /// left out: every post it matches is matched already, so it would only add the
    /// cost of reading positions. "chemo therapy" beside "chemo" is the common case.
    fn any_of(
        &self,
        mut parts: Vec<Box<dyn Query>>,
        parts_are_terms: bool,
        alternatives: &[Vec<String>],
        original_terms: &[String],
    ) -> Unit {
        let single_words: Vec<&String> = alternatives
            .iter()
            .map(Vec::as_slice)
            .chain(std::iter::once(original_terms))
            .filter_map(|terms| match terms {
                [word] => Some(word),
                _ => None,
            })
            .collect();
        let mut term_union = parts_are_terms;
        for terms in alternatives {
            let implied = terms.len() > 1 && terms.iter().any(|term| single_words.contains(&term));
            if !implied {
                let alternative = self.alternative(terms);
                term_union &= is_one_term(&alternative);
                parts.extend(self.text_parts(&alternative));
            }
        }
        Unit { parts, term_union }
    }

    /// Terms (one: a term query; several: a phrase) in the title (boosted) or the body.
    fn text_match(&self, analysed: &Analysed) -> Option<Box<dyn Query>> {
        let parts = self.text_parts(analysed);
        (!parts.is_empty()).then(|| Box::new(BooleanQuery::union(parts)) as Box<dyn Query>)
    }

    /// The title (boosted) and body queries for the English terms, and for the Spanish
    /// terms in the Spanish fields (which only Spanish posts fill); none for no terms.
    fn text_parts(&self, analysed: &Analysed) -> Vec<Box<dyn Query>> {
        if analysed.english.is_empty() {
            return Vec::new();
        }
        let english: Vec<(usize, String)> = analysed.english.iter().cloned().enumerate().collect();
        let mut parts: Vec<Box<dyn Query>> = vec![
            Box::new(BoostQuery::new(
                in_field(self.fields.title, &english),
                TITLE_BOOST,
            )),
            in_field(self.fields.body, &english),
        ];
        if self.spanish_indexed && !analysed.spanish.is_empty() {
            parts.push(Box::new(BoostQuery::new(
                in_field(self.fields.title_es, &analysed.spanish),
                TITLE_BOOST,
            )));
            parts.push(in_field(self.fields.body_es, &analysed.spanish));
        }
        parts
    }
}

/// Whether both analyses are at most one term, so the parts are plain term queries.
fn is_one_term(analysed: &Analysed) -> bool {
    analysed.english.len() == 1 && analysed.spanish.len() <= 1
}

/// Positioned terms in one field: one is a term query, several a phrase with the gaps
/// their positions leave (where Spanish stop words were).
fn in_field(field: Field, terms: &[(usize, String)]) -> Box<dyn Query> {
    match terms {
        [] => empty(),
        [(_, term)] => Box::new(TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new_with_offset(
            terms
                .iter()
                .map(|(position, term)| (*position, Term::from_field_text(field, term)))
                .collect(),
        )),
    }
}

pub(super) fn empty() -> Box<dyn Query> {
    Box::new(EmptyQuery)
}
