//! Markdown → HTML that is safe to embed, with the work bounded.
//!
//! Rendering is the one place where a visitor's few kilobytes turn into work for the
//! server, so the cost of a body must not grow faster than its length. Three bounds keep
//! it linear:
//! - **Nesting**: a line may open at most [`MAX_NESTING`] containers (block quotes and
//!   list items) with its markers; further markers are escaped and read as text, which is
//!   what they look like anyway. Containers nested deeper through indentation are
//!   flattened in the HTML (their content kept), so the sanitizer never sees a deep tree.
//!   Parsers of HTML and markdown both spend time proportional to depth on every element,
//!   which made `>`×20,000 cost seconds.
//! - **Elements**: at most [`MAX_EVENTS`] markdown events (a table whose rows are padded
//!   to a wide header is the cheapest way to ask for many).
//! - **Output**: at most [`MAX_HTML_BYTES`] of HTML before sanitising.
//!
//! A body past the last two bounds is refused as too complex, not cut short: the author
//! sees why, and nothing half-rendered is stored.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::error::Error;

/// Block quotes and list items one line may open, and containers kept in the HTML.
pub const MAX_NESTING: usize = 16;
/// Markdown events (tags, text runs, breaks) in one body. A 20,000-character post of
/// ordinary prose and formatting produces a few thousand.
pub const MAX_EVENTS: usize = 40_000;
/// HTML produced before sanitising.
pub const MAX_HTML_BYTES: usize = 256 * 1024;

/// Renders markdown to HTML that is safe to embed: raw HTML in the source is shown as
/// text, not interpreted, and the result passes through ammonia, which keeps only
/// formatting tags, only http(s) and mailto links, and marks links
/// `rel="nofollow ugc noopener"`. `field` names the input in the error for a body too
/// complex to render.
pub fn render_markdown(field: &'static str, source: &str) -> Result<String, Error> {
    let source = limit_nesting(source);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let mut bounded = Bounded::new(Parser::new_ext(&source, options));
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut html, bounded.by_ref());
    if bounded.exceeded || html.len() > MAX_HTML_BYTES {
        return Err(Error::invalid(
            field,
            format!("{field} has too many elements to display; please simplify its formatting"),
        ));
    }
    Ok(sanitizer().clean(&html).to_string())
}

/// The pipeline as it was before the bounds above: pulldown-cmark, then ammonia. Kept only
/// so that `kindred bench markdown` can show both side by side; never used to serve.
pub fn render_unbounded(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    sanitizer().clean(&html).to_string()
}

/// Escapes the container markers of each line beyond the [`MAX_NESTING`]th, so that
/// `>>>>…` or `- - - …` reads as text from there on. Borrowed when nothing changes.
fn limit_nesting(source: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        if let Some(at) = excess_marker(line) {
            let out = out.get_or_insert_with(|| String::with_capacity(source.len() + 16));
            out.push_str(&source[copied..line_start + at]);
            out.push('\\');
            copied = line_start + at;
        }
        line_start += line.len();
    }
    match out {
        None => Cow::Borrowed(source),
        Some(mut out) => {
            out.push_str(&source[copied..]);
            Cow::Owned(out)
        }
    }
}

/// The byte offset in `line` of the first container marker past [`MAX_NESTING`], if the
/// line opens more than that many.
fn excess_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = 0;
    let mut markers = 0;
    loop {
        while at < bytes.len() && (bytes[at] == b' ' || bytes[at] == b'\t') {
            at += 1;
        }
        let (length, escape_at) = marker_length(&bytes[at..])?;
        if markers == MAX_NESTING {
            return Some(at + escape_at);
        }
        markers += 1;
        at += length;
    }
}

/// The block quote or list marker at the start of `rest`, if there is one: its length and
/// where a backslash escapes it. Markers are `>`, a bullet (`-`, `+`, `*`) or an ordered
/// marker (`1.`, `1)`, escaped at its punctuation since digits cannot be escaped), the
/// latter two followed by white space or the end of the line as CommonMark requires.
fn marker_length(rest: &[u8]) -> Option<(usize, usize)> {
    let ends_marker = |next: Option<&u8>| matches!(next, None | Some(b' ' | b'\t' | b'\r' | b'\n'));
    match rest.first()? {
        b'>' => Some((1, 0)),
        b'-' | b'+' | b'*' if ends_marker(rest.get(1)) => Some((1, 0)),
        b'0'..=b'9' => {
            let digits = rest
                .iter()
                .take(10)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let ok = digits <= 9
                && matches!(rest.get(digits), Some(b'.' | b')'))
                && ends_marker(rest.get(digits + 1));
            ok.then_some((digits + 1, digits))
        }
        _ => None,
    }
}

/// Passes markdown events through, flattening containers nested deeper than
/// [`MAX_NESTING`] and stopping after [`MAX_EVENTS`].
struct Bounded<'a, I: Iterator<Item = Event<'a>>> {
    events: I,
    /// For each open container: whether its tags were kept.
    open: Vec<bool>,
    kept: usize,
    seen: usize,
    exceeded: bool,
}

impl<'a, I: Iterator<Item = Event<'a>>> Bounded<'a, I> {
    fn new(events: I) -> Self {
        Bounded {
            events,
            open: Vec::new(),
            kept: 0,
            seen: 0,
            exceeded: false,
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Bounded<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let event = self.events.next()?;
            self.seen += 1;
            if self.seen > MAX_EVENTS {
                self.exceeded = true;
                return None;
            }
            return Some(match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => {
                    let keep = self.kept < MAX_NESTING;
                    self.open.push(keep);
                    if !keep {
                        continue;
                    }
                    self.kept += 1;
                    event
                }
                Event::End(end @ (TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item)) => {
                    if self.open.pop() == Some(true) {
                        self.kept -= 1;
                        Event::End(end)
                    } else if end == TagEnd::Item {
                        // Flattened items would otherwise run into each other.
                        Event::HardBreak
                    } else {
                        continue;
                    }
                }
                other => other,
            });
        }
    }
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
            // Only absolute links, and the one relative shape quotes use (`/p/{id}`): a
            // "relative" href is how obfuscated schemes (`\u{2028}javascript:`) end up in
            // the output, so nothing else relative passes.
            .url_relative(ammonia::UrlRelative::Custom(Box::new(post_permalink)))
            .link_rel(Some("nofollow ugc noopener"))
            .strip_comments(true);
        builder
    })
}

/// Keeps a relative link only if it is exactly a post's permalink, `/p/` and digits.
fn post_permalink(url: &str) -> Option<Cow<'_, str>> {
    let id = url.strip_prefix("/p/")?;
    let digits = !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit());
    digits.then_some(Cow::Borrowed(url))
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

    fn render(source: &str) -> String {
        render_markdown("body", source).expect("renders")
    }

    /// Deepest nesting of the given tags in `html`.
    fn depth(html: &str, tags: &[&str]) -> usize {
        let (mut now, mut deepest) = (0usize, 0usize);
        for piece in html.split('<').skip(1) {
            let name: String = piece
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if !tags.contains(&name.as_str()) {
                continue;
            }
            if piece.starts_with('/') {
                now = now.saturating_sub(1);
            } else {
                now += 1;
                deepest = deepest.max(now);
            }
        }
        deepest
    }

    #[test]
    fn text_from_html() {
        let html = render("**Chemo** &amp; <b>scans</b>\n\n- one\n- two");
        assert_eq!(html_to_text(&html), "Chemo & <b>scans</b> one two");
    }

    #[test]
    fn markdown_formats() {
        let html = render("**bold** and [a link](https://example.org)");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains(r#"<a href="https://example.org" rel="nofollow ugc noopener">"#));
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = render("<script>alert(1)</script> <img src=x onerror=alert(1)>");
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
            let html = render(source).to_lowercase();
            for scheme in ["javascript:", "data:", "vbscript:"] {
                assert!(
                    !html.contains(&format!("href=\"{scheme}")),
                    "{source} -> {html}"
                );
            }
        }
    }

    #[test]
    fn only_post_permalinks_may_be_relative() {
        let html = render("[quoted](/p/123) [a](/admin) [b](/p/1/x) [c](//evil.example/p/1)");
        assert!(html.contains(r#"<a href="/p/123" rel="nofollow ugc noopener">quoted</a>"#));
        assert!(!html.contains("/admin"), "{html}");
        assert!(!html.contains("/p/1/x"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
    }

    #[test]
    fn sanitizing_is_idempotent() {
        let once = render("<b onclick=x>hi</b> *there* [l](http://a.b)");
        assert_eq!(sanitizer().clean(&once).to_string(), once);
    }

    #[test]
    fn ordinary_nesting_is_kept() {
        let html = render("> quoted\n> > twice\n\n- a\n  - b\n    1. c\n");
        assert_eq!(depth(&html, &["blockquote"]), 2);
        assert!(html.contains("<ol>"));
        assert_eq!(depth(&html, &["ul", "ol"]), 3);
        assert!(!html.contains('\\'));
    }

    #[test]
    fn markers_past_the_limit_become_text() {
        for source in [
            ">".repeat(20_000),
            "> ".repeat(10_000),
            "> - ".repeat(5_000),
            "- > ".repeat(5_000),
            "1. ".repeat(6_666),
            "* ".repeat(10_000),
        ] {
            let html = render(&source);
            let containers = depth(&html, &["blockquote", "ul", "ol", "li"]);
            assert!(
                containers <= 2 * MAX_NESTING,
                "{containers} for {}",
                &source[..8]
            );
            // `>` → `&gt;`: text costs at most its escaping.
            assert!(html.len() < 5 * source.len(), "{} bytes", html.len());
        }
    }

    #[test]
    fn exactly_the_markers_past_the_limit_are_escaped() {
        let line = format!("{}x\n", "> ".repeat(MAX_NESTING + 2));
        let limited = limit_nesting(&line);
        assert_eq!(limited.matches('\\').count(), 1);
        assert!(limited.starts_with(&"> ".repeat(MAX_NESTING)));
        assert!(matches!(
            limit_nesting("> > ok\n- list\n"),
            Cow::Borrowed(_)
        ));
        // Not markers: emphasis, numbers in prose, a thematic-break-like word.
        assert!(matches!(limit_nesting("*a* 2024. -x"), Cow::Borrowed(_)));
    }

    #[test]
    fn containers_nested_by_indentation_are_flattened() {
        let mut source = String::new();
        for level in 0..60 {
            source.push_str(&"  ".repeat(level));
            source.push_str("- item\n");
        }
        let html = render(&source);
        assert!(depth(&html, &["ul"]) <= MAX_NESTING);
        assert_eq!(html.matches("item").count(), 60);
    }

    #[test]
    fn bodies_asking_for_too_many_elements_are_refused() {
        // A 2,000-column header and delimiter row, then rows that are padded to it.
        let mut table = format!("{}|\n{}|\n", "|a".repeat(2_000), "|-".repeat(2_000));
        table.push_str(&"a|\n".repeat(3_000));
        let error = render_markdown("body", &table).expect_err("too complex");
        assert!(matches!(error, Error::Invalid { field: "body", .. }));
        assert!(render_markdown("body", &"*a* ".repeat(4_000)).is_ok());
    }
}

#[cfg(test)]
mod sanitizer_properties {
    use proptest::prelude::*;

    use super::render_markdown;

    /// Tags of `html` as (name, attributes), quote-aware: ammonia escapes `&` and `"`
    /// in attribute values but not `<` or `>`, so a value may hold either.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let bytes = html.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(open) = html[at..].find('<').map(|i| at + i) {
            let mut i = open + 1;
            let name_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                i += 1;
            }
            let name = html[name_start..i].to_ascii_lowercase();
            let mut attributes = Vec::new();
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'>' {
                    break;
                }
                let key_start = i;
                while i < bytes.len() && !b" \t\n\r=>".contains(&bytes[i]) {
                    i += 1;
                }
                let key = html[key_start..i].to_ascii_lowercase();
                let mut value = String::new();
                if i < bytes.len() && bytes[i] == b'=' {
                    i += 1;
                    let quote = bytes.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
                    let value_start = i + usize::from(quote.is_some());
                    let value_end = match quote {
                        Some(q) => html[value_start..]
                            .find(char::from(q))
                            .map_or(html.len(), |e| value_start + e),
                        None => html[value_start..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(html.len(), |e| value_start + e),
                    };
                    value = html[value_start..value_end].to_owned();
                    i = (value_end + usize::from(quote.is_some())).min(bytes.len());
                }
                attributes.push((key, value));
            }
            found.push((name, attributes));
            at = i.min(html.len());
            if at <= open {
                at = open + 1;
            }
        }
        found
    }

    fn attack_source() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            any::<char>().prop_map(String::from),
            "[a-z<>=\"' :/()\\[\\]!*`#-]{1,10}",
            Just("<a href=\"javascript:alert(1)\">x</a>".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("<svg/onload=alert(1)>".to_owned()),
            Just("<p onclick='x'>".to_owned()),
            Just("[x](javascript:alert(1))".to_owned()),
            Just("[x](JaVaScRiPt:alert(1))".to_owned()),
            Just("[x](java\u{2028}script:alert(1))".to_owned()),
            Just("[x](&#106;avascript:alert(1))".to_owned()),
            Just("[x](vbscript:msgbox(1))".to_owned()),
            Just("![x](data:text/html;base64,PHNjcmlwdD4=)".to_owned()),
            Just("[x](https://example.org/\"onmouseover=\"alert(1))".to_owned()),
            Just("[x]: javascript:alert(1)\n\n[x]".to_owned()),
            Just("<https://example.org/?a=\"b\">".to_owned()),
            Just("\n\n> - 1. ".to_owned()),
            Just("`<b onclick=x>`".to_owned()),
            Just("| a | b |\n|---|---|\n| <i onfocus=x> | c |\n".to_owned()),
        ];
        prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn output_has_no_event_handlers_nor_script_urls(source in attack_source()) {
            let Ok(html) = render_markdown("body", &source) else { return Ok(()) };
            for (name, attributes) in tags(&html) {
                for (key, value) in attributes {
                    prop_assert!(!key.starts_with("on"), "<{name} {key}=…> in {html}");
                    if key == "href" || key == "src" {
                        let url: String = value
                            .replace("&amp;", "&")
                            .chars()
                            .filter(|c| !c.is_whitespace() && !c.is_control())
                            .collect::<String>()
                            .to_ascii_lowercase();
                        for scheme in ["javascript:", "vbscript:", "data:"] {
                            prop_assert!(!url.starts_with(scheme), "{key}={value:?} in {html}");
                        }
                    }
                }
            }
        }
    }
}
