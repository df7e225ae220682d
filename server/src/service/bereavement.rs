//! Bereavement and clinician verification (issue 19): what site admins do to an account.
//!
//! A memorialised account reads "In memory of …" on its profile, cannot sign in (its
//! sessions are revoked with the memorial), and is never notified or mailed: the one
//! place notifications are stored (`notifications::record`) and the one place mail is
//! queued (`mail::enqueue`) both skip it, so no producer can forget. Its posts stay.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::current_user::CurrentUser;
use crate::domain::duty::ClinicianRole;
use crate::domain::ids::{format_time, next_id, now_micros, UserId};
use crate::domain::moderation::ModAction;
use crate::domain::user::Username;
use crate::error::Error;
use crate::store::duty::{self as store, ClinicianRow, MemorialRow};
use crate::store::moderation::{self as modlog, ModLogRow};
use crate::store::users::{self, UserRow};
use crate::store::{sessions, DbConnection, Store};

/// The log's action words for the two steps.

#[derive(Debug, Serialize, ToSchema)]
pub struct MemorialView {
    pub username: String,
    pub display_name: String,
    pub memorialised: bool,
    /// When the account was memorialised; absent once reversed.
    pub memorialised_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClinicianView {
    pub username: String,
    /// Shown beside their context notes ("oncology nurse").
    pub role: String,
    pub verified_at: String,
}

fn require_admin(user: &CurrentUser) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::forbidden(
            "not_admin",
            "only site admins can do this",
        ))
    }
}

/// The account named `username`; an unknown or malformed name is not found.
pub(crate) fn account_named(conn: &mut DbConnection, username: &str) -> Result<UserRow, Error> {
    let name = Username::parse(username).map_err(|_| Error::NotFound)?;
    users::find_by_username(conn, name.as_str())?.ok_or(Error::NotFound)
}

/// Memorialises an account at a family's request (site admins).
pub fn memorialise(
    store_handle: &Store,
    admin: &CurrentUser,
    username: &str,
) -> Result<MemorialView, Error> {
    require_admin(admin)?;
    memorialise_by(store_handle, Some(admin.id.0), username)
}

/// Reverses a memorial (site admins).
pub fn unmemorialise(
    store_handle: &Store,
    admin: &CurrentUser,
    username: &str,
) -> Result<MemorialView, Error> {
    require_admin(admin)?;
    unmemorialise_by(store_handle, Some(admin.id.0), username)
}

/// Memorialises an account; `by` is the admin, or `None` for an operator at the command
/// line. Signs the account out everywhere and records the step in the moderation log of
/// each community it belongs to.
pub fn memorialise_by(
    store_handle: &Store,
    by: Option<i64>,
    username: &str,
) -> Result<MemorialView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let user = account_named(conn, username)?;
        if store::memorial(conn, user.id)?.is_some() {
            return Err(Error::Conflict(
                "this account is already memorialised".into(),
            ));
        }
        store::insert_memorial(
            conn,
            &MemorialRow {
                user_id: user.id,
                memorialised_by: by.map(UserId),
                memorialised_at: now,
            },
        )?;
        sessions::revoke_all_of_user(conn, user.id, None, now)?;
        log_step(
            conn,
            &user,
            by,
            ModAction::Memorialise,
            "Account memorialised at the family's request",
            now,
        )?;
        Ok(MemorialView {
            username: user.username,
            display_name: user.display_name,
            memorialised: true,
            memorialised_at: Some(format_time(now)),
        })
    })
}

/// Reverses a memorial; `by` as for [`memorialise_by`]. The member signs in again with
/// their password (or a reset).
pub fn unmemorialise_by(
    store_handle: &Store,
    by: Option<i64>,
    username: &str,
) -> Result<MemorialView, Error> {
    let now = now_micros();
    store_handle.write(|conn| {
        let user = account_named(conn, username)?;
        if !store::delete_memorial(conn, user.id)? {
            return Err(Error::Conflict("this account is not memorialised".into()));
        }
        log_step(
            conn,
            &user,
            by,
            ModAction::Unmemorialise,
            "Memorial reversed by an admin",
            now,
        )?;
        Ok(MemorialView {
            username: user.username,
            display_name: user.display_name,
            memorialised: false,
            memorialised_at: None,
        })
    })
}

fn log_step(
    conn: &mut DbConnection,
    user: &UserRow,
    by: Option<i64>,
    action: ModAction,
    reason: &str,
    now: i64,
) -> Result<(), Error> {
    for community_id in store::communities_of(conn, user.id)? {
        modlog::append_log(
            conn,
            &ModLogRow {
                id: next_id(),
                community_id: community_id.0,
                queue_item_id: None,
                post_id: None,
                target_user_id: Some(user.id.0),
                moderator_id: by,
                action,
                reason: reason.to_owned(),
                note: None,
                sanction: None,
                created_at: now,
            },
        )?;
    }
    Ok(())
}

/// Whether an account is memorialised (sign-in refuses it).
pub fn is_memorialised(conn: &mut DbConnection, user_id: i64) -> Result<bool, Error> {
    Ok(store::memorial(conn, UserId(user_id))?.is_some())
}

/// A member's verified clinician role, if any.
pub fn clinician_role(conn: &mut DbConnection, user_id: i64) -> Result<Option<String>, Error> {
    Ok(store::clinician(conn, UserId(user_id))?.map(|c| c.role))
}

/// Marks a member as a verified clinician with a role, or changes the role (site admins).
pub fn verify_clinician(
    store_handle: &Store,
    admin: &CurrentUser,
    username: &str,
    role: &ClinicianRole,
) -> Result<ClinicianView, Error> {
    require_admin(admin)?;
    let now = now_micros();
    store_handle.write(|conn| {
        let user = account_named(conn, username)?;
        store::save_clinician(
            conn,
            &ClinicianRow {
                user_id: user.id,
                role: role.as_str().to_owned(),
                verified_by: Some(admin.id),
                verified_at: now,
            },
        )?;
        Ok(ClinicianView {
            username: user.username,
            role: role.as_str().to_owned(),
            verified_at: format_time(now),
        })
    })
}

/// Withdraws a verification (site admins). Notes written stay, with the role they had.
pub fn withdraw_clinician(
    store_handle: &Store,
    admin: &CurrentUser,
    username: &str,
) -> Result<(), Error> {
    require_admin(admin)?;
    store_handle.write(|conn| {
        let user = account_named(conn, username)?;
        if store::delete_clinician(conn, user.id)? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    })
}
