//! Authentication: password hashing, access and refresh tokens, cookies and CSRF, and
//! the extractors handlers use to learn who is asking.

pub mod cookies;
pub mod extract;
pub mod password;
pub mod renewals;
pub mod tokens;

pub use extract::Viewer;

use crate::error::Error;
use crate::service::accounts::{self, IssuedSession};
use crate::state::AppState;

/// Signs a member in with a password, for the API and the sign-in page alike. An account
/// that others have been failing to sign in to is slowed down, not locked: the pause comes
/// first, then the password is checked against the per-client limits
/// (`service::accounts::login_limited`).
pub async fn sign_in(
    state: &actix_web::web::Data<AppState>,
    username: String,
    password: String,
    client_address: String,
) -> Result<IssuedSession, Error> {
    let app = state.clone();
    let name = username.clone();
    let pause = state
        .store
        .reading(move |store| accounts::login_pause(store, &app.login_limits, &name))
        .await?;
    tokio::time::sleep(pause).await;
    let app = state.clone();
    state
        .store
        .blocking(move |store| {
            accounts::login_limited(
                store,
                &app.tokens,
                &app.login_limits,
                &username,
                &password,
                &client_address,
            )
        })
        .await
}
