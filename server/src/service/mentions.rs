//! `@mentions`: which names in a post become profile links, and the suggestions offered
//! while a member types one (`GET /users/suggest`). Who is *notified* of a mention is
//! decided with everyone else a post concerns, in `notifications::post_published`.
//!
//! Suggestions only name members whose posts the caller can already read in that place —
//! authors in the thread first, then authors in its community — so the list reveals no
//! membership the caller could not see anyway: a private community's members are never
//! offered to someone outside it, and a member who only reads is never offered at all.

use std::collections::HashSet;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::community::Visibility;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, CommunityId, ThreadId, UserId};
use crate::domain::mention_links::link_mentions;
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::store::communities;
use crate::store::mentions::{self, AuthorsIn, Candidate};
use crate::store::{blocks, notifications, threads};
use crate::store::{DbConnection, Store};

use super::access::CommunityAccess;
use super::notifications::mentioned_usernames;

/// Most suggestions in one answer.
pub const MAX_SUGGESTIONS: usize = 10;

/// Rows read per tier before the filters below, so that a few filtered out still leave
/// a full list.
const READ_AHEAD: i64 = 40;

/// Links the `@mentions` of a post's rendered HTML whose members may read the community
/// the post is in; others stay plain text, so a link never tells the reader that someone
/// outside a private group exists there.
pub(crate) fn link_html(
    conn: &mut DbConnection,
    community_id: i64,
    source: &str,
    html: String,
) -> Result<String, Error> {
    let names = mentioned_usernames(source);
    if names.is_empty() {
        return Ok(html);
    }
    let community = communities::find(conn, CommunityId(community_id))?.ok_or(Error::NotFound)?;
    let named = mentions::users_named(conn, &names)?;
    let ids: Vec<i64> = named.iter().map(|(id, _)| id.0).collect();
    let readers = notifications::readers_among(
        conn,
        community.id.0,
        community.visibility == Visibility::Public,
        &ids,
    )?;
    let linkable: HashSet<String> = named
        .into_iter()
        .filter(|(id, _)| readers.contains(&id.0))
        .map(|(_, name)| name)
        .collect();
    Ok(link_mentions(&html, &linkable))
}

/// The start of a username being typed: 1 to 32 of `[A-Za-z0-9_]`, an `@` before it
/// allowed; compared lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePrefix(String);

impl NamePrefix {
    pub fn parse(raw: &str) -> Result<NamePrefix, Error> {
        let raw = raw.trim();
        let raw = raw.strip_prefix('@').unwrap_or(raw);
        let valid = (1..=32).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if valid {
            Ok(NamePrefix(raw.to_ascii_lowercase()))
        } else {
            Err(Error::invalid(
                "q",
                "q must be the start of a username: 1 to 32 letters, digits or underscores",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A member offered for an `@mention`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestedUser {
    pub username: String,
    pub display_name: String,
    /// Wrote in this thread (these come first).
    pub in_thread: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    /// At most 10: members of the thread first, then of its community, each by username.
    pub users: Vec<SuggestedUser>,
}

/// Members to offer for `@prefix` in a reply to `thread_id`: authors of published posts
/// in the thread, then in its community, who may read it and are not suspended there —
/// never the caller or members the caller blocked. A thread the caller may not read is
/// `NotFound`.
pub fn suggest(
    store: &Store,
    limit: &RateLimit,
    user: &CurrentUser,
    prefix: &NamePrefix,
    thread_id: ThreadId,
) -> Result<Suggestions, Error> {
    let now = now_micros();
    let (thread, community) = store.read(|conn| {
        let thread = threads::find(conn, thread_id.0)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, thread.community_id, Some(user))?;
        Ok((ThreadId(thread.id), access.community))
    })?;
    store.write(|conn| limit.take(conn, &user.id.to_string(), now))?;
    store.read(|conn| {
        let public = community.visibility == Visibility::Public;
        let mut hidden: HashSet<UserId> = blocks::blocked_by(conn, user.id)?;
        hidden.insert(user.id);
        let mut users: Vec<SuggestedUser> = Vec::new();
        for (place, in_thread) in [
            (AuthorsIn::Thread(thread), true),
            (AuthorsIn::Community(community.id), false),
        ] {
            let found: Vec<Candidate> =
                mentions::authors_with_prefix(conn, place, prefix.as_str(), READ_AHEAD)?;
            let ids: Vec<UserId> = found.iter().map(|(id, ..)| *id).collect();
            let raw_ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
            let readers = notifications::readers_among(conn, community.id.0, public, &raw_ids)?;
            let suspended = mentions::suspended_among(conn, community.id, &ids, now)?;
            for (id, username, display_name) in found {
                if users.len() == MAX_SUGGESTIONS {
                    break;
                }
                if readers.contains(&id.0) && !suspended.contains(&id) && hidden.insert(id) {
                    users.push(SuggestedUser {
                        username,
                        display_name,
                        in_thread,
                    });
                }
            }
        }
        Ok(Suggestions { users })
    })
}

#[cfg(test)]
mod tests {
    use super::NamePrefix;

    #[test]
    fn prefixes_are_usernames_starts() {
        assert_eq!(
            NamePrefix::parse("@Sam").map(|p| p.0).ok(),
            Some("sam".into())
        );
        assert_eq!(
            NamePrefix::parse("jo_c").map(|p| p.0).ok(),
            Some("jo_c".into())
        );
        for bad in ["", "@", "a%", "a b", "é", &"x".repeat(33)] {
            assert!(NamePrefix::parse(bad).is_err(), "{bad}");
        }
    }
}
