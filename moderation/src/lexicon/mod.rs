//! Lexicons: the words and phrase patterns the rule detectors look for, kept as data in
//! `seed-data/moderation/*.txt` and handed in as text through [`LexiconSources`].
//!
//! # File format
//!
//! Every lexicon file is a list of `[sections]`, one entry per line; `#` starts a comment.
//! Which sections a file has is listed in its header comment. An entry is either a plain
//! word or value, or a *phrase pattern*, optionally followed by `= weight` (in `[0, 1]`):
//!
//! ```text
//! [phrases]
//! dm|pm|message me ~2 for price* = 0.8
//! ```
//!
//! A pattern is a sequence of space-separated steps matched against the tokens of one
//! sentence of the normalized text:
//!
//! | step | matches |
//! |---|---|
//! | `word` | exactly that token (`don't` is one token) |
//! | `a\|b\|c` | any of the alternatives |
//! | `do_not` | several tokens in a row, as one alternative (`don't\|do_not`) |
//! | `cur*` | a token starting with `cur` |
//! | `*` | any one token |
//! | `<num>` | a token containing a digit |
//! | `word?` | the step, or nothing |
//! | `~3` | zero to three tokens of anything |

use std::collections::{HashMap, HashSet};

use fnv::FnvBuildHasher;

use crate::Error;

mod advice;
mod care;
mod pattern;
mod pattern_set;
mod sections;

pub use advice::AdviceLexicon;
pub use care::SelfHarmLexicon;
pub use pattern::Pattern;
pub use pattern_set::{PatternMatch, PatternSet, TokenKeys, Vocabulary};
use sections::Sections;

/// A hash set of words using FNV-1a: fast and deterministic for short words.
pub type WordSet = HashSet<Box<str>, FnvBuildHasher>;
/// A hash map from words using FNV-1a.
pub type WordMap<V> = HashMap<Box<str>, V, FnvBuildHasher>;

/// The text of every lexicon file, as the caller read (or `include_str!`-ed) it.
#[derive(Debug, Clone, Copy)]
pub struct LexiconSources<'a> {
    /// `promotion.txt`: sales phrases, promo-code cues, link signals.
    pub promotion: &'a str,
    /// `misinformation.txt`: remedies, efficacy claims, stand-alone claims.
    pub misinformation: &'a str,
    /// `personal-info.txt`: cues for birth dates, ids, addresses, names and diagnoses.
    pub personal_info: &'a str,
    /// `stance.txt`: questions, negation, hedging, reported speech, debunking.
    pub stance: &'a str,
    /// `allow-list.txt`: helpline numbers and trusted domains that are never flagged.
    pub allow_list: &'a str,
    /// `self-harm.txt` (in `seed-data/care/`): the signals of the self-harm risk level.
    pub self_harm: &'a str,
    /// `advice.txt` (in `seed-data/advice/`): the words of the medical-advice nudge.
    pub advice: &'a str,
}

/// Promotion lexicon (`promotion.txt`).
#[derive(Debug, Clone, Default)]
pub struct PromotionLexicon {
    /// `[phrases]`: sales and solicitation phrases, weighted.
    pub phrases: PatternSet,
    /// `[code-cues]`: phrases after which a token like `SAVE20` is a promo code.
    pub code_cues: PatternSet,
    /// `[shop-link-words]`: words in a link's host or path that suggest a shop.
    pub shop_link_words: Vec<Box<str>>,
    /// `[affiliate-params]`: query parameter names that pay the poster.
    pub affiliate_params: Vec<Box<str>>,
    /// `[contact-apps]`: messaging apps and their link hosts.
    pub contact_apps: Vec<Box<str>>,
    /// `[fundraising-hosts]`: crowdfunding and payment link hosts.
    pub fundraising_hosts: Vec<Box<str>>,
}

/// Misinformation lexicon (`misinformation.txt`).
#[derive(Debug, Clone, Default)]
pub struct MisinformationLexicon {
    /// `[remedies]`: unproven treatments sold as cures.
    pub remedies: PatternSet,
    /// `[efficacy]`: words that claim a treatment works (`cures`, `shrinks tumors`).
    pub efficacy: PatternSet,
    /// `[claims]`: stand-alone false claims (`biopsies spread cancer`).
    pub claims: PatternSet,
    /// `[endorsement]`: the writer vouching for or acting on a claim (`living proof`,
    /// `we said no to the chemo`). Not a claim on its own: a signal for the classifier.
    pub endorsement: PatternSet,
}

/// Stance lexicon (`stance.txt`): how a sentence relates to the claims in it.
#[derive(Debug, Clone, Default)]
pub struct StanceLexicon {
    /// `[question]`: asking rather than telling.
    pub question: PatternSet,
    /// `[negation]`: denying.
    pub negation: PatternSet,
    /// `[hedging]`: unsure.
    pub hedging: PatternSet,
    /// `[reported]`: someone else's words.
    pub reported: PatternSet,
    /// `[debunking]`: warning against or refuting.
    pub debunking: PatternSet,
    /// `[follow-up]`: a question that asks whether the sentence before it is true ("Just
    /// read that X. Is there any truth in this?").
    pub follow_up: PatternSet,
}

/// Personal-information lexicon (`personal-info.txt`).
#[derive(Debug, Clone, Default)]
pub struct PersonalInfoLexicon {
    /// `[birth-date-cues]`: `dob`, `date of birth`, `born on`.
    pub birth_date_cues: PatternSet,
    /// `[ssn-cues]`: social security / national insurance number cues.
    pub ssn_cues: PatternSet,
    /// `[record-cues]`: medical record, insurance member, policy number cues.
    pub record_cues: PatternSet,
    /// `[contact-cues]`: `call me`, `text me`, `my number`.
    pub contact_cues: PatternSet,
    /// `[address-cues]`: `live at`, `stay with us at`, `send it to`.
    pub address_cues: PatternSet,
    /// `[street-types]`: `street`, `st`, `avenue`, `row`.
    pub street_types: WordSet,
    /// `[street-prefixes]`: street types written before the name and the number
    /// (`calle` in "Calle Mayor 5").
    pub street_prefixes: WordSet,
    /// `[months]`: month names and abbreviations, twelve lines in order (`january jan`, …)
    /// per language.
    pub months: WordMap<u8>,
    /// `[diagnoses]`: diagnosis words.
    pub diagnoses: PatternSet,
    /// `[first-names]`: common given names.
    pub first_names: WordSet,
    /// `[relation-cues]`: words before a person's name (`my neighbor`, `named`).
    pub relation_cues: PatternSet,
    /// `[not-names]`: capitalized words that are not surnames (`Cancer`, `Clinic`).
    pub not_names: WordSet,
    /// `[webmail]`: e-mail providers (`gmail`), for `jane at gmail.com`.
    pub webmail: WordSet,
    /// `[top-level-domains]`: endings that make `word.tld` a link.
    pub top_level_domains: WordSet,
}

/// A helpline number that may always be posted.
#[derive(Debug, Clone, PartialEq)]
pub struct Helpline {
    /// Digits only, national form (a leading `1` country code dropped).
    pub digits: String,
    /// Who answers it.
    pub name: String,
}

/// A range of numbers that only organisations have: toll-free and freephone numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct TollFreeRange {
    /// First digits of the number in national form.
    pub prefix: String,
    /// How many digits the whole number has, in national form.
    pub lengths: std::ops::RangeInclusive<usize>,
    /// What the range is.
    pub name: String,
}

/// Allow-list (`allow-list.txt`).
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    /// `[helplines]`: `number | name`.
    pub helplines: Vec<Helpline>,
    /// `[toll-free]`: `prefix | digits (or min-max) | name`.
    pub toll_free: Vec<TollFreeRange>,
    /// `[domains]`: trusted hosts; a host matches when it is the domain or a subdomain.
    pub domains: Vec<Box<str>>,
}

impl AllowList {
    /// The helpline whose number is `digits` (any formatting), if any.
    pub fn helpline(&self, digits: &str) -> Option<&Helpline> {
        let national = national_digits(digits);
        self.helplines.iter().find(|h| h.digits == national)
    }

    /// The toll-free range `digits` (any formatting) belongs to, if any.
    pub fn toll_free(&self, digits: &str) -> Option<&TollFreeRange> {
        let national = national_digits(digits);
        self.toll_free.iter().find(|range| {
            national.starts_with(&range.prefix) && range.lengths.contains(&national.len())
        })
    }

    /// Whether `host` is a trusted domain or a subdomain of one.
    pub fn trusts_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.domains.iter().any(|domain| {
            host == &**domain
                || (host.ends_with(&**domain) && host[..host.len() - domain.len()].ends_with('.'))
                || (domain.starts_with('.') && host.ends_with(&**domain))
        })
    }
}

/// Digits of a phone number in national form: non-digits removed, a leading NANP `1`
/// dropped from 11-digit numbers, letters mapped to keypad digits (`1-800-4-CANCER`).
pub fn national_digits(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            d @ '0'..='9' => Some(d),
            'a'..='c' => Some('2'),
            'd'..='f' => Some('3'),
            'g'..='i' => Some('4'),
            'j'..='l' => Some('5'),
            'm'..='o' => Some('6'),
            'p'..='s' => Some('7'),
            't'..='v' => Some('8'),
            'w'..='z' => Some('9'),
            _ => None,
        })
        .collect();
    match digits.strip_prefix('1') {
        Some(rest) if digits.len() == 11 => rest.to_string(),
        _ => digits,
    }
}

/// Every lexicon, parsed. Built once with [`Lexicons::parse`] and shared.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    /// The first words and prefixes of every pattern set, numbered.
    pub vocabulary: Vocabulary,
    /// From `promotion.txt`.
    pub promotion: PromotionLexicon,
    /// From `misinformation.txt`.
    pub misinformation: MisinformationLexicon,
    /// From `personal-info.txt`.
    pub personal_info: PersonalInfoLexicon,
    /// From `stance.txt`.
    pub stance: StanceLexicon,
    /// From `allow-list.txt`.
    pub allow: AllowList,
    /// From `self-harm.txt`.
    pub self_harm: SelfHarmLexicon,
    /// From `advice.txt`.
    pub advice: AdviceLexicon,
}

impl Lexicons {
    /// Parses every lexicon file.
    pub fn parse(sources: LexiconSources<'_>) -> Result<Lexicons, Error> {
        let promotion = Sections::parse(
            "promotion",
            sources.promotion,
            &[
                "phrases",
                "code-cues",
                "shop-link-words",
                "affiliate-params",
                "contact-apps",
                "fundraising-hosts",
            ],
        )?;
        let misinformation = Sections::parse(
            "misinformation",
            sources.misinformation,
            &["remedies", "efficacy", "claims", "endorsement"],
        )?;
        let personal = Sections::parse(
            "personal_info",
            sources.personal_info,
            &[
                "birth-date-cues",
                "ssn-cues",
                "record-cues",
                "contact-cues",
                "address-cues",
                "street-types",
                "street-prefixes",
                "months",
                "diagnoses",
                "first-names",
                "relation-cues",
                "not-names",
                "webmail",
                "top-level-domains",
            ],
        )?;
        let stance = Sections::parse(
            "stance",
            sources.stance,
            &[
                "question",
                "negation",
                "hedging",
                "reported",
                "debunking",
                "follow-up",
            ],
        )?;
        let allow = Sections::parse(
            "allow_list",
            sources.allow_list,
            &["helplines", "toll-free", "domains"],
        )?;

        let mut months = WordMap::default();
        for (number, (_, entry)) in personal.entries("months").enumerate() {
            for name in entry.split_whitespace() {
                // Twelve lines a language: a second language's months follow the first's.
                months.insert(name.to_lowercase().into(), (number % 12 + 1) as u8);
            }
        }
        let mut helplines = Vec::new();
        for (line, entry) in allow.entries("helplines") {
            let (number, name) = entry.split_once('|').unwrap_or((entry, ""));
            let number = number.trim();
            let digits = national_digits(number);
            if digits.len() < 3 {
                return Err(allow.error(line, format!("`{number}` is not a phone number")));
            }
            helplines.push(Helpline {
                digits,
                name: name.trim().to_string(),
            });
        }
        let mut toll_free = Vec::new();
        for (line, entry) in allow.entries("toll-free") {
            let mut parts = entry.splitn(3, '|').map(str::trim);
            let (Some(prefix), Some(lengths), name) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(allow.error(line, "expected `prefix | digits | name`".to_string()));
            };
            let (low, high) = lengths.split_once('-').unwrap_or((lengths, lengths));
            let (Ok(low), Ok(high)) = (low.trim().parse::<usize>(), high.trim().parse::<usize>())
            else {
                return Err(allow.error(line, format!("`{lengths}` is not a digit count")));
            };
            if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) || low > high {
                return Err(allow.error(line, format!("`{prefix} | {lengths}` is not a range")));
            }
            toll_free.push(TollFreeRange {
                prefix: prefix.to_string(),
                lengths: low..=high,
                name: name.unwrap_or("").to_string(),
            });
        }
        let mut lexicons = Lexicons {
            vocabulary: Vocabulary::default(),
            promotion: PromotionLexicon {
                phrases: promotion.patterns("phrases", 0.6)?,
                code_cues: promotion.patterns("code-cues", 0.85)?,
                shop_link_words: promotion.word_list("shop-link-words"),
                affiliate_params: promotion.word_list("affiliate-params"),
                contact_apps: promotion.word_list("contact-apps"),
                fundraising_hosts: promotion.word_list("fundraising-hosts"),
            },
            misinformation: MisinformationLexicon {
                remedies: misinformation.patterns("remedies", 0.8)?,
                efficacy: misinformation.patterns("efficacy", 1.0)?,
                claims: misinformation.patterns("claims", 0.8)?,
                endorsement: misinformation.patterns("endorsement", 1.0)?,
            },
            personal_info: PersonalInfoLexicon {
                birth_date_cues: personal.patterns("birth-date-cues", 0.9)?,
                ssn_cues: personal.patterns("ssn-cues", 0.95)?,
                record_cues: personal.patterns("record-cues", 0.9)?,
                contact_cues: personal.patterns("contact-cues", 1.0)?,
                address_cues: personal.patterns("address-cues", 1.0)?,
                street_types: personal.words("street-types"),
                street_prefixes: personal.words("street-prefixes"),
                months,
                diagnoses: personal.patterns("diagnoses", 1.0)?,
                first_names: personal.words("first-names"),
                relation_cues: personal.patterns("relation-cues", 1.0)?,
                not_names: personal.words("not-names"),
                webmail: personal.words("webmail"),
                top_level_domains: personal.words("top-level-domains"),
            },
            stance: StanceLexicon {
                question: stance.patterns("question", 1.0)?,
                negation: stance.patterns("negation", 1.0)?,
                hedging: stance.patterns("hedging", 1.0)?,
                reported: stance.patterns("reported", 1.0)?,
                debunking: stance.patterns("debunking", 1.0)?,
                follow_up: stance.patterns("follow-up", 1.0)?,
            },
            allow: AllowList {
                helplines,
                toll_free,
                domains: allow.word_list("domains"),
            },
            self_harm: SelfHarmLexicon::parse(sources.self_harm)?,
            advice: AdviceLexicon::parse(sources.advice)?,
        };
        lexicons.index();
        Ok(lexicons)
    }

    fn sets_mut(&mut self) -> [&mut PatternSet; 44] {
        let care = &mut self.self_harm;
        let advice = &mut self.advice;
        [
            &mut self.promotion.phrases,
            &mut self.promotion.code_cues,
            &mut self.misinformation.remedies,
            &mut self.misinformation.efficacy,
            &mut self.misinformation.claims,
            &mut self.misinformation.endorsement,
            &mut self.personal_info.birth_date_cues,
            &mut self.personal_info.ssn_cues,
            &mut self.personal_info.record_cues,
            &mut self.personal_info.contact_cues,
            &mut self.personal_info.address_cues,
            &mut self.personal_info.diagnoses,
            &mut self.personal_info.relation_cues,
            &mut self.stance.question,
            &mut self.stance.negation,
            &mut self.stance.hedging,
            &mut self.stance.reported,
            &mut self.stance.debunking,
            &mut self.stance.follow_up,
            // The duty-of-care and advice sets run on the same words view, so their
            // tokens are looked up once with the others'.
            &mut care.act,
            &mut care.intent,
            &mut care.plan,
            &mut care.time,
            &mut care.goodbye,
            &mut care.ideation,
            &mut care.passive,
            &mut care.past,
            &mut care.others,
            &mut care.means,
            &mut care.gather,
            &mut care.will,
            &mut care.wish,
            &mut care.death,
            &mut care.dying,
            &mut care.third_person,
            &mut advice.act,
            &mut advice.lead,
            &mut advice.filler,
            &mut advice.direct,
            &mut advice.anywhere,
            &mut advice.treatment,
            &mut advice.pronoun,
            &mut advice.care_team,
            &mut advice.reported,
        ]
    }

    /// Builds the vocabulary of every set and numbers each set's index after it.
    fn index(&mut self) {
        let mut vocabulary = Vocabulary::default();
        for set in self.sets_mut() {
            vocabulary.add(set);
        }
        for set in self.sets_mut() {
            set.index_with(&vocabulary);
        }
        self.vocabulary = vocabulary;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Tokens;

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let mut set = PatternSet::default();
        set.push(Pattern::parse(pattern, 1.0).unwrap_or_else(|e| panic!("{e}")));
        let tokens = Tokens::new(text);
        set.find_all(text, &tokens, &[])
            .into_iter()
            .map(|m| text[tokens.byte_range(m.tokens)].to_string())
            .collect()
    }

    #[test]
    fn matches_words_alternatives_prefixes_and_gaps() {
        assert_eq!(
            matches("dm|pm me", "just dm me or pm me"),
            ["dm me", "pm me"]
        );
        assert_eq!(
            matches("baking soda ~3 cur*", "baking soda really cured it"),
            ["baking soda really cured"]
        );
        assert_eq!(
            matches("baking soda ~1 cur*", "baking soda really truly cured it"),
            Vec::<String>::new()
        );
        assert_eq!(
            matches("use promo? code", "use code x, use promo code y"),
            ["use code", "use promo code"]
        );
        assert_eq!(
            matches("call me at <num>", "call me at 555"),
            ["call me at 555"]
        );
        assert_eq!(
            matches("don't|dont * chemo", "don't do chemo"),
            ["don't do chemo"]
        );
        assert_eq!(
            matches("don't|do_not stop", "do not stop, don't stop"),
            ["do not stop", "don't stop"]
        );
    }

    #[test]
    fn does_not_match_across_sentences() {
        assert_eq!(
            matches("sugar ~2 feeds", "no sugar. feeds are fine"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(Pattern::parse("~2 cure", 1.0).is_err());
        assert!(Pattern::parse("cure ~x", 1.0).is_err());
        assert!(Pattern::parse("a||b", 1.0).is_err());
        assert!(Pattern::parse("word?", 1.0).is_err());
        assert!(Pattern::parse("e-mail", 1.0).is_err());
    }

    #[test]
    fn matches_spaced_out_words() {
        let pattern = Pattern::parse("chemo ~2 poison", 1.0).unwrap_or_else(|e| panic!("{e}"));
        assert!(pattern.matches_joined("chemoispoison"));
        assert!(!pattern.matches_joined("poisonchemo"));
    }

    #[test]
    fn reports_the_line_of_a_bad_entry() {
        let sources = LexiconSources {
            promotion: "[phrases]\nbuy now = 2\n",
            misinformation: "",
            personal_info: "",
            stance: "",
            allow_list: "",
            self_harm: "",
            advice: "",
        };
        let error = Lexicons::parse(sources).err();
        assert!(
            matches!(
                error,
                Some(Error::Lexicon {
                    file: "promotion",
                    line: 2,
                    ..
                })
            ),
            "{error:?}"
        );
        let sources = LexiconSources {
            promotion: "[nope]\n",
            ..sources
        };
        assert!(Lexicons::parse(sources).is_err());
    }

    #[test]
    fn normalizes_helpline_numbers_and_trusts_subdomains() {
        assert_eq!(national_digits("1-800-4-CANCER"), "8004226237");
        assert_eq!(national_digits("+1 (800) 227-2345"), "8002272345");
        let allow = AllowList {
            helplines: vec![],
            toll_free: vec![TollFreeRange {
                prefix: "0808".to_string(),
                lengths: 10..=11,
                name: "UK freephone".to_string(),
            }],
            domains: vec!["nih.gov".into(), ".edu".into()],
        };
        assert!(allow.toll_free("0808 2080 888").is_some());
        assert!(allow.toll_free("0808 20").is_none());
        assert!(allow.toll_free("07700 900261").is_none());
        assert!(allow.trusts_host("pubmed.ncbi.nlm.nih.gov"));
        assert!(allow.trusts_host("nih.gov"));
        assert!(!allow.trusts_host("notnih.gov"));
        assert!(allow.trusts_host("cancer.ucsf.edu"));
    }
}
