//! Highlighted, HTML-safe snippets.
//!
//! Vocabulary: a *fragment* is the stretch of a post's body (at most
//! [`SNIPPET_CHARS`] characters) where the query's terms are densest, as chosen by
//! tantivy's `SnippetGenerator`; its *highlights* are the byte ranges of matched terms.
//! We render it ourselves: every piece of text is HTML-escaped, and the only markup added
//! is `<mark>…</mark>` around highlights and `…` where the fragment cuts the text. Post
//! text is untrusted; a `<script>` in a post comes out as `&lt;script&gt;`.

use std::ops::Range;

use tantivy::snippet::{Snippet, SnippetGenerator};

/// Longest body fragment, in characters (tantivy counts bytes of token offsets).
pub(crate) const SNIPPET_CHARS: usize = 200;
/// Titles are highlighted whole; this bounds the fragment generously.
pub(crate) const TITLE_CHARS: usize = 1_000;

const ELLIPSIS: &str = "…";

/// The first snippet of `text` with highlights, trying the generators in order (a
/// Spanish post's Spanish analysis first, then the English one).
fn first_highlighted(generators: &[&SnippetGenerator], text: &str) -> Option<Snippet> {
    generators
        .iter()
        .map(|generator| generator.snippet(text))
        .find(|snippet| !snippet.is_empty() && !snippet.highlighted().is_empty())
}

/// The body snippet: the best fragment with highlights, or the body's opening when no
/// term matched in the body (a title-only or filter-only match).
pub(crate) fn body_html(generators: &[&SnippetGenerator], body: &str) -> String {
    match first_highlighted(generators, body) {
        Some(snippet) => render(&snippet, body),
        None => opening_html(body),
    }
}

/// The title with highlights, or just escaped.
pub(crate) fn title_html(generators: &[&SnippetGenerator], title: &str) -> String {
    let Some(snippet) = first_highlighted(generators, title) else {
        return escape(title);
    };
    let mut html = String::with_capacity(title.len() + 16);
    let range = snippet.fragment_range();
    escape_into(&title[..range.start], &mut html);
    push_marked(snippet.fragment(), snippet.highlighted(), &mut html);
    escape_into(&title[range.end..], &mut html);
    html
}

/// Renders a fragment of `text`, widened to whole whitespace-separated words (tantivy
/// cuts at token edges, which would drop a closing bracket or a full stop).
fn render(snippet: &Snippet, text: &str) -> String {
    let range: Range<usize> = snippet.fragment_range();
    let (Some(before), Some(after)) = (text.get(..range.start), text.get(range.end..)) else {
        return escape(snippet.fragment());
    };
    let lead_start = before
        .rfind(char::is_whitespace)
        .map_or(0, |space| space + 1);
    let tail_len = after.find(char::is_whitespace).unwrap_or(after.len());
    let mut html = String::with_capacity(snippet.fragment().len() + 32);
    if !before[..lead_start].trim().is_empty() {
        html.push_str(ELLIPSIS);
    }
    escape_into(&before[lead_start..], &mut html);
    push_marked(snippet.fragment(), snippet.highlighted(), &mut html);
    escape_into(&after[..tail_len], &mut html);
    if !after[tail_len..].trim().is_empty() {
        html.push_str(ELLIPSIS);
    }
    html
}

fn push_marked(fragment: &str, highlighted: &[Range<usize>], html: &mut String) {
    let mut from = 0;
    for range in highlighted {
        // Ranges come from token offsets inside the fragment; `get` keeps a surprise
        // from ever panicking.
        let (Some(before), Some(marked)) =
            (fragment.get(from..range.start), fragment.get(range.clone()))
        else {
            continue;
        };
        escape_into(before, html);
        html.push_str("<mark>");
        escape_into(marked, html);
        html.push_str("</mark>");
        from = range.end;
    }
    escape_into(fragment.get(from..).unwrap_or(""), html);
}

/// The first [`SNIPPET_CHARS`] characters of the text, cut at a word boundary.
fn opening_html(text: &str) -> String {
    let text = text.trim();
    let cut = text
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map(|(index, _)| index);
    match cut {
        None => escape(text),
        Some(index) => {
            let head = &text[..index];
            let head = match head.rfind(char::is_whitespace) {
                Some(space) if space > 0 => &head[..space],
                _ => head,
            };
            let mut html = escape(head.trim_end());
            html.push_str(ELLIPSIS);
            html
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    escape_into(text, &mut html);
    html
}

fn escape_into(text: &str, html: &mut String) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#x27;"),
            _ => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script> it's"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; it&#x27;s"
        );
    }

    #[test]
    fn marks_highlights_inside_escaped_text() {
        let mut html = String::new();
        push_marked("a <b> chemo & more", &[6..11, 100..120], &mut html);
        assert_eq!(html, "a &lt;b&gt; <mark>chemo</mark> &amp; more");
    }

    #[test]
    fn fragments_widen_to_whole_words() {
        let text = "one two \"<chemo>.\" three";
        let snippet_of = |word: &str| {
            let mut generator = SnippetGenerator::new(
                [(word.to_owned(), 1.0)].into_iter().collect(),
                tantivy::tokenizer::TextAnalyzer::from(
                    tantivy::tokenizer::SimpleTokenizer::default(),
                ),
                tantivy::schema::Field::from_field_id(0),
                5,
            );
            generator.set_max_num_chars(5);
            body_html(&[&generator], text)
        };
        assert_eq!(
            snippet_of("chemo"),
            "…&quot;&lt;<mark>chemo</mark>&gt;.&quot;…"
        );
        assert_eq!(snippet_of("one"), "<mark>one</mark>…");
        assert_eq!(snippet_of("three"), "…<mark>three</mark>");
        assert_eq!(snippet_of("absent"), escape(text));
    }

    #[test]
    fn opening_cuts_at_a_word_boundary() {
        assert_eq!(opening_html("  short <i>  "), "short &lt;i&gt;");
        let long = "word ".repeat(100);
        let html = opening_html(&long);
        assert!(html.ends_with("word…"), "{html}");
        assert!(html.chars().count() <= SNIPPET_CHARS + 1);
        let unbroken = "é".repeat(300);
        assert_eq!(opening_html(&unbroken).chars().count(), SNIPPET_CHARS + 1);
    }
}
