//! Authentication: password hashing, access and refresh tokens, cookies and CSRF, and
//! the extractors handlers use to learn who is asking.

pub mod cookies;
pub mod extract;
pub mod password;
pub mod renewals;
pub mod tokens;

pub use extract::Viewer;
