//! Counting, publication and output hygiene.

#![allow(clippy::unwrap_used)] // panicking is how tests fail

use kindred_insights::{
    aggregate, Aggregator, Category, Contribution, Counts, Error, Figure, Month, Vocabulary,
    MIN_MEMBERS,
};

fn vocab() -> Vocabulary {
    Vocabulary::parse(
        "chemotherapy: chemo, chemotherapy\nradiotherapy: radiation, radiotherapy\n\
         surgery: surgery\n",
        "nausea: nausea, queasy\nneuropathy: neuropathy, tingling\nrash: rash\n",
        "cost: cost, can't afford\nsleep: insomnia\nwork: my job\nloneliness: lonely\n",
    )
    .unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn c(member: u64, thread: u64, post: u64, m: &str, text: &'static str) -> Contribution<'static> {
    Contribution {
        member,
        thread,
        post,
        month: month(m),
        text,
    }
}

#[test]
fn counts_distinct_members_threads_and_posts() {
    let v = vocab();
    let posts = vec![
        // member 1: three chemo posts in two threads
        c(1, 10, 100, "2026-03", "chemo day"),
        c(1, 10, 101, "2026-03", "more chemo"),
        c(1, 11, 102, "2026-03", "Chemotherapy and nausea"),
        // member 2: one chemo post in thread 10, nausea in the same post
        c(2, 10, 103, "2026-03", "chemo made me queasy"),
        // member 3: chemo and nausea in different posts -> no pair
        c(3, 12, 104, "2026-03", "chemo"),
        c(3, 12, 105, "2026-03", "nausea"),
        // the same post handed over twice counts once
        c(3, 12, 105, "2026-03", "nausea"),
        // no term
        c(4, 13, 106, "2026-03", "hello everyone"),
        // next month
        c(1, 10, 107, "2026-04", "radiation next"),
    ];
    let agg = aggregate(&v, posts);
    let mar = month("2026-03");
    let apr = month("2026-04");
    assert_eq!(agg.months().collect::<Vec<_>>(), [mar, apr]);
    assert_eq!(
        agg.totals(mar),
        Some(Counts {
            posts: 7,
            threads: 4,
            members: 4
        })
    );
    assert_eq!(
        agg.term(mar, Category::Treatment, "chemotherapy"),
        Some(Counts {
            posts: 5,
            threads: 3,
            members: 3
        })
    );
    assert_eq!(
        agg.term(mar, Category::SideEffect, "nausea"),
        Some(Counts {
            posts: 3,
            threads: 3,
            members: 3
        })
    );
    assert_eq!(
        agg.pair(mar, "chemotherapy", "nausea"),
        Some(Counts {
            posts: 2,
            threads: 2,
            members: 2
        })
    );
    assert_eq!(
        agg.pair(mar, "radiotherapy", "nausea"),
        Some(Counts::default())
    );
    assert_eq!(
        agg.term(mar, Category::Concern, "sleep"),
        Some(Counts::default())
    );
    assert_eq!(
        agg.term(apr, Category::Treatment, "radiotherapy"),
        Some(Counts {
            posts: 1,
            threads: 1,
            members: 1
        })
    );
    assert_eq!(agg.totals(month("2026-05")), None);
    assert_eq!(agg.term(mar, Category::Concern, "no such label"), None);

    // The streaming form gives the same result.
    let mut a = Aggregator::new(&v);
    a.add(c(1, 10, 100, "2026-03", "chemo day"));
    let one = a.finish();
    assert_eq!(
        one.term(mar, Category::Treatment, "chemotherapy"),
        Some(Counts {
            posts: 1,
            threads: 1,
            members: 1
        })
    );
}

/// 40 members in March: 25 mention chemo (most with nausea), 10 mention insomnia.
fn community() -> Vec<Contribution<'static>> {
    let mut v = Vec::new();
    for m in 0..40u64 {
        let text: &'static str = match m {
            0..=19 => "chemo and nausea, can't afford it",
            20..=24 => "chemo again, cost is fine",
            25..=34 => "insomnia every night, the cost",
            _ => "just saying hi, cost",
        };
        // two posts each, in a shared thread per 4 members
        for k in 0..2 {
            v.push(Contribution {
                member: 7_700_000_000 + m,
                thread: 8_800_000_000 + m / 4,
                post: 9_900_000_000 + m * 2 + k,
                month: month("2026-03"),
                text,
            });
        }
    }
    v
}

#[test]
fn ten_members_is_suppressed_eleven_is_not() {
    let v = vocab();
    let report = aggregate(&v, community()).publish(MIN_MEMBERS).unwrap();
    let m = &report.months[0];
    let row = |l: &str| m.terms.iter().find(|t| t.label == l).unwrap().figures;
    assert_eq!(m.totals.members, Figure::Value(40));
    assert_eq!(m.totals.posts, Figure::Value(80));
    assert_eq!(row("chemotherapy").members, Figure::Value(25));
    assert_eq!(row("chemotherapy").posts, Figure::Value(50));
    assert_eq!(row("cost").members, Figure::Value(40));
    // insomnia: 10 members, 20 posts -> every figure of the row is withheld
    let sleep = row("sleep");
    assert_eq!(sleep.members, Figure::Suppressed { below: 11 });
    assert_eq!(sleep.posts.to_string(), "<11");
    assert_eq!(sleep.threads.to_string(), "<11");
    // concerns: sleep and work (0 members) are both withheld, so "40 - cost" cannot
    // be split between them and cost can be published.
    assert_eq!(row("cost").members, Figure::Value(40));
    assert!(row("work").members.is_suppressed());
    assert!(!report.is_empty_after_suppression());

    // 11 members is published.
    let mut posts = community();
    posts.push(Contribution {
        member: 1,
        thread: 1,
        post: 1,
        month: month("2026-03"),
        text: "insomnia",
    });
    let report = aggregate(&v, posts).publish(MIN_MEMBERS).unwrap();
    let sleep = report.months[0]
        .terms
        .iter()
        .find(|t| t.label == "sleep")
        .unwrap();
    assert_eq!(sleep.figures.members, Figure::Value(11));
}

#[test]
fn a_lone_small_cell_takes_a_partner_with_it() {
    // Two treatments only: chemo 25 of 40 members, radiotherapy 0. Publishing chemo
    // and the total would give radiotherapy = 40 - 25 under the additive reading, so
    // chemo is withheld as its complement.
    let v = Vocabulary::parse(
        "chemotherapy: chemo\nradiotherapy: radiation\n",
        "nausea: nausea\n",
        "cost: cost\n",
    )
    .unwrap();
    let report = aggregate(&v, community()).publish(MIN_MEMBERS).unwrap();
    let m = &report.months[0];
    assert_eq!(m.totals.members, Figure::Value(40));
    for t in m.terms.iter().filter(|t| t.category == Category::Treatment) {
        assert!(t.figures.members.is_suppressed(), "{}", t.label);
    }
}

#[test]
fn threshold_can_be_raised_not_lowered() {
    let agg = aggregate(&vocab(), community());
    assert_eq!(
        agg.publish(10),
        Err(Error::ThresholdTooLow {
            requested: 10,
            floor: 11
        })
    );
    let r = agg.publish(30).unwrap();
    let m = &r.months[0];
    assert_eq!(m.totals.members, Figure::Value(40));
    let chemo = m.terms.iter().find(|t| t.label == "chemotherapy").unwrap();
    assert_eq!(chemo.figures.members.to_string(), "<30");
}

#[test]
fn output_has_no_ids_text_or_days() {
    let v = vocab();
    let report = aggregate(&v, community()).publish(MIN_MEMBERS).unwrap();
    let json = report.to_json().unwrap();
    let csv = report.to_csv();
    for out in [&json, &csv] {
        for forbidden in [
            "7700000000",
            "8800000000",
            "9900000000",
            "770000",
            "880000",
            "990000",
            "saying hi",
            "every night",
            "again",
            "afford",
            "2026-03-",
        ] {
            assert!(!out.contains(forbidden), "{forbidden:?} leaked into\n{out}");
        }
        assert!(out.contains("2026-03"));
    }
    // JSON shape: numbers or the "<11" marker.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["min_members"], 11);
    let month = &value["months"][0];
    assert_eq!(month["month"], "2026-03");
    assert_eq!(month["totals"]["members"], 40);
    let sleep = month["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "sleep")
        .unwrap();
    assert_eq!(sleep["category"], "concern");
    assert_eq!(sleep["members"], "<11");
    // CSV shape
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("month,kind,category,term,side_effect,posts,threads,members")
    );
    assert_eq!(lines.next(), Some("2026-03,total,,,,80,10,40"));
    assert!(csv.contains("2026-03,term,concern,sleep,,<11,<11,<11\n"));
    assert!(csv.contains("2026-03,pair,,chemotherapy,nausea,40,5,20\n"));
    assert!(csv.lines().all(|l| l.split(',').count() == 8));
}

#[test]
fn too_few_consenting_members_is_detectable() {
    let v = vocab();
    let few: Vec<_> = community()
        .into_iter()
        .filter(|c| c.member % 40 < 9)
        .collect();
    let report = aggregate(&v, few).publish(MIN_MEMBERS).unwrap();
    assert!(report.is_empty_after_suppression());
    let m = &report.months[0];
    assert!(m.totals.members.is_suppressed());
    assert!(m.pairs.is_empty());
    assert!(m.terms.iter().all(|t| t.figures.posts.is_suppressed()));

    let none = aggregate(&v, Vec::new()).publish(MIN_MEMBERS).unwrap();
    assert!(none.months.is_empty());
    assert!(none.is_empty_after_suppression());
    assert_eq!(none.to_csv().lines().count(), 1);
}
