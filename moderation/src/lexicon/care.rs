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
    /// `[means]`: what someone could harm themselves with (`morphine`, `rope`).
    pub means: PatternSet,
    /// `[gather]`: keeping or counting something up (`saved`, `all`, `enough`).
    pub gather: PatternSet,
    /// `[will]`: the author's intention or a moment (`going to`, `tonight`).
    pub will: PatternSet,
    /// `[wish]`: wanting (`wish`, `want`, `rather`).
    pub wish: PatternSet,
    /// `[death]`: ending one's life (`end it`, `kill myself`, `not wake up`).
    pub death: PatternSet,
    /// `[dying]`: dying or being gone (`die`, `dead`), which a wish makes ideation.
    pub dying: PatternSet,
    /// `[third-person]`: someone else's words or wishes (`Mum said`).
    pub third_person: PatternSet,
}

impl SelfHarmLexicon {
    /// The sections of the file, in order.
    const SECTIONS: [&'static str; 16] = [
        "act",
        "intent",
        "plan",
        "time",
        "goodbye",
        "ideation",
        "passive",
        "past",
        "others",
        "means",
        "gather",
        "will",
        "wish",
        "death",
        "dying",
        "third-person",
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
            means: sections.patterns("means", 1.0)?,
            gather: sections.patterns("gather", 1.0)?,
            will: sections.patterns("will", 1.0)?,
            wish: sections.patterns("wish", 1.0)?,
            death: sections.patterns("death", 1.0)?,
            dying: sections.patterns("dying", 1.0)?,
            third_person: sections.patterns("third-person", 1.0)?,
        })
    }
}
