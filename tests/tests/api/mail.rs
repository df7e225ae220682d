//! Mail, against a real SMTP server: `.ci/smtp_sink.py` (aiosmtpd) started per test on a
//! free port, writing every message it receives to a directory the test reads. Password
//! reset end to end, unknown addresses, tokens reused, altered and expired, the SMTP
//! server away and back, two nodes on one PostgreSQL, password change, and the lock-out
//! fix (failures from one client do not lock out another).

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    expect_error, expect_json, session_from, spawn_app_with, Backend, Session, TestApp, PASSWORD,
};
use crate::pages::{csrf_token, Browser};

/// A real SMTP server on 127.0.0.1, as its own process.
pub struct SmtpSink {
    pub port: u16,
    pub dir: PathBuf,
    child: Option<Child>,
}

fn python() -> String {
    std::env::var("KINDRED_TEST_SMTP_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into())
}

fn sink_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/smtp_sink.py")
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let dir = std::env::temp_dir().join(format!("kindred-smtp-{:016x}", rand::random::<u64>()));
        let mut sink = SmtpSink {
            port,
            dir,
            child: None,
        };
        sink.resume();
        sink
    }

    /// Starts (again) the server on the same port and directory.
    pub fn resume(&mut self) {
        use std::io::BufRead;
        let mut child = Command::new(python())
            .arg("-u")
            .arg(sink_script())
            .arg(self.port.to_string())
            .arg(&self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start .ci/smtp_sink.py (needs python3 with aiosmtpd: apt-get install python3-aiosmtpd)");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the sink's first line");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        self.child = Some(child);
    }

    /// Stops the server (SIGKILL), as an SMTP server that goes away.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every message received so far, oldest first, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read mail"))
            .collect()
    }

    /// Waits until at least `count` messages have arrived and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "expected {count} mails, got {}",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The message with quoted-printable soft line breaks and `=3D` undone (enough to read
/// links and words; the parts are ASCII).
pub fn readable(message: &str) -> String {
    message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The value of the first `name:` header.
pub fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    let head = message.split("\r\n\r\n").next().unwrap_or_default();
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// The token of the first link in a mail whose text contains `marker` (such as
/// `/reset?token=`): the URL-safe characters that follow it.
pub fn link_token(message: &str, marker: &str) -> String {
    let text = readable(message);
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("a link with {marker}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The reset token in a reset mail.
pub fn reset_token(message: &str) -> String {
    link_token(message, "/reset?token=")
}

/// An app that sends its mail to `sink`, retrying quickly.
pub async fn app_with_sink(backend: Backend, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    spawn_app_with(backend, |input| input.smtp_url = Some(url), fast_mail).await
}

pub fn fast_mail(settings: &mut kindred_server::config::Settings) {
    settings.mail.first_retry_delay = Duration::from_millis(200);
    settings.mail.max_retry_delay = Duration::from_millis(400);
    settings.mail.poll_interval = Duration::from_millis(100);
    settings.mail.smtp_timeout = Duration::from_secs(3);
}

pub async fn register_with_email(app: &TestApp, username: &str, email: &str) -> Session {
    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({ "username": username, "password": PASSWORD, "email": email }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    session_from(response).await
}

pub async fn ask_reset(app: &TestApp, email: &str) -> serde_json::Value {
    let response = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({ "email": email }),
        )
        .await;
    expect_json(response, StatusCode::ACCEPTED).await
}

/// Runs SQL on the app's database, whatever the backend.
pub fn execute(app: &TestApp, sql: &'static str) {
    app.store
        .write(|conn| Ok(conn.batch_execute(sql)?))
        .expect("execute");
}

/// Gives a member an address straight in the database (no confirmation mail).
pub fn set_email(app: &TestApp, username: &str, email: &str) {
    let sql = format!("UPDATE users SET email = '{email}' WHERE username = '{username}'");
    app.store
        .write(move |conn| Ok(conn.batch_execute(&sql)?))
        .expect("set email");
}

fn outbox_count(app: &TestApp) -> i64 {
    app.store
        .read(kindred_server::store::mail::count_by_status)
        .expect("count")
        .iter()
        .map(|(_, n)| n)
        .sum()
}

const NEW_PASSWORD: &str = "a brand new quiet morning";

async fn password_reset_end_to_end(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let old = register_with_email(&app, "sam_p", "Sam@Example.org").await;

    let known = ask_reset(&app, "sam@example.ORG").await;
    let unknown = ask_reset(&app, "nobody@example.org").await;
    assert_eq!(known, unknown, "the same answer either way");

    let messages = sink.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "nothing for the unknown address");
    let mail = &messages[0];
    assert!(header(mail, "Message-ID").is_some_and(|id| id.starts_with('<') && id.ends_with('>')));
    assert_eq!(header(mail, "To"), Some("Sam@Example.org"));
    assert_eq!(header(mail, "Subject"), Some("Reset your Kindred password"));
    assert!(mail.contains("multipart/alternative"));
    assert!(mail.contains("text/plain") && mail.contains("text/html"));
    assert!(!mail.to_lowercase().contains("<img"), "no remote images");
    let token = reset_token(mail);
    assert_eq!(token.len(), 43, "{token}");

    // The reset page opens with the link's token.
    let page = app.get(&format!("/reset?token={token}"), None).await;
    assert_eq!(page.status(), StatusCode::OK);

    // An altered token changes nothing.
    let mut altered = token.clone();
    altered.replace_range(0..1, if token.starts_with('A') { "B" } else { "A" });
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": altered, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );

    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": token, "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // Every session is signed out; the old password no longer works, the new one does.
    let me = app.get("/api/v1/me", Some(&old)).await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let response = app.login("sam_p", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app.login("sam_p", NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);

    // The link works once.
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": token, "password": "yet another long passphrase" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let page = app.get(&format!("/reset?token={token}"), None).await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);

    // A link older than 30 minutes is void.
    ask_reset(&app, "sam@example.org").await;
    let messages = sink.wait_for(2).await;
    let late = reset_token(&messages[1]);
    execute(&app, "UPDATE password_resets SET expires_at = 1");
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": late, "password": "yet another long passphrase" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let response = app.login("sam_p", NEW_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "nothing changed");
}

async fn bad_reset_requests_are_400(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let response = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({ "email": "not an address" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_email"
    );
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": "", "password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": "x".repeat(43), "password": "short" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_password"
    );
    // Per address: a few requests an hour, then 429 whether or not the address is known.
    for _ in 0..3 {
        ask_reset(&app, "nobody@example.org").await;
    }
    let response = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            json!({ "email": "nobody@example.org" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::TOO_MANY_REQUESTS).await,
        "rate_limited"
    );
    assert_eq!(outbox_count(&app), 0, "nothing sent for an unknown address");
}

async fn mail_waits_while_smtp_is_down(backend: Backend) {
    let mut sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    sink.stop();
    ask_reset(&app, "sam@example.org").await;
    // Several attempts fail while the server is away; the request succeeded regardless.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(sink.messages().is_empty());
    sink.resume();
    sink.wait_for(1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(sink.messages().len(), 1, "sent once");
    let metrics = app
        .get("/metrics", None)
        .await
        .text()
        .await
        .expect("metrics");
    assert!(
        metrics.contains("kindred_mail_outbox{status=\"sent\"} 1"),
        "{metrics}"
    );
    assert!(
        !metrics.contains("kindred_mail_total{outcome=\"retried\"} 0"),
        "{metrics}"
    );
}

async fn password_change_signs_out_other_sessions(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    let here = register_with_email(&app, "sam_p", "sam@example.org").await;
    let elsewhere = session_from(app.login("sam_p", PASSWORD).await).await;
    let response = app
        .post(
            "/api/v1/me/password",
            Some(&here),
            json!({ "current_password": "not the password", "new_password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_current_password"
    );
    let response = app
        .post(
            "/api/v1/me/password",
            Some(&here),
            json!({ "current_password": PASSWORD, "new_password": "password" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_new_password"
    );

    // A reset link asked for before the change stops working with it.
    ask_reset(&app, "sam@example.org").await;
    let token = reset_token(&sink.wait_for(1).await[0]);

    let response = app
        .post(
            "/api/v1/me/password",
            Some(&here),
            json!({ "current_password": PASSWORD, "new_password": NEW_PASSWORD }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", Some(&here)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&elsewhere)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let notice = &sink.wait_for(2).await[1];
    assert_eq!(
        header(notice, "Subject"),
        Some("Your Kindred password was changed")
    );
    let response = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({ "token": token, "password": "yet another long passphrase" }),
        )
        .await;
    assert_eq!(
        expect_error(response, StatusCode::BAD_REQUEST).await,
        "invalid_token"
    );
}

/// A client bound to another loopback address, so the server sees another client.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().expect("ip"))
        .build()
        .expect("client")
}

async fn login_from(app: &TestApp, client: &reqwest::Client, password: &str) -> StatusCode {
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "username": "maria_mod", "password": password }))
        .send()
        .await
        .expect("login")
        .status()
}

async fn others_failures_do_not_lock_a_member_out(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    register_with_email(&app, "maria_mod", "maria@example.org").await;
    // An attacker at one address fails five times: that address is refused...
    let attacker = client_from("127.0.0.2");
    for _ in 0..5 {
        assert_eq!(
            login_from(&app, &attacker, "guess number one two").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(&app, &attacker, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ...and Maria, elsewhere, signs in with her password.
    let maria = client_from("127.0.0.1");
    assert_eq!(login_from(&app, &maria, PASSWORD).await, StatusCode::OK);
    // Failures from many addresses only slow sign-ins to her account down.
    let second = client_from("127.0.0.3");
    for _ in 0..5 {
        assert_eq!(
            login_from(&app, &second, "guess number one two").await,
            StatusCode::UNAUTHORIZED
        );
    }
    let started = Instant::now();
    assert_eq!(login_from(&app, &maria, PASSWORD).await, StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "slowed down"
    );
    // And a reset link always works.
    ask_reset(&app, "maria@example.org").await;
    let token = reset_token(&sink.wait_for(1).await[0]);
    let response = attacker
        .post(app.url("/api/v1/auth/password-reset/confirm"))
        .json(&json!({ "token": token, "password": NEW_PASSWORD }))
        .send()
        .await
        .expect("confirm");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

crate::both_backends!(
    backend;
    password_reset_end_to_end,
    bad_reset_requests_are_400,
    mail_waits_while_smtp_is_down,
    password_change_signs_out_other_sessions,
    others_failures_do_not_lock_a_member_out,
    account_pages_from_forgot_to_erase,
    an_unknown_outbox_status_is_a_read_error,
    mail_given_up_is_marked_failed_and_counted,
);

/// A mail the SMTP server never takes is given up once it is `give_up_after` old (a day;
/// here a second), marked failed, counted in `/metrics`, and not sent when the server
/// comes back.
async fn mail_given_up_is_marked_failed_and_counted(backend: Backend) {
    let mut sink = SmtpSink::start();
    let url = sink.url();
    let app = spawn_app_with(
        backend,
        |input| input.smtp_url = Some(url),
        |settings| {
            fast_mail(settings);
            settings.mail.give_up_after = Duration::from_secs(1);
        },
    )
    .await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    sink.stop();
    ask_reset(&app, "sam@example.org").await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let metrics = loop {
        let metrics = app
            .get("/metrics", None)
            .await
            .text()
            .await
            .expect("metrics");
        if metrics.contains("kindred_mail_outbox{status=\"failed\"} 1") {
            break metrics;
        }
        assert!(Instant::now() < deadline, "never given up: {metrics}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        metrics.contains("kindred_mail_total{outcome=\"failed\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("kindred_mail_outbox{status=\"pending\"} 0"),
        "{metrics}"
    );
    sink.resume();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        sink.messages().is_empty(),
        "a failed mail is not sent later"
    );
}

/// The outbox's status is an enum with the stored strings of before; a value this build
/// does not know is an error when read, never counted as something else.
async fn an_unknown_outbox_status_is_a_read_error(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    ask_reset(&app, "sam@example.org").await;
    sink.wait_for(1).await;
    let sent = vec![(kindred_server::domain::mail::MailStatus::Sent, 1)];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let counts = app
            .store
            .read(kindred_server::store::mail::count_by_status)
            .expect("known statuses read");
        if counts == sent {
            break;
        }
        assert!(Instant::now() < deadline, "{counts:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    execute(&app, "UPDATE mail_outbox SET status = 'bounced'");
    assert!(app
        .store
        .read(kindred_server::store::mail::count_by_status)
        .is_err());
}

/// Two nodes on one PostgreSQL database, both sending: every mail goes out once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_send_each_mail_once() {
    let sink = SmtpSink::start();
    let node_a = app_with_sink(Backend::Postgres, &sink).await;
    let shared = node_a.database_url.clone();
    let url = sink.url();
    let node_b = spawn_app_with(
        Backend::Postgres,
        |input| {
            input.database_url = shared;
            input.smtp_url = Some(url);
        },
        fast_mail,
    )
    .await;
    const MEMBERS: usize = 12;
    for n in 0..MEMBERS {
        register_with_email(
            &node_a,
            &format!("member_{n}"),
            &format!("m{n}@example.org"),
        )
        .await;
    }
    for n in 0..MEMBERS {
        let node = if n % 2 == 0 { &node_a } else { &node_b };
        ask_reset(node, &format!("m{n}@example.org")).await;
    }
    sink.wait_for(MEMBERS).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), MEMBERS, "each mail once");
    let mut ids: Vec<&str> = messages
        .iter()
        .filter_map(|m| header(m, "Message-ID"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), MEMBERS);
}

/// Without `KINDRED_SMTP_URL`, mail is written as `.eml` files in the data directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_mail_is_written_as_files() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}, fast_mail).await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    ask_reset(&app, "sam@example.org").await;
    let dir = app.data_dir.join("mail");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(Result::ok).collect())
            .unwrap_or_default();
        if let Some(file) = files.first() {
            let text = std::fs::read_to_string(file.path()).expect("read");
            assert!(text.contains("Reset your Kindred password"));
            assert!(file.file_name().to_string_lossy().ends_with(".eml"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no .eml file in {}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The pages: forgot → mail → link → new password → signed in; then the password page,
/// the consents, the export download and erasure, all from the settings pages.
async fn account_pages_from_forgot_to_erase(backend: Backend) {
    let sink = SmtpSink::start();
    let app = app_with_sink(backend, &sink).await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    let browser = Browser::new(&app);

    forgot_mail_link_and_new_password_sign_the_member_in(&browser, &sink).await;
    the_password_page_changes_the_password(&app, &browser).await;
    let csrf = the_privacy_page_saves_the_consents(&browser).await;
    the_export_downloads_the_members_data(&browser, &csrf).await;
    erasure_refuses_a_wrong_password_then_erases(&app, &browser, &csrf).await;
}

/// Forgot → mail → link → new password → signed in, with the settings pages linked.
async fn forgot_mail_link_and_new_password_sign_the_member_in(browser: &Browser, sink: &SmtpSink) {
    let login = browser.page("/login", StatusCode::OK).await;
    assert!(login.contains("href=\"/forgot\""));
    let form = browser.page("/forgot", StatusCode::OK).await;
    let token = csrf_token(&form);
    let response = browser
        .post(
            "/forgot",
            &[("csrf_token", &token), ("email", "sam@example.org")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("is on its way"));
    let reset = reset_token(&sink.wait_for(1).await[0]);
    let form = browser
        .page(&format!("/reset?token={reset}"), StatusCode::OK)
        .await;
    let csrf = csrf_token(&form);
    let response = browser
        .post(
            "/reset",
            &[
                ("csrf_token", &csrf),
                ("token", &reset),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let settings = browser.page("/me", StatusCode::OK).await;
    assert!(
        settings.contains("href=\"/me/password\"") && settings.contains("href=\"/me/privacy\"")
    );
}

/// Password change on its page.
async fn the_password_page_changes_the_password(app: &TestApp, browser: &Browser) {
    let form = browser.page("/me/password", StatusCode::OK).await;
    let csrf = csrf_token(&form);
    let response = browser
        .post(
            "/me/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", NEW_PASSWORD),
                ("new_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.login("sam_p", PASSWORD).await.status(), StatusCode::OK);
}

/// Consents, saved from the privacy page. The page's CSRF token.
async fn the_privacy_page_saves_the_consents(browser: &Browser) -> String {
    let form = browser.page("/me/privacy", StatusCode::OK).await;
    let csrf = csrf_token(&form);
    let response = browser
        .post(
            "/me/privacy",
            &[
                ("csrf_token", &csrf),
                ("profile_audience", "nobody"),
                ("discoverable", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = browser
        .page("/me/privacy?notice=saved", StatusCode::OK)
        .await;
    assert!(page.contains("profile_audience: nobody"), "{page}");
    csrf
}

/// Export download.
async fn the_export_downloads_the_members_data(browser: &Browser, csrf: &str) {
    let response = browser.post("/me/export", &[("csrf_token", csrf)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let export: serde_json::Value = response.json().await.expect("export JSON");
    assert_eq!(export["account"]["username"], "sam_p", "{export}");
}

/// Erasure: a wrong password changes nothing; the right one erases, mail and all.
async fn erasure_refuses_a_wrong_password_then_erases(
    app: &TestApp,
    browser: &Browser,
    csrf: &str,
) {
    let response = browser
        .post(
            "/me/erase",
            &[
                ("csrf_token", csrf),
                ("password", "not my password"),
                ("posts", "delete"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = browser
        .post(
            "/me/erase",
            &[
                ("csrf_token", csrf),
                ("password", PASSWORD),
                ("posts", "delete"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.login("sam_p", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(outbox_count(app), 0, "the member's mail went with them");
}

/// A node killed (`kill -9`) between claiming a mail and marking it sent leaves the row
/// claimed until its lease ends: no other sender takes it meanwhile, and then it goes
/// out once. The dead node is played by a claim written straight into the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_senders_claim_runs_out_and_the_mail_goes_once() {
    use kindred_server::service::mail::{enqueue, Envelope};
    let sink = SmtpSink::start();
    let app = app_with_sink(Backend::Sqlite, &sink).await;
    let lease = Duration::from_millis(1500);
    app.store
        .write(move |conn| {
            let now = kindred_server::domain::ids::now_micros();
            enqueue(
                conn,
                Envelope {
                    user_id: None,
                    kind: "password_reset",
                    to: "sam@example.org",
                    host: "kindred.test",
                    list_unsubscribe: None,
                },
                kindred_web_mail(),
                now,
            )?;
            let until = now + lease.as_micros() as i64;
            conn.batch_execute(&format!(
                "UPDATE mail_outbox SET claim = 'dead-node', attempts = 1, next_attempt_at = {until}"
            ))?;
            Ok(())
        })
        .expect("a mail claimed by a node that died");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        sink.messages().is_empty(),
        "nobody takes a claimed mail early"
    );
    sink.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "sent once");
    assert!(header(&messages[0], "Message-ID").is_some_and(|id| id.ends_with("@kindred.test>")));
}

fn kindred_web_mail() -> kindred_server::service::mail::Rendered {
    kindred_server::service::mail::Rendered {
        subject: "Reset your Kindred password".into(),
        text: "text".into(),
        html: "<p>html</p>".into(),
    }
}
