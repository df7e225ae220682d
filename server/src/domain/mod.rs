//! Domain types, parsed once at the edge: a value of one of these types is valid by
//! construction, so services and storage never re-check it.

pub mod community;
pub mod content_note;
pub mod current_user;
pub mod duty;
pub mod event;
pub mod hex;
pub mod ids;
pub mod insight_terms;
pub mod mail;
pub mod markdown;
pub mod mention_links;
pub mod moderation;
pub mod notification;
pub mod post;
pub mod reaction;
pub mod time_zone;
pub mod user;

use crate::error::Error;

/// Declares a string-backed enum with `as_str` and `parse` (the wire and storage form).
/// Its OpenAPI schema lists the same values, so request schemas that name it state them.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::error::Error> {
                match raw {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::error::Error::invalid(
                        $field,
                        format!(
                            "{} must be one of: {}",
                            $field,
                            [$($text),+].join(", ")
                        ),
                    )),
                }
            }
        }

        /// The storage form: rows read the column as text and convert through this, so a
        /// value the enum does not know is a read error rather than a silent default.
        impl TryFrom<String> for $name {
            type Error = $crate::error::Error;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                $name::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }
    };
}
pub(crate) use text_enum;

/// Checks length in characters (not bytes) and rejects control characters other than
/// newlines and tabs, which have no place in names and titles.
pub(crate) fn check_text(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    allow_newlines: bool,
) -> Result<(), Error> {
    let length = value.chars().count();
    if length < min || length > max {
        return Err(Error::invalid(
            field,
            format!("{field} must be {min} to {max} characters long"),
        ));
    }
    let bad_control = value
        .chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')));
    if bad_control {
        return Err(Error::invalid(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(())
}
