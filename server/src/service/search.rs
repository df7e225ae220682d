//! Searching posts: the viewer's visibility goes into the query itself, so private
//! communities never show up in items, counts or snippets for people outside them.

use std::collections::HashMap;

use kindred_search::{Cursor, ParsedQuery, SearchRequest, Sort, Visibility};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::community::{
    CommunitySlug, MembershipRole, MembershipState, Visibility as CommunityVisibility,
};
use crate::domain::content_note::ContentNote;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{format_time, CommunityId, PostId, ThreadId};
use crate::error::Error;
use crate::indexer::Search;
use crate::service::content_notes;
use crate::store::Store;
use crate::store::{communities, users};

/// A search as the client asked for it, already checked.
pub struct SearchInput {
    pub query: ParsedQuery,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: usize,
    /// Moderators may ask for held and removed posts of their communities.
    pub include_hidden: bool,
}

fn client_error(error: kindred_search::Error) -> Error {
    if error.is_client_error() {
        Error::bad_request("invalid_query", error.to_string())
    } else {
        Error::failed("search", error)
    }
}

impl SearchInput {
    /// Parses `q` plus the optional `community` parameter (a slug) into one query.
    pub fn parse(
        q: &str,
        community: Option<&str>,
        sort: Option<&str>,
        cursor: Option<&str>,
        limit: Option<i64>,
        include_hidden: bool,
    ) -> Result<SearchInput, Error> {
        let text = match community {
            Some(slug) => {
                let slug = CommunitySlug::parse(slug)?;
                format!("{q} community:{}", slug.as_str())
            }
            None => q.to_owned(),
        };
        let sort = match sort {
            None => Sort::Relevance,
            Some(raw) => Sort::parse(raw)
                .ok_or_else(|| Error::invalid("sort", "sort must be one of: relevance, newest"))?,
        };
        Ok(SearchInput {
            query: ParsedQuery::parse(&text).map_err(client_error)?,
            sort,
            cursor: cursor
                .map(Cursor::parse)
                .transpose()
                .map_err(|_| Error::bad_request("invalid_cursor", "cursor is not valid"))?,
            limit: usize::try_from(limit.unwrap_or(20).clamp(1, 100)).unwrap_or(20),
            include_hidden,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchItem {
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub thread_title: String,
    /// The community's slug.
    pub community: String,
    /// The community's name, as people read it.
    pub community_name: String,
    /// A fragment of the post, HTML-escaped, with matches in `<mark>`.
    pub snippet_html: String,
    /// The author's username; `null` for a former member.
    pub author: Option<String>,
    /// The author's display name; `null` for a former member.
    pub author_display_name: Option<String>,
    pub created_at: String,
    pub score: f32,
    pub status: String,
    /// What its author marked the post with (see `service::content_notes`).
    pub content_notes: Vec<ContentNote>,
    /// This reader folds one of its notes away (their choice, else the community's
    /// defaults): pages show the snippet behind "show". Never for the reader's own posts.
    pub collapsed: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchItem>,
    pub next_cursor: Option<String>,
    /// Matching posts the viewer may read, over all pages: exact up to a few thousand,
    /// estimated above that for common words (see `kindred_search::SearchResults`).
    pub total_estimate: u64,
}

pub fn search(
    store: &Store,
    index: &Search,
    viewer: Option<&CurrentUser>,
    mut input: SearchInput,
) -> Result<SearchPage, Error> {
    let (directory, roles) = store.read(|conn| {
        let directory = communities::directory(conn)?;
        let roles = match viewer {
            Some(user) => communities::roles_of(conn, user.id)?,
            None => Vec::new(),
        };
        Ok((directory, roles))
    })?;
    let is_admin = viewer.is_some_and(CurrentUser::is_admin);
    let active = |id: CommunityId, moderator: bool| {
        roles.iter().any(|(community, role, state)| {
            *community == id
                && *state == MembershipState::Active
                && (!moderator || *role == MembershipRole::Moderator)
        })
    };
    let mut visibility = Visibility::default();
    let mut names = HashMap::new();
    let mut readable_slugs = HashMap::new();
    for (id, slug, name, community_visibility) in &directory {
        names.insert(id.0, (slug.clone(), name.clone()));
        if is_admin || *community_visibility == CommunityVisibility::Public || active(*id, false) {
            visibility.readable.push(id.0);
            readable_slugs.insert(slug.clone(), id.0);
        }
        if is_admin || active(*id, true) {
            visibility.moderated.push(id.0);
        }
    }
    input
        .query
        .resolve_communities(|slug| readable_slugs.get(slug).copied());
    let request = SearchRequest {
        query: input.query,
        visibility,
        include_hidden: input.include_hidden,
        sort: input.sort,
        limit: input.limit,
        cursor: input.cursor,
        exact_count: false,
    };
    let results = index.live.get().search(&request).map_err(client_error)?;
    let mut usernames: Vec<String> = results
        .hits
        .iter()
        .filter_map(|h| h.author.clone())
        .collect();
    usernames.sort_unstable();
    usernames.dedup();
    let post_ids: Vec<i64> = results.hits.iter().map(|h| h.post_id).collect();
    let community_ids: Vec<i64> = results.hits.iter().map(|h| h.community_id).collect();
    let (display_names, notes, collapse) = store.read(|conn| {
        let display_names: HashMap<String, String> = users::display_names(conn, &usernames)?
            .into_iter()
            .collect();
        let notes = content_notes::of_posts(conn, &post_ids)?;
        let collapse = content_notes::collapse_by_community(conn, viewer, &community_ids)?;
        Ok((display_names, notes, collapse))
    })?;
    let own_name = viewer.map(|u| u.username.as_str());
    Ok(SearchPage {
        items: results
            .hits
            .into_iter()
            .map(|hit| {
                let (community, community_name) =
                    names.get(&hit.community_id).cloned().unwrap_or_default();
                let post_notes = notes.get(&hit.post_id).cloned().unwrap_or_default();
                let own = own_name.is_some() && hit.author.as_deref() == own_name;
                let collapsed = !own
                    && collapse
                        .get(&hit.community_id)
                        .is_some_and(|folded| !post_notes.intersection(folded).is_empty());
                SearchItem {
                    post_id: PostId(hit.post_id),
                    thread_id: ThreadId(hit.thread_id),
                    thread_title: hit.title,
                    community,
                    community_name,
                    snippet_html: hit.snippet_html,
                    author_display_name: hit
                        .author
                        .as_ref()
                        .and_then(|name| display_names.get(name).cloned()),
                    author: hit.author,
                    created_at: format_time(hit.created_at),
                    score: hit.score,
                    status: hit.status.as_str().to_owned(),
                    content_notes: post_notes.as_slice().to_vec(),
                    collapsed,
                }
            })
            .collect(),
        next_cursor: results.next_cursor.map(|c| c.to_string()),
        total_estimate: results.total_estimate,
    })
}
