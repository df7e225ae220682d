//! The medical-advice lexicon (`seed-data/advice/advice.txt`): the words that make a
//! sentence a directive to other members about a treatment ([`advice`](crate::advice)).

use super::sections::Sections;
use super::PatternSet;
use crate::Error;

/// Medical-advice lexicon (`advice.txt`). How the sections make a directive is written at
/// the top of the file.
#[derive(Debug, Clone, Default)]
pub struct AdviceLexicon {
    /// `[act]`: imperative changes to a treatment (`stop`, `halve`, `swap the`).
    pub act: PatternSet,
    /// `[lead]`: words that turn the next [act] to the reader (`you should`, `I'd`).
    pub lead: PatternSet,
    /// `[filler]`: words a directive may start with before its verb (`just`, `honestly`).
    pub filler: PatternSet,
    /// `[direct]`: directives on their own (`don't take`, `you can have my`).
    pub direct: PatternSet,
    /// `[anywhere]`: sharing, or dismissing the care team (`is yours`, `ignore the
    /// instructions`), with a treatment anywhere near.
    pub anywhere: PatternSet,
    /// `[treatment]`: treatments, medicines and doses.
    pub treatment: PatternSet,
    /// `[treatment-suffix]`: endings of drug names (`mab`, `nib`).
    pub treatment_suffixes: Vec<Box<str>>,
    /// `[pronoun]`: words that stand for a treatment named just before (`them`, `it`).
    pub pronoun: PatternSet,
    /// `[care-team]`: sending the reader to their care team (`ask your oncologist`).
    pub care_team: PatternSet,
    /// `[reported]`: what a clinician said (`my oncologist said`).
    pub reported: PatternSet,
}

impl AdviceLexicon {
    /// The sections of the file, in order.
    const SECTIONS: [&'static str; 10] = [
        "act",
        "lead",
        "filler",
        "direct",
        "anywhere",
        "treatment",
        "treatment-suffix",
        "pronoun",
        "care-team",
        "reported",
    ];

    /// Parses `advice.txt`.
    pub fn parse(text: &str) -> Result<AdviceLexicon, Error> {
        let sections = Sections::parse("advice", text, &Self::SECTIONS)?;
        Ok(AdviceLexicon {
            act: sections.patterns("act", 1.0)?,
            lead: sections.patterns("lead", 1.0)?,
            filler: sections.patterns("filler", 1.0)?,
            direct: sections.patterns("direct", 1.0)?,
            anywhere: sections.patterns("anywhere", 1.0)?,
            treatment: sections.patterns("treatment", 1.0)?,
            treatment_suffixes: sections.word_list("treatment-suffix"),
            pronoun: sections.patterns("pronoun", 1.0)?,
            care_team: sections.patterns("care-team", 1.0)?,
            reported: sections.patterns("reported", 1.0)?,
        })
    }
}
