//! Access and refresh tokens: rotation, reuse detection, logout, forged and tampered
//! tokens, and the login failure limit.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::header::{AUTHORIZATION, RETRY_AFTER, WWW_AUTHENTICATE};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use sha2::{Sha256, Sha384};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_json, session_from, status_and_text, Session, TestApp,
    PASSWORD,
};

/// The secret `spawn_app` configures.
const SECRET: &[u8] = b"test-secret-that-is-long-enough-for-hs256";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn b64_json(value: &Value) -> String {
    b64(value.to_string().as_bytes())
}

/// A JWT signed with HMAC-SHA256 (`alg` taken from the header as given).
fn sign_hs256(header: &Value, claims: &Value, secret: &[u8]) -> String {
    let signing_input = format!("{}.{}", b64_json(header), b64_json(claims));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC key");
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&mac.finalize().into_bytes()))
}

fn sign_hs384(claims: &Value, secret: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        b64_json(&json!({"alg": "HS384", "typ": "JWT"})),
        b64_json(claims)
    );
    let mut mac = Hmac::<Sha384>::new_from_slice(secret).expect("HMAC key");
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&mac.finalize().into_bytes()))
}

fn hs256() -> Value {
    json!({"alg": "HS256", "typ": "JWT"})
}

/// The claims inside a token the server issued.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
        .expect("claims JSON")
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

async fn me_with(app: &TestApp, token: &str) -> Response {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET /me")
}

/// Asserts that a bearer token is refused with 401 `invalid_token`.
async fn assert_refused(app: &TestApp, token: &str, what: &str) {
    let response = me_with(app, token).await;
    assert_eq!(
        response
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok()),
        Some("Bearer"),
        "{what}"
    );
    assert_error_for(response, StatusCode::UNAUTHORIZED, "invalid_token", what).await;
}

async fn assert_accepted(app: &TestApp, token: &str, username: &str) {
    let me = expect_json(me_with(app, token).await, StatusCode::OK).await;
    assert_eq!(me["username"], username);
}

async fn refresh(app: &TestApp, refresh_token: &str) -> Response {
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({ "refresh_token": refresh_token }),
    )
    .await
}

async fn refresh_rotates_and_reuse_revokes_the_family(app: TestApp) {
    let first = app.register("sam_p").await;
    let login = app.login("sam_p", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    let other_session = session_from(login).await;

    let response = refresh(&app, &first.refresh_token).await;
    let body = expect_json(response, StatusCode::OK).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["username"], "sam_p");
    assert_eq!(body["user"]["id"], first.user_id.as_str());
    let second = Session {
        username: first.username.clone(),
        user_id: first.user_id.clone(),
        access_token: body["access_token"].as_str().expect("access").to_owned(),
        refresh_token: body["refresh_token"].as_str().expect("refresh").to_owned(),
    };
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        claims_of(&second.access_token)["sid"],
        claims_of(&first.access_token)["sid"],
        "same family"
    );
    assert_accepted(&app, &second.access_token, "sam_p").await;

    // Rotating again works with the newest token.
    let third = session_from({
        let response = refresh(&app, &second.refresh_token).await;
        assert_eq!(response.status(), StatusCode::OK);
        response
    })
    .await;
    assert_accepted(&app, &third.access_token, "sam_p").await;

    // The first token is spent: presenting it again is refused and ends the family.
    let response = refresh(&app, &first.refresh_token).await;
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let response = refresh(&app, &third.refresh_token).await;
    assert_error_for(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "newest refresh token of a revoked family",
    )
    .await;
    assert_refused(
        &app,
        &third.access_token,
        "access token of a revoked family",
    )
    .await;
    assert_refused(
        &app,
        &first.access_token,
        "first access token of a revoked family",
    )
    .await;

    // Another sign-in of the same member is a different family and keeps working.
    assert_accepted(&app, &other_session.access_token, "sam_p").await;
    let response = refresh(&app, &other_session.refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Garbage and empty refresh tokens.
    for garbage in ["not-a-token", "", &"A".repeat(43)] {
        let response = refresh(&app, garbage).await;
        assert_error_for(
            response,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            format!("{garbage:?}"),
        )
        .await;
    }
}

async fn logout_ends_the_session(app: TestApp) {
    let sam = app.register("sam_p").await;
    let other = session_from(app.login("sam_p", PASSWORD).await).await;
    assert_accepted(&app, &sam.access_token, "sam_p").await;

    let response = app.post("/api/v1/auth/logout", Some(&sam), json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_refused(&app, &sam.access_token, "access token after logout").await;
    let response = refresh(&app, &sam.refresh_token).await;
    assert_error_for(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "refresh after logout",
    )
    .await;
    let response = app.post("/api/v1/auth/logout", Some(&sam), json!({})).await;
    assert_error_for(
        response,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "logging out twice",
    )
    .await;
    let response = app.post("/api/v1/auth/logout", None, json!({})).await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    // Only that session ended.
    assert_accepted(&app, &other.access_token, "sam_p").await;
}

async fn forged_and_tampered_tokens_are_refused(app: TestApp) {
    let sam = app.register("sam_p").await;
    let jo = app.register("jo_carer").await;
    let claims = claims_of(&sam.access_token);
    assert_eq!(claims["sub"], sam.user_id.as_str());
    let sid = claims["sid"].as_str().expect("sid").to_owned();

    // Control: a token we sign ourselves with the test secret is accepted, so the refusals
    // below are about what was changed, not about how we sign.
    let now = now();
    let valid_claims = json!({"sub": sam.user_id, "sid": sid, "iat": now, "exp": now + 600});
    assert_accepted(&app, &sign_hs256(&hs256(), &valid_claims, SECRET), "sam_p").await;

    // One character of the signature changed.
    let parts: Vec<&str> = sam.access_token.split('.').collect();
    let signature = parts[2];
    let middle = signature.len() / 2;
    let flipped = if &signature[middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    let tampered = format!(
        "{}.{}.{}{}{}",
        parts[0],
        parts[1],
        &signature[..middle],
        flipped,
        &signature[middle + 1..]
    );
    assert_refused(&app, &tampered, "signature changed").await;

    // The payload changed to another user, signature kept.
    let mut stolen = claims.clone();
    stolen["sub"] = json!(jo.user_id);
    let swapped = format!("{}.{}.{}", parts[0], b64_json(&stolen), parts[2]);
    assert_refused(&app, &swapped, "payload names another user").await;
    // ...and a correctly signed token naming another user in this session is refused too:
    // the session belongs to sam.
    let cross = json!({"sub": jo.user_id, "sid": sid, "iat": now, "exp": now + 600});
    assert_refused(
        &app,
        &sign_hs256(&hs256(), &cross, SECRET),
        "session of someone else",
    )
    .await;

    // Expired (well past the leeway).
    let expired = json!({"sub": sam.user_id, "sid": sid, "iat": now - 3600, "exp": now - 120});
    assert_refused(&app, &sign_hs256(&hs256(), &expired, SECRET), "expired").await;
    // Missing exp.
    let no_exp = json!({"sub": sam.user_id, "sid": sid, "iat": now});
    assert_refused(&app, &sign_hs256(&hs256(), &no_exp, SECRET), "no exp").await;

    // alg: none, with and without a signature part.
    let none_header = json!({"alg": "none", "typ": "JWT"});
    let unsigned = format!("{}.{}.", b64_json(&none_header), b64_json(&valid_claims));
    assert_refused(&app, &unsigned, "alg none").await;
    assert_refused(&app, unsigned.trim_end_matches('.'), "alg none, two parts").await;
    // alg: none header on a real signature.
    let relabelled = sign_hs256(&none_header, &valid_claims, SECRET);
    assert_refused(&app, &relabelled, "alg none with an HS256 signature").await;

    // Another algorithm with the same secret, and the right algorithm with another secret.
    assert_refused(&app, &sign_hs384(&valid_claims, SECRET), "HS384").await;
    let foreign = sign_hs256(
        &hs256(),
        &valid_claims,
        b"another-secret-that-is-long-enough-too",
    );
    assert_refused(&app, &foreign, "foreign secret").await;

    // A refresh token is not an access token.
    assert_refused(&app, &sam.refresh_token, "refresh token as bearer").await;
    assert_refused(&app, "not.a.jwt", "junk").await;

    // Other Authorization schemes.
    for header in [
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("sam_p:{PASSWORD}"))
        ),
        format!("bearer{}", sam.access_token),
        "Bearer ".to_owned(),
        sam.access_token.clone(),
    ] {
        let response = app
            .client
            .get(app.url("/api/v1/me"))
            .header(AUTHORIZATION, &header)
            .send()
            .await
            .expect("GET /me");
        assert_error_for(
            response,
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            format!("Authorization: {header}"),
        )
        .await;
    }

    // Nothing above broke the real session.
    assert_accepted(&app, &sam.access_token, "sam_p").await;
}

async fn failed_logins_look_the_same(app: TestApp) {
    app.register("sam_p").await;
    let wrong_password = app.login("sam_p", "not the right password").await;
    let unknown_user = app.login("nobody_here", "not the right password").await;
    let malformed_user = app.login("no!", "not the right password").await;
    for response in [&wrong_password, &unknown_user, &malformed_user] {
        assert_eq!(
            response
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|v| v.to_str().ok()),
            Some("Bearer")
        );
        assert!(
            response.headers().get("set-cookie").is_none(),
            "no cookies on failure"
        );
    }
    let (status, wrong_text) = status_and_text(wrong_password).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status_and_text(unknown_user).await,
        (status, wrong_text.clone())
    );
    assert_eq!(
        status_and_text(malformed_user).await,
        (status, wrong_text.clone())
    );
    let body: Value = serde_json::from_str(&wrong_text).expect("JSON");
    assert_eq!(body["error"]["code"], "invalid_credentials");

    // The right password still works; usernames are case-insensitive.
    let response = app.login("SAM_P", PASSWORD).await;
    let body = expect_json(response, StatusCode::OK).await;
    assert_eq!(body["user"]["username"], "sam_p");
}

async fn repeated_login_failures_are_rate_limited(app: TestApp) {
    app.register("sam_p").await;
    app.register("jo_carer").await;
    for attempt in 1..=5 {
        let response = app.login("sam_p", "guess number one two").await;
        assert_error_for(
            response,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            format!("attempt {attempt}"),
        )
        .await;
    }
    for username in ["sam_p", "SAM_P", " sam_p "] {
        let response = app.login(username, PASSWORD).await;
        let retry_after: u64 = response
            .headers()
            .get(RETRY_AFTER)
            .unwrap_or_else(|| panic!("Retry-After for {username:?}"))
            .to_str()
            .expect("ascii")
            .parse()
            .expect("Retry-After in seconds");
        assert!(
            (1..=15 * 60).contains(&retry_after),
            "Retry-After {retry_after}"
        );
        assert_error_for(
            response,
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("{username:?}"),
        )
        .await;
    }
    // The limit is per account and client: someone else signs in.
    let response = app.login("jo_carer", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Unknown usernames are limited the same way, so the limit does not reveal who exists.
    for _ in 1..=5 {
        let response = app.login("ghost_user", "guess number one two").await;
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    let response = app.login("ghost_user", "guess number one two").await;
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

both_backends!(
    refresh_rotates_and_reuse_revokes_the_family,
    logout_ends_the_session,
    forged_and_tampered_tokens_are_refused,
    failed_logins_look_the_same,
    repeated_login_failures_are_rate_limited,
);

/// Behind a load balancer each attempt may reach another node: the failed-login limit is
/// counted in the database, so guesses spread over two nodes are limited as on one, and
/// the table keeps no username or address in the clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_counted_across_nodes() {
    use crate::helpers::{spawn_app, spawn_app_with, Backend};

    let node_a = spawn_app(Backend::Postgres).await;
    let shared = node_a.database_url.clone();
    let node_b = spawn_app_with(
        Backend::Postgres,
        |input| input.database_url = shared,
        |_| {},
    )
    .await;
    node_a.register("sam_p").await;
    for attempt in 1..=5 {
        let node = if attempt % 2 == 0 { &node_a } else { &node_b };
        let response = node.login("sam_p", "guess number one two").await;
        assert_error_for(
            response,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            format!("attempt {attempt}"),
        )
        .await;
    }
    for node in [&node_a, &node_b] {
        let response = node.login("sam_p", PASSWORD).await;
        assert_error(response, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    }
    let url = node_a.database_url.clone().expect("PostgreSQL URL");
    let keys = tokio::task::spawn_blocking(move || {
        use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            key: String,
        }
        let mut conn = PgConnection::establish(&url).expect("connect");
        diesel::sql_query("SELECT key FROM rate_limits")
            .load::<Row>(&mut conn)
            .expect("rate_limits")
            .into_iter()
            .map(|row| row.key)
            .collect::<Vec<String>>()
    })
    .await
    .expect("query");
    assert_eq!(
        keys.len(),
        4,
        "failed logins per (account, address), per address and per account, \
         registrations per address"
    );
    for key in keys {
        assert!(
            !key.contains("sam_p") && !key.contains("127.0.0.1"),
            "{key}"
        );
    }
}
