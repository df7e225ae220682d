//! The query language, and its translation into a tantivy query.
//!
//! Vocabulary: the *query text* is what the person typed. *Parsing* turns it into a
//! [`ParsedQuery`] — pure syntax, no index needed, every mistake a typed client
//! [`Error`]. A query is made of *clauses*:
//!
//! | clause | meaning |
//! |---|---|
//! | `word` | the post (title or body) contains the word or an inflection of it; words are `ANDed` |
//! | `"a phrase"` | the words in this order, exactly (no synonyms inside quotes) |
//! | `-word`, `-"a phrase"` | *exclusions*: no post containing it |
//! | `community:slug` | only this community (several: any of them); `-community:slug` excludes it |
//! | `author:name` | only posts by this username (several: any of them); `-author:name` excludes |
//! | `after:YYYY-MM-DD` | created on or after that day (UTC) |
//! | `before:YYYY-MM-DD` | created before that day (UTC), so `after:2024-01-01 before:2024-02-01` is January |
//!
//! *Compiling* turns the parsed query, the synonyms and the viewer's [`Visibility`] into
//! one tantivy query. Each run of unquoted words is scanned for the longest synonym keys
//! (so `stem cell transplant` also finds `SCT`); a matched word becomes an OR of itself and
//! its alternatives. Visibility is a clause of that same query — a fast-field predicate
//! on community and status — so counts, ranking and snippets only ever see visible posts.
//!
//! [`Error`]: crate::error::Error

mod compile;
mod parse;

pub(crate) use compile::{CompileInput, SplitQuery};

/// Longest accepted query text, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words, phrases, exclusions and filters in one query.
pub const MAX_QUERY_CLAUSES: usize = 32;
/// How much more a match in the thread title weighs than one in the body.
const TITLE_BOOST: f32 = 2.0;

/// What the viewer may see. The server computes it from memberships and roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Communities whose published posts the viewer may read: public communities plus
    /// private ones the viewer belongs to.
    pub readable: Vec<i64>,
    /// Communities where the viewer is a moderator. Only with
    /// [`SearchRequest::include_hidden`](crate::SearchRequest::include_hidden) set do
    /// held and removed posts of these communities (and only these) appear.
    pub moderated: Vec<i64>,
}

/// A word sequence or a phrase, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Clause {
    /// Consecutive unquoted words (one or more).
    Words(Vec<String>),
    /// A quoted phrase, without the quotes.
    Phrase(String),
}

/// A `community:` filter and what the caller resolved its slug to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CommunityFilter {
    slug: String,
    excluded: bool,
    resolved: Resolution,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolution {
    Pending,
    /// No such community (or one the viewer may not know about): matches nothing.
    Unknown,
    Id(i64),
}

/// A query that parsed: ready to be resolved and searched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    include: Vec<Clause>,
    exclude: Vec<Clause>,
    communities: Vec<CommunityFilter>,
    authors: Vec<String>,
    excluded_authors: Vec<String>,
    /// Inclusive lower bound on `created_at`, in micros.
    after: Option<i64>,
    /// Exclusive upper bound on `created_at`, in micros.
    before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::parse::{parse_date, MICROS_PER_DAY};
    use super::*;
    use crate::error::Error;
    use crate::schema::Fields;
    use crate::synonyms::Synonyms;

    fn parse(text: &str) -> ParsedQuery {
        match ParsedQuery::parse(text) {
            Ok(query) => query,
            Err(error) => panic!("{text:?} should parse, got {error}"),
        }
    }

    fn words(list: &[&str]) -> Clause {
        Clause::Words(list.iter().map(|w| (*w).to_owned()).collect())
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let query = parse(r#"  stem cell  "no evidence of disease" -rads -"hair loss" chemo "#);
        assert_eq!(
            query.include,
            [
                words(&["stem", "cell"]),
                Clause::Phrase("no evidence of disease".into()),
                words(&["chemo"]),
            ]
        );
        assert_eq!(
            query.exclude,
            [words(&["rads"]), Clause::Phrase("hair loss".into())]
        );
    }

    #[test]
    fn operators() {
        let mut query = parse(
            "scan community:Lung-Cancer -community:grief author:@Maria_Mod -author:bob \
             after:2024-01-01 after:2024-02-01 before:2024-03-01 author:\"ann\"",
        );
        let slugs: Vec<&str> = query.community_slugs().collect();
        assert_eq!(slugs, ["lung-cancer", "grief"]);
        assert_eq!(query.authors, ["maria_mod", "ann"]);
        assert_eq!(query.excluded_authors, ["bob"]);
        assert_eq!(query.after, parse_date("2024-02-01"));
        assert_eq!(query.before, parse_date("2024-03-01"));
        query.resolve_communities(|slug| (slug == "lung-cancer").then_some(7));
        assert_eq!(query.communities[0].resolved, Resolution::Id(7));
        assert_eq!(query.communities[1].resolved, Resolution::Unknown);
    }

    #[test]
    fn filters_alone_are_a_query_and_words_with_colons_need_letters() {
        assert!(!parse("author:ann").has_text());
        assert_eq!(parse("10:30").include, [words(&["10:30"])]);
        assert_eq!(
            parse("\"re: chemo\"").include,
            [Clause::Phrase("re: chemo".into())]
        );
        assert_eq!(
            parse("chemo - rads").include,
            [words(&["chemo"]), words(&["rads"])]
        );
    }

    #[test]
    fn malformed_queries_are_typed_errors() {
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        let many = vec!["w"; MAX_QUERY_CLAUSES + 1].join(" ");
        type Expected = fn(&Error) -> bool;
        let cases: Vec<(&str, Expected)> = vec![
            ("", |e| matches!(e, Error::EmptyQuery)),
            ("   \t ", |e| matches!(e, Error::EmptyQuery)),
            (&long, |e| {
                matches!(e, Error::QueryTooLong { length: 501, .. })
            }),
            ("chemo \"brain fog", |e| {
                matches!(e, Error::UnbalancedQuote { position: 7 })
            }),
            ("\"\" chemo", |e| matches!(e, Error::EmptyPhrase)),
            (
                "foo:bar",
                |e| matches!(e, Error::UnknownOperator { name } if name == "foo"),
            ),
            ("chemo https://x.org", |e| {
                matches!(e, Error::UnknownOperator { .. })
            }),
            ("author:", |e| {
                matches!(e, Error::MissingOperatorValue { .. })
            }),
            ("community:Lung_Cancer", |e| {
                matches!(e, Error::InvalidOperatorValue { .. })
            }),
            ("author:a-b", |e| {
                matches!(e, Error::InvalidOperatorValue { .. })
            }),
            ("before:2024-02-30", |e| {
                matches!(e, Error::InvalidDate { .. })
            }),
            ("after:yesterday", |e| {
                matches!(e, Error::InvalidDate { .. })
            }),
            ("after:2024-1-01", |e| {
                matches!(e, Error::InvalidDate { .. })
            }),
            ("chemo -before:2024-01-01", |e| {
                matches!(e, Error::NegatedDateOperator { .. })
            }),
            ("-chemo -\"hair loss\"", |e| {
                matches!(e, Error::OnlyExclusions)
            }),
            ("-community:grief", |e| matches!(e, Error::OnlyExclusions)),
            (&many, |e| {
                matches!(e, Error::TooManyClauses { count: 33, .. })
            }),
        ];
        for (text, expected) in cases {
            match ParsedQuery::parse(text) {
                Err(error) => {
                    assert!(expected(&error), "{text:?} gave {error:?}");
                    assert!(error.is_client_error());
                    assert!(!error.to_string().is_empty());
                }
                Ok(query) => panic!("{text:?} should fail, parsed as {query:?}"),
            }
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(MICROS_PER_DAY));
        assert_eq!(parse_date("2000-03-01"), Some(11_017 * MICROS_PER_DAY));
        assert_eq!(parse_date("2024-02-29"), Some(19_782 * MICROS_PER_DAY));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("1900-02-29"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2024-00-10"), None);
        assert_eq!(parse_date("+024-01-01"), None);
        assert_eq!(parse_date("2024-01-0a"), None);
    }

    #[test]
    fn parse_never_panics_on_odd_input() {
        for text in [
            "-",
            "--",
            "\"",
            "-\"",
            ":",
            "a:",
            ":b",
            "é:x",
            "\u{0}",
            "\"a\"\"b\"",
            "-:",
        ] {
            let _ = ParsedQuery::parse(text);
        }
    }

    #[test]
    fn only_unfiltered_unions_of_single_terms_are_split_for_pruning() {
        let fields = Fields::new();
        let synonyms = Synonyms::parse(
            "chemo, chemotherapy, chemo therapy\nnsclc, non-small cell lung cancer",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let visibility = Visibility {
            readable: vec![1, 2],
            moderated: vec![],
        };
        let input = CompileInput {
            fields: &fields,
            synonyms: &synonyms,
            visibility: &visibility,
            include_hidden: false,
            spanish_indexed: true,
        };
        let split = |text: &str| {
            let mut query = parse(text);
            query.resolve_communities(|_| Some(1));
            match query.compile(&input) {
                Ok(compiled) => compiled.split.is_some(),
                Err(error) => panic!("{text:?}: {error}"),
            }
        };
        // "chemo therapy" is implied by "chemo", so the union is of single terms.
        for text in [
            "chemo",
            "fatigue",
            "\"fatigue\"",
            "chemo -nausea",
            "chemo -community:x",
        ] {
            assert!(split(text), "{text:?} should be pruned");
        }
        for text in [
            "nsclc",
            "nausea fatigue",
            "\"stem cell\"",
            "chemo community:x",
            "chemo author:ann",
            "chemo after:2024-01-01",
            "community:x",
        ] {
            assert!(!split(text), "{text:?} should read every match");
        }
    }
}
