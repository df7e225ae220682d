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

use crate::helpers::{spawn_app, spawn_app_with, Backend, Session, TestApp, PASSWORD};

mod content_notes;
mod mentions;
mod messages;
mod queue_count;
mod reading;
mod spanish;

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
pub(crate) struct Driver {
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

pub(crate) async fn browser(driver: &Driver) -> Client {
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

/// chromedriver and axe-core, or `None` (with a note) on a machine without them. In CI,
/// where .ci/run installs both, a missing piece is a failure, not a silent skip.
pub(crate) async fn browser_kit() -> Option<(Driver, String)> {
    let axe_path = std::env::var("KINDRED_AXE_JS").map_or_else(
        |_| workspace_target().join("axe/node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        assert!(!in_ci, "axe-core not found at {}", axe_path.display());
        eprintln!("skipped: axe-core not found at {}", axe_path.display());
        return None;
    };
    let Some(driver) = start_driver().await else {
        assert!(!in_ci, "chromedriver is not installed");
        eprintln!("skipped: chromedriver is not installed");
        return None;
    };
    Some((driver, axe))
}

/// The server on SQLite at a port chosen first, so its public URL (and the websocket's
/// allowed origin) is the address the browser uses.
pub(crate) async fn spawn_for_browser() -> TestApp {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    spawn_app_with(
        Backend::Sqlite,
        |input| {
            input.bind = Some(format!("127.0.0.1:{port}"));
            input.public_url = Some(format!("http://127.0.0.1:{port}"));
        },
        |_| {},
    )
    .await
}

const WAIT: Duration = Duration::from_secs(15);

/// Waits until the element at `css` contains `text`; returns its text.
pub(crate) async fn wait_for_text(client: &Client, css: &str, text: &str) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut last = String::new();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if let Ok(found) = element.text().await {
                if found.contains(text) {
                    return found;
                }
                last = found;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{css} never showed {text:?}; it shows:\n{last}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of `main`.
pub(crate) async fn main_text(client: &Client) -> String {
    client
        .find(Locator::Css("main"))
        .await
        .expect("main")
        .text()
        .await
        .expect("text")
}

pub(crate) async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.expect(css);
    field.clear().await.expect("clear");
    field.send_keys(text).await.expect("type");
}

pub(crate) async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .expect("click");
}

/// Clicks the button whose text is `label` (inside `main`).
pub(crate) async fn press(client: &Client, label: &str) {
    client
        .find(Locator::XPath(&format!(
            "//main//button[normalize-space(.)='{label}']"
        )))
        .await
        .unwrap_or_else(|_| panic!("a {label:?} button"))
        .click()
        .await
        .expect("click");
}

/// On a 390-px phone, whether the page scrolls sideways; names the elements that stick out.
async fn sideways_on_a_phone(client: &Client, name: &str) -> Vec<String> {
    client.set_window_size(390, 844).await.expect("resize");
    let found = client
        .execute(
            r#"const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            const scrolls = e => ["auto", "scroll", "hidden"].includes(getComputedStyle(e).overflowX);
            const contained = e => { for (let p = e.parentElement; p; p = p.parentElement) if (scrolls(p)) return true; return false; };
            return Array.from(document.querySelectorAll("body *"))
              .filter(e => e.getBoundingClientRect().right > width + 1 && !contained(e))
              .slice(0, 5)
              .map(e => e.tagName.toLowerCase() + "." + e.className + " ends at "
                + Math.round(e.getBoundingClientRect().right) + " of " + width);"#,
            vec![],
        )
        .await
        .expect("measure");
    client.set_window_size(1280, 1000).await.expect("resize");
    match found {
        Value::Array(items) if items.is_empty() => Vec::new(),
        Value::Array(items) => items
            .into_iter()
            .map(|v| {
                format!(
                    "{name} scrolls sideways at 390 px: {}",
                    v.as_str().unwrap_or_default()
                )
            })
            .collect(),
        other => vec![format!("{name}: unexpected answer {other}")],
    }
}

/// Audits the page and records what was wrong.
pub(crate) async fn check(client: &Client, axe: &str, name: &str, problems: &mut Vec<String>) {
    problems.extend(audit(client, axe, name).await);
}

pub(crate) fn assert_accessible(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "serious or critical accessibility violations:\n{}",
        problems.join("\n")
    );
}

pub(crate) async fn sign_in(client: &Client, app: &TestApp, username: &str) {
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
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await;
    let (_, thread, member) = moderated_thread(
        &app,
        "Welcome! Introduce yourself",
        "Hello and **welcome**.\n\n- who you are\n- how you are doing",
        "sam_patient",
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
    problems.extend(sideways_on_a_phone(&client, "moderator-queue").await);
    client.delete_all_cookies().await.expect("sign out");
    sign_in(&client, &app, "site_admin").await;
    client.goto(&app.url("/admin")).await.expect("admin");
    problems.extend(audit(&client, &axe, "admin").await);
    problems.extend(sideways_on_a_phone(&client, "admin").await);

    let _ = client.close().await;
    assert_accessible(&problems);
}

/// A refused form comes back with focus on its first field in error, so the error is on
/// screen (admin forms used to show theirs 2,000 px down) and read out first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_puts_focus_on_its_first_error() {
    let Some((driver, _axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let client = browser(&driver).await;
    client
        .goto(&app.url("/register"))
        .await
        .expect("register page");
    fill(&client, "#f-username", "dora_short").await;
    fill(&client, "#f-password", "short").await;
    press(&client, "Create account").await;
    wait_for_text(&client, "main", "at least 10 characters").await;
    let focused = client
        .execute("return document.activeElement.id;", vec![])
        .await
        .expect("active element");
    assert_eq!(focused, json!("f-password"));
    client.close().await.expect("close");
}

/// Creates a community through the API with the given kind and policy.
async fn community_of_kind(
    app: &TestApp,
    admin: &Session,
    slug: &str,
    name: &str,
    kind: &str,
    description: &str,
) {
    let response = app
        .post(
            "/api/v1/communities",
            Some(admin),
            json!({
                "slug": slug, "name": name, "description": description,
                "rules": "1. Be kind\n2. No selling", "kind": kind,
                "condition_tags": ["glioblastoma"], "visibility": "public", "join_policy": "open"
            }),
        )
        .await;
    assert_eq!(
        response.status(),
        reqwest::StatusCode::CREATED,
        "create {slug}"
    );
}

/// A public `lung-cancer` community whose moderator `mod_maria` started a thread, and a
/// member who joined it: (moderator, thread id, member).
pub(crate) async fn moderated_thread(
    app: &TestApp,
    title: &str,
    body: &str,
    member: &str,
) -> (Session, String, Session) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung-cancer", "public", "open").await;
    let moderator = app.register("mod_maria").await;
    app.appoint_moderator(&admin, "lung-cancer", "mod_maria")
        .await;
    let (thread, _) = app.thread(&moderator, "lung-cancer", title, body).await;
    let member = app.register(member).await;
    app.join(&member, "lung-cancer").await;
    (moderator, thread, member)
}

/// Journey 1: a caregiver registers, finds the caregivers' community through the
/// directory and through search, joins and starts a thread; another member replies from a
/// second browser and the reply appears on the first one's page without a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caregiver_finds_community_starts_thread_and_sees_reply_live() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let helper = two_communities_and_a_post_about_respite_care(&app).await;

    let mut problems = Vec::new();
    let first = browser(&driver).await;
    a_caregiver_registers_and_lands_on_start_here_signed_in(&first, &app).await;
    the_directory_filtered_to_caregivers_lists_theirs(&first, &axe, &mut problems).await;
    search_for_respite_leads_to_the_community(&first, &app, &axe, &mut problems).await;
    let thread_url =
        joining_and_starting_a_thread_after_a_preview(&first, &axe, &mut problems).await;
    a_second_member_replies_and_can_edit_her_reply_in_place(&driver, &app, &thread_url).await;
    the_reply_arrives_live_reportable_announced_and_counted(&first, &axe, &mut problems).await;
    her_edit_then_deletion_change_the_post_in_place(&first, &app, &helper).await;
    let _ = first.close().await;
    assert_accessible(&problems);
}

/// A condition community and a caregivers' community, where `helen_helper` wrote about
/// respite care. Helen's session.
async fn two_communities_and_a_post_about_respite_care(app: &TestApp) -> Session {
    let admin = app.admin("site_admin").await;
    community_of_kind(
        app,
        &admin,
        "lung-cancer",
        "Lung cancer",
        "condition",
        "Living with lung cancer",
    )
    .await;
    community_of_kind(
        app,
        &admin,
        "caregivers",
        "Caregivers together",
        "caregiver",
        "For people caring for someone with cancer",
    )
    .await;
    let helper = app.register("helen_helper").await;
    app.join(&helper, "caregivers").await;
    app.thread(
        &helper,
        "caregivers",
        "Finding respite care",
        "Respite care gave me a weekend to sleep. Ask your hospice team about it.",
    )
    .await;
    helper
}

/// A new member lands on Start here, signed in, and goes on to the directory.
async fn a_caregiver_registers_and_lands_on_start_here_signed_in(first: &Client, app: &TestApp) {
    first
        .goto(&app.url("/register"))
        .await
        .expect("register page");
    fill(first, "#f-username", "carol_cares").await;
    fill(first, "#f-password", PASSWORD).await;
    fill(first, "#f-display_name", "Carol").await;
    press(first, "Create account").await;
    wait_for_text(first, "main h1", "Start here").await;
    wait_for_text(first, "header nav", "Sign out").await;
    click(first, "header nav a[href='/communities']").await;
    wait_for_text(first, "main h1", "Communities").await;
}

/// Through the directory, filtered to caregivers' communities.
async fn the_directory_filtered_to_caregivers_lists_theirs(
    first: &Client,
    axe: &str,
    problems: &mut Vec<String>,
) {
    first
        .find(Locator::Css("#kind"))
        .await
        .expect("kind filter")
        .select_by_value("caregiver")
        .await
        .expect("choose caregiver");
    press(first, "Filter").await;
    let listed = wait_for_text(first, "main", "Caregivers together").await;
    assert!(!listed.contains("Lung cancer"), "{listed}");
    check(first, axe, "j1-directory-caregivers", problems).await;
}

/// Through search: a post about respite care leads to its community.
async fn search_for_respite_leads_to_the_community(
    first: &Client,
    app: &TestApp,
    axe: &str,
    problems: &mut Vec<String>,
) {
    first.goto(&app.url("/search")).await.expect("search");
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        fill(first, "#q", "respite").await;
        press(first, "Search").await;
        first
            .wait()
            .for_element(Locator::Css("#q"))
            .await
            .expect("search page");
        if main_text(first).await.contains("Finding respite care") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "search never found the post"
        );
    }
    check(first, axe, "j1-search", problems).await;
    click(first, "ol.results a[href='/c/caregivers']").await;
    wait_for_text(first, "main h1", "Caregivers together").await;
    check(first, axe, "j1-community-visitor", problems).await;
}

/// She joins and starts a thread, after a preview that renders the markdown. The
/// thread's URL; the page is marked so that a reload would show.
async fn joining_and_starting_a_thread_after_a_preview(
    first: &Client,
    axe: &str,
    problems: &mut Vec<String>,
) -> String {
    press(first, "Join community").await;
    wait_for_text(first, "main", "You are now a member").await;
    click(first, "main a[href='/new?community=caregivers']").await;
    first
        .wait()
        .for_element(Locator::Css("#f-title"))
        .await
        .expect("new thread form");
    check(first, axe, "j1-new-thread", problems).await;
    fill(first, "#f-title", "Evenings are the hardest").await;
    fill(
        first,
        "#f-body",
        "My husband gets confused after dinner. How do you cope with **sundowning**?",
    )
    .await;
    press(first, "Preview").await;
    let preview = wait_for_text(first, ".preview", "sundowning").await;
    assert!(preview.contains("My husband"), "{preview}");
    let bold = first
        .find(Locator::Css(".preview strong"))
        .await
        .expect("rendered markdown");
    assert_eq!(bold.text().await.expect("text"), "sundowning");
    press(first, "Start thread").await;
    wait_for_text(first, "main h1", "Evenings are the hardest").await;
    let thread_url = first.current_url().await.expect("url").to_string();
    check(first, axe, "j1-thread-own", problems).await;
    // A marker that a reload would wipe.
    first
        .execute(
            "window.kindredNoReload = 'still here'; return true;",
            vec![],
        )
        .await
        .expect("mark the page");
    thread_url
}

/// A second member replies from another browser, through the page's reply box. Her
/// reply, added without a reload, can be edited there and then, holding her words.
async fn a_second_member_replies_and_can_edit_her_reply_in_place(
    driver: &Driver,
    app: &TestApp,
    thread_url: &str,
) {
    let second = browser(driver).await;
    sign_in(&second, app, "helen_helper").await;
    second.goto(thread_url).await.expect("thread");
    fill(
        &second,
        "#f-body",
        "Evenings were hard for us too. A lamp on and quiet music helped.",
    )
    .await;
    press(&second, "Post reply").await;
    wait_for_text(&second, "#posts", "quiet music").await;
    // Her reply, added without a reload, can be edited there and then, holding her words.
    wait_for_text(&second, "#posts article:last-of-type", "Edit your post").await;
    let source = second
        .find(Locator::Css(
            "#posts article:last-of-type .post-edit textarea",
        ))
        .await
        .expect("the edit box")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(source.contains("A lamp on and quiet music"), "{source}");
    let field = second
        .find(Locator::Css("#f-body"))
        .await
        .expect("reply box");
    assert_eq!(
        field
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default(),
        ""
    );
    let _ = second.close().await;
}

/// On the first page, without a reload: the reply arrives, can be reported (not edited),
/// is announced in the live region, and the header counts the notification.
async fn the_reply_arrives_live_reportable_announced_and_counted(
    first: &Client,
    axe: &str,
    problems: &mut Vec<String>,
) {
    let posts = wait_for_text(first, "#posts", "quiet music").await;
    assert!(posts.contains("helen_helper"), "{posts}");
    // Someone else's live reply can be reported, as after a reload, and not edited.
    let arrived = wait_for_text(first, "#posts article:last-of-type", "Report this post").await;
    assert!(!arrived.contains("Edit your post"), "{arrived}");
    let marker = first
        .execute("return window.kindredNoReload || null;", vec![])
        .await
        .expect("marker");
    assert_eq!(marker, json!("still here"), "the page reloaded");
    let live = first.find(Locator::Id("live")).await.expect("live region");
    let announced = live
        .prop("textContent")
        .await
        .expect("text")
        .unwrap_or_default();
    assert!(
        announced.contains("New reply from helen_helper"),
        "{announced}"
    );
    // The reply to her thread is a notification: the header counts it, still no reload.
    wait_for_text(first, "header nav", "1 unread").await;
    check(first, axe, "j1-thread-live-reply", problems).await;
}

/// Her edit, then her deletion, change the post in place on Carol's page.
async fn her_edit_then_deletion_change_the_post_in_place(
    first: &Client,
    app: &TestApp,
    helper: &Session,
) {
    let reply_id = first
        .find(Locator::Css("#posts article:last-of-type"))
        .await
        .expect("the live reply")
        .attr("id")
        .await
        .expect("id")
        .expect("an id")
        .trim_start_matches('p')
        .to_owned();
    let edited = app
        .patch(
            &format!("/api/v1/posts/{reply_id}"),
            Some(helper),
            json!({ "body": "Evenings were hard for us too. A lamp on and *soft* music helped." }),
        )
        .await;
    assert_eq!(edited.status(), reqwest::StatusCode::OK);
    let article = format!("#p{reply_id}");
    let shown = wait_for_text(first, &article, "soft music").await;
    assert!(shown.contains("edited"), "{shown}");
    let deleted = app
        .delete(&format!("/api/v1/posts/{reply_id}"), Some(helper))
        .await;
    assert_eq!(deleted.status(), reqwest::StatusCode::OK);
    let shown = wait_for_text(first, &article, "This post was deleted").await;
    assert!(!shown.contains("soft music"), "{shown}");
    let marker = first
        .execute("return window.kindredNoReload || null;", vec![])
        .await
        .expect("marker");
    assert_eq!(marker, json!("still here"), "the page reloaded");
}

/// Journey 2: a new member posts a supplement advert: it shows as awaiting review with the
/// reason; the moderator, whose queue page is open, sees it arrive, removes it with a
/// reason; the log shows the decision and the author sees the outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_advert_is_queued_live_removed_and_logged() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (_, thread, _) = moderated_thread(
        &app,
        "What helped your appetite?",
        "Share what worked for you during treatment.",
        "new_nora",
    )
    .await;

    let mut problems = Vec::new();
    let moderator_browser = browser(&driver).await;
    sign_in(&moderator_browser, &app, "mod_maria").await;
    moderator_browser
        .goto(&app.url("/mod/queue"))
        .await
        .expect("queue");
    wait_for_text(&moderator_browser, "main", "Nothing is waiting").await;
    check(&moderator_browser, &axe, "j2-queue-empty", &mut problems).await;

    let author = browser(&driver).await;
    sign_in(&author, &app, "new_nora").await;
    author
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    fill(
        &author,
        "#f-body",
        "Buy our turmeric immune booster capsules at https://cure-shop.example.com and use code HEAL20 for 20% off! DM me for wholesale prices.",
    )
    .await;
    press(&author, "Post reply").await;
    let held = wait_for_text(&author, ".post-held", "Awaiting review").await;
    assert!(held.contains("Why:"), "{held}");
    assert!(held.contains("Only you and the moderators"), "{held}");
    author.refresh().await.expect("reload");
    let held = wait_for_text(&author, ".post-held", "Awaiting review").await;
    assert!(held.contains("What you can do"), "{held}");
    check(&author, &axe, "j2-thread-held-post", &mut problems).await;

    // The open queue page announces the new item; "show" reloads it.
    let notice = wait_for_text(&moderator_browser, "#queue-live", "1 new item").await;
    assert!(notice.contains("show"), "{notice}");
    click(&moderator_browser, "#queue-live a").await;
    let queued = wait_for_text(&moderator_browser, "main", "turmeric").await;
    assert!(queued.contains("Why it is here"), "{queued}");
    check(&moderator_browser, &axe, "j2-queue-item", &mut problems).await;
    click(&moderator_browser, "input[type=radio][value=remove]").await;
    fill(
        &moderator_browser,
        "#f-reason",
        "Advertising a product is not allowed here",
    )
    .await;
    press(&moderator_browser, "Record decision").await;
    wait_for_text(&moderator_browser, "main", "Decision recorded").await;

    moderator_browser
        .goto(&app.url("/c/lung-cancer/modlog"))
        .await
        .expect("log");
    let log = wait_for_text(&moderator_browser, "main table", "Advertising a product").await;
    assert!(log.contains("remove"), "{log}");
    assert!(log.contains("new_nora"), "{log}");
    check(&moderator_browser, &axe, "j2-modlog", &mut problems).await;
    let _ = moderator_browser.close().await;

    author
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    let outcome = wait_for_text(&author, ".post-removed", "Removed by a moderator").await;
    assert!(
        outcome.contains("Advertising a product is not allowed here"),
        "{outcome}"
    );
    check(&author, &axe, "j2-thread-removed-post", &mut problems).await;
    let _ = author.close().await;
    assert_accessible(&problems);
}

/// A reply that arrives over the websocket on a moderator's open thread page carries the
/// same Remove control as the posts the server rendered, and the control works.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderator_removes_a_reply_that_arrived_live() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (moderator, thread, member) = moderated_thread(
        &app,
        "Scan day nerves",
        "How do you get through scan day?",
        "member_mo",
    )
    .await;

    let mut problems = Vec::new();
    let page = browser(&driver).await;
    sign_in(&page, &app, "mod_maria").await;
    page.goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    wait_for_text(&page, "main h1", "Scan day nerves").await;
    let reply = app
        .reply(
            &member,
            &thread,
            "I bring headphones and a long podcast, and my sister drives.",
        )
        .await;
    let id = reply["id"].as_str().expect("reply id").to_owned();
    let controls = format!("#p{id} + details.mod-remove");
    wait_for_text(&page, &format!("#p{id}"), "long podcast").await;
    wait_for_text(&page, &controls, "Remove this post").await;
    check(&page, &axe, "live-reply-moderator-controls", &mut problems).await;
    click(&page, &format!("{controls} summary")).await;
    fill(
        &page,
        &format!("#remove-{id}"),
        "Testing the remove control",
    )
    .await;
    click(&page, &format!("{controls} button[type=submit]")).await;
    wait_for_text(
        &page,
        &format!("#p{id}.post-removed"),
        "Removed by a moderator",
    )
    .await;
    let left = page
        .find_all(Locator::Css(&controls))
        .await
        .expect("find controls");
    assert!(left.is_empty(), "a removed post keeps its Remove control");
    let log = app
        .get_json("/api/v1/communities/lung-cancer/modlog", Some(&moderator))
        .await;
    assert!(
        log.to_string().contains("Testing the remove control"),
        "{log}"
    );
    let _ = page.close().await;
    assert_accessible(&problems);
}

/// Journey 3: an admin creates a private community and appoints a moderator; a non-member
/// gets 404 for its page and finds none of its posts in search; once the moderator adds
/// them, both work. The moderator locks the thread, and the member sees replies closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_community_is_hidden_until_membership() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    app.admin("site_admin").await;
    let moderator = app.register("mod_omar").await;
    app.register("outsider_olga").await;

    let mut problems = Vec::new();
    an_admin_creates_a_private_community_and_appoints_a_moderator(
        &driver,
        &app,
        &axe,
        &mut problems,
    )
    .await;
    let (thread, _) = app
        .thread(
            &moderator,
            "gbm-caregivers",
            "Seizure plans at home",
            "Our neurologist wrote a seizure action plan for the fridge. Keppra timing matters.",
        )
        .await;

    let outsider = browser(&driver).await;
    sign_in(&outsider, &app, "outsider_olga").await;
    let moderator_browser = a_non_member_gets_404_and_finds_nothing_in_search(
        &outsider,
        &driver,
        &app,
        &thread,
        &axe,
        &mut problems,
    )
    .await;
    once_added_the_member_sees_the_page_and_the_search(
        &outsider,
        &moderator_browser,
        &app,
        &axe,
        &mut problems,
    )
    .await;
    the_moderator_pins_and_locks_the_thread(&moderator_browser, &app, &thread, &axe, &mut problems)
        .await;
    let _ = moderator_browser.close().await;
    the_member_sees_the_thread_pinned_with_replies_closed(
        &outsider,
        &app,
        &thread,
        &axe,
        &mut problems,
    )
    .await;
    let _ = outsider.close().await;
    assert_accessible(&problems);
}

/// The admin creates `gbm-caregivers` (private, approval) and appoints `mod_omar`.
async fn an_admin_creates_a_private_community_and_appoints_a_moderator(
    driver: &Driver,
    app: &TestApp,
    axe: &str,
    problems: &mut Vec<String>,
) {
    let admin = browser(driver).await;
    sign_in(&admin, app, "site_admin").await;
    admin.goto(&app.url("/admin")).await.expect("admin");
    fill(&admin, "#f-name", "Glioblastoma caregivers").await;
    fill(&admin, "#f-slug", "gbm-caregivers").await;
    fill(
        &admin,
        "#f-description",
        "A closed group for people caring for someone with glioblastoma",
    )
    .await;
    admin
        .find(Locator::Css("#f-kind"))
        .await
        .expect("kind")
        .select_by_value("caregiver")
        .await
        .expect("kind");
    admin
        .find(Locator::Css("#f-visibility"))
        .await
        .expect("visibility")
        .select_by_value("private")
        .await
        .expect("private");
    admin
        .find(Locator::Css("#f-join_policy"))
        .await
        .expect("join policy")
        .select_by_value("approval")
        .await
        .expect("approval");
    press(&admin, "Create community").await;
    wait_for_text(&admin, "main h1", "Glioblastoma caregivers").await;
    check(&admin, axe, "j3-private-community-admin", problems).await;
    admin.goto(&app.url("/admin")).await.expect("admin");
    admin
        .find(Locator::Css("#f-community"))
        .await
        .expect("community")
        .select_by_value("gbm-caregivers")
        .await
        .expect("choose");
    fill(&admin, "#f-username", "mod_omar").await;
    press(&admin, "Appoint").await;
    wait_for_text(&admin, "main", "Moderator appointed").await;
    let _ = admin.close().await;
}

/// A non-member gets 404 for the community and the thread; the moderator sees the post
/// in search once it is indexed, the outsider never does. The moderator's browser.
async fn a_non_member_gets_404_and_finds_nothing_in_search(
    outsider: &Client,
    driver: &Driver,
    app: &TestApp,
    thread: &str,
    axe: &str,
    problems: &mut Vec<String>,
) -> Client {
    outsider
        .goto(&app.url("/c/gbm-caregivers"))
        .await
        .expect("page");
    wait_for_text(outsider, "main h1", "Page not found").await;
    check(outsider, axe, "j3-private-404", problems).await;
    outsider
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    wait_for_text(outsider, "main h1", "Page not found").await;
    // The moderator sees the post in search once it is indexed; the outsider never does.
    let moderator_browser = browser(driver).await;
    sign_in(&moderator_browser, app, "mod_omar").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        moderator_browser
            .goto(&app.url("/search?q=seizure"))
            .await
            .expect("search");
        if main_text(&moderator_browser)
            .await
            .contains("Seizure plans at home")
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the post was never indexed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    outsider
        .goto(&app.url("/search?q=seizure"))
        .await
        .expect("search");
    let found = wait_for_text(outsider, "main", "0 posts").await;
    assert!(!found.contains("Seizure plans"), "{found}");
    moderator_browser
}

/// The moderator adds the member; then the page and the search work for them.
async fn once_added_the_member_sees_the_page_and_the_search(
    outsider: &Client,
    moderator_browser: &Client,
    app: &TestApp,
    axe: &str,
    problems: &mut Vec<String>,
) {
    moderator_browser
        .goto(&app.url("/c/gbm-caregivers/members"))
        .await
        .expect("members");
    fill(moderator_browser, "#f-username", "outsider_olga").await;
    press(moderator_browser, "Add member").await;
    wait_for_text(moderator_browser, "main", "outsider_olga").await;
    check(moderator_browser, axe, "j3-members", problems).await;

    outsider
        .goto(&app.url("/c/gbm-caregivers"))
        .await
        .expect("page");
    wait_for_text(outsider, "main h1", "Glioblastoma caregivers").await;
    check(outsider, axe, "j3-private-community-member", problems).await;
    outsider
        .goto(&app.url("/search?q=seizure"))
        .await
        .expect("search");
    wait_for_text(outsider, "main", "Seizure plans at home").await;
    check(outsider, axe, "j3-search-member", problems).await;
}

/// Moderator tools on the thread page: pin and lock.
async fn the_moderator_pins_and_locks_the_thread(
    moderator_browser: &Client,
    app: &TestApp,
    thread: &str,
    axe: &str,
    problems: &mut Vec<String>,
) {
    moderator_browser
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    press(moderator_browser, "Pin thread").await;
    wait_for_text(moderator_browser, "main", "The thread is pinned").await;
    press(moderator_browser, "Lock: close replies").await;
    wait_for_text(moderator_browser, "main", "The thread is locked").await;
    check(moderator_browser, axe, "j3-thread-moderator", problems).await;
}

/// The member sees the thread pinned, replies closed and no reply box.
async fn the_member_sees_the_thread_pinned_with_replies_closed(
    outsider: &Client,
    app: &TestApp,
    thread: &str,
    axe: &str,
    problems: &mut Vec<String>,
) {
    outsider
        .goto(&app.url(&format!("/t/{thread}")))
        .await
        .expect("thread");
    let page = wait_for_text(outsider, "main", "replies are closed").await;
    assert!(page.contains("Pinned"), "{page}");
    assert!(
        outsider
            .find(Locator::Css("form.reply-form"))
            .await
            .is_err(),
        "a locked thread offers no reply box"
    );
    check(outsider, axe, "j3-thread-locked", problems).await;
}

/// Never losing your place: a notification about post 59 of a 59-post thread opens page
/// 2 of the thread, scrolled to the post.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_link_opens_the_page_at_the_post() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung-cancer", "public", "open").await;
    let moderator = app.register("mod_maria").await;
    app.appoint_moderator(&admin, "lung-cancer", "mod_maria")
        .await;
    let member = app.register("ben_carer").await;
    app.join(&member, "lung-cancer").await;
    let (thread, _) = app
        .thread(
            &member,
            "lung-cancer",
            "Scan days",
            "How do you get through them?",
        )
        .await;
    let mut last = String::new();
    for n in 2..=59 {
        let post = app
            .reply(
                &moderator,
                &thread,
                &format!("Reply number {n}, with care."),
            )
            .await;
        post["id"].as_str().expect("post id").clone_into(&mut last);
    }

    let mut problems = Vec::new();
    let page = browser(&driver).await;
    sign_in(&page, &app, "ben_carer").await;
    page.goto(&app.url("/notifications"))
        .await
        .expect("notifications");
    click(&page, &format!("main a[href^=\"/p/{last}?n=\"]")).await;
    wait_for_text(&page, &format!("#p{last}"), "Reply number 59").await;
    let url = page.current_url().await.expect("url");
    assert!(
        url.query().is_some_and(|q| q.starts_with("cursor=")),
        "{url}"
    );
    assert_eq!(url.fragment(), Some(format!("p{last}").as_str()), "{url}");
    wait_for_text(&page, "main", "Posts 51–59 of 59").await;
    let in_view = page
        .execute(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();
             return r.top >= 0 && r.top < window.innerHeight;",
            vec![json!(format!("p{last}"))],
        )
        .await
        .expect("measure");
    assert_eq!(in_view, json!(true), "post 59 is on screen");
    check(&page, &axe, "permalink-page-2", &mut problems).await;
    let _ = page.close().await;
    assert_accessible(&problems);
}

/// The forgotten-password journey in Chromium against the real SMTP server: `/login` →
/// `/forgot` → the mail → its link → a new password → signed in; `/forgot`, `/reset` and
/// the new `/me/email` and `/email/confirm` pages audited with axe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_journey_in_a_real_browser() {
    use crate::mail::{fast_mail, readable, register_with_email, reset_token, SmtpSink};
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let sink = SmtpSink::start();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let smtp = sink.url();
    let app = spawn_app_with(
        Backend::Sqlite,
        |input| {
            input.bind = Some(format!("127.0.0.1:{port}"));
            input.public_url = Some(format!("http://127.0.0.1:{port}"));
            input.smtp_url = Some(smtp);
        },
        fast_mail,
    )
    .await;
    register_with_email(&app, "sam_p", "sam@example.org").await;
    let mut problems = Vec::new();
    let client = browser(&driver).await;

    client.goto(&app.url("/login")).await.expect("login page");
    click(&client, "main a[href='/forgot']").await;
    wait_for_text(&client, "h1", "Forgot your password?").await;
    check(&client, &axe, "forgot", &mut problems).await;
    fill(&client, "#f-email", "sam@example.org").await;
    press(&client, "Send me a link").await;
    wait_for_text(&client, "main", "is on its way").await;

    let mail = readable(&sink.wait_for(1).await[0]);
    let token = reset_token(&mail);
    let link = app.url(&format!("/reset?token={token}"));
    assert!(
        mail.contains(&link),
        "the mail links to this server: {mail}"
    );
    client.goto(&link).await.expect("the mailed link");
    wait_for_text(&client, "h1", "Choose a new password").await;
    check(&client, &axe, "reset", &mut problems).await;
    fill(&client, "#f-password", "a brand new quiet morning").await;
    press(&client, "Save and sign in").await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while client.current_url().await.expect("url").path() != "/" {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never signed in and sent home"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    client
        .goto(&app.url("/me/email"))
        .await
        .expect("address page");
    wait_for_text(&client, "main", "Your address is sam@example.org").await;
    check(&client, &axe, "email-settings", &mut problems).await;
    client
        .goto(&app.url("/email/confirm?token=not-a-real-one"))
        .await
        .expect("confirm page");
    wait_for_text(&client, "main", "invalid, already used or expired").await;
    check(&client, &axe, "email-confirm-invalid", &mut problems).await;
    let _ = client.close().await;
    assert_eq!(
        app.login("sam_p", "a brand new quiet morning")
            .await
            .status(),
        reqwest::StatusCode::OK
    );
    assert_accessible(&problems);
}

/// Support in one tap and a reply that is not lost: a second member's reaction changes the
/// count on the first member's open page without a reload (websocket), the pressed button
/// says so in place (`aria-pressed`, no navigation), a half-written reply survives a
/// reload, and the thread and saved pages stay accessible.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactions_arrive_live_and_a_draft_survives_a_reload() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let admin = app.admin("site_admin").await;
    app.community(&admin, "caregivers", "public", "open").await;
    for name in ["ana_carer", "ben_carer"] {
        let member = app.register(name).await;
        app.join(&member, "caregivers").await;
    }
    let (thread, post) = app
        .thread(
            &admin,
            "caregivers",
            "Night shifts",
            "Three weeks of night shifts and I am running on empty.",
        )
        .await;
    let thread_path = format!("/t/{thread}");
    let count = format!("#p{post} button[data-kind=with_you] .reaction-count");
    let button = format!("#p{post} button[data-kind=with_you]");

    let mut problems = Vec::new();
    let first = browser(&driver).await;
    sign_in(&first, &app, "ana_carer").await;
    first.goto(&app.url(&thread_path)).await.expect("thread");
    wait_for_text(&first, &count, "0").await;

    let second = browser(&driver).await;
    sign_in(&second, &app, "ben_carer").await;
    second.goto(&app.url(&thread_path)).await.expect("thread");
    click(&second, &button).await;
    wait_for_text(&second, &count, "1").await;
    let pressed = second
        .find(Locator::Css(&button))
        .await
        .expect("button")
        .attr("aria-pressed")
        .await
        .expect("attribute");
    assert_eq!(pressed.as_deref(), Some("true"));
    let url = second.current_url().await.expect("url");
    assert_eq!(
        url.fragment(),
        None,
        "toggled in place, not through the form post"
    );
    check(&second, &axe, "thread-with-reactions", &mut problems).await;

    // The first member's page hears of it over the websocket.
    wait_for_text(&first, &count, "1").await;

    // A half-written reply survives a reload.
    fill(&first, "textarea[name=body]", "Half a thought about sleep").await;
    first.refresh().await.expect("reload");
    wait_for_text(&first, &count, "1").await;
    let kept = first
        .execute(
            "return document.querySelector('textarea[name=body]').value;",
            vec![],
        )
        .await
        .expect("read the draft");
    assert_eq!(kept, json!("Half a thought about sleep"));

    second.goto(&app.url("/me/saved")).await.expect("saved");
    wait_for_text(&second, "main", "Saved posts").await;
    check(&second, &axe, "saved-posts", &mut problems).await;
    let _ = first.close().await;
    let _ = second.close().await;
    assert_accessible(&problems);
}

/// Issue 18: a new member registers, lands on Start here, tells it in their own words who
/// they care for, and asks to join the listed private group it suggests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_member_starts_here_and_asks_to_join_a_listed_private_group() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    crate::start::communities(&app).await;
    let client = browser(&driver).await;
    let mut problems = Vec::new();
    client
        .goto(&app.url("/register"))
        .await
        .expect("register page");
    fill(&client, "#f-username", "new_carer").await;
    fill(&client, "#f-password", PASSWORD).await;
    press(&client, "Create account").await;
    wait_for_text(&client, "h1", "Start here").await;
    assert!(client
        .current_url()
        .await
        .expect("url")
        .as_str()
        .ends_with("/start"));
    check(&client, &axe, "start-here-new", &mut problems).await;

    fill(&client, "#about", "my husband has glioblastoma").await;
    press(&client, "Find communities").await;
    let suggested = wait_for_text(&client, "main", "Glioblastoma Caregivers").await;
    assert!(suggested.contains("Brain Tumours"), "{suggested}");
    assert!(
        suggested.contains("Caregivers of People with Cancer"),
        "{suggested}"
    );
    check(&client, &axe, "start-here-suggestions", &mut problems).await;
    problems.extend(sideways_on_a_phone(&client, "start-here").await);

    click(
        &client,
        r#"form[action="/c/glioblastoma-caregivers/join"] button"#,
    )
    .await;
    let community = wait_for_text(&client, "main", "waiting for a moderator").await;
    assert!(
        community.contains("only its members can read its threads"),
        "{community}"
    );
    check(&client, &axe, "listed-private-community", &mut problems).await;

    client
        .goto(&app.url("/search?q=my+husband+has+glioblastoma"))
        .await
        .expect("search");
    wait_for_text(&client, "main", "Communities that may fit").await;
    check(&client, &axe, "search-communities", &mut problems).await;
    client.close().await.expect("close");
    assert_accessible(&problems);
}
