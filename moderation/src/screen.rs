//! The pipeline: normalization → rules → classifier → scores → policy.
//!
//! How scores are combined, per label:
//! - `personal_info`: the strongest rule hit or the classifier, whichever is higher. A
//!   phone number or an e-mail address is enough on its own; a weak hit (a full name
//!   near a diagnosis, which may be a public figure's) counts as the mean of its strength
//!   and the classifier's probability;
//! - `promotion`: the classifier, raised by strong stance-weighed rule hits (a promo code,
//!   an affiliate link, "DM me for price"), but not above what the rule is worth;
//! - `misinformation`: the classifier, which sees every claim rule with its stance as a
//!   feature. A rule hit does not lift the score on its own: claims are worded too many
//!   ways for a phrase to be sure, and lifting flagged debunks as often as it caught claims;
//! - for both promotion and misinformation, when every rule that fired sits in a
//!   question, a denial, someone else's words or a warning, the classifier's probability
//!   is damped: the rules saw the stance the bag of words cannot.

use crate::advice::{self, Advice};
use crate::care::model::CareModel;
use crate::care::{self, RiskLevel, SelfHarm};
use crate::classifier::{self, Features, Model};
use crate::language;
use crate::rules::{Analysis, Hit};
use crate::{Action, Field, Label, Lexicons, Policy, Reason, Scores, Span, TrustLevel, Verdict};

/// What to screen.
#[derive(Debug, Clone, Copy)]
pub struct ScreenInput<'a> {
    /// The thread title, for opening posts.
    pub title: Option<&'a str>,
    /// The post body (markdown source).
    pub body: &'a str,
    /// The author's trust level in the community.
    pub trust_level: TrustLevel,
    /// The community's policy.
    pub policy: &'a Policy,
}

/// Screens posts. Build it once (lexicons and model), then call [`Screener::screen`]
/// from any thread: it holds no mutable state.
#[derive(Debug, Clone)]
pub struct Screener {
    lexicons: Lexicons,
    model: Model,
    /// The learned half of the self-harm level; the lexicon's alone without it.
    care_model: Option<CareModel>,
    /// Lexicons for posts in other languages than English, by ISO 639-1 code; a post in a
    /// language not listed gets `other_languages`, or the English lexicons.
    by_language: Vec<(&'static str, Lexicons)>,
    other_languages: Option<Lexicons>,
}

/// A score with the evidence behind it, before any policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// One score per label.
    pub scores: Scores,
    /// Evidence, grouped by label in [`Label::ALL`] order, strongest first.
    pub reasons: Vec<Reason>,
    /// The author's self-harm risk level, which no policy acts on.
    pub self_harm: SelfHarm,
    /// Whether the post tells others what to do with a treatment, which no policy acts on.
    pub advice: Advice,
    /// The post's language (ISO 639-1, or `und`), see [`language::detect`].
    pub language: &'static str,
}

/// How much of the classifier's promotion or misinformation probability is kept when every
/// rule hit for that label is questioned, denied, reported or warned against.
const STANCE_DAMPING: f32 = 0.6;

/// A personal-information hit at least this strong decides the score on its own.
const STRONG_PERSONAL_INFO: f32 = 0.7;

/// Below this, a hit or a classifier probability is not worth a reason.
const REASON_FLOOR: f32 = 0.3;

/// In a language the classifier was not trained on, an asserted misinformation rule hit
/// at least this strong counts (discounted by [`UNTRAINED_RULE_SHARE`]) on its own.
const UNTRAINED_CLAIM: f32 = 0.6;

/// The share of a rule hit's strength a post in an untrained language scores on the rule
/// alone: the classifier cannot confirm it, so a strong hit holds and a middling one
/// flags.
const UNTRAINED_RULE_SHARE: f32 = 0.85;

impl Screener {
    /// A screener with these lexicons and this trained model.
    pub fn new(lexicons: Lexicons, model: Model) -> Screener {
        Screener {
            lexicons,
            model,
            care_model: None,
            by_language: Vec::new(),
            other_languages: None,
        }
    }

    /// The committed lexicons and model, with the Spanish lexicons for Spanish posts and
    /// the language-independent selling signals for posts in any other language but
    /// English (see [`seed`](crate::seed)).
    ///
    /// # Errors
    /// When a committed lexicon or model does not parse.
    pub fn committed() -> Result<Screener, crate::Error> {
        let model = Model::from_text(crate::seed::MODEL)?;
        Ok(
            Screener::new(Lexicons::parse(crate::seed::LEXICONS)?, model)
                .with_care_model(CareModel::from_text(crate::seed::CARE_MODEL)?)
                .with_language(
                    language::SPANISH,
                    Lexicons::parse(crate::seed::LEXICONS_ES)?,
                )
                .with_other_languages(Lexicons::parse(crate::seed::LEXICONS_ANY_LANGUAGE)?),
        )
    }

    /// Raises the lexicon's self-harm level to this model's where that is higher.
    #[must_use]
    pub fn with_care_model(mut self, care_model: CareModel) -> Screener {
        self.care_model = Some(care_model);
        self
    }

    /// What the self-harm model learns from and reads: the classifier features of a
    /// post, and the lexicon's level of it.
    pub fn care_inputs(&self, text: &str) -> (Features, RiskLevel) {
        let lexicons = self.lexicons_for(language::detect(text));
        let analysis = Analysis::new(text, lexicons);
        let level = care::assess(&analysis, &lexicons.self_harm).level;
        (classifier::features(&analysis), level)
    }

    /// Screens posts detected as `code` (ISO 639-1) with `lexicons` instead.
    #[must_use]
    pub fn with_language(mut self, code: &'static str, lexicons: Lexicons) -> Screener {
        self.by_language.push((code, lexicons));
        self
    }

    /// Screens posts in a language other than English and those given to
    /// [`with_language`](Self::with_language) with `lexicons`.
    #[must_use]
    pub fn with_other_languages(mut self, lexicons: Lexicons) -> Screener {
        self.other_languages = Some(lexicons);
        self
    }

    /// The lexicons for posts in `language`.
    pub fn lexicons_for(&self, language: &str) -> &Lexicons {
        if let Some((_, lexicons)) = self.by_language.iter().find(|(code, _)| *code == language) {
            return lexicons;
        }
        match &self.other_languages {
            Some(lexicons) if !is_trained_language(language) => lexicons,
            _ => &self.lexicons,
        }
    }

    /// The lexicons in use.
    pub fn lexicons(&self) -> &Lexicons {
        &self.lexicons
    }

    /// Screens one post and decides what to do with it.
    pub fn screen(&self, input: &ScreenInput<'_>) -> Verdict {
        let assessment = self.assess(input.title, input.body);
        let mut labels = Vec::new();
        let mut action = Action::Allow;
        for label in Label::ALL {
            let score = assessment.scores.get(label);
            let rules = input.policy.for_label(label);
            if score >= rules.flag {
                labels.push(label);
            }
            action = action.max(rules.action(score, input.trust_level));
        }
        // Selling a health claim is the pattern of a remedy scam: a trusted author's shop
        // link alone may be an honest tip, and a shaky claim alone a story, but both
        // together wait for a moderator whatever the author's trust level.
        if labels.contains(&Label::Promotion) && labels.contains(&Label::Misinformation) {
            action = action.max(Action::Hold);
        }
        Verdict {
            scores: assessment.scores,
            labels,
            reasons: assessment.reasons,
            action,
            self_harm: assessment.self_harm,
            advice: assessment.advice,
            language: assessment.language.to_string(),
        }
    }

    /// Scores a post and collects the evidence, without applying a policy.
    pub fn assess(&self, title: Option<&str>, body: &str) -> Assessment {
        let joined;
        let (text, body_start) = match title {
            Some(title) if !title.is_empty() => {
                joined = format!("{title}\n\n{body}");
                (joined.as_str(), title.len() + 2)
            }
            _ => (body, 0),
        };
        let title_len = title.map_or(0, str::len);
        let span = |range: std::ops::Range<usize>| -> Span {
            if body_start > 0 && range.start < title_len {
                Span {
                    field: Field::Title,
                    start: range.start,
                    end: range.end.min(title_len),
                }
            } else {
                Span {
                    field: Field::Body,
                    start: range.start.saturating_sub(body_start),
                    end: range.end.saturating_sub(body_start),
                }
            }
        };
        let language = language::detect(text);
        let trained = is_trained_language(language);
        let lexicons = self.lexicons_for(language);
        let analysis = Analysis::new(text, lexicons);
        let features = classifier::features(&analysis);
        let self_harm = care::assess(&analysis, &lexicons.self_harm);
        let self_harm = match &self.care_model {
            Some(care_model) => care_model.raise(&analysis, &features, self_harm),
            None => self_harm,
        };
        let advice = advice::assess(&analysis, &lexicons.advice);
        let prediction = self.model.predict_features(&features);
        let selling = if trained {
            Selling::default()
        } else {
            selling_signals(&analysis)
        };
        let mut scores = Scores::default();
        let mut reasons = Vec::new();
        for label in Label::ALL {
            let probability = prediction.probabilities[label.index()];
            let hits: Vec<&Hit> = analysis.hits_for(label).collect();
            let score = combine(label, probability, &hits);
            let score = if trained {
                score
            } else {
                score.max(untrained_score(label, &hits, selling))
            };
            scores.set(label, score);
            let mut label_reasons: Vec<Reason> = hits
                .iter()
                .filter(|hit| hit.strength >= REASON_FLOOR)
                .map(|hit| Reason {
                    label,
                    rule: hit.rule.to_string(),
                    message: message(hit, &text[hit.range.clone()]),
                    score: hit.strength,
                    span: Some(span(hit.range.clone())),
                    matched: Some(text[hit.range.clone()].to_string()),
                })
                .collect();
            if probability >= REASON_FLOOR {
                let cue = prediction.strongest_cue[label.index()].clone();
                let message = match &cue {
                    Some(range) => format!(
                        "The wording resembles posts labeled {label} (classifier probability {probability:.2}); strongest cue: “{}”.",
                        &text[range.clone()]
                    ),
                    None => format!(
                        "The wording resembles posts labeled {label} (classifier probability {probability:.2})."
                    ),
                };
                label_reasons.push(Reason {
                    label,
                    rule: "classifier".to_string(),
                    message,
                    score: probability,
                    span: cue.clone().map(&span),
                    matched: cue.map(|range| text[range].to_string()),
                });
            }
            label_reasons.sort_by(|a, b| b.score.total_cmp(&a.score));
            reasons.extend(label_reasons);
        }
        Assessment {
            scores,
            reasons,
            self_harm,
            advice,
            language,
        }
    }

    /// The self-harm risk level of a post's author alone (see [`care`](crate::care)).
    pub fn self_harm(&self, title: Option<&str>, body: &str) -> SelfHarm {
        self.assess(title, body).self_harm
    }

    /// The medical-advice nudge alone (see [`advice`](crate::advice)).
    pub fn advice(&self, title: Option<&str>, body: &str) -> Advice {
        self.assess(title, body).advice
    }
}

/// Whether the classifier learned from posts in `language`: English, and text too short
/// to tell, which is mostly English on an English-speaking forum.
fn is_trained_language(language: &str) -> bool {
    language == language::ENGLISH || language == language::UNDETERMINED
}

/// The kinds of selling signal a post shows, whatever its language.
#[derive(Debug, Clone, Copy, Default)]
struct Selling {
    /// Kinds of commerce: a link, a price, a promo code, a sales phrase of the
    /// any-language lexicon.
    commerce: usize,
    /// Kinds of contact: a messaging app or handle, a phone number or an e-mail address.
    contact: usize,
}

/// Counts the asserted selling signals of a post (see [`Selling`]).
fn selling_signals(analysis: &Analysis<'_>) -> Selling {
    let has = |rule: fn(&str) -> bool| {
        analysis
            .hits
            .iter()
            .any(|hit| hit.stance.is_asserted() && rule(hit.rule))
    };
    let link =
        has(|rule| rule.starts_with("promotion.link") && rule != "promotion.link.contact_app");
    let code = has(|rule| rule == "promotion.code");
    let phrase = analysis
        .hits
        .iter()
        .any(|hit| hit.stance.is_asserted() && hit.rule == "promotion.phrase" && hit.raw >= 0.45);
    let price = analysis.signals.contains(&"price");
    let app = has(|rule| rule == "promotion.contact_app" || rule == "promotion.link.contact_app");
    let reachable = has(|rule| rule == "personal_info.phone" || rule == "personal_info.email");
    let count = |kinds: &[bool]| kinds.iter().filter(|&&on| on).count();
    Selling {
        commerce: count(&[link, code, phrase, price]),
        contact: count(&[app, reachable]),
    }
}

/// The score a post in a language the classifier never saw earns on rules alone: something
/// for sale and a second signal (another kind of commerce, or a way to reach the seller)
/// make an advert — a phone number and a `WhatsApp` group alone do not; an asserted claim
/// rule makes a claim.
fn untrained_score(label: Label, hits: &[&Hit], selling: Selling) -> f32 {
    let asserted = hits
        .iter()
        .filter(|hit| hit.stance.is_asserted())
        .map(|hit| hit.strength)
        .fold(0.0, f32::max);
    match label {
        Label::Promotion => match (selling.commerce, selling.commerce + selling.contact) {
            (0, _) | (_, 0 | 1) => {
                if asserted >= 0.8 {
                    asserted * UNTRAINED_RULE_SHARE
                } else {
                    0.0
                }
            }
            (_, 2) => 0.7,
            _ => 0.85,
        },
        Label::Misinformation if asserted >= UNTRAINED_CLAIM => asserted * UNTRAINED_RULE_SHARE,
        Label::Misinformation | Label::PersonalInfo => 0.0,
    }
}

/// Combines the classifier probability with the rule hits of one label (see the
/// [module documentation](self)).
fn combine(label: Label, probability: f32, hits: &[&Hit]) -> f32 {
    let strongest = hits.iter().map(|hit| hit.strength).fold(0.0, f32::max);
    // Every rule that fired sits in a question, a denial, a report or a warning.
    let all_stanced = !hits.is_empty() && hits.iter().all(|hit| !hit.stance.is_asserted());
    let score = match label {
        Label::PersonalInfo => {
            // A contact detail or an id number is enough on its own; a weaker hit (a full
            // name that may be a public figure's or an organisation's) needs the
            // classifier's agreement.
            let strongest_where = |strong: bool| {
                hits.iter()
                    .map(|hit| hit.strength)
                    .filter(|&strength| (strength >= STRONG_PERSONAL_INFO) == strong)
                    .fold(0.0, f32::max)
            };
            let (strong, weak) = (strongest_where(true), strongest_where(false));
            // The plain f32 average, which the screening figures were measured with;
            // `f32::midpoint` rounds differently.
            #[allow(clippy::manual_midpoint)]
            let weak = if weak > 0.0 {
                (weak + probability) / 2.0
            } else {
                0.0
            };
            probability.max(strong).max(weak)
        }
        Label::Promotion | Label::Misinformation if all_stanced => probability * STANCE_DAMPING,
        Label::Promotion => {
            if strongest >= 0.8 {
                probability.max(strongest * 0.85)
            } else {
                probability
            }
        }
        Label::Misinformation => probability,
    };
    score.clamp(0.0, 1.0)
}

/// A sentence for moderators — and for personal information, for the author.
fn message(hit: &Hit, matched: &str) -> String {
    let stance = if hit.stance.is_asserted() {
        String::new()
    } else {
        format!(" (weakened: {})", hit.stance.names().join(", "))
    };
    let what = match hit.rule {
        "personal_info.phone" => "the phone number",
        "personal_info.email" => "the e-mail address",
        "personal_info.ssn" => "the social security number",
        "personal_info.record_number" => "the record, insurance or account number",
        "personal_info.birth_date" => "the date of birth",
        "personal_info.address" => "the address",
        "personal_info.name_with_diagnosis" => "the person's full name (or their diagnosis)",
        _ => "",
    };
    if !what.is_empty() {
        return format!(
            "Remove {what} “{matched}” before posting: personal details are not shared in posts."
        );
    }
    match hit.rule {
        "promotion.code" => format!("Promo code “{matched}”{stance}."),
        "promotion.link.affiliate" => format!("Referral link “{matched}”: {}{stance}.", hit.detail),
        "promotion.link.contact_app" => format!("Link to a messaging app “{matched}”{stance}."),
        "promotion.link.fundraising" => format!("Fundraising link “{matched}”{stance}."),
        "promotion.link.shop" => format!("Shop link “{matched}”{stance}."),
        "promotion.link" => format!("Link to an outside site “{matched}”{stance}."),
        "promotion.contact_app" => {
            format!("Takes contact to a messaging app: “{matched}”{stance}.")
        }
        "promotion.phrase" => format!("Sales phrase “{matched}” (`{}`){stance}.", hit.detail),
        "misinformation.cure_claim" => {
            format!("Claims an unproven remedy cures or shrinks cancer: “{matched}”{stance}.")
        }
        "misinformation.claim" => {
            format!(
                "Repeats a known false health claim: “{matched}” (`{}`){stance}.",
                hit.detail
            )
        }
        _ => format!("{}: “{matched}”{stance}.", hit.rule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn screen(body: &str, trust: u8) -> Verdict {
        let screener = testing::screener();
        let policy = Policy::default();
        screener.screen(&ScreenInput {
            title: None,
            body,
            trust_level: TrustLevel::new(trust).unwrap_or_else(|e| panic!("{e}")),
            policy: &policy,
        })
    }

    #[test]
    fn holds_a_phone_number_and_says_what_to_remove() {
        let body = "Call me any time on 555-014-2288, happy to talk.";
        let verdict = screen(body, 3);
        assert_eq!(verdict.action, Action::Hold);
        assert!(verdict.has(Label::PersonalInfo));
        let reason = verdict
            .reasons
            .iter()
            .find(|r| r.rule == "personal_info.phone")
            .unwrap_or_else(|| panic!("{verdict:?}"));
        let span = reason.span.unwrap_or_else(|| panic!("no span"));
        assert_eq!(&body[span.start..span.end], "555-014-2288");
        assert!(
            reason.message.contains("555-014-2288"),
            "{}",
            reason.message
        );
    }

    #[test]
    fn spans_point_into_the_title_or_the_body() {
        let screener = testing::screener();
        let policy = Policy::default();
        let title = "Ｃａｌｌ 555-014-2288";
        let body = "or e-mail jane at gmail dot com";
        let verdict = screener.screen(&ScreenInput {
            title: Some(title),
            body,
            trust_level: TrustLevel::NEW,
            policy: &policy,
        });
        let phone = verdict
            .reasons
            .iter()
            .find(|r| r.rule == "personal_info.phone");
        let email = verdict
            .reasons
            .iter()
            .find(|r| r.rule == "personal_info.email");
        let (Some(phone), Some(email)) = (phone, email) else {
            panic!("{verdict:?}");
        };
        let (Some(p), Some(e)) = (phone.span, email.span) else {
            panic!("{verdict:?}");
        };
        assert_eq!(
            (p.field, &title[p.start..p.end]),
            (Field::Title, "555-014-2288")
        );
        assert_eq!(
            (e.field, &body[e.start..e.end]),
            (Field::Body, "jane at gmail dot com")
        );
    }

    #[test]
    fn allows_helplines_and_trusted_links() {
        let verdict = screen(
            "The American Cancer Society line 1-800-227-2345 helped me, and https://www.cancer.gov/about-cancer explains it well.",
            0,
        );
        assert_eq!(verdict.action, Action::Allow, "{verdict:?}");
    }

    #[test]
    fn a_weak_personal_hit_needs_the_classifier_a_strong_one_does_not() {
        let hit = |rule: &'static str, strength: f32| Hit {
            label: Label::PersonalInfo,
            rule,
            detail: String::new(),
            raw: strength,
            strength,
            stance: crate::rules::Stance::default(),
            range: 0..1,
        };
        let name = hit("personal_info.name_with_diagnosis", 0.6);
        let phone = hit("personal_info.phone", 0.95);
        // A full name near a diagnosis that the wording does not back: not enough.
        assert!(combine(Label::PersonalInfo, 0.1, &[&name]) < 0.5);
        // The same name where the classifier agrees, and a phone number on its own.
        assert!(combine(Label::PersonalInfo, 0.5, &[&name]) >= 0.5);
        assert!(combine(Label::PersonalInfo, 0.0, &[&phone, &name]) >= 0.9);
    }

    #[test]
    fn freephone_numbers_are_an_organisation_not_a_person() {
        for body in [
            "Blood Cancer UK's support line is 0808 2080 888, they explained MDS to my dad.",
            "The Brain Tumour Charity helpline (0808 800 0004) was kind to me.",
            "Our cancer centre's nurse line 1-866-555-0199 answers at night too.",
        ] {
            let verdict = screen(body, 0);
            assert!(!verdict.has(Label::PersonalInfo), "{body}: {verdict:?}");
        }
    }

    #[test]
    fn holds_contact_details_and_numbers_written_every_which_way() {
        for body in [
            "ring me, oh seven seven zero zero, nine double oh, two six one. Any time.",
            "happy to chat, i'm at sinead dot byrne88 at gmail dot com",
            "My SSN got mixed up! It's 4 4 1 - 7 8 - 2 3 0 9, please help",
            "my mum's IC 580312-10-5566 is on the form, how do I apply for aid?",
            "Her PhilHealth number is 12-050123456-7 and the claim bounced.",
        ] {
            let verdict = screen(body, 2);
            assert!(verdict.has(Label::PersonalInfo), "{body}: {verdict:?}");
            assert_eq!(verdict.action, Action::Hold, "{body}");
        }
    }

    #[test]
    fn promotion_is_flagged_for_trusted_authors_and_held_for_new_ones() {
        let body = "Our turmeric capsules are 30% off this week, use code HEAL30 at checkout: shop.example.com/turmeric?ref=kindred";
        assert_eq!(screen(body, 0).action, Action::Hold);
        assert_eq!(screen(body, 3).action, Action::Flag);
    }

    #[test]
    fn promotion_with_a_health_claim_is_held_even_for_trusted_authors() {
        // Misinformation scores between flag and hold here, promotion above hold: each
        // alone only flags a trusted author's post.
        let body = "CBD oil shrank my tumour. Get it at greenleaf-cbd.shop with code KINDRED10 for 10% off.";
        let verdict = screen(body, 3);
        assert!(verdict.has(Label::Promotion) && verdict.has(Label::Misinformation));
        assert!(verdict.scores.get(Label::Misinformation) < Policy::default().misinformation.hold);
        assert_eq!(verdict.action, Action::Hold);
    }

    #[test]
    fn sees_stance() {
        let claim = screen(
            "Baking soda cures cancer. Stop chemo and take it every day.",
            2,
        );
        assert!(claim.has(Label::Misinformation), "{claim:?}");
        let question = screen(
            "Is it true that baking soda cures cancer? My aunt keeps sending me videos.",
            2,
        );
        assert!(!question.has(Label::Misinformation), "{question:?}");
        let debunk = screen(
            "Baking soda does not cure cancer. It's a dangerous myth, please don't fall for it.",
            2,
        );
        assert!(!debunk.has(Label::Misinformation), "{debunk:?}");
    }

    #[test]
    fn allows_an_ordinary_post() {
        let verdict = screen(
            "Finished round 4 of chemo today. Tired but the nurses were lovely.",
            0,
        );
        assert_eq!(verdict.action, Action::Allow, "{verdict:?}");
        assert!(verdict.labels.is_empty());
    }
}
