//! Sorting, keyset pagination and counting.
//!
//! Vocabulary: every hit has a *sort key* — `(score, post_id)` for relevance,
//! `(created_at, post_id)` for newest — and hits come in descending key order. Post ids
//! are unique, so the order is total. A *cursor* is the key of the last hit of a page,
//! encoded as an opaque string; the next page is the hits whose key is strictly below
//! it (*keyset pagination*: no offset, so page 50 costs what page 1 does, and a post
//! created between two requests does not shift the pages).
//!
//! Newest-first cursors are exact. Relevance cursors are exact while the index is
//! unchanged; a commit between two pages changes the BM25 statistics a little, so a post
//! whose score moved across the cursor may be seen twice or skipped. That is the usual
//! trade-off of search engines' "search after" and fine for browsing results.
//!
//! The [`PageCollector`] keeps the best `limit + 1` keys below the cursor, the extra one
//! telling whether there is a next page, and counts the matching (and therefore visible)
//! posts it is shown — the *total estimate*. Three ways of running a search feed it:
//! [`collect_all`] shows it every match (an exact count); [`collect_pruned`] lets
//! Block-WAND skip what cannot reach the page and [`collect_newest`] reads a recent window
//! first, and both take their count from [`estimate_count`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::ops::Bound;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, RangeQuery};
use tantivy::schema::Field;
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, Term, TERMINATED,
};

use crate::columns::values_by_doc;
use crate::error::Error;
use crate::query::SplitQuery;
use crate::schema::{CREATED_AT, POST_ID};

/// The order of results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (BM25; title matches weigh double).
    #[default]
    Relevance,
    /// Most recently created first.
    Newest,
}

impl Sort {
    /// `"relevance"` or `"newest"`.
    pub fn parse(text: &str) -> Option<Sort> {
        match text {
            "relevance" => Some(Sort::Relevance),
            "newest" => Some(Sort::Newest),
            _ => None,
        }
    }

    fn tag(self) -> char {
        match self {
            Sort::Relevance => 'r',
            Sort::Newest => 'n',
        }
    }
}

/// A hit's position in the order: bigger comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct SortKey {
    /// The score or the creation time, mapped to a `u64` with the same order.
    primary: u64,
    post_id: i64,
}

impl SortKey {
    fn new(primary: u64, post_id: i64) -> SortKey {
        SortKey { primary, post_id }
    }

    /// The creation time of a newest-first key (the inverse of `order_preserving_i64`).
    fn created_at(self) -> i64 {
        (self.primary ^ (1 << 63)) as i64
    }

    /// The BM25 score of a relevance key (the inverse of `order_preserving_f32`).
    pub(crate) fn score(self) -> f32 {
        let bits = self.primary as u32;
        f32::from_bits(if bits & 0x8000_0000 != 0 {
            bits & 0x7fff_ffff
        } else {
            !bits
        })
    }
}

fn order_preserving_i64(value: i64) -> u64 {
    (value as u64) ^ (1 << 63)
}

fn order_preserving_f32(value: f32) -> u64 {
    let bits = value.to_bits();
    u64::from(if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    })
}

/// Where the next page starts: opaque to clients, who pass back what they were given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cursor {
    sort: Sort,
    after: SortKey,
}

impl Cursor {
    /// Parses a cursor string that a previous [`SearchResults`](crate::SearchResults)
    /// returned. Anything else is [`Error::InvalidCursor`].
    pub fn parse(text: &str) -> Result<Cursor, Error> {
        text.parse()
    }

    pub(crate) fn key_for(self, sort: Sort) -> Result<SortKey, Error> {
        if self.sort == sort {
            Ok(self.after)
        } else {
            Err(Error::InvalidCursor)
        }
    }
}

/// `{tag}{primary:016x}{post_id:016x}`: 33 ASCII characters.
impl fmt::Display for Cursor {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}{:016x}{:016x}",
            self.sort.tag(),
            self.after.primary,
            self.after.post_id as u64
        )
    }
}

impl FromStr for Cursor {
    type Err = Error;

    fn from_str(text: &str) -> Result<Cursor, Error> {
        let hex = |part: Option<&str>| -> Result<u64, Error> {
            match part {
                Some(digits) if digits.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    u64::from_str_radix(digits, 16).map_err(|_| Error::InvalidCursor)
                }
                _ => Err(Error::InvalidCursor),
            }
        };
        if text.len() != 33 || !text.is_ascii() {
            return Err(Error::InvalidCursor);
        }
        let sort = match text.as_bytes()[0] {
            b'r' => Sort::Relevance,
            b'n' => Sort::Newest,
            _ => return Err(Error::InvalidCursor),
        };
        let primary = hex(text.get(1..17))?;
        let post_id = hex(text.get(17..33))? as i64;
        Ok(Cursor {
            sort,
            after: SortKey::new(primary, post_id),
        })
    }
}

impl Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cursor, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

pub(crate) fn cursor_after(sort: Sort, key: SortKey) -> Cursor {
    Cursor { sort, after: key }
}

/// Counts matches and keeps the best `keep` keys below `after`.
pub(crate) struct PageCollector {
    pub(crate) sort: Sort,
    pub(crate) keep: usize,
    pub(crate) after: Option<SortKey>,
}

/// What a search collected: the kept hits, best first, and the number of matches.
pub(crate) struct Page {
    pub(crate) hits: Vec<(SortKey, DocAddress)>,
    pub(crate) total: u64,
}

pub(crate) struct PageSegmentCollector {
    segment: SegmentOrdinal,
    keep: usize,
    after: Option<SortKey>,
    post_ids: Arc<dyn ColumnValues<i64>>,
    created: Option<Arc<dyn ColumnValues<i64>>>,
    best: BinaryHeap<Reverse<(SortKey, DocId)>>,
    total: u64,
}

impl Collector for PageCollector {
    type Fruit = Page;
    type Child = PageSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<PageSegmentCollector> {
        let fast = reader.fast_fields();
        let created = match self.sort {
            Sort::Newest => Some(values_by_doc(fast.i64(CREATED_AT)?, i64::MIN)),
            Sort::Relevance => None,
        };
        Ok(PageSegmentCollector {
            segment,
            keep: self.keep,
            after: self.after,
            post_ids: values_by_doc(fast.i64(POST_ID)?, i64::MIN),
            created,
            best: BinaryHeap::with_capacity(self.keep + 1),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, pages: Vec<Page>) -> tantivy::Result<Page> {
        let mut total = 0;
        let mut hits = Vec::new();
        for page in pages {
            total += page.total;
            hits.extend(page.hits);
        }
        hits.sort_unstable_by(|a, b| b.cmp(a));
        hits.truncate(self.keep);
        Ok(Page { hits, total })
    }
}

impl PageSegmentCollector {
    /// Keeps the hit if it belongs on the page, without counting it.
    fn offer(&mut self, doc: DocId, score: Score) {
        let primary = match &self.created {
            Some(created) => order_preserving_i64(created.get_val(doc)),
            None => order_preserving_f32(score),
        };
        // Most matches rank below the page being filled: rule them out on the primary
        // key alone, before reading the post id.
        let full = self.best.len() >= self.keep;
        if full
            && self
                .best
                .peek()
                .is_some_and(|worst| primary < worst.0 .0.primary)
        {
            return;
        }
        if self.after.is_some_and(|after| primary > after.primary) {
            return;
        }
        let key = SortKey::new(primary, self.post_ids.get_val(doc));
        if self.after.is_some_and(|after| key >= after) {
            return;
        }
        if !full {
            self.best.push(Reverse((key, doc)));
        } else if let Some(mut worst) = self.best.peek_mut() {
            if key > worst.0 .0 {
                *worst = Reverse((key, doc));
            }
        }
    }

    /// The score a hit must beat to enter the page, once the page is full.
    fn entry_score(&self) -> Option<Score> {
        (self.best.len() >= self.keep)
            .then(|| self.best.peek().map(|worst| worst.0 .0.score()))
            .flatten()
    }
}

impl SegmentCollector for PageSegmentCollector {
    type Fruit = Page;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        self.offer(doc, score);
    }

    fn harvest(self) -> Page {
        let segment = self.segment;
        let hits = self
            .best
            .into_iter()
            .map(|Reverse((key, doc))| (key, DocAddress::new(segment, doc)))
            .collect();
        Page {
            hits,
            total: self.total,
        }
    }
}

/// Runs `query` over every document, exactly as `searcher.search(query, collector)`
/// would, but in pieces of segments: tantivy's search executor spreads whole segments
/// over its threads, and one merged segment often holds most of the index.
pub(crate) fn collect_all(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &PageCollector,
) -> tantivy::Result<Page> {
    let scoring = if collector.requires_scoring() {
        EnableScoring::enabled_from_searcher(searcher)
    } else {
        EnableScoring::disabled_from_searcher(searcher)
    };
    let weight = query.weight(scoring)?;
    let scored = collector.requires_scoring();
    let executor = searcher.index().search_executor();
    let readers = searcher.segment_readers();
    let all_docs: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
    let piece = (all_docs / PIECES_PER_SEARCH).max(MIN_PIECE_DOCS) as DocId;
    let pieces = readers.iter().enumerate().flat_map(|(ordinal, reader)| {
        (0..reader.max_doc())
            .step_by(piece as usize)
            .map(move |start| {
                (
                    ordinal as SegmentOrdinal,
                    reader,
                    start,
                    start.saturating_add(piece),
                )
            })
    });
    let pages = executor.map(
        |(ordinal, reader, start, end)| {
            let mut segment = collector.for_segment(ordinal, reader)?;
            let alive = reader.alive_bitset();
            let mut matches = weight.scorer(reader, 1.0)?;
            let mut doc = matches.doc();
            if doc < start {
                doc = matches.seek(start);
            }
            while doc < end {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    let score = if scored { matches.score() } else { 0.0 };
                    segment.collect(doc, score);
                }
                doc = matches.advance();
            }
            Ok(segment.harvest())
        },
        pieces,
    )?;
    collector.merge_fruits(pages)
}

/// Pieces [`collect_all`] cuts a search into, for the executor's threads to share.
const PIECES_PER_SEARCH: u64 = 8;
/// Pieces smaller than this cost more to set up than they save.
const MIN_PIECE_DOCS: u64 = 65_536;

/// Matches counted exactly in each segment before the rest are extrapolated.
pub(crate) const EXACTLY_COUNTED: u64 = 4_096;

/// Counts the visible matches of `query`: exactly up to [`EXACTLY_COUNTED`] per segment,
/// and beyond that extrapolated from the position of the last one counted. It reads
/// only documents the query matches, visibility included, so it reveals nothing a
/// full count would not.
pub(crate) fn estimate_count(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<u64> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut total = 0;
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut matches = weight.scorer(reader, 1.0)?;
        let mut counted: u64 = 0;
        let mut doc = matches.doc();
        while doc != TERMINATED && counted < EXACTLY_COUNTED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                counted += 1;
            }
            doc = matches.advance();
        }
        total += match doc {
            TERMINATED => counted,
            // `doc` is the first document not looked at.
            _ => counted * u64::from(reader.max_doc()) / u64::from(doc.max(1)),
        };
    }
    Ok(total)
}

/// Runs a relevance search split into a scored union of terms and an unscored filter,
/// letting tantivy skip postings that cannot reach the page (Block-WAND). The page is
/// the one [`PageCollector`] would collect from `whole` (the same search unsplit); the
/// count is [`estimate_count`]'s.
pub(crate) fn collect_pruned(
    searcher: &Searcher,
    split: &SplitQuery,
    whole: &dyn Query,
    collector: &PageCollector,
) -> tantivy::Result<Page> {
    let scored = split
        .scored
        .weight(EnableScoring::enabled_from_searcher(searcher))?;
    let filter = split
        .filter
        .weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut page = Page {
        hits: Vec::new(),
        total: 0,
    };
    // Scores are comparable across segments, so a full page from the segments before
    // sets the bar for the next one.
    let mut bar = Score::MIN;
    for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
        let alive = reader.alive_bitset();
        let mut segment = collector.for_segment(ordinal as SegmentOrdinal, reader)?;
        let mut filter_docs = filter.scorer(reader, 1.0)?;
        let floor = bar;
        scored.for_each_pruning(bar, reader, &mut |doc, score| {
            if filter_docs.doc() < doc {
                filter_docs.seek(doc);
            }
            if filter_docs.doc() == doc && alive.is_none_or(|alive| alive.is_alive(doc)) {
                segment.offer(doc, score);
            }
            // `for_each_pruning` passes on only scores above the bar; a tie with the
            // worst hit kept can still enter the page on its post id.
            segment
                .entry_score()
                .map_or(floor, |worst| worst.next_down().max(floor))
        })?;
        page = collector.merge_fruits(vec![page, segment.harvest()])?;
        if page.hits.len() >= collector.keep {
            if let Some((worst, _)) = page.hits.last() {
                bar = bar.max(worst.score().next_down());
            }
        }
    }
    page.total = estimate_count(searcher, whole)?;
    Ok(page)
}

/// Runs a newest-first search over a recent window of time first. Sized from the
/// estimated number of matches to hold a few pages, the window usually fills the page,
/// and then every post left out is older than every post on it; if it does not, a
/// window eight times as long is tried, and in the end the whole index. The count is
/// [`estimate_count`]'s, or exact when the whole index was read.
pub(crate) fn collect_newest(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &PageCollector,
    created_at: Field,
) -> tantivy::Result<Page> {
    let total = estimate_count(searcher, query)?;
    let mut oldest = i64::MAX;
    let mut newest = i64::MIN;
    for reader in searcher.segment_readers() {
        if reader.num_docs() > 0 {
            let column = reader.fast_fields().i64(CREATED_AT)?;
            oldest = oldest.min(column.min_value());
            newest = newest.max(column.max_value());
        }
    }
    if let Some(after) = collector.after {
        newest = newest.min(after.created_at());
    }
    let keep = collector.keep as f64;
    // Below this many matches, reading them all costs less than guessing.
    if total as f64 > keep * WORTH_A_WINDOW && oldest < newest {
        let span = newest as f64 - oldest as f64;
        let mut share = WINDOW_PAGES * keep / total as f64;
        while share < 1.0 {
            let from = newest.saturating_sub((span * share) as i64);
            let window = BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (
                    Occur::Must,
                    Box::new(RangeQuery::new(
                        Bound::Included(Term::from_field_i64(created_at, from)),
                        Bound::Unbounded,
                    )),
                ),
            ]);
            let page = collect_all(searcher, &window, collector)?;
            if page.hits.len() >= collector.keep {
                return Ok(Page {
                    hits: page.hits,
                    total,
                });
            }
            share *= 8.0;
        }
    }
    collect_all(searcher, query, collector)
}

/// Matches per page above which [`collect_newest`] tries a window.
const WORTH_A_WINDOW: f64 = 64.0;
/// Pages' worth of matches the first window is sized to hold, if posts were spread
/// evenly over time.
const WINDOW_PAGES: f64 = 4.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // The encoding must round-trip every float exactly.
    #[allow(clippy::float_cmp)]
    fn key_encodings_keep_order() {
        let ints = [i64::MIN, -5, -1, 0, 1, 1_700_000_000_000_000, i64::MAX];
        for pair in ints.windows(2) {
            assert!(order_preserving_i64(pair[0]) < order_preserving_i64(pair[1]));
        }
        let floats = [-3.5f32, -0.5, 0.0, 1e-9, 0.5, 7.25, 1e9];
        for pair in floats.windows(2) {
            assert!(order_preserving_f32(pair[0]) < order_preserving_f32(pair[1]));
        }
        for value in floats {
            assert_eq!(SortKey::new(order_preserving_f32(value), 1).score(), value);
        }
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = cursor_after(Sort::Newest, SortKey::new(42, -7));
        let text = cursor.to_string();
        assert_eq!(text.len(), 33);
        assert_eq!(Cursor::parse(&text).unwrap(), cursor);
        assert_eq!(cursor.key_for(Sort::Newest).unwrap(), SortKey::new(42, -7));
        assert!(matches!(
            cursor.key_for(Sort::Relevance),
            Err(Error::InvalidCursor)
        ));
        let json = serde_json::to_string(&cursor).unwrap();
        assert_eq!(serde_json::from_str::<Cursor>(&json).unwrap(), cursor);
        for bad in [
            "",
            "n",
            "x0000000000000000000000000000000",
            &text[..32],
            "né00000000000000000000000000000000",
        ] {
            assert!(
                matches!(Cursor::parse(bad), Err(Error::InvalidCursor)),
                "{bad:?}"
            );
        }
        let plus = format!("n+{}", &text[2..]);
        assert!(matches!(Cursor::parse(&plus), Err(Error::InvalidCursor)));
    }
}
