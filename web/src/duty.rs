//! Bereavement, appeals and clinician context (issue 19) on the pages: context notes
//! under a post (and the form to add one), the appeal form next to a decision, the open
//! appeals in the moderators' queue, and the admins' page for memorials and clinicians.
//! Everything works without JavaScript.

use maud::{html, Markup, PreEscaped};

use crate::layout::{csrf, form_errors, notice, page, person, text_field, time, Attrs};
use crate::model::{Chrome, FormState, Person, PostItem};

/// Longest context note, in characters (the server checks it too).
pub const NOTE_MAX_CHARS: u32 = 500;
/// Longest appeal, in characters.
pub const APPEAL_MAX_CHARS: u32 = 1000;

/// A context note under a post.
#[derive(Debug, Clone)]
pub struct ContextNoteItem {
    pub id: String,
    /// The writer's role ("oncology nurse", "moderator").
    pub label: String,
    pub writer: Option<Person>,
    /// Sanitised HTML.
    pub body_html: String,
    /// The markdown, when the reader may edit the note.
    pub source: Option<String>,
    pub created_at: String,
    pub edited: bool,
}

/// An open appeal in the moderators' queue.
#[derive(Debug, Clone)]
pub struct AppealEntry {
    pub id: String,
    pub community: String,
    pub appellant: Option<Person>,
    pub decided_by: Option<Person>,
    /// The decision in words ("removed the post", "warned", …).
    pub decision: String,
    pub reason: String,
    pub text: String,
    /// The post as moderators see it; `None` when the decision had none.
    pub post: Option<PostItem>,
    /// The post's thread, to link to.
    pub thread_id: Option<String>,
    pub can_decide: bool,
    pub created_at: String,
}

/// `/admin/members`: memorials and clinician verification.
#[derive(Debug, Clone)]
pub struct MembersAdminPage {
    pub notice: Option<String>,
    pub memorial: FormState,
    pub clinician: FormState,
}

/// "A" or "an" before a role.
fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The notes under a post, and the form to add one for readers who may.
pub fn context_notes(chrome: &Chrome, post: &PostItem) -> Markup {
    html! {
        @if !post.context_notes.is_empty() {
            div.context-notes {
                @for note in &post.context_notes {
                    aside.context-note id={ "n" (note.id) } aria-labelledby={ "nl" (note.id) } {
                        p.context-label id={ "nl" (note.id) } {
                            strong { "Context from " (article(&note.label)) " " (note.label) }
                            " · " (person(note.writer.as_ref())) " · " (time(chrome, &note.created_at))
                            @if note.edited { " · edited" }
                        }
                        div.post-body { (PreEscaped(&note.body_html)) }
                        @if let Some(source) = &note.source {
                            details {
                                summary { "Edit or remove this note" }
                                form method="post" action={ "/context-notes/" (note.id) } {
                                    (csrf(chrome))
                                    label for={ "ne" (note.id) } { "Note" }
                                    textarea id={ "ne" (note.id) } name="body" rows="3" required maxlength=(NOTE_MAX_CHARS) { (source) }
                                    button type="submit" { "Save note" }
                                }
                                form.inline method="post" action={ "/context-notes/" (note.id) "/remove" } {
                                    (csrf(chrome))
                                    button.secondary type="submit" { "Remove note" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if post.can_add_context && !post.deleted {
            details.add-context {
                summary { "Add context" }
                form method="post" action={ "/t/" (post.thread_id) "/p/" (post.id) "/context" } {
                    (csrf(chrome))
                    label for={ "nc" (post.id) } { "Context note" }
                    p.hint id={ "nch" (post.id) } { "Up to 500 characters. Readers see it under the post with your role. Link your sources." }
                    textarea id={ "nc" (post.id) } name="body" rows="3" required maxlength=(NOTE_MAX_CHARS) aria-describedby={ "nch" (post.id) } {}
                    button type="submit" { "Add note" }
                }
            }
        }
    }
}

/// The appeal form next to a decision about the reader's own post.
pub fn appeal_form(chrome: &Chrome, post: &PostItem) -> Markup {
    html! {
        @if post.can_appeal {
            details.appeal {
                summary { "Appeal this decision" }
                form method="post" action={ "/t/" (post.thread_id) "/p/" (post.id) "/appeal" } {
                    (csrf(chrome))
                    label for={ "ap" (post.id) } { "Why should another moderator look again?" }
                    p.hint id={ "aph" (post.id) } { "You can appeal once, within 30 days. A moderator who did not make the decision reads it." }
                    textarea id={ "ap" (post.id) } name="text" rows="3" required maxlength=(APPEAL_MAX_CHARS) aria-describedby={ "aph" (post.id) } {}
                    button type="submit" { "Send appeal" }
                }
            }
        }
    }
}

/// The open appeals at the top of the queue, each with its decision form.
pub fn appeals(chrome: &Chrome, items: &[AppealEntry]) -> Markup {
    html! {
        @if !items.is_empty() {
            section.appeals aria-labelledby="appeals-title" {
                h2 #appeals-title { "Appeals" }
                @for item in items {
                    article.appeal-item #{ "a" (item.id) } aria-labelledby={ "at" (item.id) } {
                        h3 id={ "at" (item.id) } {
                            (person(item.appellant.as_ref())) " appeals: " (item.decision)
                        }
                        p.meta { a href={ "/c/" (item.community) } { (item.community) } " · decided by " (person(item.decided_by.as_ref()))
                            " · appealed " (time(chrome, &item.created_at))
                            @if let Some(thread) = &item.thread_id { " · " a href={ "/t/" (thread) } { "thread" } } }
                        p { "Reason given: " (item.reason) }
                        blockquote { (item.text) }
                        @if let Some(post) = &item.post {
                            div.post data-post=(post.id) {
                                header.post-header { "By " (person(post.author.as_ref())) " · " (time(chrome, &post.created_at)) }
                                div.post-body { (PreEscaped(&post.body_html)) }
                            }
                        }
                        @if item.can_decide {
                            // One form per outcome, so the choice never rests on which
                            // button a script reports as the submitter.
                            form.inline method="post" action={ "/mod/appeals/" (item.id) "/decision" } {
                                (csrf(chrome))
                                input type="hidden" name="outcome" value="overturned";
                                button type="submit" { "Overturn (restore, lift sanction)" }
                            }
                            " "
                            form.inline method="post" action={ "/mod/appeals/" (item.id) "/decision" } {
                                (csrf(chrome))
                                input type="hidden" name="outcome" value="upheld";
                                button.secondary type="submit" { "Uphold" }
                            }
                        } @else {
                            p.muted { "You made this decision, so another moderator or an admin decides the appeal." }
                        }
                    }
                }
            }
        }
    }
}

/// `/admin/members`.
pub fn members_admin(chrome: &Chrome, view: &MembersAdminPage) -> String {
    let body = html! {
        h1 { "Members: memorials and clinicians" }
        (notice(view.notice.as_deref()))
        section aria-labelledby="memorial" {
            h2 #memorial { "Memorialise an account" }
            p { "At a family's request: the profile reads \u{201c}In memory of\u{201d}, nobody can sign in to it, it receives no notifications or mail, and its posts stay. Both steps are in the moderation log. Erasure stays possible: " code { "kindred user erase NAME" } "." }
            form method="post" action="/admin/members/memorial" {
                (csrf(chrome))
                (form_errors(&view.memorial, &["username", "action"]))
                (text_field(&view.memorial, "username", "Username", "text", None, Attrs::required().max(32)))
                fieldset {
                    legend { "Action" }
                    label { input type="radio" name="action" value="memorialise" checked; " Memorialise" }
                    label { input type="radio" name="action" value="reverse"; " Reverse a memorial" }
                }
                button type="submit" { "Save" }
            }
        }
        section aria-labelledby="clinician" {
            h2 #clinician { "Verified clinicians" }
            p { "A verified clinician can add context notes under posts, labelled with their role." }
            form method="post" action="/admin/members/clinician" {
                (csrf(chrome))
                (form_errors(&view.clinician, &["member", "role"]))
                (text_field(&view.clinician, "member", "Username", "text", None, Attrs::required().max(32)))
                (text_field(&view.clinician, "role", "Role", "text", Some("As readers see it, e.g. oncology nurse. Leave empty to withdraw a verification."), Attrs::default().max(60)))
                button type="submit" { "Save" }
            }
        }
    };
    page(chrome, "Memorials and clinicians", body)
}
