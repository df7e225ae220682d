//! Users: names, passwords, contact and the profile a member chooses to share.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::{check_text, text_enum};
use crate::error::Error;

/// A login name: 3–32 characters of `[a-z0-9_]`, compared case-insensitively (stored
/// lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, Error> {
        let lowered = raw.trim().to_ascii_lowercase();
        let valid_chars = lowered
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !(3..=32).contains(&lowered.len()) || !valid_chars {
            return Err(Error::invalid(
                "username",
                "username must be 3 to 32 characters: letters, digits and underscores",
            ));
        }
        Ok(Username(lowered))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What this name looks like: [`skeleton`], so that `rnaria_mod` and `maria_mod`, or
    /// `adm1n` and `admin`, compare equal.
    pub fn skeleton(&self) -> String {
        skeleton(&self.0)
    }

    /// Refuses, for a name a member chooses, the names of roles and of the site itself
    /// (`admin`, `moderator`, `kindred`, …) and their look-alikes, alone or as a part
    /// (`kindred_team`, `admin_sara`). Staff accounts are made by an admin, not here.
    pub fn check_registrable(&self) -> Result<(), Error> {
        let whole = self.skeleton();
        let reserved_whole = RESERVED_NAMES.iter().any(|name| skeleton(name) == whole);
        let reserved_part = self
            .0
            .split('_')
            .map(skeleton)
            .any(|part| ROLE_WORDS.iter().any(|word| skeleton(word) == part));
        if reserved_whole || reserved_part {
            return Err(Error::invalid(
                "username",
                "that username is reserved; please choose another",
            ));
        }
        Ok(())
    }
}

/// Names nobody may register, compared by [`skeleton`].
const RESERVED_NAMES: [&str; 25] = [
    "admin",
    "administrator",
    "moderator",
    "mod",
    "mods",
    "staff",
    "support",
    "kindred",
    "root",
    "system",
    "sysadmin",
    "official",
    "team",
    "help",
    "helpdesk",
    "security",
    "abuse",
    "postmaster",
    "webmaster",
    "noreply",
    "no_reply",
    "anonymous",
    "former_member",
    "everyone",
    // `/api/v1/users/suggest` is a route, not a profile.
    "suggest",
];

/// Words that make any username or display name look official.
const ROLE_WORDS: [&str; 8] = [
    "admin",
    "administrator",
    "moderator",
    "staff",
    "kindred",
    "official",
    "sysadmin",
    "root",
];

/// The confusable skeleton of a name: Unicode TR39's skeleton (which maps look-alikes
/// from other scripts, `а` → `a`, and `m` → `rn`), lower-cased, with everything but
/// letters and digits dropped and the ASCII look-alikes TR39 leaves apart folded
/// together: `rn`/`m`, `vv`/`w`, `cl`/`d`, `0`/`o` and `1`/`i`/`l`.
pub fn skeleton(text: &str) -> String {
    let letters: String = unicode_security::confusable_detection::skeleton(text)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    let folded = letters
        .replace("rn", "m")
        .replace("vv", "w")
        .replace("cl", "d");
    folded
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | 'i' | '|' => 'l',
            other => other,
        })
        .collect()
}

/// A new password: at least 10 characters, at most 256, and not a well-known one.
pub struct Password(String);

impl Password {
    pub fn parse(raw: &str) -> Result<Password, Error> {
        let length = raw.chars().count();
        if length < 10 {
            return Err(Error::invalid(
                "password",
                "password must be at least 10 characters long",
            ));
        }
        if length > 256 {
            return Err(Error::invalid(
                "password",
                "password must be at most 256 characters long",
            ));
        }
        if common_passwords().contains(raw.to_lowercase().as_str()) {
            return Err(Error::invalid(
                "password",
                "this password is too common; choose another",
            ));
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../../seed-data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    })
}

/// An email address, never shown to other members. Only its shape is checked.
#[derive(Debug, Clone)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, Error> {
        let trimmed = raw.trim();
        let shape_ok = match trimmed.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
        let bad_char = trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if !shape_ok || trimmed.len() > 254 || bad_char {
            return Err(Error::invalid("email", "email is not a valid address"));
        }
        Ok(Email(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The name shown beside a member's posts: 1–64 characters.
#[derive(Debug, Clone)]
pub struct DisplayName(String);

impl DisplayName {
    /// Drops direction overrides and invisible characters first: a right-to-left
    /// override shows `mod_airam` as `maria_dom`, and a zero-width space makes two equal
    /// names differ.
    pub fn parse(raw: &str) -> Result<DisplayName, Error> {
        let visible: String = raw.chars().filter(|c| !is_hidden_format(*c)).collect();
        let trimmed = visible.trim();
        check_text("display_name", trimmed, 1, 64, false)?;
        Ok(DisplayName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the name claims a role: moderator, admin, staff, Kindred (or a
    /// look-alike), or "mod" as a word of its own.
    pub fn claims_a_role(&self) -> bool {
        let folded = skeleton(&self.0);
        let role_word = ROLE_WORDS
            .iter()
            .any(|word| folded.contains(&skeleton(word)));
        let mod_word = self
            .0
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| matches!(skeleton(word).as_str(), "mod" | "mods"));
        role_word || mod_word
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Characters that change how text is shown without being seen: bidirectional
/// embeddings, overrides, isolates and marks, zero-width characters, the soft hyphen,
/// word joiners and the byte-order mark.
fn is_hidden_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A short free-text bio: at most 2,000 characters.
#[derive(Debug, Clone)]
pub struct Bio(String);

impl Bio {
    pub fn parse(raw: &str) -> Result<Bio, Error> {
        let trimmed = raw.trim();
        check_text("bio", trimmed, 0, 2000, true)?;
        Ok(Bio(trimmed.to_owned()))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Condition tags such as `lung-cancer` or `her2-positive`: at most 20 tags of
/// `[a-z0-9-]{1,48}`, de-duplicated.
#[derive(Debug, Clone, Default)]
pub struct ConditionTags(Vec<String>);

impl ConditionTags {
    pub fn parse(raw: &[String]) -> Result<ConditionTags, Error> {
        if raw.len() > 20 {
            return Err(Error::invalid("conditions", "at most 20 condition tags"));
        }
        let mut tags: Vec<String> = Vec::with_capacity(raw.len());
        for tag in raw {
            let tag = tag.trim().to_ascii_lowercase();
            let valid = (1..=48).contains(&tag.len())
                && tag
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return Err(Error::invalid(
                    "conditions",
                    "condition tags are 1 to 48 characters: letters, digits and hyphens",
                ));
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Ok(ConditionTags(tags))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn to_json(&self) -> String {
        serde_json::Value::from(self.0.clone()).to_string()
    }

    /// Reads the stored JSON form; a damaged value reads as no tags.
    pub fn from_json(stored: &str) -> Vec<String> {
        serde_json::from_str(stored).unwrap_or_default()
    }
}

text_enum! {
    /// Who the member is in relation to cancer, if they choose to say.
    ProfileRole, "role" {
        Patient => "patient",
        Caregiver => "caregiver",
        Bereaved => "bereaved",
        Supporter => "supporter",
        Clinician => "clinician",
    }
}

text_enum! {
    /// Who sees the profile fields a member chose to share.
    ProfileAudience, "profile_audience" {
        Members => "members",
        Communities => "communities",
        Nobody => "nobody",
    }
}

text_enum! {
    /// On erasure, whether a member's posts go or stay as "a former member".
    ErasePosts, "posts" {
        Delete => "delete",
        Anonymize => "anonymize",
    }
}

text_enum! {
    /// Site-wide role: admins create communities and appoint moderators; a research
    /// partner sees the de-identified insights of the communities granted to them and
    /// nothing else (`service::partners`).
    SiteRole, "site_role" {
        Member => "member",
        Admin => "admin",
        ResearchPartner => "research_partner",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(
            Username::parse("Sam_Patient").map(|u| u.0).ok(),
            Some("sam_patient".into())
        );
        for bad in [
            "ab",
            "has space",
            "émile",
            "a-b-c",
            &"x".repeat(33),
            "",
            "semi;colon",
        ] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(Password::parse("short").is_err());
        assert!(
            Password::parse("password123").is_err(),
            "common password accepted"
        );
        assert!(
            Password::parse("Password123").is_err(),
            "case variant of common accepted"
        );
        assert!(Password::parse("quiet harbour lanterns").is_ok());
        assert!(!format!("{:?}", Password::parse("quiet harbour lanterns")).contains("harbour"));
    }

    #[test]
    fn emails() {
        assert!(Email::parse("jo@example.org").is_ok());
        for bad in [
            "jo",
            "jo@",
            "@example.org",
            "jo@example",
            "jo @example.org",
            "a@b@c.d",
            "j\u{0}@x.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn look_alike_usernames_share_a_skeleton() {
        let maria = Username::parse("maria_mod").expect("name").skeleton();
        for look_alike in [
            "rnaria_mod",
            "mariamod",
            "marla_mod",
            "maria_rnod",
            "MARIA__MOD",
        ] {
            let other = Username::parse(look_alike).expect("name");
            assert_eq!(other.skeleton(), maria, "{look_alike}");
        }
        assert_ne!(
            Username::parse("mario_mod").expect("name").skeleton(),
            maria
        );
        assert_eq!(skeleton("adm1n"), skeleton("admin"));
        assert_eq!(skeleton("admln"), skeleton("admin"));
        assert_eq!(skeleton("g0rdon"), skeleton("gordon"));
        // Cyrillic а and о look like Latin a and o.
        assert_eq!(skeleton("M\u{0430}ri\u{0430}"), skeleton("Maria"));
    }

    #[test]
    fn reserved_usernames() {
        for reserved in [
            "admin",
            "adm1n",
            "admln",
            "administrator",
            "moderator",
            "mod",
            "kindred",
            "root",
            "staff",
            "kindred_team",
            "admin_sara",
            "sara_moderator",
        ] {
            let name = Username::parse(reserved).expect("name");
            assert!(name.check_registrable().is_err(), "{reserved}");
        }
        for fine in [
            "maria_mod",
            "sam_patient",
            "modesty",
            "rootsy",
            "jo_caregiver",
        ] {
            let name = Username::parse(fine).expect("name");
            assert!(name.check_registrable().is_ok(), "{fine}");
        }
    }

    #[test]
    fn display_names_lose_hidden_characters_and_roles_are_noticed() {
        let overridden = DisplayName::parse("\u{202E}mod_airam").expect("name");
        assert_eq!(overridden.as_str(), "mod_airam");
        let spaced = DisplayName::parse("Ma\u{200B}ria\u{FEFF}").expect("name");
        assert_eq!(spaced.as_str(), "Maria");
        assert!(DisplayName::parse("\u{200B}\u{200F}").is_err());
        for claims in [
            "Maria (moderator)",
            "admin",
            "Kindred Team",
            "Sam - mod",
            "St\u{0430}ff",
        ] {
            assert!(
                DisplayName::parse(claims).expect("name").claims_a_role(),
                "{claims}"
            );
        }
        for plain in ["Maria", "Modesty Blaise", "Sam the caregiver", "Jo"] {
            assert!(
                !DisplayName::parse(plain).expect("name").claims_a_role(),
                "{plain}"
            );
        }
    }

    #[test]
    fn condition_tags() {
        let tags = ConditionTags::parse(&["Lung-Cancer".into(), "lung-cancer".into()]);
        assert_eq!(
            tags.map(|t| t.0).ok(),
            Some(vec!["lung-cancer".to_string()])
        );
        assert!(ConditionTags::parse(&["no spaces".into()]).is_err());
    }
}
