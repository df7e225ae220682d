//! `kill -9` of a real `kindred serve` while its sender is mid-batch, on SQLite and on
//! PostgreSQL, with a real SMTP server (`.ci/smtp_sink.py`, aiosmtpd) as its own process.
//!
//! What the outbox promises, and these tests hold it to: nothing is lost, and delivery is
//! at least once. The one mail the SMTP server may have accepted just before the kill,
//! before the sender recorded it as sent, goes again after the restart (once its claim
//! lease, `KINDRED_MAIL_CLAIM_LEASE`, has run out) with the same `Message-ID`, so mail
//! programs show it once. No other mail arrives twice.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use kindred_server::config::DatabaseTarget;
use kindred_server::service::mail::{enqueue, Envelope, Rendered};
use kindred_server::store::Store;

/// Mails queued before the first start: several of the sender's batches of 20.
const MAILS: usize = 300;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// `.ci/smtp_sink.py` on a free port, writing each message it receives to `dir`.
struct Sink {
    port: u16,
    dir: PathBuf,
    child: Child,
}

impl Sink {
    fn start() -> Sink {
        let port = free_port();
        let dir =
            std::env::temp_dir().join(format!("kindred-kill-smtp-{:016x}", rand::random::<u64>()));
        let python =
            std::env::var("KINDRED_TEST_SMTP_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
        let mut child = Command::new(python)
            .arg("-u")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/smtp_sink.py"))
            .arg(port.to_string())
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start .ci/smtp_sink.py (needs python3 with aiosmtpd)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the sink's first line");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink { port, dir, child }
    }

    /// Complete messages received so far (the sink renames each into place when whole).
    fn files(&self) -> Vec<PathBuf> {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.extension().is_some_and(|x| x == "eml")
                            && !p
                                .file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many times each `Message-ID` arrived.
    fn message_ids(&self) -> BTreeMap<String, usize> {
        let mut ids = BTreeMap::new();
        for file in self.files() {
            let text = std::fs::read_to_string(&file).expect("read mail");
            let head = text.split("\r\n\r\n").next().unwrap_or_default();
            let id = head
                .lines()
                .find_map(|line| {
                    let (key, value) = line.split_once(':')?;
                    key.eq_ignore_ascii_case("Message-ID")
                        .then(|| value.trim().to_owned())
                })
                .expect("every mail has a Message-ID");
            *ids.entry(id).or_insert(0) += 1;
        }
        ids
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes `MAILS` mails into the outbox, as requests would have, before any node runs.
fn queue_mails(database_url: &str) {
    let target = DatabaseTarget::parse(database_url).expect("database URL");
    let store = Store::connect(&target, 2).expect("open the database");
    store
        .write(|conn| {
            let now = kindred_server::domain::ids::now_micros();
            for n in 0..MAILS {
                enqueue(
                    conn,
                    Envelope {
                        user_id: None,
                        kind: "password_reset",
                        to: &format!("member{n}@example.org"),
                        host: "kindred.test",
                        list_unsubscribe: None,
                    },
                    Rendered {
                        subject: "Reset your Kindred password".into(),
                        text: format!("Mail number {n}.\n"),
                        html: format!("<p>Mail number {n}.</p>"),
                    },
                    now,
                )?;
            }
            Ok(())
        })
        .expect("queue the mails");
}

fn serve(data_dir: &Path, database_url: &str, sink: &Sink) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kindred"))
        .env_clear()
        .env("KINDRED_DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("KINDRED_BIND", format!("127.0.0.1:{}", free_port()))
        .env(
            "KINDRED_SMTP_URL",
            format!("smtp://127.0.0.1:{}?tls=none", sink.port),
        )
        .env("KINDRED_MAIL_CLAIM_LEASE", "1")
        .env("RUST_LOG", "off")
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start kindred serve")
}

fn kill_mid_batch_and_restart(database_url: &str) {
    let data_dir =
        std::env::temp_dir().join(format!("kindred-kill-{:016x}", rand::random::<u64>()));
    let sink = Sink::start();
    queue_mails(database_url);

    let mut first = serve(&data_dir, database_url, &sink);
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.files().len() < 5 {
        assert!(Instant::now() < deadline, "the first node sent nothing");
        std::thread::sleep(Duration::from_millis(2));
    }
    first.kill().expect("kill -9");
    first.wait().expect("reap the killed node");
    let before_restart = sink.files().len();
    assert!(
        before_restart < MAILS,
        "the kill came after the whole outbox was sent; queue more mail"
    );

    let mut second = serve(&data_dir, database_url, &sink);
    let deadline = Instant::now() + Duration::from_secs(90);
    while sink.message_ids().len() < MAILS {
        assert!(
            Instant::now() < deadline,
            "lost mail: {} of {MAILS} arrived ({before_restart} before the kill)",
            sink.message_ids().len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Anything sent twice would arrive now.
    std::thread::sleep(Duration::from_secs(2));
    let _ = second.kill();
    let _ = second.wait();
    let _ = std::fs::remove_dir_all(&data_dir);

    let ids = sink.message_ids();
    assert_eq!(ids.len(), MAILS, "every mail arrived");
    let twice: Vec<_> = ids.iter().filter(|(_, &count)| count > 1).collect();
    assert!(
        twice.len() <= 1 && twice.iter().all(|(_, &count)| count == 2),
        "only the mail in flight at the kill may arrive again, once: {twice:?}"
    );
}

#[test]
fn kill_9_mid_batch_loses_no_mail_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("kindred-kill-db-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("data dir");
    kill_mid_batch_and_restart(&format!("sqlite://{}", dir.join("kindred.db").display()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kill_9_mid_batch_loses_no_mail_on_postgres() {
    let base = std::env::var("KINDRED_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    // GSSAPI and TLS are off: Debian's libpq can abort a process that exits with them loaded.
    let options = "?gssencmode=disable&sslmode=disable";
    let name = format!("kindred_kill_test_{:016x}", rand::random::<u64>());
    let mut admin = PgConnection::establish(&format!("{base}/postgres{options}"))
        .expect("PostgreSQL must be running for the PostgreSQL tests");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create the test database");
    kill_mid_batch_and_restart(&format!("{base}/{name}{options}"));
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
