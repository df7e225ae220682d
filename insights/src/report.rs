//! Publication: small-cell and complementary suppression, CSV and JSON output.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::aggregate::MonthCounts;
use crate::{Aggregates, Category, Counts, Error, Month};

/// The lowest allowed (and recommended) threshold: figures resting on fewer than this
/// many distinct members are withheld.
pub const MIN_MEMBERS: u32 = 11;

/// A published figure: a count, or withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// The count.
    Value(u64),
    /// Withheld; shown as `"<11"` (with the report's threshold). Covers both cells
    /// resting on fewer members than the threshold and cells withheld so that those
    /// cannot be recovered by subtraction (see the crate docs).
    Suppressed {
        /// The report's threshold, for display.
        below: u32,
    },
}

impl Figure {
    /// The count, if published.
    pub fn value(self) -> Option<u64> {
        match self {
            Figure::Value(v) => Some(v),
            Figure::Suppressed { .. } => None,
        }
    }

    /// Whether the figure is withheld.
    pub fn is_suppressed(self) -> bool {
        matches!(self, Figure::Suppressed { .. })
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Value(v) => write!(f, "{v}"),
            Figure::Suppressed { below } => write!(f, "<{below}"),
        }
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Figure::Value(v) => s.serialize_u64(*v),
            Figure::Suppressed { .. } => s.collect_str(self),
        }
    }
}

/// Published posts/threads/members for one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Distinct posts.
    pub posts: Figure,
    /// Distinct threads.
    pub threads: Figure,
    /// Distinct members.
    pub members: Figure,
}

/// One vocabulary term in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermRow {
    /// The term's vocabulary.
    pub category: Category,
    /// The term's label.
    pub label: String,
    /// Posts, threads and members mentioning the term.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A treatment and a side effect mentioned in the same post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairRow {
    /// Treatment label.
    pub treatment: String,
    /// Side-effect label.
    pub side_effect: String,
    /// Posts (and their threads and members) mentioning both.
    #[serde(flatten)]
    pub figures: Figures,
}

/// One month of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthReport {
    /// The month (`YYYY-MM`).
    pub month: Month,
    /// All opted-in posts of the month, their threads and authors.
    pub totals: Figures,
    /// Every vocabulary term, in category then file order (withheld ones included).
    pub terms: Vec<TermRow>,
    /// Only the published treatment × side-effect pairs; a pair not listed is withheld.
    pub pairs: Vec<PairRow>,
}

/// A de-identified, suppressed report for one community. Safe to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The threshold used.
    pub min_members: u32,
    /// Months with at least one opted-in contribution, oldest first.
    pub months: Vec<MonthReport>,
}

impl Report {
    /// True when no term or pair figure survived suppression, i.e. there is nothing
    /// to learn: the caller should say "too few consenting members" rather than show
    /// an empty table. (Month totals alone don't count.)
    pub fn is_empty_after_suppression(&self) -> bool {
        self.months.iter().all(|m| {
            m.pairs.is_empty() && m.terms.iter().all(|t| t.figures.members.is_suppressed())
        })
    }

    /// JSON (pretty-printed). Same content as [`Report`]'s `Serialize`.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string_pretty(self).map_err(|e| Error::Json(e.to_string()))
    }

    /// CSV with header `month,kind,category,term,side_effect,posts,threads,members`;
    /// `kind` is `total`, `term` or `pair` (for pairs, `term` holds the treatment).
    pub fn to_csv(&self) -> String {
        let mut out = String::from("month,kind,category,term,side_effect,posts,threads,members\n");
        let mut row = |month: Month, kind: &str, cat: &str, term: &str, se: &str, f: &Figures| {
            let cells = [
                month.to_string(),
                kind.to_owned(),
                cat.to_owned(),
                term.to_owned(),
                se.to_owned(),
                f.posts.to_string(),
                f.threads.to_string(),
                f.members.to_string(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        };
        for m in &self.months {
            row(m.month, "total", "", "", "", &m.totals);
            for t in &m.terms {
                row(
                    m.month,
                    "term",
                    t.category.as_str(),
                    &t.label,
                    "",
                    &t.figures,
                );
            }
            for p in &m.pairs {
                row(
                    m.month,
                    "pair",
                    "",
                    &p.treatment,
                    &p.side_effect,
                    &p.figures,
                );
            }
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

// ---------------------------------------------------------------------------------
// Suppression.
//
// Per month, every published row is an "entity": 0 = the month totals, then every
// term (category-major), then every treatment × side-effect pair. A `Group` is an
// additive relation an attacker might assume: `total = sum(cells)`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) total: usize,
    pub(crate) cells: Vec<usize>,
}

/// Entity layout of one month.
pub(crate) struct Layout {
    pub(crate) term_offset: [usize; 3],
    pub(crate) pair_offset: usize,
    pub(crate) n_side: usize,
    pub(crate) len: usize,
}

impl Layout {
    pub(crate) fn new(sizes: [usize; 3]) -> Self {
        let term_offset = [1, 1 + sizes[0], 1 + sizes[0] + sizes[1]];
        let pair_offset = 1 + sizes.iter().sum::<usize>();
        Layout {
            term_offset,
            pair_offset,
            n_side: sizes[1],
            len: pair_offset + sizes[0] * sizes[1],
        }
    }

    fn term(&self, c: Category, i: usize) -> usize {
        self.term_offset[c.index()] + i
    }

    fn pair(&self, t: usize, s: usize) -> usize {
        self.pair_offset + t * self.n_side + s
    }
}

/// The relations of the published table (see the crate docs, "Suppression").
pub(crate) fn groups(labels: &[Vec<String>; 3]) -> Vec<Group> {
    let sizes = [labels[0].len(), labels[1].len(), labels[2].len()];
    let l = Layout::new(sizes);
    let mut g = Vec::new();
    for c in Category::ALL {
        g.push(Group {
            total: 0,
            cells: (0..sizes[c.index()]).map(|i| l.term(c, i)).collect(),
        });
    }
    for t in 0..sizes[0] {
        g.push(Group {
            total: l.term(Category::Treatment, t),
            cells: (0..sizes[1]).map(|s| l.pair(t, s)).collect(),
        });
    }
    for s in 0..sizes[1] {
        g.push(Group {
            total: l.term(Category::SideEffect, s),
            cells: (0..sizes[0]).map(|t| l.pair(t, s)).collect(),
        });
    }
    // The same label in two vocabularies (e.g. "fatigue") may count the same posts.
    for (a, b) in [(0, 1), (0, 2), (1, 2)] {
        for (i, la) in labels[a].iter().enumerate() {
            for (j, lb) in labels[b].iter().enumerate() {
                if la.eq_ignore_ascii_case(lb) {
                    g.push(Group {
                        total: l.term(Category::ALL[a], i),
                        cells: vec![l.term(Category::ALL[b], j)],
                    });
                }
            }
        }
    }
    g.retain(|g| !g.cells.is_empty());
    g
}

fn entity_counts(m: &MonthCounts, l: &Layout) -> Vec<Counts> {
    let mut v = Vec::with_capacity(l.len);
    v.push(m.total);
    for c in Category::ALL {
        v.extend_from_slice(&m.terms[c.index()]);
    }
    v.extend_from_slice(&m.pairs);
    v
}

/// One additive relation of a table other than the insights' own (e.g. a survey's
/// answers): the entry at `total` is the sum of the entries at `cells`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub cells: Vec<usize>,
}

/// The suppression of [`Aggregates::publish`] for any table of member counts: which
/// entries of `members` to withhold, given the exact sums `relations` an attacker could
/// subtract along. Entries under `min_members` are withheld, then more until no
/// withheld entry can be recovered (see the crate docs). `min_members` below
/// [`MIN_MEMBERS`] is refused.
pub fn suppress_members(
    members: &[u64],
    relations: &[Relation],
    min_members: u32,
) -> Result<Vec<bool>, Error> {
    if min_members < MIN_MEMBERS {
        return Err(Error::ThresholdTooLow {
            requested: min_members,
            floor: MIN_MEMBERS,
        });
    }
    let counts: Vec<Counts> = members
        .iter()
        .map(|&m| Counts {
            posts: m,
            threads: m,
            members: m,
        })
        .collect();
    let groups: Vec<Group> = relations
        .iter()
        .filter(|r| !r.cells.is_empty())
        .map(|r| Group {
            total: r.total,
            cells: r.cells.clone(),
        })
        .collect();
    Ok(suppress(&counts, &groups, u64::from(min_members)))
}

/// Decides which entities are withheld: primary suppression, then complementary
/// suppression until no relation has exactly one unknown and no withheld entity is
/// determined by the relations as a whole.
pub(crate) fn suppress(counts: &[Counts], groups: &[Group], min: u64) -> Vec<bool> {
    let mut sup: Vec<bool> = counts.iter().map(|c| c.members < min).collect();
    // Smallest first: members, then posts, then threads, then position.
    let key = |e: usize| (counts[e].members, counts[e].posts, counts[e].threads, e);
    loop {
        let mut changed = false;
        for g in groups {
            let n = usize::from(sup[g.total]) + g.cells.iter().filter(|&&c| sup[c]).count();
            if n == 1 {
                match g
                    .cells
                    .iter()
                    .copied()
                    .filter(|&c| !sup[c])
                    .min_by_key(|&c| key(c))
                {
                    Some(c) => sup[c] = true,
                    None => sup[g.total] = true,
                }
                changed = true;
            }
        }
        if changed {
            continue;
        }
        let Some(j) = determined(groups, &sup).into_iter().next() else {
            return sup;
        };
        // Widen: withhold the smallest published cell of a relation involving `j`,
        // else a published total of one.
        let involving = groups
            .iter()
            .filter(|g| g.total == j || g.cells.contains(&j));
        let cell = involving
            .clone()
            .flat_map(|g| g.cells.iter().copied())
            .filter(|&c| !sup[c])
            .min_by_key(|&c| key(c));
        let pick = cell.or_else(|| involving.map(|g| g.total).find(|&t| !sup[t]));
        match pick {
            Some(e) => sup[e] = true,
            // Everything around `j` is already withheld; nothing more to do.
            None => return sup,
        }
    }
}

/// Withheld entities whose value is fixed by the relations `total = sum(cells)`
/// given all published values (linear algebra, ignoring bounds): those whose unit
/// vector lies in the row space of the relations restricted to the withheld entities.
pub(crate) fn determined(groups: &[Group], sup: &[bool]) -> Vec<usize> {
    let unknowns: Vec<usize> = (0..sup.len())
        .filter(|&e| sup[e] && groups.iter().any(|g| g.total == e || g.cells.contains(&e)))
        .collect();
    if unknowns.is_empty() {
        return Vec::new();
    }
    let col = |e: usize| unknowns.binary_search(&e).ok();
    let mut rows: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| {
            let mut r = vec![0.0; unknowns.len()];
            if let Some(c) = col(g.total) {
                r[c] += 1.0;
            }
            for &e in &g.cells {
                if let Some(c) = col(e) {
                    r[c] -= 1.0;
                }
            }
            r
        })
        .filter(|r| r.iter().any(|&x| x != 0.0))
        .collect();
    const EPS: f64 = 1e-9;
    let mut pivots = Vec::new();
    let mut rank = 0;
    for c in 0..unknowns.len() {
        let Some(p) = (rank..rows.len())
            .filter(|&r| rows[r][c].abs() > EPS)
            .max_by(|&a, &b| rows[a][c].abs().total_cmp(&rows[b][c].abs()))
        else {
            continue;
        };
        rows.swap(rank, p);
        let pv = rows[rank][c];
        for x in &mut rows[rank] {
            *x /= pv;
        }
        let pivot_row = rows[rank].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != rank && row[c].abs() > EPS {
                let f = row[c];
                for (x, p) in row.iter_mut().zip(&pivot_row) {
                    *x -= f * p;
                }
            }
        }
        pivots.push((rank, c));
        rank += 1;
        if rank == rows.len() {
            break;
        }
    }
    pivots
        .into_iter()
        .filter(|&(r, c)| {
            rows[r]
                .iter()
                .enumerate()
                .all(|(k, x)| k == c || x.abs() <= EPS)
        })
        .map(|(_, c)| unknowns[c])
        .collect()
}

impl Aggregates {
    /// Applies suppression and returns the publishable report.
    ///
    /// `min_members` is normally [`MIN_MEMBERS`] (11); it may be raised but not
    /// lowered ([`Error::ThresholdTooLow`]).
    pub fn publish(&self, min_members: u32) -> Result<Report, Error> {
        if min_members < MIN_MEMBERS {
            return Err(Error::ThresholdTooLow {
                requested: min_members,
                floor: MIN_MEMBERS,
            });
        }
        Ok(self.publish_unchecked(min_members, true))
    }

    /// `complementary = false` is only for tests demonstrating the attack.
    pub(crate) fn publish_unchecked(&self, min_members: u32, complementary: bool) -> Report {
        let groups = if complementary {
            groups(&self.labels)
        } else {
            Vec::new()
        };
        let sizes = [
            self.labels[0].len(),
            self.labels[1].len(),
            self.labels[2].len(),
        ];
        let layout = Layout::new(sizes);
        let months = self
            .months
            .iter()
            .map(|(&month, m)| {
                let counts = entity_counts(m, &layout);
                let sup = suppress(&counts, &groups, u64::from(min_members));
                let fig = |v: u64, s: bool| {
                    if s {
                        Figure::Suppressed { below: min_members }
                    } else {
                        Figure::Value(v)
                    }
                };
                let figs = |e: usize| Figures {
                    posts: fig(counts[e].posts, sup[e]),
                    threads: fig(counts[e].threads, sup[e]),
                    members: fig(counts[e].members, sup[e]),
                };
                let mut terms = Vec::new();
                for c in Category::ALL {
                    for (i, label) in self.labels[c.index()].iter().enumerate() {
                        terms.push(TermRow {
                            category: c,
                            label: label.clone(),
                            figures: figs(layout.term(c, i)),
                        });
                    }
                }
                let mut pairs = Vec::new();
                for (t, tl) in self.labels[0].iter().enumerate() {
                    for (s, sl) in self.labels[1].iter().enumerate() {
                        let e = layout.pair(t, s);
                        if !sup[e] {
                            pairs.push(PairRow {
                                treatment: tl.clone(),
                                side_effect: sl.clone(),
                                figures: figs(e),
                            });
                        }
                    }
                }
                MonthReport {
                    month,
                    totals: figs(0),
                    terms,
                    pairs,
                }
            })
            .collect();
        Report {
            min_members,
            months,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn c(members: u64) -> Counts {
        Counts {
            posts: members * 2,
            threads: members,
            members,
        }
    }

    #[test]
    fn single_unknown_forces_a_partner() {
        // total, a, b, c ; a is small.
        let counts = [c(60), c(10), c(20), c(30)];
        let g = [Group {
            total: 0,
            cells: vec![1, 2, 3],
        }];
        assert_eq!(suppress(&counts, &g, 11), [false, true, true, false]);
    }

    #[test]
    fn lone_cell_withholds_the_total() {
        let counts = [c(60), c(10)];
        let g = [Group {
            total: 0,
            cells: vec![1],
        }];
        assert_eq!(suppress(&counts, &g, 11), [true, true]);
    }

    #[test]
    fn bridge_between_cycles_is_caught_by_the_audit() {
        // x + y = a (published), x - z = 0 style chains: three relations pairwise
        // sharing withheld cells determine them even though each has two unknowns.
        // Entities: 0 = T1, 1 = T2, 2 = T3 totals; 3, 4, 5 cells.
        // T1 = e3 + e4, T2 = e3 + e5, T3 = e4 + e5 -> all determined.
        let g = vec![
            Group {
                total: 0,
                cells: vec![3, 4],
            },
            Group {
                total: 1,
                cells: vec![3, 5],
            },
            Group {
                total: 2,
                cells: vec![4, 5],
            },
        ];
        let sup = [false, false, false, true, true, true];
        let mut d = determined(&g, &sup);
        d.sort_unstable();
        assert_eq!(d, [3, 4, 5]);
        let counts = [c(30), c(30), c(30), c(5), c(25), c(25)];
        let out = suppress(&counts, &g, 11);
        assert!(determined(&g, &out).is_empty());
        assert!(out[3]);
    }

    #[test]
    fn figure_serialises_as_number_or_marker() {
        assert_eq!(serde_json::to_string(&Figure::Value(12)).unwrap(), "12");
        assert_eq!(
            serde_json::to_string(&Figure::Suppressed { below: 11 }).unwrap(),
            "\"<11\""
        );
    }
}
