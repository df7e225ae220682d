//! The vocabulary of a screening result: [`Label`], [`Action`], [`TrustLevel`],
//! [`Span`], [`Reason`], [`Scores`] and [`Verdict`].
//!
//! A *label* is a kind of problem a post may have. A *score* in `[0, 1]` says how sure the
//! screener is that the label applies. A *reason* is one piece of evidence a moderator can
//! read: which rule fired, on which part of the text. The *action* is what the server
//! should do with the post, decided by the community's [`Policy`](crate::Policy).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A kind of problem a post may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Selling, advertising, soliciting contact or money.
    Promotion,
    /// Health claims that contradict medical evidence, asserted as true.
    Misinformation,
    /// Contact details or identifying data: phone, email, address, birth date, ids.
    PersonalInfo,
}

impl Label {
    /// Every label, in a fixed order (the order of [`Label::index`]).
    pub const ALL: [Label; 3] = [Label::Promotion, Label::Misinformation, Label::PersonalInfo];

    /// The label's name as it appears in corpora, policies and model files.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Promotion => "promotion",
            Label::Misinformation => "misinformation",
            Label::PersonalInfo => "personal_info",
        }
    }

    /// Parses a label name as written by [`Label::as_str`].
    pub fn parse(name: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|label| label.as_str() == name)
    }

    /// Position of the label in [`Label::ALL`].
    pub fn index(self) -> usize {
        match self {
            Label::Promotion => 0,
            Label::Misinformation => 1,
            Label::PersonalInfo => 2,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to do with a post, from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Publish.
    #[default]
    Allow,
    /// Publish, and put it in the moderators' queue.
    Flag,
    /// Do not publish until a moderator approves it.
    Hold,
    /// Refuse the post.
    Reject,
}

impl Action {
    /// The action's name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Flag => "flag",
            Action::Hold => "hold",
            Action::Reject => "reject",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a community trusts the author, from 0 (new) to 3 (long-standing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct TrustLevel(pub(crate) u8);

impl TrustLevel {
    /// The highest trust level.
    pub const MAX: u8 = 3;
    /// A new author.
    pub const NEW: TrustLevel = TrustLevel(0);

    /// Checks that `level` is 0 to 3.
    pub fn new(level: u8) -> Result<TrustLevel, Error> {
        if level <= Self::MAX {
            Ok(TrustLevel(level))
        } else {
            Err(Error::TrustLevel(level))
        }
    }

    /// The level as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for TrustLevel {
    type Error = Error;
    fn try_from(level: u8) -> Result<TrustLevel, Error> {
        TrustLevel::new(level)
    }
}

impl From<TrustLevel> for u8 {
    fn from(level: TrustLevel) -> u8 {
        level.0
    }
}

/// Which part of the post a [`Span`] points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The thread title.
    Title,
    /// The post body.
    Body,
}

/// A byte range `start..end` of the original, un-normalized title or body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Title or body.
    pub field: Field,
    /// First byte (inclusive), on a char boundary.
    pub start: usize,
    /// Last byte (exclusive), on a char boundary.
    pub end: usize,
}

/// One piece of evidence behind a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The label this evidence is for.
    pub label: Label,
    /// A stable rule identifier, e.g. `personal_info.phone` or `classifier`.
    pub rule: String,
    /// A sentence for moderators (and, for personal information, for the author).
    pub message: String,
    /// How strongly this piece of evidence alone supports the label, in `[0, 1]`.
    pub score: f32,
    /// Where in the original text, when the evidence is a stretch of text.
    pub span: Option<Span>,
    /// The original text of `span`.
    pub matched: Option<String>,
}

/// One score in `[0, 1]` per label.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Scores {
    /// Score for [`Label::Promotion`].
    pub promotion: f32,
    /// Score for [`Label::Misinformation`].
    pub misinformation: f32,
    /// Score for [`Label::PersonalInfo`].
    pub personal_info: f32,
}

impl Scores {
    /// The score of one label.
    pub fn get(&self, label: Label) -> f32 {
        match label {
            Label::Promotion => self.promotion,
            Label::Misinformation => self.misinformation,
            Label::PersonalInfo => self.personal_info,
        }
    }

    /// Sets the score of one label.
    pub fn set(&mut self, label: Label, score: f32) {
        match label {
            Label::Promotion => self.promotion = score,
            Label::Misinformation => self.misinformation = score,
            Label::PersonalInfo => self.personal_info = score,
        }
    }
}

/// The screener's answer for one post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// One score per label.
    pub scores: Scores,
    /// The labels whose score reached the policy's flag threshold, in [`Label::ALL`] order.
    pub labels: Vec<Label>,
    /// Evidence, strongest first within each label.
    pub reasons: Vec<Reason>,
    /// The most severe action any label calls for.
    pub action: Action,
    /// The author's self-harm risk level. It never changes the action.
    #[serde(default)]
    pub self_harm: crate::care::SelfHarm,
    /// Whether the post tells others what to do with a treatment: a nudge for the
    /// author. It never changes the action.
    #[serde(default)]
    pub advice: crate::advice::Advice,
    /// The post's language: an ISO 639-1 code, or `und` when it could not be told.
    #[serde(default = "undetermined")]
    pub language: String,
}

fn undetermined() -> String {
    crate::language::UNDETERMINED.to_string()
}

impl Verdict {
    /// Whether `label` reached its flag threshold.
    pub fn has(&self, label: Label) -> bool {
        self.labels.contains(&label)
    }
}
