//! The `kindred` binary as an operator meets it: exit codes, one-line errors, migrate,
//! seed, admin create and `serve --demo`.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("kindred-cli-{:016x}", rand::random::<u64>()))
}

fn kindred(dir: &PathBuf) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kindred"));
    command
        .env_clear()
        .env("KINDRED_DATA_DIR", dir)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run kindred")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_one_line_error(output: &Output, code: i32, needle: &str) {
    let text = stderr(output);
    assert_eq!(output.status.code(), Some(code), "stderr: {text}");
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "one line expected: {text}"
    );
    assert!(text.contains(needle), "{needle:?} not in {text:?}");
}

#[test]
fn help_lists_every_command() {
    let output = run(kindred(&data_dir()).arg("--help"));
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for command in ["serve", "migrate", "seed", "admin"] {
        assert!(text.contains(command), "{command} missing from --help");
    }
}

#[test]
fn bad_configuration_exits_2_with_one_line() {
    let dir = data_dir();
    let output = run(kindred(&dir)
        .env("DATABASE_URL", "mysql://localhost/k")
        .arg("migrate"));
    assert_one_line_error(&output, 2, "DATABASE_URL");

    let output = run(kindred(&dir)
        .env("KINDRED_BIND", "not-an-address")
        .arg("migrate"));
    assert_one_line_error(&output, 2, "KINDRED_BIND");

    let output = run(kindred(&dir)
        .env("KINDRED_JWT_SECRET", "short")
        .arg("migrate"));
    assert_one_line_error(&output, 2, "KINDRED_JWT_SECRET");

    let output = run(kindred(&dir)
        .env("KINDRED_PUBLIC_URL", "ftp://x")
        .arg("migrate"));
    assert_one_line_error(&output, 2, "KINDRED_PUBLIC_URL");
}

#[test]
fn unreachable_postgres_names_the_host_and_the_driver_error() {
    let output = run(kindred(&data_dir())
        .env(
            "DATABASE_URL",
            "postgres://kindred:secret-pw@127.0.0.1:1/kindred",
        )
        .arg("migrate"));
    assert_one_line_error(&output, 2, "127.0.0.1:1");
    let text = stderr(&output);
    assert!(text.to_lowercase().contains("connect"), "{text}");
    assert!(!text.contains("secret-pw"), "password leaked: {text}");
}

#[test]
fn migrate_creates_the_database_and_a_private_secret() {
    let dir = data_dir();
    let output = run(kindred(&dir).arg("migrate"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.join("kindred.db").exists());
    let secret = dir.join("jwt-secret");
    assert!(secret.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A second run keeps the same secret.
    let before = std::fs::read(&secret).expect("read");
    assert!(run(kindred(&dir).arg("migrate")).status.success());
    assert_eq!(std::fs::read(&secret).expect("read"), before);
}

#[test]
fn seed_loads_once() {
    let dir = data_dir();
    let first = run(kindred(&dir).arg("seed"));
    assert!(first.status.success(), "{}", stderr(&first));
    let text = String::from_utf8_lossy(&first.stdout);
    assert!(text.contains("demo data loaded: 10 communities"), "{text}");
    let second = run(kindred(&dir).arg("seed"));
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("already has communities"));
}

fn admin_create(dir: &PathBuf, name: &str, password: &str) -> Output {
    let mut child = kindred(dir)
        .args(["admin", "create", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write password");
    child.wait_with_output().expect("wait")
}

#[test]
fn admin_create_reads_the_password_from_stdin() {
    let dir = data_dir();
    let created = admin_create(&dir, "site_admin", "a long and quiet evening");
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(String::from_utf8_lossy(&created.stdout).contains("admin site_admin created"));

    let again = admin_create(&dir, "site_admin", "a long and quiet evening");
    assert_one_line_error(&again, 2, "taken");
    let weak = admin_create(&dir, "other_admin", "password123");
    assert_one_line_error(&weak, 2, "password");
    let bad_name = admin_create(&dir, "Bad Name!", "a long and quiet evening");
    assert_one_line_error(&bad_name, 2, "username");
}

#[test]
fn serve_demo_serves_the_demo_communities() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = data_dir();
    let mut child = kindred(&dir)
        .env("KINDRED_BIND", format!("127.0.0.1:{port}"))
        .args(["serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    let body = loop {
        if let Ok(body) = http_get(port, "/api/v1/communities?limit=100") {
            break body;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(200));
    };
    let _ = child.kill();
    let output = child.wait_with_output().expect("wait");
    // Without KINDRED_SMTP_URL the demo says where its mail goes (issue 17).
    let said = String::from_utf8_lossy(&output.stdout);
    let mail_dir = dir.join("mail").display().to_string();
    assert!(
        said.contains(&format!("written as .eml files under {mail_dir}")),
        "serve --demo does not say where mail goes: {said}"
    );
    let listing: serde_json::Value = serde_json::from_str(&body).expect("json");
    let items = listing["items"].as_array().expect("items");
    assert!(items.len() >= 8, "{} public communities", items.len());
    assert!(
        items
            .iter()
            .all(|c| c["visibility"] == "public" || c["listed"] == true),
        "anonymous listing must not show unlisted private communities"
    );
}

/// A minimal HTTP/1.1 GET, so this test needs no HTTP client crate.
fn http_get(port: u16, path: &str) -> std::io::Result<String> {
    let (status, body) = http(port, "GET", path, None, None)?;
    if status != 200 {
        return Err(std::io::Error::other(format!("status {status}")));
    }
    Ok(body)
}

/// A minimal HTTP/1.1 request with an optional bearer token and JSON body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<&serde_json::Value>,
) -> std::io::Result<(u16, String)> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    let body = json.map(ToString::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no body"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok((status, body.to_owned()))
}

fn wait_until_up(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while http_get(port, "/livez").is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn logs_never_contain_passwords_tokens_emails_or_post_text() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("dir");
    let log_path = dir.join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut child = kindred(&dir)
        .env("KINDRED_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "trace")
        .args(["serve", "--demo"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("spawn");
    wait_until_up(port);

    let password = "Unforgettable-Lantern-4821";
    let email = "lantern.keeper@example.org";
    let post_text = "Zebrafish-marker-7731 my scan results";
    let register = serde_json::json!({"username": "lantern", "password": password, "email": email});
    let (status, body) =
        http(port, "POST", "/api/v1/auth/register", None, Some(&register)).expect("register");
    assert_eq!(status, 201, "{body}");
    let session: serde_json::Value = serde_json::from_str(&body).expect("json");
    let access = session["access_token"].as_str().expect("token").to_owned();
    let refresh = session["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let wrong = serde_json::json!({"username": "lantern", "password": "wrong password here"});
    let (status, _) = http(port, "POST", "/api/v1/auth/login", None, Some(&wrong)).expect("login");
    assert_eq!(status, 401);
    let join = "/api/v1/communities/lung-cancer/join";
    let (status, _) = http(port, "POST", join, Some(&access), None).expect("join");
    assert_eq!(status, 200);
    let thread = serde_json::json!({"title": "Results day", "body": post_text});
    let path = "/api/v1/communities/lung-cancer/threads";
    let (status, body) = http(port, "POST", path, Some(&access), Some(&thread)).expect("thread");
    assert_eq!(status, 201, "{body}");
    let (status, _) = http(port, "GET", "/api/v1/me/export", Some(&access), None).expect("export");
    assert_eq!(status, 200);
    let erase = serde_json::json!({"password": password, "posts": "delete"});
    let (status, _) =
        http(port, "DELETE", "/api/v1/me", Some(&access), Some(&erase)).expect("erase");
    assert_eq!(status, 204);
    let _ = child.kill();
    let _ = child.wait();

    let logged = std::fs::read_to_string(&log_path).expect("read log");
    assert!(logged.contains("request"), "the server logged nothing");
    for secret in [password, email, post_text, "Zebrafish", &access, &refresh] {
        assert!(
            !logged.contains(secret),
            "{secret:?} appears in the server log"
        );
    }
}

#[test]
fn export_decisions_writes_approved_posts_clean_and_removed_ones_with_their_labels() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let dir = data_dir();
    let mut child = kindred(&dir)
        .env("KINDRED_BIND", format!("127.0.0.1:{port}"))
        .args(["serve", "--demo"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_until_up(port);
    let login = |body: serde_json::Value, path: &str| -> String {
        let (status, body) = http(port, "POST", path, None, Some(&body)).expect("sign in");
        assert!(status == 200 || status == 201, "{status} {body}");
        let session: serde_json::Value = serde_json::from_str(&body).expect("json");
        session["access_token"].as_str().expect("token").to_owned()
    };
    let member = login(
        serde_json::json!({"username": "new_member", "password": "Quiet-Harbour-5512"}),
        "/api/v1/auth/register",
    );
    let (status, _) = http(
        port,
        "POST",
        "/api/v1/communities/lung-cancer/join",
        Some(&member),
        None,
    )
    .expect("join");
    assert_eq!(status, 200);
    let phone = "Text me on 555-014-2288 after my scan, marker-approve";
    let advert =
        "Buy our immune booster capsules, use code HEAL20 for 20% off, DM me for prices, marker-remove";
    for (title, body) in [("Scan day", phone), ("Boosters", advert)] {
        let thread = serde_json::json!({"title": title, "body": body});
        let path = "/api/v1/communities/lung-cancer/threads";
        let (status, body) =
            http(port, "POST", path, Some(&member), Some(&thread)).expect("thread");
        assert_eq!(status, 201, "{body}");
    }
    let moderator = login(
        serde_json::json!({"username": "maria_mod", "password": "kindred-demo-2026"}),
        "/api/v1/auth/login",
    );
    let (status, body) = http(
        port,
        "GET",
        "/api/v1/mod/queue?community=lung-cancer",
        Some(&moderator),
        None,
    )
    .expect("queue");
    assert_eq!(status, 200, "{body}");
    let queue: serde_json::Value = serde_json::from_str(&body).expect("json");
    for (marker, action) in [("marker-approve", "approve"), ("marker-remove", "remove")] {
        let item = queue["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|item| {
                item["post_source"]
                    .as_str()
                    .is_some_and(|s| s.contains(marker))
            })
            .unwrap_or_else(|| panic!("{marker} is not in the queue: {queue}"));
        let path = format!(
            "/api/v1/mod/queue/{}/decision",
            item["id"].as_str().expect("id")
        );
        let decision = serde_json::json!({"action": action, "reason": "reviewed"});
        let (status, body) =
            http(port, "POST", &path, Some(&moderator), Some(&decision)).expect("decide");
        assert_eq!(status, 200, "{body}");
    }
    let _ = child.kill();
    let _ = child.wait();

    let output = run(kindred(&dir).args(["moderation", "export-decisions"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let find = |marker: &str| {
        lines
            .iter()
            .find(|l| l["text"].as_str().is_some_and(|t| t.contains(marker)))
            .unwrap_or_else(|| panic!("{marker} not exported: {lines:?}"))
            .clone()
    };
    let approved = find("marker-approve");
    assert_eq!(approved["labels"], serde_json::json!([]));
    assert!(approved["id"].is_string());
    let removed = find("marker-remove");
    assert!(removed["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .any(|l| l == "promotion"));
    for line in &lines {
        let keys: Vec<&String> = line.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["id", "labels", "text"], "corpus shape");
    }

    let file = dir.join("decisions.jsonl");
    let output = run(kindred(&dir)
        .args(["moderation", "export-decisions", "--out"])
        .arg(&file));
    assert!(output.status.success(), "{}", stderr(&output));
    let written = std::fs::read_to_string(&file).expect("written file");
    assert_eq!(written.lines().count(), lines.len());
    let output = run(kindred(&dir)
        .args(["moderation", "export-decisions", "--out"])
        .arg(dir.join("no-such-dir").join("x.jsonl")));
    assert_one_line_error(&output, 1, "cannot write");
}

fn metric(port: u16, name: &str) -> Option<u64> {
    let text = http_get(port, "/metrics").ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .and_then(|value| value.trim().parse().ok())
}

#[test]
fn the_search_index_survives_kill_9_and_reindex_agrees() {
    let dir = data_dir();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let serve = |demo: bool| {
        let mut command = kindred(&dir);
        command
            .env("KINDRED_BIND", format!("127.0.0.1:{port}"))
            .arg("serve")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if demo {
            command.arg("--demo");
        }
        command.spawn().expect("spawn")
    };
    // Killed as soon as it answers: the indexer is mid-way through the demo's events.
    let mut first = serve(true);
    wait_until_up(port);
    first.kill().expect("kill -9");
    let output = first.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let posts: u64 = stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find(|w| w[1].starts_with("posts"))
        .and_then(|w| w[0].parse().ok())
        .expect("the demo reports its post count");

    let mut second = serve(false);
    wait_until_up(port);
    let deadline = Instant::now() + Duration::from_secs(60);
    while metric(port, "kindred_search_documents") != Some(posts) {
        assert!(
            Instant::now() < deadline,
            "index never converged to {posts} posts"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        metric(port, "kindred_search_documents"),
        Some(posts),
        "duplicates appeared"
    );
    let nsclc = http_get(port, "/api/v1/search?q=nsclc&limit=100").expect("search");
    let _ = second.kill();
    let _ = second.wait();

    let rebuilt = run(kindred(&dir).arg("reindex"));
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let text = String::from_utf8_lossy(&rebuilt.stdout);
    assert!(text.contains(&format!("rebuilt: {posts} posts")), "{text}");

    let mut third = serve(false);
    wait_until_up(port);
    let again = http_get(port, "/api/v1/search?q=nsclc&limit=100").expect("search");
    let _ = third.kill();
    let _ = third.wait();
    let ids = |body: &str| {
        let page: serde_json::Value = serde_json::from_str(body).expect("json");
        let mut ids: Vec<String> = page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["post_id"].to_string())
            .collect();
        ids.sort();
        ids
    };
    assert!(!ids(&nsclc).is_empty());
    assert_eq!(
        ids(&nsclc),
        ids(&again),
        "the rebuilt index answers like the incremental one"
    );
}

#[test]
fn screen_keeps_input_order_across_batches_and_threads() {
    // More lines than one batch, so several batches and every worker thread are used.
    let total = 9_000;
    let mut input = String::new();
    for i in 0..total {
        if i % 1_000 == 999 {
            input.push_str("{broken\n");
        } else {
            let text = if i % 3 == 0 {
                "Call me on 555-014-2288 tonight."
            } else {
                "Cycle 3 done, tired but fine."
            };
            input.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"Post {i}. {text}\"}}\n"
            ));
        }
    }
    let mut child = kindred(&data_dir())
        .arg("screen")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).expect("write"));
    let output = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    assert_eq!(
        output.status.code(),
        Some(1),
        "bad lines make the exit code 1"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), total);
    for (i, line) in lines.iter().enumerate() {
        if i % 1_000 == 999 {
            assert!(
                line["id"].is_null() && line["error"].is_string(),
                "line {i}"
            );
        } else {
            assert_eq!(line["id"], i, "line {i} is answered in its place");
            let held = line["action"] == "hold";
            assert_eq!(held, i % 3 == 0, "line {i}: {line}");
        }
    }
}

#[test]
fn screen_answers_each_line_in_order_and_reports_bad_lines() {
    let mut child = kindred(&data_dir())
        .arg("screen")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let input = concat!(
        "{\"id\": \"phone\", \"text\": \"Text me on 555-014-2288 tonight\"}\n",
        "not json at all\n",
        "{\"id\": \"advert\", \"text\": \"Buy our immune booster capsules, use code HEAL20 for 20% off, DM me for prices\"}\n",
        "{\"id\": \"question\", \"text\": \"My aunt says baking soda cures cancer. Is there any truth to that?\"}\n",
    );
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(
        output.status.code(),
        Some(1),
        "a bad line makes the exit code 1"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "phone");
    assert_eq!(lines[0]["labels"], serde_json::json!(["personal_info"]));
    assert_eq!(lines[0]["action"], "hold");
    assert!(lines[1]["id"].is_null() && lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], "advert");
    assert!(lines[2]["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .any(|l| l == "promotion"));
    assert_eq!(lines[3]["action"], "allow");
    for line in [&lines[0], &lines[2], &lines[3]] {
        for label in ["promotion", "misinformation", "personal_info"] {
            let score = line["scores"][label].as_f64().expect("score");
            assert!((0.0..=1.0).contains(&score));
        }
    }
}

/// The test PostgreSQL server (`KINDRED_TEST_POSTGRES`, as for the end-to-end tests).
/// GSSAPI and TLS are off: Debian's libpq can abort a process that exits with them loaded.
fn test_postgres() -> String {
    let base = std::env::var("KINDRED_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    format!("{base}/postgres?gssencmode=disable&sslmode=disable")
}

#[test]
fn bench_search_reports_both_engines_side_by_side() {
    let output = run(kindred(&data_dir()).args([
        "bench",
        "search",
        "--posts",
        "2000",
        "--repeats",
        "5",
        "--postgres",
        &test_postgres(),
    ]));
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("corpus: 2000 posts"), "{text}");
    let indexing = |engine: &str| {
        text.lines()
            .find(|line| line.trim_start().starts_with(engine))
            .unwrap_or_else(|| panic!("no {engine} indexing line in:\n{text}"))
            .to_owned()
    };
    assert!(indexing("tantivy").contains("posts/s"));
    assert!(indexing("postgres").contains("GIN index"));
    for kind in [
        "single term",
        "two terms",
        "phrase",
        "synonym",
        "community",
        "rare term",
    ] {
        let row = text
            .lines()
            .find(|line| line.starts_with(kind))
            .unwrap_or_else(|| panic!("no {kind} row in:\n{text}"));
        // p50 and p99 for tantivy, then for PostgreSQL, then the ratio.
        assert_eq!(row.matches(" ms").count(), 4, "{row}");
        assert!(row.contains('x'), "{row}");
    }
}

#[test]
fn bench_without_postgres_exits_2_with_one_line() {
    let output = run(kindred(&data_dir()).args(["bench", "search", "--posts", "10"]));
    assert_one_line_error(&output, 2, "PostgreSQL");
}

/// A benchmark of nothing is refused before anything starts, naming the flags to fix.
#[test]
fn bench_counts_of_zero_exit_2_naming_the_flags() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["insights", "--posts", "0"],
            "--posts and --repeats must be above 0",
        ),
        (
            &["insights", "--repeats", "0"],
            "--posts and --repeats must be above 0",
        ),
        (
            &["digest", "--items", "0"],
            "--members and --items must be above 0",
        ),
        (&["mail", "--mails", "0"], "--mails must be above 0"),
        (&["post", "--seconds", "0"], "--seconds must be above 0"),
        (
            &["markdown", "--attack-secs", "0"],
            "--attack-secs must be above 0",
        ),
    ];
    for (args, needle) in cases {
        let dir = data_dir();
        let output = run(kindred(&dir).arg("bench").args(args));
        assert_one_line_error(&output, 2, needle);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn bench_ws_reports_memory_and_latency_on_one_node_and_across_two() {
    let output = run(kindred(&data_dir()).args([
        "bench",
        "ws",
        "--connections",
        "20",
        "--posts",
        "2",
        "--postgres",
        &test_postgres(),
        "--redis",
        "redis://127.0.0.1:6379",
    ]));
    assert!(output.status.success(), "stderr: {}", stderr(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("KiB per connection"), "{text}");
    let rows: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("same node") || line.contains("cross-node via Redis"))
        .collect();
    assert_eq!(rows.len(), 3, "{text}");
    // 2 then 20 subscribers on one node, 2 on the other; every reply reached everyone.
    for (row, delivered) in rows.iter().zip(["4/4", "40/40", "4/4"]) {
        assert!(row.ends_with(delivered), "{row}");
    }
}

#[test]
fn backup_and_restore_on_postgres_point_to_pg_dump_and_pg_restore() {
    let dir = data_dir();
    let postgres = "postgres://postgres@127.0.0.1:5432/unused";
    let output = run(kindred(&dir)
        .env("DATABASE_URL", postgres)
        .args(["backup", "--out"])
        .arg(dir.join("copy.db")));
    assert_one_line_error(&output, 2, "pg_dump");
    let output = run(kindred(&dir)
        .env("DATABASE_URL", postgres)
        .arg("restore")
        .arg(dir.join("copy.db")));
    assert_one_line_error(&output, 2, "pg_restore");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sqlite_backup_restores_and_never_overwrites_without_force() {
    let dir = data_dir();
    assert!(run(kindred(&dir).arg("migrate")).status.success());
    let copy = dir.join("copy.db");
    let output = run(kindred(&dir).args(["backup", "--out"]).arg(&copy));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(copy.is_file());
    let output = run(kindred(&dir).args(["backup", "--out"]).arg(&copy));
    assert_one_line_error(&output, 2, "already exists");

    let output = run(kindred(&dir).arg("restore").arg(&copy));
    assert_one_line_error(&output, 2, "--force");
    let output = run(kindred(&dir).arg("restore").arg(&copy).arg("--force"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("search index rebuilt"));

    let junk = dir.join("junk.db");
    std::fs::write(&junk, "not a database at all, just text").expect("write");
    let output = run(kindred(&dir).arg("restore").arg(&junk).arg("--force"));
    assert_one_line_error(&output, 2, "not a SQLite database");
    let _ = std::fs::remove_dir_all(&dir);
}
