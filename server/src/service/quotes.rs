//! Replying to a particular post: the rule for `reply_to`, and the quote block a reply
//! form starts with ("Reply to this"), which links back to the quoted post (`/p/{id}`).

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{PostId, ThreadId};
use crate::error::Error;
use crate::store::posts::{self, PostRow};
use crate::store::threads::{self, ThreadRow};
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::notifications::excerpt;
use super::views::Authors;

/// Checks that `reply_to` names a post the member may see (else `NotFound`, exactly like a
/// post that does not exist) and that it belongs to the thread answered (else 400).
pub(crate) fn check_reply_to(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    thread: &ThreadRow,
    user: &CurrentUser,
    reply_to: PostId,
) -> Result<PostRow, Error> {
    let parent = visible_post(conn, access, user, reply_to)?;
    if parent.thread_id != thread.id {
        return Err(Error::invalid(
            "reply_to",
            "reply_to must be a post of this thread",
        ));
    }
    Ok(parent)
}

/// The post if the member may see it: published (or theirs, or they moderate) in a
/// community they may read, and not deleted.
fn visible_post(
    conn: &mut DbConnection,
    access: &CommunityAccess,
    user: &CurrentUser,
    id: PostId,
) -> Result<PostRow, Error> {
    let post = posts::find(conn, id.0)?
        .filter(|p| p.deleted_at.is_none())
        .ok_or(Error::NotFound)?;
    let visible = if post.community_id == access.community.id.0 {
        access.can_see_post(&post, Some(user))
    } else {
        match CommunityAccess::by_id(conn, post.community_id, Some(user)) {
            Ok(other) => other.can_see_post(&post, Some(user)),
            Err(Error::NotFound) => false,
            Err(error) => return Err(error),
        }
    };
    if visible {
        Ok(post)
    } else {
        Err(Error::NotFound)
    }
}

/// What a reply form starts with when the member chose "Reply to this".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub post_id: PostId,
    /// Markdown: a block quote of the post's start, headed by a link back to it.
    pub markdown: String,
}

/// The quote of post `post_id` for a reply in thread `thread_id`, if the member may see
/// the post and it belongs to that thread; otherwise `NotFound`.
pub fn quote(
    store: &Store,
    user: &CurrentUser,
    thread_id: ThreadId,
    post_id: PostId,
) -> Result<Quote, Error> {
    store.read(|conn| {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, thread.community_id, Some(user))?;
        let post = visible_post(conn, &access, user, post_id)?;
        if post.thread_id != thread.id {
            return Err(Error::NotFound);
        }
        let authors = Authors::load(conn, [post.author_id])?;
        let name = authors
            .get(post.author_id)
            .map_or_else(|| "A former member".to_owned(), |a| a.display_name);
        Ok(Quote {
            post_id,
            markdown: quote_markdown(post_id, &name, &excerpt(&post.body_html)),
        })
    })
}

/// `> [Name wrote](/p/123):` then the excerpt, quoted, and an empty line to write after.
/// The name is escaped so that brackets or emphasis in a display name cannot break the
/// link (an underscore inside a name, as in usernames, needs no escape).
pub fn quote_markdown(post_id: PostId, name: &str, text: &str) -> String {
    let name: String = name
        .chars()
        .flat_map(|c| {
            let escape = matches!(c, '\\' | '[' | ']' | '*' | '`' | '<' | '>' | '!' | '&');
            escape.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect();
    format!("> [{name} wrote](/p/{post_id}):\n> {text}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markdown::render_markdown;

    #[test]
    fn a_quote_links_back_to_its_post() {
        let source = quote_markdown(PostId(42), "Sam [admin]", "Scans were clear *today*");
        let html = render_markdown("body", &source).expect("renders");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains(r#"<a href="/p/42""#), "{html}");
        assert!(html.contains("Sam [admin] wrote"), "{html}");
    }
}
