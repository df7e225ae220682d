//! The query language, and its translation into a tantivy query.
//!
//! Vocabulary: the *query text* is what the person typed. *Parsing* turns it into a
//! [`ParsedQuery`] — pure syntax, no index needed, every mistake a typed client
//! [`Error`]. A query is made of *clauses*:
//!
//! | clause | meaning |
//! |---|---|
//! | `word` | the post (title or body) contains the word or an inflection of it; words are ANDed |
//! | `"a phrase"` | the words in this order, exactly (no synonyms inside quotes) |
//! | `-word`, `-"a phrase"` | *exclusions*: no post containing it |
//! | `community:slug` | only this community (several: any of them); `-community:slug` excludes it |
//! | `author:name` | only posts by this username (several: any of them); `-author:name` excludes |
//! | `after:YYYY-MM-DD` | created on or after that day (UTC) |
//! | `before:YYYY-MM-DD` | created before that day (UTC), so `after:2024-01-01 before:2024-02-01` is January |
//!
//! *Compiling* turns the parsed query, the synonyms and the viewer's [`Visibility`] into
//! one tantivy query. Each run of unquoted words is scanned for the longest synonym keys
//! (so `stem cell transplant` also finds `SCT`); a matched word becomes an OR of itself and
//! its alternatives. Visibility is a clause of that same query — a fast-field predicate
//! on community and status — so counts, ranking and snippets only ever see visible posts.

use std::collections::Bound;
use std::sync::Arc;

use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, SegmentReader, Term};

use crate::analysis::Analyzer;
use crate::columns::{values_by_doc, IdSet};
use crate::error::Error;
use crate::schema::{Fields, COMMUNITY_ID, STATUS};
use crate::synonyms::Synonyms;
use crate::PostStatus;

/// Longest accepted query text, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words, phrases, exclusions and filters in one query.
pub const MAX_QUERY_CLAUSES: usize = 32;
/// How much more a match in the thread title weighs than one in the body.
const TITLE_BOOST: f32 = 2.0;

/// What the viewer may see. The server computes it from memberships and roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Communities whose published posts the viewer may read: public communities plus
    /// private ones the viewer belongs to.
    pub readable: Vec<i64>,
    /// Communities where the viewer is a moderator. Only with
    /// [`SearchRequest::include_hidden`](crate::SearchRequest::include_hidden) set do
    /// held and removed posts of these communities (and only these) appear.
    pub moderated: Vec<i64>,
}

/// A word sequence or a phrase, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Clause {
    /// Consecutive unquoted words (one or more).
    Words(Vec<String>),
    /// A quoted phrase, without the quotes.
    Phrase(String),
}

/// A `community:` filter and what the caller resolved its slug to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CommunityFilter {
    slug: String,
    excluded: bool,
    resolved: Resolution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolution {
    Pending,
    /// No such community (or one the viewer may not know about): matches nothing.
    Unknown,
    Id(i64),
}

/// A query that parsed: ready to be resolved and searched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    include: Vec<Clause>,
    exclude: Vec<Clause>,
    communities: Vec<CommunityFilter>,
    authors: Vec<String>,
    excluded_authors: Vec<String>,
    /// Inclusive lower bound on `created_at`, in micros.
    after: Option<i64>,
    /// Exclusive upper bound on `created_at`, in micros.
    before: Option<i64>,
}

impl ParsedQuery {
    /// Parses query text. Every malformed query is an [`Error`] for which
    /// [`Error::is_client_error`] is true; this never panics.
    pub fn parse(text: &str) -> Result<ParsedQuery, Error> {
        let length = text.chars().count();
        if length > MAX_QUERY_CHARS {
            return Err(Error::QueryTooLong {
                length,
                max: MAX_QUERY_CHARS,
            });
        }
        if text.trim().is_empty() {
            return Err(Error::EmptyQuery);
        }
        let chars: Vec<char> = text.chars().collect();
        let mut query = ParsedQuery::default();
        let mut position = 0;
        // Whether the previous clause was an unquoted positive word, so that this one
        // joins its run (synonym keys may span several words).
        let mut in_word_run = false;
        while position < chars.len() {
            if chars[position].is_whitespace() {
                position += 1;
                continue;
            }
            let negated = chars[position] == '-';
            if negated {
                position += 1;
                if position == chars.len() || chars[position].is_whitespace() {
                    in_word_run = false; // a lone '-' is punctuation
                    continue;
                }
            }
            if chars[position] == '"' {
                let (phrase, next) = read_quoted(&chars, position)?;
                position = next;
                in_word_run = false;
                let clauses = if negated {
                    &mut query.exclude
                } else {
                    &mut query.include
                };
                clauses.push(Clause::Phrase(phrase));
                continue;
            }
            let start = position;
            while position < chars.len()
                && !chars[position].is_whitespace()
                && chars[position] != '"'
            {
                position += 1;
            }
            let word: String = chars[start..position].iter().collect();
            if let Some((name, value)) = word.split_once(':') {
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                    let mut value = value.to_owned();
                    if value.is_empty() && position < chars.len() && chars[position] == '"' {
                        let (quoted, next) = read_quoted(&chars, position)?;
                        value = quoted;
                        position = next;
                    }
                    query.add_operator(&name.to_ascii_lowercase(), &value, negated)?;
                    in_word_run = false;
                    continue;
                }
            }
            if negated {
                query.exclude.push(Clause::Words(vec![word]));
                in_word_run = false;
            } else {
                match query.include.last_mut() {
                    Some(Clause::Words(run)) if in_word_run => run.push(word),
                    _ => query.include.push(Clause::Words(vec![word])),
                }
                in_word_run = true;
            }
        }
        query.check_shape()?;
        Ok(query)
    }

    /// Every slug named by a `community:` or `-community:` filter, for the caller to
    /// resolve.
    pub fn community_slugs(&self) -> impl Iterator<Item = &str> {
        self.communities.iter().map(|filter| filter.slug.as_str())
    }

    /// Maps each `community:` slug to a community id. Return `None` for a slug that does
    /// not exist *or that the viewer may not see*: such a filter then matches nothing
    /// (and an exclusion of it excludes nothing), so an unknown private community and a
    /// non-existent one answer alike. Must be called before searching if
    /// [`community_slugs`](ParsedQuery::community_slugs) is not empty.
    pub fn resolve_communities(&mut self, mut resolve: impl FnMut(&str) -> Option<i64>) {
        for filter in &mut self.communities {
            filter.resolved = match resolve(&filter.slug) {
                Some(id) => Resolution::Id(id),
                None => Resolution::Unknown,
            };
        }
    }

    /// True if the query has words or phrases to match (not only filters). A query with
    /// only filters ranks everything equally; newest-first suits it better.
    pub fn has_text(&self) -> bool {
        !self.include.is_empty()
    }

    fn add_operator(&mut self, name: &str, value: &str, negated: bool) -> Result<(), Error> {
        let missing = |example: &str| Error::MissingOperatorValue {
            name: name.to_owned(),
            example: example.to_owned(),
        };
        let invalid = |reason: &str| Error::InvalidOperatorValue {
            name: name.to_owned(),
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        match name {
            "community" => {
                if value.is_empty() {
                    return Err(missing("lung-cancer"));
                }
                let slug = value.to_ascii_lowercase();
                let valid = slug.len() <= 48
                    && slug
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if !valid {
                    return Err(invalid(
                        "a community slug has up to 48 letters, digits and hyphens",
                    ));
                }
                if !self
                    .communities
                    .iter()
                    .any(|f| f.slug == slug && f.excluded == negated)
                {
                    self.communities.push(CommunityFilter {
                        slug,
                        excluded: negated,
                        resolved: Resolution::Pending,
                    });
                }
            }
            "author" => {
                if value.is_empty() {
                    return Err(missing("maria_mod"));
                }
                let username = value
                    .strip_prefix('@')
                    .unwrap_or(value)
                    .to_ascii_lowercase();
                let valid = !username.is_empty()
                    && username.len() <= 32
                    && username
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return Err(invalid(
                        "a username has up to 32 letters, digits and underscores",
                    ));
                }
                let list = if negated {
                    &mut self.excluded_authors
                } else {
                    &mut self.authors
                };
                if !list.contains(&username) {
                    list.push(username);
                }
            }
            "before" | "after" => {
                if negated {
                    return Err(Error::NegatedDateOperator {
                        name: name.to_owned(),
                    });
                }
                if value.is_empty() {
                    return Err(missing("2024-03-31"));
                }
                let day = parse_date(value).ok_or_else(|| Error::InvalidDate {
                    name: name.to_owned(),
                    value: value.to_owned(),
                })?;
                if name == "before" {
                    self.before = Some(self.before.map_or(day, |b| b.min(day)));
                } else {
                    self.after = Some(self.after.map_or(day, |a| a.max(day)));
                }
            }
            _ => {
                return Err(Error::UnknownOperator {
                    name: name.to_owned(),
                })
            }
        }
        Ok(())
    }

    fn check_shape(&self) -> Result<(), Error> {
        let words = |clauses: &[Clause]| -> usize {
            clauses
                .iter()
                .map(|clause| match clause {
                    Clause::Words(run) => run.len(),
                    Clause::Phrase(_) => 1,
                })
                .sum()
        };
        let count = words(&self.include)
            + words(&self.exclude)
            + self.communities.len()
            + self.authors.len()
            + self.excluded_authors.len()
            + usize::from(self.after.is_some())
            + usize::from(self.before.is_some());
        if count > MAX_QUERY_CLAUSES {
            return Err(Error::TooManyClauses {
                count,
                max: MAX_QUERY_CLAUSES,
            });
        }
        let has_filter = self.communities.iter().any(|f| !f.excluded)
            || !self.authors.is_empty()
            || self.after.is_some()
            || self.before.is_some();
        if self.include.is_empty() && !has_filter {
            let has_exclusions = !self.exclude.is_empty()
                || !self.communities.is_empty()
                || !self.excluded_authors.is_empty();
            return Err(if has_exclusions {
                Error::OnlyExclusions
            } else {
                Error::EmptyQuery
            });
        }
        Ok(())
    }
}

/// Reads `"..."` starting at the opening quote; returns the trimmed inside and the
/// position after the closing quote.
fn read_quoted(chars: &[char], open: usize) -> Result<(String, usize), Error> {
    let close = chars[open + 1..]
        .iter()
        .position(|&c| c == '"')
        .map(|offset| open + 1 + offset)
        .ok_or(Error::UnbalancedQuote { position: open + 1 })?;
    let inside: String = chars[open + 1..close].iter().collect();
    let inside = inside.trim();
    if inside.is_empty() {
        return Err(Error::EmptyPhrase);
    }
    Ok((inside.to_owned(), close + 1))
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// `YYYY-MM-DD` → microseconds since the epoch at 00:00 UTC that day.
fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = &text[range];
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            digits.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year < 1000 || day < 1 || day > month_days {
        return None;
    }
    Some(days_from_civil(year, month, day) * MICROS_PER_DAY)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The parts of a search that compilation turns into one tantivy query.
pub(crate) struct CompileInput<'a> {
    pub(crate) fields: &'a Fields,
    pub(crate) synonyms: &'a Synonyms,
    pub(crate) visibility: &'a Visibility,
    pub(crate) include_hidden: bool,
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

/// A required part of a query, and whether it is a flat union of term queries.
struct Unit {
    query: Box<dyn Query>,
    term_union: bool,
}

impl ParsedQuery {
    pub(crate) fn compile(&self, input: &CompileInput<'_>) -> Result<Compiled, Error> {
        let mut compiler = Compiler {
            fields: input.fields,
            synonyms: input.synonyms,
            analyzer: Analyzer::new(),
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
        let split = match units.as_slice() {
            [unit] if unit.term_union && !self.narrows() => Some(SplitQuery {
                scored: unit.query.box_clone(),
                filter: Box::new(BooleanQuery::new(
                    clauses
                        .iter()
                        .map(|(occur, query)| (*occur, query.box_clone()))
                        .collect(),
                )),
            }),
            _ => None,
        };
        let positives: Vec<Box<dyn Query>> =
            units.iter().map(|unit| unit.query.box_clone()).collect();
        let highlight = match positives.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::union(positives)) as Box<dyn Query>),
        };
        clauses.extend(units.into_iter().map(|unit| (Occur::Must, unit.query)));
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(clauses)),
            highlight,
            split,
        })
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
            hidden_ok = input.visibility.moderated.clone();
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
fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

struct Compiler<'a> {
    fields: &'a Fields,
    synonyms: &'a Synonyms,
    analyzer: Analyzer,
}

/// A typed word, analysed both ways.
struct Word {
    raw: Vec<String>,
    terms: Vec<String>,
}

impl Compiler<'_> {
    /// The required units of a positive clause: one per word or synonym match of a run,
    /// one for a phrase. Words with nothing searchable in them give no unit.
    fn include(&mut self, clause: &Clause) -> Vec<Unit> {
        match clause {
            Clause::Phrase(phrase) => {
                let terms = self.analyzer.terms(phrase);
                self.with_alternatives(&terms, &[]).into_iter().collect()
            }
            Clause::Words(run) => {
                let words: Vec<Word> = run
                    .iter()
                    .map(|word| Word {
                        raw: self.analyzer.raw_tokens(word),
                        terms: self.analyzer.terms(word),
                    })
                    .filter(|word| !word.terms.is_empty())
                    .collect();
                let mut units = Vec::new();
                let mut start = 0;
                while start < words.len() {
                    let (end, alternatives) = self.longest_synonym(&words, start);
                    let run = &words[start..end];
                    let unit = match run {
                        [word] => self.with_alternatives(&word.terms, &alternatives),
                        _ => {
                            let originals: Vec<Box<dyn Query>> = run
                                .iter()
                                .filter_map(|word| self.text_match(&word.terms))
                                .collect();
                            let original = Box::new(BooleanQuery::intersection(originals));
                            Some(self.any_of(vec![original], false, &alternatives, &[]))
                        }
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
                let terms = self.analyzer.terms(phrase);
                self.text_match(&terms)
            }
            Clause::Words(run) => {
                let word = run.join(" ");
                let raw = self.analyzer.raw_tokens(&word);
                let terms = self.analyzer.terms(&word);
                let alternatives = self.synonyms.alternatives(&raw, &terms);
                self.with_alternatives(&terms, &alternatives)
                    .map(|unit| unit.query)
            }
        }
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
    fn with_alternatives(&self, terms: &[String], alternatives: &[Vec<String>]) -> Option<Unit> {
        if terms.is_empty() {
            return None;
        }
        Some(self.any_of(
            self.text_parts(terms),
            terms.len() == 1,
            alternatives,
            terms,
        ))
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
                term_union &= terms.len() == 1;
                parts.extend(self.text_parts(terms));
            }
        }
        let query = match parts.len() {
            1 => parts.pop().unwrap_or_else(empty),
            _ => Box::new(BooleanQuery::union(parts)),
        };
        Unit { query, term_union }
    }

    /// Terms (one: a term query; several: a phrase) in the title (boosted) or the body.
    fn text_match(&self, terms: &[String]) -> Option<Box<dyn Query>> {
        let parts = self.text_parts(terms);
        (!parts.is_empty()).then(|| Box::new(BooleanQuery::union(parts)) as Box<dyn Query>)
    }

    /// The title (boosted) and body queries for `terms`; none for no terms.
    fn text_parts(&self, terms: &[String]) -> Vec<Box<dyn Query>> {
        let in_field = |field: Field| -> Box<dyn Query> {
            let mut field_terms = terms.iter().map(|term| Term::from_field_text(field, term));
            match (field_terms.next(), terms.len()) {
                (Some(term), 1) => Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                (Some(first), _) => {
                    let mut all = vec![first];
                    all.extend(field_terms);
                    Box::new(PhraseQuery::new(all))
                }
                (None, _) => empty(),
            }
        };
        if terms.is_empty() {
            return Vec::new();
        }
        vec![
            Box::new(BoostQuery::new(in_field(self.fields.title), TITLE_BOOST)),
            in_field(self.fields.body),
        ]
    }
}

fn empty() -> Box<dyn Query> {
    Box::new(EmptyQuery)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedQuery {
        match ParsedQuery::parse(text) {
            Ok(query) => query,
            Err(error) => panic!("{text:?} should parse, got {error}"),
        }
    }

    fn words(list: &[&str]) -> Clause {
        Clause::Words(list.iter().map(|w| (*w).to_owned()).collect())
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let query = parse(r#"  stem cell  "no evidence of disease" -rads -"hair loss" chemo "#);
        assert_eq!(
            query.include,
            [
                words(&["stem", "cell"]),
                Clause::Phrase("no evidence of disease".into()),
                words(&["chemo"]),
            ]
        );
        assert_eq!(
            query.exclude,
            [words(&["rads"]), Clause::Phrase("hair loss".into())]
        );
    }

    #[test]
    fn operators() {
        let mut query = parse(
            "scan community:Lung-Cancer -community:grief author:@Maria_Mod -author:bob \
             after:2024-01-01 after:2024-02-01 before:2024-03-01 author:\"ann\"",
        );
        let slugs: Vec<&str> = query.community_slugs().collect();
        assert_eq!(slugs, ["lung-cancer", "grief"]);
        assert_eq!(query.authors, ["maria_mod", "ann"]);
        assert_eq!(query.excluded_authors, ["bob"]);
        assert_eq!(query.after, parse_date("2024-02-01"));
        assert_eq!(query.before, parse_date("2024-03-01"));
        query.resolve_communities(|slug| (slug == "lung-cancer").then_some(7));
        assert_eq!(query.communities[0].resolved, Resolution::Id(7));
        assert_eq!(query.communities[1].resolved, Resolution::Unknown);
    }

    #[test]
    fn filters_alone_are_a_query_and_words_with_colons_need_letters() {
        assert!(!parse("author:ann").has_text());
        assert_eq!(parse("10:30").include, [words(&["10:30"])]);
        assert_eq!(
            parse("\"re: chemo\"").include,
            [Clause::Phrase("re: chemo".into())]
        );
        assert_eq!(
            parse("chemo - rads").include,
            [words(&["chemo"]), words(&["rads"])]
        );
    }

    #[test]
    fn malformed_queries_are_typed_errors() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        let many = vec!["w"; MAX_QUERY_CLAUSES + 1].join(" ");
        type Expected = fn(&Error) -> bool;
        let cases: Vec<(&str, Expected)> = vec![
            ("", |e| matches!(e, Error::EmptyQuery)),
            ("   \t ", |e| matches!(e, Error::EmptyQuery)),
            (&long, |e| {
                matches!(e, Error::QueryTooLong { length: 501, .. })
            }),
            ("chemo \"brain fog", |e| {
                matches!(e, Error::UnbalancedQuote { position: 7 })
            }),
            ("\"\" chemo", |e| matches!(e, Error::EmptyPhrase)),
            (
                "foo:bar",
                |e| matches!(e, Error::UnknownOperator { name } if name == "foo"),
            ),
            ("chemo https://x.org", |e| {
                matches!(e, Error::UnknownOperator { .. })
            }),
            ("author:", |e| {
                matches!(e, Error::MissingOperatorValue { .. })
            }),
            ("community:Lung_Cancer", |e| {
                matches!(e, Error::InvalidOperatorValue { .. })
            }),
            ("author:a-b", |e| {
                matches!(e, Error::InvalidOperatorValue { .. })
            }),
            ("before:2024-02-30", |e| {
                matches!(e, Error::InvalidDate { .. })
            }),
            ("after:yesterday", |e| {
                matches!(e, Error::InvalidDate { .. })
            }),
            ("after:2024-1-01", |e| {
                matches!(e, Error::InvalidDate { .. })
            }),
            ("chemo -before:2024-01-01", |e| {
                matches!(e, Error::NegatedDateOperator { .. })
            }),
            ("-chemo -\"hair loss\"", |e| {
                matches!(e, Error::OnlyExclusions)
            }),
            ("-community:grief", |e| matches!(e, Error::OnlyExclusions)),
            (&many, |e| {
                matches!(e, Error::TooManyClauses { count: 33, .. })
            }),
        ];
        for (text, expected) in cases {
            match ParsedQuery::parse(text) {
                Err(error) => {
                    assert!(expected(&error), "{text:?} gave {error:?}");
                    assert!(error.is_client_error());
                    assert!(!error.to_string().is_empty());
                }
                Ok(query) => panic!("{text:?} should fail, parsed as {query:?}"),
            }
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(MICROS_PER_DAY));
        assert_eq!(parse_date("2000-03-01"), Some(11_017 * MICROS_PER_DAY));
        assert_eq!(parse_date("2024-02-29"), Some(19_782 * MICROS_PER_DAY));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("1900-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2024-00-10"), None);
        assert_eq!(parse_date("+024-01-01"), None);
        assert_eq!(parse_date("2024-01-0a"), None);
    }

    #[test]
    fn parse_never_panics_on_odd_input() {
        for text in [
            "-",
            "--",
            "\"",
            "-\"",
            ":",
            "a:",
            ":b",
            "é:x",
            "\u{0}",
            "\"a\"\"b\"",
            "-:",
        ] {
            let _ = ParsedQuery::parse(text);
        }
    }

    #[test]
    fn only_unfiltered_unions_of_single_terms_are_split_for_pruning() {
        let fields = Fields::new();
        let synonyms = Synonyms::parse(
            "chemo, chemotherapy, chemo therapy\nnsclc, non-small cell lung cancer",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let visibility = Visibility {
            readable: vec![1, 2],
            moderated: vec![],
        };
        let input = CompileInput {
            fields: &fields,
            synonyms: &synonyms,
            visibility: &visibility,
            include_hidden: false,
        };
        let split = |text: &str| {
            let mut query = parse(text);
            query.resolve_communities(|_| Some(1));
            match query.compile(&input) {
                Ok(compiled) => compiled.split.is_some(),
                Err(error) => panic!("{text:?}: {error}"),
            }
        };
        // "chemo therapy" is implied by "chemo", so the union is of single terms.
        for text in [
            "chemo",
            "fatigue",
            "\"fatigue\"",
            "chemo -nausea",
            "chemo -community:x",
        ] {
            assert!(split(text), "{text:?} should be pruned");
        }
        for text in [
            "nsclc",
            "nausea fatigue",
            "\"stem cell\"",
            "chemo community:x",
            "chemo author:ann",
            "chemo after:2024-01-01",
            "community:x",
        ] {
            assert!(!split(text), "{text:?} should read every match");
        }
    }
}
