//! Curated vocabularies and the matcher.
//!
//! # File format
//!
//! One term per line: `label: form, form, …`. Everything after a `#` is a comment;
//! blank lines are ignored. The label is what reports show; the forms are the surface
//! spellings searched for in text (the label itself is *not* matched unless it is also
//! listed as a form). Rules, each reported with its 1-based line number:
//!
//! * a line needs a `:`; the label must be non-empty and contain no `,` or `"`;
//! * at least one form; no empty forms (`a,,b` or a trailing comma);
//! * every form must contain at least one letter or digit;
//! * a label may appear only once per file, and a form (after normalisation) may
//!   belong to only one term per file.
//!
//! # Matching
//!
//! Text and forms are normalised the same way: ASCII-folded (`é` → `e`, `ß` → `ss`,
//! `œ` → `oe`, …), lower-cased, and split into words at every character that is not a
//! letter or digit (so `hot-flushes`, `hot flushes` and `Hot  Flushes` are the same
//! phrase, and `5-FU` is the two words `5 fu`). A form matches when its words occur
//! as a contiguous run of whole words: `chemo` matches "Chemo again" but not
//! "chemotherapy"; `rash` does not match "crash". There is no stemming: list plural
//! and variant spellings as forms.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use serde::Serialize;

use crate::Error;

/// Which vocabulary a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Treatments (`treatments.txt`).
    Treatment,
    /// Side effects (`side_effects.txt`).
    SideEffect,
    /// Concerns (`concerns.txt`).
    Concern,
}

impl Category {
    /// All categories, in report order.
    pub const ALL: [Category; 3] = [Category::Treatment, Category::SideEffect, Category::Concern];

    /// The seed-data file name conventionally holding this vocabulary.
    pub fn file_name(self) -> &'static str {
        match self {
            Category::Treatment => "treatments.txt",
            Category::SideEffect => "side_effects.txt",
            Category::Concern => "concerns.txt",
        }
    }

    /// The name used in CSV and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Treatment => "treatment",
            Category::SideEffect => "side_effect",
            Category::Concern => "concern",
        }
    }

    fn letter(self) -> char {
        match self {
            Category::Treatment => 't',
            Category::SideEffect => 's',
            Category::Concern => 'c',
        }
    }

    fn from_letter(letter: char) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.letter() == letter)
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Category::Treatment => 0,
            Category::SideEffect => 1,
            Category::Concern => 2,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One vocabulary entry: a label and the surface forms that count as mentioning it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    label: String,
    forms: Vec<String>,
}

impl Term {
    /// The label shown in reports.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The surface forms as written in the file (trimmed).
    pub fn forms(&self) -> &[String] {
        &self.forms
    }
}

#[derive(Debug, Clone)]
struct Form {
    words: Vec<String>,
    category: Category,
    term: usize,
}

/// The three parsed vocabularies plus a word index for matching.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    terms: [Vec<Term>; 3],
    /// First word of a form → the forms starting with it.
    index: HashMap<String, Vec<Form>>,
}

/// The terms a piece of text mentions: term indices per category, in vocabulary order.
///
/// Callers that keep a post's mentions instead of its text (so that counting does not
/// scan the text again) store [`Mentions::encode`] and read it back with
/// [`Mentions::decode`]; the indices are only meaningful with the same vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    pub(crate) terms: [BTreeSet<usize>; 3],
}

impl Mentions {
    /// The mentions as short text: `t3 s0 c12` (category letter and term index, in
    /// category then term order); empty when nothing is mentioned.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for category in Category::ALL {
            for term in &self.terms[category.index()] {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push(category.letter());
                out.push_str(&term.to_string());
            }
        }
        out
    }

    /// Reads [`Mentions::encode`]'s text back, checking every index against `vocab`.
    pub fn decode(text: &str, vocab: &Vocabulary) -> Result<Mentions, Error> {
        let mut out = Mentions::default();
        for token in text.split_ascii_whitespace() {
            let bad = || Error::Mentions(token.to_owned());
            let mut chars = token.chars();
            let category = chars
                .next()
                .and_then(Category::from_letter)
                .ok_or_else(bad)?;
            let term: usize = chars.as_str().parse().map_err(|_| bad())?;
            if term >= vocab.terms(category).len() {
                return Err(bad());
            }
            out.terms[category.index()].insert(term);
        }
        Ok(out)
    }
}

impl Vocabulary {
    /// Parses the three vocabulary files (see the [module docs](self) for the format).
    pub fn parse(treatments: &str, side_effects: &str, concerns: &str) -> Result<Self, Error> {
        let mut vocab = Vocabulary {
            terms: [Vec::new(), Vec::new(), Vec::new()],
            index: HashMap::new(),
        };
        for (category, text) in Category::ALL
            .into_iter()
            .zip([treatments, side_effects, concerns])
        {
            vocab.parse_one(category, text)?;
        }
        Ok(vocab)
    }

    fn parse_one(&mut self, category: Category, text: &str) -> Result<(), Error> {
        let mut labels: HashMap<String, usize> = HashMap::new();
        let mut forms_seen: HashMap<Vec<String>, (String, usize)> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let err = |message: String| Error::Vocabulary {
                category,
                line,
                message,
            };
            let content = raw.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let (label, forms) = content
                .split_once(':')
                .ok_or_else(|| err("expected `label: form, form, …` (no ':')".into()))?;
            let label = label.trim();
            if label.is_empty() {
                return Err(err("empty label".into()));
            }
            if label.contains([',', '"']) {
                return Err(err(format!("label {label:?} must not contain ',' or '\"'")));
            }
            let key = label.to_lowercase();
            if let Some(prev) = labels.get(&key) {
                return Err(err(format!(
                    "duplicate label {label:?} (first on line {prev})"
                )));
            }
            labels.insert(key, line);
            let term = self.terms[category.index()].len();
            let mut term_forms = Vec::new();
            for form in forms.split(',') {
                let form = form.trim();
                if form.is_empty() {
                    return Err(err(format!("empty form in term {label:?}")));
                }
                let words = words(form);
                if words.is_empty() {
                    return Err(err(format!("form {form:?} has no letters or digits")));
                }
                if let Some((other, prev)) = forms_seen.get(&words) {
                    return Err(err(format!(
                        "form {form:?} already belongs to {other:?} (line {prev})"
                    )));
                }
                forms_seen.insert(words.clone(), (label.to_owned(), line));
                self.index.entry(words[0].clone()).or_default().push(Form {
                    words,
                    category,
                    term,
                });
                term_forms.push(form.to_owned());
            }
            self.terms[category.index()].push(Term {
                label: label.to_owned(),
                forms: term_forms,
            });
        }
        Ok(())
    }

    /// The terms of one category, in file order.
    pub fn terms(&self, category: Category) -> &[Term] {
        &self.terms[category.index()]
    }

    /// The labels of the terms mentioned in `text`, per category, in file order,
    /// each at most once. Useful for checking a vocabulary; reports never contain text.
    pub fn mentioned(&self, text: &str) -> Vec<(Category, &str)> {
        let m = self.mentions(text);
        Category::ALL
            .into_iter()
            .flat_map(|c| {
                m.terms[c.index()]
                    .iter()
                    .map(move |&t| (c, self.terms[c.index()][t].label.as_str()))
            })
            .collect()
    }

    /// The terms mentioned in `text` (see [Matching](self#matching)).
    pub fn mentions(&self, text: &str) -> Mentions {
        let words = words(text);
        let mut out = Mentions::default();
        for start in 0..words.len() {
            if let Some(forms) = self.index.get(&words[start]) {
                for form in forms {
                    if words[start..].starts_with(&form.words) {
                        out.terms[form.category.index()].insert(form.term);
                    }
                }
            }
        }
        out
    }
}

/// Normalises text into words: ASCII-folded, lower-cased, split at non-alphanumerics.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else if let Some(folded) = fold(c) {
            cur.push_str(folded);
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// ASCII folding for Latin letters with diacritics and common ligatures.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Č' | 'č' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' => "c",
        'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě' | 'ě' => "e",
        'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ģ' | 'ģ' => "g",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ī' | 'ī' | 'Į' | 'į' | 'İ' | 'ı' => "i",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ň' | 'ň' | 'Ņ' | 'ņ' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ő' | 'ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ř' | 'ř' | 'Ŕ' | 'ŕ' => "r",
        'Ś' | 'ś' | 'Š' | 'š' | 'Ş' | 'ş' | 'Ș' | 'ș' => "s",
        'ß' => "ss",
        'Ť' | 'ť' | 'Ţ' | 'ţ' | 'Ț' | 'ț' => "t",
        'Þ' | 'þ' => "th",
        'Ù'..='Ü' | 'ù'..='ü' | 'Ū' | 'ū' | 'Ů' | 'ů' | 'Ű' | 'ű' | 'Ų' | 'ų' => "u",
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        'Ł' | 'ł' => "l",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn mentions_survive_encoding() {
        let vocab = Vocabulary::parse(
            "chemotherapy: chemo\nradiation: radiation\n",
            "nausea: nausea\n",
            "cost: cost\n",
        )
        .unwrap();
        let mentions = vocab.mentions("Radiation, chemo and nausea; cost too.");
        assert_eq!(mentions.encode(), "t0 t1 s0 c0");
        assert_eq!(
            Mentions::decode(&mentions.encode(), &vocab).unwrap(),
            mentions
        );
        assert_eq!(Mentions::decode("", &vocab).unwrap(), Mentions::default());
        for bad in ["t2", "x0", "t", "s-1"] {
            assert!(Mentions::decode(bad, &vocab).is_err(), "{bad}");
        }
    }

    #[test]
    fn normalises_words() {
        assert_eq!(
            words("Naïve  CAFÉ-au_lait, 5-FU!"),
            ["naive", "cafe", "au", "lait", "5", "fu"]
        );
        assert_eq!(words("Straße œdema"), ["strasse", "oedema"]);
        assert!(words(" -- ").is_empty());
    }
}
