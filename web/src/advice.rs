//! The medical-advice nudge on the reply and new-thread forms (issue 19): when a post
//! reads as telling others what to do with a treatment, the form comes back with the text
//! kept, a gentle suggestion, and "Post anyway", which posts it as it is. No JavaScript
//! needed: the suggestion carries a hidden `acknowledge_advice` field for the next submit.

use maud::{html, Markup};

use crate::i18n::Lang;
use crate::model::FormState;

/// The form field that says the author saw the nudge and posts anyway.
pub const ACKNOWLEDGE_FIELD: &str = "acknowledge_advice";
/// The form-state value holding the suggestion to show (set by the server).
pub const NUDGE_FIELD: &str = "advice_nudge";

/// Whether the form comes back with the nudge.
pub fn nudged(form: &FormState) -> bool {
    !form.value(NUDGE_FIELD).is_empty()
}

/// The suggestion and the hidden field, when the form comes back with the nudge.
pub fn nudge(lang: Lang, form: &FormState) -> Markup {
    html! {
        @if nudged(form) {
            div.alert.advice-nudge role="status" {
                p { (form.value(NUDGE_FIELD)) }
                p { (lang.t("advice-edit-or-post")) }
                input type="hidden" name=(ACKNOWLEDGE_FIELD) value="true";
            }
        }
    }
}

/// The submit button's words: "Post anyway" after the nudge.
pub fn submit_label(lang: Lang, form: &FormState, usual: &str) -> String {
    if nudged(form) {
        lang.t("advice-post-anyway")
    } else {
        usual.to_owned()
    }
}
