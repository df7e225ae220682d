//! Languages (issue 21): the interface language a member chose (without a choice their
//! browser's `Accept-Language` applies, then the deployment's `KINDRED_DEFAULT_LANGUAGE`),
//! and the language each community talks in.

use kindred_web::i18n::{Lang, LANGUAGES};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::UserId;
use crate::error::Error;
use crate::store::{languages, Store};

/// A language code parsed at the edge: one the interface speaks (`es`, `es-MX` → `es`).
pub fn parse(raw: &str) -> Result<Lang, Error> {
    Lang::parse(raw).ok_or_else(|| {
        let known: Vec<&str> = LANGUAGES.iter().map(|l| l.code()).collect();
        Error::invalid(
            "language",
            format!("language must be one of {}", known.join(", ")),
        )
    })
}

/// `GET|PUT /api/v1/me/language`: the member's choice and the choices.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyLanguage {
    /// The member's language (`es`), or `null`: their browser's, else the site's default.
    pub language: Option<String>,
    /// The site's default language (`KINDRED_DEFAULT_LANGUAGE`).
    pub default: String,
    /// The codes Kindred's interface speaks.
    pub choices: Vec<String>,
}

fn my_language(chosen: Option<Lang>, default: Lang) -> MyLanguage {
    MyLanguage {
        language: chosen.map(|l| l.code().to_owned()),
        default: default.code().to_owned(),
        choices: LANGUAGES.iter().map(|l| l.code().to_owned()).collect(),
    }
}

/// The member's chosen language, if any (a stored code Kindred no longer speaks is none).
pub fn chosen(store: &Store, user: &CurrentUser) -> Result<Option<Lang>, Error> {
    chosen_by(store, user.id)
}

/// The chosen language of the member `user_id`, if any.
pub fn chosen_by(store: &Store, user_id: UserId) -> Result<Option<Lang>, Error> {
    let code = store.read(|conn| languages::of_user(conn, user_id.0))?;
    Ok(code.as_deref().and_then(Lang::parse))
}

pub fn get(store: &Store, user: &CurrentUser, default: Lang) -> Result<MyLanguage, Error> {
    Ok(my_language(chosen(store, user)?, default))
}

/// Sets (or, with `None`, forgets) the member's language.
pub fn set(
    store: &Store,
    user: &CurrentUser,
    language: Option<Lang>,
    default: Lang,
) -> Result<MyLanguage, Error> {
    store.write(|conn| languages::set_for_user(conn, user.id.0, language.map(Lang::code)))?;
    Ok(my_language(language, default))
}
