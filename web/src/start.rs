//! `/start`, the page a new member lands on after registering: who they told us they are,
//! the communities that fit (with a way in to each, "ask to join" for the private ones),
//! the house rules, and where to introduce themselves.

use maud::html;

use crate::layout::{condition_label, count, csrf, kind_label, page};
use crate::model::{Chrome, CommunityCard};
use crate::pages::role_label;

/// The three rules every Kindred community keeps, whatever its own rules add.
pub const HOUSE_RULES: [(&str, &str); 3] = [
    (
        "Be kind.",
        "Everyone here is carrying something heavy; disagree gently.",
    ),
    (
        "Share experience, not prescriptions.",
        "Nothing here replaces your own care team.",
    ),
    (
        "Keep it safe.",
        "No selling, and no phone numbers, addresses or other people's details.",
    ),
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
        h1 { "Start here" }
        p.lead { "Welcome to Kindred. Here is a place to begin." }
        section aria-labelledby="you" {
            h2 #you { "About you" }
            @if view.role.is_none() && view.conditions.is_empty() {
                p { "You have not told us your role or conditions yet. Add them to " a href="/me" { "your profile" } " (you choose who sees them), or tell us below." }
            } @else {
                dl {
                    @if let Some(role) = &view.role { dt { "Role" } dd { (role_label(role)) } }
                    @if !view.conditions.is_empty() {
                        dt { "Conditions" }
                        dd { (view.conditions.iter().map(|tag| condition_label(tag)).collect::<Vec<_>>().join(", ")) }
                    }
                }
                p { a href="/me" { "Change these in your profile" } }
            }
            form.search method="get" action="/start" {
                label for="about" { "Or tell us in your own words what brings you here" }
                input #about type="search" name="about" value=(view.about) placeholder="For example: my husband has glioblastoma";
                button type="submit" { "Find communities" }
            }
        }
        section aria-labelledby="suggested" {
            h2 #suggested { "Communities for you" }
            @if view.suggestions.is_empty() {
                p { "Nothing matched yet. " a href="/communities" { "Browse every community" } "." }
            } @else {
                ul.cards {
                    @for s in &view.suggestions {
                        @let c = &s.community;
                        li.card {
                            h3 { a href={ "/c/" (c.slug) } { (c.name) } }
                            p.meta {
                                span.tag { (kind_label(&c.kind)) }
                                @if c.visibility == "private" { " " span.tag.tag-private { "Private" } }
                                " · " (count(c.member_count, "member", "members"))
                            }
                            @if !c.description.is_empty() { p { (c.description) } }
                            @match s.state.as_deref() {
                                Some("pending") => p { "Your request to join is waiting for a moderator." },
                                _ => form.inline method="post" action={ "/c/" (c.slug) "/join" } {
                                    (csrf(chrome))
                                    button type="submit" {
                                        @if c.visibility == "private" || c.join_policy == "approval" { "Ask to join" } @else { "Join" }
                                        span.visually-hidden { " " (c.name) }
                                    }
                                },
                            }
                        }
                    }
                }
                p { a href="/communities" { "See every community" } }
            }
        }
        section aria-labelledby="house-rules" {
            h2 #house-rules { "Three house rules" }
            ol { @for (rule, why) in HOUSE_RULES { li { strong { (rule) } " " (why) } } }
        }
        section aria-labelledby="introduce" {
            h2 #introduce { "Say hello" }
            p {
                @match &view.introduce_in {
                    Some(slug) => a.button href={ "/new?community=" (slug) } { "Introduce yourself" },
                    None => a.button href="/new" { "Introduce yourself" },
                }
                " Tell others as much or as little as you like."
            }
        }
    };
    page(chrome, "Start here", body)
}
