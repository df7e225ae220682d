//! Duty of care (issue 19) on the pages: the calm crisis-lines panel a member sees after a
//! post that suggests they may be at risk (`/me/care`), and the wellbeing items at the top
//! of the moderators' queue. Both work without JavaScript.

use maud::{html, Markup, PreEscaped};

use crate::layout::{csrf, page, person, time};
use crate::model::{Chrome, Person, PostItem};

/// The panel: a few calm words and the country's crisis services.
#[derive(Debug, Clone)]
pub struct CarePanel {
    pub message: String,
    pub country_name: String,
    pub emergency: String,
    pub services: Vec<CrisisService>,
    /// When the numbers were last checked.
    pub last_checked: String,
}

#[derive(Debug, Clone)]
pub struct CrisisService {
    pub name: String,
    /// `phone`, `text` or `chat`.
    pub how: String,
    pub number: String,
    pub keyword: Option<String>,
    pub hours: String,
    pub url: String,
    pub description: String,
}

/// `/me/care`: the panel while it is shown, and where the member goes next.
#[derive(Debug, Clone)]
pub struct CarePage {
    pub panel: Option<CarePanel>,
    /// The post just written (`/t/{thread}#p{post}`), when the member came from posting.
    pub continue_to: Option<String>,
}

/// A wellbeing item in the moderators' queue.
#[derive(Debug, Clone)]
pub struct WellbeingEntry {
    pub id: String,
    pub community: String,
    /// `medium` or `high`.
    pub level: String,
    pub urgent: bool,
    /// `screening` or `report`.
    pub source: String,
    pub sentences: Vec<String>,
    pub guide: String,
    pub reach_out_template: String,
    pub post: PostItem,
    pub thread_id: String,
    pub thread_title: String,
    pub reached_out_by: Option<Person>,
    pub reached_out_at: Option<String>,
    pub created_at: String,
}

/// A number as a `tel:`/`sms:` target: digits and a leading `+` only.
fn dial(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

fn service(s: &CrisisService) -> Markup {
    html! {
        li {
            strong { (s.name) }
            @match s.how.as_str() {
                "phone" => { " — call " a href={ "tel:" (dial(&s.number)) } { (s.number) } },
                "text" => {
                    " — text "
                    @if let Some(keyword) = &s.keyword { (keyword) " to " }
                    a href={ "sms:" (dial(&s.number)) } { (s.number) }
                },
                _ => { " — " a href=(s.url) { "chat online" } },
            }
            " (" (s.hours) ")"
            br;
            span.muted { (s.description) }
        }
    }
}

/// The panel as a labelled region: headings, `tel:` links, and a dismiss form.
pub fn panel(chrome: &Chrome, panel: &CarePanel, continue_to: Option<&str>) -> Markup {
    html! {
        section.care-panel role="region" aria-labelledby="care-title" {
            h2 #care-title { "You are not alone" }
            p { (panel.message) }
            h3 { "People you can talk to in " (panel.country_name) }
            ul.care-services { @for s in &panel.services { (service(s)) } }
            p { "In an emergency, call "
                a href={ "tel:" (dial(&panel.emergency)) } { (panel.emergency) } "." }
            p.muted { "Numbers last checked " (panel.last_checked) "." }
            form method="post" action="/me/care/dismiss" {
                (csrf(chrome))
                @if let Some(next) = continue_to { input type="hidden" name="next" value=(next); }
                button type="submit" { "Close this for now" }
            }
        }
    }
}

/// `/me/care`.
pub fn care_page(chrome: &Chrome, view: &CarePage) -> String {
    let body = html! {
        h1 { "Thank you for sharing" }
        @match &view.panel {
            Some(p) => {
                p { "Your post is published." }
                (panel(chrome, p, view.continue_to.as_deref()))
            },
            None => p { "Nothing to show here right now." },
        }
        @if let Some(next) = &view.continue_to { p { a href=(next) { "Go to your post" } } }
    };
    page(chrome, "Thank you for sharing", body)
}

/// The wellbeing items at the top of the queue: urgent first, each with its form to record
/// "I reached out". The post's body is HTML the server already sanitised.
pub fn wellbeing(chrome: &Chrome, items: &[WellbeingEntry]) -> Markup {
    html! {
        @if !items.is_empty() {
            section.wellbeing aria-labelledby="wellbeing-title" {
                h2 #wellbeing-title { "Someone may be at risk" }
                @if let Some(first) = items.first() {
                    details { summary { "How to read the levels" } p { (first.guide) } }
                }
                @for item in items {
                    article.wellbeing-item #{ "w" (item.id) } aria-labelledby={ "wt" (item.id) } {
                        h3 id={ "wt" (item.id) } {
                            @if item.urgent { span.tag.urgent { "Urgent" } " " }
                            "Level " (item.level) " in "
                            a href={ "/t/" (item.thread_id) } { (item.thread_title) }
                        }
                        p.meta { a href={ "/c/" (item.community) } { (item.community) } " · "
                            (if item.source == "report" { "reported by a member" } else { "found by screening" })
                            " · since " (time(chrome, &item.created_at)) }
                        @if !item.sentences.is_empty() {
                            h4 { "What was said" }
                            ul { @for s in &item.sentences { li { q { (s) } } } }
                        }
                        // The post without its `p{id}` anchor: it may also be in the queue
                        // below (held for another reason), and ids must stay unique.
                        div.post data-post=(item.post.id) {
                            header.post-header { "By " (person(item.post.author.as_ref())) " · " (time(chrome, &item.post.created_at)) }
                            div.post-body { (PreEscaped(&item.post.body_html)) }
                        }
                        details { summary { "A message you can adapt" } p { (item.reach_out_template) } }
                        @match (&item.reached_out_by, &item.reached_out_at) {
                            (who, Some(at)) => p role="status" { "Reached out by " (person(who.as_ref())) " " (time(chrome, at)) "." },
                            _ => form method="post" action={ "/mod/wellbeing/" (item.id) "/reached-out" } {
                                (csrf(chrome))
                                button type="submit" { "I reached out" }
                            },
                        }
                    }
                }
            }
        }
    }
}
