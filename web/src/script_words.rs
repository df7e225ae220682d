//! The words `app.js` writes into pages (live replies, review notes, counts, previews,
//! mentions), from the catalogue: one small script per language (`window.KINDRED_WORDS`,
//! served as a content-hashed asset, `crate::assets::words`) that the page loads before
//! `app.js`, so the script holds no English of its own and speaks the page's language. A
//! `{name}` in a text is filled in by the script; counts have a `-one` and an `-other`
//! form (the rule English and Spanish share).

use std::fmt::Write;

use crate::i18n::{Arg, Lang};

/// Every id the script asks for, with the placeholders its text carries.
const WORDS: [(&str, &[&str]); 46] = [
    ("js-sending-reply", &[]),
    ("js-just-now", &[]),
    ("js-minutes-ago-one", &["n"]),
    ("js-minutes-ago-other", &["n"]),
    ("js-hours-ago-one", &["n"]),
    ("js-hours-ago-other", &["n"]),
    ("js-days-ago-one", &["n"]),
    ("js-days-ago-other", &["n"]),
    ("js-former-member", &[]),
    ("js-awaiting-review", &[]),
    ("js-removed-by-moderator", &[]),
    ("js-why", &["note"]),
    ("note-end-of-life", &[]),
    ("note-recurrence", &[]),
    ("note-death-and-loss", &[]),
    ("note-graphic-medical", &[]),
    ("note-self-harm", &[]),
    ("js-post-deleted", &[]),
    ("js-content-note-summary", &["words"]),
    ("js-content-note-label", &["words"]),
    ("js-edited", &[]),
    ("js-post-by", &["name"]),
    ("js-new-reply", &["name"]),
    ("js-reaction-not-saved", &[]),
    ("js-reaction-added", &[]),
    ("js-reaction-taken-back", &[]),
    ("js-reply-not-posted", &[]),
    ("js-reply-held", &[]),
    ("js-reply-posted", &[]),
    ("js-preview", &[]),
    ("js-needs-content-note", &["notes"]),
    ("js-nothing-to-preview", &[]),
    ("js-preview-unavailable", &[]),
    ("js-a-post-was-deleted", &[]),
    ("js-updates-missed", &[]),
    ("js-show", &[]),
    ("js-item-decided", &[]),
    ("js-notifications", &[]),
    ("js-unread", &["n"]),
    ("js-new-notification", &["thread"]),
    ("js-moderation", &[]),
    ("js-open-items-one", &["n"]),
    ("js-open-items-other", &["n"]),
    ("js-members-to-mention", &[]),
    ("js-mention-choices", &["n"]),
    ("js-mentioned", &["name"]),
];

/// The script that gives `app.js` its words in `lang`.
pub fn script(lang: Lang) -> String {
    let mut out = String::from("window.KINDRED_WORDS = {");
    for (i, (key, names)) in WORDS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "\n  {}: {}",
            js_string(key),
            js_string(&text(lang, key, names))
        );
    }
    out.push_str("\n};\n");
    out
}

/// One text, its variables left as `{name}` for the script.
fn text(lang: Lang, key: &str, names: &[&str]) -> String {
    let args: Vec<(&str, Arg)> = names
        .iter()
        .map(|name| (*name, Arg::Text(format!("{{{name}}}"))))
        .collect();
    lang.t_args(key, &args)
}

/// A JavaScript string literal: quotes, backslashes, control characters, `<` and the
/// line separators JavaScript reads as line ends are escaped.
fn js_string(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '<' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::LANGUAGES;

    #[test]
    fn every_script_word_is_in_every_catalogue_with_its_placeholders() {
        for lang in LANGUAGES {
            for (key, names) in WORDS {
                assert!(lang.has(key), "{key} missing in {}", lang.code());
                let args: Vec<(&str, Arg)> = names
                    .iter()
                    .map(|name| (*name, Arg::Text(format!("{{{name}}}"))))
                    .collect();
                let text = lang.t_args(key, &args);
                for name in names {
                    assert!(text.contains(&format!("{{{name}}}")), "{key}: {text}");
                }
            }
        }
        assert_ne!(Lang::Es.t("js-reply-held"), Lang::En.t("js-reply-held"));
    }

    #[test]
    fn the_script_is_one_object_of_escaped_strings() {
        let es = script(Lang::Es);
        assert!(es.starts_with("window.KINDRED_WORDS = {"), "{es}");
        assert!(es.contains(
            r#""js-reply-held": "Tu respuesta está esperando la revisión de un moderador.""#
        ));
        assert!(script(Lang::En).contains(r#""js-unread": ", {n} unread""#));
        assert_eq!(js_string("a\"b\\c<d\n"), r#""a\"b\\c\u003cd\u000a""#);
    }
}
