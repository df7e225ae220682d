//! Mail about new private messages, run with the notification-mail job and following the
//! member's `private_message` preference (at once after the grace period, at their
//! digest hour, or never).
//!
//! A mail says only that there is something new in a conversation, with a link; the
//! senders are named only for members who chose to see content in mail, and the message
//! text is never included (mail crosses servers the member does not control, and on a
//! health forum private words stay behind the sign-in, as notification mail does for
//! posts). Nothing is mailed for a muted conversation, for messages the member has read,
//! for messages between members where either blocks the other, to a memorialised
//! account, or to an erased one (its conversation rows no longer name it). A message
//! screening held counts from when a site admin published it, exactly like one sent then.

use std::collections::BTreeMap;

use chrono::{Datelike, Timelike};

use crate::domain::ids::{now_micros, ConversationId};
use crate::error::Error;
use crate::service::mail::{enqueue, message_host, Envelope};
use crate::service::mail_preferences::{self, Frequency, NotificationMail};
use crate::store::message_mail::{self as store, MailedMember, RecentMessage};
use crate::store::{blocks, duty, mail_preferences as prefs_store, DbConnection, Store};

/// Messages published longer ago than this are never mailed, as for notifications.
const MAX_AGE_MICROS: i64 = 8 * 24 * 3600 * 1_000_000;

/// Mails what is due at `now`; returns how many mails were queued.
pub fn run(job: &NotificationMail, store_handle: &Store, now: i64) -> Result<usize, Error> {
    let recent = store_handle.read(|conn| store::published_since(conn, now - MAX_AGE_MICROS))?;
    let mut by_conversation: BTreeMap<ConversationId, Vec<RecentMessage>> = BTreeMap::new();
    for message in recent {
        by_conversation
            .entry(message.conversation_id)
            .or_default()
            .push(message);
    }
    if by_conversation.is_empty() {
        return Ok(0);
    }
    let ids: Vec<ConversationId> = by_conversation.keys().copied().collect();
    let members = store_handle.read(|conn| store::members_behind(conn, &ids))?;
    let mut sent = 0;
    for member in members {
        let news: Vec<&RecentMessage> = by_conversation
            .get(&member.conversation_id)
            .into_iter()
            .flatten()
            .filter(|m| m.published_at > member.mailed_through && m.author_id != member.user_id)
            .collect();
        let Some(through) = news.last().map(|m| m.published_at) else {
            continue;
        };
        if store_handle.write(|conn| mail_member(job, conn, &member, &news, through, now))? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Decides about one member's new messages in one conversation: skipped (and marked
/// dealt with), left for later, or mailed. True when a mail was queued.
fn mail_member(
    job: &NotificationMail,
    conn: &mut DbConnection,
    member: &MailedMember,
    news: &[&RecentMessage],
    through: i64,
    now: i64,
) -> Result<bool, Error> {
    let user_id = member.user_id;
    let prefs = mail_preferences::of_user(conn, user_id)?;
    let mut wanted = Vec::new();
    for message in news {
        let blocked = blocks::exists(conn, user_id, message.author_id)?
            || blocks::exists(conn, message.author_id, user_id)?;
        if !blocked && message.published_at > member.last_read_at {
            wanted.push(*message);
        }
    }
    let recipient = prefs_store::recipient(conn, user_id)?;
    let memorialised = !duty::memorialised_among(conn, &[user_id])?.is_empty();
    let (Some((username, Some(address), _)), Some(newest)) = (recipient, wanted.last()) else {
        store::claim(conn, member.id, through)?;
        return Ok(false);
    };
    if member.muted || memorialised || prefs.private_message == Frequency::Never {
        store::claim(conn, member.id, through)?;
        return Ok(false);
    }
    let local = prefs.time_zone.local(now);
    let at_hour = i64::from(local.hour()) == i64::from(prefs.digest_hour);
    let due = match prefs.private_message {
        // A burst of messages waits until it has been quiet for the grace period, and
        // the member who reads them meanwhile gets no mail.
        Frequency::Immediately => newest.published_at <= now - job.grace.as_micros() as i64,
        Frequency::Daily => at_hour,
        Frequency::Weekly => at_hour && local.weekday() == chrono::Weekday::Mon,
        Frequency::Never => false,
    };
    if !due || !store::claim(conn, member.id, through)? {
        return Ok(false);
    }
    let senders = if prefs.show_content {
        let mut names: Vec<String> = Vec::new();
        for message in &wanted {
            if let Some((name, _, _)) = prefs_store::recipient(conn, message.author_id)? {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        Some(names)
    } else {
        None
    };
    let unsubscribe = format!(
        "{}/unsubscribe?token={}",
        job.public_url,
        job.keys.token(user_id.0, "private_message")
    );
    let preferences = format!("{}/me/mail", job.public_url);
    let link = format!("{}/messages/{}", job.public_url, member.conversation_id);
    let lang = crate::service::mail::recipient_language(conn, user_id.0, job.default_language)?;
    let mail = kindred_web::mail::private_messages(
        lang,
        &username,
        wanted.len(),
        senders.as_deref(),
        &link,
        &kindred_web::mail::NoticeLinks {
            unsubscribe: &unsubscribe,
            preferences: &preferences,
        },
    );
    enqueue(
        conn,
        Envelope {
            user_id: Some(user_id.0),
            kind: "private_message",
            to: &address,
            host: &message_host(&job.public_url),
            list_unsubscribe: Some(unsubscribe.clone()),
        },
        mail,
        now_micros(),
    )?;
    Ok(true)
}
