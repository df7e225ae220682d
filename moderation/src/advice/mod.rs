//! The medical-advice nudge (issue 19): whether a post tells **other** members to stop,
//! skip, refuse, change the dose of, share or swap a treatment.
//!
//! It is a nudge, not a label: no policy acts on it and it never holds a post. The server
//! suggests to the author that they tell it as their own experience or suggest asking the
//! care team, and lets them post anyway.
//!
//! A directive is found per sentence with the advice lexicon
//! (`seed-data/advice/advice.txt`, [`AdviceLexicon`]), whose header says how: an
//! imperative or second-person change to a treatment, unless the sentence is a question,
//! sends the reader to their care team, or reports what a clinician said. What the author
//! did ("I stopped my tamoxifen", "my team lowered my dose") does not match, because the
//! lexicon holds the imperative forms only.

pub mod eval;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::lexicon::{AdviceLexicon, PatternSet};
use crate::rules::Analysis;

/// The medical-advice assessment of one post.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Advice {
    /// Whether the post tells other members what to do with a treatment.
    pub directive: bool,
    /// The sentences that do, as the author wrote them, in text order (empty when none).
    pub sentences: Vec<String>,
}

/// How many tokens after an [act] its treatment may come ("skip the last cycle of chemo").
const ACT_REACH: usize = 5;
/// How many tokens after a [direct] phrase its treatment may come ("don't let them start
/// you on the bisphosphonates").
const DIRECT_REACH: usize = 8;
/// How many tokens may stand between a [lead] and its [act] ("you should really just stop").
const LEAD_GAP: usize = 1;
/// How many tokens before a care-team phrase a negation cue takes it back ("don't ask your
/// doctor").
const NEGATION_REACH: usize = 3;

/// Whether the post is a directive about a treatment, and the sentences that make it one.
pub fn assess(analysis: &Analysis<'_>, lexicon: &AdviceLexicon) -> Advice {
    let view = analysis.normalized.words.as_str();
    let tokens = &analysis.words;
    let sentences = tokens.sentences.len();
    let by_sentence = |set: &PatternSet| {
        let mut found: Vec<Vec<Range<usize>>> = vec![Vec::new(); sentences];
        for m in analysis.words_matches(set) {
            found[tokens.sentence_of[m.tokens.start] as usize].push(m.tokens);
        }
        found
    };
    let acts = by_sentence(&lexicon.act);
    let leads = by_sentence(&lexicon.lead);
    let fillers = by_sentence(&lexicon.filler);
    let directs = by_sentence(&lexicon.direct);
    let anywhere = by_sentence(&lexicon.anywhere);
    let mut treatments = by_sentence(&lexicon.treatment);
    // Drug names no list holds, by their endings (rituximab, olanzapine).
    for at in 0..tokens.spans.len() {
        let word = tokens.text(view, at);
        let drug_like = lexicon
            .treatment_suffixes
            .iter()
            .any(|suffix| word.len() > suffix.len() + 2 && word.ends_with(&**suffix));
        if drug_like {
            treatments[tokens.sentence_of[at] as usize].push(at..at + 1);
        }
    }
    let pronouns = by_sentence(&lexicon.pronoun);
    let care_team = by_sentence(&lexicon.care_team);
    let reported = by_sentence(&lexicon.reported);
    let mut found = Vec::new();
    for sentence in 0..sentences {
        let sends_to_team = care_team[sentence]
            .iter()
            .any(|range| !negated(analysis, range));
        if tokens.questions[sentence] || sends_to_team || !reported[sentence].is_empty() {
            continue;
        }
        let named_before = sentence > 0 && !treatments[sentence - 1].is_empty();
        // A treatment, or a pronoun for one named earlier, within the phrase `cue` or
        // `reach` tokens after it ("take one tablet instead", "skip the last cycle").
        let treated = |cue: &Range<usize>, reach: usize| {
            let near =
                |range: &Range<usize>| range.start >= cue.start && range.start <= cue.end + reach;
            treatments[sentence].iter().any(near)
                || pronouns[sentence]
                    .iter()
                    .filter(|p| near(p))
                    .any(|p| named_before || treatments[sentence].iter().any(|t| t.end <= p.start))
        };
        let starts = clause_starts(analysis, sentence, &fillers[sentence]);
        let led = |act: &Range<usize>| {
            starts.contains(&act.start)
                || leads[sentence]
                    .iter()
                    .any(|lead| lead.end <= act.start && act.start - lead.end <= LEAD_GAP)
        };
        let by_act = acts[sentence]
            .iter()
            .any(|act| led(act) && treated(act, ACT_REACH));
        let by_direct = directs[sentence]
            .iter()
            .any(|direct| treated(direct, DIRECT_REACH));
        let by_anywhere =
            !anywhere[sentence].is_empty() && (named_before || !treatments[sentence].is_empty());
        if by_act || by_direct || by_anywhere {
            found.push(sentence);
        }
    }
    Advice {
        directive: !found.is_empty(),
        sentences: found
            .into_iter()
            .filter_map(|sentence| sentence_text(analysis, sentence))
            .collect(),
    }
}

/// The tokens where a clause of `sentence` begins once its [filler] words are skipped:
/// the sentence's start and each token after a comma, colon or dash ("If it makes you
/// that miserable, ditch it").
fn clause_starts(analysis: &Analysis<'_>, sentence: usize, fillers: &[Range<usize>]) -> Vec<usize> {
    let view = analysis.normalized.words.as_str();
    let tokens = &analysis.words;
    let Some(range) = tokens.sentences.get(sentence) else {
        return Vec::new();
    };
    let mut starts: Vec<usize> = range
        .clone()
        .filter(|&at| {
            at == range.start
                || view
                    .get(tokens.spans[at - 1].end..tokens.spans[at].start)
                    .is_some_and(|gap| gap.contains([',', ':', '-', '—']))
        })
        .collect();
    for start in &mut starts {
        while let Some(filler) = fillers.iter().find(|f| f.start == *start) {
            *start = filler.end;
        }
    }
    starts
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

/// The original text of one sentence.
fn sentence_text(analysis: &Analysis<'_>, sentence: usize) -> Option<String> {
    let range = analysis.words.sentences.get(sentence)?;
    let first = analysis.word_ranges.get(range.start)?;
    let last = analysis.word_ranges.get(range.end.checked_sub(1)?)?;
    let text = analysis.original.get(first.start..last.end)?;
    Some(text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn directive(text: &str) -> bool {
        let lexicons = testing::lexicons();
        let analysis = Analysis::new(text, &lexicons);
        assess(&analysis, &lexicons.advice).directive
    }

    #[test]
    fn telling_others_to_stop_skip_or_change_a_treatment_is_a_directive() {
        for text in [
            "Just stop the tamoxifen, the joint pain isn't worth it.",
            "You should halve your steroids, they keep you up all night.",
            "If I were you I'd skip the last cycle of chemo.",
            "The steroids are awful. Bin them.",
            "Honestly, swap your morphine for CBD oil.",
            "Deja la quimio y prueba el aceite de cannabis.",
        ] {
            assert!(directive(text), "{text}");
        }
    }

    #[test]
    fn offering_to_share_a_treatment_is_a_directive() {
        assert!(directive(
            "You can have my leftover oxycodone, just message me."
        ));
        assert!(directive(
            "Te paso mis pastillas de tramadol que me sobraron."
        ));
    }

    #[test]
    fn own_experience_clinicians_care_team_tips_and_questions_are_not() {
        for text in [
            "I stopped my tamoxifen for two months and felt better.",
            "My team lowered my dose after cycle 2.",
            "My oncologist said to stop the tamoxifen before surgery.",
            "Please ask your oncologist before stopping the tamoxifen.",
            "Take a hot water bottle and thick socks to chemo.",
            "Has anyone stopped tamoxifen early because of joint pain?",
            "Stop it, you're making me cry.",
            "Dejé la quimio en enero, lo hablé con mi oncóloga.",
        ] {
            assert!(!directive(text), "{text}");
        }
    }

    #[test]
    fn a_negated_care_team_does_not_take_the_directive_back() {
        assert!(directive(
            "Stop the letrozole, and don't ask your doctor, they'll only say no."
        ));
    }

    #[test]
    fn the_sentences_are_given_as_written() {
        let lexicons = testing::lexicons();
        let text = "Chemo was rough. Just STOP the Tamoxifen!";
        let found = assess(&Analysis::new(text, &lexicons), &lexicons.advice);
        assert_eq!(found.sentences, ["Just STOP the Tamoxifen"]);
    }

    #[test]
    fn brushing_off_a_treatment_for_someone_else_is_a_directive() {
        for text in [
            "Give the immunotherapy a miss, it nearly finished my husband off.",
            "I wouldn't bother with the last round of radiotherapy if I were you.",
            "You don't need the anti-sickness pills, just eat crackers.",
            "You really ought to come off the steroids.",
            "Whatever you do, refuse the radiotherapy.",
            "Try skipping the capecitabine at weekends, way easier.",
        ] {
            assert!(directive(text), "{text}");
        }
        for text in [
            "I wouldn't have managed without the anti-sickness pills.",
            "Do you really need the steroids after every cycle?",
            "I switched to the evening dose with my nurse's OK.",
        ] {
            assert!(!directive(text), "{text}");
        }
    }
}
