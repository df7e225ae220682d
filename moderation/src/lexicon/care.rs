//! The self-harm lexicon (`seed-data/care/self-harm.txt`): the signals the risk level of
//! [`care`](crate::care) is made of.

use super::sections::Sections;
use super::PatternSet;
use crate::Error;

/// Self-harm lexicon (`self-harm.txt`). What each section means and how the sections make
/// a level is written at the top of the file.
#[derive(Debug, Clone, Default)]
pub struct SelfHarmLexicon {
    /// `[act]`: an attempt under way (`swallowed half the bottle`).
    pub act: PatternSet,
    /// `[intent]`: the author means to end their life (`I'm going to end it`).
    pub intent: PatternSet,
    /// `[plan]`: means and preparations (`saved up my morphine`, `written my goodbye letter`).
    pub plan: PatternSet,
    /// `[time]`: when (`tonight`, `on Friday`).
    pub time: PatternSet,
    /// `[goodbye]`: taking leave (`this is my goodbye post`).
    pub goodbye: PatternSet,
    /// `[ideation]`: ongoing thoughts of dying or suicide (`better off without me`).
    pub ideation: PatternSet,
    /// `[passive]`: passive or figurative-adjacent personal feelings (`what's the point`).
    pub passive: PatternSet,
    /// `[past]`: the feelings are behind the author (`that was two years ago`).
    pub past: PatternSet,
    /// `[others]`: a sentence addressed to others (`if anyone is having thoughts…`).
    pub others: PatternSet,
}

impl SelfHarmLexicon {
    /// The sections of the file, in order.
    const SECTIONS: [&'static str; 9] = [
        "act", "intent", "plan", "time", "goodbye", "ideation", "passive", "past", "others",
    ];

    /// Parses `self-harm.txt`.
    pub fn parse(text: &str) -> Result<SelfHarmLexicon, Error> {
        let sections = Sections::parse("self_harm", text, &Self::SECTIONS)?;
        Ok(SelfHarmLexicon {
            act: sections.patterns("act", 1.0)?,
            intent: sections.patterns("intent", 1.0)?,
            plan: sections.patterns("plan", 1.0)?,
            time: sections.patterns("time", 1.0)?,
            goodbye: sections.patterns("goodbye", 1.0)?,
            ideation: sections.patterns("ideation", 1.0)?,
            passive: sections.patterns("passive", 1.0)?,
            past: sections.patterns("past", 1.0)?,
            others: sections.patterns("others", 1.0)?,
        })
    }
}
