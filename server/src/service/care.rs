//! Duty of care (issue 19): what happens when a post's author may be at risk of harming
//! themselves.
//!
//! - Screening gives every post a self-harm risk level (`kindred_moderation::care`). It
//!   never holds a post: silence harms someone reaching out.
//! - At `medium` or `high` the author sees a calm panel with crisis lines for their
//!   country ([`CarePanel`]); it can be dismissed and comes back at most once a day.
//! - At `medium` or `high`, and when a member reports a post as "someone may be at risk"
//!   ([`SOMEONE_AT_RISK`]), a *wellbeing item* opens for the community's moderators: at
//!   the top of their wellbeing queue, urgent for `high`, announced live on `mod:{slug}`
//!   and, for `high`, mailed to them. A moderator records when they reached out.

use kindred_moderation::{RiskLevel, SelfHarm};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::config::care::{CareResources, Country};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, WellbeingPayload};
use crate::domain::ids::{format_time, next_id, now_micros, CommunityId, PostId, UserId};
use crate::error::Error;
use crate::service::access::{moderated_scope, CommunityAccess};
use crate::service::countries::country_of;
use crate::service::mail::{enqueue, message_host, Envelope};
use crate::service::views::{Authors, PostView, UserSummary};
use crate::store::care::{self as store, CarePromptRow, WellbeingItemRow};
use crate::store::communities;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::posts::{self, PostRow};
use crate::store::threads;
use crate::store::{DbConnection, Store};

/// The report reason that opens a wellbeing item: "someone may be at risk".
pub const SOMEONE_AT_RISK: &str = "someone_at_risk";

/// The panel comes back at most this often once dismissed.
const DAY_MICROS: i64 = 86_400_000_000;

/// Most wellbeing items listed at once.
const QUEUE_LIMIT: i64 = 100;

/// What the care features need from the deployment's settings.
#[derive(Debug, Clone, Copy)]
pub struct CareContext<'a> {
    /// `KINDRED_CARE_COUNTRY`.
    pub country: &'a str,
    /// For the link in the mail to moderators.
    pub public_url: &'a str,
    /// The language of that mail for moderators who chose none.
    pub default_language: kindred_web::i18n::Lang,
}

/// Crisis lines for a member whose post suggests they may be at risk.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarePanel {
    /// A few calm words for the member.
    pub message: String,
    /// The country's emergency number and crisis services.
    pub country: Country,
    /// When the numbers were last checked.
    pub last_checked: String,
}

/// `GET /api/v1/me/care`: the panel, while the member has one to see.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyCare {
    pub panel: Option<CarePanel>,
}

/// A wellbeing item as moderators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct WellbeingItemView {
    pub id: String,
    pub community: String,
    /// `medium` or `high`.
    pub level: String,
    /// `high`: reach out now.
    pub urgent: bool,
    /// `screening` or `report`.
    pub source: String,
    /// The sentences that made the level (empty for a report).
    pub sentences: Vec<String>,
    /// What the levels mean.
    pub guide: String,
    /// A message a moderator may send the author, to adapt.
    pub reach_out_template: String,
    pub post: PostView,
    pub thread_title: String,
    pub reached_out_by: Option<UserSummary>,
    pub reached_out_at: Option<String>,
    pub created_at: String,
}

const MESSAGE: &str = "Thank you for sharing this. It sounds like things are really hard right \
now, and you don't have to get through it alone. If you are thinking about ending your life, \
the people below are there to listen, day and night. If you are in immediate danger, call the \
emergency number.";

const GUIDE: &str = "Levels (HealthUnlocked's matrix). low: past or passive thoughts; \
medium: ongoing thoughts of dying or suicide, without intent; high: intent, a plan, the means \
or a time (reach out now, and if you believe life is in danger, contact emergency services). \
The post stays published; screening can be wrong in both directions.";

const TEMPLATE: &str = "Hi {name}, I'm one of the moderators here. I read your post and wanted \
to check in with you: how are you doing right now? You're not a burden, and you don't have to \
carry this alone. If things feel unsafe, please call a crisis line or your local emergency \
number; the numbers are on the site. I'm here if you want to talk.";

/// The panel with the crisis lines of `code` (the member's country, else the site's).
fn panel(code: &str) -> Result<CarePanel, Error> {
    let resources = CareResources::embedded()?;
    let country = resources
        .country(code)
        .ok_or_else(|| Error::Config(format!("no crisis resources for {code}")))?;
    Ok(CarePanel {
        message: MESSAGE.to_owned(),
        country: country.clone(),
        last_checked: resources.last_checked.clone(),
    })
}

/// After a post is written (in its transaction): at `medium` or `high`, opens its
/// wellbeing item and returns the panel its author sees now, if it is due.
pub(crate) fn after_post(
    conn: &mut DbConnection,
    post: &PostRow,
    self_harm: &SelfHarm,
    care: &CareContext<'_>,
    now: i64,
) -> Result<Option<CarePanel>, Error> {
    if !self_harm.level.needs_care() {
        return Ok(None);
    }
    open_item(
        conn,
        post,
        self_harm.level,
        &self_harm.sentences,
        "screening",
        Some(care),
        now,
    )?;
    let Some(author) = post.author_id else {
        return Ok(None);
    };
    if !panel_due(conn, UserId(author), now)? {
        return Ok(None);
    }
    panel(&country_of(conn, author, care.country)?).map(Some)
}

/// After a private message whose author may be at risk (issue 18: crisis signals in
/// messages are handled as in posts, as far as a message allows): the author's panel, as
/// `GET /me/care` and the pages show it. No wellbeing item opens: a conversation belongs
/// to no community, so it has no moderators who may read it.
pub(crate) fn after_message(
    conn: &mut DbConnection,
    author: i64,
    self_harm: &SelfHarm,
    now: i64,
) -> Result<(), Error> {
    if self_harm.level.needs_care() {
        panel_due(conn, UserId(author), now)?;
    }
    Ok(())
}

/// Whether the member sees the panel now (not dismissed today), recording that it is
/// shown when a day has passed since it last was.
fn panel_due(conn: &mut DbConnection, author: UserId, now: i64) -> Result<bool, Error> {
    let prompt = store::find_prompt(conn, author)?;
    let show = match &prompt {
        None => true,
        Some(row) if row.shown_at + DAY_MICROS <= now => true,
        Some(row) => row.dismissed_at.is_none(),
    };
    if !show {
        return Ok(false);
    }
    if prompt
        .as_ref()
        .is_none_or(|row| row.shown_at + DAY_MICROS <= now)
    {
        store::save_prompt(
            conn,
            &CarePromptRow {
                user_id: author,
                shown_at: now,
                dismissed_at: None,
            },
        )?;
    }
    Ok(true)
}

/// Opens a post's wellbeing item, or raises its level; announces it on `mod:{slug}` and,
/// at `high` with `care` known, mails the community's moderators.
pub(crate) fn open_item(
    conn: &mut DbConnection,
    post: &PostRow,
    level: RiskLevel,
    sentences: &[String],
    source: &str,
    care: Option<&CareContext<'_>>,
    now: i64,
) -> Result<(), Error> {
    let item_id = if let Some(item) = store::item_for_post(conn, PostId(post.id))? {
        if RiskLevel::parse(&item.level).is_some_and(|old| old >= level) {
            return Ok(());
        }
        store::set_item_level(conn, item.id, level.as_str())?;
        item.id
    } else {
        let item = WellbeingItemRow {
            id: next_id(),
            community_id: CommunityId(post.community_id),
            post_id: PostId(post.id),
            level: level.as_str().to_owned(),
            source: source.to_owned(),
            sentences: json!(sentences).to_string(),
            reached_out_by: None,
            reached_out_at: None,
            created_at: now,
        };
        store::insert_item(conn, &item)?;
        item.id
    };
    events::append(
        conn,
        NewEvent {
            kind: EventKind::WellbeingOpened,
            community_id: Some(post.community_id),
            thread_id: Some(post.thread_id),
            post_id: Some(post.id),
            actor_id: None,
            payload: EventPayload::Wellbeing(WellbeingPayload {
                level: level.as_str().to_owned(),
                urgent: level == RiskLevel::High,
                wellbeing_item_id: Some(item_id),
            }),
            created_at: now,
        },
    )?;
    if let (RiskLevel::High, Some(care)) = (level, care) {
        mail_moderators(conn, post, care, now)?;
    }
    Ok(())
}

fn mail_moderators(
    conn: &mut DbConnection,
    post: &PostRow,
    care: &CareContext<'_>,
    now: i64,
) -> Result<(), Error> {
    let community =
        communities::find(conn, CommunityId(post.community_id))?.ok_or(Error::NotFound)?;
    let host = message_host(care.public_url);
    let link = format!("{}/mod/queue", care.public_url);
    for (user_id, username, address) in
        store::moderator_addresses(conn, CommunityId(post.community_id))?
    {
        if post.author_id == Some(user_id.0) {
            continue;
        }
        let lang =
            crate::service::mail::recipient_language(conn, user_id.0, care.default_language)?;
        enqueue(
            conn,
            Envelope {
                user_id: Some(user_id.0),
                kind: "wellbeing_alert",
                to: &address,
                host: &host,
                list_unsubscribe: None,
            },
            kindred_web::mail::wellbeing_alert(lang, &username, &community.name, &link),
            now,
        )?;
    }
    Ok(())
}

/// `GET /api/v1/me/care`: the panel while it is shown (not dismissed, less than a day old).
pub fn my_care(
    store_handle: &Store,
    user: &CurrentUser,
    care: &CareContext<'_>,
) -> Result<MyCare, Error> {
    let now = now_micros();
    let (prompt, country) = store_handle.read(|conn| {
        Ok((
            store::find_prompt(conn, user.id)?,
            country_of(conn, user.id.0, care.country)?,
        ))
    })?;
    let showing =
        prompt.is_some_and(|row| row.dismissed_at.is_none() && row.shown_at + DAY_MICROS > now);
    Ok(MyCare {
        panel: if showing {
            Some(panel(&country)?)
        } else {
            None
        },
    })
}

/// `POST /api/v1/me/care/dismiss`: the member closes the panel (it may come back after a
/// day, with a new post at risk).
pub fn dismiss(store_handle: &Store, user: &CurrentUser) -> Result<(), Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        if let Some(mut row) = store::find_prompt(conn, user.id)? {
            row.dismissed_at = Some(now);
            store::save_prompt(conn, &row)?;
        }
        Ok(())
    })
}

/// `GET /api/v1/moderation/wellbeing`: the wellbeing items of the communities this
/// moderator moderates (or of one), not yet reached out about first, urgent first.
pub fn queue(
    store_handle: &Store,
    user: &CurrentUser,
    community: Option<&str>,
) -> Result<Vec<WellbeingItemView>, Error> {
    store_handle.read(|conn| {
        let scope = moderated_scope(
            conn,
            user,
            community,
            "only moderators can read the wellbeing queue",
        )?;
        store::list_items(conn, &scope, QUEUE_LIMIT)?
            .iter()
            .map(|row| item_view(conn, row))
            .collect()
    })
}

/// `POST /api/v1/moderation/wellbeing/{id}/reached-out`: a moderator of the item's
/// community records that they reached out to the author, now.
pub fn reached_out(
    store_handle: &Store,
    user: &CurrentUser,
    item_id: i64,
) -> Result<WellbeingItemView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let item = store::find_item(conn, item_id)?.ok_or(Error::NotFound)?;
        let access = CommunityAccess::by_id(conn, item.community_id.0, Some(user))?;
        if !access.is_moderator() {
            return Err(Error::NotFound);
        }
        store::record_reached_out(conn, item.id, user.id, now)?;
        let item = store::find_item(conn, item_id)?.ok_or(Error::NotFound)?;
        item_view(conn, &item)
    })
}

fn item_view(conn: &mut DbConnection, row: &WellbeingItemRow) -> Result<WellbeingItemView, Error> {
    let post = posts::find(conn, row.post_id.0)?.ok_or(Error::NotFound)?;
    let thread = threads::find(conn, post.thread_id)?.ok_or(Error::NotFound)?;
    let community = communities::find(conn, row.community_id)?.ok_or(Error::NotFound)?;
    let reached_out_by = row.reached_out_by.map(|id| id.0);
    let authors = Authors::load(conn, [post.author_id, reached_out_by])?;
    let author_name = authors
        .get(post.author_id)
        .map_or_else(|| "there".to_owned(), |a| a.display_name);
    Ok(WellbeingItemView {
        id: row.id.to_string(),
        community: community.slug,
        level: row.level.clone(),
        urgent: row.level == RiskLevel::High.as_str(),
        source: row.source.clone(),
        sentences: serde_json::from_str(&row.sentences).unwrap_or_default(),
        guide: GUIDE.to_owned(),
        reach_out_template: TEMPLATE.replace("{name}", &author_name),
        post: PostView::from_row(&post, &authors, None),
        thread_title: thread.title,
        reached_out_by: authors.get(reached_out_by),
        reached_out_at: row.reached_out_at.map(format_time),
        created_at: format_time(row.created_at),
    })
}
