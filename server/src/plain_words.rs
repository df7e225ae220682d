//! Screening findings in plain words. The `moderation` crate explains its verdicts for the
//! people who tune it (rule ids, patterns, classifier probabilities), and the API keeps
//! those for tools; an author whose post is held and a moderator reading the queue get
//! sentences instead: what was found, what to do, and how long a review usually takes.
//! An author reads them in the language of their post (from the catalogues' `held-*`
//! messages); the queue's sentences are English.

use kindred_moderation::{Label, Reason, Verdict};
use kindred_web::i18n::Lang;

use crate::service::moderation::AuthorHistory;

/// A label as moderators read it.
pub fn label_words(label: &str) -> &str {
    match Label::parse(label) {
        Some(Label::Promotion) => "Advertising or selling",
        Some(Label::Misinformation) => "Health claim against the evidence",
        Some(Label::PersonalInfo) => "Personal details",
        None => label,
    }
}

/// What a personal-information rule found, as "a phone number", in `lang`.
fn personal_detail(rule: &str, lang: Lang) -> Option<String> {
    Some(match rule {
        "personal_info.phone" => lang.t("held-detail-phone"),
        "personal_info.email" => lang.t("held-detail-email"),
        "personal_info.ssn" => lang.t("held-detail-ssn"),
        "personal_info.record_number" => lang.t("held-detail-record-number"),
        "personal_info.birth_date" => lang.t("held-detail-birth-date"),
        "personal_info.address" => lang.t("held-detail-address"),
        "personal_info.name_with_diagnosis" => lang.t("held-detail-full-name"),
        _ => return None,
    })
}

/// What a promotion rule found, as "a discount code", in `lang`.
fn promotion_detail(rule: &str, lang: Lang) -> Option<String> {
    Some(match rule {
        "promotion.code" => lang.t("held-detail-code"),
        "promotion.link.affiliate" => lang.t("held-detail-referral-link"),
        "promotion.link.contact_app" | "promotion.contact_app" => lang.t("held-detail-contact-app"),
        "promotion.link.fundraising" => lang.t("held-detail-fundraising-link"),
        "promotion.link.shop" => lang.t("held-detail-shop-link"),
        "promotion.link" => lang.t("held-detail-link"),
        "promotion.phrase" => lang.t("held-detail-sales-wording"),
        _ => return None,
    })
}

/// ` (“text”)` after a description, when the finding has a stretch of text, with the
/// quotation marks of `lang`.
fn quoted(matched: Option<&str>, lang: Lang) -> String {
    matched
        .filter(|m| !m.trim().is_empty())
        .map(|m| {
            format!(
                " {}",
                lang.t_args("held-quoted", &[("text", m.trim().into())])
            )
        })
        .unwrap_or_default()
}

/// The language an author reads about their post in: the post's own (a Spanish post's
/// author reads Spanish), English for languages the interface does not speak.
pub fn note_language(post_language: &str) -> Lang {
    Lang::parse(post_language).unwrap_or(Lang::En)
}

/// What an author reads when their post is refused or held, in `lang`: one sentence per
/// thing to change (a held post's note adds [`review_time`]).
pub fn author_note(verdict: &Verdict, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for label in &verdict.labels {
        let own = || verdict.reasons.iter().filter(move |r| r.label == *label);
        match label {
            Label::PersonalInfo => {
                let mut found = false;
                for reason in own().take(3) {
                    if let Some(what) = personal_detail(&reason.rule, lang) {
                        found = true;
                        parts.push(lang.t_args(
                            "held-personal-detail",
                            &[
                                ("what", what.into()),
                                ("quoted", quoted(reason.matched.as_deref(), lang).into()),
                            ],
                        ));
                    }
                }
                if !found {
                    parts.push(lang.t("held-personal-general"));
                }
            }
            Label::Promotion => {
                let found: Vec<String> = own()
                    .filter_map(|r| {
                        promotion_detail(&r.rule, lang)
                            .map(|what| format!("{what}{}", quoted(r.matched.as_deref(), lang)))
                    })
                    .take(3)
                    .collect();
                if !found.is_empty() {
                    parts.push(lang.t_args(
                        "held-promotion-found",
                        &[("found", found.join(", ").into())],
                    ));
                }
                parts.push(lang.t("held-promotion-rule"));
            }
            Label::Misinformation => parts.push(lang.t("held-misinformation")),
        }
    }
    if parts.is_empty() {
        parts.push(lang.t("held-needs-look"));
    }
    parts.join(" ")
}

/// How long a held post usually waits, told to its author in `lang`.
pub fn review_time(lang: Lang) -> String {
    lang.t("held-review-time")
}

/// One stored reason (the JSON of a [`Reason`]) as a moderator reads it in the queue, or
/// `None` when it adds nothing a sentence already says.
pub fn moderator_reason(reason: &serde_json::Value) -> Option<String> {
    if let Some(text) = reason.as_str() {
        return Some(text.to_owned());
    }
    // Findings written by the server itself (an author's edit that screening now finds
    // nothing in) are sentences already.
    let Ok(reason) = serde_json::from_value::<Reason>(reason.clone()) else {
        return reason
            .get("message")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
    };
    let matched = quoted(reason.matched.as_deref(), Lang::En);
    if reason.rule == "classifier" {
        let what = match reason.label {
            Label::Promotion => "advertised or sold something",
            Label::Misinformation => "presented a false health claim as fact",
            Label::PersonalInfo => "shared personal details",
        };
        return Some(format!("The wording is like earlier posts that {what}."));
    }
    if let Some(what) = personal_detail(&reason.rule, Lang::En) {
        return Some(format!("It includes {what}{matched}."));
    }
    if let Some(what) = promotion_detail(&reason.rule, Lang::En) {
        return Some(format!("It includes {what}{matched}."));
    }
    Some(match reason.rule.as_str() {
        "misinformation.cure_claim" => {
            format!("It says an unproven remedy cures or shrinks cancer{matched}.")
        }
        "misinformation.claim" => format!("It repeats a known false health claim{matched}."),
        _ => format!("{}{matched}.", label_words(reason.label.as_str())),
    })
}

/// The queue's reasons in plain words, each sentence once.
pub fn moderator_reasons(reasons: &serde_json::Value) -> Vec<String> {
    let mut sentences: Vec<String> = Vec::new();
    for sentence in reasons
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(moderator_reason)
    {
        if !sentences.contains(&sentence) {
            sentences.push(sentence);
        }
    }
    sentences
}

/// The reason a one-click removal records: the default for the item's first label, or
/// the community rules for a reported post.
pub fn default_remove_reason(labels: &[String]) -> &'static str {
    match labels.first().and_then(|label| Label::parse(label)) {
        Some(Label::Promotion) => "Advertising and selling are not allowed here.",
        Some(Label::Misinformation) => {
            "It presented a health claim that goes against medical evidence as fact."
        }
        Some(Label::PersonalInfo) => {
            "It shared personal details; please keep contact details out of posts."
        }
        None => "It broke the community rules.",
    }
}

/// A trust level as moderators read it.
fn trust_words(level: u8) -> &'static str {
    match level {
        0 => "new",
        1 => "basic",
        2 => "member",
        _ => "long-standing",
    }
}

fn counted(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An author's standing in one line: "member for 3 days, trust level 0 (new); 2 posts
/// published, none removed; earlier decisions: 1 approved".
pub fn author_history(history: &AuthorHistory) -> String {
    let age = match history.account_age_days {
        0 => "joined today".to_owned(),
        days => format!("member for {}", counted(days, "day", "days")),
    };
    let removed = match history.removed_posts {
        0 => "none removed".to_owned(),
        n => format!("{} removed", counted(n, "post", "posts")),
    };
    let decisions: Vec<String> = history
        .decisions
        .iter()
        .map(|(action, n)| {
            let done = match action.as_str() {
                "approve" => "approved",
                "remove" => "removed",
                "dismiss" => "dismissed",
                "warn" => "warned",
                "suspend" => "suspended",
                "ban" => "banned",
                other => other,
            };
            format!("{n} {done}")
        })
        .collect();
    let earlier = if decisions.is_empty() {
        "no earlier decisions".to_owned()
    } else {
        format!("earlier decisions: {}", decisions.join(", "))
    };
    format!(
        "{age}, trust level {} ({}); {} published, {removed}; {earlier}.",
        history.trust_level,
        trust_words(history.trust_level),
        counted(history.published_posts, "post", "posts"),
    )
}
