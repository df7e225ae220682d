//! Screening new and edited posts with the `moderation` crate: loading its lexicons and
//! trained model (embedded in the binary), and turning a verdict into what happens to the
//! post — its status, the note its author reads, and what moderators see in the queue.

use std::sync::{Arc, OnceLock};

use kindred_moderation::{
    language, Action, Advice, Policy, ScreenInput, Screener, SelfHarm, TrustLevel, Verdict,
};
use serde_json::json;

use crate::domain::moderation::Findings;
use crate::domain::post::PostStatus;
use crate::error::Error;

/// The screener, built once per process (parsing the model takes a moment).
pub fn screener() -> Result<Arc<Screener>, Error> {
    static SCREENER: OnceLock<Arc<Screener>> = OnceLock::new();
    if let Some(screener) = SCREENER.get() {
        return Ok(screener.clone());
    }
    let screener = Screener::committed()
        .map_err(|e| Error::Config(format!("moderation lexicons or model: {e}")))?;
    Ok(SCREENER.get_or_init(|| Arc::new(screener)).clone())
}

/// What screening decided for one post.
pub struct Screened {
    pub status: PostStatus,
    /// For the author, when the post is held.
    pub note: Option<String>,
    /// For the moderators' queue, when the post is flagged or held.
    pub findings: Option<Findings>,
    /// The author's self-harm risk level, which never holds the post (see
    /// `service::care`).
    pub self_harm: SelfHarm,
    /// Whether the post tells others what to do with a treatment: a nudge for the
    /// author, which never holds the post (see `service::advice`).
    pub advice: Advice,
    /// The language screening detected (ISO 639-1, or `und`); `None` when the post was
    /// not screened.
    pub language: Option<String>,
}

impl Screened {
    /// Published as it is, nothing to review.
    pub fn clean() -> Screened {
        Screened {
            status: PostStatus::Published,
            note: None,
            findings: None,
            self_harm: SelfHarm::default(),
            advice: Advice::default(),
            language: None,
        }
    }

    /// The language of the post: what screening detected, else detected now from `text`
    /// (posts by moderators are not screened, but their language is recorded too).
    pub fn language_of(&self, text: &str) -> String {
        self.language
            .clone()
            .unwrap_or_else(|| language::detect(text).to_owned())
    }
}

/// Screens a post for a community with policy `policy_json` (`{}` = the defaults).
/// `Err(Rejected)` when the policy refuses it outright.
pub fn screen(
    screener: &Screener,
    title: Option<&str>,
    body: &str,
    trust_level: u8,
    policy_json: &str,
) -> Result<Screened, Error> {
    // Policies are validated when saved: one that no longer parses is a fault to see in
    // the logs, not a reason to screen quietly by the defaults.
    let policy = Policy::from_json(policy_json)
        .map_err(|e| Error::failed("the community's stored moderation policy", e))?;
    let trust = TrustLevel::new(trust_level.min(TrustLevel::MAX)).unwrap_or(TrustLevel::NEW);
    let verdict = screener.screen(&ScreenInput {
        title,
        body,
        trust_level: trust,
        policy: &policy,
    });
    let lang = crate::plain_words::note_language(&verdict.language);
    let note = crate::plain_words::author_note(&verdict, lang);
    match verdict.action {
        Action::Reject => Err(Error::Rejected(note)),
        Action::Hold => Ok(Screened {
            status: PostStatus::Held,
            note: Some(format!("{note} {}", crate::plain_words::review_time(lang))),
            findings: Some(findings(&verdict)),
            self_harm: verdict.self_harm,
            advice: verdict.advice,
            language: Some(verdict.language.clone()),
        }),
        Action::Flag => Ok(Screened {
            status: PostStatus::Published,
            note: None,
            findings: Some(findings(&verdict)),
            self_harm: verdict.self_harm,
            advice: verdict.advice,
            language: Some(verdict.language.clone()),
        }),
        Action::Allow => Ok(Screened {
            self_harm: verdict.self_harm,
            advice: verdict.advice,
            language: Some(verdict.language.clone()),
            ..Screened::clean()
        }),
    }
}

fn findings(verdict: &Verdict) -> Findings {
    Findings {
        labels: json!(verdict
            .labels
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()),
        scores: json!(verdict.scores),
        reasons: json!(verdict.reasons),
    }
}
