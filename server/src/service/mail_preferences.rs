//! Notification mail: each member's preferences (per kind of notification: at once, in a
//! daily or weekly digest, or never), the one-click unsubscribe tokens (RFC 8058), and
//! the job that turns unread notifications into mail.
//!
//! The job decides at send time, not when the notification is written: a notification
//! the member has read in the meantime, or may no longer see (they left a private
//! community, the post was held, removed or deleted, its author erased), is dropped.
//! Each notification is claimed by setting `mailed_at` only where it is still unset, one
//! row at a time, so two nodes running the job at once never mail the same one twice.
//!
//! By default a mail says only how many new things there are and links to them; what the
//! posts say, and where, is included only for members who turn on `show_content`.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{Datelike, Timelike};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{now_micros, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::time_zone::TimeZone;
use crate::domain::user::SiteRole;
use crate::error::Error;
use crate::service::mail::{enqueue, message_host, Envelope};
use crate::service::notifications::views;
use crate::store::mail_preferences::{self as prefs_store, PreferencesRow};
use crate::store::notifications::{self as notes, NotificationRow};
use crate::store::posts;
use crate::store::{DbConnection, Store};

/// The code of an unsubscribe token that does not verify.
pub const INVALID_TOKEN: &str = "invalid_token";

/// Notifications older than this are never mailed (a server that was down for long does
/// not send stale news).
const MAX_AGE: Duration = Duration::from_secs(8 * 24 * 3600);
/// Notifications read per query.
const BATCH: i64 = 1000;
const HOUR_MICROS: i64 = 3600 * 1_000_000;
const DAY_MICROS: i64 = 24 * HOUR_MICROS;

/// How often a kind of notification is mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Immediately,
    Daily,
    Weekly,
    Never,
}

impl Frequency {
    fn as_str(self) -> &'static str {
        match self {
            Frequency::Immediately => "immediately",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Never => "never",
        }
    }

    /// A stored value; anything unknown reads as `never`, the safe side.
    fn parse(text: &str) -> Frequency {
        match text {
            "immediately" => Frequency::Immediately,
            "daily" => Frequency::Daily,
            "weekly" => Frequency::Weekly,
            _ => Frequency::Never,
        }
    }
}

/// A member's notification-mail preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MailPreferences {
    pub reply_to_thread: Frequency,
    pub reply_to_post: Frequency,
    pub mention: Frequency,
    pub watched_thread: Frequency,
    pub moderation_outcome: Frequency,
    /// New private messages: the mail names no message text, only whether (and, with
    /// `show_content`, from whom) there is something new.
    pub private_message: Frequency,
    /// Whether mail may say what posts say and where (community, thread, excerpt). Off by
    /// default: a mail only counts and links.
    pub show_content: bool,
    /// The member's IANA time zone (`Europe/Paris`); digests follow its daylight saving.
    #[serde(serialize_with = "zone_name")]
    #[schema(value_type = String, example = "Europe/Paris")]
    pub time_zone: TimeZone,
    /// Read-only, for older clients: the time zone's offset from UTC now, in minutes.
    pub utc_offset_minutes: i32,
    /// The local hour (0–23) digests go out; weekly digests go out on Mondays.
    pub digest_hour: i32,
}

impl Default for MailPreferences {
    fn default() -> Self {
        MailPreferences {
            reply_to_thread: Frequency::Daily,
            reply_to_post: Frequency::Daily,
            mention: Frequency::Daily,
            watched_thread: Frequency::Never,
            moderation_outcome: Frequency::Immediately,
            private_message: Frequency::Immediately,
            show_content: false,
            time_zone: TimeZone::default(),
            utc_offset_minutes: 0,
            digest_hour: 8,
        }
    }
}

impl MailPreferences {
    fn from_row(row: &PreferencesRow) -> MailPreferences {
        MailPreferences {
            reply_to_thread: Frequency::parse(&row.reply_to_thread),
            reply_to_post: Frequency::parse(&row.reply_to_post),
            mention: Frequency::parse(&row.mention),
            watched_thread: Frequency::parse(&row.watched_thread),
            moderation_outcome: Frequency::parse(&row.moderation_outcome),
            private_message: Frequency::parse(&row.private_message),
            show_content: row.show_content,
            time_zone: TimeZone::from_stored(&row.time_zone),
            utc_offset_minutes: TimeZone::from_stored(&row.time_zone)
                .offset_minutes_at(now_micros()),
            digest_hour: row.digest_hour,
        }
    }

    /// How often mail about a kind of notification goes out; the kinds members do not
    /// choose for (reactions, context notes) are never mailed.
    fn frequency(&self, kind: NotificationKind) -> Frequency {
        match kind {
            NotificationKind::ReplyToThread => self.reply_to_thread,
            NotificationKind::ReplyToPost => self.reply_to_post,
            NotificationKind::Mention => self.mention,
            NotificationKind::WatchedThread => self.watched_thread,
            NotificationKind::ModerationOutcome => self.moderation_outcome,
            NotificationKind::ContextNote
            | NotificationKind::ReactionWithYou
            | NotificationKind::ReactionThankYou
            | NotificationKind::ReactionMeToo
            | NotificationKind::ReactionHelpful => Frequency::Never,
        }
    }

    fn kinds_mut(&mut self) -> [(&'static str, &mut Frequency); 6] {
        [
            ("reply_to_thread", &mut self.reply_to_thread),
            ("reply_to_post", &mut self.reply_to_post),
            ("mention", &mut self.mention),
            ("watched_thread", &mut self.watched_thread),
            ("moderation_outcome", &mut self.moderation_outcome),
            ("private_message", &mut self.private_message),
        ]
    }
}

/// `PATCH /me/mail-preferences`: only the fields sent change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailPreferencesPatch {
    pub reply_to_thread: Option<Frequency>,
    pub reply_to_post: Option<Frequency>,
    pub mention: Option<Frequency>,
    pub watched_thread: Option<Frequency>,
    pub moderation_outcome: Option<Frequency>,
    pub private_message: Option<Frequency>,
    pub show_content: Option<bool>,
    /// An IANA time zone name (`Europe/Paris`, `America/New_York`, `UTC`).
    #[schema(max_length = 64, example = "Europe/Paris")]
    pub time_zone: Option<String>,
    /// For older clients: whole hours only, stored as the fixed-offset zone `Etc/GMT±N`
    /// (no daylight saving). `time_zone` wins when both are sent.
    #[schema(minimum = -720, maximum = 840)]
    pub utc_offset_minutes: Option<i32>,
    #[schema(minimum = 0, maximum = 23)]
    pub digest_hour: Option<i32>,
}

impl MailPreferencesPatch {
    fn apply(self, to: &mut MailPreferences) -> Result<(), Error> {
        if let Some(offset) = self.utc_offset_minutes {
            to.time_zone = TimeZone::from_utc_offset_minutes(offset)?;
        }
        if let Some(name) = &self.time_zone {
            to.time_zone = TimeZone::parse(name)?;
        }
        to.utc_offset_minutes = to.time_zone.offset_minutes_at(now_micros());
        if let Some(hour) = self.digest_hour {
            if !(0..=23).contains(&hour) {
                return Err(Error::invalid(
                    "digest_hour",
                    "digest_hour must be between 0 and 23",
                ));
            }
            to.digest_hour = hour;
        }
        let set = |field: &mut Frequency, value: Option<Frequency>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut to.reply_to_thread, self.reply_to_thread);
        set(&mut to.reply_to_post, self.reply_to_post);
        set(&mut to.mention, self.mention);
        set(&mut to.watched_thread, self.watched_thread);
        set(&mut to.moderation_outcome, self.moderation_outcome);
        set(&mut to.private_message, self.private_message);
        if let Some(show) = self.show_content {
            to.show_content = show;
        }
        Ok(())
    }
}

fn load(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<(MailPreferences, PreferencesRow), Error> {
    let row = prefs_store::find(conn, user_id)?;
    let prefs = row
        .as_ref()
        .map(MailPreferences::from_row)
        .unwrap_or_default();
    let row = row.unwrap_or_else(|| to_row(user_id, &prefs, None, None, 0));
    Ok((prefs, row))
}

fn to_row(
    user_id: UserId,
    prefs: &MailPreferences,
    last_daily_at: Option<i64>,
    last_weekly_at: Option<i64>,
    now: i64,
) -> PreferencesRow {
    PreferencesRow {
        user_id,
        reply_to_thread: prefs.reply_to_thread.as_str().into(),
        reply_to_post: prefs.reply_to_post.as_str().into(),
        mention: prefs.mention.as_str().into(),
        watched_thread: prefs.watched_thread.as_str().into(),
        moderation_outcome: prefs.moderation_outcome.as_str().into(),
        private_message: prefs.private_message.as_str().into(),
        show_content: prefs.show_content,
        time_zone: prefs.time_zone.name().to_owned(),
        digest_hour: prefs.digest_hour,
        last_daily_at,
        last_weekly_at,
        updated_at: now,
    }
}

/// A member's preferences, for their data export.
pub fn of_user(conn: &mut DbConnection, user_id: UserId) -> Result<MailPreferences, Error> {
    Ok(load(conn, user_id)?.0)
}

/// A member's time zone (UTC until they choose one), for showing them local times.
pub fn time_zone_of(conn: &mut DbConnection, user_id: UserId) -> Result<chrono_tz::Tz, Error> {
    Ok(load(conn, user_id)?.0.time_zone.tz())
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` passes a reference
fn zone_name<S: serde::Serializer>(zone: &TimeZone, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(zone.name())
}

pub fn get(store: &Store, user: &CurrentUser) -> Result<MailPreferences, Error> {
    store.read(|conn| Ok(load(conn, user.id)?.0))
}

pub fn update(
    store: &Store,
    user: &CurrentUser,
    patch: MailPreferencesPatch,
) -> Result<MailPreferences, Error> {
    let now = now_micros();
    store.write(|conn| {
        let (mut prefs, row) = load(conn, user.id)?;
        patch.apply(&mut prefs)?;
        prefs_store::save(
            conn,
            &to_row(user.id, &prefs, row.last_daily_at, row.last_weekly_at, now),
        )?;
        Ok(prefs)
    })
}

// ---- one-click unsubscribe ----

/// Signs and checks unsubscribe tokens: `<user id>.<what>.<signature>`, where `what` is a
/// kind of notification or `digest_daily` / `digest_weekly`. The key is derived from the
/// JWT secret, so a token works without signing in and cannot be forged or altered.
#[derive(Clone)]
pub struct UnsubscribeKeys {
    /// Keyed once at start; cloned for each token.
    mac: HmacSha256,
}

type HmacSha256 = Hmac<Sha256>;

/// What an unsubscribe token may turn off.
const TOKEN_TARGETS: [&str; 8] = [
    "reply_to_thread",
    "reply_to_post",
    "mention",
    "watched_thread",
    "moderation_outcome",
    "private_message",
    "digest_daily",
    "digest_weekly",
];

impl UnsubscribeKeys {
    /// Built once at start.
    pub fn new(jwt_secret: &[u8]) -> UnsubscribeKeys {
        let mut derive = keyed(jwt_secret);
        derive.update(b"kindred mail unsubscribe v1");
        UnsubscribeKeys {
            mac: keyed(&derive.finalize().into_bytes()),
        }
    }

    fn signature(&self, user_id: i64, target: &str) -> HmacSha256 {
        let mut signer = self.mac.clone();
        signer.update(format!("{user_id}.{target}").as_bytes());
        signer
    }

    pub fn token(&self, user_id: i64, target: &str) -> String {
        use base64::Engine;
        let signature = self.signature(user_id, target).finalize().into_bytes();
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature);
        format!("{user_id}.{target}.{encoded}")
    }

    /// The member and what to turn off, if the token verifies.
    pub fn verify(&self, token: &str) -> Result<(i64, &'static str), Error> {
        use base64::Engine;
        let invalid = || Error::bad_request(INVALID_TOKEN, "this unsubscribe link is invalid");
        if token.len() > 200 {
            return Err(invalid());
        }
        let mut parts = token.splitn(3, '.');
        let (Some(user), Some(target), Some(signature)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let user_id: i64 = user.parse().map_err(|_| invalid())?;
        let target = TOKEN_TARGETS
            .iter()
            .find(|t| **t == target)
            .ok_or_else(invalid)?;
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| invalid())?;
        self.signature(user_id, target)
            .verify_slice(&signature)
            .map_err(|_| invalid())?;
        Ok((user_id, target))
    }
}

fn keyed(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// What a one-click unsubscribe turned off, in words for the confirmation page.
pub fn describe_target(target: &str) -> &'static str {
    match target {
        "reply_to_thread" => "mail about replies to your threads",
        "reply_to_post" => "mail about replies to your posts",
        "mention" => "mail about mentions",
        "watched_thread" => "mail about threads you watch",
        "moderation_outcome" => "mail about moderators' decisions",
        "private_message" => "mail about private messages",
        "digest_daily" => "the daily digest",
        "digest_weekly" => "the weekly digest",
        _ => "this mail",
    }
}

/// Turns off what a verified token names. An unknown member (erased since) is the same
/// `400 invalid_token` as an altered token.
pub fn unsubscribe(
    store: &Store,
    keys: &UnsubscribeKeys,
    token: &str,
) -> Result<&'static str, Error> {
    let (user_id, target) = keys.verify(token)?;
    let user_id = UserId(user_id);
    let now = now_micros();
    store.write(|conn| {
        if prefs_store::recipient(conn, user_id)?.is_none() {
            return Err(Error::bad_request(
                INVALID_TOKEN,
                "this unsubscribe link is invalid",
            ));
        }
        let (mut prefs, row) = load(conn, user_id)?;
        let digest = match target {
            "digest_daily" => Some(Frequency::Daily),
            "digest_weekly" => Some(Frequency::Weekly),
            _ => None,
        };
        for (kind, frequency) in prefs.kinds_mut() {
            if kind == target || digest == Some(*frequency) {
                *frequency = Frequency::Never;
            }
        }
        prefs_store::save(
            conn,
            &to_row(user_id, &prefs, row.last_daily_at, row.last_weekly_at, now),
        )?;
        Ok(target)
    })
}

// ---- the job ----

/// What the notification-mail job needs: links and the unsubscribe key.
#[derive(Clone)]
pub struct NotificationMail {
    pub public_url: String,
    /// The deployment's language, for members who chose none.
    pub default_language: kindred_web::i18n::Lang,
    pub keys: UnsubscribeKeys,
    /// How long a notification waits before it is mailed on its own.
    pub grace: Duration,
}

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Mails about one notification.
    pub immediate: usize,
    /// Digest mails.
    pub digests: usize,
    /// Notifications dropped: read, no longer visible, or not wanted by mail.
    pub skipped: usize,
    /// Mails about new private messages (`service::messages::mail`).
    pub messages: usize,
}

impl NotificationMail {
    /// Mails what is due at `now`: notifications wanted at once that are past the grace
    /// period, and the digests of members whose local digest hour it is. Tests call it
    /// with a chosen `now`; each node's background task calls it with the clock.
    pub fn run(&self, store: &Store, now: i64) -> Result<RunReport, Error> {
        let since = now - MAX_AGE.as_micros() as i64;
        // Every pending notification, page by page: those waiting for a digest stay
        // pending for up to a week and must not hide newer ones wanted at once.
        let mut by_user: BTreeMap<i64, Vec<NotificationRow>> = BTreeMap::new();
        let mut after = 0;
        loop {
            let rows = store.read(|conn| prefs_store::unmailed(conn, since, after, BATCH))?;
            let full = rows.len() as i64 == BATCH;
            for row in rows {
                after = row.id;
                by_user.entry(row.user_id).or_default().push(row);
            }
            if !full {
                break;
            }
        }
        let mut report = RunReport::default();
        for (user_id, rows) in by_user {
            store.write(|conn| self.run_for(conn, user_id, &rows, now, &mut report))?;
        }
        report.messages = crate::service::messages::mail::run(self, store, now)?;
        Ok(report)
    }

    fn run_for(
        &self,
        conn: &mut DbConnection,
        user_id: i64,
        rows: &[NotificationRow],
        now: i64,
        report: &mut RunReport,
    ) -> Result<(), Error> {
        let (prefs, mut row) = load(conn, UserId(user_id))?;
        let recipient = prefs_store::recipient(conn, UserId(user_id))?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let is_admin = recipient.as_ref().is_some_and(|r| r.2 == SiteRole::Admin);
        let readable = notes::readable_among(conn, user_id, is_admin, &ids)?;
        let post_ids: Vec<i64> = rows.iter().map(|r| r.post_id).collect();
        let authored: HashMap<i64, bool> = posts::find_many(conn, &post_ids)?
            .into_iter()
            .map(|p| (p.id, p.author_id.is_some()))
            .collect();
        let address = recipient.as_ref().and_then(|r| r.1.clone());
        // The local hour in the member's zone, daylight saving included. A day is 23 or
        // 25 hours across a change, hence "a day less an hour" since the last digest.
        let local = prefs.time_zone.local(now);
        let at_hour = i64::from(local.hour()) == i64::from(prefs.digest_hour);
        let monday = local.weekday() == chrono::Weekday::Mon;
        let daily_due = at_hour
            && row
                .last_daily_at
                .is_none_or(|t| t <= now - DAY_MICROS + HOUR_MICROS);
        let weekly_due =
            at_hour && monday && row.last_weekly_at.is_none_or(|t| t <= now - 6 * DAY_MICROS);
        let grace = self.grace.as_micros() as i64;

        let mut skipped = Vec::new();
        let mut immediate = Vec::new();
        let mut daily = Vec::new();
        let mut weekly = Vec::new();
        for n in rows {
            let visible = readable.contains(&n.id)
                && (n.kind == NotificationKind::ModerationOutcome
                    || authored.get(&n.post_id).copied().unwrap_or(false));
            if n.read_at.is_some() || !visible || address.is_none() {
                skipped.push(n);
                continue;
            }
            match prefs.frequency(n.kind) {
                Frequency::Never => skipped.push(n),
                Frequency::Immediately if n.created_at <= now - grace => immediate.push(n),
                Frequency::Daily if daily_due => daily.push(n),
                Frequency::Weekly if weekly_due => weekly.push(n),
                _ => {}
            }
        }
        for n in skipped {
            if prefs_store::claim(conn, n.id, now)? {
                report.skipped += 1;
            }
        }
        let Some((username, Some(address), _)) = recipient else {
            return Ok(());
        };
        let host = message_host(&self.public_url);
        let send = |conn: &mut DbConnection,
                    items: Vec<&NotificationRow>,
                    target: &str,
                    kind: &'static str|
         -> Result<bool, Error> {
            let mut claimed = Vec::new();
            for n in items {
                if prefs_store::claim(conn, n.id, now)? {
                    claimed.push(n.clone());
                }
            }
            if claimed.is_empty() {
                return Ok(false);
            }
            let notices = self.notices(conn, &claimed, prefs.show_content)?;
            let unsubscribe = format!(
                "{}/unsubscribe?token={}",
                self.public_url,
                self.keys.token(user_id, target)
            );
            let preferences = format!("{}/me/mail", self.public_url);
            let lang =
                crate::service::mail::recipient_language(conn, user_id, self.default_language)?;
            let mail = kindred_web::mail::notifications(
                lang,
                &username,
                &notices,
                &kindred_web::mail::NoticeLinks {
                    unsubscribe: &unsubscribe,
                    preferences: &preferences,
                },
            );
            enqueue(
                conn,
                Envelope {
                    user_id: Some(user_id),
                    kind,
                    to: &address,
                    host: &host,
                    list_unsubscribe: Some(unsubscribe.clone()),
                },
                mail,
                // The outbox runs on the clock, whatever "now" the job was given.
                now_micros(),
            )?;
            Ok(true)
        };
        for n in immediate {
            if send(conn, vec![n], n.kind.as_str(), "notification")? {
                report.immediate += 1;
            }
        }
        if !daily.is_empty() && send(conn, daily, "digest_daily", "digest_daily")? {
            report.digests += 1;
            row.last_daily_at = Some(now);
        }
        if !weekly.is_empty() && send(conn, weekly, "digest_weekly", "digest_weekly")? {
            report.digests += 1;
            row.last_weekly_at = Some(now);
        }
        // Only a digest sent starts the wait for the next; a due hour with nothing to
        // send leaves the member's row alone (and unwritten, for members on defaults).
        if row.last_daily_at == Some(now) || row.last_weekly_at == Some(now) {
            prefs_store::save(conn, &row)?;
        }
        Ok(())
    }

    fn notices(
        &self,
        conn: &mut DbConnection,
        rows: &[NotificationRow],
        show_content: bool,
    ) -> Result<Vec<kindred_web::mail::NoticeItem>, Error> {
        let views = views(conn, rows)?;
        Ok(views
            .into_iter()
            .map(|v| kindred_web::mail::NoticeItem {
                kind: v.kind.as_str().to_owned(),
                link: format!(
                    "{}/t/{}#post-{}",
                    self.public_url, v.thread_id.0, v.post_id.0
                ),
                content: show_content.then(|| kindred_web::mail::NoticeContent {
                    community: v.community.clone(),
                    thread_title: v.thread_title.clone(),
                    excerpt: v.excerpt.clone(),
                    detail: v.detail.clone(),
                }),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_and_altered_ones_do_not() {
        let keys = UnsubscribeKeys::new(b"a secret long enough for the test");
        let token = keys.token(42, "mention");
        assert_eq!(keys.verify(&token).ok(), Some((42, "mention")));
        let other_user = token.replacen("42.", "43.", 1);
        let other_kind = token.replacen(".mention.", ".reply_to_post.", 1);
        let other_keys = UnsubscribeKeys::new(b"another secret, same length as that");
        for bad in [
            other_user.as_str(),
            other_kind.as_str(),
            "",
            "1.mention.",
            "x.y.z",
        ] {
            assert!(keys.verify(bad).is_err(), "{bad}");
        }
        assert!(other_keys.verify(&token).is_err());
    }

    #[test]
    fn frequencies_round_trip_and_unknown_is_never() {
        for f in [
            Frequency::Immediately,
            Frequency::Daily,
            Frequency::Weekly,
            Frequency::Never,
        ] {
            assert_eq!(Frequency::parse(f.as_str()), f);
        }
        assert_eq!(Frequency::parse("hourly"), Frequency::Never);
    }
}
