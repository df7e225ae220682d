//! Lexicon files split into `[sections]` of entries, with the line of every entry kept
//! for error messages.

use super::{Pattern, PatternSet, WordSet};
use crate::Error;

/// A lexicon file split into sections.
pub(super) struct Sections<'a> {
    pub(super) file: &'static str,
    /// (section, line number, entry)
    pub(super) entries: Vec<(&'a str, usize, &'a str)>,
}

impl<'a> Sections<'a> {
    pub(super) fn parse(
        file: &'static str,
        text: &'a str,
        known: &[&str],
    ) -> Result<Sections<'a>, Error> {
        let mut section: Option<&'a str> = None;
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let error = |message: String| Error::Lexicon {
                file,
                line: index + 1,
                message,
            };
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                if !known.contains(&name) {
                    return Err(error(format!(
                        "unknown section [{name}]; expected one of {}",
                        known.join(", ")
                    )));
                }
                section = Some(name);
                continue;
            }
            let Some(current) = section else {
                return Err(error("entry before the first [section]".to_string()));
            };
            entries.push((current, index + 1, line));
        }
        Ok(Sections { file, entries })
    }

    pub(super) fn entries(&self, section: &str) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        let section = section.to_string();
        self.entries
            .iter()
            .filter(move |(name, _, _)| *name == section)
            .map(|&(_, line, entry)| (line, entry))
    }

    pub(super) fn error(&self, line: usize, message: String) -> Error {
        Error::Lexicon {
            file: self.file,
            line,
            message,
        }
    }

    /// A section of patterns, each with an optional `= weight`.
    pub(super) fn patterns(&self, section: &str, default_weight: f32) -> Result<PatternSet, Error> {
        let mut set = PatternSet::default();
        for (line, entry) in self.entries(section) {
            let (source, weight) = match entry.rsplit_once('=') {
                Some((source, weight)) => {
                    let weight: f32 = weight.trim().parse().map_err(|_| {
                        self.error(line, format!("weight `{}` is not a number", weight.trim()))
                    })?;
                    if !(0.0..=1.0).contains(&weight) {
                        return Err(self.error(line, format!("weight {weight} is not in [0, 1]")));
                    }
                    (source.trim(), weight)
                }
                None => (entry, default_weight),
            };
            let pattern =
                Pattern::parse(source, weight).map_err(|message| self.error(line, message))?;
            set.push(pattern);
        }
        Ok(set)
    }

    /// A section of plain words (several per line allowed), lower-cased.
    pub(super) fn words(&self, section: &str) -> WordSet {
        self.entries(section)
            .flat_map(|(_, entry)| entry.split_whitespace())
            .map(|word| word.to_lowercase().into())
            .collect()
    }

    /// A section of plain words (several per line allowed) in order, lower-cased.
    pub(super) fn word_list(&self, section: &str) -> Vec<Box<str>> {
        self.entries(section)
            .flat_map(|(_, entry)| entry.split_whitespace())
            .map(|word| word.to_lowercase().into())
            .collect()
    }
}
