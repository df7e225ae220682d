//! Research-partner surveys (issue 20) on the pages: the member's surveys page with a
//! banner per open invitation (answer, dismiss, withdraw), the partner's list, draft form
//! and results (withheld counts hatched as "<11", never zero), and the admins' review
//! page and partner grants page. No JavaScript.

use maud::{html, Markup};

use crate::layout::{csrf, notice, page};
use crate::model::Chrome;

/// A question as the pages show it.
#[derive(Debug, Clone)]
pub struct QuestionItem {
    /// `single_choice` | `multiple_choice` | `scale` | `free_text`.
    pub kind: String,
    pub text: String,
    /// The options, or `1`…`5` for a scale.
    pub labels: Vec<String>,
}

/// An open survey offered to the member.
#[derive(Debug, Clone)]
pub struct InvitationItem {
    pub id: String,
    pub community_name: String,
    pub title: String,
    pub closes_at: String,
    /// `invited` | `answered` | `dismissed` | `withdrawn`.
    pub state: String,
    pub questions: Vec<QuestionItem>,
}

/// `/surveys`.
#[derive(Debug, Clone)]
pub struct MemberSurveysPage {
    pub invitations: Vec<InvitationItem>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

fn problem(text: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = text {
            div.alert.alert-error role="alert" { p { (text) } }
        }
    }
}

fn answer_form(chrome: &Chrome, invitation: &InvitationItem) -> Markup {
    html! {
        form method="post" action={ "/surveys/" (invitation.id) "/answers" } {
            (csrf(chrome))
            @for (q, question) in invitation.questions.iter().enumerate() {
                @let name = format!("q{q}");
                @match question.kind.as_str() {
                    "free_text" => {
                        div.field {
                            label for={ "s" (invitation.id) "-" (name) } { (question.text) }
                            p.hint id={ "s" (invitation.id) "-" (name) "-hint" } { (chrome.t("surveys-free-text-hint")) }
                            textarea id={ "s" (invitation.id) "-" (name) } name=(name) rows="3" maxlength="2000" aria-describedby={ "s" (invitation.id) "-" (name) "-hint" } {}
                        }
                    },
                    kind => {
                        fieldset {
                            legend { (question.text) }
                            @for (o, label) in question.labels.iter().enumerate() {
                                @let id = format!("s{}-{name}-{o}", invitation.id);
                                div.choice {
                                    @if kind == "multiple_choice" {
                                        input type="checkbox" id=(id) name={ (name) "_" (o) } value="on";
                                    } @else {
                                        input type="radio" id=(id) name=(name) value=(o);
                                    }
                                    label for=(id) { (label) }
                                }
                            }
                        }
                    },
                }
            }
            button type="submit" { (chrome.t("surveys-send-answers")) }
        }
    }
}

/// One survey as a banner: what it is, and what the member can do about it.
fn banner(chrome: &Chrome, invitation: &InvitationItem) -> Markup {
    html! {
        section.survey-banner aria-labelledby={ "survey-" (invitation.id) } {
            h2 id={ "survey-" (invitation.id) } { (invitation.title) }
            p {
                (chrome.t_args("surveys-banner-for", &[("community", invitation.community_name.as_str().into())])) " "
                (crate::layout::time(chrome, &invitation.closes_at)) ". "
                (chrome.t("surveys-banner-privacy"))
            }
            @match invitation.state.as_str() {
                "answered" => {
                    p { (chrome.t("surveys-answered")) }
                    form method="post" action={ "/surveys/" (invitation.id) "/withdraw" } {
                        (csrf(chrome))
                        button type="submit" { (chrome.t("surveys-withdraw")) }
                    }
                },
                state => {
                    @if state == "dismissed" { p { (chrome.t("surveys-dismissed")) } }
                    @if state == "withdrawn" { p { (chrome.t("surveys-withdrawn")) } }
                    details open[state == "invited"] {
                        summary { (chrome.t("surveys-answer")) }
                        (answer_form(chrome, invitation))
                    }
                    @if state == "invited" {
                        form method="post" action={ "/surveys/" (invitation.id) "/dismiss" } {
                            (csrf(chrome))
                            button.secondary type="submit" { (chrome.t("surveys-no-thanks")) }
                        }
                    }
                },
            }
        }
    }
}

pub fn member_surveys_page(chrome: &Chrome, view: &MemberSurveysPage) -> String {
    let body = html! {
        h1 { (chrome.t("surveys-title")) }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.invitations.is_empty() {
            p { (chrome.t("surveys-none-open")) }
        }
        @for invitation in &view.invitations {
            (banner(chrome, invitation))
        }
    };
    page(chrome, &chrome.t("surveys-title"), body)
}

/// A survey in the partner's or the admins' list.
#[derive(Debug, Clone)]
pub struct SurveyItem {
    pub id: String,
    pub community: String,
    pub title: String,
    pub status: String,
    pub opens_at: String,
    pub closes_at: String,
    pub closed: bool,
    pub promotional: bool,
    pub decision_reason: Option<String>,
    pub questions: Vec<QuestionItem>,
}

/// `/partner/surveys`.
#[derive(Debug, Clone)]
pub struct PartnerSurveysPage {
    pub surveys: Vec<SurveyItem>,
    /// (slug, name) of the communities granted to the partner.
    pub communities: Vec<(String, String)>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

/// The profile roles a survey's audience may be limited to (the profile's own values).
const AUDIENCE_ROLES: [&str; 5] = ["patient", "caregiver", "bereaved", "supporter", "clinician"];

fn draft_form(chrome: &Chrome, communities: &[(String, String)]) -> Markup {
    html! {
        form method="post" action="/partner/surveys" {
            (csrf(chrome))
            div.field {
                label for="d-community" { (chrome.t("surveys-community")) }
                select id="d-community" name="community" {
                    @for (slug, name) in communities { option value=(slug) { (name) } }
                }
            }
            div.field {
                label for="d-title" { (chrome.t("surveys-draft-title")) }
                input id="d-title" name="title" type="text" required maxlength="200";
            }
            div.field {
                label for="d-opens" { (chrome.t("surveys-draft-opens")) }
                input id="d-opens" name="opens_on" type="date" required;
            }
            div.field {
                label for="d-closes" { (chrome.t("surveys-draft-closes")) }
                input id="d-closes" name="closes_on" type="date" required;
            }
            fieldset {
                legend { (chrome.t("survey-draft-audience")) }
                p.hint id="d-audience-hint" { (chrome.t("survey-draft-audience-hint")) }
                div.field {
                    label for="d-role" { (chrome.t("survey-draft-audience-role")) }
                    select id="d-role" name="audience_role" aria-describedby="d-audience-hint" {
                        option value="" { (chrome.t("survey-draft-audience-any-role")) }
                        @for role in AUDIENCE_ROLES {
                            option value=(role) { (chrome.t(&format!("survey-audience-{role}"))) }
                        }
                    }
                }
                div.field {
                    label for="d-condition" { (chrome.t("survey-draft-audience-condition")) }
                    input id="d-condition" name="audience_condition" type="text" maxlength="48" aria-describedby="d-audience-hint";
                }
            }
            @for q in 0..3 {
                fieldset {
                    legend { (chrome.t_args("surveys-question-number", &[("number", (q + 1).to_string().into())])) @if q > 0 { span.optional { " " (chrome.t("surveys-optional")) } } }
                    div.field {
                        label for={ "d-q" (q) "-kind" } { (chrome.t("surveys-draft-kind")) }
                        select id={ "d-q" (q) "-kind" } name={ "q" (q) "_kind" } {
                            option value="single_choice" { (chrome.t("surveys-kind-single")) }
                            option value="multiple_choice" { (chrome.t("surveys-kind-multiple")) }
                            option value="scale" { (chrome.t("surveys-kind-scale")) }
                        }
                    }
                    div.field {
                        label for={ "d-q" (q) "-text" } { (chrome.t("surveys-draft-question")) }
                        input id={ "d-q" (q) "-text" } name={ "q" (q) "_text" } type="text" maxlength="500" required[q == 0];
                    }
                    div.field {
                        label for={ "d-q" (q) "-options" } { (chrome.t("surveys-draft-options")) }
                        p.hint id={ "d-q" (q) "-hint" } { (chrome.t("surveys-draft-options-hint")) }
                        textarea id={ "d-q" (q) "-options" } name={ "q" (q) "_options" } rows="3" aria-describedby={ "d-q" (q) "-hint" } {}
                    }
                }
            }
            p.hint { (chrome.t("surveys-draft-free-text")) }
            button type="submit" { (chrome.t("surveys-send-approval")) }
        }
    }
}

/// A survey's status in the reader's words; the stored word is kept for comparisons.
fn status_words(chrome: &Chrome, status: &str) -> String {
    match status {
        "pending" => chrome.t("survey-status-pending"),
        "approved" => chrome.t("survey-status-approved"),
        "rejected" => chrome.t("survey-status-rejected"),
        other => other.to_owned(),
    }
}

fn survey_row(chrome: &Chrome, item: &SurveyItem) -> Markup {
    html! {
        (item.title) " (" (item.community) "): " strong { (status_words(chrome, &item.status)) }
        @if item.promotional { " — " (chrome.t("surveys-promotional")) }
        @if let Some(reason) = &item.decision_reason { " — " (reason) }
    }
}

pub fn partner_surveys_page(chrome: &Chrome, view: &PartnerSurveysPage) -> String {
    let body = html! {
        h1 { (chrome.t("surveys-partner-title")) }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.surveys.is_empty() { p { (chrome.t("surveys-partner-none")) } }
        ul {
            @for item in &view.surveys {
                li {
                    (survey_row(chrome, item))
                    @if item.status == "approved" && item.closed {
                        " " a href={ "/partner/surveys/" (item.id) } { (chrome.t("surveys-results-link")) }
                    }
                }
            }
        }
        @if !view.communities.is_empty() {
            h2 { (chrome.t("surveys-draft-heading")) }
            p { (chrome.t("surveys-draft-intro")) }
            (draft_form(chrome, &view.communities))
        }
    };
    page(chrome, &chrome.t("surveys-partner-title"), body)
}

/// A count, or withheld.
#[derive(Debug, Clone)]
pub enum Count {
    Value(u64),
    Withheld,
}

fn count_cell(chrome: &Chrome, count: &Count) -> Markup {
    html! {
        @match count {
            Count::Value(v) => td { (v) },
            Count::Withheld => td.withheld { span.visually-hidden { (chrome.t("surveys-withheld")) " " } "<11" },
        }
    }
}

#[derive(Debug, Clone)]
pub struct QuestionResultItem {
    pub text: String,
    pub respondents: Count,
    /// (option, count).
    pub options: Vec<(String, Count)>,
}

/// `/partner/surveys/{id}`.
#[derive(Debug, Clone)]
pub struct ResultsPage {
    pub id: String,
    pub title: String,
    pub respondents: u64,
    pub questions: Vec<QuestionResultItem>,
    /// Why there are no results, when there are none.
    pub withheld: Option<String>,
}

pub fn results_page(chrome: &Chrome, view: &ResultsPage) -> String {
    let body = html! {
        h1 { (chrome.t_args("surveys-results-title", &[("title", view.title.as_str().into())])) }
        p.method { (chrome.t("survey-status-method")) }
        @if let Some(reason) = &view.withheld {
            div.alert.alert-error role="alert" { p { (reason) } }
        } @else {
            p { (chrome.t_args("surveys-results-answered", &[("count", view.respondents.to_string().into())])) " " a href={ "/partner/surveys/" (view.id) "/results.csv" } { (chrome.t("surveys-results-csv")) } }
            @for (q, question) in view.questions.iter().enumerate() {
                table {
                    caption { (chrome.t_args("surveys-question-number", &[("number", (q + 1).to_string().into())])) ": " (question.text) }
                    thead { tr { th scope="col" { (chrome.t("surveys-results-answer")) } th scope="col" { (chrome.t("surveys-results-members")) } } }
                    tbody {
                        @for (label, count) in &question.options {
                            tr { th scope="row" { (label) } (count_cell(chrome, count)) }
                        }
                        tr { th scope="row" { (chrome.t("surveys-results-question-total")) } (count_cell(chrome, &question.respondents)) }
                    }
                }
            }
        }
        p { a href="/partner/surveys" { (chrome.t("surveys-results-back")) } }
    };
    page(
        chrome,
        &chrome.t_args(
            "surveys-results-title",
            &[("title", view.title.as_str().into())],
        ),
        body,
    )
}

/// `/admin/surveys`.
#[derive(Debug, Clone)]
pub struct AdminSurveysPage {
    pub surveys: Vec<SurveyItem>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

pub fn admin_surveys_page(chrome: &Chrome, view: &AdminSurveysPage) -> String {
    let body = html! {
        h1 { (chrome.t("surveys-title")) }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.surveys.is_empty() { p { (chrome.t("surveys-admin-none")) } }
        @for item in &view.surveys {
            section aria-labelledby={ "as-" (item.id) } {
                h2 id={ "as-" (item.id) } { (item.title) }
                p { (survey_row(chrome, item)) }
                p { (chrome.t("surveys-admin-open-from")) " " (crate::layout::time(chrome, &item.opens_at)) " " (chrome.t("surveys-admin-open-to")) " " (crate::layout::time(chrome, &item.closes_at)) }
                ol {
                    @for question in &item.questions {
                        li { (question.text) @if !question.labels.is_empty() { " — " (question.labels.join(" / ")) } }
                    }
                }
                @if item.status == "pending" {
                    form method="post" action={ "/admin/surveys/" (item.id) "/decide" } {
                        (csrf(chrome))
                        div.field {
                            label for={ "reason-" (item.id) } { (chrome.t("surveys-admin-reason")) }
                            textarea id={ "reason-" (item.id) } name="reason" rows="2" required maxlength="1000" {}
                        }
                        button type="submit" name="decision" value="approve" { (chrome.t("surveys-admin-approve")) }
                        " "
                        button.secondary type="submit" name="decision" value="reject" { (chrome.t("surveys-admin-reject")) }
                    }
                }
            }
        }
    };
    page(chrome, &chrome.t("surveys-title"), body)
}

/// One grant in `/admin/partners`.
#[derive(Debug, Clone)]
pub struct GrantItem {
    pub username: String,
    pub community: String,
    pub community_name: String,
    pub granted_at: String,
}

/// `/admin/partners`.
#[derive(Debug, Clone)]
pub struct PartnerGrantsPage {
    pub grants: Vec<GrantItem>,
    /// (slug, name) of every community.
    pub communities: Vec<(String, String)>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

pub fn partner_grants_page(chrome: &Chrome, view: &PartnerGrantsPage) -> String {
    let body = html! {
        h1 { (chrome.t("partners-title")) }
        p { (chrome.t("partners-intro")) }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.grants.is_empty() {
            p { (chrome.t("partners-none")) }
        } @else {
            table {
                caption { (chrome.t("partners-caption")) }
                thead { tr { th scope="col" { (chrome.t("partners-partner")) } th scope="col" { (chrome.t("surveys-community")) } th scope="col" { (chrome.t("partners-since")) } th scope="col" { (chrome.t("partners-revoke")) } } }
                tbody {
                    @for grant in &view.grants {
                        tr {
                            td { (grant.username) }
                            td { (grant.community_name) }
                            td { (crate::layout::time(chrome, &grant.granted_at)) }
                            td {
                                form method="post" action={ "/admin/partners/" (grant.username) "/" (grant.community) "/revoke" } {
                                    (csrf(chrome))
                                    button.secondary type="submit" aria-label=(chrome.t_args("partners-revoke-label", &[("community", grant.community_name.as_str().into()), ("username", grant.username.as_str().into())])) { (chrome.t("partners-revoke")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (chrome.t("partners-grant-heading")) }
        form method="post" action="/admin/partners" {
            (csrf(chrome))
            div.field {
                label for="g-username" { (chrome.t("partners-account")) }
                input id="g-username" name="username" type="text" required maxlength="32" autocomplete="off";
            }
            div.field {
                label for="g-community" { (chrome.t("surveys-community")) }
                select id="g-community" name="community" {
                    @for (slug, name) in &view.communities { option value=(slug) { (name) } }
                }
            }
            button type="submit" { (chrome.t("partners-grant")) }
        }
    };
    page(chrome, &chrome.t("partners-title"), body)
}
