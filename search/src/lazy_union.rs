//! A union that checks its expensive parts only where asked: phrases of a word's synonyms.
//!
//! "nausea fatigue" needs a post with nausea (or "queasy", or the phrase "feeling sick")
//! *and* fatigue. tantivy's own union advances every part over every document, so the
//! phrase's positions were read in every post holding both "feeling" and "sick", most of
//! which have no fatigue: half of that search's time. Inside an intersection, tantivy
//! asks the parts other than the leading one only "is this document in you?"
//! ([`DocSet::seek_danger`]); [`LazyUnion`] answers it by trying its cheap parts first
//! and a phrase only when none of them matched, and a phrase checks positions only for
//! that document. The score is the same sum, in the same part order, as tantivy's
//! union, so the query ranks exactly as before.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term, TERMINATED};

/// Matches a document if any part matches; scores the sum of the matching parts.
#[derive(Debug)]
pub(crate) struct LazyUnion {
    parts: Vec<Box<dyn Query>>,
}

impl LazyUnion {
    pub(crate) fn new(parts: Vec<Box<dyn Query>>) -> LazyUnion {
        LazyUnion { parts }
    }
}

impl Clone for LazyUnion {
    fn clone(&self) -> LazyUnion {
        LazyUnion {
            parts: self.parts.iter().map(|part| part.box_clone()).collect(),
        }
    }
}

impl Query for LazyUnion {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|part| part.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(LazyUnionWeight { parts }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.parts {
            part.query_terms(visitor);
        }
    }
}

struct LazyUnionWeight {
    parts: Vec<Box<dyn Weight>>,
}

impl Weight for LazyUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let parts = self
            .parts
            .iter()
            .map(|part| part.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(LazyUnionScorer::new(parts)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the matching parts", scorer.score());
        for part in &self.parts {
            if let Ok(detail) = part.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

/// Where one part stands.
#[derive(Debug, Clone, Copy)]
struct PartState {
    /// No document of the part is below this one.
    lower: DocId,
    /// The part is positioned on `lower`, which it matches.
    on_lower: bool,
}

/// The scorer of [`LazyUnion`]. Parts are only ever moved with `seek_danger`, with
/// strictly increasing targets, as its contract requires; a part left in the "danger"
/// state by a miss is not asked again below the lower bound it returned.
pub(crate) struct LazyUnionScorer {
    parts: Vec<Box<dyn Scorer>>,
    states: Vec<PartState>,
    /// Part indices, cheapest first: the order in which they are asked.
    ask_order: Vec<usize>,
    doc: DocId,
    /// Parts (in `ask_order`) already asked about `doc`.
    asked: usize,
}

impl LazyUnionScorer {
    fn new(parts: Vec<Box<dyn Scorer>>) -> LazyUnionScorer {
        let states: Vec<PartState> = parts
            .iter()
            .map(|part| PartState {
                lower: part.doc(),
                on_lower: part.doc() != TERMINATED,
            })
            .collect();
        let mut ask_order: Vec<usize> = (0..parts.len()).collect();
        ask_order.sort_by_key(|&index| parts[index].cost());
        let doc = states
            .iter()
            .map(|state| state.lower)
            .min()
            .unwrap_or(TERMINATED);
        LazyUnionScorer {
            parts,
            states,
            ask_order,
            doc,
            asked: 0,
        }
    }

    /// Whether part `index` matches `target`, asking it only if it may.
    fn part_matches(&mut self, index: usize, target: DocId) -> bool {
        let state = &mut self.states[index];
        if state.lower > target {
            return false;
        }
        if state.lower == target && state.on_lower {
            return true;
        }
        match self.parts[index].seek_danger(target) {
            SeekDangerResult::Found => {
                *state = PartState {
                    lower: target,
                    on_lower: true,
                };
                true
            }
            SeekDangerResult::SeekLowerBound(lower) => {
                *state = PartState {
                    lower,
                    on_lower: false,
                };
                false
            }
        }
    }

    /// Moves to the first document at or after `target` that a part matches.
    fn settle_from(&mut self, mut target: DocId) -> DocId {
        loop {
            match self.seek_danger(target) {
                SeekDangerResult::Found => return target,
                SeekDangerResult::SeekLowerBound(lower) if lower >= TERMINATED => {
                    self.doc = TERMINATED;
                    return TERMINATED;
                }
                SeekDangerResult::SeekLowerBound(lower) => target = lower,
            }
        }
    }
}

impl DocSet for LazyUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc >= TERMINATED {
            return TERMINATED;
        }
        self.settle_from(self.doc + 1)
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.doc {
            return self.doc;
        }
        if target >= TERMINATED {
            self.doc = TERMINATED;
            return TERMINATED;
        }
        self.settle_from(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if target >= TERMINATED {
            return SeekDangerResult::SeekLowerBound(TERMINATED);
        }
        for position in 0..self.ask_order.len() {
            let index = self.ask_order[position];
            if self.part_matches(index, target) {
                self.doc = target;
                self.asked = position + 1;
                return SeekDangerResult::Found;
            }
        }
        let lower = self
            .states
            .iter()
            .map(|state| state.lower)
            .min()
            .unwrap_or(TERMINATED);
        SeekDangerResult::SeekLowerBound(lower)
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts
            .iter()
            .map(DocSet::size_hint)
            .fold(0, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.parts.iter().map(DocSet::cost).sum()
    }
}

impl Scorer for LazyUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        // The parts not asked yet are asked now: only a document that is kept pays for
        // them.
        for position in self.asked..self.ask_order.len() {
            let index = self.ask_order[position];
            self.part_matches(index, doc);
        }
        self.asked = self.ask_order.len();
        // Summed in part order from zero, as tantivy's union does.
        let mut score: Score = 0.0;
        for (part, state) in self.parts.iter_mut().zip(&self.states) {
            if state.on_lower && state.lower == doc {
                score += part.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Collector, SegmentCollector};
    use tantivy::query::{BooleanQuery, BoostQuery, PhraseQuery, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption};
    use tantivy::{Index, IndexWriter, SegmentOrdinal};

    use super::*;
    use crate::analysis::tokenizer_manager;
    use crate::schema::Fields;
    use crate::{synthetic_posts, CorpusConfig, PostDoc};

    /// Every match with its score, in document order.
    struct Everything;

    struct SegmentEverything(SegmentOrdinal, Vec<(SegmentOrdinal, DocId, Score)>);

    impl Collector for Everything {
        type Fruit = Vec<(SegmentOrdinal, DocId, Score)>;
        type Child = SegmentEverything;

        fn for_segment(
            &self,
            segment: SegmentOrdinal,
            _: &SegmentReader,
        ) -> tantivy::Result<SegmentEverything> {
            Ok(SegmentEverything(segment, Vec::new()))
        }

        fn requires_scoring(&self) -> bool {
            true
        }

        fn merge_fruits(
            &self,
            fruits: Vec<Vec<(SegmentOrdinal, DocId, Score)>>,
        ) -> tantivy::Result<Self::Fruit> {
            let mut all: Vec<_> = fruits.into_iter().flatten().collect();
            all.sort_by_key(|&(segment, doc, _)| (segment, doc));
            Ok(all)
        }
    }

    impl SegmentCollector for SegmentEverything {
        type Fruit = Vec<(SegmentOrdinal, DocId, Score)>;

        fn collect(&mut self, doc: DocId, score: Score) {
            self.1.push((self.0, doc, score));
        }

        fn harvest(self) -> Self::Fruit {
            self.1
        }
    }

    fn term(field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    fn phrase(field: Field, words: &[&str]) -> Box<dyn Query> {
        Box::new(PhraseQuery::new(
            words
                .iter()
                .map(|word| Term::from_field_text(field, word))
                .collect(),
        ))
    }

    /// A word and its alternatives in titles (boosted) and bodies, as compile.rs builds
    /// them.
    fn parts(fields: &Fields, words: &[&[&str]]) -> Vec<Box<dyn Query>> {
        let mut parts = Vec::new();
        for terms in words {
            for field in [fields.title, fields.body] {
                let query = match terms {
                    [word] => term(field, word),
                    _ => phrase(field, terms),
                };
                parts.push(if field == fields.title {
                    Box::new(BoostQuery::new(query, 2.0)) as Box<dyn Query>
                } else {
                    query
                });
            }
        }
        parts
    }

    #[test]
    fn matches_and_scores_exactly_as_tantivys_union() {
        let fields = Fields::new();
        let index = Index::builder()
            .schema(fields.schema.clone())
            .tokenizers(tokenizer_manager())
            .create_in_ram()
            .unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut posts: Vec<PostDoc> = synthetic_posts(&CorpusConfig::new(6_000, 3)).collect();
        // Make sure phrases match alone, with their words apart, and beside the other word.
        for (i, post) in posts.iter_mut().enumerate().step_by(7) {
            post.body = match i % 3 {
                0 => format!("{} feeling sick today", post.body),
                1 => format!("sick of feeling {}", post.body),
                _ => format!(
                    "feeling sick and tired, cancer related fatigue {}",
                    post.body
                ),
            };
        }
        for (i, post) in posts.iter().enumerate() {
            writer.add_document(fields.to_document(post)).unwrap();
            if i % 2_000 == 1_999 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);

        let nausea: &[&[&str]] = &[&["nausea"], &["feel", "sick"], &["queasi"]];
        let fatigue: &[&[&str]] = &[&["fatigu"], &["cancer", "relat", "fatigu"], &["tired"]];
        for (lazy_both, other) in [
            (false, fatigue),
            (true, fatigue),
            (true, &[&["pain"][..]][..]),
        ] {
            let eager = BooleanQuery::intersection(vec![
                Box::new(BooleanQuery::union(parts(&fields, nausea))),
                Box::new(BooleanQuery::union(parts(&fields, other))),
            ]);
            let second: Box<dyn Query> = if lazy_both {
                Box::new(LazyUnion::new(parts(&fields, other)))
            } else {
                Box::new(BooleanQuery::union(parts(&fields, other)))
            };
            let lazy = BooleanQuery::intersection(vec![
                Box::new(LazyUnion::new(parts(&fields, nausea))),
                second,
            ]);
            let expected = searcher.search(&eager, &Everything).unwrap();
            assert!(expected.len() > 100, "{}", expected.len());
            assert_eq!(searcher.search(&lazy, &Everything).unwrap(), expected);
            assert_eq!(lazy.count(&searcher).unwrap(), expected.len());
        }
        // On its own, too.
        let alone = searcher
            .search(&LazyUnion::new(parts(&fields, nausea)), &Everything)
            .unwrap();
        let union = BooleanQuery::union(parts(&fields, nausea));
        assert_eq!(alone, searcher.search(&union, &Everything).unwrap());
    }
}
