//! Real-browser checks: headless Chromium, driven through chromedriver, against the real
//! server on SQLite. Each page is saved as a screenshot under `target/screenshots/` and
//! audited with axe-core; serious or critical accessibility violations fail the test.
//!
//! Needs `chromedriver` (Debian: `chromium chromium-driver`) on the PATH and axe-core at
//! `KINDRED_AXE_JS` (default `target/axe/node_modules/axe-core/axe.min.js`; `.ci/run`
//! installs both). Without them the test says so and passes, so `cargo test` works on a
//! machine without a browser.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, Backend, TestApp, PASSWORD};

const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
];

fn workspace_target() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target")
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver() -> Option<Driver> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Some(driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

async fn browser(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({ "args": CHROMIUM_FLAGS }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Screenshots the current page and runs axe on it; returns the serious and critical
/// violations as readable lines.
async fn audit(client: &Client, axe: &str, name: &str) -> Vec<String> {
    let png = client.screenshot().await.expect("screenshot");
    let dir = workspace_target().join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    client
        .execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .expect("inject axe");
    let found = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] })
              .then(r => done(r.passes.length === 0 ? ["axe checked nothing"] : r.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", "))))
              .catch(e => done(["axe failed: " + e]));"#,
            vec![],
        )
        .await
        .expect("run axe");
    match found {
        Value::Array(items) => items
            .into_iter()
            .map(|v| format!("{name}: {}", v.as_str().unwrap_or_default()))
            .collect(),
        other => vec![format!("{name}: unexpected axe answer {other}")],
    }
}

async fn sign_in(client: &Client, app: &TestApp, username: &str) {
    client.goto(&app.url("/login")).await.expect("login page");
    client
        .find(Locator::Id("f-username"))
        .await
        .expect("username field")
        .send_keys(username)
        .await
        .expect("type username");
    client
        .find(Locator::Id("f-password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type password");
    client
        .find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("submit");
    client
        .wait()
        .for_element(Locator::Css("h1"))
        .await
        .expect("home page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_in_a_real_browser_are_accessible() {
    let axe_path = std::env::var("KINDRED_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_target().join("axe/node_modules/axe-core/axe.min.js"));
    // On a developer's machine without a browser the test steps aside; in CI, where
    // .ci/run installs both, a missing piece is a failure, not a silent skip.
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        assert!(!in_ci, "axe-core not found at {}", axe_path.display());
        eprintln!("skipped: axe-core not found at {}", axe_path.display());
        return;
    };
    let Some(driver) = start_driver().await else {
        assert!(!in_ci, "chromedriver is not installed");
        eprintln!("skipped: chromedriver is not installed");
        return;
    };

    let app = spawn_app(Backend::Sqlite).await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung-cancer", "public", "open").await;
    let moderator = app.register("mod_maria").await;
    app.appoint_moderator(&admin, "lung-cancer", "mod_maria")
        .await;
    let member = app.register("sam_patient").await;
    app.join(&member, "lung-cancer").await;
    let (thread, _) = app
        .thread(
            &moderator,
            "lung-cancer",
            "Welcome! Introduce yourself",
            "Hello and **welcome**.\n\n- who you are\n- how you are doing",
        )
        .await;
    let held = app
        .reply(&member, &thread, "Message me for a great deal on vitamins")
        .await;
    for name in ["reader_one", "reader_two", "reader_three"] {
        let reader = app.register(name).await;
        app.join(&reader, "lung-cancer").await;
        app.post(
            &format!("/api/v1/posts/{}/reports", held["id"].as_str().expect("id")),
            Some(&reader),
            json!({ "reason": "looks like an advert" }),
        )
        .await;
    }

    let mut problems = Vec::new();
    let client = browser(&driver).await;
    for (path, name) in [
        ("/".to_owned(), "visitor-home"),
        ("/communities".to_owned(), "visitor-directory"),
        ("/c/lung-cancer".to_owned(), "visitor-community"),
        (format!("/t/{thread}"), "visitor-thread"),
        ("/register".to_owned(), "visitor-register"),
        ("/no/such/page".to_owned(), "visitor-404"),
    ] {
        client.goto(&app.url(&path)).await.expect("page");
        problems.extend(audit(&client, &axe, name).await);
    }

    sign_in(&client, &app, "sam_patient").await;
    for (path, name) in [
        ("/".to_owned(), "member-home"),
        (format!("/t/{thread}"), "member-thread-held-post"),
        ("/new".to_owned(), "member-new-thread"),
        ("/me".to_owned(), "member-settings"),
    ] {
        client.goto(&app.url(&path)).await.expect("page");
        problems.extend(audit(&client, &axe, name).await);
    }
    let text = client
        .find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text");
    assert!(text.contains("Your profile"));
    client
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    let held_text = client
        .find(Locator::Css(".post-held"))
        .await
        .expect("the held post")
        .text()
        .await
        .expect("text");
    assert!(held_text.contains("Awaiting review"), "{held_text}");

    // A phone-sized window.
    client.set_window_size(360, 800).await.expect("resize");
    problems.extend(audit(&client, &axe, "member-thread-360px").await);
    client.set_window_size(1280, 1000).await.expect("resize");

    client.delete_all_cookies().await.expect("sign out");
    sign_in(&client, &app, "mod_maria").await;
    client.goto(&app.url("/mod/queue")).await.expect("queue");
    problems.extend(audit(&client, &axe, "moderator-queue").await);
    client.delete_all_cookies().await.expect("sign out");
    sign_in(&client, &app, "site_admin").await;
    client.goto(&app.url("/admin")).await.expect("admin");
    problems.extend(audit(&client, &axe, "admin").await);

    let _ = client.close().await;
    assert!(
        problems.is_empty(),
        "serious or critical accessibility violations:\n{}",
        problems.join("\n")
    );
}
