//! Duty of care (issue 19) on the pages: the calm crisis-lines panel a member sees after a
//! post that suggests they may be at risk (`/me/care`), and the wellbeing items at the top
//! of the moderators' queue. Both work without JavaScript.

use maud::{html, Markup, PreEscaped};

use crate::i18n::Lang;
use crate::layout::{csrf, page, person_in, time};
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

fn service(lang: Lang, s: &CrisisService) -> Markup {
    html! {
        li {
            strong { (s.name) }
            @match s.how.as_str() {
                "phone" => { " — " (lang.t("care-call")) " " a href={ "tel:" (dial(&s.number)) } { (s.number) } },
                "text" => {
                    " — " (lang.t("care-text")) " "
                    @if let Some(keyword) = &s.keyword { (keyword) " " (lang.t("care-text-to")) " " }
                    a href={ "sms:" (dial(&s.number)) } { (s.number) }
                },
                _ => { " — " a href=(s.url) { (lang.t("care-chat")) } },
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
            h2 #care-title { (chrome.t("care-not-alone")) }
            p { (panel.message) }
            h3 { (chrome.t_args("care-people-in", &[("country", panel.country_name.clone().into())])) }
            ul.care-services { @for s in &panel.services { (service(chrome.lang, s)) } }
            p { (chrome.t("care-emergency")) " "
                a href={ "tel:" (dial(&panel.emergency)) } { (panel.emergency) } "." }
            p.muted { (chrome.t_args("care-checked", &[("date", panel.last_checked.clone().into())])) }
            form method="post" action="/me/care/dismiss" {
                (csrf(chrome))
                @if let Some(next) = continue_to { input type="hidden" name="next" value=(next); }
                button type="submit" { (chrome.t("care-close")) }
            }
        }
    }
}

/// `/me/care`.
pub fn care_page(chrome: &Chrome, view: &CarePage) -> String {
    let body = html! {
        h1 { (chrome.t("care-title")) }
        @match &view.panel {
            Some(p) => {
                p { (chrome.t("care-published")) }
                (panel(chrome, p, view.continue_to.as_deref()))
            },
            None => p { (chrome.t("care-nothing")) },
        }
        @if let Some(next) = &view.continue_to { p { a href=(next) { (chrome.t("care-go-to-post")) } } }
    };
    page(chrome, &chrome.t("care-title"), body)
}

/// The wellbeing items at the top of the queue: urgent first, each with its form to record
/// "I reached out". The post's body is HTML the server already sanitised.
pub fn wellbeing(chrome: &Chrome, items: &[WellbeingEntry]) -> Markup {
    html! {
        @if !items.is_empty() {
            section.wellbeing aria-labelledby="wellbeing-title" {
                h2 #wellbeing-title { (chrome.t("care-at-risk")) }
                @if let Some(first) = items.first() {
                    details { summary { (chrome.t("care-levels")) } p { (first.guide) } }
                }
                @for item in items {
                    article.wellbeing-item #{ "w" (item.id) } aria-labelledby={ "wt" (item.id) } {
                        h3 id={ "wt" (item.id) } {
                            @if item.urgent { span.tag.urgent { (chrome.t("care-urgent")) } " " }
                            (chrome.t_args("care-level", &[("level", item.level.clone().into())])) " " (chrome.t("thread-in")) " "
                            a href={ "/t/" (item.thread_id) } { (item.thread_title) }
                        }
                        p.meta { a href={ "/c/" (item.community) } { (item.community) } " · "
                            (chrome.t(if item.source == "report" { "care-source-report" } else { "care-source-screening" }))
                            " · " (chrome.t("blocks-since")) " " (time(chrome, &item.created_at)) }
                        @if !item.sentences.is_empty() {
                            h4 { (chrome.t("care-what-was-said")) }
                            ul { @for s in &item.sentences { li { q { (s) } } } }
                        }
                        // The post without its `p{id}` anchor: it may also be in the queue
                        // below (held for another reason), and ids must stay unique.
                        div.post data-post=(item.post.id) {
                            header.post-header { (chrome.t("saved-by")) " " (person_in(chrome.lang, item.post.author.as_ref())) " · " (time(chrome, &item.post.created_at)) }
                            div.post-body { (PreEscaped(&item.post.body_html)) }
                        }
                        details { summary { (chrome.t("care-template")) } p { (item.reach_out_template) } }
                        @match (&item.reached_out_by, &item.reached_out_at) {
                            (who, Some(at)) => p role="status" { (chrome.t("care-reached-out-by")) " " (person_in(chrome.lang, who.as_ref())) " " (time(chrome, at)) "." },
                            _ => form method="post" action={ "/mod/wellbeing/" (item.id) "/reached-out" } {
                                (csrf(chrome))
                                button type="submit" { (chrome.t("care-reached-out")) }
                            },
                        }
                    }
                }
            }
        }
    }
}
