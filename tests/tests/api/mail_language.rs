//! Mail in the recipient's language (issue 21), through the real SMTP sink: a member who
//! chose Spanish gets a Spanish subject and body, one who chose nothing gets the
//! deployment's default language.

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{expect_json, spawn_app_with, Backend};
use crate::mail::{app_with_sink, ask_reset, fast_mail, register_with_email, SmtpSink};

/// Quoted-printable text as bytes (soft line breaks joined, `=XX` decoded).
fn from_quoted_printable(text: &str, underscore_is_space: bool) -> Vec<u8> {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'_', _) if underscore_is_space => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

fn from_base64(text: &str) -> Vec<u8> {
    let compact: String = text.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .expect("base64")
}

/// A header's value with its RFC 2047 encoded words decoded.
fn decoded_header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\r\n\r\n").next().unwrap_or_default();
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let value = unfolded.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name)
            .then(|| value.trim().to_owned())
    })?;
    let mut out = String::new();
    let mut last_encoded = false;
    for word in value.split(' ') {
        let encoded = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| {
                let mut parts = w.splitn(3, '?');
                let (_charset, encoding, data) = (parts.next()?, parts.next()?, parts.next()?);
                let bytes = match encoding {
                    "b" | "B" => from_base64(data),
                    _ => from_quoted_printable(data, true),
                };
                String::from_utf8(bytes).ok()
            });
        if let Some(text) = encoded {
            // Adjacent encoded words join without the space between them (RFC 2047).
            if !out.is_empty() && !last_encoded {
                out.push(' ');
            }
            out.push_str(&text);
            last_encoded = true;
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            last_encoded = false;
        }
    }
    Some(out)
}

/// Every MIME part's body, decoded, one after the other.
fn decoded_body(message: &str) -> String {
    let mut text = String::new();
    for part in message.split("\r\n--") {
        let Some((headers, body)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let headers = headers.to_ascii_lowercase();
        let bytes = if headers.contains("content-transfer-encoding: base64") {
            from_base64(body.split("\r\n--").next().unwrap_or_default())
        } else if headers.contains("content-transfer-encoding: quoted-printable") {
            from_quoted_printable(body, false)
        } else {
            body.as_bytes().to_vec()
        };
        text.push_str(&String::from_utf8_lossy(&bytes));
        text.push('\n');
    }
    text
}

/// The mail the sink received for `address`.
fn mail_to<'a>(messages: &'a [String], address: &str) -> &'a str {
    messages
        .iter()
        .find(|m| decoded_header(m, "To").is_some_and(|to| to == address))
        .unwrap_or_else(|| panic!("no mail to {address}"))
}

async fn a_member_who_chose_spanish_gets_spanish_mail(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let lucia = register_with_email(&app, "lucia_mail", "lucia@example.org").await;
    register_with_email(&app, "sam_mail", "sam@example.org").await;
    expect_json(
        app.request(Method::PUT, "/api/v1/me/language", Some(&lucia))
            .json(&json!({ "language": "es" }))
            .send()
            .await
            .expect("PUT"),
        StatusCode::OK,
    )
    .await;

    ask_reset(&app, "lucia@example.org").await;
    ask_reset(&app, "sam@example.org").await;
    let messages = sink.wait_for(2).await;

    let spanish = mail_to(&messages, "lucia@example.org");
    assert_eq!(
        decoded_header(spanish, "Subject").as_deref(),
        Some("Restablece tu contraseña de Kindred")
    );
    let body = decoded_body(spanish);
    assert!(body.contains("Hola, lucia_mail:"), "{body}");
    assert!(body.contains("en los próximos 30 minutos"), "{body}");
    assert!(body.contains(r#"<html lang="es">"#), "{body}");
    assert!(body.contains("Elegir una contraseña nueva"), "{body}");
    assert!(!body.contains("Choose a new password"), "{body}");

    let english = mail_to(&messages, "sam@example.org");
    assert_eq!(
        decoded_header(english, "Subject").as_deref(),
        Some("Reset your Kindred password")
    );
    let body = decoded_body(english);
    assert!(body.contains("Hello sam_mail,"), "{body}");
    assert!(body.contains("Choose a new password"), "{body}");
}

/// A deployment whose default is Spanish writes Spanish to members without a setting,
/// and English to one who chose English.
async fn without_a_setting_mail_follows_the_deployment_default(backend: Backend) {
    let sink = SmtpSink::start();
    let url = sink.url();
    let app = spawn_app_with(
        backend,
        |input| {
            input.smtp_url = Some(url);
            input.default_language = Some("es".into());
        },
        fast_mail,
    )
    .await;
    register_with_email(&app, "ines_mail", "ines@example.org").await;
    let tom = register_with_email(&app, "tom_mail", "tom@example.org").await;
    expect_json(
        app.request(Method::PUT, "/api/v1/me/language", Some(&tom))
            .json(&json!({ "language": "en" }))
            .send()
            .await
            .expect("PUT"),
        StatusCode::OK,
    )
    .await;
    ask_reset(&app, "ines@example.org").await;
    ask_reset(&app, "tom@example.org").await;
    let messages = sink.wait_for(2).await;
    assert_eq!(
        decoded_header(mail_to(&messages, "ines@example.org"), "Subject").as_deref(),
        Some("Restablece tu contraseña de Kindred")
    );
    assert_eq!(
        decoded_header(mail_to(&messages, "tom@example.org"), "Subject").as_deref(),
        Some("Reset your Kindred password")
    );
}

crate::both_backends!(
    backend;
    a_member_who_chose_spanish_gets_spanish_mail,
    without_a_setting_mail_follows_the_deployment_default,
);
