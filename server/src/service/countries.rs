//! A member's country for the crisis-lines panel (issue 19): chosen in their profile
//! settings among the countries of `seed-data/care/resources.toml`; without a choice the
//! deployment's `KINDRED_CARE_COUNTRY` applies.

use serde::Serialize;
use utoipa::ToSchema;

use crate::config::care::CareResources;
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, UserPayload};
use crate::domain::ids::now_micros;
use crate::error::Error;
use crate::store::countries;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::{DbConnection, Store};

/// A country code that has crisis resources, parsed at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareCountry(String);

impl CareCountry {
    /// Accepts a code of `resources.toml` in any case (`gb`, `GB`).
    pub fn parse(raw: &str) -> Result<CareCountry, Error> {
        let resources = CareResources::embedded()?;
        resources
            .country(raw.trim())
            .map(|country| CareCountry(country.code.clone()))
            .ok_or_else(|| {
                let known: Vec<&str> = resources
                    .countries
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect();
                Error::invalid(
                    "country",
                    format!("country must be one of {}", known.join(", ")),
                )
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One country a member may choose.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountryChoice {
    /// ISO code (`GB`).
    pub code: String,
    pub name: String,
}

/// `GET|PUT /api/v1/me/country`: the member's choice and the choices.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCountry {
    /// The member's country, or `null` for the site's default.
    pub country: Option<String>,
    /// The site's default country (`KINDRED_CARE_COUNTRY`).
    pub default: String,
    pub choices: Vec<CountryChoice>,
}

fn my_country(chosen: Option<String>, default: &str) -> Result<MyCountry, Error> {
    let resources = CareResources::embedded()?;
    Ok(MyCountry {
        country: chosen,
        default: default.to_owned(),
        choices: resources
            .countries
            .iter()
            .map(|c| CountryChoice {
                code: c.code.clone(),
                name: c.name.clone(),
            })
            .collect(),
    })
}

/// The member's country and the choices.
pub fn get(store: &Store, user: &CurrentUser, default: &str) -> Result<MyCountry, Error> {
    let chosen = store.read(|conn| countries::find(conn, user.id.0))?;
    my_country(chosen, default)
}

/// Sets (or, with `None`, forgets) the member's country; recorded as a profile update.
pub fn set(
    store: &Store,
    user: &CurrentUser,
    country: Option<CareCountry>,
    default: &str,
) -> Result<MyCountry, Error> {
    let now = now_micros();
    store.write(|conn| {
        countries::set(
            conn,
            user.id.0,
            country.as_ref().map(CareCountry::as_str),
            now,
        )?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::ProfileUpdated,
                community_id: None,
                thread_id: None,
                post_id: None,
                actor_id: Some(user.id),
                payload: EventPayload::User(UserPayload {
                    user_id: Some(user.id.0),
                }),
                created_at: now,
            },
        )
    })?;
    my_country(country.map(|c| c.0), default)
}

/// The country whose crisis lines `user_id` sees: theirs, else the site's default.
pub(crate) fn country_of(
    conn: &mut DbConnection,
    user_id: i64,
    default: &str,
) -> Result<String, Error> {
    Ok(countries::find(conn, user_id)?.unwrap_or_else(|| default.to_owned()))
}
