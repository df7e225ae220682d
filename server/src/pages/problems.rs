//! A refused form's problems in the reader's language (issue 21). A refusal whose words
//! come from the catalogue (`error::Said`) is shown in the reader's language with its
//! details; a sentence a service still writes in English itself is shown to an English
//! reader, and another language reads the catalogue's words for the field or the code
//! (`form-*` ids).

use actix_web::ResponseError;
use kindred_web::i18n::{Arg, Lang};
use kindred_web::FormState;

use super::{sentence, PageError};
use crate::error::{Error, Message};

/// The words for a problem with `field`, whose service message is `message`: English keeps
/// the service's sentence (it names the limits); another language reads the field's own
/// message (`form-invalid-<field>`), else a general one.
pub fn field_problem(lang: Lang, field: &str, message: &Message) -> String {
    if let Some(said) = message.said() {
        return sentence(&said.in_lang(lang));
    }
    if lang == Lang::En {
        return sentence(&message.to_string());
    }
    let key = format!("form-invalid-{}", field.replace('_', "-"));
    if lang.has(&key) {
        lang.t(&key)
    } else {
        lang.t("form-invalid-other")
    }
}

/// A refusal that is not about one field (`Forbidden`, `Conflict`, …): its catalogue
/// words, else in English the service's sentence; another language reads the page's
/// message for the code (`form-<code>`), else the API's.
pub fn general_problem(lang: Lang, error: &Error) -> String {
    if error.said().is_some() || lang == Lang::En {
        return sentence(&error.message_in(lang));
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
        Error::Conflict(_) | Error::Forbidden { .. } => {
            form.general = Some(general_problem(lang, &error));
        }
        Error::NotPublished(_) => form.general = Some(sentence(&error.message_in(lang))),
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
