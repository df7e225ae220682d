//! Counting: contributions in, raw (unsuppressed, id-free) counts out.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use crate::vocab::Mentions;
use crate::{Category, Month, Vocabulary};

/// One opted-in post, as handed over by the caller.
///
/// The ids are opaque: they are only compared for equality (to count *distinct*
/// members, threads and posts) and are dropped when [`Aggregator::finish`] returns.
/// `text` is scanned for vocabulary terms and never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution<'a> {
    /// Opaque author id.
    pub member: u64,
    /// Opaque thread id.
    pub thread: u64,
    /// Opaque post id. The same post given twice is counted once, as first given.
    pub post: u64,
    /// The month the post was written.
    pub month: Month,
    /// The post's text (plain text or Markdown).
    pub text: &'a str,
}

/// One opted-in post whose mentions the caller already has ([`Vocabulary::mentions`],
/// kept with the post): counted like a [`Contribution`] of the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted<'a> {
    /// Opaque author id.
    pub member: u64,
    /// Opaque thread id.
    pub thread: u64,
    /// Opaque post id. The same post given twice is counted once, as first given.
    pub post: u64,
    /// The month the post was written.
    pub month: Month,
    /// The terms the post's text mentions.
    pub mentions: &'a Mentions,
}

/// Raw counts for one cell: distinct posts, threads and members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Counts {
    /// Distinct posts.
    pub posts: u64,
    /// Distinct threads those posts are in.
    pub threads: u64,
    /// Distinct members who wrote those posts.
    pub members: u64,
}

/// One cell: its posts (each counted once: [`Aggregator`] drops repeated posts) and its
/// distinct threads and members. The ids are database ids, not chosen by an attacker
/// who could aim at collisions, so the fast non-keyed `FxHash` is safe here; hashing
/// was a fifth of the page's time with the default `SipHash`.
#[derive(Default)]
struct Sets {
    posts: u64,
    threads: FxHashSet<u64>,
    members: FxHashSet<u64>,
}

impl Sets {
    fn add(&mut self, c: &Counted<'_>) {
        self.posts += 1;
        self.threads.insert(c.thread);
        self.members.insert(c.member);
    }

    fn counts(&self) -> Counts {
        let n = |s: &FxHashSet<u64>| s.len() as u64;
        Counts {
            posts: self.posts,
            threads: n(&self.threads),
            members: n(&self.members),
        }
    }
}

#[derive(Default)]
struct MonthSets {
    total: Sets,
    terms: BTreeMap<(usize, usize), Sets>,
    pairs: BTreeMap<(usize, usize), Sets>,
}

/// Incremental counter, for callers that stream contributions.
/// [`aggregate`] is the one-shot form.
pub struct Aggregator<'v> {
    vocab: &'v Vocabulary,
    months: BTreeMap<Month, MonthSets>,
    /// The posts counted so far.
    posts: FxHashSet<u64>,
}

impl<'v> Aggregator<'v> {
    /// An empty counter over `vocab`.
    pub fn new(vocab: &'v Vocabulary) -> Self {
        Aggregator {
            vocab,
            months: BTreeMap::new(),
            posts: FxHashSet::default(),
        }
    }

    /// Counts one contribution.
    pub fn add(&mut self, c: Contribution<'_>) {
        if self.posts.contains(&c.post) {
            return;
        }
        let mentions = self.vocab.mentions(c.text);
        self.add_counted(Counted {
            member: c.member,
            thread: c.thread,
            post: c.post,
            month: c.month,
            mentions: &mentions,
        });
    }

    /// Counts one post whose mentions were found earlier, with this vocabulary.
    pub fn add_counted(&mut self, c: Counted<'_>) {
        if !self.posts.insert(c.post) {
            return;
        }
        let m = c.mentions;
        let month = self.months.entry(c.month).or_default();
        month.total.add(&c);
        for cat in Category::ALL {
            for &t in &m.terms[cat.index()] {
                month.terms.entry((cat.index(), t)).or_default().add(&c);
            }
        }
        for &t in &m.terms[Category::Treatment.index()] {
            for &s in &m.terms[Category::SideEffect.index()] {
                month.pairs.entry((t, s)).or_default().add(&c);
            }
        }
    }

    /// Drops all ids and returns the counts.
    pub fn finish(self) -> Aggregates {
        let labels = Category::ALL.map(|c| {
            self.vocab
                .terms(c)
                .iter()
                .map(|t| t.label().to_owned())
                .collect::<Vec<_>>()
        });
        let n_side = labels[Category::SideEffect.index()].len();
        let n_treat = labels[Category::Treatment.index()].len();
        let months = self
            .months
            .into_iter()
            .map(|(month, sets)| {
                let mut terms = labels.clone().map(|l| vec![Counts::default(); l.len()]);
                for ((c, t), s) in &sets.terms {
                    terms[*c][*t] = s.counts();
                }
                let mut pairs = vec![Counts::default(); n_treat * n_side];
                for ((t, s), set) in &sets.pairs {
                    pairs[t * n_side + s] = set.counts();
                }
                let counts = MonthCounts {
                    total: sets.total.counts(),
                    terms,
                    pairs,
                };
                (month, counts)
            })
            .collect();
        Aggregates { labels, months }
    }
}

/// Counts one community's contributions. The caller passes only posts by members who
/// opted in, one community at a time.
pub fn aggregate<'a>(
    vocab: &Vocabulary,
    contributions: impl IntoIterator<Item = Contribution<'a>>,
) -> Aggregates {
    let mut agg = Aggregator::new(vocab);
    for c in contributions {
        agg.add(c);
    }
    agg.finish()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MonthCounts {
    pub(crate) total: Counts,
    /// Dense, per category, in vocabulary order.
    pub(crate) terms: [Vec<Counts>; 3],
    /// Dense, treatment-major: `pairs[t * n_side_effects + s]`.
    pub(crate) pairs: Vec<Counts>,
}

/// Raw, **unsuppressed** counts per month. They contain no ids or text, but small
/// counts are identifying: never show these to anyone; call [`Aggregates::publish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregates {
    pub(crate) labels: [Vec<String>; 3],
    pub(crate) months: BTreeMap<Month, MonthCounts>,
}

impl Aggregates {
    /// The months that had at least one contribution.
    pub fn months(&self) -> impl Iterator<Item = Month> + '_ {
        self.months.keys().copied()
    }

    /// All contributions of a month: posts, threads, contributing members.
    pub fn totals(&self, month: Month) -> Option<Counts> {
        self.months.get(&month).map(|m| m.total)
    }

    /// Raw counts for one term (by label, case-insensitive) in one month.
    pub fn term(&self, month: Month, category: Category, label: &str) -> Option<Counts> {
        let i = self.position(category, label)?;
        self.months
            .get(&month)
            .map(|m| m.terms[category.index()][i])
    }

    /// Raw counts for posts mentioning both a treatment and a side effect.
    pub fn pair(&self, month: Month, treatment: &str, side_effect: &str) -> Option<Counts> {
        let t = self.position(Category::Treatment, treatment)?;
        let s = self.position(Category::SideEffect, side_effect)?;
        let n_side = self.labels[Category::SideEffect.index()].len();
        self.months.get(&month).map(|m| m.pairs[t * n_side + s])
    }

    fn position(&self, category: Category, label: &str) -> Option<usize> {
        self.labels[category.index()]
            .iter()
            .position(|l| l.eq_ignore_ascii_case(label))
    }
}
