//! The server's one error type, and how each variant reaches a client.
//!
//! Policy: client mistakes are 4xx with a stable `code` and a message meant for people;
//! anything else is logged in full and answered with a generic 500 or 503 that reveals
//! nothing about the internals. Every error body has the shape
//! `{"error": {"code": "…", "message": "…"}}`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

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
    /// Screening refused the post outright; the message says why.
    #[error("{0}")]
    Rejected(String),
    /// An `Idempotency-Key` sent again with a different request.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
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
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Error {
        Error::BadRequest {
            code,
            message: message.into(),
        }
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
            Error::Rejected(_) => "rejected".into(),
            Error::IdempotencyKeyReused => "idempotency_key_reused".into(),
            Error::PayloadTooLarge(_) => "payload_too_large".into(),
            Error::RateLimited { .. } => "rate_limited".into(),
            Error::Pool(_) => "unavailable".into(),
            Error::Config(_) | Error::Database(_) | Error::Internal(_) => "internal".into(),
        }
    }

    fn public_message(&self) -> String {
        match self {
            Error::Pool(_) => "the service is temporarily unavailable".into(),
            Error::Config(_) | Error::Database(_) | Error::Internal(_) => {
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
            other => Error::Database(other),
        }
    }
}

impl From<actix_web::error::BlockingError> for Error {
    fn from(error: actix_web::error::BlockingError) -> Error {
        Error::Internal(error.to_string())
    }
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
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::Rejected(_) | Error::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Error::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Pool(_) | Error::AtCapacity { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Config(_) | Error::Database(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Error::AtCapacity { code, .. } = self {
            tracing::warn!(code, "request refused at capacity");
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = HttpResponse::build(status);
        if let Error::RateLimited { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
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
