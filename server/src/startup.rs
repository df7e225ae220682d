//! Building and running the HTTP server. `Application::build` binds the listener (port 0
//! works, which the tests use), opens the store and runs migrations; `run_until_stopped`
//! starts the realtime event tail and serves until SIGINT/SIGTERM (or a [`StopHandle`]),
//! then closes websockets with "going away" and lets requests in flight finish.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_http::{HttpService, KeepAlive};
use actix_service::{map_config, IntoServiceFactory, ServiceFactory, ServiceFactoryExt};
use actix_web::body::MessageBody;
use actix_web::dev::{Server, Service, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::Method;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{web, App, HttpMessage};
use futures_util::future::Either;
use utoipa_actix_web::AppExt;

use crate::api;
use crate::config::Settings;
use crate::error::Error;
use crate::indexer::{Indexer, Search};
use crate::mail::Mailer;
use crate::pages;
use crate::realtime::Realtime;
use crate::screening;
use crate::service::insights;
use crate::service::periodic::run_every;
use crate::service::surveys;
use crate::state::AppState;
use crate::store::Store;
use crate::upgrade;

/// How long a stopping node waits for its websockets' close frames to go out.
const SHUTDOWN_PATIENCE: Duration = Duration::from_secs(10);

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    stop: StopHandle,
}

/// Stops a running [`Application`] the way SIGTERM does.
#[derive(Clone, Default)]
pub struct StopHandle(Arc<tokio::sync::Notify>);

impl StopHandle {
    pub fn stop(&self) {
        self.0.notify_one();
    }
}

impl Application {
    pub fn build(settings: Settings) -> Result<Application, Error> {
        let store =
            Store::connect_with(&settings.database, settings.pool_size, settings.db_timeouts)?;
        Self::build_with_store(settings, store)
    }

    /// Serves an already opened store (used by `serve --demo` after seeding).
    pub fn build_with_store(settings: Settings, store: Store) -> Result<Application, Error> {
        let listener = TcpListener::bind(settings.bind).map_err(|e| {
            Error::Config(format!(
                "KINDRED_BIND: cannot listen on {}: {e}",
                settings.bind
            ))
        })?;
        let address = listener
            .local_addr()
            .map_err(|e| Error::Config(format!("cannot read the bound address: {e}")))?;
        let port = address.port();
        let realtime = Realtime::new(&settings, &store)?;
        let search = Arc::new(Search::open(&settings.data_dir)?);
        let screener = screening::screener()?;
        let mailer = Mailer::new(&settings.mail)?;
        let state = web::Data::new(AppState::new(
            settings, store, realtime, search, screener, mailer,
        ));
        let https = state.settings.secure_cookies();
        let blocking_threads = state.settings.pool_size as usize + 2;
        // actix-web's `HttpServer` has no way to take over upgraded connections, so the
        // server is assembled here as it assembles it (same defaults, same settings), plus
        // the upgrade service that runs websockets outside the HTTP dispatcher
        // (`crate::upgrade`).
        let builder = actix_server::Server::build()
            // actix's default is 512 blocking threads shared by the workers; under a steady
            // load they pile up (RSS followed the thread count to 0.5 GB). Every blocking
            // call needs a pooled connection or a hashing permit, so a few more threads
            // than connections is all a worker can use.
            .worker_max_blocking_threads(blocking_threads)
            .shutdown_timeout(10)
            .disable_signals();
        let shutting_down = builder.graceful_shutdown_signal();
        let app_state = state.clone();
        let server = builder
            .listen("kindred-http", listener, move || {
                let shutting_down = shutting_down.clone();
                let config = move |()| {
                    // What `HttpServer` gives the application: this address as the host
                    // of requests that name none.
                    actix_web::dev::AppConfig::__priv_test_new(false, address.to_string(), address)
                };
                let app = |state: web::Data<AppState>| {
                    map_config(
                        application(state, https)
                            .into_factory()
                            .map_err(|e: actix_web::Error| e.error_response()),
                        config,
                    )
                };
                HttpService::build()
                    .graceful_shutdown_signal(move || {
                        let signal = shutting_down.clone();
                        async move { signal.notified().await }
                    })
                    .keep_alive(KeepAlive::default())
                    .client_request_timeout(Duration::from_secs(10))
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .h1_allow_half_closed(true)
                    .local_addr(address)
                    .upgrade(upgrade::service(app(app_state.clone())))
                    .finish(app(app_state.clone()))
                    .tcp()
            })
            .map_err(|e| Error::Config(format!("cannot start the HTTP server: {e}")))?
            .run();
        Ok(Application {
            port,
            server,
            state,
            stop: StopHandle::default(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The store this application serves, for tests and tools that inspect the database.
    pub fn store(&self) -> Store {
        self.state.store.clone()
    }

    /// The notification-mail job, for tests that run it with a chosen "now".
    pub fn notification_mail(&self) -> crate::service::mail_preferences::NotificationMail {
        self.state.notification_mail.clone()
    }

    pub fn stop_handle(&self) -> StopHandle {
        self.stop.clone()
    }

    /// Serves until SIGINT, SIGTERM or [`StopHandle::stop`]; then websockets get a close
    /// frame ("going away"), the event tail stops, and requests in flight may finish
    /// (for up to 10 seconds).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application {
            server,
            state,
            stop,
            ..
        } = self;
        state
            .realtime
            .spawn_background(&state.settings, &state.store);
        let indexer = Indexer {
            store: state.store.clone(),
            search: state.search.clone(),
        };
        tokio::spawn(indexer.run(state.realtime.shutdown_signal()));
        let store = state.store.clone();
        tokio::spawn(async move {
            match store.background(insights::fill_terms).await {
                Ok(filled) => tracing::info!(filled, "insights terms stored for older posts"),
                Err(e) => {
                    tracing::warn!(error = %e, "storing insights terms failed; the insights page scans those posts instead");
                }
            }
        });
        tokio::spawn(state.mailer.clone().run(
            state.store.clone(),
            state.mail_metrics.clone(),
            state.realtime.shutdown_signal(),
        ));
        if let Some(interval) = state.settings.mail.notify_interval {
            let job = state.notification_mail.clone();
            tokio::spawn(run_every(
                "notification mail",
                interval,
                state.store.clone(),
                state.realtime.shutdown_signal(),
                move |store, now| job.run(store, now),
            ));
        }
        tokio::spawn(run_every(
            "announce opened and detach closed surveys",
            surveys::closing::DETACH_EVERY,
            state.store.clone(),
            state.realtime.shutdown_signal(),
            surveys::closing::run_once,
        ));
        let handle = server.handle();
        let stopping = state.clone();
        let stopper = tokio::spawn(async move {
            stop_requested(stop).await;
            tracing::info!("shutting down");
            stopping.realtime.shutdown();
            // Websockets run outside the server's connection count (`crate::upgrade`):
            // their close frames go out before the workers stop.
            stopping.realtime.sockets.drained(SHUTDOWN_PATIENCE).await;
            handle.stop(true).await;
        });
        let result = server.await;
        stopper.abort();
        state.realtime.shutdown();
        result
    }
}

/// The application: every route and the middleware around them.
fn application(
    state: web::Data<AppState>,
    https: bool,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let app = App::new()
        .app_data(state)
        // Innermost: research partners see only their routes (`fence.rs`).
        .wrap(actix_web::middleware::from_fn(crate::fence::fence))
        // API errors and error pages in the request's language (`language.rs`).
        .wrap(actix_web::middleware::from_fn(
            crate::language::localise_errors,
        ))
        .wrap_fn(|mut req, service| {
            let refused = screen_method(&mut req);
            let observed = Observed::start(&req);
            let response = match refused {
                Some(refused) => Either::Left(std::future::ready(Ok(req.into_response(refused)))),
                None => Either::Right(service.call(req)),
            };
            async move {
                let response = response.await?;
                observed.finish(&response);
                Ok(response)
            }
        })
        .wrap(Compress::default())
        .wrap_fn(|mut req, service| {
            refuse_compression_where_it_could_leak(&mut req);
            service.call(req)
        })
        // Outermost, so that every response gets them, refused methods included.
        .wrap(security_headers(https));
    // The API's routes and its OpenAPI document come from one registration.
    let (app, registered) = app
        .into_utoipa_app()
        .configure(api::configure)
        .split_for_parts();
    app.app_data(api::document(registered))
        .configure(pages::configure)
        .default_service(web::to(not_found))
}

/// Waits for SIGINT, SIGTERM or the stop handle.
async fn stop_requested(stop: StopHandle) {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
        () = stop.0.notified() => {}
    }
}

/// Unknown paths: a friendly page for browsers (which ask for `text/html`) outside the
/// API, the usual JSON error for everything else.
async fn not_found(req: actix_web::HttpRequest) -> actix_web::HttpResponse {
    let wants_html = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !req.path().starts_with("/api/") {
        pages::not_found_page()
    } else {
        actix_web::ResponseError::error_response(&Error::NotFound)
    }
}

/// Headers for every response. The strict CSP applies wherever a response does not set its
/// own: pages set `pages::PAGE_CSP`, which allows this site's scripts, styles and forms.
/// Behind `https://`, browsers are told to use nothing else for two years
/// (`Strict-Transport-Security`); a deployment over plain HTTP must not send it.
fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            "default-src 'none'; frame-ancestors 'none'",
        ))
        .add(("Permissions-Policy", PERMISSIONS_POLICY))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cache-Control", "no-store"));
    if https {
        headers.add((
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        headers
    }
}

/// Compression can leak what a response holds to someone who sees its size and can put
/// their own text in it (BREACH): a page on another site that sends the browser to
/// `/search?q=guess` over and over, while watching the encrypted traffic. So bodies are
/// sent uncompressed to requests a browser says come from another site
/// (`Sec-Fetch-Site: cross-site` or `same-site`; `same-origin`, `none` and clients that do
/// not say are compressed), and always for the token-issuing `/api/v1/auth/` routes.
/// The CSRF token in pages is also masked afresh on every page
/// (`auth::tokens::mask_csrf_token`).
fn refuse_compression_where_it_could_leak(req: &mut ServiceRequest) {
    let from_elsewhere = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|site| site == "cross-site" || site == "same-site");
    if from_elsewhere || req.path().starts_with("/api/v1/auth/") {
        req.headers_mut().remove(header::ACCEPT_ENCODING);
    }
}

/// Browser features no Kindred page uses, turned off for the page and anything it embeds.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), \
     midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), \
     xr-spatial-tracking=()";

/// The methods Kindred answers; `HEAD` is answered as `GET` without a body.
const ALLOWED_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";

/// Before routing: any other method (`TRACE`, `OPTIONS`, `CONNECT`, made-up ones) gets
/// `405` with `Allow`, and `HEAD` is routed as `GET` (the HTTP layer, which remembers the
/// request was `HEAD`, sends the headers without the body).
fn screen_method(req: &mut ServiceRequest) -> Option<actix_web::HttpResponse> {
    let method = req.method().clone();
    if method == Method::HEAD {
        req.head_mut().method = Method::GET;
        return None;
    }
    let known = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ];
    if known.contains(&method) {
        return None;
    }
    let refused = Error::MethodNotAllowed {
        allowed: ALLOWED_METHODS,
    };
    Some(actix_web::ResponseError::error_response(&refused))
}

/// Times a request and records it in the metrics and the log, by route pattern (never the
/// raw path or query, which may carry identifiers).
struct Observed {
    started: Instant,
    method: String,
    state: Option<web::Data<AppState>>,
}

/// The route pattern of a request not routed yet (`None`: no route matches), for the
/// middleware that needs it before routing (`fence.rs`): this walks every route's pattern.
pub fn route_pattern(req: &ServiceRequest) -> Option<String> {
    req.match_pattern()
}

impl Observed {
    fn start(req: &ServiceRequest) -> Observed {
        Observed {
            started: Instant::now(),
            method: req.method().to_string(),
            state: req.app_data::<web::Data<AppState>>().cloned(),
        }
    }

    fn finish<B: MessageBody>(self, response: &ServiceResponse<B>) {
        let elapsed = self.started.elapsed();
        let status = response.status().as_u16();
        // Read after routing, actix names the route it matched without walking the others.
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        if let Some(state) = &self.state {
            state.metrics.observe(&self.method, &route, status, elapsed);
        }
        tracing::info!(
            method = %self.method,
            route = %route,
            status,
            micros = elapsed.as_micros() as u64,
            "request"
        );
    }
}
