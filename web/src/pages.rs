//! One function per page: view model in, HTML document out. The pages of moderators and
//! admins are in `staff.rs`, re-exported here.

use maud::{html, Markup, PreEscaped};

pub use crate::staff::{admin, edit_community, members, modlog, queue};

use crate::layout::{
    community_card, condition_label, count, csrf, edit_post_form, form_errors, idempotency_key,
    kind_label, notice, page, person, post, reaction_bar, report_post_form, select, staff_badge,
    text_area, text_field, thread_list, time, Attrs,
};
use crate::model::{
    Chrome, CommunityPage, Directory, FormState, Home, NewThreadPage, NotificationsPage, Profile,
    SearchPage, Settings, ThreadPage,
};

// maud's `html!` expands `@match` and `@if let` into these shapes.
#[allow(clippy::single_match_else)]
pub fn home(chrome: &Chrome, home: &Home) -> String {
    let search = html! {
        form.search method="get" action="/search" role="search" aria-label="Search Kindred" {
            label for="home-q" { "Find communities and posts" }
            input #home-q type="search" name="q" placeholder="For example: my husband has glioblastoma";
            button type="submit" { "Search" }
        }
    };
    let body = match &chrome.user {
        Some(user) => html! {
            h1 { "Welcome back, " (user.username) }
            (search)
            @if home.moderates && !user.is_admin {
                p { a href="/mod/queue" { "Open the moderation queue" } }
            }
            @if !home.pending.is_empty() {
                p.alert.alert-ok { "Waiting for a moderator to approve your request to join: "
                    (home.pending.join(", ")) "." }
            }
            @if !home.new_activity.is_empty() {
                section aria-labelledby="activity" {
                    h2 #activity { "New for you" }
                    ul.activity {
                        @for item in &home.new_activity {
                            li { (item.summary) " in "
                                a href={ "/p/" (item.post_id) "?n=" (item.id) } { (item.thread_title) } }
                        }
                    }
                    p { a href="/notifications" { "All notifications" } }
                }
            }
            section aria-labelledby="mine" {
                h2 #mine { "Your communities" }
                @if home.my_communities.is_empty() {
                    p { "You have not joined a community yet. "
                        a href="/communities" { "Find one that fits you" } "." }
                } @else {
                    ul.cards { @for c in &home.my_communities { (community_card(c)) } }
                }
            }
            section aria-labelledby="recent" {
                h2 #recent { "Recent threads" }
                (thread_list(chrome, &home.recent_threads, true))
                p { a.button href="/new" { "Start a thread" } }
            }
            @if !home.suggested.is_empty() {
                section aria-labelledby="suggested" {
                    h2 #suggested { "Communities you might find helpful" }
                    p.muted { "Matched to the role and conditions in " a href="/me" { "your profile" } "." }
                    ul.cards { @for c in &home.suggested { (community_card(c)) } }
                }
            }
        },
        None => html! {
            section.intro {
                h1 { "You are not alone in this" }
                p.lead { "Kindred is a place for people living with cancer, and for the people who care for them, to talk with others who understand. Each community is looked after by moderators, and you choose what others can see about you." }
                p { a.button href="/register" { "Join Kindred" } " " a href="/login" { "Sign in" } }
            }
            (search)
            section aria-labelledby="dir" {
                h2 #dir { "Communities" }
                ul.cards { @for c in &home.directory { (community_card(c)) } }
                p { a href="/communities" { "Filter the directory" } }
            }
        },
    };
    page(chrome, "Home", body)
}

pub fn directory(chrome: &Chrome, dir: &Directory) -> String {
    let kind = dir.kind.as_deref().unwrap_or_default();
    let condition = dir.condition.as_deref().unwrap_or_default();
    let body = html! {
        h1 { "Communities" }
        form.filters method="get" action="/communities" role="search" aria-label="Filter communities" {
            div.field {
                label for="kind" { "Kind" }
                select #kind name="kind" {
                    option value="" selected[kind.is_empty()] { "All kinds" }
                    @for (value, text) in [("condition", "Condition communities"), ("caregiver", "For caregivers"), ("general", "General")] {
                        option value=(value) selected[kind == value] { (text) }
                    }
                }
            }
            div.field {
                label for="condition" { "Condition" }
                select #condition name="condition" {
                    option value="" selected[condition.is_empty()] { "All conditions" }
                    @for tag in &dir.conditions {
                        option value=(tag) selected[condition == tag] { (tag) }
                    }
                }
            }
            button type="submit" { "Filter" }
        }
        @if dir.communities.is_empty() {
            p { "No community matches these filters. " a href="/communities" { "Show all" } }
        } @else {
            ul.cards { @for c in &dir.communities { (community_card(c)) } }
        }
    };
    page(chrome, "Communities", body)
}

pub fn community(chrome: &Chrome, view: &CommunityPage) -> String {
    let c = &view.community;
    let state = view.membership.as_ref().map(|(_, state)| state.as_str());
    let body = html! {
        (notice(view.notice.as_deref()))
        h1 { (c.name) }
        p.meta {
            span.tag { (kind_label(&c.kind)) }
            @for tag in &c.condition_tags { " " span.tag.tag-soft { (condition_label(tag)) } }
            " · " (count(c.member_count, "member", "members"))
        }
        @if !c.description.is_empty() { p.lead { (c.description) } }
        div.actions {
            @match (&chrome.user, state) {
                (None, _) => p { a href={ "/login?next=/c/" (c.slug) } { "Sign in" } " or " a href="/register" { "join Kindred" } " to take part." },
                (Some(_), Some("active")) => {
                    a.button href={ "/new?community=" (c.slug) } { "Start a thread" }
                    form.inline method="post" action={ "/c/" (c.slug) "/leave" } {
                        (csrf(chrome)) button.secondary type="submit" { "Leave community" }
                    }
                },
                (Some(_), Some("pending")) => p { "Your request to join is waiting for a moderator." },
                (Some(_), Some("banned")) => p { "You cannot take part in this community." },
                (Some(_), _) => form.inline method="post" action={ "/c/" (c.slug) "/join" } {
                    (csrf(chrome))
                    button type="submit" { @if c.join_policy == "approval" { "Ask to join" } @else { "Join community" } }
                },
            }
            @if view.is_moderator {
                a href={ "/mod/queue?community=" (c.slug) } { "Moderation queue" } " · "
                a href={ "/c/" (c.slug) "/members" } { "Members and bans" } " · "
            }
            @if state == Some("active") || view.is_moderator {
                a href={ "/c/" (c.slug) "/modlog" } { "Moderation log" }
            }
        }
        div.columns {
            section.threads-section aria-labelledby="threads" {
                h2 #threads { "Threads" }
                @if view.members_only {
                    p { "This is a private community: only its members can read its threads. Ask to join and one of its moderators will decide." }
                }
                @else { (thread_list(chrome, &view.threads, false)) }
                @if let Some(cursor) = &view.next_cursor {
                    p { a href={ "/c/" (c.slug) "?cursor=" (cursor) } { "Older threads" } }
                }
            }
            aside aria-labelledby="rules" {
                h2 #rules { "Community rules" }
                @if view.rules_html.is_empty() { p.muted { "No rules written yet." } }
                @else { div.rules { (PreEscaped(&view.rules_html)) } }
            }
        }
    };
    page(chrome, &c.name, body)
}

pub fn thread(chrome: &Chrome, view: &ThreadPage) -> String {
    let t = &view.thread;
    let body = html! {
        nav aria-label="Breadcrumb" { p.crumbs { a href={ "/c/" (t.community) } { (view.community_name) } } }
        (notice(view.notice.as_deref()))
        h1 { (t.title) }
        p.meta {
            @if t.pinned { span.tag { "Pinned" } " " }
            @if t.locked { span.tag { "Locked" } " " }
            "Started by " (person(t.author.as_ref()))
        }
        @if let Some(unread) = t.unread.as_ref().filter(|u| u.new_posts > 0) {
            @if let Some(first) = &unread.first_unread_post_id {
                p.jump-unread {
                    a.button.secondary href={ "/p/" (first) } { "Jump to first unread" }
                    " " (unread.new_posts) " new since your last visit"
                }
            }
        }
        @if view.is_moderator { (thread_tools(chrome, t)) }
        @if let Some(range) = view.range.as_ref().filter(|r| r.earlier_href.is_some() || view.next_cursor.is_some()) {
            nav.pager aria-label="Pages of this thread" {
                p {
                    "Posts " (range.first) "–" (range.last) " of " (range.total)
                    @if let Some(href) = &range.earlier_href { " · " a href=(href) rel="prev" { "Earlier posts" } }
                    @if let Some(cursor) = &view.next_cursor { " · " a href={ "/t/" (t.id) "?cursor=" (cursor) } rel="next" { "Later posts" } }
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
                    (quote_link(&t.id, &p.id, p.author.as_ref().map_or("a former member", |a| a.display_name.as_str())))
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
                template #quote-template { (quote_link(&t.id, TEMPLATE_POST_ID, "")) }
            }
            template #reactions-template { (reaction_bar(chrome, &t.id, TEMPLATE_POST_ID, &view.new_post_reactions)) }
        }
        @if let Some(cursor) = &view.next_cursor {
            p { a href={ "/t/" (t.id) "?cursor=" (cursor) } rel="next" { "Later posts" } }
        }
        @if t.locked {
            p.alert.locked role="note" { "This thread is locked: replies are closed."
                @if view.can_reply { " As a moderator you can still reply." } }
        }
        @if view.can_reply {
            section aria-labelledby="reply" {
                h2 #reply { "Reply" }
                form.reply-form method="post" action={ "/t/" (t.id) "/reply" } data-api={ "/api/v1/threads/" (t.id) "/posts" } {
                    (csrf(chrome))
                    (idempotency_key(&view.reply))
                    // The post this reply answers ("Reply to this"); empty for the thread.
                    input type="hidden" name="reply_to" value=(view.reply.value("reply_to"));
                    (form_errors(&view.reply, &["body", "reply_to"]))
                    (crate::advice::nudge(&view.reply))
                    (text_area(&view.reply, "body", "Your reply", Some("Markdown works: *italic*, **bold**, lists and links."), 6, Attrs::required().max(20000)))
                    (crate::content_notes::note_boxes(&view.reply, "reply"))
                    button type="submit" { (crate::advice::submit_label(&view.reply, "Post reply")) }
                }
            }
        } @else if chrome.user.is_none() {
            p { a href={ "/login?next=/t/" (t.id) } { "Sign in" } " to reply." }
        } @else if !t.locked {
            p { "Join " a href={ "/c/" (t.community) } { (view.community_name) } " to reply." }
        }
    };
    page(chrome, &t.title, body)
}

/// "Reply to this": without JavaScript a link to the thread with the reply form holding a
/// quote of the post; app.js fills the form in place instead (from the `data-` attributes).
/// It follows the moderator's remove form, which app.js expects right after the post.
fn quote_link(thread_id: &str, post_id: &str, name: &str) -> Markup {
    html! {
        p.quote-action {
            a.quote-link href={ "/t/" (thread_id) "?quote=" (post_id) "#reply" }
                data-quote-id=(post_id) data-quote-author=(name) {
                "Reply to this" span.visually-hidden { " post by " (name) }
            }
        }
    }
}

/// Pin or unpin, lock or unlock: one small form per action, for moderators.
fn thread_tools(chrome: &Chrome, t: &crate::model::ThreadItem) -> Markup {
    let pin = if t.pinned {
        ("unpin", "Unpin thread")
    } else {
        ("pin", "Pin thread")
    };
    let lock = if t.locked {
        ("unlock", "Unlock: allow replies")
    } else {
        ("lock", "Lock: close replies")
    };
    html! {
        section.mod-tools aria-labelledby="mod-tools" {
            h2 #mod-tools.visually-hidden { "Moderator tools" }
            @for (action, label) in [pin, lock] {
                form.inline method="post" action={ "/t/" (t.id) "/moderate" } {
                    (csrf(chrome))
                    input type="hidden" name="action" value=(action);
                    button.secondary type="submit" { (label) }
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
            summary { "Remove this post" span.visually-hidden { " (moderator)" } }
            form method="post" action={ "/t/" (thread_id) "/p/" (post_id) "/remove" } {
                (csrf(chrome))
                label for={ "remove-" (post_id) } { "Reason (the author sees it; it goes in the moderation log)" }
                input id={ "remove-" (post_id) } type="text" name="reason" required maxlength="500";
                button type="submit" { "Remove post" }
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
        h1 { "Start a thread" }
        @if options.is_empty() {
            p { "Join a community first: " a href="/communities" { "browse communities" } "." }
        } @else {
            form.new-thread-form method="post" action="/new" {
                (csrf(chrome))
                (idempotency_key(&view.form))
                (form_errors(&view.form, &["community", "title", "body"]))
                (select(&view.form, "community", "Community", &options))
                (text_field(&view.form, "title", "Title", "text", Some("A short summary others will see in the list."), Attrs::required().max(200)))
                (crate::advice::nudge(&view.form))
                (text_area(&view.form, "body", "Your message", Some("Markdown works. Please do not share anyone's contact details."), 10, Attrs::required().max(20000)))
                (crate::content_notes::note_boxes(&view.form, "new"))
                button type="submit" { (crate::advice::submit_label(&view.form, "Start thread")) }
            }
        }
    };
    page(chrome, "Start a thread", body)
}

pub fn login(chrome: &Chrome, form: &FormState) -> String {
    let body = html! {
        h1 { "Sign in" }
        form.narrow method="post" action="/login" {
            (csrf(chrome))
            input type="hidden" name="next" value=(form.value("next"));
            (form_errors(form, &["username", "password"]))
            (text_field(form, "username", "Username", "text", None, Attrs::required().auto("username")))
            (text_field(form, "password", "Password", "password", None, Attrs::required().auto("current-password")))
            button type="submit" { "Sign in" }
        }
        p { a href="/forgot" { "Forgot your password?" } }
        p { "New here? " a href="/register" { "Create an account" } }
    };
    page(chrome, "Sign in", body)
}

pub fn register(chrome: &Chrome, form: &FormState) -> String {
    let body = html! {
        h1 { "Join Kindred" }
        p { "You choose what others see about you. You can change it later in your profile." }
        form.narrow method="post" action="/register" {
            (csrf(chrome))
            (form_errors(form, &["username", "password", "display_name", "email"]))
            (text_field(form, "username", "Username", "text", Some("3 to 32 characters: letters, digits and underscores. Others see it."), Attrs::required().auto("username")))
            (text_field(form, "password", "Password", "password", Some("At least 10 characters. A few unrelated words work well."), Attrs::required().auto("new-password")))
            (text_field(form, "display_name", "Display name", "text", Some("Shown beside your posts. It does not need to be your real name."), Attrs::default().auto("nickname")))
            (text_field(form, "email", "Email", "email", Some("Only to recover your account; never shown."), Attrs::default().auto("email")))
            button type="submit" { "Create account" }
        }
        p { "Already a member? " a href="/login" { "Sign in" } }
    };
    page(chrome, "Join Kindred", body)
}

pub fn settings(chrome: &Chrome, view: &Settings) -> String {
    let form = &view.form;
    let roles: Vec<(&str, &str)> = std::iter::once(("", "Prefer not to say"))
        .chain(ROLES.iter().copied())
        .collect();
    let body = html! {
        h1 { "Your profile" }
        @if view.saved { div.alert.alert-ok role="status" { p { "Your profile is saved." } } }
        p { "Signed in as " strong { (view.username) } " (" (if view.site_role == "admin" { "site admin" } else { "member" }) "), member since " (time(chrome, &view.joined)) ". "
            a href={ "/u/" (view.username) } { "See your profile as others see it" } }
        @if let Some(email) = &view.email { p { "Email (never shown): " (email) } }
        p { a href="/me/password" { "Change your password" } " · " a href="/me/email" { "Your e-mail address" } " · " a href="/me/privacy" { "Privacy, your data and erasing your account" } " · " a href="/me/mail" { "Notification mail" } " · " a href="/me/country" { "Your country" } }
        form method="post" action="/me" {
            (csrf(chrome))
            (form_errors(form, &["display_name", "role", "conditions", "bio"]))
            (text_field(form, "display_name", "Display name", "text", None, Attrs::required().max(64)))
            fieldset {
                legend { "About you" }
                (select(form, "role", "Your role", &roles))
                (text_field(form, "conditions", "Conditions", "text", Some("Separated by commas, for example: lung-cancer, myeloma"), Attrs::default()))
                (text_area(form, "bio", "About you", None, 4, Attrs::default().max(2000)))
            }
            fieldset {
                legend { "What others can see" }
                p.hint { "Unticked fields stay private: only you see them." }
                @for (name, text) in [("show_role", "Show my role"), ("show_conditions", "Show my conditions"), ("show_bio", "Show what I wrote about me")] {
                    div.check {
                        input type="checkbox" id={ "f-" (name) } name=(name) value="on" checked[form.value(name) == "on"];
                        label for={ "f-" (name) } { (text) }
                    }
                }
            }
            button type="submit" { "Save profile" }
        }
        section aria-labelledby="memberships" {
            h2 #memberships { "Your communities" }
            @if view.memberships.is_empty() { p.muted { "None yet." } }
            ul { @for (slug, role, state) in &view.memberships {
                li { a href={ "/c/" (slug) } { (slug) } " — " (standing(role, state)) }
            } }
        }
    };
    page(chrome, "Your profile", body)
}

/// A member's standing in one of their communities, in words rather than the stored
/// role and state ("moderator", "pending").
fn standing(role: &str, state: &str) -> &'static str {
    match (role, state) {
        (_, "pending") => "waiting for a moderator to approve you",
        (_, "banned") => "you cannot take part here",
        ("moderator", _) => "you moderate it",
        _ => "member",
    }
}

/// The roles a member may give on their profile, as the settings form offers them.
const ROLES: [(&str, &str); 5] = [
    ("patient", "I live with cancer"),
    ("caregiver", "I care for someone"),
    ("bereaved", "I lost someone"),
    ("supporter", "I support someone"),
    ("clinician", "I am a clinician"),
];

pub(crate) fn role_label(role: &str) -> &str {
    ROLES
        .iter()
        .find(|(value, _)| *value == role)
        .map_or(role, |(_, label)| label)
}

pub fn profile(chrome: &Chrome, view: &Profile) -> String {
    let body = html! {
        h1 {
            @if view.memorialised { "In memory of " }
            (view.display_name)
            @if let Some(role) = &view.staff { " " (staff_badge(role)) }
        }
        p.meta { "@" (view.username) " · member since " (time(chrome, &view.joined)) }
        dl {
            @if let Some(role) = &view.role { dt { "Role" } dd { (role_label(role)) } }
            @if let Some(conditions) = &view.conditions {
                dt { "Conditions" }
                dd { (conditions.iter().map(|tag| condition_label(tag)).collect::<Vec<_>>().join(", ")) }
            }
            @if let Some(bio) = &view.bio { dt { "About" } dd { (bio) } }
        }
        @if view.role.is_none() && view.conditions.is_none() && view.bio.is_none() {
            p.muted { "This member keeps their profile private." }
        }
    };
    page(chrome, &view.display_name, body)
}

pub fn search(chrome: &Chrome, view: &SearchPage) -> String {
    let body = html! {
        h1 { "Search" }
        form.search method="get" action="/search" role="search" {
            label for="q" { "Search posts you can read" }
            input #q type="search" name="q" value=(view.query)
                aria-describedby="q-help" aria-invalid=[view.error.as_ref().map(|_| "true")];
            p #q-help .muted { "Words, \"exact phrases\", -exclusions, community:slug, author:name, after:2026-01-01. Abbreviations like NSCLC or chemo find their long forms too." }
            @if let Some(error) = &view.error { p.field-error role="alert" { (error) } }
            button type="submit" { "Search" }
        }
        @if !view.communities.is_empty() {
            section aria-labelledby="fitting" {
                h2 #fitting { "Communities that may fit" }
                ul.cards { @for c in &view.communities { (community_card(c)) } }
            }
        }
        @if !view.query.is_empty() && view.error.is_none() {
            p aria-live="polite" {
                // Big counts are estimates (see `kindred_search::SearchResults`).
                @if view.total >= 1_000 { "About " }
                (view.total) @if view.total == 1 { " post" } @else { " posts" }
            }
            ol.results {
                @for result in &view.results {
                    li {
                        h2 { a href={ "/p/" (result.post_id) } { (result.thread_title) } }
                        p.meta { a href={ "/c/" (result.community_slug) } { (result.community_name) } " · "
                            @match &result.author {
                                Some((username, display_name)) => a href={ "/u/" (username) } { (display_name) },
                                None => "a former member",
                            }
                            " · " (time(chrome, &result.created_at)) }
                        @if result.collapsed {
                            details.content-note {
                                summary { "This post has a content note: " (result.content_notes.join(", ")) " \u{2014} show" }
                                p.snippet { (PreEscaped(&result.snippet_html)) }
                            }
                        } @else {
                            @if !result.content_notes.is_empty() {
                                p.content-note-label { "Content note: " (result.content_notes.join(", ")) }
                            }
                            p.snippet { (PreEscaped(&result.snippet_html)) }
                        }
                        @if result.more_in_thread > 0 {
                            p.more { "and " (result.more_in_thread)
                                @if result.more_in_thread == 1 { " more post" } @else { " more posts" }
                                " in this thread" }
                        }
                    }
                }
            }
            @if let Some(next) = &view.next { p { a href={ "/search?" (next) } { "More results" } } }
        }
    };
    page(chrome, "Search", body)
}

/// A friendly error page: 403, 404, 500 and the like.
pub fn error(chrome: &Chrome, status: u16, message: &str) -> String {
    let (title, lead) = match status {
        404 => (
            "Page not found",
            "We could not find that page. It may have moved, or it may be in a private community.",
        ),
        403 => ("Not allowed", "You do not have access to this."),
        401 => ("Please sign in", "You need to sign in to see this."),
        429 => ("Please wait a moment", "There were too many attempts."),
        400..=499 => ("Something is not right", "The request could not be used."),
        _ => (
            "Something went wrong",
            "It is our fault, not yours. Please try again in a little while.",
        ),
    };
    let body = html! {
        h1 { (title) }
        p.lead { (lead) }
        @if !message.is_empty() && status != 404 && status < 500 { p { (message) } }
        p { a href="/" { "Go to the home page" } " · " a href="/communities" { "Browse communities" } }
    };
    page(chrome, title, body)
}

#[allow(clippy::map_unwrap_or)]
pub fn notifications(chrome: &Chrome, view: &NotificationsPage) -> String {
    let body = html! {
        h1 { "Notifications" }
        (notice(view.notice.as_deref()))
        @if view.items.is_empty() {
            p.muted { "Nothing yet. When someone replies to you, mentions you with @" (chrome.user.as_ref().map(|u| u.username.as_str()).unwrap_or("you")) ", or posts in a thread you watch, you will see it here." }
        } @else {
            @if view.unread > 0 {
                form.inline method="post" action="/notifications/read" {
                    (csrf(chrome))
                    button type="submit" { "Mark all as read" }
                }
            }
            ol.notifications {
                @for item in &view.items {
                    li.notification.unread[item.unread] {
                        p {
                            @if item.unread { span.badge { "New" } " " }
                            (item.summary) " in "
                            a href={ "/p/" (item.post_id) "?n=" (item.id) } { (item.thread_title) }
                        }
                        @if let Some(detail) = &item.detail { p { (detail) } }
                        @if !item.excerpt.is_empty() { blockquote.excerpt { (item.excerpt) } }
                        p.meta { a href={ "/c/" (item.community) } { (item.community) } " · " (time(chrome, &item.created_at)) }
                    }
                }
            }
            @if let Some(older) = &view.older { p { a href={ "/notifications?" (older) } { "Older notifications" } } }
        }
    };
    page(chrome, "Notifications", body)
}

#[cfg(test)]
mod tests {
    use super::standing;

    #[test]
    fn standings_read_as_words() {
        assert_eq!(standing("member", "active"), "member");
        assert_eq!(standing("moderator", "active"), "you moderate it");
        assert_eq!(
            standing("member", "pending"),
            "waiting for a moderator to approve you"
        );
        assert_eq!(standing("member", "banned"), "you cannot take part here");
    }
}
