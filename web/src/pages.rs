//! One function per page: view model in, HTML document out. The pages of moderators and
//! admins are in `staff.rs`, re-exported here.

use maud::{html, Markup, PreEscaped};

pub use crate::staff::{admin, edit_community, members, modlog, queue};

use crate::i18n::Lang;
use crate::layout::{
    community_card, condition_label, csrf, edit_post_form, form_errors_in, idempotency_key,
    kind_label_in, notice, page, person_in, post, reaction_bar, report_post_form, select,
    staff_badge_in, text_area, text_field, thread_list, time, Attrs,
};
use crate::model::{
    Chrome, CommunityPage, Directory, FormState, Home, NewThreadPage, NotificationsPage, Profile,
    SearchPage, Settings, ThreadPage,
};

// maud's `html!` expands `@match` and `@if let` into these shapes.
#[allow(clippy::single_match_else)]
pub fn home(chrome: &Chrome, home: &Home) -> String {
    let search = html! {
        form.search method="get" action="/search" role="search" aria-label=(chrome.t("home-search-label")) {
            label for="home-q" { (chrome.t("home-search-find")) }
            input #home-q type="search" name="q" placeholder=(chrome.t("home-search-placeholder"));
            button type="submit" { (chrome.t("search-button")) }
        }
    };
    let body = match &chrome.user {
        Some(user) => html! {
            h1 { (chrome.t_args("home-welcome-back", &[("name", user.username.as_str().into())])) }
            (search)
            @if home.moderates && !user.is_admin {
                p { a href="/mod/queue" { (chrome.t("home-open-queue")) } }
            }
            @if !home.pending.is_empty() {
                p.alert.alert-ok { (chrome.t("home-pending")) " "
                    (home.pending.join(", ")) "." }
            }
            @if !home.new_activity.is_empty() {
                section aria-labelledby="activity" {
                    h2 #activity { (chrome.t("home-new-for-you")) }
                    ul.activity {
                        @for item in &home.new_activity {
                            li { (item.summary) " " (chrome.t("thread-in")) " "
                                a href={ "/p/" (item.post_id) "?n=" (item.id) } { (item.thread_title) } }
                        }
                    }
                    p { a href="/notifications" { (chrome.t("home-all-notifications")) } }
                }
            }
            section aria-labelledby="mine" {
                h2 #mine { (chrome.t("home-your-communities")) }
                @if home.my_communities.is_empty() {
                    p { (chrome.t("home-none-joined")) " "
                        a href="/communities" { (chrome.t("home-find-one")) } "." }
                } @else {
                    ul.cards { @for c in &home.my_communities { (community_card(chrome, c)) } }
                }
            }
            section aria-labelledby="recent" {
                h2 #recent { (chrome.t("home-recent-threads")) }
                (thread_list(chrome, &home.recent_threads, true))
                p { a.button href="/new" { (chrome.t("start-thread")) } }
            }
            @if !home.suggested.is_empty() {
                section aria-labelledby="suggested" {
                    h2 #suggested { (chrome.t("home-suggested")) }
                    p.muted { (chrome.t("home-suggested-matched")) " " a href="/me" { (chrome.t("home-suggested-profile")) } "." }
                    ul.cards { @for c in &home.suggested { (community_card(chrome, c)) } }
                }
            }
        },
        None => html! {
            section.intro {
                h1 { (chrome.t("home-intro-title")) }
                p.lead { (chrome.t("home-intro-lead")) }
                p { a.button href="/register" { (chrome.t("nav-join")) } " " a href="/login" { (chrome.t("nav-sign-in")) } }
            }
            (search)
            section aria-labelledby="dir" {
                h2 #dir { (chrome.t("nav-communities")) }
                ul.cards { @for c in &home.directory { (community_card(chrome, c)) } }
                p { a href="/communities" { (chrome.t("home-filter-directory")) } }
            }
        },
    };
    page(chrome, &chrome.t("home-title"), body)
}

pub fn directory(chrome: &Chrome, dir: &Directory) -> String {
    let kind = dir.kind.as_deref().unwrap_or_default();
    let condition = dir.condition.as_deref().unwrap_or_default();
    let language = dir.language.as_deref().unwrap_or_default();
    let body = html! {
        h1 { (chrome.t("nav-communities")) }
        form.filters method="get" action="/communities" role="search" aria-label=(chrome.t("dir-filter-label")) {
            div.field {
                label for="kind" { (chrome.t("dir-kind")) }
                select #kind name="kind" {
                    option value="" selected[kind.is_empty()] { (chrome.t("dir-all-kinds")) }
                    @for (value, text) in [("condition", "dir-kind-condition"), ("caregiver", "kind-caregiver"), ("general", "kind-general")] {
                        option value=(value) selected[kind == value] { (chrome.t(text)) }
                    }
                }
            }
            div.field {
                label for="condition" { (chrome.t("dir-condition")) }
                select #condition name="condition" {
                    option value="" selected[condition.is_empty()] { (chrome.t("dir-all-conditions")) }
                    @for tag in &dir.conditions {
                        option value=(tag) selected[condition == tag] { (tag) }
                    }
                }
            }
            div.field {
                label for="language" { (chrome.t("dir-language")) }
                select #language name="language" {
                    option value="" selected[language.is_empty()] { (chrome.t("dir-all-languages")) }
                    @for lang in crate::i18n::LANGUAGES {
                        option value=(lang.code()) lang=(lang.code()) selected[language == lang.code()] { (lang.native_name()) }
                    }
                }
            }
            button type="submit" { (chrome.t("dir-filter")) }
        }
        @if dir.communities.is_empty() {
            p { (chrome.t("dir-none-match")) " " a href="/communities" { (chrome.t("dir-show-all")) } }
        } @else {
            ul.cards { @for c in &dir.communities { (community_card(chrome, c)) } }
        }
    };
    page(chrome, &chrome.t("nav-communities"), body)
}

pub fn community(chrome: &Chrome, view: &CommunityPage) -> String {
    let c = &view.community;
    let state = view.membership.as_ref().map(|(_, state)| state.as_str());
    let body = html! {
        (notice(view.notice.as_deref()))
        h1 { (c.name) }
        p.meta {
            span.tag { (kind_label_in(chrome.lang, &c.kind)) }
            @for tag in &c.condition_tags { " " span.tag.tag-soft { (condition_label(tag)) } }
            " · " (chrome.count("count-members", c.member_count))
        }
        @if !c.description.is_empty() { p.lead { (c.description) } }
        div.actions {
            @match (&chrome.user, state) {
                (None, _) => p { a href={ "/login?next=/c/" (c.slug) } { (chrome.t("nav-sign-in")) } " " (chrome.t("community-or")) " " a href="/register" { (chrome.t("community-join-kindred")) } " " (chrome.t("community-to-take-part")) },
                (Some(_), Some("active")) => {
                    a.button href={ "/new?community=" (c.slug) } { (chrome.t("start-thread")) }
                    form.inline method="post" action={ "/c/" (c.slug) "/leave" } {
                        (csrf(chrome)) button.secondary type="submit" { (chrome.t("community-leave")) }
                    }
                },
                (Some(_), Some("pending")) => p { (chrome.t("community-pending")) },
                (Some(_), Some("banned")) => p { (chrome.t("community-banned")) },
                (Some(_), _) => form.inline method="post" action={ "/c/" (c.slug) "/join" } {
                    (csrf(chrome))
                    button type="submit" { @if c.join_policy == "approval" { (chrome.t("community-ask-to-join")) } @else { (chrome.t("community-join")) } }
                },
            }
            @if view.is_moderator {
                a href={ "/mod/queue?community=" (c.slug) } { (chrome.t("community-mod-queue")) } " · "
                a href={ "/c/" (c.slug) "/members" } { (chrome.t("community-members-bans")) } " · "
            }
            @if state == Some("active") || view.is_moderator {
                a href={ "/c/" (c.slug) "/modlog" } { (chrome.t("community-modlog")) }
            }
        }
        div.columns {
            section.threads-section aria-labelledby="threads" {
                h2 #threads { (chrome.t("community-threads")) }
                @if view.members_only {
                    p { (chrome.t("community-members-only")) }
                }
                @else { (thread_list(chrome, &view.threads, false)) }
                @if let Some(cursor) = &view.next_cursor {
                    p { a href={ "/c/" (c.slug) "?cursor=" (cursor) } { (chrome.t("community-older-threads")) } }
                }
            }
            aside aria-labelledby="rules" {
                h2 #rules { (chrome.t("community-rules")) }
                @if view.rules_html.is_empty() { p.muted { (chrome.t("community-no-rules")) } }
                @else { div.rules { (PreEscaped(&view.rules_html)) } }
            }
        }
    };
    page(chrome, &c.name, body)
}

pub fn thread(chrome: &Chrome, view: &ThreadPage) -> String {
    let t = &view.thread;
    let body = html! {
        nav aria-label=(chrome.t("thread-breadcrumb")) { p.crumbs { a href={ "/c/" (t.community) } { (view.community_name) } } }
        (notice(view.notice.as_deref()))
        h1 { (t.title) }
        p.meta {
            @if t.pinned { span.tag { (chrome.t("thread-pinned")) } " " }
            @if t.locked { span.tag { (chrome.t("thread-locked")) } " " }
            (chrome.t("thread-started-by")) " " (person_in(chrome.lang, t.author.as_ref()))
        }
        @if let Some(unread) = t.unread.as_ref().filter(|u| u.new_posts > 0) {
            @if let Some(first) = &unread.first_unread_post_id {
                p.jump-unread {
                    a.button.secondary href={ "/p/" (first) } { (chrome.t("thread-jump-unread")) }
                    " " (chrome.count("count-new", unread.new_posts)) " " (chrome.t("since-last-visit"))
                }
            }
        }
        @if view.is_moderator { (thread_tools(chrome, t)) }
        @if let Some(range) = view.range.as_ref().filter(|r| r.earlier_href.is_some() || view.next_cursor.is_some()) {
            nav.pager aria-label=(chrome.t("thread-pages")) {
                p {
                    (chrome.t_args("thread-range", &[("first", range.first.into()), ("last", range.last.into()), ("total", range.total.into())]))
                    @if let Some(href) = &range.earlier_href { " · " a href=(href) rel="prev" { (chrome.t("thread-earlier")) } }
                    @if let Some(cursor) = &view.next_cursor { " · " a href={ "/t/" (t.id) "?cursor=" (cursor) } rel="next" { (chrome.t("thread-later")) } }
                }
            }
        }
        div #posts.posts data-live-topic={ "thread:" (t.id) } data-after=(view.last_event_id)
            data-me=[chrome.user.as_ref().map(|u| &u.username)]
            data-collapse-notes=(view.collapse_content_notes.join(",")) {
            @for p in &view.posts {
                (post(chrome, p, view.signed_in))
                @if view.is_moderator && p.status != "removed" && !p.deleted { (remove_post_form(chrome, &p.thread_id, &p.id)) }
                @if view.can_reply && p.status == "published" && !p.deleted {
                    (quote_link(chrome, &t.id, &p.id, &p.author.as_ref().map_or_else(|| chrome.t("former-member"), |a| a.display_name.clone())))
                }
            }
        }
        @if view.is_moderator {
            // Copied by app.js beside replies that arrive over the websocket.
            template #remove-post-template { (remove_post_form(chrome, &t.id, TEMPLATE_POST_ID)) }
        }
        @if view.signed_in {
            // Copied by app.js into replies that arrive without a reload, as the server
            // gives them to the posts it renders: Edit for the reader's own, Report for others'.
            template #edit-post-template { (edit_post_form(chrome, &t.id, TEMPLATE_POST_ID, "", &FormState::new())) }
            template #report-post-template { (report_post_form(chrome, &t.id, TEMPLATE_POST_ID)) }
            @if view.can_reply {
                // Copied by app.js after replies that arrive without a reload.
                template #quote-template { (quote_link(chrome, &t.id, TEMPLATE_POST_ID, "")) }
            }
            template #reactions-template { (reaction_bar(chrome, &t.id, TEMPLATE_POST_ID, &view.new_post_reactions)) }
        }
        @if let Some(cursor) = &view.next_cursor {
            p { a href={ "/t/" (t.id) "?cursor=" (cursor) } rel="next" { (chrome.t("thread-later")) } }
        }
        @if t.locked {
            p.alert.locked role="note" { (chrome.t("thread-locked-note"))
                @if view.can_reply { " " (chrome.t("thread-locked-moderator")) } }
        }
        @if view.can_reply {
            section aria-labelledby="reply" {
                h2 #reply { (chrome.t("thread-reply")) }
                form.reply-form method="post" action={ "/t/" (t.id) "/reply" } data-api={ "/api/v1/threads/" (t.id) "/posts" } {
                    (csrf(chrome))
                    (idempotency_key(&view.reply))
                    // The post this reply answers ("Reply to this"); empty for the thread.
                    input type="hidden" name="reply_to" value=(view.reply.value("reply_to"));
                    (form_errors_in(chrome.lang, &view.reply, &["body", "reply_to"]))
                    (crate::advice::nudge(chrome.lang, &view.reply))
                    (text_area(&view.reply, "body", &chrome.t("thread-your-reply"), Some(&chrome.t("thread-reply-hint")), 6, Attrs::required().max(20000).in_lang(chrome.lang)))
                    (crate::content_notes::note_boxes(chrome.lang, &view.reply, "reply"))
                    button type="submit" { (crate::advice::submit_label(chrome.lang, &view.reply, &chrome.t("thread-post-reply"))) }
                    (crate::content_notes::without_notes_button(chrome.lang, &view.reply))
                }
            }
        } @else if chrome.user.is_none() {
            p { a href={ "/login?next=/t/" (t.id) } { (chrome.t("nav-sign-in")) } " " (chrome.t("thread-to-reply")) }
        } @else if !t.locked {
            p { (chrome.t("thread-join")) " " a href={ "/c/" (t.community) } { (view.community_name) } " " (chrome.t("thread-to-reply")) }
        }
    };
    page(chrome, &t.title, body)
}

/// "Reply to this": without JavaScript a link to the thread with the reply form holding a
/// quote of the post; app.js fills the form in place instead (from the `data-` attributes).
/// It follows the moderator's remove form, which app.js expects right after the post.
fn quote_link(chrome: &Chrome, thread_id: &str, post_id: &str, name: &str) -> Markup {
    html! {
        p.quote-action {
            a.quote-link href={ "/t/" (thread_id) "?quote=" (post_id) "#reply" }
                data-quote-id=(post_id) data-quote-author=(name) {
                (chrome.t("thread-reply-to-this")) span.visually-hidden { " " (chrome.t("thread-post-by")) " " (name) }
            }
        }
    }
}

/// Pin or unpin, lock or unlock: one small form per action, for moderators.
fn thread_tools(chrome: &Chrome, t: &crate::model::ThreadItem) -> Markup {
    let pin = if t.pinned {
        ("unpin", "thread-unpin")
    } else {
        ("pin", "thread-pin")
    };
    let lock = if t.locked {
        ("unlock", "thread-unlock")
    } else {
        ("lock", "thread-lock")
    };
    html! {
        section.mod-tools aria-labelledby="mod-tools" {
            h2 #mod-tools.visually-hidden { (chrome.t("thread-mod-tools")) }
            @for (action, label) in [pin, lock] {
                form.inline method="post" action={ "/t/" (t.id) "/moderate" } {
                    (csrf(chrome))
                    input type="hidden" name="action" value=(action);
                    button.secondary type="submit" { (chrome.t(label)) }
                }
            }
        }
    }
}

/// Stands for the post id in the remove form's template; app.js puts the real one in.
const TEMPLATE_POST_ID: &str = "POST_ID";

/// A moderator removes a post with a reason its author sees and the log records.
fn remove_post_form(chrome: &Chrome, thread_id: &str, post_id: &str) -> Markup {
    html! {
        details.report.mod-remove {
            summary { (chrome.t("remove-post")) span.visually-hidden { " " (chrome.t("remove-post-moderator")) } }
            form method="post" action={ "/t/" (thread_id) "/p/" (post_id) "/remove" } {
                (csrf(chrome))
                label for={ "remove-" (post_id) } { (chrome.t("remove-post-reason")) }
                input id={ "remove-" (post_id) } type="text" name="reason" required maxlength="500";
                button type="submit" { (chrome.t("remove-post-button")) }
            }
        }
    }
}

pub fn new_thread(chrome: &Chrome, view: &NewThreadPage) -> String {
    let options: Vec<(&str, &str)> = view
        .communities
        .iter()
        .map(|(slug, name)| (slug.as_str(), name.as_str()))
        .collect();
    let body = html! {
        h1 { (chrome.t("start-thread")) }
        @if options.is_empty() {
            p { (chrome.t("new-thread-join-first")) " " a href="/communities" { (chrome.t("new-thread-browse")) } "." }
        } @else {
            form.new-thread-form method="post" action="/new" {
                (csrf(chrome))
                (idempotency_key(&view.form))
                (form_errors_in(chrome.lang, &view.form, &["community", "title", "body"]))
                (select(&view.form, "community", &chrome.t("new-thread-community"), &options))
                (text_field(&view.form, "title", &chrome.t("new-thread-title"), "text", Some(&chrome.t("new-thread-title-hint")), Attrs::required().max(200).in_lang(chrome.lang)))
                (crate::advice::nudge(chrome.lang, &view.form))
                (text_area(&view.form, "body", &chrome.t("new-thread-message"), Some(&chrome.t("new-thread-message-hint")), 10, Attrs::required().max(20000).in_lang(chrome.lang)))
                (crate::content_notes::note_boxes(chrome.lang, &view.form, "new"))
                button type="submit" { (crate::advice::submit_label(chrome.lang, &view.form, &chrome.t("new-thread-submit"))) }
                (crate::content_notes::without_notes_button(chrome.lang, &view.form))
            }
        }
    };
    page(chrome, &chrome.t("start-thread"), body)
}

pub fn login(chrome: &Chrome, form: &FormState) -> String {
    let body = html! {
        h1 { (chrome.t("nav-sign-in")) }
        form.narrow method="post" action="/login" {
            (csrf(chrome))
            input type="hidden" name="next" value=(form.value("next"));
            (form_errors_in(chrome.lang, form, &["username", "password"]))
            (text_field(form, "username", &chrome.t("field-username"), "text", None, Attrs::required().auto("username").in_lang(chrome.lang)))
            (text_field(form, "password", &chrome.t("field-password"), "password", None, Attrs::required().auto("current-password").in_lang(chrome.lang)))
            button type="submit" { (chrome.t("nav-sign-in")) }
        }
        p { a href="/forgot" { (chrome.t("login-forgot")) } }
        p { (chrome.t("login-new-here")) " " a href="/register" { (chrome.t("login-create-account")) } }
    };
    page(chrome, &chrome.t("nav-sign-in"), body)
}

pub fn register(chrome: &Chrome, form: &FormState) -> String {
    let body = html! {
        h1 { (chrome.t("nav-join")) }
        p { (chrome.t("register-lead")) }
        form.narrow method="post" action="/register" {
            (csrf(chrome))
            (form_errors_in(chrome.lang, form, &["username", "password", "display_name", "email"]))
            (text_field(form, "username", &chrome.t("field-username"), "text", Some(&chrome.t("register-username-hint")), Attrs::required().auto("username").in_lang(chrome.lang)))
            (text_field(form, "password", &chrome.t("field-password"), "password", Some(&chrome.t("register-password-hint")), Attrs::required().auto("new-password").in_lang(chrome.lang)))
            (text_field(form, "display_name", &chrome.t("field-display-name"), "text", Some(&chrome.t("register-display-name-hint")), Attrs::default().auto("nickname").in_lang(chrome.lang)))
            (text_field(form, "email", &chrome.t("field-email"), "email", Some(&chrome.t("register-email-hint")), Attrs::default().auto("email").in_lang(chrome.lang)))
            button type="submit" { (chrome.t("register-submit")) }
        }
        p { (chrome.t("register-already")) " " a href="/login" { (chrome.t("nav-sign-in")) } }
    };
    page(chrome, &chrome.t("nav-join"), body)
}

pub fn settings(chrome: &Chrome, view: &Settings) -> String {
    let form = &view.form;
    let lang = chrome.lang;
    let prefer_not = chrome.t("role-prefer-not");
    let role_words: Vec<(&str, String)> = ROLES
        .iter()
        .map(|(value, key)| (*value, chrome.t(key)))
        .collect();
    let roles: Vec<(&str, &str)> = std::iter::once(("", prefer_not.as_str()))
        .chain(
            role_words
                .iter()
                .map(|(value, label)| (*value, label.as_str())),
        )
        .collect();
    let body = html! {
        h1 { (chrome.t("settings-title")) }
        @if view.saved { div.alert.alert-ok role="status" { p { (chrome.t("settings-saved")) } } }
        p { (chrome.t("settings-signed-in-as")) " " strong { (view.username) } " (" (chrome.t(if view.site_role == "admin" { "settings-site-admin" } else { "settings-member" })) "), " (chrome.t("member-since")) " " (time(chrome, &view.joined)) ". "
            a href={ "/u/" (view.username) } { (chrome.t("settings-see-public")) } }
        @if let Some(email) = &view.email { p { (chrome.t("settings-email")) " " (email) } }
        p { a href="/me/password" { (chrome.t("settings-change-password")) } " · " a href="/me/email" { (chrome.t("settings-email-address")) } " · " a href="/me/privacy" { (chrome.t("settings-privacy")) } " · " a href="/me/mail" { (chrome.t("settings-mail")) } " · " a href="/me/country" { (chrome.t("settings-country")) } }
        form method="post" action="/me" {
            (csrf(chrome))
            (form_errors_in(lang, form, &["display_name", "role", "conditions", "bio"]))
            (text_field(form, "display_name", &chrome.t("field-display-name"), "text", None, Attrs::required().max(64).in_lang(lang)))
            fieldset {
                legend { (chrome.t("settings-about-you")) }
                (select(form, "role", &chrome.t("settings-your-role"), &roles))
                (text_field(form, "conditions", &chrome.t("settings-conditions"), "text", Some(&chrome.t("settings-conditions-hint")), Attrs::default().in_lang(lang)))
                (text_area(form, "bio", &chrome.t("settings-about-you"), None, 4, Attrs::default().max(2000).in_lang(lang)))
            }
            fieldset {
                legend { (chrome.t("settings-what-others-see")) }
                p.hint { (chrome.t("settings-unticked-private")) }
                @for (name, key) in [("show_role", "settings-show-role"), ("show_conditions", "settings-show-conditions"), ("show_bio", "settings-show-bio")] {
                    div.check {
                        input type="checkbox" id={ "f-" (name) } name=(name) value="on" checked[form.value(name) == "on"];
                        label for={ "f-" (name) } { (chrome.t(key)) }
                    }
                }
            }
            button type="submit" { (chrome.t("settings-save")) }
        }
        section aria-labelledby="memberships" {
            h2 #memberships { (chrome.t("home-your-communities")) }
            @if view.memberships.is_empty() { p.muted { (chrome.t("settings-none-yet")) } }
            ul { @for (slug, role, state) in &view.memberships {
                li { a href={ "/c/" (slug) } { (slug) } " — " (chrome.t(standing(role, state))) }
            } }
        }
    };
    page(chrome, &chrome.t("settings-title"), body)
}

/// A member's standing in one of their communities, as the catalogue key of its words
/// rather than the stored role and state ("moderator", "pending").
fn standing(role: &str, state: &str) -> &'static str {
    match (role, state) {
        (_, "pending") => "standing-pending",
        (_, "banned") => "standing-banned",
        ("moderator", _) => "standing-moderator",
        _ => "standing-member",
    }
}

/// The roles a member may give on their profile (value, catalogue key), as the settings
/// form offers them.
const ROLES: [(&str, &str); 5] = [
    ("patient", "role-patient"),
    ("caregiver", "role-caregiver"),
    ("bereaved", "role-bereaved"),
    ("supporter", "role-supporter"),
    ("clinician", "role-clinician"),
];

/// A profile role in the reader's words; an unknown stored role as it is.
pub(crate) fn role_label(lang: Lang, role: &str) -> String {
    ROLES
        .iter()
        .find(|(value, _)| *value == role)
        .map_or_else(|| role.to_owned(), |(_, key)| lang.t(key))
}

pub fn profile(chrome: &Chrome, view: &Profile) -> String {
    let body = html! {
        h1 {
            @if view.memorialised { (chrome.t("profile-in-memory")) " " }
            (view.display_name)
            @if let Some(role) = &view.staff { " " (staff_badge_in(chrome.lang, role)) }
        }
        p.meta { "@" (view.username) " · " (chrome.t("member-since")) " " (time(chrome, &view.joined)) }
        dl {
            @if let Some(role) = &view.role { dt { (chrome.t("profile-role")) } dd { (role_label(chrome.lang, role)) } }
            @if let Some(conditions) = &view.conditions {
                dt { (chrome.t("settings-conditions")) }
                dd { (conditions.iter().map(|tag| condition_label(tag)).collect::<Vec<_>>().join(", ")) }
            }
            @if let Some(bio) = &view.bio { dt { (chrome.t("profile-about")) } dd { (bio) } }
        }
        @if view.role.is_none() && view.conditions.is_none() && view.bio.is_none() {
            p.muted { (chrome.t("profile-private")) }
        }
    };
    page(chrome, &view.display_name, body)
}

pub fn search(chrome: &Chrome, view: &SearchPage) -> String {
    let total = i64::try_from(view.total).unwrap_or(i64::MAX);
    let body = html! {
        h1 { (chrome.t("nav-search")) }
        form.search method="get" action="/search" role="search" {
            label for="q" { (chrome.t("search-label")) }
            input #q type="search" name="q" value=(view.query)
                aria-describedby="q-help" aria-invalid=[view.error.as_ref().map(|_| "true")];
            p #q-help .muted { (chrome.t("search-help")) }
            @if let Some(error) = &view.error { p.field-error role="alert" { (error) } }
            button type="submit" { (chrome.t("search-button")) }
        }
        @if !view.communities.is_empty() {
            section aria-labelledby="fitting" {
                h2 #fitting { (chrome.t("search-fitting")) }
                ul.cards { @for c in &view.communities { (community_card(chrome, c)) } }
            }
        }
        @if !view.query.is_empty() && view.error.is_none() {
            p aria-live="polite" {
                // Big counts are estimates (see `kindred_search::SearchResults`).
                @if view.total >= 1_000 { (chrome.count("search-count-about", total)) }
                @else { (chrome.count("count-posts", total)) }
            }
            ol.results {
                @for result in &view.results {
                    li {
                        h2 { a href={ "/p/" (result.post_id) } { (result.thread_title) } }
                        p.meta { a href={ "/c/" (result.community_slug) } { (result.community_name) } " · "
                            @match &result.author {
                                Some((username, display_name)) => a href={ "/u/" (username) } { (display_name) },
                                None => (chrome.t("former-member")),
                            }
                            " · " (time(chrome, &result.created_at)) }
                        @if result.collapsed {
                            details.content-note {
                                summary { (chrome.t_args("search-content-note-hidden", &[("notes", result.content_notes.join(", ").into())])) }
                                p.snippet { (PreEscaped(&result.snippet_html)) }
                            }
                        } @else {
                            @if !result.content_notes.is_empty() {
                                p.content-note-label { (chrome.t_args("search-content-note", &[("notes", result.content_notes.join(", ").into())])) }
                            }
                            p.snippet { (PreEscaped(&result.snippet_html)) }
                        }
                        @if result.more_in_thread > 0 {
                            p.more { (chrome.count("search-more-in-thread", i64::try_from(result.more_in_thread).unwrap_or(i64::MAX))) }
                        }
                    }
                }
            }
            @if let Some(next) = &view.next { p { a href={ "/search?" (next) } { (chrome.t("search-more")) } } }
        }
    };
    page(chrome, &chrome.t("nav-search"), body)
}

/// A friendly error page: 403, 404, 500 and the like.
pub fn error(chrome: &Chrome, status: u16, message: &str) -> String {
    let kind = match status {
        404 => "404",
        403 => "403",
        401 => "401",
        429 => "429",
        400..=499 => "4xx",
        _ => "5xx",
    };
    let title = chrome.t(&format!("error-page-{kind}-title"));
    let body = html! {
        h1 { (title) }
        p.lead { (chrome.t(&format!("error-page-{kind}-lead"))) }
        @if !message.is_empty() && status != 404 && status < 500 { p { (message) } }
        p { a href="/" { (chrome.t("error-page-home")) } " · " a href="/communities" { (chrome.t("error-page-browse")) } }
    };
    page(chrome, &title, body)
}

pub fn notifications(chrome: &Chrome, view: &NotificationsPage) -> String {
    let you = chrome.t("notifications-you");
    let username = chrome
        .user
        .as_ref()
        .map_or(you.as_str(), |u| u.username.as_str());
    let body = html! {
        h1 { (chrome.t("nav-notifications")) }
        (notice(view.notice.as_deref()))
        @if !view.surveys.is_empty() {
            section.survey-notices aria-labelledby="survey-notices" {
                h2 id="survey-notices" { (chrome.t("notifications-surveys-heading")) }
                ul {
                    @for survey in &view.surveys {
                        li.notification.unread {
                            p {
                                span.badge { (chrome.t("notifications-survey-new")) } " "
                                (chrome.t_args("notifications-survey-invite", &[("community", survey.community_name.as_str().into())])) " "
                                a href={ "/surveys#survey-" (survey.survey_id) } { (survey.title) }
                            }
                            p.meta { (chrome.t("notifications-survey-closes")) " " (time(chrome, &survey.closes_at)) }
                        }
                    }
                }
            }
        }
        @if view.items.is_empty() {
            p.muted { (chrome.t_args("notifications-none", &[("username", username.into())])) }
        } @else {
            @if view.unread > 0 {
                form.inline method="post" action="/notifications/read" {
                    (csrf(chrome))
                    button type="submit" { (chrome.t("notifications-mark-read")) }
                }
            }
            ol.notifications {
                @for item in &view.items {
                    li.notification.unread[item.unread] {
                        p {
                            @if item.unread { span.badge { (chrome.t("notifications-new")) } " " }
                            (item.summary) " " (chrome.t("thread-in")) " "
                            a href={ "/p/" (item.post_id) "?n=" (item.id) } { (item.thread_title) }
                        }
                        @if let Some(detail) = &item.detail { p { (detail) } }
                        @if let Some(folded) = &item.folded {
                            p.content-note { (folded) }
                        } @else if !item.excerpt.is_empty() {
                            blockquote.excerpt { (item.excerpt) }
                        }
                        p.meta { a href={ "/c/" (item.community) } { (item.community) } " · " (time(chrome, &item.created_at)) }
                    }
                }
            }
            @if let Some(older) = &view.older { p { a href={ "/notifications?" (older) } { (chrome.t("notifications-older")) } } }
        }
    };
    page(chrome, &chrome.t("nav-notifications"), body)
}

#[cfg(test)]
mod tests {
    use super::standing;
    use crate::i18n::Lang;

    #[test]
    fn standings_read_as_words() {
        let words = |role, state| Lang::En.t(standing(role, state));
        assert_eq!(words("member", "active"), "member");
        assert_eq!(words("moderator", "active"), "you moderate it");
        assert_eq!(
            words("member", "pending"),
            "waiting for a moderator to approve you"
        );
        assert_eq!(words("member", "banned"), "you cannot take part here");
        assert_eq!(Lang::Es.t(standing("moderator", "active")), "la moderas");
    }

    #[test]
    fn page_counts_follow_each_language() {
        let count = |lang: Lang, key: &str, n: i64| lang.t_args(key, &[("count", n.into())]);
        let more = "search-more-in-thread";
        assert_eq!(count(Lang::En, more, 1), "and 1 more post in this thread");
        assert_eq!(count(Lang::En, more, 3), "and 3 more posts in this thread");
        assert_eq!(count(Lang::Es, more, 1), "y 1 publicación más en este tema");
        assert_eq!(
            count(Lang::Es, more, 3),
            "y 3 publicaciones más en este tema"
        );
        assert_eq!(count(Lang::En, "messages-unread", 1), "1 unread message");
        assert_eq!(count(Lang::Es, "messages-unread", 2), "2 mensajes sin leer");
    }
}
