//! Opaque keyset cursors: the sort key of the last item, base64url-encoded. Clients pass
//! them back unchanged; a cursor that does not decode is a 400.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::Error;
use crate::store::threads::ThreadCursor;

fn encode(parts: &[String]) -> String {
    URL_SAFE_NO_PAD.encode(parts.join("\n"))
}

fn decode(cursor: &str, expected_parts: usize) -> Result<Vec<String>, Error> {
    let invalid = || Error::bad_request("invalid_cursor", "cursor is not valid");
    if cursor.len() > 512 {
        return Err(invalid());
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<String> = text.split('\n').map(str::to_owned).collect();
    if parts.len() != expected_parts {
        return Err(invalid());
    }
    Ok(parts)
}

fn parse_i64(raw: &str) -> Result<i64, Error> {
    raw.parse()
        .map_err(|_| Error::bad_request("invalid_cursor", "cursor is not valid"))
}

pub fn encode_slug(slug: &str) -> String {
    encode(&[slug.to_owned()])
}

/// Decodes a slug or username cursor; both are plain `[a-z0-9_-]` text.
pub fn decode_slug(cursor: &str) -> Result<String, Error> {
    let name = decode(cursor, 1)?.remove(0);
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !plain {
        return Err(Error::bad_request("invalid_cursor", "cursor is not valid"));
    }
    Ok(name)
}

pub fn encode_id(id: i64) -> String {
    encode(&[id.to_string()])
}

pub fn decode_id(cursor: &str) -> Result<i64, Error> {
    parse_i64(&decode(cursor, 1)?[0])
}

/// A `(time, id)` keyset, newest-first lists (conversations by their last message).
pub fn encode_time_id(at: i64, id: i64) -> String {
    encode(&[at.to_string(), id.to_string()])
}

pub fn decode_time_id(cursor: &str) -> Result<(i64, i64), Error> {
    let parts = decode(cursor, 2)?;
    Ok((parse_i64(&parts[0])?, parse_i64(&parts[1])?))
}

pub fn encode_thread(cursor: ThreadCursor) -> String {
    encode(&[
        u8::from(cursor.pinned).to_string(),
        cursor.last_post_at.to_string(),
        cursor.id.to_string(),
    ])
}

pub fn decode_thread(cursor: &str) -> Result<ThreadCursor, Error> {
    let parts = decode(cursor, 3)?;
    Ok(ThreadCursor {
        pinned: parts[0] == "1",
        last_post_at: parse_i64(&parts[1])?,
        id: parse_i64(&parts[2])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let cursor = ThreadCursor {
            pinned: true,
            last_post_at: 5,
            id: 9,
        };
        assert_eq!(decode_thread(&encode_thread(cursor)).ok(), Some(cursor));
        assert_eq!(decode_id(&encode_id(42)).ok(), Some(42));
        assert!(decode_id("!!!").is_err());
        assert!(decode_thread(&encode_id(42)).is_err());
        assert!(decode_id(&encode_slug("abc")).is_err());
        assert!(decode_slug(&encode_slug("a\u{0}b")).is_err());
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// The sort key a thread listing orders by, to compare cursors with.
        fn key(cursor: ThreadCursor) -> (bool, i64, i64) {
            (cursor.pinned, cursor.last_post_at, cursor.id)
        }

        fn thread_cursor() -> impl Strategy<Value = ThreadCursor> {
            (any::<bool>(), any::<i64>(), any::<i64>()).prop_map(|(pinned, last_post_at, id)| {
                ThreadCursor {
                    pinned,
                    last_post_at,
                    id,
                }
            })
        }

        /// Characters that never appear in a base64url cursor.
        fn foreign_char() -> impl Strategy<Value = char> {
            any::<char>().prop_filter("outside base64url", |c| {
                !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            })
        }

        proptest! {
            #[test]
            fn thread_cursors_round_trip(cursor in thread_cursor()) {
                prop_assert_eq!(decode_thread(&encode_thread(cursor)).ok(), Some(cursor));
            }

            #[test]
            fn id_cursors_round_trip(id in any::<i64>()) {
                prop_assert_eq!(decode_id(&encode_id(id)).ok(), Some(id));
            }

            #[test]
            fn slug_cursors_round_trip(slug in "[a-z0-9_-]{1,100}") {
                prop_assert_eq!(decode_slug(&encode_slug(&slug)).ok(), Some(slug));
            }

            /// Decoding gives back positions in the same order as the ones encoded, so a
            /// page that resumes from a cursor starts where the last one ended.
            #[test]
            fn ordering_survives_the_round_trip(
                a in thread_cursor(),
                b in thread_cursor(),
                x in any::<i64>(),
                y in any::<i64>(),
            ) {
                let da = decode_thread(&encode_thread(a)).ok().map(key);
                let db = decode_thread(&encode_thread(b)).ok().map(key);
                prop_assert_eq!(da.cmp(&db), key(a).cmp(&key(b)));
                let dx = decode_id(&encode_id(x)).ok();
                let dy = decode_id(&encode_id(y)).ok();
                prop_assert_eq!(dx.cmp(&dy), x.cmp(&y));
            }

            /// Whatever a client sends, decoding answers (an error or a position) and never
            /// panics; a position it accepts encodes to a cursor that decodes to it again.
            #[test]
            fn any_string_decodes_without_panicking(text in any::<String>()) {
                if let Ok(cursor) = decode_thread(&text) {
                    prop_assert_eq!(decode_thread(&encode_thread(cursor)).ok(), Some(cursor));
                }
                if let Ok(id) = decode_id(&text) {
                    prop_assert_eq!(decode_id(&encode_id(id)).ok(), Some(id));
                }
                if let Ok(slug) = decode_slug(&text) {
                    prop_assert_eq!(decode_slug(&encode_slug(&slug)).ok(), Some(slug));
                }
            }

            #[test]
            fn any_base64_of_random_bytes_decodes_without_panicking(
                bytes in proptest::collection::vec(any::<u8>(), 0..400),
            ) {
                let text = URL_SAFE_NO_PAD.encode(&bytes);
                let _ = (decode_thread(&text), decode_id(&text), decode_slug(&text));
            }

            #[test]
            fn a_cursor_with_a_foreign_character_is_refused(
                cursor in thread_cursor(),
                at in any::<prop::sample::Index>(),
                foreign in foreign_char(),
            ) {
                let mut text = encode_thread(cursor);
                text.insert(at.index(text.len() + 1), foreign);
                prop_assert!(decode_thread(&text).is_err());
            }

            /// Cutting a cursor to a length no base64 text has (one past a multiple of
            /// four) is refused.
            #[test]
            fn a_truncated_cursor_is_refused(
                cursor in thread_cursor(),
                id in any::<i64>(),
                at in any::<prop::sample::Index>(),
            ) {
                for text in [encode_thread(cursor), encode_id(id)] {
                    let cut = at.index(text.len().div_ceil(4)) * 4 + 1;
                    if cut < text.len() {
                        prop_assert!(decode_thread(&text[..cut]).is_err());
                        prop_assert!(decode_id(&text[..cut]).is_err());
                    }
                }
            }

            #[test]
            fn a_cursor_of_another_listing_is_refused(
                cursor in thread_cursor(),
                id in any::<i64>(),
            ) {
                prop_assert!(decode_id(&encode_thread(cursor)).is_err());
                prop_assert!(decode_thread(&encode_id(id)).is_err());
            }

            #[test]
            fn non_numeric_parts_are_refused(junk in "[^0-9\\n]{1,20}", id in any::<i64>()) {
                let id = encode(&[format!("{id}{junk}")]);
                prop_assert!(decode_id(&id).is_err());
                let thread = encode(&["1".into(), junk, id.clone()]);
                prop_assert!(decode_thread(&thread).is_err());
            }

            #[test]
            fn over_long_cursors_are_refused(
                cursor in thread_cursor(),
                padding in "[A-Za-z0-9_-]{512,600}",
            ) {
                let text = encode_thread(cursor) + &padding;
                prop_assert!(decode_thread(&text).is_err());
            }
        }
    }
}
