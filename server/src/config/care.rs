//! Crisis resources per country (`seed-data/care/resources.toml`, embedded at build time),
//! shown to a member whose post screens at `medium` or `high` self-harm risk, and the
//! deployment's default country (`KINDRED_CARE_COUNTRY`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::Error;

/// The committed resources file.
const RESOURCES: &str = include_str!("../../../seed-data/care/resources.toml");

/// Every country's crisis lines.
#[derive(Debug, Clone, Deserialize)]
pub struct CareResources {
    /// When the entries were last checked against the services' own websites.
    pub last_checked: String,
    #[serde(rename = "country")]
    pub countries: Vec<Country>,
}

/// One country's emergency number and crisis services.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Country {
    /// ISO 3166-1 alpha-2 (`US`, `GB`).
    pub code: String,
    pub name: String,
    pub emergency: String,
    #[serde(rename(deserialize = "service"))]
    pub services: Vec<CrisisService>,
}

/// A crisis line, text service or web chat.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CrisisService {
    pub name: String,
    /// `phone`, `text` or `chat`.
    pub how: String,
    /// What to dial or text; empty for a web chat.
    pub number: String,
    /// The first word a text service asks for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    pub hours: String,
    pub url: String,
    pub description: String,
}

impl CareResources {
    /// The embedded resources, parsed once.
    pub fn embedded() -> Result<&'static CareResources, Error> {
        static RESOURCES_PARSED: OnceLock<CareResources> = OnceLock::new();
        if let Some(resources) = RESOURCES_PARSED.get() {
            return Ok(resources);
        }
        let parsed: CareResources = toml::from_str(RESOURCES)
            .map_err(|e| Error::Config(format!("seed-data/care/resources.toml: {e}")))?;
        Ok(RESOURCES_PARSED.get_or_init(|| parsed))
    }

    /// The country with this code (any case).
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }
}

/// `KINDRED_CARE_COUNTRY`, checked against the resources: the country whose crisis lines
/// members see.
pub fn parse_country(raw: Option<&str>) -> Result<String, Error> {
    let code = raw.map_or("US", str::trim).to_ascii_uppercase();
    let resources = CareResources::embedded()?;
    if resources.country(&code).is_none() {
        let known: Vec<&str> = resources
            .countries
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        return Err(Error::Config(format!(
            "KINDRED_CARE_COUNTRY: {code:?} has no crisis resources; one of {}",
            known.join(", ")
        )));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_resources_cover_the_required_countries() {
        let resources = CareResources::embedded().unwrap_or_else(|e| panic!("{e}"));
        for code in ["US", "GB", "IE", "CA", "AU"] {
            let country = resources
                .country(code)
                .unwrap_or_else(|| panic!("no {code}"));
            assert!(!country.services.is_empty(), "{code}");
        }
        assert_eq!(parse_country(Some("gb")).ok().as_deref(), Some("GB"));
        assert_eq!(parse_country(None).ok().as_deref(), Some("US"));
        assert!(parse_country(Some("XX")).is_err());
    }
}
