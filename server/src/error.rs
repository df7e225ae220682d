//! The server's one error type, and how each variant reaches a client.
//!
//! Policy: client mistakes are 4xx with a stable `code` and a message meant for people;
//! anything else is logged in full and answered with a generic 500 or 503 that reveals
//! nothing about the internals. Every error body has the shape
//! `{"error": {"code": "…", "message": "…"}}`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
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
        message: String,
    },
    /// The request is malformed as a whole (bad JSON, bad query string, bad cursor).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("authentication required")]
    Unauthenticated,
    #[error("invalid username or password")]
    InvalidCredentials,
    #[error("{0}")]
    InvalidToken(&'static str),
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// Unknown, or not visible to this user: both answer the same so existence never leaks.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// An action that needs a published post (a reaction) on one awaiting review,
    /// removed or deleted: 409 `post_not_published`.
    #[error("{0}")]
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
    AtCapacity { code: &'static str, message: String },
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
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
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

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Error {
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

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Error {
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

    fn public_message(&self) -> String {
        match self {
            Error::Pool(_) | Error::Unavailable(_) => {
                "the service is temporarily unavailable".into()
            }
            Error::StorageFull(_) => {
                "the server is out of storage space; nothing was saved, try again later".into()
            }
            Error::Config(_) | Error::Database(_) | Error::Internal(_) | Error::Failed { .. } => {
                "something went wrong on our side".into()
            }
            other => other.to_string(),
        }
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
        response.json(json!({
            "error": { "code": self.code(), "message": self.public_message() }
        }))
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
}
