//! Stage 2: rule detectors — shapes and phrases that point at a label, each weighed
//! against the *stance* of the sentence it is in.
//!
//! Vocabulary:
//! - a [`Hit`] is one rule firing on one stretch of text, with a `raw` weight (how strong
//!   the rule is) and a `strength` (the weight after stance);
//! - a [`Stance`] says whether a sentence asks, denies, hedges, reports someone else's
//!   words or debunks. "Baking soda cures cancer." is asserted; "Does baking soda cure
//!   cancer?", "My aunt says baking soda cures cancer" and "The idea that baking soda
//!   cures cancer is a myth" are not, and their hits are weakened;
//! - an [`Analysis`] is everything stage 1 and 2 know about one text: its normalized
//!   views, tokens, sentence stances, hits, and the links and numbers the classifier
//!   should see as placeholders rather than as words.
//!
//! Personal information is not weakened by stance: a phone number in a question is
//! still a phone number. Allow-listed helplines and trusted domains never produce hits.

use std::ops::Range;

use crate::lexicon::{Lexicons, PatternMatch, PatternSet, TokenKeys};
use crate::normalize::{normalize, Normalized};
use crate::text::Tokens;
use crate::Label;

mod links;
mod misinformation;
mod numbers;
mod places;
mod promotion;

/// How a sentence relates to what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stance {
    /// Asks (`?`, "is it true", "has anyone").
    pub question: bool,
    /// Denies near the claim ("doesn't cure", "no evidence that").
    pub negation: bool,
    /// Unsure ("might", "I read that").
    pub hedging: bool,
    /// Someone else's words ("my aunt says", quotes).
    pub reported: bool,
    /// Warns or refutes ("scam", "myth", "be careful").
    pub debunking: bool,
}

impl Stance {
    /// Whether the sentence simply asserts.
    pub fn is_asserted(&self) -> bool {
        *self == Stance::default()
    }

    /// Short names of the active stances, e.g. `["question", "reported"]`.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for (on, name) in [
            (self.question, "question"),
            (self.negation, "negation"),
            (self.hedging, "hedging"),
            (self.reported, "reported"),
            (self.debunking, "debunking"),
        ] {
            if on {
                names.push(name);
            }
        }
        names
    }

    fn union(self, other: Stance) -> Stance {
        Stance {
            question: self.question || other.question,
            negation: self.negation || other.negation,
            hedging: self.hedging || other.hedging,
            reported: self.reported || other.reported,
            debunking: self.debunking || other.debunking,
        }
    }
}

/// One rule firing on one stretch of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The label the rule points at.
    pub label: Label,
    /// Stable rule id, e.g. `personal_info.phone`.
    pub rule: &'static str,
    /// What matched: the lexicon pattern, or a description of the shape.
    pub detail: String,
    /// The rule's own weight in `[0, 1]`.
    pub raw: f32,
    /// The weight after stance, in `[0, 1]`.
    pub strength: f32,
    /// The stance of the sentence the hit is in (plus quotes and nearby negation).
    pub stance: Stance,
    /// Byte range in the analysed text.
    pub range: Range<usize>,
}

/// What kind of thing a masked stretch of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masked {
    /// A link to a trusted domain.
    TrustedLink,
    /// Any other link.
    Link,
    /// An e-mail address.
    Email,
    /// A phone, id or other long number.
    Number,
    /// An allow-listed helpline number.
    Helpline,
    /// A toll-free or freephone number: an organisation's, never a person's.
    TollFree,
}

/// Everything the rules know about one text.
#[derive(Debug, Clone)]
pub struct Analysis<'t> {
    /// The text analysed.
    pub original: &'t str,
    /// Its normalized views.
    pub normalized: Normalized,
    /// Tokens and sentences of `normalized.words`.
    pub words: Tokens,
    /// Tokens and sentences of `normalized.contact`.
    pub contact: Tokens,
    /// Stance of each sentence of `words`.
    pub sentence_stance: Vec<Stance>,
    /// Whether each token of `words` is covered by a negation cue.
    pub negated: Vec<bool>,
    /// Token ranges of `words` matched by debunking cues.
    debunking: Vec<Range<usize>>,
    /// Every rule hit, in text order within each detector.
    pub hits: Vec<Hit>,
    /// Links, e-mail addresses and numbers, as byte ranges of `original`.
    pub masked: Vec<(Range<usize>, Masked)>,
    /// Weak signals for the classifier that are not hits on their own (`price`,
    /// `remedy`, `diagnosis`, …).
    pub signals: Vec<&'static str>,
    /// Original byte range of each token of `words`.
    pub(crate) word_ranges: Vec<Range<usize>>,
    /// Vocabulary numbers of the tokens of `words` and `contact`.
    word_keys: TokenKeys,
    contact_keys: TokenKeys,
}

impl<'t> Analysis<'t> {
    /// Normalizes `original` and runs every detector on it.
    pub fn new(original: &'t str, lexicons: &Lexicons) -> Analysis<'t> {
        let normalized = normalize(original);
        let words = Tokens::new(normalized.words.as_str());
        let word_ranges = words
            .spans
            .iter()
            .map(|span| normalized.words.original_range(span.clone()))
            .collect();
        let word_keys = lexicons.vocabulary.keys(normalized.words.as_str(), &words);
        // Most texts have nothing that reads differently as contact details: the contact
        // view is the same text, with the same tokens and keys.
        let (contact, contact_keys) = if normalized.contact.as_str() == normalized.words.as_str() {
            (words.clone(), word_keys.clone())
        } else {
            let contact = Tokens::new(normalized.contact.as_str());
            let contact_keys = lexicons
                .vocabulary
                .keys(normalized.contact.as_str(), &contact);
            (contact, contact_keys)
        };
        let mut analysis = Analysis {
            original,
            normalized,
            words,
            contact,
            word_keys,
            contact_keys,
            sentence_stance: Vec::new(),
            negated: Vec::new(),
            debunking: Vec::new(),
            hits: Vec::new(),
            masked: Vec::new(),
            signals: Vec::new(),
            word_ranges,
        };
        analysis.find_stance(lexicons);
        analysis.find_personal_info(lexicons);
        analysis.find_promotion(lexicons);
        analysis.find_misinformation(lexicons);
        analysis.drop_names_of_remedies(lexicons);
        // A sentence whose claim is denied ("essential oils don't shrink tumours") is not
        // an assertion either.
        for index in 0..analysis.hits.len() {
            let hit = &analysis.hits[index];
            if hit.label != Label::PersonalInfo && hit.stance.negation {
                if let Some(sentence) = analysis.sentence_at(hit.range.start) {
                    analysis.sentence_stance[sentence].negation = true;
                }
            }
        }
        analysis
    }

    /// The hits for one label.
    pub fn hits_for(&self, label: Label) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(move |hit| hit.label == label)
    }

    /// The stance of the whole text: every stance any sentence has.
    pub fn overall_stance(&self) -> Stance {
        self.sentence_stance
            .iter()
            .fold(Stance::default(), |all, s| all.union(*s))
    }

    /// Index of the `words` sentence containing original byte `offset` (the nearest
    /// sentence starting before it).
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        if self.words.is_empty() {
            return None;
        }
        let token = self
            .word_ranges
            .partition_point(|range| range.start <= offset)
            .saturating_sub(1);
        Some(self.words.sentence_of[token] as usize)
    }

    fn words_text(&self) -> &str {
        self.normalized.words.as_str()
    }

    fn contact_text(&self) -> &str {
        self.normalized.contact.as_str()
    }

    /// Original byte range of words tokens `range`.
    fn words_original(&self, range: Range<usize>) -> Range<usize> {
        let bytes = self.words.byte_range(range);
        self.normalized.words.original_range(bytes)
    }

    /// Original byte range of contact tokens `range`.
    fn contact_original(&self, range: Range<usize>) -> Range<usize> {
        let bytes = self.contact.byte_range(range);
        self.normalized.contact.original_range(bytes)
    }

    /// Every match of `set` (indexed with the lexicons' vocabulary) in the words view.
    pub(crate) fn words_matches(&self, set: &PatternSet) -> Vec<PatternMatch> {
        set.find_all_keyed(
            self.words_text(),
            &self.words,
            &self.word_keys,
            &self.normalized.joined,
        )
    }

    fn contact_matches(&self, set: &PatternSet) -> Vec<PatternMatch> {
        set.find_all_keyed(self.contact_text(), &self.contact, &self.contact_keys, &[])
    }

    fn is_masked(&self, range: &Range<usize>) -> bool {
        self.masked
            .iter()
            .any(|(m, _)| m.start < range.end && range.start < m.end)
    }

    // ---------------------------------------------------------------- stance

    fn find_stance(&mut self, lexicons: &Lexicons) {
        let stance = &lexicons.stance;
        let mut sentences = vec![Stance::default(); self.words.sentences.len()];
        for (index, question) in self.words.questions.iter().enumerate() {
            sentences[index].question = *question;
        }
        let mut negated = vec![false; self.words.len()];
        for found in self.words_matches(&stance.negation) {
            for token in found.tokens {
                negated[token] = true;
            }
        }
        type Mark = fn(&mut Stance);
        let sets: [(&PatternSet, Mark); 4] = [
            (&stance.question, |s| s.question = true),
            (&stance.hedging, |s| s.hedging = true),
            (&stance.reported, |s| s.reported = true),
            (&stance.debunking, |s| s.debunking = true),
        ];
        for (set, mark) in sets {
            for found in self.words_matches(set) {
                let sentence = self.words.sentence_of[found.tokens.start] as usize;
                mark(&mut sentences[sentence]);
                if std::ptr::eq(set, &raw const stance.debunking) {
                    self.debunking.push(found.tokens);
                }
            }
        }
        // "Just read that X. Is there any truth in this?": the question is about the
        // sentence before it.
        for found in self.words_matches(&stance.follow_up) {
            let sentence = self.words.sentence_of[found.tokens.start] as usize;
            if sentence > 0 && self.words.questions[sentence] {
                sentences[sentence - 1].question = true;
            }
        }
        self.sentence_stance = sentences;
        self.negated = negated;
    }

    /// The stance of a claim on words tokens `range`: its sentence's stance, plus
    /// negation right before or inside it (words of `patterns` excepted), plus quotes.
    fn claim_stance(&self, range: Range<usize>, patterns: &[&crate::lexicon::Pattern]) -> Stance {
        self.stance_of(range, patterns, true)
    }

    /// [`Analysis::claim_stance`]; `quotes_report`: whether quotation marks around the
    /// claim make it someone else's words (not for sales, where quotes are titles).
    fn stance_of(
        &self,
        range: Range<usize>,
        patterns: &[&crate::lexicon::Pattern],
        quotes_report: bool,
    ) -> Stance {
        let text = self.words_text();
        let sentence_index = self.words.sentence_of[range.start] as usize;
        let sentence = self.words.sentences[sentence_index].clone();
        let mut stance = self.sentence_stance[sentence_index];
        // A debunking word that is part of the claim ("chemo is a scam") does not debunk it.
        stance.debunking = self.debunking.iter().any(|cue| {
            self.words.sentence_of[cue.start] as usize == sentence_index
                && (cue.end <= range.start || cue.start >= range.end)
        });
        stance.negation = (range.start.saturating_sub(3).max(sentence.start)..range.end).any(|t| {
            self.negated[t]
                && !patterns
                    .iter()
                    .any(|p| p.mentions(self.words.text(text, t)))
        });
        // Inside double quotes within its sentence: someone else's words.
        let sentence_start = self.words.spans[sentence.start].start;
        let claim_start = self.words.spans[range.start].start;
        let quotes_before = text[sentence_start..claim_start].matches('"').count();
        let line_start = text[..sentence_start].rfind('\n').map_or(0, |at| at + 1);
        let quotes_in_line = text[line_start..claim_start].matches('"').count();
        let claim_end = self.words.spans[range.end - 1].end;
        if quotes_report
            && (quotes_before % 2 == 1
                || quotes_in_line % 2 == 1
                || text[claim_start..claim_end].contains('"'))
        {
            stance.reported = true;
        }
        stance
    }

    // ------------------------------------------------------- personal information

    fn push_hit(
        &mut self,
        label: Label,
        rule: &'static str,
        detail: String,
        raw: f32,
        range: Range<usize>,
    ) {
        self.hits.push(Hit {
            label,
            rule,
            detail,
            raw,
            strength: raw,
            stance: Stance::default(),
            range,
        });
    }

    fn find_personal_info(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.personal_info;
        self.find_links_and_emails(lexicons);
        // Numbers, ids, dates and street numbers all need digits.
        if self.contact_text().bytes().any(|b| b.is_ascii_digit()) {
            self.find_record_numbers(lexicon);
            self.find_phone_numbers(lexicons);
            self.find_birth_dates(lexicon);
            self.find_addresses(lexicon);
        }
        self.find_names_with_diagnosis(lexicon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn has_signal(text: &str, signal: &str) -> bool {
        Analysis::new(text, &testing::lexicons())
            .signals
            .contains(&signal)
    }

    #[test]
    fn endorsement_counts_only_where_the_writer_speaks_for_themselves() {
        for own in [
            "We turned down the surgery and went natural. Best decision ever.",
            "i did the juicing, living proof you dont need the chemo",
            "Do your own research, that's all I'm saying.",
        ] {
            assert!(has_signal(own, "endorsement"), "{own}");
        }
        for other in [
            "Has anyone here stopped their chemo early? Was it the right call?",
            "Someone in another group said they refused radiation and went natural.",
            "Going natural instead of the surgery is a myth that gets people killed.",
        ] {
            assert!(!has_signal(other, "endorsement"), "{other}");
        }
    }

    #[test]
    fn claims_answered_or_outgrown_are_not_asserted() {
        let lexicons = testing::lexicons();
        for text in [
            "To everyone saying chemo is poison: it saved my life.",
            "I used to think chemo was just poison, then it put me in remission.",
            "The guy in the chair next to me at infusion said chemo is poison.",
            "Just read that the HPV vaccine causes infertility. Is there any truth in this?",
            "My dad read online that cancer is a fungus and you can kill it with baking soda.",
        ] {
            let analysis = Analysis::new(text, &lexicons);
            let claims: Vec<&Hit> = analysis.hits_for(Label::Misinformation).collect();
            assert!(!claims.is_empty(), "no claim found in {text}");
            assert!(
                claims.iter().all(|hit| !hit.stance.is_asserted()),
                "{text}: {claims:?}"
            );
        }
    }
}
