//! Vocabulary parsing (seed files, good and bad input) and matching.

#![allow(clippy::unwrap_used)] // panicking is how tests fail

use kindred_insights::{Category, Error, Vocabulary};

const TREATMENTS: &str = include_str!("../../seed-data/insights/treatments.txt");
const SIDE_EFFECTS: &str = include_str!("../../seed-data/insights/side_effects.txt");
const CONCERNS: &str = include_str!("../../seed-data/insights/concerns.txt");

fn seed() -> Vocabulary {
    Vocabulary::parse(TREATMENTS, SIDE_EFFECTS, CONCERNS).expect("seed vocabularies parse")
}

fn labels(v: &Vocabulary, text: &str) -> Vec<(Category, String)> {
    v.mentioned(text)
        .into_iter()
        .map(|(c, l)| (c, l.to_owned()))
        .collect()
}

fn has(v: &Vocabulary, text: &str, cat: Category, label: &str) -> bool {
    v.mentioned(text).contains(&(cat, label))
}

#[test]
fn seed_files_parse_and_cover_the_issue() {
    let v = seed();
    let want = [
        (
            Category::Treatment,
            &[
                "chemotherapy",
                "immunotherapy",
                "radiotherapy",
                "surgery",
                "hormone therapy",
                "targeted therapy",
                "stem cell transplant",
            ][..],
        ),
        (
            Category::SideEffect,
            &[
                "nausea",
                "neuropathy",
                "fatigue",
                "hair loss",
                "mouth sores",
                "diarrhea",
                "rash",
                "hot flushes",
                "brain fog",
                "lymphedema",
            ][..],
        ),
        (
            Category::Concern,
            &[
                "cost",
                "fatigue",
                "scan anxiety",
                "fertility",
                "work",
                "insurance",
                "sleep",
                "loneliness",
                "body image",
                "fear of recurrence",
            ][..],
        ),
    ];
    for (cat, ls) in want {
        for l in ls {
            assert!(v.terms(cat).iter().any(|t| t.label() == *l), "{cat} {l}");
        }
    }
    let n = v
        .terms(Category::SideEffect)
        .iter()
        .find(|t| t.label() == "neuropathy")
        .unwrap();
    assert!(n.forms().iter().any(|f| f == "pins and needles"));
}

#[test]
fn seed_vocabulary_matches_real_sentences() {
    let v = seed();
    let text = "Round 4 of FOLFOX done. The pins and needles in my fingers are worse, and \
                I'm terrified it comes back. Can't afford the copay either.";
    let got = labels(&v, text);
    for want in [
        (Category::Treatment, "fluoropyrimidines"),
        (Category::SideEffect, "neuropathy"),
        (Category::Concern, "cost"),
        (Category::Concern, "fear of recurrence"),
        (Category::Concern, "anxiety and low mood"),
    ] {
        assert!(
            got.contains(&(want.0, want.1.to_owned())),
            "{want:?} in {got:?}"
        );
    }
    // "pins & needles" is not "pins and needles".
    assert!(!has(
        &v,
        "pins & needles",
        Category::SideEffect,
        "neuropathy"
    ));
    assert!(has(
        &v,
        "Taking Keytruda",
        Category::Treatment,
        "checkpoint inhibitors"
    ));
    assert!(has(
        &v,
        "hot-flushes at night",
        Category::SideEffect,
        "hot flushes"
    ));
    assert!(has(
        &v,
        "5-FU pump",
        Category::Treatment,
        "fluoropyrimidines"
    ));
}

#[test]
fn matching_respects_word_boundaries_case_and_folding() {
    let v = Vocabulary::parse(
        "chemotherapy: chemo, chemotherapy\n",
        "neuropathy: neuropathy, pins and needles, numb fingers, tingling\nrash: rash\n\
         diarrhea: diarrhea, diarrhoea\n",
        "cost: can't afford\n",
    )
    .unwrap();
    let n = |t: &str| has(&v, t, Category::SideEffect, "neuropathy");
    // case and punctuation
    assert!(n("NEUROPATHY is awful"));
    assert!(n("(neuropathy)"));
    assert!(n("Tingling."));
    // multi-word forms, across whitespace and line breaks
    assert!(n("pins and needles"));
    assert!(n("Pins   and\nneedles in my feet"));
    assert!(n("my numb-fingers"));
    assert!(!n("pins and more needles"));
    assert!(!n("pins and"));
    assert!(!n("numb toes"));
    // never inside another word
    assert!(!n("neuropathyish"));
    assert!(!n("polyneuropathy"));
    assert!(!has(
        &v,
        "a crash and a brash remark",
        Category::SideEffect,
        "rash"
    ));
    assert!(has(&v, "rash", Category::SideEffect, "rash"));
    assert!(!has(
        &v,
        "chemotherapies",
        Category::Treatment,
        "chemotherapy"
    ));
    assert!(has(&v, "chemo-day", Category::Treatment, "chemotherapy"));
    assert!(!has(&v, "chemos", Category::Treatment, "chemotherapy"));
    // ASCII folding on both sides; curly apostrophes split like straight ones
    assert!(has(&v, "DIARRHÉA again", Category::SideEffect, "diarrhea"));
    assert!(has(&v, "I can’t afford it", Category::Concern, "cost"));
    // a term counts once however often it appears
    assert_eq!(labels(&v, "chemo chemo chemotherapy").len(), 1);
    // digits are word characters
    assert!(!has(&v, "rash2", Category::SideEffect, "rash"));
}

#[test]
fn folded_forms_match_plain_text() {
    let v = Vocabulary::parse("", "", "crème: crème brûlée\n").unwrap();
    assert!(has(&v, "CREME BRULEE", Category::Concern, "crème"));
    assert!(has(&v, "crème brûlée", Category::Concern, "crème"));
}

fn err(t: &str, s: &str, c: &str) -> (Category, usize, String) {
    match Vocabulary::parse(t, s, c) {
        Err(Error::Vocabulary {
            category,
            line,
            message,
        }) => (category, line, message),
        other => panic!("expected a vocabulary error, got {other:?}"),
    }
}

#[test]
fn bad_files_report_file_and_line() {
    let ok = "a: a\n";
    // line numbers count comments and blank lines
    let (c, l, m) = err(ok, "# header\n\nnausea: nausea\nneuropathy tingling\n", ok);
    assert_eq!((c, l), (Category::SideEffect, 4));
    assert!(m.contains("':'"), "{m}");

    let cases: [(&str, usize, &str); 9] = [
        (": form\n", 1, "empty label"),
        ("x:\n", 1, "empty form"),
        ("x: a, , b\n", 1, "empty form"),
        ("x: a, b,\n", 1, "empty form"),
        ("x: a\n\n# c\nX: b\n", 4, "duplicate label"),
        ("x: hot flush\ny: hot-flush\n", 2, "already belongs"),
        ("x: a, A\n", 1, "already belongs"),
        ("x: --\n", 1, "no letters"),
        ("x, y: a\n", 1, "must not contain"),
    ];
    for (text, line, needle) in cases {
        let (c, l, m) = err(ok, ok, text);
        assert_eq!((c, l), (Category::Concern, line), "{text:?}: {m}");
        assert!(m.contains(needle), "{text:?}: {m}");
    }
    let (c, l, _) = err("x: a\ny a\n", ok, ok);
    assert_eq!((c, l), (Category::Treatment, 2));

    let e = Vocabulary::parse(ok, "\nbad line\n", ok).unwrap_err();
    assert!(e.to_string().starts_with("side_effects.txt line 2:"), "{e}");
}

#[test]
fn comments_blank_lines_and_cross_file_duplicates_are_fine() {
    let v = Vocabulary::parse(
        "# only comments\n\n   \n",
        "fatigue: fatigue, tired # trailing comment\n",
        "fatigue: fatigue\n",
    )
    .unwrap();
    assert!(v.terms(Category::Treatment).is_empty());
    assert_eq!(
        v.terms(Category::SideEffect)[0].forms(),
        ["fatigue", "tired"]
    );
    assert_eq!(labels(&v, "so tired").len(), 1);
    assert_eq!(labels(&v, "fatigue").len(), 2);
}
