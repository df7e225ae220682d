//! De-identified community insights for Kindred.
//!
//! Foundations and researchers want to learn what patients and caregivers in a
//! community struggle with — without ever seeing a person. This crate turns a
//! community's opted-in posts into **monthly counts** of posts, threads and distinct
//! members mentioning terms from curated vocabularies (treatments, side effects,
//! concerns), plus treatment × side-effect co-occurrence within a post, and then
//! withholds every figure that could single someone out.
//!
//! The crate is pure: no I/O, no database, no clock. The caller loads the
//! vocabulary files (`seed-data/insights/*.txt`), selects the posts of members who
//! opted in, one community at a time, and hands them over.
//!
//! # Call sequence
//!
//! 1. [`Vocabulary::parse`] the three vocabulary files (format in the [`vocab`]
//!    docs; errors carry the file and 1-based line number).
//! 2. Build one [`Contribution`] per opted-in post (opaque member/thread/post ids, the
//!    [`Month`], the text) and call [`aggregate`] (or feed an [`Aggregator`]).
//!    A caller that keeps each post's [`Mentions`] (found once with
//!    [`Vocabulary::mentions`], stored as [`Mentions::encode`]) hands over [`Counted`]
//!    posts to [`Aggregator::add_counted`] instead, and the text is not scanned again.
//!    The result, [`Aggregates`], holds raw counts only — ids and text are dropped —
//!    but small counts are still identifying: do not show it.
//! 3. [`Aggregates::publish`] with [`MIN_MEMBERS`] (11) gives a [`Report`], safe to
//!    show: serialise it with serde (JSON via [`Report::to_json`]) or
//!    [`Report::to_csv`]. If [`Report::is_empty_after_suppression`], tell the reader
//!    there are too few consenting members to report anything.
//!
//! ```
//! use kindred_insights::{aggregate, Contribution, Figure, Month, Vocabulary, MIN_MEMBERS};
//!
//! let vocab = Vocabulary::parse(
//!     "chemotherapy: chemotherapy, chemo\n",
//!     "# side effects\nneuropathy: neuropathy, pins and needles, numb fingers, tingling\n",
//!     "cost: cost, can't afford\nsleep: insomnia, can't sleep\n",
//! )?;
//! let march = Month::parse("2026-03")?;
//! let texts: Vec<String> = (0..30)
//!     .map(|i| if i < 12 { "Chemo round 3, pins-and-needles again".into() }
//!               else { format!("Can't afford the copay #{i}") })
//!     .collect();
//! let posts = texts.iter().enumerate().map(|(i, text)| Contribution {
//!     member: i as u64,      // 30 distinct members
//!     thread: (i % 3) as u64,
//!     post: i as u64,
//!     month: march,
//!     text,
//! });
//! let report = aggregate(&vocab, posts).publish(MIN_MEMBERS)?;
//! assert!(!report.is_empty_after_suppression());
//! let m = &report.months[0];
//! assert_eq!(m.month.to_string(), "2026-03");
//! assert_eq!(m.totals.members, Figure::Value(30));
//! // 12 members mention chemo; 18 mention cost; nobody mentions sleep ("<11").
//! let chemo = m.terms.iter().find(|t| t.label == "chemotherapy").unwrap();
//! assert_eq!(chemo.figures.members, Figure::Value(12));
//! let sleep = m.terms.iter().find(|t| t.label == "sleep").unwrap();
//! assert_eq!(sleep.figures.posts.to_string(), "<11");
//! assert!(report.to_csv().starts_with("month,kind,category,term,side_effect,"));
//! # Ok::<(), kindred_insights::Error>(())
//! ```
//!
//! # What is counted
//!
//! Per month (the finest time unit that ever leaves the crate):
//!
//! * **totals** — all opted-in posts of the month, their distinct threads and
//!   distinct authors;
//! * **terms** — for every vocabulary term, posts mentioning it (any of its forms),
//!   their distinct threads and distinct authors; every term is listed every month;
//! * **pairs** — for every treatment × side effect, posts mentioning both, their
//!   threads and authors. Only published pairs are listed.
//!
//! A thread spanning months counts in each month it has a (matching) post. Counts are
//! of *distinct* ids, so a post handed over twice counts once. One report covers one
//! community.
//!
//! # Output contains no identifiers
//!
//! No HIPAA Safe Harbor identifier leaves the crate: no names, no ids (they are used
//! only to count distinct values and dropped by [`Aggregator::finish`]), no dates
//! finer than `YYYY-MM`, no free text (text is scanned and discarded; only vocabulary
//! labels, written by the project, appear in reports).
//!
//! # Suppression
//!
//! **Primary suppression.** Every figure rests on a set of distinct members (the
//! authors of the posts it counts). A row — posts, threads and members together —
//! whose member count is below the threshold (11; it may be raised, never lowered) is
//! withheld and shown as `"<11"`. This includes zero: "nobody" and "a few people"
//! look the same. If a month has fewer than 11 contributing members, everything in it
//! is withheld.
//!
//! **Complementary suppression.** Withholding one figure is useless if it can be
//! recovered by subtraction from figures that are published. The publication has
//! these additive relations, which we assume an attacker may treat as exact sums
//! (they are exact in the worst case, e.g. when every post mentions exactly one
//! term), written `total = sum(cells)`:
//!
//! * per category: month total = sum of that category's term rows;
//! * per treatment: treatment row = sum of its pairs (over all side effects);
//! * per side effect: side-effect row = sum of its pairs (over all treatments);
//! * a label present in two vocabularies (e.g. "fatigue"): one row = the other.
//!
//! The method then repeats, until nothing changes: (1) any relation in which exactly
//! one entry (the total or one cell) is withheld gets a second one withheld — the
//! published cell of that relation with the fewest members (then fewest posts), or,
//! if no cell is left, its total; (2) an audit solves the whole system of relations
//! by Gaussian elimination over the withheld entries and, if any withheld entry is
//! still uniquely determined (subtraction chains across several relations, e.g. a
//! withheld pair connecting two withheld cycles), withholds the smallest published
//! cell of a relation involving it (or that relation's total). Suppression only
//! grows, so this terminates; at worst the whole month is withheld. Complementary
//! cells are marked the same `"<11"`, so readers cannot tell which cells are small.
//! Publishing only whole rows keeps posts, threads and members consistent: every
//! metric has the same withheld set and so the same protection. Totals across months
//! or communities are not published, so no relations exist across them.
//!
//! **Limits.** The audit proves that no withheld figure can be computed *exactly*
//! from one report; it does not compute LP bounds (an attacker who knows two withheld
//! cells sum to 20 and believes both are below 11 learns more than "<11"). Reports of
//! the same community over different data (e.g. before and after someone opts in or
//! out) can be differenced; publish on a fixed schedule and do not republish a past
//! month with changed data.
mod aggregate;
#[cfg(test)]
mod attack_tests;
mod error;
mod month;
mod report;
pub mod vocab;

pub use aggregate::{aggregate, Aggregates, Aggregator, Contribution, Counted, Counts};
pub use error::Error;
pub use month::Month;
pub use report::{
    suppress_members, Figure, Figures, MonthReport, PairRow, Relation, Report, TermRow, MIN_MEMBERS,
};
pub use vocab::{Category, Mentions, Term, Vocabulary};
