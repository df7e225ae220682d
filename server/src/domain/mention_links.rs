//! `@username` in sanitized post HTML turned into a link to the member's profile.
//!
//! It runs on HTML that ammonia already cleaned, so the input is well formed and its text
//! escaped; the links it adds name only usernames (`[a-z0-9_]`), which need no escaping.
//! Text inside links, code and preformatted blocks is left alone, and so is an `@` right
//! after a word character (an e-mail address) — the same reading as
//! `service::notifications::mentioned_usernames`, so a link and a notification go
//! together.

use std::collections::HashSet;
use std::hash::BuildHasher;

/// Links each `@name` whose lowercased name is in `linkable`; everything else is copied.
pub fn link_mentions<S: BuildHasher>(html: &str, linkable: &HashSet<String, S>) -> String {
    if linkable.is_empty() || !html.contains('@') {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 64 * linkable.len());
    // Open `a`, `code` and `pre` elements around the current text.
    let mut shielded = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |at| at + 1);
            let tag = &rest[..end];
            let name: String = tag
                .trim_start_matches('<')
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if matches!(name.as_str(), "a" | "code" | "pre") {
                if tag.starts_with("</") {
                    shielded = shielded.saturating_sub(1);
                } else {
                    shielded += 1;
                }
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        if shielded == 0 {
            link_text(text, linkable, &mut out);
        } else {
            out.push_str(text);
        }
        rest = &rest[end..];
    }
    out
}

/// One run of text between tags.
fn link_text<S: BuildHasher>(text: &str, linkable: &HashSet<String, S>, out: &mut String) {
    let mut copied = 0;
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let starts =
            c == '@' && !previous.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '@');
        previous = Some(c);
        if !starts {
            continue;
        }
        let after = &text[at + 1..];
        let length = after
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .unwrap_or(after.len());
        let written = &after[..length];
        let name = written.to_ascii_lowercase();
        if !linkable.contains(&name) {
            continue;
        }
        out.push_str(&text[copied..at]);
        out.push_str("<a class=\"mention\" href=\"/u/");
        out.push_str(&name);
        out.push_str("\">@");
        out.push_str(written);
        out.push_str("</a>");
        copied = at + 1 + length;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> HashSet<String> {
        list.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn linkable_mentions_become_profile_links() {
        let html = "<p>Thanks @Sam_Patient and @stranger!</p>";
        assert_eq!(
            link_mentions(html, &names(&["sam_patient"])),
            "<p>Thanks <a class=\"mention\" href=\"/u/sam_patient\">@Sam_Patient</a> and @stranger!</p>"
        );
    }

    #[test]
    fn links_code_and_addresses_are_left_alone() {
        let html = "<p>maria@sam_patient <code>@sam_patient</code> \
                    <a href=\"https://x.org\">@sam_patient</a> @sam_patientx</p>\
                    <pre><code>@sam_patient</code></pre>";
        assert_eq!(link_mentions(html, &names(&["sam_patient"])), html);
    }

    #[test]
    fn every_occurrence_is_linked() {
        let out = link_mentions("<p>@jo, @jo</p>", &names(&["jo"]));
        assert_eq!(out.matches("href=\"/u/jo\"").count(), 2);
    }
}
