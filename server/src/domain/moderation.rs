//! Moderation decisions and member reports, parsed at the edge.

use serde_json::json;

use super::{check_text, text_enum};
use crate::error::Error;

text_enum! {
    /// What a moderator decides about a queue item.
    Decision, "action" {
        Approve => "approve",
        Remove => "remove",
        Dismiss => "dismiss",
    }
}

text_enum! {
    /// What an entry of a community's moderation log records: a moderator's decision on
    /// a post, a sanction applied directly (a ban from the members list, not from a
    /// queue item), a change of the screening policy, a memorial, a clinician's context
    /// note, or the outcome of an appeal.
    ModAction, "action" {
        Approve => "approve",
        Remove => "remove",
        Dismiss => "dismiss",
        Sanction => "sanction",
        Policy => "policy",
        Memorialise => "memorialise",
        Unmemorialise => "unmemorialise",
        ContextNoteAdded => "context_note_added",
        ContextNoteEdited => "context_note_edited",
        ContextNoteRemoved => "context_note_removed",
        AppealUpheld => "appeal_upheld",
        AppealOverturned => "appeal_overturned",
    }
}

impl From<Decision> for ModAction {
    fn from(decision: Decision) -> ModAction {
        match decision {
            Decision::Approve => ModAction::Approve,
            Decision::Remove => ModAction::Remove,
            Decision::Dismiss => ModAction::Dismiss,
        }
    }
}

text_enum! {
    /// What may happen to the author along with a decision.
    SanctionKind, "sanction" {
        Warn => "warn",
        Suspend => "suspend",
        Ban => "ban",
    }
}

text_enum! {
    /// A moderation queue item waits for a moderator until one decides it.
    QueueState, "state" {
        Open => "open",
        Decided => "decided",
    }
}

text_enum! {
    /// A member's report stays open until a decision upholds or dismisses it.
    ReportState, "state" {
        Open => "open",
        Upheld => "upheld",
        Dismissed => "dismissed",
    }
}

/// A sanction with its length: suspensions last 1 to 365 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sanction {
    Warn,
    Suspend { days: u16 },
    Ban,
}

impl Sanction {
    pub fn parse(kind: &str, days: Option<i64>) -> Result<Sanction, Error> {
        match SanctionKind::parse(kind)? {
            SanctionKind::Warn => Ok(Sanction::Warn),
            SanctionKind::Ban => Ok(Sanction::Ban),
            SanctionKind::Suspend => match days.and_then(|d| u16::try_from(d).ok()) {
                Some(days @ 1..=365) => Ok(Sanction::Suspend { days }),
                _ => Err(Error::invalid("days", "a suspension lasts 1 to 365 days")),
            },
        }
    }

    pub fn describe(self) -> String {
        match self {
            Sanction::Warn => "warn".into(),
            Sanction::Suspend { days } => format!("suspend {days} days"),
            Sanction::Ban => "ban".into(),
        }
    }
}

/// Why a member reports a post, or why a moderator decided: 1–500 characters.
pub struct ModerationText(String);

impl ModerationText {
    pub fn reason(raw: &str) -> Result<ModerationText, Error> {
        let trimmed = raw.trim();
        check_text("reason", trimmed, 1, 500, true)?;
        Ok(ModerationText(trimmed.to_owned()))
    }

    /// A moderator's private note: up to 2,000 characters.
    pub fn note(raw: &str) -> Result<ModerationText, Error> {
        let trimmed = raw.trim();
        check_text("note", trimmed, 1, 2000, true)?;
        Ok(ModerationText(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How much the community trusts an author, 0 (new) to 3, from what they have done:
/// account age, posts published, posts removed by moderators. In the spirit of
/// Discourse's trust levels, without its many knobs.
pub fn trust_level(account_age_days: i64, published_posts: i64, removed_posts: i64) -> u8 {
    if account_age_days >= 90 && published_posts >= 50 && removed_posts == 0 {
        3
    } else if account_age_days >= 14 && published_posts >= 10 && removed_posts <= 1 {
        2
    } else {
        u8::from(account_age_days >= 1 && published_posts >= 1 && removed_posts <= 2)
    }
}

/// How much one report counts towards hiding a post: trusted members count more.
pub fn report_weight(trust_level: u8) -> i64 {
    match trust_level {
        0 | 1 => 1,
        2 => 2,
        _ => 3,
    }
}

/// Reports weighing this much together hide a post until a moderator looks.
pub const REPORT_HIDE_THRESHOLD: i64 = 3;

/// What screening or reports found about a post, as stored on its queue item.
#[derive(Debug, Clone)]
pub struct Findings {
    pub labels: serde_json::Value,
    pub scores: serde_json::Value,
    pub reasons: serde_json::Value,
}

impl Findings {
    /// A held post whose new version screening no longer objects to.
    pub fn clean_after_edit() -> Findings {
        Findings {
            labels: json!([]),
            scores: json!({}),
            reasons: json!([{ "rule": "edited", "message": "edited by the author; screening finds nothing now" }]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_grows_with_history_and_falls_with_removals() {
        assert_eq!(trust_level(0, 0, 0), 0);
        assert_eq!(trust_level(2, 1, 0), 1);
        assert_eq!(trust_level(30, 12, 0), 2);
        assert_eq!(trust_level(120, 80, 0), 3);
        assert_eq!(trust_level(120, 80, 1), 2);
        assert_eq!(trust_level(120, 80, 5), 0);
    }

    #[test]
    fn sanctions() {
        assert_eq!(
            Sanction::parse("suspend", Some(7)).ok(),
            Some(Sanction::Suspend { days: 7 })
        );
        assert!(Sanction::parse("suspend", None).is_err());
        assert!(Sanction::parse("suspend", Some(400)).is_err());
        assert!(Sanction::parse("exile", None).is_err());
        assert_eq!(Sanction::parse("ban", None).ok(), Some(Sanction::Ban));
    }
}
