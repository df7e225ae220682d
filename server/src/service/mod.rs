//! Services: the rules of the forum. Each function takes the store and already-parsed
//! input, checks who may do what, and performs the change and its event in one
//! transaction. Services are synchronous; handlers run them on the blocking pool.

pub mod access;
pub mod accounts;
pub mod advice;
pub mod bereavement;
pub mod blocks;
pub mod bookmarks;
pub mod care;
pub mod communities;
pub mod content_notes;
pub mod context_notes;
pub mod countries;
pub mod cursor;
pub mod email;
pub mod idempotency;
pub mod insights;
pub mod languages;
pub mod mail;
pub mod mail_preferences;
pub mod mentions;
pub mod messages;
pub mod moderation;
pub mod notifications;
pub mod partners;
pub mod passwords;
pub mod periodic;
pub mod privacy;
pub mod quotes;
pub mod reactions;
pub mod read_positions;
pub mod reader;
pub mod search;
pub mod start;
pub mod surveys;
pub mod threads;
pub mod views;

/// Page sizes: what a client may ask for, and the default.
pub const DEFAULT_PAGE: i64 = 25;
pub const MAX_PAGE: i64 = 100;

/// Clamps a requested page size into `1..=MAX_PAGE`.
pub fn page_size(requested: Option<i64>) -> i64 {
    requested.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// The newest event id. A page reads it before its content and hands it to its script,
/// which resumes the websocket from there, so nothing committed after the page's read is
/// missed.
pub fn last_event_id(store: &crate::store::Store) -> Result<i64, crate::error::Error> {
    store.read(crate::store::events::max_id)
}
