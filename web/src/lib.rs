//! Kindred's server-rendered pages: view models, templates (maud, which escapes every
//! value unless it is wrapped in `PreEscaped`), and the embedded CSS and JavaScript.
//!
//! Vocabulary: a *view model* (`model`) is plain data a page shows; `pages` turns one into
//! a complete HTML document; `Chrome` is what every page needs (who is signed in, the CSRF
//! token its forms carry). Only post bodies and community rules — HTML the server already
//! sanitised — are emitted unescaped.

pub mod account;
pub mod advice;
pub mod assets;
pub mod care;
pub mod clock;
pub mod content_notes;
pub mod country;
pub mod duty;
pub mod email_settings;
pub mod i18n;
pub mod insights;
mod layout;
pub mod mail;
pub mod mail_settings;
pub mod messages;
pub mod model;
pub mod pages;
pub mod reasons;
pub mod saved;
mod script_words;
mod staff;
pub mod start;
pub mod surveys;

pub use model::FormState;
