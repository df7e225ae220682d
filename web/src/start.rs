//! `/start`, the page a new member lands on after registering: who they told us they are,
//! the communities that fit (with a way in to each, "ask to join" for the private ones),
//! the house rules, and where to introduce themselves.

use maud::html;

use crate::layout::{condition_label, csrf, kind_label_in, page};
use crate::model::{Chrome, CommunityCard};
use crate::pages::role_label;

/// The three rules every Kindred community keeps, whatever its own rules add: the
/// catalogue keys of each rule and why.
pub const HOUSE_RULES: [(&str, &str); 3] = [
    ("start-rule-kind", "start-rule-kind-why"),
    ("start-rule-experience", "start-rule-experience-why"),
    ("start-rule-safe", "start-rule-safe-why"),
];

/// One suggested community and where the member stands with it.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub community: CommunityCard,
    /// `pending` once they asked to join; `None` before.
    pub state: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct StartPage {
    /// The profile's role (`caregiver`), if they gave one.
    pub role: Option<String>,
    pub conditions: Vec<String>,
    /// What they typed in "tell us in your own words", if anything.
    pub about: String,
    pub suggestions: Vec<Suggestion>,
    /// Where "introduce yourself" starts a thread (the best-fitting open community).
    pub introduce_in: Option<String>,
}

pub fn start(chrome: &Chrome, view: &StartPage) -> String {
    let body = html! {
        h1 { (chrome.t("start-title")) }
        p.lead { (chrome.t("start-lead")) }
        section aria-labelledby="you" {
            h2 #you { (chrome.t("settings-about-you")) }
            @if view.role.is_none() && view.conditions.is_empty() {
                p { (chrome.t("start-no-profile")) " " a href="/me" { (chrome.t("home-suggested-profile")) } " " (chrome.t("start-no-profile-after")) }
            } @else {
                dl {
                    @if let Some(role) = &view.role { dt { (chrome.t("profile-role")) } dd { (role_label(chrome.lang, role)) } }
                    @if !view.conditions.is_empty() {
                        dt { (chrome.t("settings-conditions")) }
                        dd { (view.conditions.iter().map(|tag| condition_label(tag)).collect::<Vec<_>>().join(", ")) }
                    }
                }
                p { a href="/me" { (chrome.t("start-change-profile")) } }
            }
            form.search method="get" action="/start" {
                label for="about" { (chrome.t("start-about-label")) }
                input #about type="search" name="about" value=(view.about) placeholder=(chrome.t("home-search-placeholder"));
                button type="submit" { (chrome.t("start-find")) }
            }
        }
        section aria-labelledby="suggested" {
            h2 #suggested { (chrome.t("start-suggested")) }
            @if view.suggestions.is_empty() {
                p { (chrome.t("start-nothing-matched")) " " a href="/communities" { (chrome.t("start-browse-all")) } "." }
            } @else {
                ul.cards {
                    @for s in &view.suggestions {
                        @let c = &s.community;
                        li.card {
                            h3 { a href={ "/c/" (c.slug) } { (c.name) } }
                            p.meta {
                                span.tag { (kind_label_in(chrome.lang, &c.kind)) }
                                @if c.visibility == "private" { " " span.tag.tag-private { (chrome.t("community-private")) } }
                                " · " (chrome.count("count-members", c.member_count))
                            }
                            @if !c.description.is_empty() { p { (c.description) } }
                            @match s.state.as_deref() {
                                Some("pending") => p { (chrome.t("community-pending")) },
                                _ => form.inline method="post" action={ "/c/" (c.slug) "/join" } {
                                    (csrf(chrome))
                                    button type="submit" {
                                        @if c.visibility == "private" || c.join_policy == "approval" { (chrome.t("community-ask-to-join")) } @else { (chrome.t("thread-join")) }
                                        span.visually-hidden { " " (c.name) }
                                    }
                                },
                            }
                        }
                    }
                }
                p { a href="/communities" { (chrome.t("start-see-all")) } }
            }
        }
        section aria-labelledby="house-rules" {
            h2 #house-rules { (chrome.t("start-house-rules")) }
            ol { @for (rule, why) in HOUSE_RULES { li { strong { (chrome.t(rule)) } " " (chrome.t(why)) } } }
        }
        section aria-labelledby="introduce" {
            h2 #introduce { (chrome.t("start-say-hello")) }
            p {
                @match &view.introduce_in {
                    Some(slug) => a.button href={ "/new?community=" (slug) } { (chrome.t("start-introduce")) },
                    None => a.button href="/new" { (chrome.t("start-introduce")) },
                }
                " " (chrome.t("start-introduce-hint"))
            }
        }
    };
    page(chrome, &chrome.t("start-title"), body)
}
