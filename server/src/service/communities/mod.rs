//! Communities and memberships: listing, creating, joining, leaving, moderators,
//! approvals and bans.
//!
//! This module lists, creates and edits communities; memberships and the site overview
//! live in the submodules.

use crate::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, Visibility,
};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{CommunityCreatedPayload, CommunityUpdatedPayload, EventPayload};
use crate::domain::ids::{next_id, now_micros, CommunityId};
use crate::domain::markdown::render_markdown;
use crate::domain::user::ConditionTags;
use crate::error::Error;
use crate::store::communities::{self, CommunityRow, ListScope};
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::Store;
use kindred_web::i18n::Lang;

use super::access::CommunityAccess;
use super::cursor;
use super::views::{CommunityDetail, CommunitySummary, Page};

mod memberships;
mod overview;

pub(crate) use memberships::set_membership;
pub use memberships::{
    add_member, add_moderator, ban, join, leave, members, remove_moderator, unban,
};
pub use overview::{overview, suggested_for, CommunityStats, SiteOverview};

pub fn list(
    store: &Store,
    viewer: Option<&CurrentUser>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<CommunitySummary>, Error> {
    list_in(store, viewer, None, after, limit)
}

/// The directory's communities that talk in `language` (every language with `None`).
pub fn list_in(
    store: &Store,
    viewer: Option<&CurrentUser>,
    language: Option<Lang>,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<CommunitySummary>, Error> {
    let after_slug = after.map(cursor::decode_slug).transpose()?;
    let scope = match viewer {
        None => ListScope::Public,
        Some(user) if user.is_admin() => ListScope::Everything,
        Some(user) => ListScope::Member(user.id),
    };
    let language = language.map(Lang::code);
    let rows = store
        .read(|conn| communities::list(conn, scope, language, after_slug.as_deref(), limit + 1))?;
    Ok(paginate(
        rows,
        limit,
        |row| cursor::encode_slug(&row.slug),
        CommunitySummary::from_row,
    ))
}

/// Cuts a `limit + 1` result to `limit` items and a cursor if there was more.
pub(crate) fn paginate<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    cursor_of: impl Fn(&R) -> String,
    view: impl Fn(&R) -> T,
) -> Page<T> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(&cursor_of)
    } else {
        None
    };
    Page {
        items: rows.iter().map(view).collect(),
        next_cursor,
    }
}

pub fn get(
    store: &Store,
    viewer: Option<&CurrentUser>,
    slug: &str,
) -> Result<CommunityDetail, Error> {
    store.read(|conn| {
        // A listed private community shows its listing to everyone; its threads go
        // through `CommunityAccess::by_slug` and stay hidden.
        let access = CommunityAccess::listing_by_slug(conn, slug, viewer)?;
        Ok(CommunityDetail::from_rows(
            &access.community,
            access.membership.as_ref(),
        ))
    })
}

pub struct NewCommunity {
    pub slug: CommunitySlug,
    pub name: CommunityText,
    pub description: CommunityText,
    pub rules: CommunityText,
    pub kind: CommunityKind,
    pub condition_tags: ConditionTags,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    /// A private community shown in the directory, where members may ask to join.
    pub listed: bool,
    /// The language the community talks in.
    pub language: kindred_web::i18n::Lang,
}

pub fn create(
    store: &Store,
    admin: &CurrentUser,
    input: NewCommunity,
) -> Result<CommunityDetail, Error> {
    require_admin(admin, "create communities")?;
    render_markdown("rules", input.rules.as_str())?;
    let now = now_micros();
    let row = CommunityRow {
        id: CommunityId(next_id()),
        slug: input.slug.as_str().to_owned(),
        name: input.name.into_inner(),
        description: input.description.into_inner(),
        rules: input.rules.into_inner(),
        kind: input.kind,
        condition_tags: input.condition_tags.to_json(),
        visibility: input.visibility,
        join_policy: input.join_policy,
        member_count: 0,
        created_by: Some(admin.id),
        created_at: now,
        moderation_policy: "{}".into(),
        listed: input.listed,
        language: input.language.code().to_owned(),
    };
    store.write(|conn| {
        if communities::find_by_slug(conn, &row.slug)?.is_some() {
            return Err(Error::Conflict("a community with that slug exists".into()));
        }
        communities::insert(conn, &row)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::CommunityCreated,
                community_id: Some(row.id.0),
                thread_id: None,
                post_id: None,
                actor_id: Some(admin.id),
                payload: EventPayload::CommunityCreated(CommunityCreatedPayload {
                    slug: row.slug.clone(),
                }),
                created_at: now,
            },
        )?;
        Ok(CommunityDetail::from_rows(&row, None))
    })
}

/// Refuses anyone but a site admin, saying what only admins can do.
pub(super) fn require_admin(user: &CurrentUser, what: &str) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "not_admin",
            format!("only site admins can {what}"),
        ))
    }
}

/// Changes to a community's description and settings; `None` keeps a field.
#[derive(Default)]
pub struct CommunityPatch {
    pub name: Option<CommunityText>,
    pub description: Option<CommunityText>,
    pub rules: Option<CommunityText>,
    pub kind: Option<CommunityKind>,
    pub condition_tags: Option<ConditionTags>,
    pub visibility: Option<Visibility>,
    pub join_policy: Option<JoinPolicy>,
    pub listed: Option<bool>,
    pub language: Option<kindred_web::i18n::Lang>,
}

/// Edits a community (site admins only). Making it private takes effect at once
/// everywhere: pages, search and the API read visibility per request, and realtime
/// connections re-check their subscriptions on the `community.updated` event.
pub fn update(
    store: &Store,
    admin: &CurrentUser,
    slug: &str,
    patch: CommunityPatch,
) -> Result<CommunityDetail, Error> {
    require_admin(admin, "edit communities")?;
    if let Some(rules) = &patch.rules {
        render_markdown("rules", rules.as_str())?;
    }
    let now = now_micros();
    store.write(|conn| {
        let access = CommunityAccess::by_slug(conn, slug, Some(admin))?;
        let current = access.community;
        let row = CommunityRow {
            name: patch
                .name
                .map_or(current.name.clone(), CommunityText::into_inner),
            description: patch
                .description
                .map_or(current.description.clone(), CommunityText::into_inner),
            rules: patch
                .rules
                .map_or(current.rules.clone(), CommunityText::into_inner),
            kind: patch.kind.unwrap_or(current.kind),
            condition_tags: patch
                .condition_tags
                .map_or(current.condition_tags.clone(), |t| t.to_json()),
            visibility: patch.visibility.unwrap_or(current.visibility),
            join_policy: patch.join_policy.unwrap_or(current.join_policy),
            listed: patch.listed.unwrap_or(current.listed),
            language: patch
                .language
                .map_or(current.language.clone(), |l| l.code().to_owned()),
            ..current.clone()
        };
        communities::update_details(conn, &row)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::CommunityUpdated,
                community_id: Some(row.id.0),
                thread_id: None,
                post_id: None,
                actor_id: Some(admin.id),
                payload: EventPayload::CommunityUpdated(CommunityUpdatedPayload {
                    listed: row.listed,
                    visibility: row.visibility,
                    was_visibility: current.visibility,
                }),
                created_at: now,
            },
        )?;
        Ok(CommunityDetail::from_rows(&row, access.membership.as_ref()))
    })
}
