//! A refused form's problems in the reader's language (issue 21). The services speak
//! English with details (a field's limits) that the API keeps for its tools; a page shows
//! the catalogue's words instead (`form-*` ids) in any other language, and the service's
//! own sentence, the more precise one, to an English reader.

use actix_web::ResponseError;
use kindred_web::i18n::{Arg, Lang};
use kindred_web::FormState;

use super::{sentence, PageError};
use crate::error::Error;

/// The words for a problem with `field`, whose service message is `message`: English keeps
/// the service's sentence (it names the limits); another language reads the field's own
/// message (`form-invalid-<field>`), else a general one.
pub fn field_problem(lang: Lang, field: &str, message: &str) -> String {
    if lang == Lang::En {
        return sentence(message);
    }
    let key = format!("form-invalid-{}", field.replace('_', "-"));
    if lang.has(&key) {
        lang.t(&key)
    } else {
        lang.t("form-invalid-other")
    }
}

/// A refusal that is not about one field (`Forbidden`, `Conflict`, …): English keeps the
/// service's sentence; another language reads the page's message for the code
/// (`form-<code>`), else the API's.
pub fn general_problem(lang: Lang, error: &Error, message: &str) -> String {
    if lang == Lang::En {
        return sentence(message);
    }
    let code = error.code();
    let key = format!("form-{}", code.replace('_', "-"));
    if lang.has(&key) {
        lang.t(&key)
    } else {
        sentence(&crate::language::error_message(
            lang,
            &code,
            error.status_code().as_u16(),
        ))
    }
}

/// Puts a service error that the person can fix on the form; anything else becomes the
/// error page.
pub fn form_problem(lang: Lang, error: Error, form: &mut FormState) -> Result<(), PageError> {
    match &error {
        Error::Invalid { field, message } => form.fail(field, field_problem(lang, field, message)),
        Error::Conflict(message) | Error::Forbidden { message, .. } => {
            form.general = Some(general_problem(lang, &error, message));
        }
        Error::NotPublished(message) => {
            form.general = Some(general_problem(lang, &error, message));
        }
        Error::InvalidCredentials => form.general = Some(lang.t("form-invalid-credentials")),
        Error::RateLimited { retry_after_secs } => {
            let seconds = i64::try_from(*retry_after_secs).unwrap_or(i64::MAX);
            form.general =
                Some(lang.t_args("form-rate-limited", &[("seconds", Arg::from(seconds))]));
        }
        _ => return Err(PageError::from(error)),
    }
    Ok(())
}
