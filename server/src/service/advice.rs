//! The medical-advice nudge (issue 19): a post that tells other members to stop, skip,
//! refuse, change the dose of, share or swap a treatment is not posted at the first
//! submit. The author gets a gentle suggestion instead — the text is theirs to keep — and
//! may post anyway (`acknowledge_advice: true` through the API, "Post anyway" on the
//! pages). It never holds a post: the screening labels decide that, as for any post.

use kindred_moderation::{Advice, Screener};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::idempotency::Answer;
use crate::domain::post::PostStatus;
use crate::error::Error;
use crate::screening::Screened;

/// What the member is told, in plain words.
pub const SUGGESTION: &str =
    "You may want to tell this as your own experience, or suggest asking the care team.";

/// Whether a new post stops for the nudge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdviceCheck {
    /// The first submit: a directive answers with the nudge and nothing is written.
    #[default]
    Nudge,
    /// The author saw the nudge and posts anyway.
    Acknowledged,
}

impl AdviceCheck {
    /// From the request's `acknowledge_advice` flag.
    pub fn acknowledged(flag: bool) -> AdviceCheck {
        if flag {
            AdviceCheck::Acknowledged
        } else {
            AdviceCheck::Nudge
        }
    }
}

/// The nudge: the suggestion and the sentences that prompted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdviceNudge {
    /// The suggestion, in plain words.
    pub message: String,
    /// The author's own sentences that read as telling others what to do with a treatment.
    pub sentences: Vec<String>,
}

impl AdviceNudge {
    /// The nudge for a screened text, if it is a directive.
    pub fn for_advice(advice: &Advice) -> Option<AdviceNudge> {
        advice.directive.then(|| AdviceNudge {
            message: SUGGESTION.to_owned(),
            sentences: advice.sentences.clone(),
        })
    }
}

/// The answer to a submit stopped by the nudge (`200`): nothing was posted; sending the
/// same request with `acknowledge_advice: true` posts it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Nudged {
    /// Always `false`: nothing was created.
    pub posted: bool,
    pub advice: AdviceNudge,
}

/// The answer that stops a submit for the nudge, if it does. Not stored under an
/// idempotency key (only creations are), so the acknowledged retry may reuse the key.
/// A post screening holds anyway (a remedy myth telling readers to drop their chemo) goes
/// to the moderators as before: they decide, and its author is told why it waits.
pub(crate) fn stop_for_nudge(
    screened: &Screened,
    check: AdviceCheck,
) -> Result<Option<Answer>, Error> {
    if check == AdviceCheck::Acknowledged || screened.status != PostStatus::Published {
        return Ok(None);
    }
    AdviceNudge::for_advice(&screened.advice)
        .map(|advice| {
            Answer::ok(&Nudged {
                posted: false,
                advice,
            })
        })
        .transpose()
}

/// The nudge for a preview of `body`, if any.
pub fn for_preview(screener: &Screener, body: &str) -> Option<AdviceNudge> {
    AdviceNudge::for_advice(&screener.advice(None, body))
}
