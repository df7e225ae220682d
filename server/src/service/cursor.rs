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
}
