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
//! The [`PageCollector`] runs inside the query: it counts every matching (and therefore
//! visible) post — the *total estimate* — and keeps the best `limit + 1` keys below the
//! cursor, the extra one telling whether there is a next page.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::query::{EnableScoring, Scorer};
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED,
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

/// Matches counted exactly in each segment before the rest are extrapolated.
pub(crate) const EXACTLY_COUNTED: u64 = 4_096;

/// Runs a relevance search split into a scored union of terms and an unscored filter,
/// letting tantivy skip postings that cannot reach the page (Block-WAND). The page is
/// the one [`PageCollector`] would collect from the whole query; only the count differs:
/// it is exact up to [`EXACTLY_COUNTED`] matches per segment and extrapolated from the
/// position of the last one counted beyond that, so it is built from visible posts only.
pub(crate) fn collect_pruned(
    searcher: &Searcher,
    split: &SplitQuery,
    collector: &PageCollector,
) -> tantivy::Result<Page> {
    let scored = split
        .scored
        .weight(EnableScoring::enabled_from_searcher(searcher))?;
    let filter = split
        .filter
        .weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut pages = Vec::new();
    // Scores are comparable across segments, so a full page from the segments before
    // sets the bar for the next one.
    let mut bar = Score::MIN;
    for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
        let ordinal = ordinal as SegmentOrdinal;
        let alive = reader.alive_bitset();
        let visible = |filter_docs: &mut Box<dyn Scorer>, doc: DocId| {
            if filter_docs.doc() < doc {
                filter_docs.seek(doc);
            }
            filter_docs.doc() == doc && alive.is_none_or(|alive| alive.is_alive(doc))
        };

        let mut segment = collector.for_segment(ordinal, reader)?;
        let mut filter_docs = filter.scorer(reader, 1.0)?;
        let floor = bar;
        scored.for_each_pruning(bar, reader, &mut |doc, score| {
            if visible(&mut filter_docs, doc) {
                segment.offer(doc, score);
            }
            // `for_each_pruning` passes on only scores above the bar; a tie with the
            // worst hit kept can still enter the page on its post id.
            segment
                .entry_score()
                .map_or(floor, |worst| worst.next_down().max(floor))
        })?;

        let mut filter_docs = filter.scorer(reader, 1.0)?;
        let mut matches = scored.scorer(reader, 1.0)?;
        let mut counted = 0;
        let mut doc = matches.doc();
        while doc != TERMINATED && counted < EXACTLY_COUNTED {
            if visible(&mut filter_docs, doc) {
                counted += 1;
            }
            doc = matches.advance();
        }
        segment.total = match doc {
            TERMINATED => counted,
            // `doc` is the first document not looked at.
            _ => counted * u64::from(reader.max_doc()) / u64::from(doc.max(1)),
        };
        let page = segment.harvest();
        pages.push(page);
        let so_far = collector.merge_fruits(std::mem::take(&mut pages))?;
        if so_far.hits.len() >= collector.keep {
            if let Some((worst, _)) = so_far.hits.last() {
                bar = bar.max(worst.score().next_down());
            }
        }
        pages.push(so_far);
    }
    collector.merge_fruits(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
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
