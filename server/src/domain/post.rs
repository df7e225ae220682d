//! Threads and posts: titles, markdown bodies and how a body becomes safe HTML.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser};

use super::{check_text, text_enum};
use crate::error::Error;

/// A thread title: 1–200 characters, one line.
pub struct ThreadTitle(String);

impl ThreadTitle {
    pub fn parse(raw: &str) -> Result<ThreadTitle, Error> {
        let trimmed = raw.trim();
        check_text("title", trimmed, 1, 200, false)?;
        Ok(ThreadTitle(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A post's markdown source: 1–20,000 characters, not only white space.
pub struct PostBody(String);

impl PostBody {
    pub fn parse(raw: &str) -> Result<PostBody, Error> {
        let trimmed = raw.trim();
        check_text("body", trimmed, 1, 20_000, true)?;
        Ok(PostBody(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The body as sanitized HTML, ready to be placed in a page.
    pub fn render_html(&self) -> String {
        render_markdown(&self.0)
    }
}

text_enum! {
    /// `held` and `removed` posts are visible only to their author and moderators.
    PostStatus, "status" {
        Published => "published",
        Held => "held",
        Removed => "removed",
    }
}

/// Renders markdown to HTML that is safe to embed: raw HTML in the source is shown as
/// text, not interpreted, and the result passes through ammonia, which keeps only
/// formatting tags, only http(s) and mailto links, and marks links
/// `rel="nofollow ugc noopener"`.
pub fn render_markdown(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitizer().clean(&html).to_string()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "p",
            "br",
            "hr",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        ]
        .into_iter()
        .collect();
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(tags)
            .add_tag_attributes("a", ["href"])
            .add_tag_attributes("ol", ["start"])
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            // Only absolute links: a "relative" href is how obfuscated schemes
            // (`\u{2028}javascript:`) end up in the output, and posts need none.
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("nofollow ugc noopener"))
            .strip_comments(true);
        builder
    })
}

/// The text of sanitized post HTML, for indexing: tags dropped (block ends become
/// spaces), the few entities ammonia emits decoded.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_html() {
        let html = render_markdown("**Chemo** &amp; <b>scans</b>\n\n- one\n- two");
        assert_eq!(html_to_text(&html), "Chemo & <b>scans</b> one two");
    }

    #[test]
    fn markdown_formats() {
        let html = render_markdown("**bold** and [a link](https://example.org)");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains(r#"<a href="https://example.org" rel="nofollow ugc noopener">"#));
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = render_markdown("<script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn dangerous_links_lose_their_href() {
        for source in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox(1))",
            "<javascript:alert(1)>",
        ] {
            let html = render_markdown(source).to_lowercase();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(
                    !html.contains(&format!("href=\"{scheme}")),
                    "{source} -> {html}"
                );
            }
        }
    }

    #[test]
    fn sanitizing_is_idempotent() {
        let once = render_markdown("<b onclick=x>hi</b> *there* [l](http://a.b)");
        assert_eq!(sanitizer().clean(&once).to_string(), once);
    }

    #[test]
    fn bodies_and_titles() {
        assert!(PostBody::parse("   ").is_err());
        assert!(PostBody::parse(&"x".repeat(20_001)).is_err());
        assert!(PostBody::parse(&"x".repeat(20_000)).is_ok());
        assert!(ThreadTitle::parse(&"t".repeat(201)).is_err());
        assert!(ThreadTitle::parse("line\nbreak").is_err());
    }
}
