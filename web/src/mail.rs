//! Mail templates: each mail as a plain-text part and an HTML part. Every value is
//! escaped (maud in the HTML, nothing to escape in text); no remote images, no tracking
//! pixels or rewritten links; subjects are built from fixed words and never carry user
//! text, so nothing a member typed reaches a header.

use maud::{html, Markup, DOCTYPE};

/// A rendered mail, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn document(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36em; margin: 0 auto; padding: 1em;" {
                (body)
                hr style="border: none; border-top: 1px solid #ccc; margin-top: 2em;";
                p style="font-size: 0.9em; color: #555;" {
                    "Kindred — moderated communities for people living with health conditions."
                }
            }
        }
    }
    .into_string()
}

/// A password-reset link, valid for `minutes`.
pub fn password_reset(username: &str, link: &str, minutes: u32) -> Rendered {
    let subject = "Reset your Kindred password".to_owned();
    let text = format!(
        "Hello {username},\n\n\
         Someone (we hope you) asked to reset the password of your Kindred account.\n\
         To choose a new password, open this link within {minutes} minutes:\n\n\
         {link}\n\n\
         The link works once. Choosing a new password signs you out everywhere else.\n\
         If you did not ask for this, ignore this mail: your password stays as it is.\n"
    );
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { "Someone (we hope you) asked to reset the password of your Kindred account. "
                "To choose a new password, open this link within " (minutes) " minutes:" }
            p { a href=(link) { "Choose a new password" } }
            p style="font-size: 0.9em; word-break: break-all;" { (link) }
            p { "The link works once. Choosing a new password signs you out everywhere else." }
            p { "If you did not ask for this, ignore this mail: your password stays as it is." }
        },
    );
    Rendered {
        subject,
        text,
        html,
    }
}

/// Tells a member their password was changed, with the way back in if it was not them.
pub fn password_changed(username: &str, forgot_link: &str) -> Rendered {
    let subject = "Your Kindred password was changed".to_owned();
    let text = format!(
        "Hello {username},\n\n\
         The password of your Kindred account was just changed, and every other session\n\
         was signed out.\n\n\
         If this was not you, reset your password now: {forgot_link}\n"
    );
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { "The password of your Kindred account was just changed, and every other session was signed out." }
            p { "If this was not you, " a href=(forgot_link) { "reset your password now" } "." }
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
pub fn confirm_email(username: &str, link: &str, hours: u32, registering: bool) -> Rendered {
    let (subject, why) = if registering {
        (
            "Confirm your e-mail address for Kindred",
            "Welcome to Kindred. Confirm this is your address to start posting and joining communities.",
        )
    } else {
        (
            "Confirm your new e-mail address for Kindred",
            "Someone (we hope you) asked to use this address for a Kindred account.",
        )
    };
    let subject = subject.to_owned();
    let text = format!(
        "Hello {username},\n\n\
         {why}\n\
         To confirm, open this link within {hours} hours:\n\n\
         {link}\n\n\
         The link works once. If you did not ask for this, ignore this mail: nothing changes.\n"
    );
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { (why) " To confirm, open this link within " (hours) " hours:" }
            p { a href=(link) { "Confirm this address" } }
            p style="font-size: 0.9em; word-break: break-all;" { (link) }
            p { "The link works once. If you did not ask for this, ignore this mail: nothing changes." }
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
pub fn email_change_requested(username: &str, forgot_link: &str) -> Rendered {
    let subject = "A new e-mail address was given for your Kindred account".to_owned();
    let text = format!(
        "Hello {username},\n\n\
         Someone signed in to your Kindred account asked to move it to a new e-mail address.\n\
         Nothing changes unless the link sent to that address is opened.\n\n\
         If this was not you, reset your password now: {forgot_link}\n"
    );
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { "Someone signed in to your Kindred account asked to move it to a new e-mail address. "
                "Nothing changes unless the link sent to that address is opened." }
            p { "If this was not you, " a href=(forgot_link) { "reset your password now" } "." }
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

/// Words that name a kind of notification, singular and plural, without saying where or
/// about what.
fn kind_words(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "reply_to_thread" | "reply_to_post" => ("new reply", "new replies"),
        "mention" => ("new mention", "new mentions"),
        "watched_thread" => (
            "new post in a thread you watch",
            "new posts in threads you watch",
        ),
        "moderation_outcome" => (
            "moderator's decision about your post",
            "moderators' decisions about your posts",
        ),
        _ => ("new notification", "new notifications"),
    }
}

/// Mail about one or more notifications (an immediate mail or a digest). By default it
/// names neither the community nor the thread and quotes nothing; `content` is filled
/// only for members who asked for it.
pub fn notifications(username: &str, items: &[NoticeItem], links: &NoticeLinks<'_>) -> Rendered {
    let words: Vec<(&str, &str)> = items.iter().map(|i| kind_words(&i.kind)).collect();
    let same = words.windows(2).all(|w| w[0] == w[1]);
    let (one, many) = match words.first() {
        Some(first) if same => *first,
        _ => ("new notification", "new notifications"),
    };
    let subject = if items.len() == 1 {
        format!("You have a {one} on Kindred")
    } else {
        format!("You have {} {many} on Kindred", items.len())
    };
    let mut text = format!("Hello {username},\n\n{subject}.\n\n");
    for item in items {
        let (what, _) = kind_words(&item.kind);
        text.push_str(&format!("- A {what}: {}\n", item.link));
        if let Some(content) = &item.content {
            text.push_str(&format!(
                "  in {} / {}\n  {}\n",
                content.community, content.thread_title, content.excerpt
            ));
            if let Some(detail) = &content.detail {
                text.push_str(&format!("  {detail}\n"));
            }
        }
    }
    text.push_str(&format!(
        "\nChoose which mail you get: {}\nStop this kind of mail: {}\n",
        links.preferences, links.unsubscribe
    ));
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { (subject) "." }
            ul {
                @for item in items {
                    li {
                        a href=(item.link) { "A " (kind_words(&item.kind).0) }
                        @if let Some(content) = &item.content {
                            br;
                            span { "in " (content.community) " / " (content.thread_title) }
                            blockquote style="margin: 0.3em 0 0.3em 1em; color: #333;" { (content.excerpt) }
                            @if let Some(detail) = &content.detail {
                                p { (detail) }
                            }
                        }
                    }
                }
            }
            p style="font-size: 0.9em;" {
                a href=(links.preferences) { "Choose which mail you get" }
                " · "
                a href=(links.unsubscribe) { "Stop this kind of mail" }
            }
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
pub fn wellbeing_alert(username: &str, community: &str, queue_link: &str) -> Rendered {
    let subject = format!("Urgent: someone in {community} may be at risk");
    let text = format!(
        "Hello {username},\n\n\
         A new post in {community} reads as if its author may be at high risk of harming\n\
         themselves. Please look at it and reach out as soon as you can:\n\n\
         {queue_link}\n\n\
         The post stays published. The wellbeing queue shows the sentences that raised the\n\
         alert, a short guide to the risk levels and a message you can send.\n"
    );
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { "A new post in " strong { (community) } " reads as if its author may be at high risk of harming themselves. "
                "Please look at it and reach out as soon as you can." }
            p { a href=(queue_link) { "Open the wellbeing queue" } }
            p { "The post stays published. The wellbeing queue shows the sentences that raised the alert, "
                "a short guide to the risk levels and a message you can send." }
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
    username: &str,
    count: usize,
    senders: Option<&[String]>,
    link: &str,
    links: &NoticeLinks<'_>,
) -> Rendered {
    let subject = if count == 1 {
        "You have a new private message on Kindred".to_owned()
    } else {
        format!("You have {count} new private messages on Kindred")
    };
    let from = senders.map(|names| names.join(", "));
    let mut text = format!("Hello {username},\n\n{subject}");
    if let Some(from) = &from {
        text.push_str(&format!(" from {from}"));
    }
    text.push_str(&format!(
        ".\n\nRead and answer it: {link}\n\nChoose which mail you get: {}\nStop this kind of mail: {}\n",
        links.preferences, links.unsubscribe
    ));
    let html = document(
        &subject,
        html! {
            p { "Hello " strong { (username) } "," }
            p { (subject) @if let Some(from) = &from { " from " strong { (from) } } "." }
            p { a href=(link) { "Read and answer it on Kindred" } }
            p style="font-size: 0.9em;" {
                a href=(links.preferences) { "Choose which mail you get" }
                " · "
                a href=(links.unsubscribe) { "Stop this kind of mail" }
            }
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
        let mail = password_reset("<b>x</b>", "https://k.example/reset?token=a&b=<c>", 30);
        assert!(mail.html.contains("&lt;b&gt;x&lt;/b&gt;"));
        assert!(!mail.html.contains("<c>"));
        assert!(!mail.html.contains("<img"));
        assert!(mail.text.contains("https://k.example/reset?token=a&b=<c>"));
        assert!(!mail.subject.contains('\n'));
    }
}
