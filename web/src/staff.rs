//! Pages for moderators and admins: the moderation queue, the moderation log, members and
//! bans, the site overview and a community's settings. Re-exported from `pages`.

use maud::{html, Markup};

use crate::layout::{
    community_card, count, csrf, form_errors, notice, page, person, post, select, text_area,
    text_field, time, Attrs,
};
use crate::model::{
    AdminPage, Chrome, EditCommunityPage, FormState, MembersPage, ModLogPage, QueuePage,
};

/// The reason a one-click approval records.
pub const DEFAULT_APPROVE_REASON: &str = "Reviewed by a moderator: it keeps the community rules.";

pub fn queue(chrome: &Chrome, view: &QueuePage) -> String {
    let topics = view.live_topics.join(" ");
    let body = html! {
        h1 { "Moderation queue" }
        (notice(view.notice.as_deref()))
        div #queue-live.queue-live data-live-topics=(topics) data-after=(view.last_event_id) aria-live="polite" {}
        (crate::care::wellbeing(chrome, &view.wellbeing))
        (crate::duty::appeals(chrome, &view.appeals))
        @if view.items.is_empty() { p { "Nothing is waiting for a decision. Thank you." } }
        @for item in &view.items {
            @let failed = view.failed.as_ref().filter(|(id, _)| *id == item.id).map(|(_, f)| f);
            @let empty = FormState::new();
            @let form = failed.unwrap_or(&empty);
            section.queue-item aria-labelledby={ "q" (item.id) } {
                h2 id={ "q" (item.id) } { "In " a href={ "/t/" (item.thread_id) } { (item.thread_title) } }
                p.meta { a href={ "/c/" (item.community) } { (item.community) } " · " (item.source) " · since " (time(chrome, &item.created_at))
                    @for label in &item.labels { " " span.tag { (label) } } }
                @if !item.reasons.is_empty() {
                    h3 { "Why it is here" }
                    ul { @for reason in &item.reasons { li { (reason) } } }
                }
                @if !item.reports.is_empty() {
                    h3 { "Reports" }
                    ul { @for (who, reason) in &item.reports { li { (person(who.as_ref())) ": " (reason) } } }
                }
                @if let Some(history) = &item.author_history { p.meta { "About the author: " (history) } }
                (post(chrome, &item.post, false))
                details { summary { "Markdown source" } pre { (item.post_source) } }
                div.actions {
                    @for (action, label, reason) in [("approve", "Approve", crate::staff::DEFAULT_APPROVE_REASON), ("remove", "Remove", item.default_remove_reason.as_str())] {
                        form.inline method="post" action={ "/mod/queue/" (item.id) "/decision" } {
                            (csrf(chrome))
                            input type="hidden" name="action" value=(action);
                            input type="hidden" name="reason" value=(reason);
                            button.secondary[action == "remove"] type="submit" { (label) span.visually-hidden { " this post" } }
                        }
                    }
                    p.muted { "Remove records: “" (item.default_remove_reason) "”" }
                }
                @if !item.removal_reasons.is_empty() {
                    form.inline.canned-remove method="post" action={ "/mod/queue/" (item.id) "/decision" } {
                        (csrf(chrome))
                        input type="hidden" name="action" value="remove";
                        label for={ "canned-" (item.id) } { "Remove with one of this community's reasons" }
                        " "
                        select id={ "canned-" (item.id) } name="reason" {
                            @for reason in &item.removal_reasons {
                                option value=(reason) selected[*reason == item.default_remove_reason] { (reason) }
                            }
                        }
                        " "
                        button.secondary type="submit" { "Remove" span.visually-hidden { " with this reason" } }
                    }
                }
                h3 { "Or decide with your own reason" }
                form method="post" action={ "/mod/queue/" (item.id) "/decision" } {
                    (csrf(chrome))
                    (form_errors(form, &["action", "reason", "note", "sanction"]))
                    fieldset {
                        legend { "Decision" }
                        @for (value, text) in [("approve", "Approve: publish the post"), ("remove", "Remove the post"), ("dismiss", "Dismiss: leave it as it is")] {
                            div.check {
                                input type="radio" name="action" id={ "a-" (item.id) "-" (value) } value=(value) required checked[form.value("action") == value];
                                label for={ "a-" (item.id) "-" (value) } { (text) }
                            }
                        }
                    }
                    (text_field(form, "reason", "Reason (public in the moderation log; shown to the author of a removed post)", "text", None, Attrs::required().max(500)))
                    (text_field(form, "note", "Note for moderators", "text", None, Attrs::default().max(2000)))
                    (select(form, "sanction", "Sanction for the author", &[("", "None"), ("warn", "Warn"), ("suspend", "Suspend"), ("ban", "Ban from the community")]))
                    (text_field(form, "days", "Suspension length in days", "number", None, Attrs::default()))
                    button type="submit" { "Record decision" }
                }
            }
        }
        @if let Some(cursor) = &view.next_cursor { p { a href={ "/mod/queue?cursor=" (cursor) } { "More" } } }
    };
    page(chrome, "Moderation queue", body)
}

pub fn modlog(chrome: &Chrome, view: &ModLogPage) -> String {
    let c = &view.community;
    let body = html! {
        nav aria-label="Breadcrumb" { p.crumbs { a href={ "/c/" (c.slug) } { (c.name) } } }
        h1 { "Moderation log" }
        @if view.entries.is_empty() { p.muted { "No decisions yet." } }
        table {
            caption.visually-hidden { "Moderation decisions, newest first" }
            thead { tr { th scope="col" { "When" } th scope="col" { "Action" } th scope="col" { "Reason" } th scope="col" { "Details" } } }
            tbody {
                @for e in &view.entries {
                    tr {
                        td { (time(chrome, &e.created_at)) }
                        td { (e.action) @if let Some(s) = &e.sanction { " (" (s) ")" } }
                        td { (e.reason) }
                        td {
                            @if let Some(m) = &e.moderator { "by " (person(Some(m))) " " }
                            @if let Some(t) = &e.target { "about " (person(Some(t))) " " }
                            @if let Some(n) = &e.note { span.muted { "Note: " (n) } }
                        }
                    }
                }
            }
        }
        @if let Some(cursor) = &view.next_cursor { p { a href={ "/c/" (c.slug) "/modlog?cursor=" (cursor) } { "Older" } } }
    };
    page(chrome, "Moderation log", body)
}

fn member_rows(
    chrome: &Chrome,
    slug: &str,
    rows: &[(crate::model::Person, String)],
    action: &str,
    label: &str,
) -> Markup {
    html! {
        @if rows.is_empty() { p.muted { "None." } }
        ul.members {
            @for (who, role) in rows {
                li {
                    (person(Some(who))) @if role == "moderator" { " " span.tag { "Moderator" } }
                    @if role != "moderator" {
                        " "
                        form.inline method="post" action={ "/c/" (slug) "/" (action) } {
                            (csrf(chrome))
                            input type="hidden" name="username" value=(who.username);
                            button.secondary type="submit" { (label) span.visually-hidden { " " (who.username) } }
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
        nav aria-label="Breadcrumb" { p.crumbs { a href={ "/c/" (c.slug) } { (c.name) } } }
        h1 { "Members and bans" }
        (notice(view.notice.as_deref()))
        p { a href={ "/c/" (c.slug) "/removal-reasons" } { "Removal reasons" } " this community's moderators offer in the queue" }
        form method="post" action={ "/c/" (c.slug) "/members" } {
            (csrf(chrome))
            (form_errors(&view.form, &["username"]))
            (text_field(&view.form, "username", "Add or approve a member by username", "text", None, Attrs::required()))
            button type="submit" { "Add member" }
        }
        h2 { "Waiting for approval" }
        (member_rows(chrome, &c.slug, &view.pending, "members", "Approve"))
        h2 { "Members" }
        (member_rows(chrome, &c.slug, &view.active, "bans", "Ban"))
        h2 { "Banned" }
        (member_rows(chrome, &c.slug, &view.banned, "unban", "Lift ban"))
    };
    page(chrome, "Members and bans", body)
}

const COMMUNITY_KINDS: [(&str, &str); 3] = [
    ("condition", "Condition community"),
    ("caregiver", "For caregivers"),
    ("general", "General"),
];
const VISIBILITIES: [(&str, &str); 2] = [
    ("public", "Public: anyone can read"),
    (
        "private",
        "Private: only members read it (and, unless it is listed, know it exists)",
    ),
];
const LISTINGS: [(&str, &str); 2] = [
    ("no", "Unlisted: a private community stays hidden"),
    ("yes", "Listed: a private community's name, description and member count show in the directory, and people can ask to join"),
];
const JOIN_POLICIES: [(&str, &str); 2] = [
    ("open", "Open: anyone may join"),
    ("approval", "A moderator approves each request"),
];

/// The languages a community can talk in, as the forms offer them (each in its own name).
fn language_choices() -> Vec<(&'static str, &'static str)> {
    crate::i18n::LANGUAGES
        .iter()
        .map(|lang| (lang.code(), lang.native_name()))
        .collect()
}

pub fn admin(chrome: &Chrome, view: &AdminPage) -> String {
    let (kinds, visibilities, policies) = (COMMUNITY_KINDS, VISIBILITIES, JOIN_POLICIES);
    let slugs: Vec<(&str, &str)> = view
        .communities
        .iter()
        .map(|c| (c.slug.as_str(), c.name.as_str()))
        .collect();
    let o = &view.overview;
    let body = html! {
        h1 { "Administration" }
        (notice(view.notice.as_deref()))
        section aria-labelledby="overview" {
            h2 #overview { "Site overview" }
            p { (count(o.members, "member", "members")) " · " (count(o.published_posts, "published post", "published posts")) " · "
                a href="/mod/queue" { (count(o.open_queue_items, "open queue item", "open queue items")) } }
            div.table-wrap {
                table {
                    caption.visually-hidden { "Communities with their members, posts, open queue items and moderators" }
                    thead { tr { th scope="col" { "Community" } th scope="col" { "Members" } th scope="col" { "Posts" }
                        th scope="col" { "Queue" } th scope="col" { "Moderators" } th scope="col" { span.visually-hidden { "Actions" } } } }
                    tbody {
                        @for c in &o.communities {
                            tr {
                                th scope="row" { a href={ "/c/" (c.slug) } { (c.name) } @if c.visibility == "private" { " (private)" } }
                                td { (c.members) } td { (c.published_posts) } td { (c.open_queue_items) }
                                td { @if c.moderators.is_empty() { span.muted { "none" } } @else { (c.moderators.join(", ")) } }
                                td { a href={ "/admin/c/" (c.slug) } { "Edit" span.visually-hidden { " " (c.name) } } }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="create" {
            h2 #create { "Create a community" }
            form method="post" action="/admin/communities" {
                (csrf(chrome))
                (form_errors(&view.create, &["slug", "name", "description", "rules", "kind", "condition_tags", "visibility", "join_policy", "listed", "language"]))
                (text_field(&view.create, "name", "Name", "text", None, Attrs::required().max(100)))
                (text_field(&view.create, "slug", "Address", "text", Some("Used in the URL: lowercase letters, digits and hyphens, e.g. lung-cancer."), Attrs::required().max(48)))
                (text_area(&view.create, "description", "Description", None, 3, Attrs::default().max(2000)))
                (text_area(&view.create, "rules", "Rules", Some("Markdown."), 6, Attrs::default().max(20000)))
                (select(&view.create, "kind", "Kind", &kinds))
                (text_field(&view.create, "condition_tags", "Conditions", "text", Some("Separated by commas."), Attrs::default()))
                (select(&view.create, "visibility", "Visibility", &visibilities))
                (select(&view.create, "join_policy", "Joining", &policies))
                (select(&view.create, "listed", "Directory listing", &LISTINGS))
                (select(&view.create, "language", "Language", &language_choices()))
                button type="submit" { "Create community" }
            }
        }
        section aria-labelledby="appoint" {
            h2 #appoint { "Appoint a moderator" }
            form method="post" action="/admin/moderators" {
                (csrf(chrome))
                (form_errors(&view.appoint, &["community", "username"]))
                (select(&view.appoint, "community", "Community", &slugs))
                (text_field(&view.appoint, "username", "Username", "text", None, Attrs::required()))
                button type="submit" { "Appoint" }
            }
        }
        section aria-labelledby="all" {
            h2 #all { "All communities" }
            ul.cards { @for c in &view.communities { (community_card(chrome, c)) } }
        }
    };
    page(chrome, "Administration", body)
}

pub fn edit_community(chrome: &Chrome, view: &EditCommunityPage) -> String {
    let body = html! {
        p { a href="/admin" { "← Administration" } }
        h1 { "Edit " (view.name) }
        (notice(view.notice.as_deref()))
        form method="post" action={ "/admin/c/" (view.slug) } {
            (csrf(chrome))
            (form_errors(&view.form, &["name", "description", "rules", "kind", "condition_tags", "visibility", "join_policy", "listed", "language"]))
            (text_field(&view.form, "name", "Name", "text", None, Attrs::required().max(100)))
            (text_area(&view.form, "description", "Description", None, 3, Attrs::default().max(2000)))
            (text_area(&view.form, "rules", "Rules", Some("Markdown."), 6, Attrs::default().max(20000)))
            (select(&view.form, "kind", "Kind", &COMMUNITY_KINDS))
            (text_field(&view.form, "condition_tags", "Conditions", "text", Some("Separated by commas."), Attrs::default()))
            (select(&view.form, "visibility", "Visibility", &VISIBILITIES))
            (select(&view.form, "join_policy", "Joining", &JOIN_POLICIES))
            (select(&view.form, "listed", "Directory listing", &LISTINGS))
            (select(&view.form, "language", "Language", &language_choices()))
            button type="submit" { "Save changes" }
        }
        section aria-labelledby="screening" {
            h2 #screening { "Screening policy" }
            p { "For each label (" code { "promotion" } ", " code { "misinformation" } ", " code { "personal_info" } "): the scores from 0 to 1 at which a post is "
                code { "flag" } "ged for review, " code { "hold" } "-ed until a moderator decides, or " code { "reject" } "-ed (" code { "null" } ": never), with flag ≤ hold ≤ reject; and "
                code { "flag_instead_of_hold" } ": the trust levels (0–3) whose posts are only flagged where they would be held." }
            form method="post" action={ "/admin/c/" (view.slug) "/policy" } {
                (csrf(chrome))
                (form_errors(&view.policy, &["policy"]))
                (text_area(&view.policy, "policy", "Policy (JSON)", Some("Fields left out take the defaults."), 18, Attrs::required().max(20000)))
                button type="submit" { "Save policy" }
            }
        }
        section aria-labelledby="mods" {
            h2 #mods { "Moderators" }
            @if view.moderators.is_empty() { p.muted { "No moderators yet. Appoint one on the administration page." } }
            ul {
                @for name in &view.moderators {
                    li {
                        a href={ "/u/" (name) } { (name) } " "
                        form.inline method="post" action={ "/admin/c/" (view.slug) "/moderators/" (name) "/remove" } {
                            (csrf(chrome))
                            button.link type="submit" { "Remove as moderator" span.visually-hidden { ": " (name) } }
                        }
                    }
                }
            }
        }
    };
    page(chrome, &format!("Edit {}", view.name), body)
}
