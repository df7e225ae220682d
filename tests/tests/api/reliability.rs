//! Faults the server must ride out: a full disk under the search index or under the whole
//! data directory, a PostgreSQL link that stalls or breaks, an index that lost a document,
//! and a backup taken while posts are written, then restored.
//!
//! Disks are filled for real, on a small tmpfs mounted for the test (CI runs as root).
//! Where mounting is not allowed the disk tests say so and skip, except under `CI=true`,
//! where they fail instead.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use kindred_cli::{self as cli, Cli};
use kindred_search::Change;
use kindred_server::indexer::Search;
use kindred_server::store::posts;
use reqwest::{header, Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, expect_json, fresh_postgres_database, spawn_app, spawn_app_with, Backend,
    Session, TestApp,
};
use crate::proxy::{Mode, Proxy};

/// No request may take longer than this, whatever the database link does.
const BUDGET: Duration = Duration::from_secs(6);
/// How long the index and a recovering node get to catch up.
const CATCH_UP: Duration = Duration::from_secs(40);

fn scratch_dir(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("kindred-{what}-{:016x}", rand::random::<u64>()))
}

/// A tmpfs mounted for one test; unmounted (lazily, the server may still hold files) when
/// dropped.
struct Tmpfs {
    path: PathBuf,
    filler: PathBuf,
}

impl Tmpfs {
    /// Mounts `size_mib` MiB at `path`, or explains why it cannot and returns `None`
    /// (never under `CI=true`).
    fn mount(path: &Path, size_mib: u32) -> Option<Tmpfs> {
        std::fs::create_dir_all(path).expect("mount point");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_mib}m"), "tmpfs"])
            .arg(path)
            .output();
        let why = match mounted {
            Ok(output) if output.status.success() => {
                return Some(Tmpfs {
                    path: path.to_owned(),
                    filler: path.join("filler"),
                })
            }
            Ok(output) => String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            Err(e) => e.to_string(),
        };
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must be able to mount a tmpfs (run the tests as root): {why}"
        );
        eprintln!("SKIPPED: cannot mount a tmpfs ({why}); run as root to test a full disk");
        None
    }

    /// Fills the file system to the last page.
    fn fill(&self) {
        top_up(&self.filler);
    }

    /// Fills the file system and keeps it full until [`KeptFull::free`]: tantivy deletes
    /// the files of old segments in the background after a commit, and the pages that
    /// frees would let a small commit through.
    fn keep_full(&self) -> KeptFull {
        top_up(&self.filler);
        let stop = Arc::new(AtomicBool::new(false));
        let filler = self.filler.clone();
        let keeper = std::thread::spawn({
            let stop = stop.clone();
            move || {
                while !stop.load(Ordering::Relaxed) {
                    top_up(&filler);
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        });
        KeptFull {
            filler: self.filler.clone(),
            stop,
            keeper,
        }
    }

    fn free(&self) {
        std::fs::remove_file(&self.filler).expect("remove filler");
    }
}

/// Appends to `filler` until the file system has no page left.
fn top_up(filler: &Path) {
    use std::io::Write;
    // The keeper thread may still run while a failing test unmounts the disk.
    let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(filler)
    else {
        return;
    };
    for chunk in [1 << 20, 4096, 512] {
        let bytes = vec![0u8; chunk];
        while file.write_all(&bytes).is_ok() {}
    }
    let _ = file.sync_all();
}

/// A file system kept full by a thread until freed.
struct KeptFull {
    filler: PathBuf,
    stop: Arc<AtomicBool>,
    keeper: std::thread::JoinHandle<()>,
}

impl KeptFull {
    fn free(self) {
        self.stop.store(true, Ordering::Relaxed);
        self.keeper.join().expect("the keeper thread");
        std::fs::remove_file(&self.filler).expect("remove filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// An admin (not screened, so nothing is held), a community and a thread.
async fn forum(app: &TestApp) -> (Session, String) {
    let admin = app.admin("steady_admin").await;
    app.community(&admin, "steady", "public", "open").await;
    let (thread, _) = app
        .thread(&admin, "steady", "Treatment diary", "Starting the diary.")
        .await;
    (admin, thread)
}

async fn reply_id(app: &TestApp, session: &Session, thread: &str, body: &str) -> String {
    app.reply(session, thread, body).await["id"]
        .as_str()
        .expect("post id")
        .to_owned()
}

async fn metric(app: &TestApp, name: &str) -> i64 {
    let text = app
        .get("/metrics", None)
        .await
        .text()
        .await
        .expect("metrics");
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics:\n{text}"))
}

async fn health(app: &TestApp) -> (StatusCode, Value) {
    let response = app.get("/healthz", None).await;
    let status = response.status();
    (status, response.json().await.expect("health json"))
}

fn has_reason(health: &Value, reason: &str) -> bool {
    health["reasons"]
        .as_array()
        .is_some_and(|reasons| reasons.iter().any(|r| r == reason))
}

/// Polls `check` every 100 ms until it holds; fails with `what` after `within`.
async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !check().await {
        assert!(Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every post id a search for `word` finds, following the pages.
async fn search_ids(app: &TestApp, word: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/search?q={word}&limit=100");
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&cursor={cursor}"));
        }
        let page = app.get_json(&path, None).await;
        ids.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|item| item["post_id"].as_str().expect("post id").to_owned()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

async fn all_found(app: &TestApp, word: &str, wanted: &[String]) -> bool {
    let found = search_ids(app, word).await;
    wanted.iter().all(|id| found.contains(id))
}

// ---- the search index's disk fills up -------------------------------------------------

/// The search index lives on its own full disk while posts are acknowledged: the indexer
/// fails, says so, keeps its checkpoint below them, and once space returns every post is
/// found without a reindex.
async fn search_catches_up_after_its_disk_was_full(backend: Backend) {
    let data_dir = scratch_dir("index-full");
    let Some(disk) = Tmpfs::mount(&data_dir.join("search"), 8) else {
        return;
    };
    let app = spawn_app_with(
        backend,
        |input| input.data_dir = Some(data_dir.clone()),
        |_| {},
    )
    .await;
    let (admin, thread) = forum(&app).await;
    eventually(CATCH_UP, "the index caught up", || async {
        metric(&app, "kindred_search_index_lag_events").await == 0
            && metric(&app, "kindred_search_documents").await == 1
    })
    .await;
    let applied_before = metric(&app, "kindred_search_last_event").await;

    let full = disk.keep_full();
    let mut acked = Vec::new();
    for i in 0..30 {
        let body = format!("Quokka note {i}: the infusion went fine today.");
        acked.push(reply_id(&app, &admin, &thread, &body).await);
    }
    // Each new answer goes to stderr, which nextest shows if this never happens.
    let last_answer = Mutex::new(String::new());
    eventually(
        CATCH_UP,
        "healthz reports the index's full disk",
        || async {
            let (status, body) = health(&app).await;
            let answer = format!("{status} {body}");
            let mut last = last_answer.lock().expect("last answer");
            if *last != answer {
                eprintln!("healthz: {answer}");
                *last = answer;
            }
            status == StatusCode::OK
                && body["status"] == "degraded"
                && has_reason(&body, "search: storage_full")
        },
    )
    .await;
    assert_eq!(metric(&app, "kindred_search_indexer_failing").await, 1);
    assert!(metric(&app, "kindred_search_indexer_failures_total").await >= 1);
    // Nothing of the batch is committed, so the checkpoint has not moved past it.
    assert_eq!(
        metric(&app, "kindred_search_last_event").await,
        applied_before
    );
    // The lag is read again on the indexer's next try.
    eventually(
        CATCH_UP,
        "the lag counts every acknowledged post",
        || async { metric(&app, "kindred_search_index_lag_events").await >= 30 },
    )
    .await;

    full.free();
    eventually(CATCH_UP, "every acknowledged post is found", || {
        all_found(&app, "quokka", &acked)
    })
    .await;
    eventually(CATCH_UP, "healthz is ok again", || async {
        health(&app).await.1["status"] == "ok"
    })
    .await;
    assert_eq!(metric(&app, "kindred_search_index_lag_events").await, 0);
    assert_eq!(metric(&app, "kindred_search_indexer_failing").await, 0);
    drop(app);
    drop(disk);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_catches_up_after_its_disk_was_full_sqlite() {
    search_catches_up_after_its_disk_was_full(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_catches_up_after_its_disk_was_full_postgres() {
    search_catches_up_after_its_disk_was_full(Backend::Postgres).await;
}

// ---- the whole data directory fills up (SQLite) -----------------------------------------

/// SQLite and the index share one full disk: a write answers 507 `storage_full` with
/// `Retry-After`, reads still work, `/healthz` says why, and once space is freed writes
/// work again and every acknowledged post is searchable. (PostgreSQL's disk belongs to
/// its server; its `disk_full` error maps to the same answer.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_with_507_and_recovers() {
    let data_dir = scratch_dir("disk-full");
    let Some(disk) = Tmpfs::mount(&data_dir, 32) else {
        return;
    };
    let app = spawn_app_with(
        Backend::Sqlite,
        |input| input.data_dir = Some(data_dir.clone()),
        |_| {},
    )
    .await;
    let (admin, thread) = forum(&app).await;
    let mut acked = Vec::new();
    for i in 0..3 {
        let body = format!("Quokka entry {i} before the disk filled.");
        acked.push(reply_id(&app, &admin, &thread, &body).await);
    }

    disk.fill();
    let long_body = format!(
        "Quokka diary. {}",
        "The infusion chair was by the window again today. ".repeat(180)
    );
    let path = format!("/api/v1/threads/{thread}/posts");
    let mut refused: Option<Response> = None;
    for _ in 0..400 {
        let response = app
            .post(&path, Some(&admin), json!({ "body": long_body }))
            .await;
        match response.status() {
            StatusCode::CREATED => {
                let body: Value = response.json().await.expect("json");
                acked.push(body["post"]["id"].as_str().expect("id").to_owned());
            }
            StatusCode::INSUFFICIENT_STORAGE => {
                refused = Some(response);
                break;
            }
            other => panic!(
                "a write on a full disk answered {other}: {}",
                response.text().await.unwrap_or_default()
            ),
        }
    }
    let refused = refused.expect("a write must be refused once the disk is full");
    assert!(refused.headers().contains_key(header::RETRY_AFTER));
    assert_error(refused, StatusCode::INSUFFICIENT_STORAGE, "storage_full").await;

    // Reads keep working.
    let shown = app
        .get_json(&format!("/api/v1/threads/{thread}"), Some(&admin))
        .await;
    assert_eq!(shown["thread"]["id"], thread.as_str());
    app.get_json("/api/v1/search?q=quokka", None).await;
    let (status, body) = health(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "degraded", "{body}");
    assert!(has_reason(&body, "database: storage_full"), "{body}");
    assert_eq!(metric(&app, "kindred_storage_full").await, 1);

    disk.free();
    // Writes resume on their own.
    let response = app
        .post(
            &path,
            Some(&admin),
            json!({ "body": "Quokka: space again." }),
        )
        .await;
    let created = expect_json(response, StatusCode::CREATED).await;
    acked.push(created["post"]["id"].as_str().expect("id").to_owned());
    eventually(CATCH_UP, "every acknowledged post is found", || {
        all_found(&app, "quokka", &acked)
    })
    .await;
    eventually(CATCH_UP, "healthz is ok again", || async {
        health(&app).await.1["status"] == "ok"
    })
    .await;
    drop(app);
    drop(disk);
    let _ = std::fs::remove_dir_all(&data_dir);
}

// ---- the PostgreSQL link stalls, then breaks --------------------------------------------

/// The address a PostgreSQL URL points at.
async fn postgres_address(url: &str) -> (String, SocketAddr) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let with_port = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    };
    let address = tokio::net::lookup_host(&with_port)
        .await
        .expect("resolve PostgreSQL")
        .next()
        .expect("a PostgreSQL address");
    (host.to_owned(), address)
}

/// Status, whether `Retry-After` was sent, and how long the request took.
async fn timed(
    request: impl std::future::Future<Output = Response>,
) -> (StatusCode, bool, Duration) {
    let started = Instant::now();
    let response = request.await;
    (
        response.status(),
        response.headers().contains_key(header::RETRY_AFTER),
        started.elapsed(),
    )
}

/// While the database is away every request that needs it answers 503 with `Retry-After`
/// within the budget, and `/livez` answers at once.
async fn requests_fail_fast(app: &TestApp, admin: &Session, thread: &str, phase: &str) {
    let read_path = format!("/api/v1/threads/{thread}");
    let write_path = format!("/api/v1/threads/{thread}/posts");
    let live = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        timed(app.get("/livez", None)).await
    };
    let (health, read, write, live) = tokio::join!(
        timed(app.get("/healthz", None)),
        timed(app.get(&read_path, Some(admin))),
        timed(app.post(
            &write_path,
            Some(admin),
            json!({ "body": "Sent during the outage" })
        )),
        live,
    );
    for (name, (status, retry_after, took)) in
        [("healthz", health), ("read", read), ("write", write)]
    {
        assert!(took < BUDGET, "{phase}: {name} took {took:?}");
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{phase}: {name}");
        assert!(retry_after, "{phase}: {name} without Retry-After");
    }
    assert_eq!(live.0, StatusCode::OK, "{phase}: livez");
    assert!(
        live.2 < Duration::from_secs(1),
        "{phase}: livez took {:?}",
        live.2
    );
}

async fn wait_until_healthy(app: &TestApp, phase: &str) {
    eventually(CATCH_UP, phase, || async {
        health(app).await.0 == StatusCode::OK
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_or_broken_database_link_answers_503_quickly_and_loses_nothing() {
    let direct = fresh_postgres_database();
    let (host, upstream) = postgres_address(&direct).await;
    let proxy = Proxy::start(upstream).await;
    let proxied = direct.replacen(&format!("@{host}"), &format!("@{}", proxy.address), 1);
    assert_ne!(proxied, direct, "the URL goes through the proxy");
    let app = spawn_app_with(
        Backend::Postgres,
        |input| input.database_url = Some(proxied.clone()),
        |_| {},
    )
    .await;
    let (admin, thread) = forum(&app).await;
    let mut acked = Vec::new();
    for i in 0..3 {
        acked.push(reply_id(&app, &admin, &thread, &format!("Before the stall {i}")).await);
    }

    // Bytes stop flowing but the sockets stay open: nothing errors, so only budgets help.
    proxy.set(Mode::Freeze);
    requests_fail_fast(&app, &admin, &thread, "frozen").await;
    // Now every pooled connection is stuck and new ones cannot start.
    requests_fail_fast(&app, &admin, &thread, "still frozen").await;
    proxy.set(Mode::Forward);
    wait_until_healthy(&app, "healthy after the stall").await;
    for i in 0..3 {
        acked.push(reply_id(&app, &admin, &thread, &format!("After the stall {i}")).await);
    }

    // Every connection is cut and new ones are refused.
    proxy.set(Mode::Close);
    requests_fail_fast(&app, &admin, &thread, "closed").await;
    proxy.set(Mode::Forward);
    wait_until_healthy(&app, "healthy after the cut").await;
    for i in 0..3 {
        acked.push(reply_id(&app, &admin, &thread, &format!("After the cut {i}")).await);
    }

    let store = app.store.clone();
    let ids: Vec<i64> = acked
        .iter()
        .map(|id| id.parse().expect("numeric id"))
        .collect();
    let found =
        tokio::task::spawn_blocking(move || store.read(|conn| posts::find_many(conn, &ids)))
            .await
            .expect("join")
            .expect("posts");
    assert_eq!(
        found.len(),
        acked.len(),
        "every acknowledged post is stored"
    );
}

// ---- the self-check ---------------------------------------------------------------------

/// A document lost from the index (no event will ever mention its post again) is put back
/// by the self-check when the node starts, without a reindex.
async fn the_self_check_restores_a_document_missing_from_the_index(backend: Backend) {
    let data_dir = scratch_dir("self-check");
    let first = spawn_app_with(
        backend,
        |input| input.data_dir = Some(data_dir.clone()),
        |_| {},
    )
    .await;
    let (admin, thread) = forum(&first).await;
    let lost = reply_id(&first, &admin, &thread, "Quokka: the scan was clear.").await;
    let kept = reply_id(&first, &admin, &thread, "Quokka: tired but fine.").await;
    let both = [lost.clone(), kept.clone()];
    eventually(CATCH_UP, "both posts are indexed", || {
        all_found(&first, "quokka", &both)
    })
    .await;
    first.stop.stop();

    // Once the stopped server has let go of the index, drop one document from it.
    let deadline = Instant::now() + CATCH_UP;
    let search = loop {
        match Search::open(&data_dir) {
            Ok(search) => break search,
            Err(e) => {
                assert!(Instant::now() < deadline, "the index stays locked: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    let index = search.live.get();
    let applied = index.last_applied_event().expect("an applied event");
    index
        .apply(
            [Change::Delete {
                post_id: lost.parse().expect("numeric id"),
            }],
            applied,
        )
        .expect("drop a document");
    drop(index);
    drop(search);

    let database_url = first.database_url.clone();
    let second = spawn_app_with(
        backend,
        |input| {
            input.data_dir = Some(data_dir.clone());
            input.database_url = database_url;
        },
        |_| {},
    )
    .await;
    eventually(CATCH_UP, "the lost post is found again", || {
        all_found(&second, "quokka", &both)
    })
    .await;
    assert!(metric(&second, "kindred_search_self_check_repairs_total").await >= 1);
    drop(second);
    drop(first);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_check_restores_a_document_missing_from_the_index_sqlite() {
    the_self_check_restores_a_document_missing_from_the_index(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_check_restores_a_document_missing_from_the_index_postgres() {
    the_self_check_restores_a_document_missing_from_the_index(Backend::Postgres).await;
}

// ---- backup and restore (SQLite) --------------------------------------------------------

/// Runs the `kindred` command line in this process (the same code as the binary).
async fn kindred(args: Vec<String>) -> Result<(), String> {
    tokio::task::spawn_blocking(move || {
        let cli = Cli::try_parse_from(std::iter::once("kindred".to_owned()).chain(args))
            .map_err(|e| e.to_string())?;
        cli::run(cli).map_err(|e| e.to_string())
    })
    .await
    .expect("join")
}

fn sqlite_args(data_dir: &Path, rest: &[&str]) -> Vec<String> {
    let mut args = vec![
        "--data-dir".to_owned(),
        data_dir.display().to_string(),
        "--database-url".to_owned(),
        format!("sqlite://{}", data_dir.join("kindred.db").display()),
        "--jwt-secret".to_owned(),
        "test-secret-that-is-long-enough-for-hs256".to_owned(),
    ];
    args.extend(rest.iter().map(|arg| (*arg).to_owned()));
    args
}

/// A backup taken in the middle of 1,000 replies holds every reply acknowledged before it
/// started; restored into another data directory it serves them all, searchable.
/// `restore` refuses while a server uses the directory and, without `--force`, over an
/// existing database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_every_acknowledged_post() {
    let app = Arc::new(spawn_app(Backend::Sqlite).await);
    let (admin, thread) = forum(&app).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let writer = {
        let (app, admin, thread, acked) =
            (app.clone(), admin.clone(), thread.clone(), acked.clone());
        tokio::spawn(async move {
            for i in 0..1000 {
                let id = reply_id(&app, &admin, &thread, &format!("Quokka log line {i}")).await;
                acked.lock().expect("acked").push(id);
            }
        })
    };
    eventually(CATCH_UP, "a third of the replies are written", || async {
        acked.lock().expect("acked").len() >= 300
    })
    .await;
    let scratch = scratch_dir("backup");
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    let file = scratch.join("kindred-backup.db");
    let before: Vec<String> = acked.lock().expect("acked").clone();
    kindred(sqlite_args(
        &app.data_dir,
        &["backup", "--out", &file.display().to_string()],
    ))
    .await
    .expect("backup while writing");
    writer.await.expect("writer");
    assert_eq!(acked.lock().expect("acked").len(), 1000);

    let backup = file.display().to_string();
    let refused = kindred(sqlite_args(&app.data_dir, &["restore", &backup]))
        .await
        .expect_err("restore under a running server");
    assert!(refused.contains("running server"), "{refused}");

    let restored_dir = scratch.join("restored");
    kindred(sqlite_args(&restored_dir, &["restore", &backup]))
        .await
        .expect("restore into an empty directory");
    let refused = kindred(sqlite_args(&restored_dir, &["restore", &backup]))
        .await
        .expect_err("restore over an existing database");
    assert!(refused.contains("--force"), "{refused}");
    kindred(sqlite_args(&restored_dir, &["restore", &backup, "--force"]))
        .await
        .expect("restore with --force");

    let restored = spawn_app_with(
        Backend::Sqlite,
        |input| input.data_dir = Some(restored_dir.clone()),
        |_| {},
    )
    .await;
    let store = restored.store.clone();
    let ids: Vec<i64> = before
        .iter()
        .map(|id| id.parse().expect("numeric id"))
        .collect();
    let found =
        tokio::task::spawn_blocking(move || store.read(|conn| posts::find_many(conn, &ids)))
            .await
            .expect("join")
            .expect("posts");
    assert_eq!(
        found.len(),
        before.len(),
        "every reply acknowledged before the backup"
    );
    let searchable = search_ids(&restored, "quokka").await;
    let missing: Vec<&String> = before
        .iter()
        .filter(|id| !searchable.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "not searchable after the restore: {missing:?}"
    );

    let not_a_database = scratch.join("notes.txt");
    std::fs::write(&not_a_database, "just some notes").expect("write");
    let refused = kindred(sqlite_args(
        &scratch.join("other"),
        &["restore", &not_a_database.display().to_string()],
    ))
    .await
    .expect_err("restore of a file that is not a database");
    assert!(refused.contains("not a SQLite database"), "{refused}");
    drop(restored);
    let _ = std::fs::remove_dir_all(&scratch);
}
