//! `GET /api/v1/ws`: the websocket upgrade. The protocol and delivery live in
//! [`crate::realtime`]; this handler only decides whether to upgrade, and
//! [`crate::upgrade`] hands the accepted socket over.

use actix_web::http::header;
use actix_web::{get, web, HttpMessage, HttpRequest, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ErrorBody;
use crate::auth::extract::{access_token, authenticate};
use crate::error::Error;
use crate::realtime::LimitReached;
use crate::state::AppState;
use crate::upgrade::{Accepted, Handoff};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(connect);
}

/// Opens the realtime websocket (JSON messages; see the README for the protocol).
///
/// Refuses, before upgrading: a browser page from a foreign origin (cross-site websocket
/// hijacking would otherwise ride on the cookie), an address with too many connections,
/// a node at its connection cap (503, so a load balancer tries another node), and bad
/// credentials. No credentials is fine: anonymous connections see public topics.
#[utoipa::path(tag = "realtime",
    description = "Websocket upgrade. Credentials: the access cookie or a bearer header, or a first `auth` message; none for public topics. Messages are JSON with a `type`: subscribe/unsubscribe `community:{slug}`, `thread:{id}`, `user`, `mod:{slug}`; resume; ping.",
    responses((status = 101, description = "Switching to the websocket protocol"),
        (status = 400, description = "Not a websocket upgrade", body = ErrorBody),
        (status = 401, description = "Credentials given but invalid", body = ErrorBody),
        (status = 403, description = "Origin not allowed", body = ErrorBody),
        (status = 429, description = "Too many connections from this address", body = ErrorBody),
        (status = 503, description = "This node holds as many connections as it is configured to", body = ErrorBody)))]
#[get("/ws")]
async fn connect(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, Error> {
    let settings = &state.settings.realtime;
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let allowed = origin
            .to_str()
            .is_ok_and(|origin| settings.origin_allowed(origin));
        if !allowed {
            return Err(Error::forbidden(
                "origin_not_allowed",
                "pages from this origin may not open the websocket",
            ));
        }
    }
    let slot = state
        .realtime
        .limiter
        .acquire(req.peer_addr().map(|a| a.ip()))
        .map_err(|limit| match limit {
            LimitReached::Address => Error::RateLimited {
                retry_after_secs: 10,
            },
            LimitReached::Node => Error::AtCapacity {
                code: "too_many_connections",
                message: "this server holds as many live connections as it can; try again later"
                    .into(),
            },
        })?;
    let user = match access_token(&req, state.settings.secure_cookies())? {
        Some(token) => Some(authenticate(&state, &token).await?),
        None => None,
    };
    // Upgrade requests reach this handler through `crate::upgrade`, which leaves a
    // handoff for the socket; anything else is not a websocket handshake.
    let handoff = req.extensions().get::<Handoff>().cloned();
    let handshake = handoff
        .zip(actix_http::ws::handshake(req.head()).ok())
        .ok_or_else(|| {
            Error::bad_request(
                "not_websocket",
                "this endpoint speaks websocket: send an Upgrade request",
            )
        });
    let (handoff, mut response) = handshake?;
    handoff.accept(Accepted { state, user, slot });
    Ok(HttpResponse::from(response.finish().map_into_boxed_body()))
}
