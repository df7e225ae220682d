//! Personal information, part 1: links and e-mail addresses in the contact view, and
//! whether a link promotes an outside site or points at a trusted one.

use std::ops::Range;

use super::{Analysis, Masked};
use crate::lexicon::Lexicons;
use crate::Label;

impl Analysis<'_> {
    pub(super) fn find_links_and_emails(&mut self, lexicons: &Lexicons) {
        let text = self.contact_text().to_string();
        for (chunk_start, chunk) in chunks_with_at_or_dot(&text) {
            // Bytes, not chars: the brackets, quotes and punctuation trimmed are ASCII.
            let leading = chunk
                .bytes()
                .take_while(|b| b"([{<\"'*>".contains(b))
                .count();
            let trimmed_start = &chunk[leading..];
            let start = chunk_start + leading;
            let trailing = trimmed_start
                .bytes()
                .rev()
                .take_while(|b| b")]}>\"'.,!?;:*".contains(b))
                .count();
            let trimmed = &trimmed_start[..trimmed_start.len() - trailing];
            if trimmed.is_empty() {
                continue;
            }
            // Bytes, not chars: chunks are short and `@` and `.` are ASCII.
            if let Some(at) = trimmed.bytes().position(|b| b == b'@') {
                if let Some(range) = email_range(trimmed, at) {
                    let range = start + range.start..start + range.end;
                    let domain = &text[range.clone()]
                        .split('@')
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    let original = self.normalized.contact.original_range(range.clone());
                    if lexicons.allow.trusts_host(domain) {
                        self.masked.push((original, Masked::TrustedLink));
                        continue;
                    }
                    let matched = text[range].to_string();
                    self.push_hit(
                        Label::PersonalInfo,
                        "personal_info.email",
                        matched,
                        0.95,
                        original.clone(),
                    );
                    self.masked.push((original, Masked::Email));
                }
                continue;
            }
            if !trimmed.as_bytes().contains(&b'.') {
                continue;
            }
            if let Some(link) = parse_link(trimmed, &lexicons.personal_info.top_level_domains) {
                let range = start + link.start..start + link.end;
                let original = self.normalized.contact.original_range(range);
                if lexicons.allow.trusts_host(&link.host) {
                    self.masked.push((original, Masked::TrustedLink));
                } else {
                    self.masked.push((original.clone(), Masked::Link));
                    self.judge_link(&link, original, lexicons);
                }
            }
        }
        // "jane at gmail.com": a plain "at" before a webmail domain.
        let tokens = &self.contact;
        let mut found = Vec::new();
        for index in 1..tokens.len().saturating_sub(1) {
            if tokens.text(&text, index) != "at" {
                continue;
            }
            let domain = tokens.text(&text, index + 1);
            let after = &text[tokens.spans[index + 1].end..];
            if lexicons.personal_info.webmail.contains(domain)
                && after.starts_with('.')
                && after[1..].starts_with(|c: char| c.is_ascii_alphabetic())
            {
                let end = index + 2;
                found.push(index - 1..end.min(tokens.len()));
            }
        }
        for range in found {
            let original = self.contact_original(range);
            let matched = self.original[original.clone()].to_string();
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.email",
                matched,
                0.9,
                original.clone(),
            );
            self.masked.push((original, Masked::Email));
        }
    }

    fn judge_link(&mut self, link: &Link, original: Range<usize>, lexicons: &Lexicons) {
        let promotion = &lexicons.promotion;
        let host_and_path = format!("{} {}", link.host, link.path);
        let parts: Vec<&str> = host_and_path
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect();
        fn find_entry<'e>(entries: &'e [Box<str>], link: &Link, parts: &[&str]) -> Option<&'e str> {
            entries.iter().map(|entry| &**entry).find(|entry| {
                if entry.contains('.') {
                    link.host == *entry || link.host.ends_with(&format!(".{entry}"))
                } else {
                    parts.contains(entry) || link.host.split('.').any(|label| label.contains(entry))
                }
            })
        }
        let contains_entry =
            |entries: &'_ [Box<str>]| find_entry(entries, link, &parts).map(str::to_string);
        let query_keys: Vec<&str> = link
            .query
            .split(['&', ';'])
            .filter_map(|pair| pair.split('=').next())
            .filter(|key| !key.is_empty())
            .collect();
        let affiliate = promotion.affiliate_params.iter().find(|param| {
            query_keys.iter().any(|key| {
                *key == &***param || (param.ends_with('_') && key.starts_with(&***param))
            })
        });
        let (rule, raw, detail) = if let Some(param) = affiliate {
            (
                "promotion.link.affiliate",
                0.9,
                format!("link with referral parameter `{param}`"),
            )
        } else if let Some(app) = contains_entry(&promotion.contact_apps) {
            ("promotion.link.contact_app", 0.85, format!("link to {app}"))
        } else if let Some(host) = contains_entry(&promotion.fundraising_hosts) {
            (
                "promotion.link.fundraising",
                0.7,
                format!("fundraising link ({host})"),
            )
        } else if let Some(word) = parts
            .iter()
            .find(|part| promotion.shop_link_words.iter().any(|w| &**w == **part))
        {
            ("promotion.link.shop", 0.75, format!("shop link (`{word}`)"))
        } else {
            (
                "promotion.link",
                0.35,
                "link to an outside site".to_string(),
            )
        };
        self.push_hit(Label::Promotion, rule, detail, raw, original);
    }
}

/// A link found in the contact view.
#[derive(Debug, Clone, PartialEq)]
struct Link {
    /// Byte range within the chunk it was found in.
    start: usize,
    end: usize,
    host: String,
    path: String,
    query: String,
}

/// Parses a link at the start of `chunk` (or at its `http`/`www.`): `https://host/path?q`,
/// `www.host`, or a bare `host.tld/path` whose ending is a known top-level domain.
fn parse_link(chunk: &str, top_level_domains: &crate::lexicon::WordSet) -> Option<Link> {
    let (start, explicit) =
        if let Some(at) = chunk.find("http://").or_else(|| chunk.find("https://")) {
            (at, true)
        } else if let Some(at) = chunk.find("www.") {
            (at, true)
        } else {
            (0, false)
        };
    let rest = &chunk[start..];
    let without_scheme = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))
        .unwrap_or(rest);
    let host_end = without_scheme
        .find(['/', '?', '#', ':'])
        .unwrap_or(without_scheme.len());
    let host = without_scheme[..host_end].trim_start_matches("www.");
    let labels: Vec<&str> = host.split('.').collect();
    let valid = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let tld = labels.last().copied().unwrap_or_default();
    if !valid || !tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.len() < 2 {
        return None;
    }
    if !explicit && (!top_level_domains.contains(tld) || labels[0].len() < 2) {
        return None;
    }
    let after_host = &without_scheme[host_end..];
    let (path, query) = match after_host.split_once('?') {
        Some((path, query)) => (path, query),
        None => (after_host, ""),
    };
    Some(Link {
        start,
        end: chunk.len(),
        host: host.to_string(),
        path: path.to_string(),
        query: query.split('#').next().unwrap_or_default().to_string(),
    })
}

/// The byte range of an e-mail address around the `@` at `at` in `chunk`.
fn email_range(chunk: &str, at: usize) -> Option<Range<usize>> {
    let local_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    let local_start = chunk[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| local_ok(c))
        .last()
        .map(|(i, _)| i)?;
    let domain = &chunk[at + 1..];
    let domain_len = domain
        .chars()
        .take_while(|&c| domain_ok(c))
        .map(char::len_utf8)
        .sum::<usize>();
    let domain = domain[..domain_len].trim_end_matches(['.', '-']);
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if !domain.contains('.') || tld.len() < 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(local_start..at + 1 + domain.len())
}

/// The chunks of `text` between spaces and line breaks that contain an `@` or a `.`, with
/// their byte offsets, in order: of `text.split([' ', '\n'])`, the only ones that can hold
/// an e-mail address or a link, found without a look at every chunk.
fn chunks_with_at_or_dot(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let is_break = |b: &u8| *b == b' ' || *b == b'\n';
    // Where the search goes on: the end of the last chunk found.
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + bytes[from..].iter().position(|&b| b == b'@' || b == b'.')?;
        let start = bytes[from..at]
            .iter()
            .rposition(is_break)
            .map_or(from, |p| from + p + 1);
        let end = bytes[at..]
            .iter()
            .position(is_break)
            .map_or(bytes.len(), |p| at + p);
        from = end;
        Some((start, &text[start..end]))
    })
}
