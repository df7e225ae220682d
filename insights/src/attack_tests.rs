//! Black-box attacks on published reports: an adversary who knows the vocabulary and
//! the table's additive relations tries every subtraction.

#![allow(clippy::unwrap_used)] // tests

use std::collections::{BTreeMap, BTreeSet};

use crate::{aggregate, Category, Contribution, Month, Report, Vocabulary, MIN_MEMBERS};

type Entity = String;

const METRICS: [&str; 3] = ["posts", "threads", "members"];

/// Published figures of one month for one metric: entity → value (None = withheld).
fn table(report: &Report, vocab: &Vocabulary, metric: &str) -> Vec<BTreeMap<Entity, Option<u64>>> {
    let pick = |f: &crate::Figures| match metric {
        "posts" => f.posts.value(),
        "threads" => f.threads.value(),
        _ => f.members.value(),
    };
    report
        .months
        .iter()
        .map(|m| {
            let mut t = BTreeMap::new();
            t.insert("total".to_owned(), pick(&m.totals));
            for row in &m.terms {
                t.insert(
                    format!("term:{}:{}", row.category, row.label),
                    pick(&row.figures),
                );
            }
            // Absent pairs are withheld.
            for tr in vocab.terms(Category::Treatment) {
                for se in vocab.terms(Category::SideEffect) {
                    t.insert(format!("pair:{}:{}", tr.label(), se.label()), None);
                }
            }
            for p in &m.pairs {
                t.insert(
                    format!("pair:{}:{}", p.treatment, p.side_effect),
                    pick(&p.figures),
                );
            }
            t
        })
        .collect()
}

/// The relations `total = sum(cells)` an attacker may assume.
fn relations(vocab: &Vocabulary) -> Vec<(Entity, Vec<Entity>)> {
    let term = |c: Category, l: &str| format!("term:{c}:{l}");
    let mut r = Vec::new();
    for c in Category::ALL {
        r.push((
            "total".to_owned(),
            vocab.terms(c).iter().map(|t| term(c, t.label())).collect(),
        ));
    }
    let ts = vocab.terms(Category::Treatment);
    let ss = vocab.terms(Category::SideEffect);
    for t in ts {
        r.push((
            term(Category::Treatment, t.label()),
            ss.iter()
                .map(|s| format!("pair:{}:{}", t.label(), s.label()))
                .collect(),
        ));
    }
    for s in ss {
        r.push((
            term(Category::SideEffect, s.label()),
            ts.iter()
                .map(|t| format!("pair:{}:{}", t.label(), s.label()))
                .collect(),
        ));
    }
    for a in Category::ALL {
        for b in Category::ALL {
            if a < b {
                for x in vocab.terms(a) {
                    for y in vocab.terms(b) {
                        if x.label().eq_ignore_ascii_case(y.label()) {
                            r.push((term(a, x.label()), vec![term(b, y.label())]));
                        }
                    }
                }
            }
        }
    }
    r
}

/// Brute force: for every relation, every subset of its published cells is
/// subtracted from its published total (and every subset of published cells is
/// summed, in case the total is the withheld one). Whenever what remains is exactly
/// one withheld entity, the attacker has recovered it. Recovered values are fed back
/// in (chains of subtractions) until nothing new is learnt. Returns what was learnt.
fn subtraction_attack(
    table: &BTreeMap<Entity, Option<u64>>,
    relations: &[(Entity, Vec<Entity>)],
) -> BTreeMap<Entity, i128> {
    let mut known: BTreeMap<Entity, i128> = table
        .iter()
        .filter_map(|(k, v)| v.map(|v| (k.clone(), i128::from(v))))
        .collect();
    let published: BTreeSet<Entity> = known.keys().cloned().collect();
    loop {
        let mut learnt = false;
        for (total, cells) in relations {
            let known_cells: Vec<&Entity> =
                cells.iter().filter(|c| known.contains_key(*c)).collect();
            assert!(known_cells.len() <= 16, "test vocabularies must stay small");
            for mask in 0u32..(1 << known_cells.len()) {
                let subset: Vec<&Entity> = (0..known_cells.len())
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| known_cells[i])
                    .collect();
                let sum: i128 = subset.iter().map(|c| known[*c]).sum();
                let rest: Vec<&Entity> = cells.iter().filter(|c| !subset.contains(c)).collect();
                if let Some(&t) = known.get(total) {
                    // total - sum(subset) = sum(rest)
                    if rest.len() == 1 && !known.contains_key(rest[0]) {
                        known.insert(rest[0].clone(), t - sum);
                        learnt = true;
                    }
                } else if rest.is_empty() {
                    known.insert(total.clone(), sum);
                    learnt = true;
                }
            }
        }
        if !learnt {
            break;
        }
    }
    known.retain(|k, _| !published.contains(k));
    known
}

/// Contributions where every member writes exactly one post in its own thread, naming
/// exactly one treatment, side effect and concern: every relation is then an exact sum,
/// the attacker's best case.
fn additive_posts(pair_counts: &[[u64; 3]; 3], concern_counts: &[u64; 4]) -> Vec<(u64, String)> {
    let treatments = ["alpha", "beta", "gamma"];
    let side_effects = ["xray", "yankee", "zulu"];
    let concerns = ["cost", "sleep", "work", "fertility"];
    let mut combos = Vec::new();
    for (t, row) in pair_counts.iter().enumerate() {
        for (s, &n) in row.iter().enumerate() {
            for _ in 0..n {
                combos.push((treatments[t], side_effects[s]));
            }
        }
    }
    let mut concern_of = Vec::new();
    for (c, &n) in concern_counts.iter().enumerate() {
        for _ in 0..n {
            concern_of.push(concerns[c]);
        }
    }
    assert_eq!(combos.len(), concern_of.len());
    combos
        .iter()
        .zip(concern_of)
        .enumerate()
        .map(|(i, ((t, s), c))| {
            (
                i as u64 + 1000,
                format!("On {t}, lots of {s}; worried about {c}."),
            )
        })
        .collect()
}

fn small_vocab() -> Vocabulary {
    Vocabulary::parse(
        "alpha: alpha\nbeta: beta\ngamma: gamma\n",
        "xray: xray\nyankee: yankee\nzulu: zulu\n",
        "cost: cost\nsleep: sleep\nwork: work\nfertility: fertility\n",
    )
    .unwrap()
}

fn report_for(
    vocab: &Vocabulary,
    pair_counts: &[[u64; 3]; 3],
    concern_counts: &[u64; 4],
    complementary: bool,
) -> (Report, crate::Aggregates) {
    let month = Month::parse("2026-03").unwrap();
    let posts = additive_posts(pair_counts, concern_counts);
    let agg = aggregate(
        vocab,
        posts.iter().map(|(id, text)| Contribution {
            member: *id,
            thread: *id,
            post: *id,
            month,
            text,
        }),
    );
    (agg.publish_unchecked(MIN_MEMBERS, complementary), agg)
}

fn assert_safe(vocab: &Vocabulary, report: &Report) {
    for metric in METRICS {
        for t in table(report, vocab, metric) {
            let learnt = subtraction_attack(&t, &relations(vocab));
            assert!(learnt.is_empty(), "{metric}: recovered {learnt:?}");
        }
    }
}

const PAIRS: [[u64; 3]; 3] = [[20, 15, 12], [14, 30, 11], [25, 13, 18]];

#[test]
fn ten_member_concern_is_withheld_and_not_derivable() {
    let vocab = small_vocab();
    // 158 members: fertility 10, the other concerns all >= 11.
    let concerns = [60, 50, 38, 10];
    let (report, agg) = report_for(&vocab, &PAIRS, &concerns, true);
    let m = Month::parse("2026-03").unwrap();
    assert_eq!(
        agg.term(m, Category::Concern, "fertility").unwrap().members,
        10
    );
    let fert = report.months[0]
        .terms
        .iter()
        .find(|t| t.label == "fertility")
        .unwrap();
    assert!(fert.figures.members.is_suppressed());
    assert!(fert.figures.posts.is_suppressed());
    assert_eq!(fert.figures.members.to_string(), "<11");
    assert!(report.months[0].totals.members.value() == Some(158));
    assert_safe(&vocab, &report);

    // Without complementary suppression the same attack does recover it: the test
    // really exercises the relations.
    let (naive, _) = report_for(&vocab, &PAIRS, &concerns, false);
    let learnt = subtraction_attack(&table(&naive, &vocab, "members")[0], &relations(&vocab));
    assert_eq!(learnt.get("term:concern:fertility"), Some(&10));
}

#[test]
fn ten_member_pair_is_withheld_and_not_derivable() {
    let vocab = small_vocab();
    let mut pairs = PAIRS;
    pairs[1][2] = 10; // beta × zulu
    let total: u64 = pairs.iter().flatten().sum();
    let concerns = [40, 40, 40, total - 120];
    let (report, agg) = report_for(&vocab, &pairs, &concerns, true);
    let m = Month::parse("2026-03").unwrap();
    assert_eq!(agg.pair(m, "beta", "zulu").unwrap().members, 10);
    assert!(!report.months[0]
        .pairs
        .iter()
        .any(|p| p.treatment == "beta" && p.side_effect == "zulu"));
    assert_safe(&vocab, &report);

    let (naive, _) = report_for(&vocab, &pairs, &concerns, false);
    let learnt = subtraction_attack(&table(&naive, &vocab, "posts")[0], &relations(&vocab));
    assert_eq!(learnt.get("pair:beta:zulu"), Some(&10));
}

#[test]
fn random_tables_never_leak() {
    // Small deterministic LCG: no rand dependency.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let vocab = small_vocab();
    for _ in 0..150 {
        let mut pairs = [[0u64; 3]; 3];
        for row in &mut pairs {
            for cell in row.iter_mut() {
                // Mostly large, sometimes small or empty.
                *cell = if next(3) == 0 {
                    next(11)
                } else {
                    11 + next(20)
                };
            }
        }
        let total: u64 = pairs.iter().flatten().sum();
        let mut concerns = [0u64; 4];
        let mut left = total;
        for c in concerns.iter_mut().take(3) {
            *c = next(left + 1).min(if next(2) == 0 { 10 } else { left });
            left -= *c;
        }
        concerns[3] = left;
        let (report, agg) = report_for(&vocab, &pairs, &concerns, true);
        assert_safe(&vocab, &report);
        // Every figure on fewer than 11 members is withheld; published ones are exact.
        let m = Month::parse("2026-03").unwrap();
        for row in &report.months[0].terms {
            let raw = agg.term(m, row.category, &row.label).unwrap();
            match row.figures.members.value() {
                Some(v) => {
                    assert!(v >= 11);
                    assert_eq!(v, raw.members);
                    assert_eq!(row.figures.posts.value(), Some(raw.posts));
                }
                None => assert!(row.figures.posts.is_suppressed()),
            }
        }
        for p in &report.months[0].pairs {
            let raw = agg.pair(m, &p.treatment, &p.side_effect).unwrap();
            assert!(raw.members >= 11);
            assert_eq!(p.figures.members.value(), Some(raw.members));
        }
        // The crate's own audit agrees.
        let groups = crate::report::groups(&agg.labels);
        let sup = withheld(&report.months[0], &agg.labels);
        assert!(crate::report::determined(&groups, &sup).is_empty());
    }
}

#[test]
fn shared_label_is_suppressed_in_both_vocabularies() {
    // "fatigue" as a side effect and a concern with different forms; the concern row is
    // small, so the side-effect row must go too (or they would differ by a subtraction).
    let vocab = Vocabulary::parse(
        "chemo: chemo\n",
        "fatigue: fatigue\nnausea: nausea\n",
        "fatigue: exhausted\ncost: cost\n",
    )
    .unwrap();
    let month = Month::parse("2026-04").unwrap();
    let mut texts = Vec::new();
    for i in 0..30u64 {
        let t = match i {
            0..=9 => "chemo fatigue exhausted cost",
            10..=19 => "chemo fatigue nausea cost",
            _ => "chemo nausea cost",
        };
        texts.push((i, t));
    }
    let agg = aggregate(
        &vocab,
        texts.iter().map(|(i, t)| Contribution {
            member: *i,
            thread: 1,
            post: *i,
            month,
            text: t,
        }),
    );
    let report = agg.publish(MIN_MEMBERS).unwrap();
    let fatigue: Vec<_> = report.months[0]
        .terms
        .iter()
        .filter(|t| t.label == "fatigue")
        .collect();
    assert_eq!(fatigue.len(), 2);
    assert!(fatigue.iter().all(|t| t.figures.members.is_suppressed()));
    assert_safe(&vocab, &report);
}

/// The withheld set of one published month, as the crate's audit indexes it.
fn withheld(report: &crate::MonthReport, labels: &[Vec<String>; 3]) -> Vec<bool> {
    let layout = crate::report::Layout::new([labels[0].len(), labels[1].len(), labels[2].len()]);
    let mut sup = vec![false; layout.len];
    sup[0] = report.totals.members.is_suppressed();
    for (i, row) in report.terms.iter().enumerate() {
        sup[1 + i] = row.figures.members.is_suppressed();
    }
    for (t, tl) in labels[0].iter().enumerate() {
        for (s, sl) in labels[1].iter().enumerate() {
            sup[layout.pair_offset + t * labels[1].len() + s] = !report
                .pairs
                .iter()
                .any(|p| &p.treatment == tl && &p.side_effect == sl);
        }
    }
    sup
}

#[test]
fn seed_vocabulary_on_a_synthetic_community_is_safe_and_useful() {
    let vocab = Vocabulary::parse(
        include_str!("../../seed-data/insights/treatments.txt"),
        include_str!("../../seed-data/insights/side_effects.txt"),
        include_str!("../../seed-data/insights/concerns.txt"),
    )
    .unwrap();
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }
    let mut rng = Lcg(42);
    // Skewed popularity: low-index terms are common.
    let pick_form = |rng: &mut Lcg, cat: Category| {
        let terms = vocab.terms(cat);
        let bound = rng.next(terms.len()) + 1;
        let forms = terms[rng.next(bound)].forms();
        forms[rng.next(forms.len())].clone()
    };
    let months = ["2026-01", "2026-02", "2026-03"].map(|m| Month::parse(m).unwrap());
    let mut posts = Vec::new();
    for i in 0..3000u64 {
        let mut text = String::from("Hello all.");
        for cat in Category::ALL {
            if rng.next(3) > 0 {
                text.push_str(&format!(" Thinking about {}.", pick_form(&mut rng, cat)));
            }
        }
        let member = (i * 7919) % 400;
        posts.push((member, i % 250, i, months[(i % 3) as usize], text));
    }
    let agg = aggregate(
        &vocab,
        posts
            .iter()
            .map(|(member, thread, post, month, text)| Contribution {
                member: *member,
                thread: *thread,
                post: *post,
                month: *month,
                text,
            }),
    );
    let report = agg.publish(MIN_MEMBERS).unwrap();
    assert!(!report.is_empty_after_suppression());
    let groups = crate::report::groups(&agg.labels);
    let mut published = 0;
    for m in &report.months {
        assert!(crate::report::determined(&groups, &withheld(m, &agg.labels)).is_empty());
        published += m
            .terms
            .iter()
            .filter(|t| !t.figures.members.is_suppressed())
            .count();
        published += m.pairs.len();
    }
    let naive = agg.publish_unchecked(MIN_MEMBERS, false);
    let primary: usize = naive
        .months
        .iter()
        .map(|m| {
            m.pairs.len()
                + m.terms
                    .iter()
                    .filter(|t| !t.figures.members.is_suppressed())
                    .count()
        })
        .sum();
    assert!(published > 30, "only {published} figures published");
    // With realistic vocabularies most relations already hold several small cells, so
    // complementary suppression costs little (here: nothing).
    assert!(published * 10 >= primary * 9, "{published} of {primary}");
}
