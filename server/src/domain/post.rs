//! Threads and posts: titles, markdown bodies and how a body becomes safe HTML.

use super::markdown::render_markdown;
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

    /// The body as sanitized HTML, ready to be placed in a page; refused when it asks
    /// for more work than any post needs (see [`super::markdown`]). CPU-bound: call it on
    /// the blocking pool.
    pub fn render_html(&self) -> Result<String, Error> {
        render_markdown("body", &self.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_titles() {
        assert!(PostBody::parse("   ").is_err());
        assert!(PostBody::parse(&"x".repeat(20_001)).is_err());
        assert!(PostBody::parse(&"x".repeat(20_000)).is_ok());
        assert!(ThreadTitle::parse(&"t".repeat(201)).is_err());
        assert!(ThreadTitle::parse("line\nbreak").is_err());
    }
}
