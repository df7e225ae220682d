//! Mail templates: each mail as a plain-text part and an HTML part, in the recipient's
//! language (the catalogues' `mail-*` messages; the member's setting, else the
//! deployment's default, chosen by the server). Every value is escaped (maud in the HTML,
//! nothing to escape in text); no remote images, no tracking pixels or rewritten links;
//! subjects are built from fixed words and never carry user text, so nothing a member
//! typed reaches a header.

use maud::{html, Markup, DOCTYPE};

use crate::i18n::{Arg, Lang};

/// A rendered mail, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn document(lang: Lang, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36em; margin: 0 auto; padding: 1em;" {
                (body)
                hr style="border: none; border-top: 1px solid #ccc; margin-top: 2em;";
                p style="font-size: 0.9em; color: #555;" {
                    (lang.t("mail-footer"))
                }
            }
        }
    }
    .into_string()
}

/// The greeting that opens every mail.
fn hello(lang: Lang, username: &str) -> String {
    lang.t_args("mail-hello", &[("name", username.into())])
}

/// "If this was not you, reset your password now" with the link, as text and as HTML.
fn not_you(lang: Lang, forgot_link: &str) -> (String, Markup) {
    let (start, action) = (lang.t("mail-not-you"), lang.t("mail-reset-now"));
    let text = format!("{start} {action}: {forgot_link}\n");
    let html = html! { p { (start) " " a href=(forgot_link) { (action) } "." } };
    (text, html)
}

/// A password-reset link, valid for `minutes`.
pub fn password_reset(lang: Lang, username: &str, link: &str, minutes: u32) -> Rendered {
    let subject = lang.t("mail-reset-subject");
    let hello = hello(lang, username);
    let asked = lang.t("mail-reset-asked");
    let open = lang.t_args("mail-reset-open", &[("minutes", i64::from(minutes).into())]);
    let once = lang.t("mail-reset-once");
    let ignore = lang.t("mail-reset-ignore");
    let text = format!("{hello}\n\n{asked}\n{open}\n\n{link}\n\n{once}\n{ignore}\n");
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (asked) " " (open) }
            p { a href=(link) { (lang.t("mail-reset-link")) } }
            p style="font-size: 0.9em; word-break: break-all;" { (link) }
            p { (once) }
            p { (ignore) }
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// Tells a member their password was changed, with the way back in if it was not them.
pub fn password_changed(lang: Lang, username: &str, forgot_link: &str) -> Rendered {
    let subject = lang.t("mail-changed-subject");
    let hello = hello(lang, username);
    let changed = lang.t("mail-changed-body");
    let (not_you_text, not_you_html) = not_you(lang, forgot_link);
    let text = format!("{hello}\n\n{changed}\n\n{not_you_text}");
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (changed) }
            (not_you_html)
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// A link that confirms `username` reads this address: a new address for the account
/// (`registering` false) or the one given at registration. The address itself is not in
/// the text: the mail went to it.
pub fn confirm_email(
    lang: Lang,
    username: &str,
    link: &str,
    hours: u32,
    registering: bool,
) -> Rendered {
    let (subject, why) = if registering {
        (
            lang.t("mail-confirm-subject-account"),
            lang.t("mail-confirm-welcome"),
        )
    } else {
        (
            lang.t("mail-confirm-subject-address"),
            lang.t("mail-confirm-asked"),
        )
    };
    let hello = hello(lang, username);
    let open = lang.t_args("mail-confirm-open", &[("hours", i64::from(hours).into())]);
    let once = lang.t("mail-confirm-once");
    let text = format!("{hello}\n\n{why}\n{open}\n\n{link}\n\n{once}\n");
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (why) " " (open) }
            p { a href=(link) { (lang.t("mail-confirm-link")) } }
            p style="font-size: 0.9em; word-break: break-all;" { (link) }
            p { (once) }
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// Tells a member, at their current address, that a change of address was asked for; it
/// names neither address, and says how to stop it if it was not them.
pub fn email_change_requested(lang: Lang, username: &str, forgot_link: &str) -> Rendered {
    let subject = lang.t("mail-change-subject");
    let hello = hello(lang, username);
    let (asked, nothing) = (lang.t("mail-change-asked"), lang.t("mail-change-nothing"));
    let (not_you_text, not_you_html) = not_you(lang, forgot_link);
    let text = format!("{hello}\n\n{asked}\n{nothing}\n\n{not_you_text}");
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (asked) " " (nothing) }
            (not_you_html)
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// One notification in a notification mail.
#[derive(Debug, Clone)]
pub struct NoticeItem {
    /// `reply_to_thread`, `reply_to_post`, `mention`, `watched_thread`, `moderation_outcome`.
    pub kind: String,
    /// Where to read it (the thread, at the post).
    pub link: String,
    /// Only when the member asked to see what posts say in e-mails.
    pub content: Option<NoticeContent>,
}

/// What a post says, for members who opted in.
#[derive(Debug, Clone)]
pub struct NoticeContent {
    pub community: String,
    pub thread_title: String,
    pub excerpt: String,
    /// A moderator's decision and reason, for a moderation outcome.
    pub detail: Option<String>,
}

/// The links every notification mail ends with.
pub struct NoticeLinks<'a> {
    pub unsubscribe: &'a str,
    pub preferences: &'a str,
}

/// Words that name `count` notifications of a kind ("a new reply", "3 new replies"),
/// without saying where or about what.
fn kind_words(lang: Lang, kind: &str, count: usize) -> String {
    let count: Arg = i64::try_from(count).unwrap_or(i64::MAX).into();
    let args = [("count", count)];
    match kind {
        "reply_to_thread" | "reply_to_post" => lang.t_args("mail-kind-reply", &args),
        "mention" => lang.t_args("mail-kind-mentions", &args),
        "watched_thread" => lang.t_args("mail-kind-watched", &args),
        "moderation_outcome" => lang.t_args("mail-kind-outcome", &args),
        _ => lang.t_args("mail-kind-other", &args),
    }
}

/// The first letter in upper case: "a new reply" starts a line as "A new reply".
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The two links every mail a member can turn off ends with, as text and as HTML.
fn choose_and_stop(lang: Lang, links: &NoticeLinks<'_>) -> (String, Markup) {
    let (choose, stop) = (lang.t("mail-choose"), lang.t("mail-stop"));
    let text = format!(
        "{choose}: {}\n{stop}: {}\n",
        links.preferences, links.unsubscribe
    );
    let html = html! {
        p style="font-size: 0.9em;" {
            a href=(links.preferences) { (choose) }
            " · "
            a href=(links.unsubscribe) { (stop) }
        }
    };
    (text, html)
}

/// Mail about one or more notifications (an immediate mail or a digest). By default it
/// names neither the community nor the thread and quotes nothing; `content` is filled
/// only for members who asked for it.
pub fn notifications(
    lang: Lang,
    username: &str,
    items: &[NoticeItem],
    links: &NoticeLinks<'_>,
) -> Rendered {
    let same = items
        .windows(2)
        .all(|w| kind_words(Lang::En, &w[0].kind, 1) == kind_words(Lang::En, &w[1].kind, 1));
    let kind = match items.first() {
        Some(first) if same => first.kind.as_str(),
        _ => "",
    };
    let subject = lang.t_args(
        "mail-notifications-subject",
        &[("what", kind_words(lang, kind, items.len()).into())],
    );
    let hello = hello(lang, username);
    let mut text = format!("{hello}\n\n{subject}.\n\n");
    let place = |content: &NoticeContent| {
        lang.t_args(
            "mail-in-place",
            &[
                ("community", content.community.as_str().into()),
                ("thread", content.thread_title.as_str().into()),
            ],
        )
    };
    for item in items {
        let what = capitalised(&kind_words(lang, &item.kind, 1));
        text.push_str(&format!("- {what}: {}\n", item.link));
        if let Some(content) = &item.content {
            text.push_str(&format!("  {}\n  {}\n", place(content), content.excerpt));
            if let Some(detail) = &content.detail {
                text.push_str(&format!("  {detail}\n"));
            }
        }
    }
    let (links_text, links_html) = choose_and_stop(lang, links);
    text.push('\n');
    text.push_str(&links_text);
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (subject) "." }
            ul {
                @for item in items {
                    li {
                        a href=(item.link) { (capitalised(&kind_words(lang, &item.kind, 1))) }
                        @if let Some(content) = &item.content {
                            br;
                            span { (place(content)) }
                            blockquote style="margin: 0.3em 0 0.3em 1em; color: #333;" { (content.excerpt) }
                            @if let Some(detail) = &content.detail {
                                p { (detail) }
                            }
                        }
                    }
                }
            }
            (links_html)
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// Tells a community's moderator that a post may be from someone at high risk of harming
/// themselves. The post's words stay on the site, behind the moderator's sign-in.
pub fn wellbeing_alert(lang: Lang, username: &str, community: &str, queue_link: &str) -> Rendered {
    let subject = lang.t_args("mail-alert-subject", &[("community", community.into())]);
    let hello = hello(lang, username);
    let read = lang.t_args("mail-alert-body", &[("community", community.into())]);
    let stays = lang.t("mail-alert-stays");
    let text = format!("{hello}\n\n{read}\n\n{queue_link}\n\n{stays}\n");
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (read) }
            p { a href=(queue_link) { (lang.t("mail-alert-link")) } }
            p { (stays) }
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// Tells a member there are new private messages in one conversation. It never carries
/// what the messages say (mail crosses servers the member does not control, and a health
/// forum's private words stay behind the sign-in); `senders` is filled only for members
/// who chose to see content in mail, and the subject never names anyone.
pub fn private_messages(
    lang: Lang,
    username: &str,
    count: usize,
    senders: Option<&[String]>,
    link: &str,
    links: &NoticeLinks<'_>,
) -> Rendered {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let subject = lang.t_args("mail-pm-subject", &[("count", count.into())]);
    let from =
        senders.map(|names| lang.t_args("mail-pm-from", &[("names", names.join(", ").into())]));
    let hello = hello(lang, username);
    let mut text = format!("{hello}\n\n{subject}");
    if let Some(from) = &from {
        text.push_str(&format!(" {from}"));
    }
    let read = lang.t("mail-pm-read");
    let (links_text, links_html) = choose_and_stop(lang, links);
    text.push_str(&format!(".\n\n{read}: {link}\n\n{links_text}"));
    let html = document(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (subject) @if let Some(from) = &from { " " (from) } "." }
            p { a href=(link) { (lang.t("mail-pm-read-link")) } }
            (links_html)
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped_in_html() {
        let mail = password_reset(
            Lang::En,
            "<b>x</b>",
            "https://k.example/reset?token=a&b=<c>",
            30,
        );
        assert!(mail.html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!mail.html.contains("<c>"));
        assert!(!mail.html.contains("<img"));
        assert!(mail.text.contains("https://k.example/reset?token=a&b=<c>"));
        assert!(!mail.subject.contains('\n'));
    }

    #[test]
    fn mails_follow_the_language_with_its_plurals() {
        let links = NoticeLinks {
            unsubscribe: "https://k.example/u",
            preferences: "https://k.example/p",
        };
        let item = |kind: &str| NoticeItem {
            kind: kind.to_owned(),
            link: "https://k.example/t/1".to_owned(),
            content: None,
        };
        let one = notifications(Lang::En, "ana", &[item("mention")], &links);
        assert_eq!(one.subject, "You have a new mention on Kindred");
        assert!(one.text.contains("- A new mention: https://k.example/t/1"));
        let three = [
            item("reply_to_post"),
            item("reply_to_thread"),
            item("reply_to_post"),
        ];
        let many = notifications(Lang::Es, "ana", &three, &links);
        assert_eq!(many.subject, "Tienes 3 respuestas nuevas en Kindred");
        assert!(many.text.starts_with("Hola, ana:"), "{}", many.text);
        assert!(
            many.text.contains("- Una respuesta nueva: "),
            "{}",
            many.text
        );
        assert!(many.html.contains(r#"<html lang="es">"#));
        let mixed = notifications(
            Lang::Es,
            "ana",
            &[item("mention"), item("watched_thread")],
            &links,
        );
        assert_eq!(mixed.subject, "Tienes 2 notificaciones nuevas en Kindred");

        let reset = password_reset(Lang::Es, "ana", "https://k.example/r", 30);
        assert_eq!(reset.subject, "Restablece tu contraseña de Kindred");
        assert!(
            reset.text.contains("en los próximos 30 minutos"),
            "{}",
            reset.text
        );
        let pm = private_messages(Lang::Es, "ana", 1, None, "https://k.example/m", &links);
        assert_eq!(pm.subject, "Tienes un mensaje privado nuevo en Kindred");
        let pm = private_messages(
            Lang::En,
            "ana",
            2,
            Some(&["ben".to_owned()]),
            "https://k.example/m",
            &links,
        );
        assert_eq!(pm.subject, "You have 2 new private messages on Kindred");
        assert!(pm.text.contains("on Kindred from ben."), "{}", pm.text);
    }
}
