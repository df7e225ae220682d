//! Compressed responses, and what keeps compression from leaking secrets (BREACH): no
//! compression for requests from other sites or for the token-issuing auth routes, and a
//! CSRF token masked afresh on every page.

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, VARY};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{TestApp, PASSWORD};
use crate::pages::csrf_token;

/// A browser's client: a cookie jar, no redirects, and no decompression, so the test sees
/// the `Content-Encoding` the server chose.
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn encoding(response: &Response) -> Option<String> {
    response
        .headers()
        .get(CONTENT_ENCODING)
        .map(|value| value.to_str().expect("ascii").to_owned())
}

/// The stylesheet's fingerprinted path (`/static/app.<hash>.css`) from a page.
fn stylesheet_path(html: &str) -> String {
    let start = html.find("/static/app.").expect("a stylesheet link");
    let end = html[start..].find(".css").expect("its extension") + start + ".css".len();
    html[start..end].to_owned()
}

async fn pages_and_json_are_compressed_only_for_this_site(app: TestApp) {
    let client = browser();
    let get = |path: &str, site: Option<&str>| {
        let mut request = client.get(app.url(path)).header(ACCEPT_ENCODING, "gzip");
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let home = client.get(app.url("/")).send().await.expect("GET");
    assert_eq!(encoding(&home), None, "a client that did not ask for gzip");
    let stylesheet = stylesheet_path(&home.text().await.expect("body"));
    for path in [
        "/",
        "/communities",
        "/api/v1/communities",
        stylesheet.as_str(),
    ] {
        for site in [None, Some("same-origin"), Some("none")] {
            let response = get(path, site).await.expect("GET");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(
                encoding(&response).as_deref(),
                Some("gzip"),
                "{path} {site:?}"
            );
            let vary = response.headers().get(VARY).expect("Vary");
            assert!(vary.to_str().expect("ascii").contains("accept-encoding"));
        }
        for site in ["cross-site", "same-site"] {
            let response = get(path, Some(site)).await.expect("GET");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_eq!(encoding(&response), None, "{path} from {site}");
        }
    }

    app.register("ana_compress").await;
    let login = client
        .post(app.url("/api/v1/auth/login"))
        .header(ACCEPT_ENCODING, "gzip")
        .json(&json!({ "username": "ana_compress", "password": PASSWORD }))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    assert_eq!(encoding(&login), None, "tokens are never sent compressed");
}

async fn csrf_tokens_are_masked_afresh_on_every_page(app: TestApp) {
    app.register("ben_masked").await;
    let client = browser();
    let login_page = |client: &Client| {
        let client = client.clone();
        let url = app.url("/login");
        async move {
            let html = client
                .get(url)
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("body");
            csrf_token(&html)
        }
    };
    let first = login_page(&client).await;
    let second = login_page(&client).await;
    assert_ne!(first, second, "the same token twice");
    let cookie = client
        .get(app.url("/login"))
        .send()
        .await
        .expect("GET")
        .cookies()
        .find(|c| c.name().ends_with("kindred_csrf"))
        .map(|c| c.value().to_owned());
    // The cookie was set by the first page and is not sent again; the pages never show it.
    assert!(cookie.is_none());

    let submit = |token: String| {
        client
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", "ben_masked"),
                ("password", PASSWORD),
            ])
            .send()
    };
    let mut tampered = first.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).expect("ascii");
    let refused = submit(tampered).await.expect("POST");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // An older page's token still works after a newer page was shown.
    let signed_in = submit(first).await.expect("POST");
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);

    // The page script sends the form's masked token as the API's CSRF header.
    let html = client
        .get(app.url("/me"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let token = csrf_token(&html);
    let patch = |token: &str| {
        client
            .patch(app.url("/api/v1/me/profile"))
            .header("x-csrf-token", token)
            .json(&json!({ "bio": "Walking every morning." }))
            .send()
    };
    assert_eq!(patch(&token).await.expect("PATCH").status(), StatusCode::OK);
    assert_eq!(
        patch(&token.replace("m.", "m.x"))
            .await
            .expect("PATCH")
            .status(),
        StatusCode::FORBIDDEN
    );
}

both_backends!(
    pages_and_json_are_compressed_only_for_this_site,
    csrf_tokens_are_masked_afresh_on_every_page,
);
