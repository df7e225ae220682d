//! Bereavement, appeals and clinician context (issue 19), parsed at the edge.

use super::{check_text, text_enum};
use crate::error::Error;

text_enum! {
    /// An appeal waits for a second moderator, who upholds or overturns the decision.
    AppealState, "state" {
        Open => "open",
        Upheld => "upheld",
        Overturned => "overturned",
    }
}

text_enum! {
    /// What the second moderator decides about an appeal.
    AppealOutcome, "outcome" {
        Upheld => "upheld",
        Overturned => "overturned",
    }
}

impl From<AppealOutcome> for AppealState {
    fn from(outcome: AppealOutcome) -> AppealState {
        match outcome {
            AppealOutcome::Upheld => AppealState::Upheld,
            AppealOutcome::Overturned => AppealState::Overturned,
        }
    }
}

/// What a member says in an appeal: 1–1,000 characters, kept short so a moderator reads
/// it whole.
pub struct AppealText(String);

impl AppealText {
    pub fn parse(raw: &str) -> Result<AppealText, Error> {
        let trimmed = raw.trim();
        check_text("text", trimmed, 1, 1000, true)?;
        Ok(AppealText(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A context note's markdown: 1–500 characters.
pub struct NoteText(String);

impl NoteText {
    pub fn parse(raw: &str) -> Result<NoteText, Error> {
        let trimmed = raw.trim();
        check_text("body", trimmed, 1, 500, true)?;
        Ok(NoteText(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A verified clinician's role as readers see it ("oncology nurse"): 2–60 characters on
/// one line.
pub struct ClinicianRole(String);

impl ClinicianRole {
    pub fn parse(raw: &str) -> Result<ClinicianRole, Error> {
        let trimmed = raw.trim();
        check_text("role", trimmed, 2, 60, false)?;
        Ok(ClinicianRole(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_bounded() {
        assert!(AppealText::parse("  ").is_err());
        assert!(AppealText::parse(&"a".repeat(1001)).is_err());
        assert_eq!(
            AppealText::parse(" please ").map(|t| t.0).ok(),
            Some("please".into())
        );
        assert!(NoteText::parse(&"a".repeat(501)).is_err());
        assert!(NoteText::parse(&"a".repeat(500)).is_ok());
        assert!(ClinicianRole::parse("oncology\nnurse").is_err());
        assert!(ClinicianRole::parse("oncology nurse").is_ok());
        assert_eq!(
            AppealState::parse("overturned").ok(),
            Some(AppealState::Overturned)
        );
        assert!(AppealOutcome::parse("open").is_err());
    }
}
