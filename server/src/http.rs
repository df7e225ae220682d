//! What the JSON API and the pages both need of an HTTP request: the largest body either
//! accepts, the client's address and `If-None-Match`. Kept below both, so neither layer reaches into the
//! other.

use actix_web::HttpRequest;

/// Largest request body accepted anywhere. A post or a community's rules may hold 20,000
/// characters of any script: 4-byte characters that a client escapes as `\uXXXX\uXXXX`
/// take 12 bytes each in JSON, so 240,000 bytes plus the rest of the object must fit.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The client's address, as the key of per-client limits. Kindred takes the peer address
/// of the connection: behind a proxy, configure the proxy to limit per client instead.
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map_or_else(|| "unknown".into(), |a| a.ip().to_string())
}

/// Whether `If-None-Match` lists `etag` (weak comparison, as RFC 9110 asks for this header).
pub fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let wanted = opaque(etag);
    req.headers()
        .get_all(actix_web::http::header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || opaque(tag) == wanted)
}
