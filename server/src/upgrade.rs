//! Websocket upgrades, taken out of actix-http's HTTP/1 dispatcher.
//!
//! actix-http hands every request that asks for `Upgrade: websocket` to this service,
//! with the connection's socket (a `Framed` holding the dispatcher's 8 KiB read and write
//! buffers). The request still goes through the whole application, so routing, the
//! middleware (security headers, the research-partner fence, error language, request
//! metrics) and `GET /api/v1/ws`'s own checks (origin, connection limits, credentials)
//! are exactly those of any request. When that handler accepts, it leaves what the
//! connection needs in the request's [`Handoff`]; this service then writes the `101`,
//! takes the bare socket out of the `Framed` (the dispatcher's buffers are dropped, and
//! its task ends) and runs the websocket on it ([`crate::realtime::socket`]).
//!
//! Any other answer (a refusal, or an upgrade request to another path) is written out
//! whole with `Connection: close`: after an upgrade request the connection cannot go
//! back to the dispatcher.

use std::cell::RefCell;
use std::rc::Rc;

use actix_codec::Framed;
use actix_http::body::{BodySize, BoxBody, MessageBody};
use actix_http::h1::{Codec, Message};
use actix_http::{ConnectionType, HttpMessage, Request, Response, StatusCode};
use actix_service::{fn_factory, fn_service, Service, ServiceFactory};
use actix_web::dev::ServiceResponse;
use actix_web::{web, HttpResponse};
use futures_util::SinkExt;
use tokio::net::TcpStream;

use crate::domain::current_user::CurrentUser;
use crate::realtime::{socket, ConnectionSlot};
use crate::state::AppState;

/// Put in an upgrade request's extensions; `GET /api/v1/ws` fills it when it accepts.
#[derive(Clone, Default)]
pub struct Handoff(Rc<RefCell<Option<Accepted>>>);

/// What an accepted websocket starts with.
pub struct Accepted {
    pub state: web::Data<AppState>,
    pub user: Option<(CurrentUser, i64)>,
    pub slot: ConnectionSlot,
}

impl Handoff {
    pub fn accept(&self, accepted: Accepted) {
        *self.0.borrow_mut() = Some(accepted);
    }

    fn take(&self) -> Option<Accepted> {
        self.0.borrow_mut().take()
    }
}

/// The upgrade service over one worker's instance of the application.
pub fn service<S, B>(
    app: S,
) -> impl ServiceFactory<
    (Request, Framed<TcpStream, Codec>),
    Config = (),
    Response = (),
    Error = actix_web::Error,
    InitError = (),
>
where
    S: ServiceFactory<
            Request,
            Config = (),
            Response = ServiceResponse<B>,
            Error = HttpResponse,
            InitError = (),
        > + 'static,
    S::Service: 'static,
    B: MessageBody + 'static,
{
    let app = Rc::new(app);
    fn_factory(move || {
        let app = Rc::clone(&app);
        async move {
            let app = Rc::new(app.new_service(()).await?);
            Ok(fn_service(
                move |(req, framed): (Request, Framed<TcpStream, Codec>)| {
                    serve(Rc::clone(&app), req, framed)
                },
            ))
        }
    })
}

async fn serve<S, B>(
    app: Rc<S>,
    req: Request,
    mut framed: Framed<TcpStream, Codec>,
) -> Result<(), actix_web::Error>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = HttpResponse>,
    B: MessageBody + 'static,
{
    let handoff = Handoff::default();
    req.extensions_mut().insert(handoff.clone());
    let response: Response<BoxBody> = match app.call(req).await {
        Ok(response) => response.map_into_boxed_body().into_parts().1.into(),
        Err(response) => response.into(),
    };
    match handoff.take() {
        Some(accepted) if response.status() == StatusCode::SWITCHING_PROTOCOLS => {
            let (head, _) = response.into_parts();
            framed.send(Message::Item((head, BodySize::None))).await?;
            let parts = framed.into_parts();
            socket::open(
                accepted.state,
                accepted.user,
                accepted.slot,
                parts.io,
                &parts.read_buf,
            );
        }
        _ => answer_and_close(framed, response).await?,
    }
    Ok(())
}

/// Writes a whole response and closes the connection.
async fn answer_and_close(
    mut framed: Framed<TcpStream, Codec>,
    response: Response<BoxBody>,
) -> std::io::Result<()> {
    let (mut head, body) = response.into_parts();
    head.head_mut().set_connection_type(ConnectionType::Close);
    let body = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let size = BodySize::Sized(body.len() as u64);
    framed.send(Message::Item((head, size))).await?;
    if !body.is_empty() {
        framed.send(Message::Chunk(Some(body))).await?;
    }
    framed.send(Message::Chunk(None)).await?;
    framed.close().await
}
