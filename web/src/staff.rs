//! Pages for moderators and admins: the moderation queue, the moderation log, members and
//! bans, the site overview and a community's settings. Re-exported from `pages`.

use maud::{html, Markup};

use crate::layout::{
    community_card, csrf, form_errors, form_errors_in, notice, page, person_in, post, select,
    text_area, text_field, time, Attrs,
};
use crate::model::{
    AdminPage, Chrome, EditCommunityPage, FormState, MembersPage, ModLogPage, QueuePage,
};

/// The reason a one-click approval records.
pub const DEFAULT_APPROVE_REASON: &str = "Reviewed by a moderator: it keeps the community rules.";

pub fn queue(chrome: &Chrome, view: &QueuePage) -> String {
    let topics = view.live_topics.join(" ");
    let lang = chrome.lang;
    let sanction_words = [
        chrome.t("queue-sanction-none"),
        chrome.t("queue-sanction-warn"),
        chrome.t("queue-sanction-suspend"),
        chrome.t("queue-sanction-ban"),
    ];
    let sanctions = [
        ("", sanction_words[0].as_str()),
        ("warn", sanction_words[1].as_str()),
        ("suspend", sanction_words[2].as_str()),
        ("ban", sanction_words[3].as_str()),
    ];
    let body = html! {
        h1 { (chrome.t("queue-title")) }
        (notice(view.notice.as_deref()))
        div #queue-live.queue-live data-live-topics=(topics) data-after=(view.last_event_id) aria-live="polite" {}
        (crate::care::wellbeing(chrome, &view.wellbeing))
        (crate::duty::appeals(chrome, &view.appeals))
        @if view.items.is_empty() { p { (chrome.t("queue-empty")) } }
        @for item in &view.items {
            @let failed = view.failed.as_ref().filter(|(id, _)| *id == item.id).map(|(_, f)| f);
            @let empty = FormState::new();
            @let form = failed.unwrap_or(&empty);
            section.queue-item aria-labelledby={ "q" (item.id) } {
                h2 id={ "q" (item.id) } { (chrome.t("queue-in")) " " a href={ "/t/" (item.thread_id) } { (item.thread_title) } }
                p.meta { a href={ "/c/" (item.community) } { (item.community) } " · " (item.source) " · " (chrome.t("blocks-since")) " " (time(chrome, &item.created_at))
                    @for label in &item.labels { " " span.tag { (label) } } }
                @if !item.reasons.is_empty() {
                    h3 { (chrome.t("queue-why")) }
                    ul { @for reason in &item.reasons { li { (reason) } } }
                }
                @if !item.reports.is_empty() {
                    h3 { (chrome.t("queue-reports")) }
                    ul { @for (who, reason) in &item.reports { li { (person_in(lang, who.as_ref())) ": " (reason) } } }
                }
                @if let Some(history) = &item.author_history { p.meta { (chrome.t("queue-about-author")) " " (history) } }
                (post(chrome, &item.post, false))
                details { summary { (chrome.t("queue-source")) } pre { (item.post_source) } }
                div.actions {
                    @for (action, label, reason) in [("approve", "queue-approve", crate::staff::DEFAULT_APPROVE_REASON), ("remove", "reasons-remove", item.default_remove_reason.as_str())] {
                        form.inline method="post" action={ "/mod/queue/" (item.id) "/decision" } {
                            (csrf(chrome))
                            input type="hidden" name="action" value=(action);
                            input type="hidden" name="reason" value=(reason);
                            button.secondary[action == "remove"] type="submit" { (chrome.t(label)) span.visually-hidden { " " (chrome.t("queue-this-post")) } }
                        }
                    }
                    p.muted { (chrome.t_args("queue-remove-records", &[("reason", item.default_remove_reason.clone().into())])) }
                }
                @if !item.removal_reasons.is_empty() {
                    form.inline.canned-remove method="post" action={ "/mod/queue/" (item.id) "/decision" } {
                        (csrf(chrome))
                        input type="hidden" name="action" value="remove";
                        label for={ "canned-" (item.id) } { (chrome.t("queue-canned")) }
                        " "
                        select id={ "canned-" (item.id) } name="reason" {
                            @for reason in &item.removal_reasons {
                                option value=(reason) selected[*reason == item.default_remove_reason] { (reason) }
                            }
                        }
                        " "
                        button.secondary type="submit" { (chrome.t("reasons-remove")) span.visually-hidden { " " (chrome.t("queue-with-reason")) } }
                    }
                }
                h3 { (chrome.t("queue-own-reason")) }
                form method="post" action={ "/mod/queue/" (item.id) "/decision" } {
                    (csrf(chrome))
                    (form_errors_in(lang, form, &["action", "reason", "note", "sanction"]))
                    fieldset {
                        legend { (chrome.t("queue-decision")) }
                        @for (value, key) in [("approve", "queue-decide-approve"), ("remove", "queue-decide-remove"), ("dismiss", "queue-decide-dismiss")] {
                            div.check {
                                input type="radio" name="action" id={ "a-" (item.id) "-" (value) } value=(value) required checked[form.value("action") == value];
                                label for={ "a-" (item.id) "-" (value) } { (chrome.t(key)) }
                            }
                        }
                    }
                    (text_field(form, "reason", &chrome.t("queue-reason"), "text", None, Attrs::required().max(500).in_lang(lang)))
                    (text_field(form, "note", &chrome.t("queue-note"), "text", None, Attrs::default().max(2000).in_lang(lang)))
                    (select(form, "sanction", &chrome.t("queue-sanction"), &sanctions))
                    (text_field(form, "days", &chrome.t("queue-days"), "number", None, Attrs::default().in_lang(lang)))
                    button type="submit" { (chrome.t("queue-record")) }
                }
            }
        }
        @if let Some(cursor) = &view.next_cursor { p { a href={ "/mod/queue?cursor=" (cursor) } { (chrome.t("queue-more")) } } }
    };
    page(chrome, &chrome.t("queue-title"), body)
}

pub fn modlog(chrome: &Chrome, view: &ModLogPage) -> String {
    let c = &view.community;
    let body = html! {
        nav aria-label=(chrome.t("thread-breadcrumb")) { p.crumbs { a href={ "/c/" (c.slug) } { (c.name) } } }
        h1 { (chrome.t("community-modlog")) }
        @if view.entries.is_empty() { p.muted { (chrome.t("modlog-none")) } }
        table {
            caption.visually-hidden { (chrome.t("modlog-caption")) }
            thead { tr { th scope="col" { (chrome.t("modlog-when")) } th scope="col" { (chrome.t("duty-action")) } th scope="col" { (chrome.t("modlog-reason")) } th scope="col" { (chrome.t("modlog-details")) } } }
            tbody {
                @for e in &view.entries {
                    tr {
                        td { (time(chrome, &e.created_at)) }
                        td { (e.action) @if let Some(s) = &e.sanction { " (" (s) ")" } }
                        td { (e.reason) }
                        td {
                            @if let Some(m) = &e.moderator { (chrome.t("modlog-by")) " " (person_in(chrome.lang, Some(m))) " " }
                            @if let Some(t) = &e.target { (chrome.t("modlog-about")) " " (person_in(chrome.lang, Some(t))) " " }
                            @if let Some(n) = &e.note { span.muted { (chrome.t("modlog-note")) " " (n) } }
                        }
                    }
                }
            }
        }
        @if let Some(cursor) = &view.next_cursor { p { a href={ "/c/" (c.slug) "/modlog?cursor=" (cursor) } { (chrome.t("modlog-older")) } } }
    };
    page(chrome, &chrome.t("community-modlog"), body)
}

fn member_rows(
    chrome: &Chrome,
    slug: &str,
    rows: &[(crate::model::Person, String)],
    action: &str,
    // The catalogue key of the button's words.
    label: &str,
) -> Markup {
    html! {
        @if rows.is_empty() { p.muted { (chrome.t("members-none")) } }
        ul.members {
            @for (who, role) in rows {
                li {
                    (person_in(chrome.lang, Some(who))) @if role == "moderator" { " " span.tag { (chrome.t("badge-moderator")) } }
                    @if role != "moderator" {
                        " "
                        form.inline method="post" action={ "/c/" (slug) "/" (action) } {
                            (csrf(chrome))
                            input type="hidden" name="username" value=(who.username);
                            button.secondary type="submit" { (chrome.t(label)) span.visually-hidden { " " (who.username) } }
                        }
                    }
                }
            }
        }
    }
}

pub fn members(chrome: &Chrome, view: &MembersPage) -> String {
    let c = &view.community;
    let body = html! {
        nav aria-label=(chrome.t("thread-breadcrumb")) { p.crumbs { a href={ "/c/" (c.slug) } { (c.name) } } }
        h1 { (chrome.t("community-members-bans")) }
        (notice(view.notice.as_deref()))
        p { a href={ "/c/" (c.slug) "/removal-reasons" } { (chrome.t("reasons-title")) } " " (chrome.t("members-reasons-after")) }
        form method="post" action={ "/c/" (c.slug) "/members" } {
            (csrf(chrome))
            (form_errors_in(chrome.lang, &view.form, &["username"]))
            (text_field(&view.form, "username", &chrome.t("members-add-label"), "text", None, Attrs::required().in_lang(chrome.lang)))
            button type="submit" { (chrome.t("members-add")) }
        }
        h2 { (chrome.t("members-pending")) }
        (member_rows(chrome, &c.slug, &view.pending, "members", "queue-approve"))
        h2 { (chrome.t("members-active")) }
        (member_rows(chrome, &c.slug, &view.active, "bans", "members-ban"))
        h2 { (chrome.t("members-banned")) }
        (member_rows(chrome, &c.slug, &view.banned, "unban", "members-lift-ban"))
    };
    page(chrome, &chrome.t("community-members-bans"), body)
}

/// The community settings' choices, `(value, catalogue id)`.
const COMMUNITY_KINDS: [(&str, &str); 3] = [
    ("condition", "kind-condition"),
    ("caregiver", "kind-caregiver"),
    ("general", "kind-general"),
];
const VISIBILITIES: [(&str, &str); 2] = [
    ("public", "admin-opt-public"),
    ("private", "admin-opt-private"),
];
const LISTINGS: [(&str, &str); 2] = [("no", "admin-opt-unlisted"), ("yes", "admin-opt-listed")];
const JOIN_POLICIES: [(&str, &str); 2] = [
    ("open", "admin-opt-open"),
    ("approval", "admin-opt-approval"),
];

/// A select's `(value, catalogue id)` choices as `(value, words)` in the reader's language.
fn choices(chrome: &Chrome, options: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    options
        .iter()
        .map(|(value, key)| (*value, chrome.t(key)))
        .collect()
}

/// The `(value, label)` pairs `select` takes.
fn as_options<'a>(choices: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    choices.iter().map(|(v, t)| (*v, t.as_str())).collect()
}

/// The languages a community can talk in, as the forms offer them (each in its own name).
fn language_choices() -> Vec<(&'static str, &'static str)> {
    crate::i18n::LANGUAGES
        .iter()
        .map(|lang| (lang.code(), lang.native_name()))
        .collect()
}

pub fn admin(chrome: &Chrome, view: &AdminPage) -> String {
    let (kinds, visibilities) = (
        choices(chrome, &COMMUNITY_KINDS),
        choices(chrome, &VISIBILITIES),
    );
    let (policies, listings) = (choices(chrome, &JOIN_POLICIES), choices(chrome, &LISTINGS));
    let slugs: Vec<(&str, &str)> = view
        .communities
        .iter()
        .map(|c| (c.slug.as_str(), c.name.as_str()))
        .collect();
    let o = &view.overview;
    let body = html! {
        h1 { (chrome.t("admin-title")) }
        (notice(view.notice.as_deref()))
        section aria-labelledby="overview" {
            h2 #overview { (chrome.t("admin-overview")) }
            p { (chrome.t_args("overview-members", &[("count", o.members.into())])) " · " (chrome.t_args("overview-published-posts", &[("count", o.published_posts.into())])) " · "
                a href="/mod/queue" { (chrome.t_args("overview-open-queue-items", &[("count", o.open_queue_items.into())])) } }
            div.table-wrap {
                table {
                    caption.visually-hidden { (chrome.t("admin-overview-caption")) }
                    thead { tr { th scope="col" { (chrome.t("admin-col-community")) } th scope="col" { (chrome.t("admin-col-members")) } th scope="col" { (chrome.t("admin-col-posts")) }
                        th scope="col" { (chrome.t("admin-col-queue")) } th scope="col" { (chrome.t("admin-col-moderators")) } th scope="col" { span.visually-hidden { (chrome.t("admin-col-actions")) } } } }
                    tbody {
                        @for c in &o.communities {
                            tr {
                                th scope="row" { a href={ "/c/" (c.slug) } { (c.name) } @if c.visibility == "private" { " " (chrome.t("admin-private-mark")) } }
                                td { (c.members) } td { (c.published_posts) } td { (c.open_queue_items) }
                                td { @if c.moderators.is_empty() { span.muted { (chrome.t("admin-no-moderators-cell")) } } @else { (c.moderators.join(", ")) } }
                                td { a href={ "/admin/c/" (c.slug) } { (chrome.t("admin-edit")) span.visually-hidden { " " (c.name) } } }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="create" {
            h2 #create { (chrome.t("admin-create-heading")) }
            form method="post" action="/admin/communities" {
                (csrf(chrome))
                (form_errors(&view.create, &["slug", "name", "description", "rules", "kind", "condition_tags", "visibility", "join_policy", "listed", "language"]))
                (text_field(&view.create, "name", &chrome.t("admin-field-name"), "text", None, Attrs::required().max(100)))
                (text_field(&view.create, "slug", &chrome.t("admin-field-address"), "text", Some(&chrome.t("admin-hint-address")), Attrs::required().max(48)))
                (text_area(&view.create, "description", &chrome.t("admin-field-description"), None, 3, Attrs::default().max(2000)))
                (text_area(&view.create, "rules", &chrome.t("admin-field-rules"), Some(&chrome.t("admin-hint-markdown")), 6, Attrs::default().max(20000)))
                (select(&view.create, "kind", &chrome.t("admin-field-kind"), &as_options(&kinds)))
                (text_field(&view.create, "condition_tags", &chrome.t("admin-field-conditions"), "text", Some(&chrome.t("admin-hint-commas")), Attrs::default()))
                (select(&view.create, "visibility", &chrome.t("admin-field-visibility"), &as_options(&visibilities)))
                (select(&view.create, "join_policy", &chrome.t("admin-field-joining"), &as_options(&policies)))
                (select(&view.create, "listed", &chrome.t("admin-field-listing"), &as_options(&listings)))
                (select(&view.create, "language", &chrome.t("admin-field-language"), &language_choices()))
                button type="submit" { (chrome.t("admin-create-button")) }
            }
        }
        section aria-labelledby="appoint" {
            h2 #appoint { (chrome.t("admin-appoint-heading")) }
            form method="post" action="/admin/moderators" {
                (csrf(chrome))
                (form_errors(&view.appoint, &["community", "username"]))
                (select(&view.appoint, "community", &chrome.t("admin-field-community"), &slugs))
                (text_field(&view.appoint, "username", &chrome.t("admin-field-username"), "text", None, Attrs::required()))
                button type="submit" { (chrome.t("admin-appoint-button")) }
            }
        }
        section aria-labelledby="all" {
            h2 #all { (chrome.t("admin-all-communities")) }
            ul.cards { @for c in &view.communities { (community_card(chrome, c)) } }
        }
    };
    page(chrome, &chrome.t("admin-title"), body)
}

pub fn edit_community(chrome: &Chrome, view: &EditCommunityPage) -> String {
    let (kinds, visibilities) = (
        choices(chrome, &COMMUNITY_KINDS),
        choices(chrome, &VISIBILITIES),
    );
    let (policies, listings) = (choices(chrome, &JOIN_POLICIES), choices(chrome, &LISTINGS));
    let body = html! {
        p { a href="/admin" { "← " (chrome.t("admin-title")) } }
        h1 { (chrome.t_args("admin-edit-title", &[("community", view.name.as_str().into())])) }
        (notice(view.notice.as_deref()))
        form method="post" action={ "/admin/c/" (view.slug) } {
            (csrf(chrome))
            (form_errors(&view.form, &["name", "description", "rules", "kind", "condition_tags", "visibility", "join_policy", "listed", "language"]))
            (text_field(&view.form, "name", &chrome.t("admin-field-name"), "text", None, Attrs::required().max(100)))
            (text_area(&view.form, "description", &chrome.t("admin-field-description"), None, 3, Attrs::default().max(2000)))
            (text_area(&view.form, "rules", &chrome.t("admin-field-rules"), Some(&chrome.t("admin-hint-markdown")), 6, Attrs::default().max(20000)))
            (select(&view.form, "kind", &chrome.t("admin-field-kind"), &as_options(&kinds)))
            (text_field(&view.form, "condition_tags", &chrome.t("admin-field-conditions"), "text", Some(&chrome.t("admin-hint-commas")), Attrs::default()))
            (select(&view.form, "visibility", &chrome.t("admin-field-visibility"), &as_options(&visibilities)))
            (select(&view.form, "join_policy", &chrome.t("admin-field-joining"), &as_options(&policies)))
            (select(&view.form, "listed", &chrome.t("admin-field-listing"), &as_options(&listings)))
            (select(&view.form, "language", &chrome.t("admin-field-language"), &language_choices()))
            button type="submit" { (chrome.t("admin-save-changes")) }
        }
        section aria-labelledby="screening" {
            h2 #screening { (chrome.t("admin-screening-heading")) }
            p { (chrome.t("policy-explained-labels")) " " code { "promotion" } ", " code { "misinformation" } ", " code { "personal_info" } ". "
                (chrome.t("policy-explained-scores")) " " code { "flag" } ", " code { "hold" } ", " code { "reject" } " (" code { "null" } ": " (chrome.t("policy-explained-never")) "). "
                code { "flag_instead_of_hold" } ": " (chrome.t("policy-explained-trust")) }
            form method="post" action={ "/admin/c/" (view.slug) "/policy" } {
                (csrf(chrome))
                (form_errors(&view.policy, &["policy"]))
                (text_area(&view.policy, "policy", &chrome.t("admin-field-policy"), Some(&chrome.t("admin-hint-policy")), 18, Attrs::required().max(20000)))
                button type="submit" { (chrome.t("admin-save-policy")) }
            }
        }
        section aria-labelledby="mods" {
            h2 #mods { (chrome.t("admin-col-moderators")) }
            @if view.moderators.is_empty() { p.muted { (chrome.t("admin-no-moderators")) } }
            ul {
                @for name in &view.moderators {
                    li {
                        a href={ "/u/" (name) } { (name) } " "
                        form.inline method="post" action={ "/admin/c/" (view.slug) "/moderators/" (name) "/remove" } {
                            (csrf(chrome))
                            button.link type="submit" { (chrome.t("admin-remove-moderator")) span.visually-hidden { ": " (name) } }
                        }
                    }
                }
            }
        }
    };
    page(
        chrome,
        &chrome.t_args(
            "admin-edit-title",
            &[("community", view.name.as_str().into())],
        ),
        body,
    )
}
