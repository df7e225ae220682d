//! `/me/country`: the country whose crisis lines a member is shown (issue 19).

use maud::html;

use crate::layout::{csrf, form_errors_in, page, select};
use crate::model::{Chrome, FormState};

/// The value of the "site's default" choice in the form.
pub const DEFAULT_CHOICE: &str = "default";

/// What `/me/country` shows.
pub struct CountryView<'a> {
    /// `(code, name)` of every country with crisis lines.
    pub choices: &'a [(String, String)],
    /// The site's default country's name.
    pub default_name: &'a str,
    pub saved: bool,
}

/// The form: the member's country or the site's default.
pub fn country_settings(chrome: &Chrome, form: &FormState, view: &CountryView<'_>) -> String {
    let default_label = chrome.t_args("country-default", &[("name", view.default_name.into())]);
    let mut options: Vec<(&str, &str)> = vec![(DEFAULT_CHOICE, default_label.as_str())];
    options.extend(
        view.choices
            .iter()
            .map(|(code, name)| (code.as_str(), name.as_str())),
    );
    let body = html! {
        h1 { (chrome.t("settings-country")) }
        @if view.saved { div.alert.alert-ok role="status" { p { (chrome.t("country-saved")) } } }
        p { (chrome.t("country-lead")) }
        form.narrow method="post" action="/me/country" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["country"]))
            (select(form, "country", &chrome.t("country-field"), &options))
            button type="submit" { (chrome.t("country-save")) }
        }
        p { a href="/me" { (chrome.t("back-to-profile")) } }
    };
    page(chrome, &chrome.t("settings-country"), body)
}
