//! The research partners' fence: a partner's credentials open only the routes of
//! `service::partners::partner_may_use`; everywhere else the answer is the same 404 an
//! unknown path gets, so a partner cannot even tell what exists. `/` sends a partner to
//! their insights instead.
//!
//! The fence authenticates before routing (one session read), and leaves the user it
//! found in the request's extensions, where the `Viewer` extractor and the pages'
//! `cookie_user` take it instead of reading the session again. Credentials that do not
//! authenticate pass untouched: the handler refuses them as it always has. A page whose
//! access cookie has expired renews it inside the handler, so `pages::Ctx` checks the
//! role again, and the websocket refuses a partner's `auth` message itself.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};

use crate::auth::extract::{authenticate, raw_access_token, Authenticated};
use crate::error::Error;
use crate::pages;
use crate::service::partners::partner_may_use;
use crate::state::AppState;

pub async fn fence<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return pass(req, next).await;
    };
    // Without credentials there is no one to fence: a visitor passes before the route is
    // matched, which walks every pattern (most of a cached thread page's cost).
    let Some(token) = raw_access_token(req.request(), state.settings.secure_cookies()) else {
        return pass(req, next).await;
    };
    let pattern = crate::startup::route_pattern(&req);
    let home = pattern.as_deref() == Some("/");
    let open = pattern.as_deref().is_some_and(partner_may_use);
    if pattern.is_none() || (open && !home) {
        return pass(req, next).await;
    }
    let user = match authenticate(&state, &token).await {
        Ok((user, _)) => user,
        Err(Error::Unauthenticated | Error::InvalidCredentials | Error::InvalidToken(_)) => {
            return pass(req, next).await;
        }
        // The database did not answer in time: the handler would only wait for it again,
        // and the request would take two budgets instead of one.
        Err(error) => {
            return Ok(req
                .into_response(error.error_response())
                .map_into_boxed_body())
        }
    };
    let partner = user.is_research_partner();
    req.extensions_mut().insert(Authenticated { token, user });
    if !partner {
        return pass(req, next).await;
    }
    let response = if home {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/insights"))
            .finish()
    } else {
        not_found(&req)
    };
    Ok(req.into_response(response).map_into_boxed_body())
}

async fn pass<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The answer an unknown path gets: a page for browsers outside the API, JSON otherwise.
fn not_found(req: &ServiceRequest) -> HttpResponse {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !req.path().starts_with("/api/") {
        pages::not_found_page()
    } else {
        Error::NotFound.error_response()
    }
}
