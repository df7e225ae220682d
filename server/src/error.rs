//! The server's one error type, and how each variant reaches a client.
//!
//! Policy: client mistakes are 4xx with a stable `code` and a message meant for people;
//! anything else is logged in full and answered with a generic 500 or 503 that reveals
//! nothing about the internals. Every error body has the shape
//! `{"error": {"code": "…", "message": "…"}}`.
//!
//! A message is words a person reads, so it comes from the catalogue (issue 21): an
//! error's [`Said`] is a catalogue id and its variables, rendered in English for the body
//! and in the reader's language by `crate::language`, which finds it on the response.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use kindred_web::i18n::{Arg, Lang};
use serde_json::json;

/// Seconds a client is asked to wait after a 503 for an unreachable database, and after a
/// 507 for a full disk (which needs an operator, so longer).
const RETRY_UNAVAILABLE_SECS: u64 = 2;
const RETRY_STORAGE_SECS: u64 = 30;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that failed parsing: `field` names what was wrong.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: Message,
    },
    /// The request is malformed as a whole (bad JSON, bad query string, bad cursor).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: Message,
    },
    #[error("authentication required")]
    Unauthenticated,
    #[error("invalid username or password")]
    InvalidCredentials,
    /// A token that cannot be used; the catalogue id of why (`es3-token-*`).
    #[error("{}", Lang::En.t(.0))]
    InvalidToken(&'static str),
    #[error("{message}")]
    Forbidden {
        code: &'static str,
        message: Message,
    },
    /// Unknown, or not visible to this user: both answer the same so existence never leaks.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(Message),
    /// An action that needs a published post (a reaction) on one awaiting review,
    /// removed or deleted: 409 `post_not_published`; the catalogue id of what was refused.
    #[error("{}", Lang::En.t(.0))]
    NotPublished(&'static str),
    /// Screening refused the post outright; the message says why.
    #[error("{0}")]
    Rejected(String),
    /// An `Idempotency-Key` sent again with a different request.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// A request body that is not sent as `application/json` where JSON is expected.
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// A method Kindred answers nowhere (`TRACE`, `OPTIONS`, …); `allowed` lists the others.
    #[error("this method is not supported; use one of {allowed}")]
    MethodNotAllowed { allowed: &'static str },
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// This node is at a capacity it was configured for (not a fault): 503 with a code.
    #[error("{message}")]
    AtCapacity {
        code: &'static str,
        message: Message,
    },
    /// Bad configuration or an unusable database at start-up; the CLI exits with code 2.
    #[error("{0}")]
    Config(String),
    #[error("database unavailable: {0}")]
    Pool(#[from] r2d2::Error),
    /// The database (or a budget waiting for it) failed in a way that passes: a lost
    /// connection, a statement timeout, a request that waited too long. 503 with
    /// `Retry-After`, so clients and balancers back off instead of seeing a 500.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The disk under the database or the search index is full: 507. Reads keep working
    /// and writes succeed again once space is freed.
    #[error("storage full: {0}")]
    StorageFull(String),
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    #[error("internal error: {0}")]
    Internal(String),
    /// Something failed that should not have, with the error that caused it kept as the
    /// source, so that a log (see [`Error::report`]) shows the whole chain.
    #[error("{context}")]
    Failed {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<Message>) -> Error {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The same refusal named for `field`, for a value parsed under another name (a new
    /// password is a `Password`); any other error unchanged.
    #[must_use]
    pub fn for_field(self, field: &'static str) -> Error {
        match self {
            Error::Invalid { message, .. } => Error::invalid(field, message),
            other => other,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<Message>) -> Error {
        Error::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// An internal failure caused by `source`: answered as a 500, logged with its chain.
    pub fn failed(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Failed {
            context: context.into(),
            source: source.into(),
        }
    }

    /// The error and every source below it, joined with `: ` (for logs and the CLI).
    pub fn report(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }

    pub fn forbidden(code: &'static str, message: impl Into<Message>) -> Error {
        Error::Forbidden {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> String {
        match self {
            Error::Invalid { field, .. } => format!("invalid_{field}"),
            Error::BadRequest { code, .. }
            | Error::Forbidden { code, .. }
            | Error::AtCapacity { code, .. } => (*code).to_owned(),
            Error::Unauthenticated => "unauthenticated".into(),
            Error::InvalidCredentials => "invalid_credentials".into(),
            Error::InvalidToken(_) => "invalid_token".into(),
            Error::NotFound => "not_found".into(),
            Error::Conflict(_) => "conflict".into(),
            Error::NotPublished(_) => "post_not_published".into(),
            Error::Rejected(_) => "rejected".into(),
            Error::IdempotencyKeyReused => "idempotency_key_reused".into(),
            Error::PayloadTooLarge(_) => "payload_too_large".into(),
            Error::MethodNotAllowed { .. } => "method_not_allowed".into(),
            Error::UnsupportedMediaType => "unsupported_media_type".into(),
            Error::RateLimited { .. } => "rate_limited".into(),
            Error::Pool(_) | Error::Unavailable(_) => "unavailable".into(),
            Error::StorageFull(_) => "storage_full".into(),
            Error::Config(_) | Error::Database(_) | Error::Internal(_) | Error::Failed { .. } => {
                "internal".into()
            }
        }
    }

    /// Seconds a client should wait before trying again (`Retry-After`), for errors that
    /// pass by themselves.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Error::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            Error::Pool(_) | Error::Unavailable(_) => Some(RETRY_UNAVAILABLE_SECS),
            Error::StorageFull(_) => Some(RETRY_STORAGE_SECS),
            _ => None,
        }
    }

    /// The words of this error from the catalogue, for the errors whose words are the
    /// server's own; `None` for a sentence a service wrote itself.
    pub fn said(&self) -> Option<Said> {
        let said = match self {
            Error::Unauthenticated => Said::new("es3-error-unauthenticated"),
            Error::InvalidCredentials => Said::new("es3-error-invalid-credentials"),
            Error::InvalidToken(key) | Error::NotPublished(key) => Said::new(key),
            Error::NotFound => Said::new("es3-error-not-found"),
            Error::IdempotencyKeyReused => Said::new("es3-error-idempotency-key-reused"),
            Error::PayloadTooLarge(bytes) => Said::new("es3-error-payload-too-large")
                .with("bytes", i64::try_from(*bytes).unwrap_or(i64::MAX)),
            Error::UnsupportedMediaType => Said::new("es3-error-unsupported-media-type"),
            Error::MethodNotAllowed { allowed } => {
                Said::new("es3-error-method-not-allowed").with("allowed", *allowed)
            }
            Error::RateLimited { retry_after_secs } => Said::new("es3-error-rate-limited").with(
                "seconds",
                i64::try_from(*retry_after_secs).unwrap_or(i64::MAX),
            ),
            Error::Pool(_) | Error::Unavailable(_) => Said::new("es3-error-unavailable"),
            Error::StorageFull(_) => Said::new("es3-error-storage-full"),
            Error::Config(_) | Error::Database(_) | Error::Internal(_) | Error::Failed { .. } => {
                Said::new("es3-error-internal")
            }
            Error::Invalid { message, .. }
            | Error::BadRequest { message, .. }
            | Error::Forbidden { message, .. }
            | Error::Conflict(message)
            | Error::AtCapacity { message, .. } => return message.said().cloned(),
            Error::Rejected(_) => return None,
        };
        Some(said)
    }

    /// Whether this is a failure on the server's side (a 5xx), whose public words say
    /// nothing of the cause an operator needs.
    pub fn is_server_fault(&self) -> bool {
        self.status_code().is_server_error()
    }

    /// The message a person reads, in `lang`: the catalogue's words where the error has
    /// them; a service's own sentence in English; in another language the catalogue's
    /// words for the code (`crate::language::error_message`).
    pub fn message_in(&self, lang: Lang) -> String {
        match self.said() {
            Some(said) => said.in_lang(lang),
            None if lang == Lang::En => self.to_string(),
            None => crate::language::error_message(lang, &self.code(), self.status_code().as_u16()),
        }
    }
}

/// The message of a refusal: the catalogue's words, or a sentence a service still writes
/// in English itself (issue 21: each becomes a `Said` in turn).
#[derive(Debug, Clone)]
pub enum Message {
    Said(Said),
    English(String),
}

impl Message {
    /// The catalogue's words, if these are.
    pub fn said(&self) -> Option<&Said> {
        match self {
            Message::Said(said) => Some(said),
            Message::English(_) => None,
        }
    }

    /// The words in `lang` where the catalogue has them, else the service's English.
    pub fn in_lang(&self, lang: Lang) -> String {
        match self {
            Message::Said(said) => said.in_lang(lang),
            Message::English(text) => text.clone(),
        }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

impl From<Said> for Message {
    fn from(said: Said) -> Message {
        Message::Said(said)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::English(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::English(text.to_owned())
    }
}

/// Words a person reads, kept as a catalogue id and its variables until the reader's
/// language is known.
#[derive(Debug, Clone)]
pub struct Said {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Said {
    pub fn new(key: &'static str) -> Said {
        Said {
            key,
            args: Vec::new(),
        }
    }

    /// The same words with the variable `name` set.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Said {
        self.args.push((name, value.into()));
        self
    }

    /// The words in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        lang.t_args(self.key, &self.args)
    }
}

impl From<diesel::result::Error> for Error {
    fn from(error: diesel::result::Error) -> Error {
        use diesel::result::{DatabaseErrorKind, Error as DieselError};
        match error {
            DieselError::NotFound => Error::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Error::Conflict("that already exists".into())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Error::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(_, info) if is_disk_full(info.message()) => {
                Error::StorageFull(info.message().to_owned())
            }
            DieselError::DatabaseError(_, info) if is_transient(info.message()) => {
                Error::Unavailable(info.message().to_owned())
            }
            DieselError::BrokenTransactionManager => {
                Error::Unavailable("the connection was lost mid-transaction".into())
            }
            other => Error::Database(other),
        }
    }
}

/// SQLite's `SQLITE_FULL` and PostgreSQL's `disk_full` (SQLSTATE 53100) arrive only as
/// messages through diesel, which keeps no SQLSTATE.
pub fn is_disk_full(message: &str) -> bool {
    message.contains("database or disk is full") || message.contains("No space left on device")
}

/// Messages of failures that are about the connection or a timeout, not the query:
/// libpq's lost-connection reports and PostgreSQL's statement and idle timeouts
/// (SQLSTATE 57014, 25P03) and administrator shutdowns (57P01-57P03), and SQLite's lock
/// still held by another process after the 5 s busy timeout.
fn is_transient(message: &str) -> bool {
    const TRANSIENT: [&str; 10] = [
        "server closed the connection",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
        "connection to server",
        "canceling statement due to statement timeout",
        "idle-in-transaction timeout",
        "terminating connection",
        "the database system is",
        "database is locked",
    ];
    TRANSIENT.iter().any(|needle| message.contains(needle))
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Error::Invalid { .. } | Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Error::Unauthenticated | Error::InvalidCredentials | Error::InvalidToken(_) => {
                StatusCode::UNAUTHORIZED
            }
            Error::Forbidden { .. } => StatusCode::FORBIDDEN,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Conflict(_) | Error::NotPublished(_) => StatusCode::CONFLICT,
            Error::Rejected(_) | Error::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Error::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Pool(_) | Error::Unavailable(_) | Error::AtCapacity { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Error::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            Error::Config(_) | Error::Database(_) | Error::Internal(_) | Error::Failed { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Error::AtCapacity { code, .. } = self {
            tracing::warn!(code, "request refused at capacity");
        } else if status.is_server_error() {
            tracing::error!(error = %self.report(), "request failed");
        }
        let mut response = HttpResponse::build(status);
        if let Some(seconds) = self.retry_after_secs() {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Error::MethodNotAllowed { allowed } = self {
            response.insert_header((header::ALLOW, *allowed));
        }
        if matches!(
            self,
            Error::Unauthenticated | Error::InvalidCredentials | Error::InvalidToken(_)
        ) {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        let mut response = response.json(json!({
            "error": { "code": self.code(), "message": self.message_in(Lang::En) }
        }));
        // For `crate::language`, which answers in the reader's language.
        if let Some(said) = self.said() {
            response.extensions_mut().insert(said);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error as DieselError};

    #[test]
    fn passing_database_failures_are_503_and_a_full_disk_507() {
        use DatabaseErrorKind::{ClosedConnection, Unknown};
        let cases = [
            (
                ClosedConnection,
                "server closed the connection unexpectedly",
                503,
            ),
            (Unknown, "canceling statement due to statement timeout", 503),
            (
                Unknown,
                "terminating connection due to idle-in-transaction timeout",
                503,
            ),
            (Unknown, "database is locked", 503),
            (Unknown, "database or disk is full", 507),
            (
                Unknown,
                "could not extend file \"base/1/2\": No space left on device",
                507,
            ),
            (Unknown, "syntax error at or near \"SELEC\"", 500),
        ];
        for (kind, message, status) in cases {
            let error = Error::from(DieselError::DatabaseError(
                kind,
                Box::new(message.to_owned()),
            ));
            let response = error.error_response();
            assert_eq!(response.status().as_u16(), status, "{message}");
            let code = match status {
                503 => "unavailable",
                507 => "storage_full",
                _ => "internal",
            };
            assert_eq!(error.code(), code, "{message}");
            assert_eq!(
                response.headers().contains_key(header::RETRY_AFTER),
                status != 500,
                "{message}"
            );
        }
    }

    /// The words the server writes itself are in both catalogues, with their details.
    #[test]
    fn the_servers_own_words_come_from_both_catalogues() {
        let errors = [
            Error::Unauthenticated,
            Error::InvalidCredentials,
            Error::InvalidToken("es3-token-access-invalid"),
            Error::InvalidToken("es3-token-header-malformed"),
            Error::InvalidToken("es3-token-bearer-expected"),
            Error::InvalidToken("es3-token-session-ended"),
            Error::InvalidToken("es3-token-refresh-missing"),
            Error::InvalidToken("es3-token-refresh-invalid"),
            Error::InvalidToken("es3-token-refresh-reused"),
            Error::NotPublished("es3-not-published-save"),
            Error::NotPublished("es3-not-published-react"),
            Error::NotFound,
            Error::IdempotencyKeyReused,
            Error::PayloadTooLarge(262_144),
            Error::UnsupportedMediaType,
            Error::MethodNotAllowed { allowed: "GET" },
            Error::RateLimited {
                retry_after_secs: 1,
            },
            Error::Unavailable("lost".into()),
            Error::StorageFull("full".into()),
            Error::Internal("secret detail".into()),
        ];
        for error in &errors {
            let said = error.said().expect("catalogue words");
            for lang in kindred_web::i18n::LANGUAGES {
                assert!(lang.has(said.key), "{} in {}", said.key, lang.code());
            }
            assert!(!error.message_in(Lang::Es).contains("secret"));
        }
        assert_eq!(
            Error::PayloadTooLarge(262_144).message_in(Lang::En),
            "request body is larger than 262144 bytes"
        );
        assert_eq!(
            Error::PayloadTooLarge(262_144).message_in(Lang::Es),
            "el cuerpo de la solicitud ocupa más de 262144 bytes"
        );
        let once = Error::RateLimited {
            retry_after_secs: 1,
        };
        assert_eq!(
            once.message_in(Lang::En),
            "too many attempts; try again in 1 second"
        );
        // A service's own sentence: English as written, another language by its code.
        let conflict = Error::Conflict("that username is taken".into());
        assert_eq!(conflict.message_in(Lang::En), "that username is taken");
        assert_eq!(conflict.message_in(Lang::Es), Lang::Es.t("error-conflict"));
    }
}
