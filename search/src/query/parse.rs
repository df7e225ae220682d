//! Parsing: query text → [`ParsedQuery`], pure syntax, every mistake a typed client
//! [`Error`]; dates read as UTC days.

use super::{Clause, CommunityFilter, ParsedQuery, Resolution, MAX_QUERY_CHARS, MAX_QUERY_CLAUSES};
use crate::error::Error;

impl ParsedQuery {
    /// Parses query text. Every malformed query is an [`Error`] for which
    /// [`Error::is_client_error`] is true; this never panics.
    pub fn parse(text: &str) -> Result<ParsedQuery, Error> {
        let length = text.chars().count();
        if length > MAX_QUERY_CHARS {
            return Err(Error::QueryTooLong {
                length,
                max: MAX_QUERY_CHARS,
            });
        }
        if text.trim().is_empty() {
            return Err(Error::EmptyQuery);
        }
        let chars: Vec<char> = text.chars().collect();
        let mut query = ParsedQuery::default();
        let mut position = 0;
        // Whether the previous clause was an unquoted positive word, so that this one
        // joins its run (synonym keys may span several words).
        let mut in_word_run = false;
        while position < chars.len() {
            if chars[position].is_whitespace() {
                position += 1;
                continue;
            }
            let negated = chars[position] == '-';
            if negated {
                position += 1;
                if position == chars.len() || chars[position].is_whitespace() {
                    in_word_run = false; // a lone '-' is punctuation
                    continue;
                }
            }
            if chars[position] == '"' {
                let (phrase, next) = read_quoted(&chars, position)?;
                position = next;
                in_word_run = false;
                let clauses = if negated {
                    &mut query.exclude
                } else {
                    &mut query.include
                };
                clauses.push(Clause::Phrase(phrase));
                continue;
            }
            let start = position;
            while position < chars.len()
                && !chars[position].is_whitespace()
                && chars[position] != '"'
            {
                position += 1;
            }
            let word: String = chars[start..position].iter().collect();
            if let Some((name, value)) = word.split_once(':') {
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()) {
                    let mut value = value.to_owned();
                    if value.is_empty() && position < chars.len() && chars[position] == '"' {
                        let (quoted, next) = read_quoted(&chars, position)?;
                        value = quoted;
                        position = next;
                    }
                    query.add_operator(&name.to_ascii_lowercase(), &value, negated)?;
                    in_word_run = false;
                    continue;
                }
            }
            if negated {
                query.exclude.push(Clause::Words(vec![word]));
                in_word_run = false;
            } else {
                match query.include.last_mut() {
                    Some(Clause::Words(run)) if in_word_run => run.push(word),
                    _ => query.include.push(Clause::Words(vec![word])),
                }
                in_word_run = true;
            }
        }
        query.check_shape()?;
        Ok(query)
    }

    /// Every slug named by a `community:` or `-community:` filter, for the caller to
    /// resolve.
    pub fn community_slugs(&self) -> impl Iterator<Item = &str> {
        self.communities.iter().map(|filter| filter.slug.as_str())
    }

    /// Maps each `community:` slug to a community id. Return `None` for a slug that does
    /// not exist *or that the viewer may not see*: such a filter then matches nothing
    /// (and an exclusion of it excludes nothing), so an unknown private community and a
    /// non-existent one answer alike. Must be called before searching if
    /// [`community_slugs`](ParsedQuery::community_slugs) is not empty.
    pub fn resolve_communities(&mut self, mut resolve: impl FnMut(&str) -> Option<i64>) {
        for filter in &mut self.communities {
            filter.resolved = match resolve(&filter.slug) {
                Some(id) => Resolution::Id(id),
                None => Resolution::Unknown,
            };
        }
    }

    /// True if the query has words or phrases to match (not only filters). A query with
    /// only filters ranks everything equally; newest-first suits it better.
    pub fn has_text(&self) -> bool {
        !self.include.is_empty()
    }

    fn add_operator(&mut self, name: &str, value: &str, negated: bool) -> Result<(), Error> {
        let missing = |example: &str| Error::MissingOperatorValue {
            name: name.to_owned(),
            example: example.to_owned(),
        };
        let invalid = |reason: &str| Error::InvalidOperatorValue {
            name: name.to_owned(),
            value: value.to_owned(),
            reason: reason.to_owned(),
        };
        match name {
            "community" => {
                if value.is_empty() {
                    return Err(missing("lung-cancer"));
                }
                let slug = value.to_ascii_lowercase();
                let valid = slug.len() <= 48
                    && slug
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if !valid {
                    return Err(invalid(
                        "a community slug has up to 48 letters, digits and hyphens",
                    ));
                }
                if !self
                    .communities
                    .iter()
                    .any(|f| f.slug == slug && f.excluded == negated)
                {
                    self.communities.push(CommunityFilter {
                        slug,
                        excluded: negated,
                        resolved: Resolution::Pending,
                    });
                }
            }
            "author" => {
                if value.is_empty() {
                    return Err(missing("maria_mod"));
                }
                let username = value
                    .strip_prefix('@')
                    .unwrap_or(value)
                    .to_ascii_lowercase();
                let valid = !username.is_empty()
                    && username.len() <= 32
                    && username
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return Err(invalid(
                        "a username has up to 32 letters, digits and underscores",
                    ));
                }
                let list = if negated {
                    &mut self.excluded_authors
                } else {
                    &mut self.authors
                };
                if !list.contains(&username) {
                    list.push(username);
                }
            }
            "before" | "after" => {
                if negated {
                    return Err(Error::NegatedDateOperator {
                        name: name.to_owned(),
                    });
                }
                if value.is_empty() {
                    return Err(missing("2024-03-31"));
                }
                let day = parse_date(value).ok_or_else(|| Error::InvalidDate {
                    name: name.to_owned(),
                    value: value.to_owned(),
                })?;
                if name == "before" {
                    self.before = Some(self.before.map_or(day, |b| b.min(day)));
                } else {
                    self.after = Some(self.after.map_or(day, |a| a.max(day)));
                }
            }
            _ => {
                return Err(Error::UnknownOperator {
                    name: name.to_owned(),
                })
            }
        }
        Ok(())
    }

    fn check_shape(&self) -> Result<(), Error> {
        let words = |clauses: &[Clause]| -> usize {
            clauses
                .iter()
                .map(|clause| match clause {
                    Clause::Words(run) => run.len(),
                    Clause::Phrase(_) => 1,
                })
                .sum()
        };
        let count = words(&self.include)
            + words(&self.exclude)
            + self.communities.len()
            + self.authors.len()
            + self.excluded_authors.len()
            + usize::from(self.after.is_some())
            + usize::from(self.before.is_some());
        if count > MAX_QUERY_CLAUSES {
            return Err(Error::TooManyClauses {
                count,
                max: MAX_QUERY_CLAUSES,
            });
        }
        let has_filter = self.communities.iter().any(|f| !f.excluded)
            || !self.authors.is_empty()
            || self.after.is_some()
            || self.before.is_some();
        if self.include.is_empty() && !has_filter {
            let has_exclusions = !self.exclude.is_empty()
                || !self.communities.is_empty()
                || !self.excluded_authors.is_empty();
            return Err(if has_exclusions {
                Error::OnlyExclusions
            } else {
                Error::EmptyQuery
            });
        }
        Ok(())
    }
}

/// Reads `"..."` starting at the opening quote; returns the trimmed inside and the
/// position after the closing quote.
pub(super) fn read_quoted(chars: &[char], open: usize) -> Result<(String, usize), Error> {
    let close = chars[open + 1..]
        .iter()
        .position(|&c| c == '"')
        .map(|offset| open + 1 + offset)
        .ok_or(Error::UnbalancedQuote { position: open + 1 })?;
    let inside: String = chars[open + 1..close].iter().collect();
    let inside = inside.trim();
    if inside.is_empty() {
        return Err(Error::EmptyPhrase);
    }
    Ok((inside.to_owned(), close + 1))
}

pub(super) const MICROS_PER_DAY: i64 = 86_400_000_000;

/// `YYYY-MM-DD` → microseconds since the epoch at 00:00 UTC that day.
pub(super) fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = &text[range];
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            digits.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year < 1000 || day < 1 || day > month_days {
        return None;
    }
    Some(days_from_civil(year, month, day) * MICROS_PER_DAY)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(super) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
