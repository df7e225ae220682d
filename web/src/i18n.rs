//! The interface's languages: Fluent catalogues embedded in the binary (`web/locales/`),
//! one bundle per language, built once. Templates ask the page chrome for words
//! (`chrome.t("nav-search")`, `chrome.t_args("count-members", &[("count", n.into())])`), so
//! a page never holds an English string of its own and plurals follow each language's rules.
//!
//! A key missing from a catalogue shows as the key itself (and the catalogue test fails),
//! never as an empty string.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// Every language, in the order the footer's switch offers them.
pub const LANGUAGES: [Lang; 2] = [Lang::En, Lang::Es];

/// The English catalogue's text, per file.
pub const CATALOGUE_EN: &str = include_str!("../locales/en/main.ftl");
/// The Spanish catalogue's text, per file.
pub const CATALOGUE_ES: &str = include_str!("../locales/es/main.ftl");

static BUNDLE_EN: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| bundle(Lang::En, CATALOGUE_EN));
static BUNDLE_ES: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| bundle(Lang::Es, CATALOGUE_ES));

/// One language's bundle. The catalogues are part of the binary and checked by the tests,
/// so a syntax error in one is a programming error: its unreadable entries are skipped.
fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks around placeables would change every English string.
    bundle.set_use_isolating(false);
    // Duplicate keys are caught by the catalogue test; the first one wins here.
    let _ = bundle.add_resource(resource);
    bundle
}

impl Lang {
    /// The BCP 47 code: `<html lang>`, the cookie, the stored setting.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's own name, as the switch offers it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// A stored or sent code ("es", "es-MX", "ES") as a language the interface speaks.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        LANGUAGES.into_iter().find(|lang| lang.code() == primary)
    }

    /// The best language an `Accept-Language` header asks for, by its q-values (ties go
    /// to the one listed first); `None` when it names none we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .filter(|q| q.is_finite() && (0.0..=1.0).contains(q));
            let (Some(lang), Some(quality)) = (Lang::parse(tag), quality) else {
                continue;
            };
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang)
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        match self {
            Lang::En => &BUNDLE_EN,
            Lang::Es => &BUNDLE_ES,
        }
    }

    /// Whether the catalogue has `key`.
    pub fn has(self, key: &str) -> bool {
        self.bundle().has_message(key)
    }

    /// The words for `key`.
    pub fn t(self, key: &str) -> String {
        self.format(key, None)
    }

    /// The words for `key` with its variables (`{ $count }`), plurals chosen by the
    /// language's rules.
    pub fn t_args(self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let value: FluentValue = match value {
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Text(text) => FluentValue::from(text.clone()),
            };
            fluent.set(*name, value);
        }
        self.format(key, Some(&fluent))
    }

    fn format(self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text: Cow<str> = bundle.format_pattern(pattern, args, &mut errors);
        text.into_owned()
    }

    /// A whole number with the language's thousands separator: "12,345" / "12.345".
    /// (Spanish writes four-digit numbers without one, as the RAE recommends.)
    pub fn number(self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let separator = match self {
            Lang::En => ',',
            Lang::Es if digits.len() <= 4 => return n.to_string(),
            Lang::Es => '.',
        };
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(digit);
        }
        if n < 0 {
            grouped.insert(0, '-');
        }
        grouped
    }
}

/// A variable of a message.
#[derive(Debug, Clone)]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

/// The message keys a catalogue defines, in order.
pub fn catalogue_keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once('=').map(|(key, _)| key.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(source: &str) -> BTreeSet<String> {
        catalogue_keys(source).into_iter().collect()
    }

    #[test]
    fn catalogues_parse_without_errors_or_duplicates() {
        for (name, source) in [("en", CATALOGUE_EN), ("es", CATALOGUE_ES)] {
            if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
                panic!("{name}: {errors:?}");
            }
            let listed = catalogue_keys(source);
            assert_eq!(listed.len(), keys(source).len(), "{name} repeats a key");
        }
    }

    #[test]
    fn every_key_is_in_both_catalogues() {
        let (en, es) = (keys(CATALOGUE_EN), keys(CATALOGUE_ES));
        let only_en: Vec<_> = en.difference(&es).collect();
        let only_es: Vec<_> = es.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in es: {only_en:?}");
        assert!(only_es.is_empty(), "missing in en: {only_es:?}");
    }

    /// Every `t("key")` / `t_args("key"` in the templates names a key the catalogues have.
    #[test]
    fn every_key_used_in_code_exists() {
        let en = keys(CATALOGUE_EN);
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let server = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/src");
        let mut missing = Vec::new();
        for dir in [src, server] {
            let used = used_keys(std::path::Path::new(dir));
            assert!(!used.is_empty(), "no keys found under {dir}");
            for key in used {
                if !en.contains(&key) {
                    missing.push(key);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but in no catalogue: {missing:?}"
        );
    }

    fn used_keys(dir: &std::path::Path) -> Vec<String> {
        let mut found = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return found;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(used_keys(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for marker in ["t(\"", "t_args(\"", "Said::new(\""] {
                    for (at, _) in text.match_indices(marker) {
                        let preceded = text[..at].ends_with('.') || marker.starts_with('S');
                        let rest = &text[at + marker.len()..];
                        if let (true, Some(end)) = (preceded, rest.find('"')) {
                            let key = &rest[..end];
                            if key
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                                && !key.is_empty()
                            {
                                found.push(key.to_owned());
                            }
                        }
                    }
                }
            }
        }
        found
    }

    #[test]
    fn plurals_follow_each_language() {
        let members = |lang: Lang, n: i64| lang.t_args("count-members", &[("count", n.into())]);
        assert_eq!(members(Lang::En, 1), "1 member");
        assert_eq!(members(Lang::En, 2), "2 members");
        assert_eq!(members(Lang::En, 0), "0 members");
        assert_eq!(members(Lang::Es, 1), "1 miembro");
        assert_eq!(members(Lang::Es, 2), "2 miembros");
    }

    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(
            Lang::from_accept_language("es-MX,es;q=0.9,en;q=0.8"),
            Some(Lang::Es)
        );
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.5, es;q=0.7"),
            Some(Lang::Es)
        );
        assert_eq!(
            Lang::from_accept_language("en-GB, es;q=0.9"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("es;q=0, en;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("es;q=bogus"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn numbers_are_grouped_for_the_language() {
        assert_eq!(Lang::En.number(1234), "1,234");
        assert_eq!(Lang::En.number(1_234_567), "1,234,567");
        assert_eq!(Lang::Es.number(1234), "1234");
        assert_eq!(Lang::Es.number(12345), "12.345");
        assert_eq!(Lang::En.number(-999), "-999");
    }
}
