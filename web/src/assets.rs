//! Static assets embedded in the binary. Each is served under a content-hashed name
//! (`/static/app.3f2a1c9e0b.css`), computed once at start, so browsers may cache it forever
//! and a new build never serves a stale file.

use std::hash::Hasher;
use std::sync::LazyLock;

use fnv::FnvHasher;

use crate::i18n::{Lang, LANGUAGES};

const STYLESHEET: &str = include_str!("../static/app.css");
const SCRIPT: &str = include_str!("../static/app.js");

/// One embedded file: where it is served and what it holds.
pub struct Asset {
    pub path: String,
    pub content_type: &'static str,
    pub body: &'static str,
}

/// The stylesheet, the script, then the script's words in each of `LANGUAGES`.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let mut assets = vec![
        hashed("app", "css", "text/css; charset=utf-8", STYLESHEET),
        hashed("app", "js", "text/javascript; charset=utf-8", SCRIPT),
    ];
    for lang in LANGUAGES {
        // Built once for the life of the process, like the embedded files.
        let words: &'static str = crate::script_words::script(lang).leak();
        let stem = format!("words-{}", lang.code());
        assets.push(hashed(&stem, "js", "text/javascript; charset=utf-8", words));
    }
    assets
});

fn hashed(stem: &str, ext: &str, content_type: &'static str, body: &'static str) -> Asset {
    Asset {
        path: format!("/static/{stem}.{:010x}.{ext}", fnv1a(body.as_bytes()) >> 24),
        content_type,
        body,
    }
}

/// FNV-1a, 64 bits: enough to tell two versions of a file apart; not a security hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = FnvHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// The stylesheet's URL path.
pub fn stylesheet() -> &'static str {
    &ASSETS[0].path
}

/// The script's URL path.
pub fn script() -> &'static str {
    &ASSETS[1].path
}

/// The URL path of the script's words in `lang` (`crate::script_words`).
pub fn words(lang: Lang) -> &'static str {
    let at = LANGUAGES.iter().position(|l| *l == lang).unwrap_or(0);
    &ASSETS[2 + at].path
}

/// The asset served at `path`, if any.
pub fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash() {
        assert!(stylesheet().starts_with("/static/app."));
        assert!(std::path::Path::new(stylesheet())
            .extension()
            .is_some_and(|ext| ext == "css"));
        assert!(find(stylesheet()).is_some_and(|a| a.body.contains("prefers-color-scheme")));
        assert!(find(script()).is_some());
        let es = find(words(Lang::Es)).expect("Spanish words");
        assert!(es.path.starts_with("/static/words-es.") && es.body.contains("Vista previa"));
        assert_ne!(words(Lang::En), words(Lang::Es));
        assert!(find("/static/app.css").is_none());
        // Asset URLs are cached for a year: the hash must not drift.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
