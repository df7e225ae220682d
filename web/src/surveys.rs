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
                            p.hint id={ "s" (invitation.id) "-" (name) "-hint" } { "Only this community's moderators read this answer; it never leaves Kindred." }
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
            button type="submit" { "Send my answers" }
        }
    }
}

/// One survey as a banner: what it is, and what the member can do about it.
fn banner(chrome: &Chrome, invitation: &InvitationItem) -> Markup {
    html! {
        section.survey-banner aria-labelledby={ "survey-" (invitation.id) } {
            h2 id={ "survey-" (invitation.id) } { (invitation.title) }
            p {
                "A research survey for " (invitation.community_name) ", open until "
                (crate::layout::time(chrome, &invitation.closes_at)) ". "
                "Only totals of 11 or more members are ever shown to the researchers, after it closes; your name never is."
            }
            @match invitation.state.as_str() {
                "answered" => {
                    p { "You answered. You can take your answers back until the survey closes." }
                    form method="post" action={ "/surveys/" (invitation.id) "/withdraw" } {
                        (csrf(chrome))
                        button type="submit" { "Withdraw my answers" }
                    }
                },
                state => {
                    @if state == "dismissed" { p { "You said no thanks. You can still answer." } }
                    @if state == "withdrawn" { p { "You withdrew your answers. You can answer again." } }
                    details open[state == "invited"] {
                        summary { "Answer" }
                        (answer_form(chrome, invitation))
                    }
                    @if state == "invited" {
                        form method="post" action={ "/surveys/" (invitation.id) "/dismiss" } {
                            (csrf(chrome))
                            button.secondary type="submit" { "No thanks" }
                        }
                    }
                },
            }
        }
    }
}

pub fn member_surveys_page(chrome: &Chrome, view: &MemberSurveysPage) -> String {
    let body = html! {
        h1 { "Research surveys" }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.invitations.is_empty() {
            p { "No survey is open for you. Surveys are offered to members who opted in to research in their privacy settings." }
        }
        @for invitation in &view.invitations {
            (banner(chrome, invitation))
        }
    };
    page(chrome, "Research surveys", body)
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
                label for="d-community" { "Community" }
                select id="d-community" name="community" {
                    @for (slug, name) in communities { option value=(slug) { (name) } }
                }
            }
            div.field {
                label for="d-title" { "Title" }
                input id="d-title" name="title" type="text" required maxlength="200";
            }
            div.field {
                label for="d-opens" { "Opens on" }
                input id="d-opens" name="opens_on" type="date" required;
            }
            div.field {
                label for="d-closes" { "Closes on" }
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
                    legend { "Question " (q + 1) @if q > 0 { span.optional { " (optional)" } } }
                    div.field {
                        label for={ "d-q" (q) "-kind" } { "Kind" }
                        select id={ "d-q" (q) "-kind" } name={ "q" (q) "_kind" } {
                            option value="single_choice" { "One choice" }
                            option value="multiple_choice" { "Several choices" }
                            option value="scale" { "Scale from 1 to 5" }
                        }
                    }
                    div.field {
                        label for={ "d-q" (q) "-text" } { "Question" }
                        input id={ "d-q" (q) "-text" } name={ "q" (q) "_text" } type="text" maxlength="500" required[q == 0];
                    }
                    div.field {
                        label for={ "d-q" (q) "-options" } { "Options, one per line" }
                        p.hint id={ "d-q" (q) "-hint" } { "Two to twelve; none for a scale." }
                        textarea id={ "d-q" (q) "-options" } name={ "q" (q) "_options" } rows="3" aria-describedby={ "d-q" (q) "-hint" } {}
                    }
                }
            }
            p.hint { "Free-text questions, which only the community's moderators may read, can be added through the API." }
            button type="submit" { "Send for approval" }
        }
    }
}

fn survey_row(item: &SurveyItem) -> Markup {
    html! {
        (item.title) " (" (item.community) "): " strong { (item.status) }
        @if item.promotional { " — screening found promotion" }
        @if let Some(reason) = &item.decision_reason { " — " (reason) }
    }
}

pub fn partner_surveys_page(chrome: &Chrome, view: &PartnerSurveysPage) -> String {
    let body = html! {
        h1 { "Your surveys" }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.surveys.is_empty() { p { "You have not drafted a survey yet." } }
        ul {
            @for item in &view.surveys {
                li {
                    (survey_row(item))
                    @if item.status == "approved" && item.closed {
                        " " a href={ "/partner/surveys/" (item.id) } { "Results" }
                    }
                }
            }
        }
        @if !view.communities.is_empty() {
            h2 { "Draft a survey" }
            p { "An admin reads every survey before members see it. Surveys carry no advertising or promotion." }
            (draft_form(chrome, &view.communities))
        }
    };
    page(chrome, "Your surveys", body)
}

/// A count, or withheld.
#[derive(Debug, Clone)]
pub enum Count {
    Value(u64),
    Withheld,
}

fn count_cell(count: &Count) -> Markup {
    html! {
        @match count {
            Count::Value(v) => td { (v) },
            Count::Withheld => td.withheld { span.visually-hidden { "withheld: " } "<11" },
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
    pub method: String,
    /// Why there are no results, when there are none.
    pub withheld: Option<String>,
}

pub fn results_page(chrome: &Chrome, view: &ResultsPage) -> String {
    let body = html! {
        h1 { "Results: " (view.title) }
        p.method { (view.method) }
        @if let Some(reason) = &view.withheld {
            div.alert.alert-error role="alert" { p { (reason) } }
        } @else {
            p { (view.respondents) " members answered. " a href={ "/partner/surveys/" (view.id) "/results.csv" } { "Download as CSV" } }
            @for (q, question) in view.questions.iter().enumerate() {
                table {
                    caption { "Question " (q + 1) ": " (question.text) }
                    thead { tr { th scope="col" { "Answer" } th scope="col" { "Members" } } }
                    tbody {
                        @for (label, count) in &question.options {
                            tr { th scope="row" { (label) } (count_cell(count)) }
                        }
                        tr { th scope="row" { "Answered this question" } (count_cell(&question.respondents)) }
                    }
                }
            }
        }
        p { a href="/partner/surveys" { "Back to your surveys" } }
    };
    page(chrome, &format!("Results: {}", view.title), body)
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
        h1 { "Research surveys" }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.surveys.is_empty() { p { "No survey has been drafted." } }
        @for item in &view.surveys {
            section aria-labelledby={ "as-" (item.id) } {
                h2 id={ "as-" (item.id) } { (item.title) }
                p { (survey_row(item)) }
                p { "Open from " (crate::layout::time(chrome, &item.opens_at)) " to " (crate::layout::time(chrome, &item.closes_at)) }
                ol {
                    @for question in &item.questions {
                        li { (question.text) @if !question.labels.is_empty() { " — " (question.labels.join(" / ")) } }
                    }
                }
                @if item.status == "pending" {
                    form method="post" action={ "/admin/surveys/" (item.id) "/decide" } {
                        (csrf(chrome))
                        div.field {
                            label for={ "reason-" (item.id) } { "Reason, for the partner" }
                            textarea id={ "reason-" (item.id) } name="reason" rows="2" required maxlength="1000" {}
                        }
                        button type="submit" name="decision" value="approve" { "Approve" }
                        " "
                        button.secondary type="submit" name="decision" value="reject" { "Reject" }
                    }
                }
            }
        }
    };
    page(chrome, "Research surveys", body)
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
        h1 { "Research partners" }
        p { "A research partner sees the de-identified insights and runs surveys of the communities granted to them, and nothing else. Granting turns a member account into a partner account and signs it out everywhere." }
        (notice(view.notice.as_deref()))
        (problem(view.problem.as_deref()))
        @if view.grants.is_empty() {
            p { "No community is granted to anyone." }
        } @else {
            table {
                caption { "Granted communities" }
                thead { tr { th scope="col" { "Partner" } th scope="col" { "Community" } th scope="col" { "Since" } th scope="col" { "Revoke" } } }
                tbody {
                    @for grant in &view.grants {
                        tr {
                            td { (grant.username) }
                            td { (grant.community_name) }
                            td { (crate::layout::time(chrome, &grant.granted_at)) }
                            td {
                                form method="post" action={ "/admin/partners/" (grant.username) "/" (grant.community) "/revoke" } {
                                    (csrf(chrome))
                                    button.secondary type="submit" aria-label={ "Revoke " (grant.community_name) " from " (grant.username) } { "Revoke" }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Grant a community" }
        form method="post" action="/admin/partners" {
            (csrf(chrome))
            div.field {
                label for="g-username" { "Account" }
                input id="g-username" name="username" type="text" required maxlength="32" autocomplete="off";
            }
            div.field {
                label for="g-community" { "Community" }
                select id="g-community" name="community" {
                    @for (slug, name) in &view.communities { option value=(slug) { (name) } }
                }
            }
            button type="submit" { "Grant" }
        }
    };
    page(chrome, "Research partners", body)
}
