//! Accounts and sign-in: registration, login, refresh-token rotation, logout, profiles.

use crate::auth::password;
use crate::auth::tokens::{self, TokenKeys, REFRESH_TOKEN_SECONDS};
use crate::domain::current_user::CurrentUser;
use crate::domain::event::{EventPayload, UserPayload};
use crate::domain::ids::{next_id, now_micros, SessionId, UserId};
use crate::domain::user::{
    Bio, ConditionTags, DisplayName, Email, Password, ProfileAudience, ProfileRole, SiteRole,
    Username,
};
use crate::error::Error;
use crate::rate_limit::RateLimit;
use crate::service::passwords::MailContext;
use crate::store::communities;
use crate::store::events::{self, EventKind, NewEvent};
use crate::store::sessions;
use crate::store::users::{self, ProfileChanges, UserRow};
use crate::store::{DbConnection, Store};

use super::views::{OwnAccount, PublicProfile};

/// A freshly issued set of credentials.
#[derive(Debug)]
pub struct IssuedSession {
    pub account: OwnAccount,
    pub access_token: String,
    pub refresh_token: String,
    pub csrf_token: String,
}

pub struct Registration {
    pub username: Username,
    pub password: Password,
    pub email: Option<Email>,
    pub display_name: Option<DisplayName>,
    pub site_role: SiteRole,
}

/// Creates an account and signs it in, within the limit of accounts per client address.
/// The limit is checked before the password is hashed, so that a refused client costs
/// no hashing, and counted with the new account. With `confirm_email`
/// (`KINDRED_REQUIRE_EMAIL_VERIFICATION`) an address is required, and a link to confirm it
/// is mailed in the same transaction; until it is opened the member may read but not post
/// or join (`service::email`).
pub fn register(
    store: &Store,
    keys: &TokenKeys,
    limit: &RateLimit,
    client_address: &str,
    input: Registration,
    confirm_email: Option<&MailContext<'_>>,
) -> Result<IssuedSession, Error> {
    let now = now_micros();
    if input.site_role == SiteRole::Member {
        input.username.check_registrable()?;
    }
    if confirm_email.is_some() && input.email.is_none() {
        return Err(Error::invalid(
            "email",
            "an email address is needed: we mail you a link to confirm it",
        ));
    }
    store.read(|conn| limit.check(conn, client_address, now))?;
    let display_name = input.display_name.clone();
    let user = new_user_row(input)?;
    store.write(|conn| {
        limit.take(conn, client_address, now)?;
        if let Some(name) = &display_name {
            check_display_name(conn, user.id.0, name)?;
        }
        insert_user(conn, &user)?;
        if let (Some(context), Some(email)) = (confirm_email, user.email.as_deref()) {
            super::email::start_verification(conn, context, &user, email, user.created_at)?;
        }
        start_session(conn, keys, &user, user.created_at)
    })
}

/// Creates an account without signing it in (`kindred admin create`).
pub fn create_account(store: &Store, input: Registration) -> Result<OwnAccount, Error> {
    let user = new_user_row(input)?;
    store.write(|conn| {
        insert_user(conn, &user)?;
        Ok(OwnAccount::from_rows(&user, Vec::new()))
    })
}

fn new_user_row(input: Registration) -> Result<UserRow, Error> {
    Ok(UserRow {
        id: UserId(next_id()),
        username: input.username.as_str().to_owned(),
        display_name: input.display_name.map_or_else(
            || input.username.as_str().to_owned(),
            DisplayName::into_inner,
        ),
        email: input.email.map(Email::into_inner),
        password_hash: password::hash(input.password.expose())?,
        site_role: input.site_role,
        profile_role: None,
        conditions: "[]".into(),
        bio: String::new(),
        show_role: false,
        show_conditions: false,
        show_bio: false,
        created_at: now_micros(),
        profile_audience: "members".into(),
        discoverable: false,
        insights_opt_in: false,
    })
}

/// Inserts a user, the skeleton of its name and its `user.registered` event; a taken
/// username, or one that looks like a taken one (`rnaria_mod` for `maria_mod`), is a
/// conflict.
pub(crate) fn insert_user(conn: &mut DbConnection, user: &UserRow) -> Result<(), Error> {
    let taken = || Error::Conflict("that username is taken".into());
    if users::find_by_username(conn, &user.username)?.is_some() {
        return Err(taken());
    }
    let skeleton = crate::domain::user::skeleton(&user.username);
    if users::skeleton_taken(conn, &skeleton)? {
        return Err(Error::Conflict(
            "that username looks too much like one that is taken".into(),
        ));
    }
    users::insert(conn, user).map_err(|e| match e {
        Error::Conflict(_) => taken(),
        other => other,
    })?;
    users::insert_skeleton(conn, user.id, &skeleton)?;
    events::append(
        conn,
        NewEvent {
            kind: EventKind::UserRegistered,
            community_id: None,
            thread_id: None,
            post_id: None,
            actor_id: Some(user.id),
            payload: EventPayload::User(UserPayload {
                user_id: Some(user.id.0),
            }),
            created_at: user.created_at,
        },
    )
}

/// The limits on failed logins. Usernames are public, so failures counted per account
/// alone would let anyone lock a member out; instead a client is refused after a few
/// failures on one account (`by_account_client`) or many on any (`by_address`), and an
/// account that fails often from everywhere (`by_account`) is only slowed down: every
/// attempt on it waits [`LoginLimits::pause`] first, a right password included.
pub struct LoginLimits {
    pub by_account_client: RateLimit,
    pub by_address: RateLimit,
    /// Counts failures on an account from every client; past its limit, attempts wait.
    pub by_account: RateLimit,
    pub pause: std::time::Duration,
}

impl LoginLimits {
    fn account_key(username: &str) -> String {
        username.trim().to_ascii_lowercase()
    }

    fn account_client_key(username: &str, client_address: &str) -> String {
        format!("{}\n{client_address}", Self::account_key(username))
    }
}

/// How long a sign-in to `username` should wait before it is tried: nothing, unless the
/// account has failed many times lately from anywhere.
pub fn login_pause(
    store: &Store,
    limits: &LoginLimits,
    username: &str,
) -> Result<std::time::Duration, Error> {
    let key = LoginLimits::account_key(username);
    let now = now_micros();
    match store.read(|conn| limits.by_account.check(conn, &key, now)) {
        Ok(()) => Ok(std::time::Duration::ZERO),
        Err(Error::RateLimited { .. }) => Ok(limits.pause),
        Err(other) => Err(other),
    }
}

/// [`login`], refused while this client has used up its failed attempts on this account
/// or on all accounts; a failed attempt counts against both, and against the account.
pub fn login_limited(
    store: &Store,
    keys: &TokenKeys,
    limits: &LoginLimits,
    username: &str,
    password_text: &str,
    client_address: &str,
) -> Result<IssuedSession, Error> {
    let pair_key = LoginLimits::account_client_key(username, client_address);
    let account_key = LoginLimits::account_key(username);
    let now = now_micros();
    store.read(|conn| {
        limits.by_account_client.check(conn, &pair_key, now)?;
        limits.by_address.check(conn, client_address, now)
    })?;
    match login(store, keys, username, password_text) {
        Err(Error::InvalidCredentials) => {
            store.write(|conn| {
                limits.by_account_client.record(conn, &pair_key, now)?;
                limits.by_address.record(conn, client_address, now)?;
                limits.by_account.record(conn, &account_key, now)
            })?;
            Err(Error::InvalidCredentials)
        }
        other => other,
    }
}

/// Signs in with a username and password. Unknown users and wrong passwords take the same
/// time and give the same error.
pub fn login(
    store: &Store,
    keys: &TokenKeys,
    username: &str,
    password_text: &str,
) -> Result<IssuedSession, Error> {
    let found = match Username::parse(username) {
        Ok(name) => store.read(|conn| users::find_by_username(conn, name.as_str()))?,
        Err(_) => None,
    };
    let Some(user) = found else {
        password::verify_against_dummy(password_text);
        return Err(Error::InvalidCredentials);
    };
    if !password::verify(password_text, &user.password_hash) {
        return Err(Error::InvalidCredentials);
    }
    store.write(|conn| {
        if crate::service::bereavement::is_memorialised(conn, user.id.0)? {
            return Err(Error::forbidden(
                "memorialised",
                "this account is memorialised and cannot be signed in to",
            ));
        }
        start_session(conn, keys, &user, now_micros())
    })
}

fn start_session(
    conn: &mut DbConnection,
    keys: &TokenKeys,
    user: &UserRow,
    now: i64,
) -> Result<IssuedSession, Error> {
    let session_id = SessionId(next_id());
    sessions::create(conn, session_id, user.id, now)?;
    let (refresh_token, refresh_hash) = tokens::new_refresh_token();
    sessions::insert_refresh_token(
        conn,
        &refresh_hash,
        session_id,
        now,
        now + REFRESH_TOKEN_SECONDS * 1_000_000,
    )?;
    let access_token = keys.issue_access(user.id, session_id, now / 1_000_000)?;
    let memberships = communities::memberships_of_user(conn, user.id)?;
    Ok(IssuedSession {
        account: OwnAccount::from_rows(user, memberships),
        access_token,
        refresh_token,
        csrf_token: tokens::new_csrf_token(),
    })
}

enum RefreshOutcome {
    Issued(Box<IssuedSession>),
    Invalid,
    Reused { session_id: SessionId },
}

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a
/// spent one revokes its whole session (the token family), since it means the token was
/// copied.
pub fn refresh(
    store: &Store,
    keys: &TokenKeys,
    refresh_token: &str,
) -> Result<IssuedSession, Error> {
    let hash = tokens::hash_refresh_token(refresh_token);
    let now = now_micros();
    let outcome = store.write(|conn| {
        let Some(row) = sessions::find_refresh_token(conn, &hash)? else {
            return Ok(RefreshOutcome::Invalid);
        };
        if row.used_at.is_some() || !sessions::spend_refresh_token(conn, &hash, now)? {
            sessions::revoke(conn, row.session_id, now)?;
            return Ok(RefreshOutcome::Reused {
                session_id: row.session_id,
            });
        }
        if row.expires_at < now || !sessions::is_active(conn, row.session_id)? {
            return Ok(RefreshOutcome::Invalid);
        }
        let Some(user) = sessions::owner(conn, row.session_id)? else {
            return Ok(RefreshOutcome::Invalid);
        };
        let (new_token, new_hash) = tokens::new_refresh_token();
        sessions::insert_refresh_token(
            conn,
            &new_hash,
            row.session_id,
            now,
            now + REFRESH_TOKEN_SECONDS * 1_000_000,
        )?;
        let access_token = keys.issue_access(user.id, row.session_id, now / 1_000_000)?;
        let memberships = communities::memberships_of_user(conn, user.id)?;
        Ok(RefreshOutcome::Issued(Box::new(IssuedSession {
            account: OwnAccount::from_rows(&user, memberships),
            access_token,
            refresh_token: new_token,
            csrf_token: tokens::new_csrf_token(),
        })))
    })?;
    match outcome {
        RefreshOutcome::Issued(session) => Ok(*session),
        RefreshOutcome::Invalid => Err(Error::InvalidToken("es3-token-refresh-invalid")),
        RefreshOutcome::Reused { session_id } => {
            tracing::warn!(
                session_id = session_id.0,
                "spent refresh token presented again; session revoked"
            );
            Err(Error::InvalidToken("es3-token-refresh-reused"))
        }
    }
}

pub fn logout(store: &Store, user: &CurrentUser) -> Result<(), Error> {
    store.write(|conn| sessions::revoke(conn, user.session_id, now_micros()))
}

pub fn me(store: &Store, user: &CurrentUser) -> Result<OwnAccount, Error> {
    store.read(|conn| {
        let row = users::find(conn, user.id)?.ok_or(Error::NotFound)?;
        let memberships = communities::memberships_of_user(conn, user.id)?;
        Ok(OwnAccount::from_rows(&row, memberships))
    })
}

/// Parsed changes to a profile; `None` leaves a field unchanged.
#[derive(Default)]
pub struct ProfilePatch {
    pub display_name: Option<DisplayName>,
    /// `Some(None)` clears the role.
    pub role: Option<Option<ProfileRole>>,
    pub conditions: Option<ConditionTags>,
    pub bio: Option<Bio>,
    pub show_role: Option<bool>,
    pub show_conditions: Option<bool>,
    pub show_bio: Option<bool>,
}

pub fn update_profile(
    store: &Store,
    user: &CurrentUser,
    patch: ProfilePatch,
) -> Result<OwnAccount, Error> {
    let changes = ProfileChanges {
        display_name: patch.display_name.as_ref().map(|n| n.as_str().to_owned()),
        profile_role: patch.role.map(|r| r.map(|r| r.as_str().to_owned())),
        conditions: patch.conditions.as_ref().map(ConditionTags::to_json),
        bio: patch.bio.map(Bio::into_inner),
        show_role: patch.show_role,
        show_conditions: patch.show_conditions,
        show_bio: patch.show_bio,
    };
    let now = now_micros();
    store.write(|conn| {
        if let Some(name) = &patch.display_name {
            check_display_name(conn, user.id.0, name)?;
        }
        users::update_profile(conn, user.id, &changes)?;
        events::append(
            conn,
            NewEvent {
                kind: EventKind::ProfileUpdated,
                community_id: None,
                thread_id: None,
                post_id: None,
                actor_id: Some(user.id),
                payload: EventPayload::User(UserPayload {
                    user_id: Some(user.id.0),
                }),
                created_at: now,
            },
        )?;
        let row = users::find(conn, user.id)?.ok_or(Error::NotFound)?;
        let memberships = communities::memberships_of_user(conn, user.id)?;
        Ok(OwnAccount::from_rows(&row, memberships))
    })
}

/// Refuses, for anyone who is not staff, a display name that claims a role or looks like a
/// staff member's own: impersonating a moderator is how scams start in a health forum.
fn check_display_name(
    conn: &mut DbConnection,
    user_id: i64,
    name: &DisplayName,
) -> Result<(), Error> {
    if !users::staff_among(conn, &[UserId(user_id)])?.is_empty() {
        return Ok(());
    }
    if name.claims_a_role() {
        return Err(Error::invalid(
            "display_name",
            "display names cannot name a role such as moderator, admin or staff",
        ));
    }
    let wanted = crate::domain::user::skeleton(name.as_str());
    let like_staff = users::staff_display_names(conn)?
        .iter()
        .any(|(_, staff_name)| crate::domain::user::skeleton(staff_name) == wanted);
    if like_staff {
        return Err(Error::invalid(
            "display_name",
            "that display name belongs to a member of staff; please choose another",
        ));
    }
    Ok(())
}

/// A member's profile as `viewer` may see it: the fields they share, and only if the viewer
/// is in the audience they chose (any signed-in member, members of a shared community, or
/// nobody).
pub fn public_profile(
    store: &Store,
    viewer: Option<&CurrentUser>,
    username: &str,
) -> Result<PublicProfile, Error> {
    let name = Username::parse(username).map_err(|_| Error::NotFound)?;
    store.read(|conn| {
        let row = users::find_by_username(conn, name.as_str())?.ok_or(Error::NotFound)?;
        let allowed = match (viewer, ProfileAudience::parse(&row.profile_audience)) {
            (Some(v), _) if v.id == row.id => true,
            (Some(_), Ok(ProfileAudience::Members)) => true,
            (Some(v), Ok(ProfileAudience::Communities)) => {
                crate::store::privacy::share_a_community(conn, v.id.0, row.id.0)?
            }
            _ => false,
        };
        let staff = users::staff_among(conn, &[row.id])?;
        let mut profile =
            PublicProfile::from_row(&row, allowed, staff.first().map(|(_, role)| *role));
        profile.memorialised = crate::service::bereavement::is_memorialised(conn, row.id.0)?;
        Ok(profile)
    })
}
