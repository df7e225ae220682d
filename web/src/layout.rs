//! The frame around every page, and small pieces shared by several pages.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::assets;
use crate::i18n::{Lang, LANGUAGES};
use crate::model::{
    Chrome, CommunityCard, FormState, Person, PostItem, ReactionItem, ThreadItem, Unread,
    IDEMPOTENCY_FIELD,
};

/// A whole HTML document: skip link, header with navigation, main, footer.
pub fn page(chrome: &Chrome, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(chrome.lang.code()) data-time-zone=(chrome.clock.zone_name()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) " · Kindred" }
                link rel="stylesheet" href=(assets::stylesheet());
                script src=(assets::words(chrome.lang)) defer {}
                script src=(assets::script()) defer {}
            }
            body {
                a.skip-link href="#main" { (chrome.t("skip-to-content")) }
                header.site-header {
                    div.wrap {
                        a.brand href="/" { "Kindred" }
                        nav aria-label=(chrome.t("nav-main")) {
                            ul {
                                // A research partner sees insights only (server: `fence.rs`).
                                @if chrome.user.as_ref().is_some_and(|u| u.is_partner) {
                                    li { a href="/insights" { (chrome.t("nav-insights")) } }
                                    li {
                                        form.inline method="post" action="/logout" {
                                            (csrf(chrome))
                                            button.link type="submit" { (chrome.t("nav-sign-out")) }
                                        }
                                    }
                                } @else {
                                li { a href="/communities" { (chrome.t("nav-communities")) } }
                                li { a href="/search" { (chrome.t("nav-search")) } }
                                @if let Some(user) = &chrome.user {
                                    li { a href="/new" { (chrome.t("nav-new-thread")) } }
                                    li {
                                        a href="/notifications" data-unread=(user.unread_notifications) {
                                            (chrome.t("nav-notifications"))
                                            @if user.unread_notifications > 0 {
                                                " " span.badge aria-hidden="true" { (user.unread_notifications) }
                                                span.visually-hidden { ", " (chrome.count("count-unread", user.unread_notifications)) }
                                            }
                                        }
                                    }
                                    li {
                                        a href="/messages" data-unread=(user.unread_messages) {
                                            (chrome.t("nav-messages"))
                                            @if user.unread_messages > 0 {
                                                " " span.badge aria-hidden="true" { (user.unread_messages) }
                                                span.visually-hidden { ", " (chrome.count("count-unread", user.unread_messages)) }
                                            }
                                        }
                                    }
                                    @if let Some(open) = user.open_queue_items {
                                        li {
                                            a href="/mod/queue" data-open-queue=(open) data-live-topics=(user.queue_topics.join(" ")) {
                                                (chrome.t("nav-moderation"))
                                                " " span.badge aria-hidden="true" { (open) }
                                                span.visually-hidden { ", " (chrome.count("count-open-items", open)) }
                                            }
                                        }
                                    }
                                    @if user.is_admin {
                                        li { a href="/admin" { (chrome.t("nav-admin")) } }
                                    }
                                    li { a href="/me" { (chrome.t("nav-your-profile")) } }
                                    li {
                                        form.inline method="post" action="/logout" {
                                            (csrf(chrome))
                                            button.link type="submit" { (chrome.t("nav-sign-out")) }
                                        }
                                    }
                                } @else {
                                    li { a href="/login" { (chrome.t("nav-sign-in")) } }
                                    li { a href="/register" { (chrome.t("nav-join")) } }
                                }
                                }
                            }
                        }
                    }
                }
                main #main.wrap tabindex="-1" { (body) }
                // Where scripts announce what changed without a reload (new replies,
                // notifications), for screen readers.
                div #live.visually-hidden aria-live="polite" {}
                footer.site-footer {
                    div.wrap {
                        p { (chrome.t("footer-disclaimer")) }
                        (language_switch(chrome))
                    }
                }
            }
        }
    }
    .into_string()
}

/// The footer's language switch: a plain form (no JavaScript needed) that sets the
/// language cookie and comes back to this page.
fn language_switch(chrome: &Chrome) -> Markup {
    html! {
        form.inline.language-switch method="post" action="/language" {
            (csrf(chrome))
            label for="footer-language" { (chrome.t("footer-language")) }
            " "
            select #footer-language name="language" {
                @for lang in LANGUAGES {
                    option value=(lang.code()) lang=(lang.code()) selected[lang == chrome.lang] { (lang.native_name()) }
                }
            }
            " "
            button.secondary type="submit" { (chrome.t("footer-language-change")) }
        }
    }
}

/// The hidden key a creating form carries, generated when the page was rendered, so that
/// the same form submitted twice creates one thing.
pub fn idempotency_key(form: &FormState) -> Markup {
    html! { input type="hidden" name=(IDEMPOTENCY_FIELD) value=(form.value(IDEMPOTENCY_FIELD)); }
}

/// The hidden CSRF field every form carries.
pub fn csrf(chrome: &Chrome) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(chrome.csrf_token); }
}

/// A labelled text input with its error message next to it.
pub fn text_field(
    form: &FormState,
    name: &str,
    label: &str,
    kind: &str,
    hint: Option<&str>,
    extra: Attrs,
) -> Markup {
    let error = form.error(name);
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = described_by(
        hint.map(|_| hint_id.as_str()),
        error.map(|_| error_id.as_str()),
    );
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) @if !extra.required { span.optional { " " (extra.lang.t("field-optional")) } } }
            @if let Some(hint) = hint { p.hint id=(hint_id) { (hint) } }
            @if let Some(error) = error { p.error id=(error_id) { (error) } }
            input id=(id) name=(name) type=(kind) value=(if kind == "password" { "" } else { form.value(name) })
                required[extra.required] autocomplete=[extra.autocomplete]
                maxlength=[extra.maxlength] aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described];
        }
    }
}

/// A labelled textarea with its error message next to it.
pub fn text_area(
    form: &FormState,
    name: &str,
    label: &str,
    hint: Option<&str>,
    rows: u8,
    extra: Attrs,
) -> Markup {
    let error = form.error(name);
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = described_by(
        hint.map(|_| hint_id.as_str()),
        error.map(|_| error_id.as_str()),
    );
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) @if !extra.required { span.optional { " " (extra.lang.t("field-optional")) } } }
            @if let Some(hint) = hint { p.hint id=(hint_id) { (hint) } }
            @if let Some(error) = error { p.error id=(error_id) { (error) } }
            textarea id=(id) name=(name) rows=(rows) required[extra.required]
                maxlength=[extra.maxlength] aria-invalid=[error.map(|_| "true")]
                aria-describedby=[described] { (form.value(name)) }
        }
    }
}

/// A labelled select; `options` are `(value, label)`.
pub fn select(form: &FormState, name: &str, label: &str, options: &[(&str, &str)]) -> Markup {
    let error = form.error(name);
    let id = format!("f-{name}");
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(error) = error { p.error id={ (id) "-error" } { (error) } }
            select id=(id) name=(name) {
                @for (value, text) in options {
                    option value=(value) selected[form.value(name) == *value] { (text) }
                }
            }
        }
    }
}

fn described_by(hint: Option<&str>, error: Option<&str>) -> Option<String> {
    let ids: Vec<&str> = [hint, error].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// Optional attributes of a form control.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attrs {
    pub required: bool,
    pub autocomplete: Option<&'static str>,
    pub maxlength: Option<u32>,
    /// The language of the words the control adds itself ("(optional)").
    pub lang: Lang,
}

impl Attrs {
    pub fn required() -> Attrs {
        Attrs {
            required: true,
            ..Attrs::default()
        }
    }

    pub fn auto(mut self, value: &'static str) -> Attrs {
        self.autocomplete = Some(value);
        self
    }

    pub fn max(mut self, length: u32) -> Attrs {
        self.maxlength = Some(length);
        self
    }

    /// The control's own words in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> Attrs {
        self.lang = lang;
        self
    }
}

/// The problems of a refused form that are not shown next to a field.
pub fn form_errors(form: &FormState, shown: &[&str]) -> Markup {
    form_errors_in(Lang::En, form, shown)
}

/// [`form_errors`] in the reader's language.
pub fn form_errors_in(lang: Lang, form: &FormState, shown: &[&str]) -> Markup {
    let others: Vec<&str> = form.other_errors(shown).collect();
    html! {
        @if form.has_errors() {
            div.alert.alert-error role="alert" {
                p { strong { (lang.t("form-check")) } }
                @if !others.is_empty() {
                    ul { @for message in others { li { (message) } } }
                }
            }
        }
    }
}

pub fn notice(text: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = text {
            div.alert.alert-ok role="status" { p { (text) } }
        }
    }
}

/// A person beside their words: a link to their profile and any staff badge, in the
/// reader's language.
pub fn person_in(lang: Lang, person: Option<&Person>) -> Markup {
    html! {
        @match person {
            Some(p) => {
                a href={ "/u/" (p.username) } { (p.display_name) }
                @if let Some(role) = &p.staff { " " (staff_badge_in(lang, role)) }
            },
            None => span.muted { (lang.t("former-member")) },
        }
    }
}

/// "Moderator" or "Admin" beside a staff member's name, in the reader's language. Only
/// the server sets it, so a member who names themselves "Maria (moderator)" — refused
/// anyway — still has none.
pub fn staff_badge_in(lang: Lang, role: &str) -> Markup {
    let label = match role {
        "admin" => "badge-admin",
        _ => "badge-moderator",
    };
    html! { span.badge.staff { (lang.t(label)) } }
}

/// A time in the reader's words and zone (see [`crate::clock`]).
pub fn time(chrome: &Chrome, stamp: &str) -> Markup {
    crate::clock::time(&chrome.clock, stamp)
}

/// A condition tag as words: "lung-cancer" → "Lung cancer"; a short tag without a hyphen is
/// an abbreviation ("nsclc" → "NSCLC").
pub fn condition_label(tag: &str) -> String {
    if tag.len() <= 5 && !tag.contains('-') {
        return tag.to_uppercase();
    }
    let words = tag.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// A community's kind in the reader's language.
pub fn kind_label_in(lang: Lang, kind: &str) -> String {
    lang.t(match kind {
        "condition" => "kind-condition",
        "caregiver" => "kind-caregiver",
        _ => "kind-general",
    })
}

pub fn community_card(chrome: &Chrome, card: &CommunityCard) -> Markup {
    html! {
        li.card {
            h3 { a href={ "/c/" (card.slug) } { (card.name) } }
            p.meta {
                span.tag { (kind_label_in(chrome.lang, &card.kind)) }
                @for tag in &card.condition_tags { " " span.tag.tag-soft { (condition_label(tag)) } }
                @if card.visibility == "private" { " " span.tag.tag-private { (chrome.t("community-private")) } }
                " · " (chrome.count("count-members", card.member_count))
                @if card.join_policy == "approval" { " · " (chrome.t("community-needs-approval")) }
            }
            @if !card.description.is_empty() { p { (card.description) } }
        }
    }
}

pub fn thread_list(chrome: &Chrome, threads: &[ThreadItem], show_community: bool) -> Markup {
    html! {
        @if threads.is_empty() {
            p.muted { (chrome.t("threads-none")) }
        } @else {
            ul.threads {
                @for t in threads {
                    li {
                        a.thread-title href={ "/t/" (t.id) } { (t.title) }
                        p.meta {
                            @if t.pinned { span.tag { (chrome.t("thread-pinned")) } " " }
                            @if t.locked { span.tag { (chrome.t("thread-locked")) } " " }
                            (chrome.t("thread-by")) " " (person_in(chrome.lang, t.author.as_ref()))
                            @if show_community { " " (chrome.t("thread-in")) " " a href={ "/c/" (t.community) } { (t.community) } }
                            " · " (chrome.count("count-posts", t.post_count))
                            " · " (chrome.t("thread-last-post")) " " (time(chrome, &t.last_post_at))
                            @if let Some(unread) = t.unread.as_ref().filter(|u| u.new_posts > 0) {
                                " · " (unread_link(chrome, &t.id, unread))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "4 new since your last visit", to the first of them (or the thread when that post is
/// gone from sight).
pub fn unread_link(chrome: &Chrome, thread_id: &str, unread: &Unread) -> Markup {
    let href = match &unread.first_unread_post_id {
        Some(post) => format!("/p/{post}"),
        None => format!("/t/{thread_id}"),
    };
    html! {
        a.unread href=(href) { strong { (chrome.count("count-new", unread.new_posts)) } " " (chrome.t("since-last-visit")) }
    }
}

/// One post. Held and removed posts say so, and tell their author why and what to change.
pub fn post(chrome: &Chrome, post: &PostItem, can_report: bool) -> Markup {
    html! {
        article.post.post-held[post.status == "held"].post-removed[post.status == "removed"] id={ "p" (post.id) } {
            header.post-header {
                span.author { (person_in(chrome.lang, post.author.as_ref())) }
                " · " (time(chrome, &post.created_at))
                @if post.edited { " · " (chrome.t("post-edited")) }
                @if let Some((at, of)) = post.position { " · " span.position { (chrome.t_args("post-position", &[("at", at.into()), ("of", of.into())])) } }
            }
            @if post.status == "held" {
                div.review role="note" {
                    p {
                        strong { (chrome.t("post-held")) }
                        " "
                        @if post.own { (chrome.t("post-held-own")) }
                        @else { (chrome.t("post-held-other")) }
                    }
                    @if let Some(note) = &post.moderation_note { p { (chrome.t("post-why")) " " (note) } }
                    @if post.own {
                        p { (chrome.t("post-held-what-to-do")) }
                    }
                }
            }
            @if post.status == "removed" {
                div.review role="note" {
                    p { strong { (chrome.t("post-removed")) } }
                    @if let Some(note) = &post.moderation_note { p { (chrome.t("post-why")) " " (note) } }
                    (crate::duty::appeal_form(chrome, post))
                }
            }
            @if post.deleted {
                p.muted { (chrome.t("post-deleted")) }
            } @else if post.author_blocked {
                details.blocked-post {
                    summary { (chrome.t("post-blocked-show")) }
                    div.post-body { (PreEscaped(&post.body_html)) }
                }
            } @else {
                (crate::content_notes::post_body(chrome.lang, post, html! { div.post-body { (PreEscaped(&post.body_html)) } }))
            }
            (crate::duty::context_notes(chrome, post))
            @if !post.deleted {
                (reactions(chrome, post, can_report && post.status == "published"))
            }
            @if let (Some(saved), "published", false) = (post.saved, post.status.as_str(), post.deleted) {
                (save_form(chrome, post, saved))
            }
            @if let (true, false, Some(source)) = (post.own, post.deleted, &post.source) {
                (edit_post_form(chrome, &post.thread_id, &post.id, source, &crate::content_notes::ticked(post)))
            }
            @if can_report && !post.own && !post.deleted {
                (report_post_form(chrome, &post.thread_id, &post.id))
            }
        }
    }
}

/// Reactions under a post: a button per kind for a signed-in reader of a published post
/// (each a small form, so it works without JavaScript; app.js sends it to the API and
/// flips `aria-pressed` in place), else the counts as text when there are any.
fn reactions(chrome: &Chrome, post: &PostItem, can_react: bool) -> Markup {
    html! {
        @if can_react {
            (reaction_bar(chrome, &post.thread_id, &post.id, &post.reactions))
        } @else if post.reactions.iter().any(|r| r.count > 0) {
            p.reactions-summary.muted {
                @for (i, r) in post.reactions.iter().filter(|r| r.count > 0).enumerate() {
                    @if i > 0 { " · " }
                    (r.label) ": " (r.count)
                }
            }
        }
    }
}

/// "Save for later": a toggle (`aria-pressed`) that works as a plain form.
fn save_form(chrome: &Chrome, post: &PostItem, saved: bool) -> Markup {
    html! {
        form.inline.save-form method="post" action={ "/t/" (post.thread_id) "/p/" (post.id) "/save" } {
            (csrf(chrome))
            input type="hidden" name="on" value=(if saved { "false" } else { "true" });
            button.secondary type="submit" aria-pressed=(if saved { "true" } else { "false" }) { (chrome.t("post-save")) }
            @if saved { " " a href="/me/saved" { (chrome.t("post-saved-link")) } }
        }
    }
}

/// The reaction buttons of one post. The thread page also carries them as a template,
/// with `POST_ID` for the id, for replies that arrive without a reload.
pub fn reaction_bar(
    chrome: &Chrome,
    thread_id: &str,
    post_id: &str,
    items: &[ReactionItem],
) -> Markup {
    html! {
        div.reactions role="group" aria-label=(chrome.t("post-support")) {
            @for r in items {
                form.react-form method="post" action={ "/t/" (thread_id) "/p/" (post_id) "/react" }
                    data-api={ "/api/v1/posts/" (post_id) "/reactions/" (r.kind) } {
                    (csrf(chrome))
                    input type="hidden" name="kind" value=(r.kind);
                    input type="hidden" name="on" value=(if r.mine { "false" } else { "true" });
                    button.reaction type="submit" data-kind=(r.kind)
                        aria-pressed=(if r.mine { "true" } else { "false" }) {
                        @if r.kind == "with_you" { span aria-hidden="true" { "\u{2764} " } }
                        (r.label) " " span.reaction-count { (r.count) }
                    }
                }
            }
        }
    }
}

/// The author's "Edit your post" form. The thread page also carries it as a template, with
/// `POST_ID` for the id and no text, which app.js fills for the author's replies that arrive
/// without a reload.
pub fn edit_post_form(
    chrome: &Chrome,
    thread_id: &str,
    post_id: &str,
    source: &str,
    notes: &FormState,
) -> Markup {
    html! {
        details.report.post-edit {
            summary { (chrome.t("post-edit")) }
            form method="post" action={ "/t/" (thread_id) "/p/" (post_id) "/edit" } {
                (csrf(chrome))
                label for={ "edit-" (post_id) } { (chrome.t("post-edit-label")) }
                textarea id={ "edit-" (post_id) } name="body" rows="6" required maxlength="20000" { (source) }
                (crate::content_notes::note_boxes(chrome.lang, notes, &format!("edit-{post_id}")))
                button type="submit" { (chrome.t("post-edit-save")) }
            }
        }
    }
}

/// A reader's "Report this post" form (also a template on the thread page, like
/// [`edit_post_form`]).
pub fn report_post_form(chrome: &Chrome, thread_id: &str, post_id: &str) -> Markup {
    html! {
        details.report.post-report {
            summary { (chrome.t("post-report")) }
            form method="post" action={ "/t/" (thread_id) "/p/" (post_id) "/report" } {
                (csrf(chrome))
                label for={ "report-" (post_id) } { (chrome.t("post-report-label")) }
                textarea id={ "report-" (post_id) } name="reason" rows="2" required maxlength="500" {}
                button type="submit" { (chrome.t("post-report-send")) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn condition_tags_read_as_words() {
        assert_eq!(condition_label("lung-cancer"), "Lung cancer");
        assert_eq!(condition_label("nsclc"), "NSCLC");
        assert_eq!(condition_label("glioblastoma"), "Glioblastoma");
        assert_eq!(condition_label("brain-tumours"), "Brain tumours");
    }
}
