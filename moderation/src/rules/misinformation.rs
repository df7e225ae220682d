//! Misinformation: health claims, weighed against stance and against a post that
//! debunks them.

use std::ops::Range;

use super::{Analysis, Hit, Stance};
use crate::lexicon::Lexicons;
use crate::Label;

impl Analysis<'_> {
    /// "Rick Simpson oil" names a remedy, not a person.
    pub(super) fn drop_names_of_remedies(&mut self, lexicons: &Lexicons) {
        if !self
            .hits
            .iter()
            .any(|hit| hit.rule == "personal_info.name_with_diagnosis")
        {
            return;
        }
        let remedies: Vec<Range<usize>> = self
            .words_matches(&lexicons.misinformation.remedies)
            .into_iter()
            .map(|m| self.words_original(m.tokens))
            .collect();
        self.hits.retain(|hit| {
            hit.rule != "personal_info.name_with_diagnosis"
                || !remedies
                    .iter()
                    .any(|r| r.start < hit.range.end && hit.range.start < r.end)
        });
    }

    pub(super) fn find_misinformation(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.misinformation;
        let remedies = self.words_matches(&lexicon.remedies);
        let efficacy = self.words_matches(&lexicon.efficacy);
        let claims = self.words_matches(&lexicon.claims);
        if !remedies.is_empty() {
            self.signals.push("remedy");
        }
        if !efficacy.is_empty() {
            self.signals.push("efficacy");
        }
        // Vouching for a claim counts only where the writer speaks for themselves.
        let endorsed = self
            .words_matches(&lexicon.endorsement)
            .iter()
            .any(|found| {
                let pattern = &lexicon.endorsement.patterns()[found.pattern];
                self.claim_stance(found.tokens.clone(), &[pattern])
                    .is_asserted()
            });
        if endorsed {
            self.signals.push("endorsement");
        }
        let mut found: Vec<(Range<usize>, &'static str, f32, String, Stance)> = Vec::new();
        for remedy in &remedies {
            let sentence = self.words.sentence_of[remedy.tokens.start];
            // The nearest efficacy word in the same sentence, and in the next two:
            // (efficacy match index, distance).
            let mut same: Option<(usize, usize)> = None;
            let mut next: Option<(usize, usize)> = None;
            for (index, effect) in efficacy.iter().enumerate() {
                let effect_sentence = self.words.sentence_of[effect.tokens.start];
                let overlaps = effect.tokens.start < remedy.tokens.end
                    && remedy.tokens.start < effect.tokens.end;
                if effect_sentence == sentence && !overlaps {
                    // "baking soda cures", "cured it with baking soda".
                    let distance = if effect.tokens.start >= remedy.tokens.end {
                        let d = effect.tokens.start - remedy.tokens.end;
                        (d <= 12).then_some(d)
                    } else {
                        let d = remedy.tokens.start - effect.tokens.end;
                        (d <= 6).then_some(d)
                    };
                    if let Some(d) = distance {
                        if same.is_none_or(|(_, best)| d < best) {
                            same = Some((index, d));
                        }
                    }
                } else if effect_sentence > sentence && effect_sentence <= sentence + 2 {
                    // "Try frankincense. It shrinks tumours."
                    let start = self.words.sentences[effect_sentence as usize].start;
                    let d =
                        100 * (effect_sentence - sentence) as usize + (effect.tokens.start - start);
                    if effect.tokens.start - start <= 10 && next.is_none_or(|(_, best)| d < best) {
                        next = Some((index, d));
                    }
                }
            }
            let pattern = &lexicon.remedies.patterns()[remedy.pattern];
            for (pair, next_sentence) in [(same, false), (next, true)] {
                let Some((index, _)) = pair else {
                    continue;
                };
                let effect = &efficacy[index];
                let with = [pattern, &lexicon.efficacy.patterns()[effect.pattern]];
                let range = remedy.tokens.start.min(effect.tokens.start)
                    ..remedy.tokens.end.max(effect.tokens.end);
                // Judge the stance where the claim is made.
                let stance_range = if next_sentence {
                    effect.tokens.clone()
                } else {
                    range.clone()
                };
                let mut stance = self.claim_stance(stance_range, &with);
                // Denied where it matters: before the remedy or right before the verb
                // ("baking soda does not cure"), not anywhere in between.
                let text = self.words_text();
                let negated_before = |at: usize| {
                    let sentence = self.words.sentence_range(at);
                    (at.saturating_sub(4).max(sentence.start)..at).any(|t| {
                        self.negated[t]
                            && !with.iter().any(|p| p.mentions(self.words.text(text, t)))
                    })
                };
                stance.negation = (!next_sentence && negated_before(remedy.tokens.start))
                    || negated_before(effect.tokens.start)
                    || effect
                        .tokens
                        .clone()
                        .any(|t| self.negated[t] && !with[1].mentions(self.words.text(text, t)));
                let raw = if next_sentence {
                    pattern.weight() * 0.7
                } else {
                    pattern.weight()
                };
                found.push((
                    range,
                    "misinformation.cure_claim",
                    raw,
                    format!("{} + cure claim", pattern.source()),
                    stance,
                ));
            }
        }
        for claim in &claims {
            let pattern = &lexicon.claims.patterns()[claim.pattern];
            let stance = self.claim_stance(claim.tokens.clone(), &[pattern]);
            found.push((
                claim.tokens.clone(),
                "misinformation.claim",
                pattern.weight(),
                pattern.source().to_string(),
                stance,
            ));
        }
        for (tokens, rule, raw, detail, stance) in found {
            // Debunking elsewhere in the post, not by the claim's own words.
            let post_debunks = self
                .debunking
                .iter()
                .any(|cue| cue.end <= tokens.start || cue.start >= tokens.end);
            let strength = raw * misinformation_factor(stance, post_debunks);
            let range = self.words_original(tokens);
            self.hits.push(Hit {
                label: Label::Misinformation,
                rule,
                detail,
                raw,
                strength,
                stance,
                range,
            });
        }
    }
}

/// How much of a misinformation hit survives its stance.
fn misinformation_factor(stance: Stance, post_debunks: bool) -> f32 {
    let mut factor: f32 = 1.0;
    if stance.negation {
        factor = factor.min(0.15);
    }
    if stance.debunking {
        factor = factor.min(0.2);
    }
    if stance.question {
        factor = factor.min(0.3);
    }
    if stance.reported {
        factor = factor.min(0.35);
    }
    if stance.hedging {
        factor = factor.min(0.5);
    }
    if post_debunks {
        factor = factor.min(0.6);
    }
    factor
}
