//! `kindred bench post`: how fast ordinary members post replies, over HTTP, to a real
//! `kindred serve` child process (this same executable), on SQLite and on PostgreSQL.
//!
//! For each backend the benchmark creates a throw-away database (a file in a temporary
//! directory; a PostgreSQL database `kindred_bench_post_<random>`), and fills it in
//! this process through the store: a public community, a thread, and ordinary members —
//! screened, unlike moderators — some of whom already wrote `--histories` posts (written
//! straight into the tables, quickly) — and builds the search index, so that the server
//! does not index the history while it is timed. Then it starts the server and measures:
//!
//! 1. **One member**, once per history size: the member posts replies one after another
//!    for `--seconds`, each with its own `Idempotency-Key` as the web pages send; posts/s
//!    and the latency of each request.
//! 2. **`--members` members at once**, each on their own keep-alive connection, all
//!    replying to the same thread (the busiest case: one thread row for every writer),
//!    then each replying to a thread of their own (what the shared thread row costs).
//!
//! Beside them, in the same run and on the same server, two baselines: `GET /livez` on
//! `--members` connections (the cheapest route: what the machine gives any request
//! now), and the site admin replying alone (admins are not screened and have no trust
//! level to read: the path the old figures measured), to compare with one member.
//!
//! The clients run in this process, on the same cores as the server. Each row also gives
//! the server process's CPU time per reply (PostgreSQL's own processes not included),
//! which a busy machine changes less than the rates.

use kindred_server::service::advice::AdviceCheck;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::ws::{connect_postgres, kindred};
use crate::{millis, percentile, postgres_url_for};
use kindred_server::config::{DatabaseTarget, Limits};
use kindred_server::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, Visibility,
};
use kindred_server::domain::current_user::CurrentUser;
use kindred_server::domain::ids::{now_micros, SessionId, ThreadId};
use kindred_server::domain::post::{PostBody, ThreadTitle};
use kindred_server::domain::user::{ConditionTags, Password, SiteRole, Username};
use kindred_server::error::Error;
use kindred_server::rate_limit::AbuseLimits;
use kindred_server::screening::{self, Screened};
use kindred_server::service::accounts::{create_account, Registration};
use kindred_server::service::care::CareContext;
use kindred_server::service::communities;
use kindred_server::service::threads::{
    self, insert_post, insert_thread, Created, NewPost, PostChecks, PostDraft,
};
use kindred_server::store::{threads as thread_rows, Store};

const PASSWORD: &str = "a long benchmark passphrase";
const COMMUNITY: &str = "bench";
const BODY: &str = "Thinking of you this week. The waiting before results is the hardest part; \
I found that *planning something small* for the evening after the scan helped a little.";
/// Earlier posts written per transaction while seeding.
const SEED_BATCH: usize = 2_000;

/// What to run.
#[derive(Debug, Clone)]
pub struct PostBench {
    /// How long each measurement posts.
    pub seconds: u64,
    /// Members posting at once in the concurrent measurement.
    pub members: usize,
    /// Earlier posts of the single poster, one measurement each.
    pub histories: Vec<usize>,
    /// A `postgres://` URL of a server on which the benchmark may create a database;
    /// without it only SQLite is measured.
    pub postgres_url: Option<String>,
    /// Where the data directories go (removed afterwards).
    pub work_dir: PathBuf,
}

/// Runs the benchmark and returns the report.
pub fn run(bench: &PostBench) -> Result<String, Error> {
    let mut report = String::new();
    let dir = bench
        .work_dir
        .join(format!("kindred-bench-post-{:016x}", rand::random::<u64>()));
    let sqlite = format!("sqlite://{}", dir.join("bench.db").display());
    let outcome = measure(bench, "SQLite", &sqlite, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    report.push_str(&outcome?);
    if let Some(postgres) = &bench.postgres_url {
        let admin_url = postgres_url_for(postgres, "postgres")?;
        let database = format!("kindred_bench_post_{:08x}", rand::random::<u32>());
        let url = postgres_url_for(postgres, &database)?;
        connect_postgres(&admin_url)?.batch_execute(&format!("CREATE DATABASE {database}"))?;
        let outcome = measure(bench, "PostgreSQL", &url, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        let dropped = connect_postgres(&admin_url).and_then(|mut admin| {
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                .map_err(Error::from)
        });
        report.push_str(&outcome?);
        dropped?;
    }
    Ok(report)
}

/// Who posts: the single posters (one per history size), the concurrent members with a
/// thread each, and the admin.
struct Cast {
    thread_id: ThreadId,
    single: Vec<(usize, String)>,
    crowd: Vec<(String, ThreadId)>,
    admin: String,
}

/// What one client of a measurement does, over and over on its keep-alive connection.
#[derive(Clone)]
enum Work {
    /// `GET /livez`, the baseline.
    Livez,
    /// Replies to a thread as the user signed in with this token.
    Reply { token: String, thread_id: ThreadId },
}

fn seed(bench: &PostBench, database_url: &str, data_dir: &std::path::Path) -> Result<Cast, Error> {
    let store = Store::connect(&DatabaseTarget::parse(database_url)?, 4)?;
    let account = |name: &str, site_role: SiteRole| -> Result<CurrentUser, Error> {
        let account = create_account(
            &store,
            Registration {
                username: Username::parse(name)?,
                password: Password::parse(PASSWORD)?,
                email: None,
                display_name: None,
                site_role,
            },
        )?;
        Ok(CurrentUser {
            id: account.id,
            username: account.username,
            site_role,
            session_id: SessionId(0),
        })
    };
    let admin = account("bench_admin", SiteRole::Admin)?;
    communities::create(
        &store,
        &admin,
        communities::NewCommunity {
            slug: CommunitySlug::parse(COMMUNITY)?,
            name: CommunityText::name("Bench")?,
            description: CommunityText::description("")?,
            rules: CommunityText::rules("")?,
            kind: CommunityKind::General,
            condition_tags: ConditionTags::default(),
            visibility: Visibility::Public,
            join_policy: JoinPolicy::Open,
            listed: false,
            language: kindred_web::i18n::Lang::En,
        },
    )?;
    let screener = screening::screener()?;
    let limits = AbuseLimits::new(&Limits::default(), b"kindred bench post");
    let checks = PostChecks {
        screener: &screener,
        limits: &limits,
        care: CareContext {
            country: "US",
            public_url: "http://localhost",
            default_language: kindred_web::i18n::Lang::En,
        },
        advice: AdviceCheck::Acknowledged,
    };
    let start_thread = |title: &str| -> Result<ThreadId, Error> {
        let created: Created = threads::create(
            &store,
            &checks,
            &admin,
            COMMUNITY,
            ThreadTitle::parse(title)?,
            NewPost::plain(PostBody::parse(BODY)?),
            None,
        )?
        .parse()?;
        ThreadId::parse(&created.post.thread_id)
            .ok_or_else(|| Error::Internal("a bench thread has no id".into()))
    };
    let thread_id = start_thread("Scan days")?;
    let member = |name: &str| -> Result<CurrentUser, Error> {
        let member = account(name, SiteRole::Member)?;
        communities::join(&store, &member, COMMUNITY)?;
        Ok(member)
    };
    let mut single = Vec::new();
    for &history in &bench.histories {
        let poster = member(&format!("history_{history}"))?;
        write_history(&store, &poster, history)?;
        single.push((history, poster.username.as_str().to_owned()));
    }
    let crowd = (0..bench.members)
        .map(|i| {
            let name = member(&format!("member_{i:03}"))?
                .username
                .as_str()
                .to_owned();
            Ok((name, start_thread(&format!("Week {i}"))?))
        })
        .collect::<Result<_, Error>>()?;
    // The server's search indexer would otherwise index the whole history while the
    // replies are timed.
    kindred_server::indexer::reindex(&store, data_dir)?;
    Ok(Cast {
        thread_id,
        single,
        crowd,
        admin: admin.username.as_str().to_owned(),
    })
}

/// Writes `count` published posts by `author` in a thread of their own, through the same
/// store functions as posting (so the counters the trust level reads are right), without
/// the HTTP round trips.
fn write_history(store: &Store, author: &CurrentUser, count: usize) -> Result<(), Error> {
    if count == 0 {
        return Ok(());
    }
    let now = now_micros();
    let thread = store.write(|conn| {
        let community = kindred_server::store::communities::find_by_slug(conn, COMMUNITY)?
            .ok_or(Error::NotFound)?;
        insert_thread(
            conn,
            community.id.0,
            author.id.0,
            ThreadTitle::parse("Earlier posts")?,
            now,
        )
    })?;
    let body = PostBody::parse(BODY)?;
    let body_html = body.render_html()?;
    let mut written = 0;
    while written < count {
        let batch = SEED_BATCH.min(count - written);
        store.write(|conn| {
            let thread = thread_rows::find(conn, thread.id)?.ok_or(Error::NotFound)?;
            for _ in 0..batch {
                let draft = PostDraft {
                    body: &body,
                    body_html: body_html.clone(),
                    reply_to: None,
                };
                insert_post(conn, &thread, author.id.0, draft, &Screened::clean(), now)?;
            }
            Ok(())
        })?;
        written += batch;
    }
    Ok(())
}

/// The `kindred serve` child, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_server(database_url: &str, dir: &std::path::Path) -> Result<Server, Error> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| Error::failed("no free port", e))?
        .port();
    let log = std::fs::File::create(dir.join("serve.log"))
        .map_err(|e| Error::failed("cannot create the server's log", e))?;
    let child = kindred(&dir.join("data"), database_url)?
        .env("KINDRED_BIND", format!("127.0.0.1:{port}"))
        // The bench posts thousands of replies per member; the hourly limits would stop it.
        .env("KINDRED_POSTS_PER_HOUR", "1000000000")
        .env("KINDRED_NEW_MEMBER_POSTS_PER_HOUR", "1000000000")
        .stdout(Stdio::null())
        .stderr(log)
        .arg("serve")
        .spawn()
        .map_err(|e| Error::failed("cannot start kindred serve", e))?;
    let mut server = Server { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(mut conn) = Connection::open(port).await {
            if let Ok((200, _)) = conn.send("GET", "/livez", None, None, "").await {
                return Ok(server);
            }
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(Error::Internal(format!(
                "kindred serve exited with {status}; see {}",
                dir.join("serve.log").display()
            )));
        }
        if Instant::now() > deadline {
            return Err(Error::Internal(
                "kindred serve did not answer within a minute".into(),
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    stream: BufReader<TcpStream>,
    port: u16,
}

impl Connection {
    async fn open(port: u16) -> Result<Connection, Error> {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .map_err(|e| Error::failed("cannot connect", e))?;
        stream
            .set_nodelay(true)
            .map_err(|e| Error::failed("TCP_NODELAY", e))?;
        Ok(Connection {
            stream: BufReader::new(stream),
            port,
        })
    }

    /// Sends one request and reads the answer: its status and body.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        key: Option<&str>,
        body: &str,
    ) -> Result<(u16, String), Error> {
        let failed = |e: std::io::Error| Error::failed(format!("HTTP {method} {path}"), e);
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        if let Some(token) = bearer {
            let _ = write!(request, "Authorization: Bearer {token}\r\n");
        }
        if let Some(key) = key {
            let _ = write!(request, "Idempotency-Key: {key}\r\n");
        }
        request.push_str("\r\n");
        request.push_str(body);
        self.stream
            .get_mut()
            .write_all(request.as_bytes())
            .await
            .map_err(failed)?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await.map_err(failed)?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| Error::Internal(format!("HTTP {method} {path}: no status line")))?;
        let mut length = 0usize;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.map_err(failed)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut answer = vec![0; length];
        self.stream.read_exact(&mut answer).await.map_err(failed)?;
        Ok((status, String::from_utf8_lossy(&answer).into_owned()))
    }
}

async fn login(port: u16, username: &str) -> Result<String, Error> {
    let body = json!({"username": username, "password": PASSWORD}).to_string();
    let mut conn = Connection::open(port).await?;
    match conn
        .send("POST", "/api/v1/auth/login", None, None, &body)
        .await?
    {
        (200, text) => serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|json| json["access_token"].as_str().map(str::to_owned))
            .ok_or_else(|| Error::Internal("login answered without an access token".into())),
        (status, text) => Err(Error::Internal(format!(
            "login as {username}: {status} {text}"
        ))),
    }
}

/// Does `work` over one connection until `until`; the latency of each request.
async fn work_until(port: u16, work: Work, until: Instant) -> Result<Vec<Duration>, Error> {
    let mut conn = Connection::open(port).await?;
    let body = json!({ "body": BODY }).to_string();
    let mut latencies = Vec::new();
    while Instant::now() < until {
        let started = Instant::now();
        let (status, text) = match &work {
            Work::Livez => conn.send("GET", "/livez", None, None, "").await?,
            Work::Reply { token, thread_id } => {
                let key = format!("{:032x}", rand::random::<u128>());
                let path = format!("/api/v1/threads/{thread_id}/posts");
                conn.send("POST", &path, Some(token), Some(&key), &body)
                    .await?
            }
        };
        if !matches!(
            (&work, status),
            (Work::Livez, 200) | (Work::Reply { .. }, 201)
        ) {
            return Err(Error::Internal(format!(
                "a request answered {status}: {text}"
            )));
        }
        latencies.push(started.elapsed());
    }
    Ok(latencies)
}

/// CPU time a process has used (user and system, all threads), from /proc. The kernel
/// counts it in clock ticks of 10 ms (USER_HZ is 100 on Linux).
fn cpu_time(pid: u32) -> Result<Duration, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| Error::failed("cannot read the server's CPU time", e))?;
    let ticks: u64 = stat.rsplit_once(')').map_or(0, |(_, fields)| {
        fields
            .split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|f| f.parse::<u64>().ok())
            .sum()
    });
    Ok(Duration::from_millis(ticks * 10))
}

/// The clients of one measurement: `GET /livez` on `connections` connections, or who
/// replies to which thread.
enum Clients<'a> {
    Livez { connections: usize },
    Replies(&'a [(String, ThreadId)]),
}

/// `clients` work at once for the bench's duration; one report line.
async fn timed(
    bench: &PostBench,
    server: &Server,
    label: &str,
    clients: Clients<'_>,
) -> Result<String, Error> {
    let port = server.port;
    let mut works = Vec::new();
    match clients {
        Clients::Livez { connections } => works.resize(connections, Work::Livez),
        Clients::Replies(posters) => {
            for (name, thread_id) in posters {
                let token = login(port, name).await?;
                works.push(Work::Reply {
                    token,
                    thread_id: *thread_id,
                });
            }
        }
    }
    let cpu_before = cpu_time(server.child.id())?;
    let started = Instant::now();
    let until = started + Duration::from_secs(bench.seconds);
    let tasks: Vec<_> = works
        .into_iter()
        .map(|work| tokio::spawn(work_until(port, work, until)))
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(
            task.await
                .map_err(|e| Error::failed("a client stopped", e))??,
        );
    }
    let elapsed = started.elapsed();
    let cpu = cpu_time(server.child.id())?.saturating_sub(cpu_before);
    latencies.sort();
    Ok(format!(
        "| {label} | {} | {:.0} | {:.1} | {:.1} | {:.2} |\n",
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        millis(percentile(&latencies, 0.5)),
        millis(percentile(&latencies, 0.99)),
        millis(cpu) / latencies.len().max(1) as f64,
    ))
}

fn measure(
    bench: &PostBench,
    backend: &str,
    database_url: &str,
    dir: &std::path::Path,
) -> Result<String, Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::failed(format!("cannot create {}", dir.display()), e))?;
    let seeding = Instant::now();
    let cast = seed(bench, database_url, &dir.join("data"))?;
    let seeded_in = seeding.elapsed();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed("cannot start the runtime", e))?;
    let outcome = runtime.block_on(async {
        let server = start_server(database_url, dir).await?;
        let mut report = format!(
            "\n{backend} (seeded in {:.1} s; {} s per row)\n\n\
             | who | requests | per s | p50 ms | p99 ms | server CPU ms/request |\n\
             |---|---:|---:|---:|---:|---:|\n",
            seeded_in.as_secs_f64(),
            bench.seconds
        );
        let crowd = cast.crowd.len();
        let connections = crowd.max(1);
        let livez = format!("baseline: `GET /livez`, {connections} connections");
        let line = timed(bench, &server, &livez, Clients::Livez { connections }).await?;
        report.push_str(&line);
        for (history, name) in &cast.single {
            let label = format!("1 member, {history} earlier posts");
            let poster = [(name.clone(), cast.thread_id)];
            let line = timed(bench, &server, &label, Clients::Replies(&poster)).await?;
            report.push_str(&line);
        }
        let admin = [(cast.admin.clone(), cast.thread_id)];
        let label = "baseline: the admin (not screened), alone";
        let line = timed(bench, &server, label, Clients::Replies(&admin)).await?;
        report.push_str(&line);
        if crowd > 0 {
            let one_thread: Vec<_> = cast
                .crowd
                .iter()
                .map(|(name, _)| (name.clone(), cast.thread_id))
                .collect();
            let label = format!("{crowd} members at once, one thread");
            let line = timed(bench, &server, &label, Clients::Replies(&one_thread)).await?;
            report.push_str(&line);
            let label = format!("{crowd} members at once, a thread each");
            let line = timed(bench, &server, &label, Clients::Replies(&cast.crowd)).await?;
            report.push_str(&line);
        }
        drop(server);
        Ok::<_, Error>(report)
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    outcome
}
