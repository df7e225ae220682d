//! Duty of care: the self-harm risk level of a post's author (issue 19).
//!
//! The level follows the risk matrix a large health forum publishes for its moderators:
//!
//! | level | meaning |
//! |---|---|
//! | [`RiskLevel::None`] | no sign the author is at risk (figurative speech, grief, a relative's dying, dose questions, choosing hospice, assisted-dying news, encouraging help) |
//! | [`RiskLevel::Low`] | past thoughts the author has come through, or passive feelings |
//! | [`RiskLevel::Medium`] | ongoing thoughts of dying or suicide, without intent |
//! | [`RiskLevel::High`] | intent, a plan, the means or a time |
//!
//! It is made of signals found per sentence with the self-harm lexicon
//! (`seed-data/care/self-harm.txt`, [`SelfHarmLexicon`]), whose header says how. The level
//! The level is the higher of the lexicon's and a trained model's ([`model::CareModel`],
//! when the screener has one, as the committed one does). It
//! never holds a post: silence harms someone reaching out. The server shows the author
//! crisis resources and opens a wellbeing item for moderators at `medium` and `high`.

pub mod eval;
pub mod model;

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::lexicon::{PatternSet, SelfHarmLexicon};
use crate::rules::Analysis;

/// How at risk the author of a post seems, from least to most.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// No sign of risk.
    #[default]
    None,
    /// Past thoughts, or passive feelings.
    Low,
    /// Ongoing thoughts of dying or suicide, without intent.
    Medium,
    /// Intent, a plan, the means or a time.
    High,
}

impl RiskLevel {
    /// Every level, from least to most.
    pub const ALL: [RiskLevel; 4] = [
        RiskLevel::None,
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
    ];

    /// The level's name in JSON, corpora and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::None => "none",
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }

    /// Parses a name written by [`RiskLevel::as_str`].
    pub fn parse(name: &str) -> Option<RiskLevel> {
        RiskLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == name)
    }

    /// Position in [`RiskLevel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the author should see crisis resources and moderators a wellbeing item:
    /// `medium` and `high`.
    pub fn needs_care(self) -> bool {
        self >= RiskLevel::Medium
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The self-harm assessment of one post.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SelfHarm {
    /// The author's risk level.
    pub level: RiskLevel,
    /// The sentences that made the level, as the author wrote them, in text order (empty
    /// at `none`).
    pub sentences: Vec<String>,
}

/// A kind of signal: one section of the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    Act,
    Intent,
    Plan,
    Time,
    Goodbye,
    Ideation,
    Passive,
    Past,
}

/// One signal found in the text.
struct Found {
    signal: Signal,
    /// Token range in the analysis's `words` view.
    tokens: Range<usize>,
    sentence: usize,
}

/// How many tokens before a signal a negation cue takes it back ("I don't have a plan").
const NEGATION_REACH: usize = 3;

/// The author's risk level and the sentences behind it.
pub fn assess(analysis: &Analysis<'_>, lexicon: &SelfHarmLexicon) -> SelfHarm {
    let tokens = &analysis.words;
    let find = |set: &PatternSet| analysis.words_matches(set);
    let sentence_of = |range: &Range<usize>| tokens.sentence_of[range.start] as usize;
    // Sentences talking to others ("if anyone is having thoughts of suicide, call…").
    let mut to_others = vec![false; tokens.sentences.len()];
    for found in find(&lexicon.others) {
        to_others[sentence_of(&found.tokens)] = true;
    }
    // Sentences reporting someone else ("he said, \"I could disappear\"…"): their
    // thoughts are not the author's.
    let mut reported = vec![false; tokens.sentences.len()];
    for found in find(&lexicon.third_person) {
        reported[sentence_of(&found.tokens)] = true;
    }
    let sets = [
        (Signal::Act, &lexicon.act),
        (Signal::Intent, &lexicon.intent),
        (Signal::Plan, &lexicon.plan),
        (Signal::Time, &lexicon.time),
        (Signal::Goodbye, &lexicon.goodbye),
        (Signal::Ideation, &lexicon.ideation),
        (Signal::Passive, &lexicon.passive),
        (Signal::Past, &lexicon.past),
    ];
    let mut signals: Vec<Found> = Vec::new();
    for (signal, set) in sets {
        for found in find(set) {
            let sentence = sentence_of(&found.tokens);
            let about_self = !matches!(signal, Signal::Time | Signal::Past);
            if about_self
                && (to_others[sentence] || reported[sentence] || negated(analysis, &found.tokens))
            {
                continue;
            }
            signals.push(Found {
                signal,
                tokens: found.tokens,
                sentence,
            });
        }
    }
    signals.extend(combined(analysis, lexicon, &to_others));
    // "thoughts of ending it": an intent phrase inside a phrase about thoughts is a thought.
    let thoughts: Vec<Range<usize>> = signals
        .iter()
        .filter(|f| matches!(f.signal, Signal::Ideation | Signal::Passive))
        .map(|f| f.tokens.clone())
        .collect();
    signals.retain(|f| {
        f.signal != Signal::Intent
            || !thoughts
                .iter()
                .any(|t| t.start < f.tokens.end && f.tokens.start < t.end)
    });
    let has = |signal: Signal| signals.iter().any(|f| f.signal == signal);
    let level = level(&has);
    let sentences = if level == RiskLevel::None {
        Vec::new()
    } else {
        evidence(analysis, &signals)
    };
    SelfHarm { level, sentences }
}

/// How many tokens may separate a [will] or [wish] word from the [death] words after it.
const COMBINE_REACH: usize = 6;

/// Signals from word classes that meet in one sentence (see the lexicon's header).
fn combined(analysis: &Analysis<'_>, lexicon: &SelfHarmLexicon, to_others: &[bool]) -> Vec<Found> {
    let tokens = &analysis.words;
    let sentences = tokens.sentences.len();
    let by_sentence = |set: &PatternSet| {
        let mut found: Vec<Vec<Range<usize>>> = vec![Vec::new(); sentences];
        for m in analysis.words_matches(set) {
            if !negated(analysis, &m.tokens) {
                found[tokens.sentence_of[m.tokens.start] as usize].push(m.tokens);
            }
        }
        found
    };
    let means = by_sentence(&lexicon.means);
    let gather = by_sentence(&lexicon.gather);
    let will = by_sentence(&lexicon.will);
    let wish = by_sentence(&lexicon.wish);
    let death = by_sentence(&lexicon.death);
    let dying = by_sentence(&lexicon.dying);
    let third_person = by_sentence(&lexicon.third_person);
    // A [will] or [wish] word followed closely by one of `ends`.
    let leads_to = |firsts: &[Range<usize>], ends: &[&[Range<usize>]]| {
        firsts.iter().find_map(|first| {
            ends.iter()
                .flat_map(|end| end.iter())
                .find(|d| d.start >= first.end && d.start - first.end <= COMBINE_REACH)
                .map(|d| first.start..d.end)
        })
    };
    let mut signals = Vec::new();
    for sentence in 0..sentences {
        if to_others[sentence] || !third_person[sentence].is_empty() {
            continue;
        }
        let mut push = |signal: Signal, tokens: Range<usize>| {
            signals.push(Found {
                signal,
                tokens,
                sentence,
            });
        };
        if let (Some(m), Some(g)) = (means[sentence].first(), gather[sentence].first()) {
            push(Signal::Plan, m.start.min(g.start)..m.end.max(g.end));
        }
        if !tokens.questions[sentence] {
            if let Some(range) = leads_to(&will[sentence], &[&death[sentence]]) {
                push(Signal::Intent, range);
            }
        }
        if let Some(range) = leads_to(&wish[sentence], &[&death[sentence], &dying[sentence]]) {
            push(Signal::Ideation, range);
        }
    }
    signals
}

/// The level the signals make (see the lexicon's header).
fn level(has: &dyn Fn(Signal) -> bool) -> RiskLevel {
    let (intent, plan, time) = (has(Signal::Intent), has(Signal::Plan), has(Signal::Time));
    let kinds = [intent, plan, time, has(Signal::Goodbye)]
        .into_iter()
        .filter(|&found| found)
        .count();
    let ideation = has(Signal::Ideation);
    // Thoughts of dying that take leave, or that come with intent or a plan, are past
    // thinking about it.
    let farewell = has(Signal::Goodbye) && ideation;
    if has(Signal::Act) || ((intent || plan) && (kinds >= 2 || ideation)) || farewell {
        RiskLevel::High
    } else if intent && !has(Signal::Past) {
        // The matrix's `high` is intent on its own: "I'm going to end it" needs no plan.
        RiskLevel::High
    } else if intent || ideation || (has(Signal::Goodbye) && time) {
        if has(Signal::Past) && !plan {
            RiskLevel::Low
        } else {
            RiskLevel::Medium
        }
    } else if has(Signal::Passive) {
        RiskLevel::Low
    } else {
        RiskLevel::None
    }
}

/// Whether a negation cue stands just before `range` in its sentence.
fn negated(analysis: &Analysis<'_>, range: &Range<usize>) -> bool {
    let sentence = analysis.words.sentence_range(range.start);
    let from = range
        .start
        .saturating_sub(NEGATION_REACH)
        .max(sentence.start);
    analysis.negated[from..range.start].iter().any(|&n| n)
}

/// The original text of every sentence with a signal about the author, in order.
fn evidence(analysis: &Analysis<'_>, signals: &[Found]) -> Vec<String> {
    let mut sentences: Vec<usize> = signals
        .iter()
        .filter(|f| !matches!(f.signal, Signal::Time | Signal::Past))
        .map(|f| f.sentence)
        .collect();
    sentences.sort_unstable();
    sentences.dedup();
    sentences
        .into_iter()
        .filter_map(|sentence| {
            let range = analysis.words.sentences.get(sentence)?;
            let first = analysis.word_ranges.get(range.start)?;
            let last = analysis.word_ranges.get(range.end.checked_sub(1)?)?;
            let text = analysis.original.get(first.start..last.end)?;
            Some(text.trim().to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn level(text: &str) -> RiskLevel {
        let lexicons = testing::lexicons();
        let analysis = Analysis::new(text, &lexicons);
        assess(&analysis, &lexicons.self_harm).level
    }

    #[test]
    fn figurative_speech_and_black_humour_stay_none_or_low() {
        for text in [
            "This chemo paperwork is killing me, forty pages of it.",
            "Dying to get this cannula out so I can go home.",
            "The steroid munchies will be the death of me lol",
            "I could murder a bacon sandwich after that scan.",
        ] {
            assert!(level(text) <= RiskLevel::Low, "{text}");
        }
    }

    #[test]
    fn grief_a_relatives_dying_and_own_choices_stay_none_or_low() {
        for text in [
            "Mum died on Tuesday, peacefully. I miss her every day.",
            "Dad has told us he wants to die at home, not in hospital.",
            "I've decided to stop chemo, my oncologist agreed. Hospice from Friday.",
            "How much oramorph is too much? I'm scared of giving Dad an overdose tonight.",
            "If anyone is having thoughts of suicide tonight, please call 988.",
            "The assisted dying bill passed its second reading today.",
        ] {
            assert!(level(text) <= RiskLevel::Low, "{text}");
        }
    }

    #[test]
    fn past_thoughts_are_low_ongoing_thoughts_medium() {
        assert_eq!(
            level("Last year I thought about ending it. I'm doing much better now."),
            RiskLevel::Low
        );
        assert_eq!(
            level("I keep thinking everyone would be better off without me."),
            RiskLevel::Medium
        );
        assert_eq!(
            level("I don't want to be alive anymore but I don't have a plan."),
            RiskLevel::Medium
        );
    }

    #[test]
    fn thoughts_of_dying_with_a_plan_or_a_goodbye_are_high() {
        assert_eq!(
            level("I want to die. I've thought about how I would do it."),
            RiskLevel::High
        );
        assert_eq!(
            level("I can't go on like this. Goodbye everyone, I love you all."),
            RiskLevel::High
        );
        assert_eq!(
            level("A veces pienso que mis hijos estarían mejor sin mí."),
            RiskLevel::Medium
        );
    }

    #[test]
    fn someone_elses_words_are_not_the_authors_risk() {
        assert_eq!(
            level("Yesterday our son said, very quietly, \"I could disappear and no one would notice.\""),
            RiskLevel::None
        );
        assert_eq!(
            level("Nobody would even notice if I disappeared."),
            RiskLevel::Medium
        );
    }

    #[test]
    fn a_plan_or_intent_with_a_time_is_high_and_shows_its_sentences() {
        let lexicons = testing::lexicons();
        let text = "Thank you all. I've saved up my morphine and tonight is the night.";
        let found = assess(&Analysis::new(text, &lexicons), &lexicons.self_harm);
        assert_eq!(found.level, RiskLevel::High);
        assert_eq!(
            found.sentences,
            ["I've saved up my morphine and tonight is the night"]
        );
        assert_eq!(
            level("I'm going to kill myself on Friday. Goodbye everyone."),
            RiskLevel::High
        );
        assert_eq!(
            level("Tengo guardadas las pastillas. Esta noche me las tomo todas."),
            RiskLevel::High
        );
    }

    #[test]
    fn intent_on_its_own_is_high() {
        assert_eq!(level("I'm going to end my life."), RiskLevel::High);
        assert_eq!(
            level("Tonight I'm not coming back from the cliffs."),
            RiskLevel::High
        );
    }

    #[test]
    fn giving_things_away_or_a_picked_date_with_a_farewell_is_high() {
        assert_eq!(
            level("My rings and my books went to my sister, I gave away my things. Just wanted to say goodbye."),
            RiskLevel::High
        );
        assert_eq!(
            level("I've picked the day. Thank you all for being so kind to me."),
            RiskLevel::High
        );
        assert_eq!(
            level("Mis cosas ya las regalé. Solo quería decir adiós."),
            RiskLevel::High
        );
        assert_eq!(
            level("Ya tengo la cuerda. Cuando todos duerman lo hago."),
            RiskLevel::High
        );
    }

    #[test]
    fn means_kept_ready_with_a_moment_is_high() {
        assert_eq!(
            level("I'm going to swallow the whole box of my co-codamol tonight."),
            RiskLevel::High
        );
        assert_eq!(
            level("Everyone would be happier without me. I'm using them all tonight."),
            RiskLevel::High
        );
    }

    #[test]
    fn thinking_about_a_method_is_ideation_not_an_act() {
        assert_eq!(
            level("Sometimes I think about overdosing on my pain meds. I don't think I'd do it."),
            RiskLevel::Medium
        );
        assert_eq!(
            level("I keep wishing I could just go to sleep and never wake up."),
            RiskLevel::Medium
        );
        assert_eq!(
            level("No le veo sentido a nada. Estaría mejor muerta."),
            RiskLevel::Medium
        );
        assert_eq!(
            level("My family would cope so much better without me, I'm just a weight round their necks."),
            RiskLevel::Medium
        );
    }

    #[test]
    fn figurative_promises_and_everyday_farewells_stay_none() {
        for text in [
            "I'd rather die than sit through another one of those waiting rooms 😂",
            "I'm going to finish this course of radiotherapy if it kills me!",
            "Saying goodbye to my lovely chemo nurses today, last session!",
            "Thank you all for everything, I'll update after my scan on Friday.",
            "I've made my decision: no more chemo, hospice from Monday.",
            "Me voy a tomar las pastillas después de la cena, como dijo la enfermera.",
            "Feels like I'm killing myself with worry over these results.",
            "We said our goodbyes to Dad this morning.",
        ] {
            assert_eq!(level(text), RiskLevel::None, "{text}");
        }
    }
}
