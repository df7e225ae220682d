//! Communities and memberships.

use super::{check_text, text_enum};
use crate::error::Error;

/// A community's URL name: `[a-z0-9-]{3,48}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunitySlug(String);

impl CommunitySlug {
    pub fn parse(raw: &str) -> Result<CommunitySlug, Error> {
        let valid = (3..=48).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            return Err(Error::invalid(
                "slug",
                "slug must be 3 to 48 characters: lowercase letters, digits and hyphens",
            ));
        }
        Ok(CommunitySlug(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A community's name (1–100 characters), description (up to 2,000) or rules (markdown,
/// up to 20,000).
pub struct CommunityText(String);

impl CommunityText {
    pub fn name(raw: &str) -> Result<CommunityText, Error> {
        let trimmed = raw.trim();
        check_text("name", trimmed, 1, 100, false)?;
        Ok(CommunityText(trimmed.to_owned()))
    }

    pub fn description(raw: &str) -> Result<CommunityText, Error> {
        let trimmed = raw.trim();
        check_text("description", trimmed, 0, 2000, true)?;
        Ok(CommunityText(trimmed.to_owned()))
    }

    pub fn rules(raw: &str) -> Result<CommunityText, Error> {
        let trimmed = raw.trim();
        check_text("rules", trimmed, 0, 20_000, true)?;
        Ok(CommunityText(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

text_enum! {
    /// What a community is about: one condition, caring for someone, or anything else.
    CommunityKind, "kind" {
        Condition => "condition",
        Caregiver => "caregiver",
        General => "general",
    }
}

text_enum! {
    /// Public communities can be read by anyone; private ones do not exist for non-members.
    Visibility, "visibility" {
        Public => "public",
        Private => "private",
    }
}

text_enum! {
    /// Whether joining takes effect at once or waits for a moderator.
    JoinPolicy, "join_policy" {
        Open => "open",
        Approval => "approval",
    }
}

text_enum! {
    MembershipRole, "role" {
        Member => "member",
        Moderator => "moderator",
    }
}

text_enum! {
    /// `pending` waits for approval; `banned` keeps a banned member from rejoining.
    MembershipState, "state" {
        Active => "active",
        Pending => "pending",
        Banned => "banned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(CommunitySlug::parse("lung-cancer").is_ok());
        for bad in [
            "lc",
            "Lung",
            "lung_cancer",
            "../etc",
            &"a".repeat(49),
            "lung cancer",
        ] {
            assert!(CommunitySlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn enums_round_trip() {
        for kind in CommunityKind::ALL {
            assert_eq!(CommunityKind::parse(kind.as_str()).ok(), Some(*kind));
        }
        assert!(Visibility::parse("secret").is_err());
    }
}
