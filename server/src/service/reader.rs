//! What pages need to know of their reader beyond who they are: the time zone their
//! times are shown in (`kindred_web::clock`).

use chrono_tz::Tz;

use crate::domain::current_user::CurrentUser;
use crate::error::Error;
use crate::store::Store;

/// The member's time zone (UTC until they choose one).
pub fn time_zone(store: &Store, user: &CurrentUser) -> Result<Tz, Error> {
    store.read(|conn| super::mail_preferences::time_zone_of(conn, user.id))
}
