//! The medical-advice nudge on the reply and new-thread forms (`service::advice`): a
//! submit it stops comes back as the same form, text kept, with the suggestion and "Post
//! anyway" (templates in `kindred_web::advice`).

use kindred_web::advice::{ACKNOWLEDGE_FIELD, NUDGE_FIELD};
use kindred_web::FormState;

use crate::error::Error;
use crate::service::advice::{AdviceCheck, Nudged};
use crate::service::idempotency::Answer;
use crate::service::threads::Created;

/// What became of a submitted post.
pub(super) enum Posted {
    Created(Created),
    /// Not posted: the nudge, for the author to edit or post anyway.
    Nudged(Nudged),
    /// Not posted: content notes suggested, for the author to confirm or decline (see
    /// `pages::content_notes::SuggestionStep`).
    Suggested,
}

/// Reads the service's answer.
pub(super) fn posted(answer: Answer) -> Result<Posted, Error> {
    if answer.created_nothing() {
        answer.parse().map(Posted::Nudged)
    } else {
        answer.parse().map(Posted::Created)
    }
}

/// The form's `acknowledge_advice` field: present (any value but empty or `false`) after
/// the nudge was shown.
pub(super) fn check(field: Option<&str>) -> AdviceCheck {
    AdviceCheck::acknowledged(field.is_some_and(|v| !v.is_empty() && v != "false"))
}

/// Puts the nudge in the form shown again.
pub(super) fn keep(form: &mut FormState, nudged: &Nudged) {
    form.set_value(NUDGE_FIELD, nudged.advice.message.clone());
    form.set_value(ACKNOWLEDGE_FIELD, "true");
}
