//! `kindred bench ws`: websocket capacity of one node, and delivery across two.
//!
//! The benchmark runs the real server: it starts `kindred serve` child processes (this
//! same executable) on a throw-away PostgreSQL database `kindred_bench_ws_<random>` loaded with
//! the demo data, raises its own open-file limit first (the children inherit it), and
//! plays every client itself:
//!
//! 1. **Memory**: the node's RSS (`VmRSS` in /proc) before and after `connections`
//!    authenticated websockets are open and idle (each has had its `hello`); the
//!    difference divided by the count is the cost of one connection.
//! 2. **Latency on one node**: a tenth of the clients, then all of them, subscribe to
//!    one thread; a moderator replies over HTTP, and each client's arrival time of the
//!    `post.created` event is compared with the instant just before the POST was sent.
//! 3. **Across nodes** (when Redis is given): a second node on the same database and
//!    Redis holds the subscribers; the replies are posted to the first.
//!
//! The clients run in this process on the same cores as the server, so the latencies
//! include the clients' own work. The server's per-address connection limit stays as
//! configured: clients connect from many loopback addresses (127.1.x.y), 30 per address.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::json;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::client::LocalApi;
use crate::{millis, percentile, postgres_url_for, proc_status_kib};
use kindred_server::error::Error;

const JWT_SECRET: &str = "kindred-bench-ws-secret-for-both-nodes-0123456789";
/// Clients per loopback source address (the server allows 32 by default).
const CLIENTS_PER_ADDRESS: usize = 30;
/// Handshakes in flight at once while connecting.
const CONNECTING_AT_ONCE: usize = 64;
/// How long one reply may take to reach every subscriber before it counts as lost.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);
const POSTER: &str = "maria_mod";
const SUBSCRIBER: &str = "jo_caregiver";
const COMMUNITY: &str = "lung-cancer";

/// What to run.
#[derive(Debug, Clone)]
pub struct WsBench {
    /// Idle authenticated connections for the memory figure, and the largest subscriber
    /// count.
    pub connections: usize,
    /// Replies timed at each subscriber count.
    pub posts: usize,
    /// A `postgres://` URL of a server on which the benchmark may create a database.
    pub postgres_url: String,
    /// Redis for the cross-node measurement; skipped without it.
    pub redis_url: Option<String>,
    /// Where the nodes' data directories go (removed afterwards).
    pub work_dir: PathBuf,
}

/// Runs the benchmark and returns the report.
pub fn run(bench: &WsBench) -> Result<String, Error> {
    let open_files = raise_open_file_limit(bench.connections as u64 + 1_000)?;
    let admin_url = postgres_url_for(&bench.postgres_url, "postgres")?;
    let database = format!("kindred_bench_ws_{:08x}", rand::random::<u32>());
    let url = postgres_url_for(&bench.postgres_url, &database)?;
    connect_postgres(&admin_url)?.batch_execute(&format!("CREATE DATABASE {database}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed("cannot start the runtime", e))?;
    let outcome = runtime.block_on(measure(bench, &url, open_files));
    runtime.shutdown_timeout(Duration::from_secs(1));
    let dropped = connect_postgres(&admin_url).and_then(|mut admin| {
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            .map_err(Error::from)
    });
    let report = outcome?;
    dropped?;
    Ok(report)
}

pub(super) fn connect_postgres(url: &str) -> Result<PgConnection, Error> {
    PgConnection::establish(url).map_err(|e| {
        Error::Config(format!(
            "cannot connect to {}: {e}",
            kindred_server::config::DatabaseTarget::Postgres(url.to_owned()).describe()
        ))
    })
}

/// Raises the soft (and, when allowed, the hard) open-file limit to at least `wanted`;
/// returns the limit in force.
fn raise_open_file_limit(wanted: u64) -> Result<u64, Error> {
    let (soft, hard) = rlimit::Resource::NOFILE
        .get()
        .map_err(|e| Error::failed("cannot read the open-file limit", e))?;
    if soft >= wanted {
        return Ok(soft);
    }
    if hard < wanted && rlimit::Resource::NOFILE.set(wanted, wanted).is_ok() {
        return Ok(wanted);
    }
    let raised = rlimit::increase_nofile_limit(wanted)
        .map_err(|e| Error::failed("cannot raise the open-file limit", e))?;
    if raised < wanted {
        return Err(Error::Config(format!(
            "{wanted} open files are needed but the limit is {raised}: raise it (ulimit -Hn) or ask for fewer --connections"
        )));
    }
    Ok(raised)
}

/// A `kindred serve` child process, stopped when dropped.
struct Node {
    child: Child,
    port: u16,
    api: LocalApi,
    data_dir: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// This executable as `kindred` with a data directory and database, and nothing of the
/// caller's environment that would change where it listens or whom it talks to.
pub(super) fn kindred(data_dir: &std::path::Path, database_url: &str) -> Result<Command, Error> {
    let exe =
        std::env::current_exe().map_err(|e| Error::failed("cannot find this executable", e))?;
    std::fs::create_dir_all(data_dir)
        .map_err(|e| Error::failed(format!("cannot create {}", data_dir.display()), e))?;
    let mut command = Command::new(exe);
    command
        .env("KINDRED_DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("KINDRED_JWT_SECRET", JWT_SECRET)
        .env("RUST_LOG", "warn")
        .env_remove("KINDRED_BIND")
        .env_remove("KINDRED_PUBLIC_URL")
        .env_remove("REDIS_URL")
        .stdin(Stdio::null());
    Ok(command)
}

impl Node {
    async fn start(
        bench: &WsBench,
        database_url: &str,
        name: &str,
        redis: bool,
    ) -> Result<Node, Error> {
        let data_dir = bench.work_dir.join(format!(
            "kindred-bench-ws-{name}-{:016x}",
            rand::random::<u64>()
        ));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| Error::failed("no free port", e))?
            .port();
        let log =
            std::fs::File::create(bench.work_dir.join(format!("kindred-bench-ws-{name}.log")))
                .map_err(|e| Error::failed("cannot create the node's log", e))?;
        let mut command = kindred(&data_dir, database_url)?;
        command
            .env("KINDRED_BIND", format!("127.0.0.1:{port}"))
            .env(
                "KINDRED_WS_MAX_CONNECTIONS",
                (bench.connections + 100).to_string(),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .arg("serve");
        if let (true, Some(redis)) = (redis, &bench.redis_url) {
            command.env("REDIS_URL", redis);
        }
        let child = command
            .spawn()
            .map_err(|e| Error::failed("cannot start kindred serve", e))?;
        let mut node = Node {
            child,
            port,
            api: LocalApi::new(port)?,
            data_dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok((200, _)) = node.api.send(Method::GET, "/livez", None, None).await {
                return Ok(node);
            }
            if let Ok(Some(status)) = node.child.try_wait() {
                return Err(Error::Internal(format!(
                    "node {name} exited with {status}; see {}/kindred-bench-ws-{name}.log",
                    bench.work_dir.display()
                )));
            }
            if Instant::now() > deadline {
                return Err(Error::Internal(format!(
                    "node {name} did not answer within a minute"
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn rss_kib(&self) -> Result<u64, Error> {
        proc_status_kib(self.child.id(), "VmRSS")
            .ok_or_else(|| Error::Internal("cannot read the node's VmRSS".into()))
    }
}

/// A loopback source address for client number `index`, so that no address exceeds the
/// server's per-address limit.
fn source_address(index: usize) -> std::net::SocketAddr {
    let group = index / CLIENTS_PER_ADDRESS;
    let ip = std::net::Ipv4Addr::new(127, 1, (group / 250) as u8, (group % 250 + 1) as u8);
    (ip, 0).into()
}

async fn open_client(
    port: u16,
    index: usize,
    token: &str,
) -> Result<WebSocketStream<TcpStream>, Error> {
    let failed =
        |e: Box<dyn std::error::Error + Send + Sync>| Error::failed(format!("client {index}"), e);
    let mut request = format!("ws://127.0.0.1:{port}/api/v1/ws")
        .into_client_request()
        .map_err(|e| failed(e.into()))?;
    let bearer = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|e| failed(e.into()))?;
    request.headers_mut().insert("authorization", bearer);
    let socket = TcpSocket::new_v4().map_err(|e| failed(e.into()))?;
    socket
        .bind(source_address(index))
        .map_err(|e| failed(e.into()))?;
    let stream = socket
        .connect(([127, 0, 0, 1], port).into())
        .await
        .map_err(|e| failed(e.into()))?;
    let (mut socket, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .map_err(|e| failed(e.into()))?;
    match socket.next().await {
        Some(Ok(Message::Text(text))) if text.contains("\"type\":\"hello\"") => Ok(socket),
        other => Err(failed(format!("expected hello, got {other:?}").into())),
    }
}

/// Clients of one node, each in its own task.
struct Clients {
    tasks: Vec<JoinHandle<()>>,
    /// Clients whose index is below this value subscribe to the thread.
    subscribe_below: watch::Sender<usize>,
    subscribed: mpsc::UnboundedReceiver<()>,
    subscribed_so_far: usize,
    arrivals: mpsc::UnboundedReceiver<Instant>,
}

impl Drop for Clients {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Clients {
    async fn open(port: u16, count: usize, token: &str, topic: &str) -> Result<Clients, Error> {
        let (subscribe_below, watch_rx) = watch::channel(0);
        let (subscribed_tx, subscribed) = mpsc::unbounded_channel();
        let (arrivals_tx, arrivals) = mpsc::unbounded_channel();
        // Each client reads from the moment it is open: on a loaded machine opening them
        // all can outlast the server's idle timeout, and a client that does not answer
        // the server's pings meanwhile is closed.
        let mut sockets = futures_util::stream::iter(0..count)
            .map(|index| open_client(port, index, token))
            .buffered(CONNECTING_AT_ONCE)
            .enumerate();
        let subscribe = Arc::<str>::from(json!({"type": "subscribe", "topic": topic}).to_string());
        let mut tasks = Vec::with_capacity(count);
        while let Some((index, socket)) = sockets.next().await {
            tasks.push(tokio::spawn(client(
                socket?,
                index,
                subscribe.clone(),
                watch_rx.clone(),
                subscribed_tx.clone(),
                arrivals_tx.clone(),
            )));
        }
        Ok(Clients {
            tasks,
            subscribe_below,
            subscribed,
            subscribed_so_far: 0,
            arrivals,
        })
    }

    /// Subscribes the first `count` clients and waits for the server's confirmations.
    async fn subscribe_first(&mut self, count: usize) -> Result<(), Error> {
        self.subscribe_below.send_replace(count);
        while self.subscribed_so_far < count {
            tokio::time::timeout(DELIVERY_TIMEOUT, self.subscribed.recv())
                .await
                .ok()
                .flatten()
                .ok_or_else(|| {
                    Error::Internal(format!(
                        "only {} of {count} subscriptions were confirmed",
                        self.subscribed_so_far
                    ))
                })?;
            self.subscribed_so_far += 1;
        }
        Ok(())
    }
}

/// One client: subscribes when told to, reports confirmations and event arrivals.
async fn client(
    mut socket: WebSocketStream<TcpStream>,
    index: usize,
    subscribe: Arc<str>,
    mut subscribe_below: watch::Receiver<usize>,
    subscribed: mpsc::UnboundedSender<()>,
    arrivals: mpsc::UnboundedSender<Instant>,
) {
    let mut asked = false;
    loop {
        if !asked && *subscribe_below.borrow_and_update() > index {
            asked = true;
            if socket.send(Message::text(&*subscribe)).await.is_err() {
                return;
            }
        }
        tokio::select! {
            message = socket.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    if text.contains("\"kind\":\"post.created\"") {
                        let _ = arrivals.send(Instant::now());
                    } else if text.contains("\"type\":\"subscribed\"") {
                        let _ = subscribed.send(());
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return,
            },
            changed = subscribe_below.changed(), if !asked => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}

/// Post → delivery latencies of `posts` replies to `subscribers` subscribed clients.
struct Latency {
    p50: Duration,
    p99: Duration,
    max: Duration,
    delivered: usize,
    expected: usize,
}

async fn time_replies(
    api: &LocalApi,
    token: &str,
    thread: &str,
    clients: &mut Clients,
    subscribers: usize,
    posts: usize,
) -> Result<Latency, Error> {
    let mut times = Vec::with_capacity(subscribers * posts);
    let path = format!("/api/v1/threads/{thread}/posts");
    for number in 0..posts {
        while clients.arrivals.try_recv().is_ok() {}
        let body = json!({"body": format!("Benchmark reply {number}: thinking of you all today.")});
        let sent = Instant::now();
        let (status, json) = api
            .send(Method::POST, &path, Some(token), Some(&body))
            .await?;
        if status != 201 {
            return Err(Error::Internal(format!("reply refused: {status} {json}")));
        }
        let deadline = tokio::time::Instant::now() + DELIVERY_TIMEOUT;
        for _ in 0..subscribers {
            match tokio::time::timeout_at(deadline, clients.arrivals.recv()).await {
                Ok(Some(arrived)) => times.push(arrived.saturating_duration_since(sent)),
                _ => break,
            }
        }
    }
    times.sort_unstable();
    Ok(Latency {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        max: percentile(&times, 1.0),
        delivered: times.len(),
        expected: subscribers * posts,
    })
}

fn latency_line(report: &mut String, subscribers: usize, path: &str, latency: &Latency) {
    let _ = writeln!(
        report,
        "{:>11}  {:<22} {:>9.1} {:>9.1} {:>9.1} {:>8}/{}",
        subscribers,
        path,
        millis(latency.p50),
        millis(latency.p99),
        millis(latency.max),
        latency.delivered,
        latency.expected
    );
}

/// For comparison with a websocket: what a fresh node holds for each of `connections`
/// TCP connections that have sent nothing yet (actix-http's per-connection dispatcher
/// and buffers, before any request or websocket code runs). They are opened all at once
/// and measured before the server's 10-second request timeout closes them.
async fn idle_http_memory(bench: &WsBench, database_url: &str) -> Result<String, Error> {
    let node = Node::start(bench, database_url, "idle", false).await?;
    let before = node.rss_kib()?;
    let mut sockets = Vec::with_capacity(bench.connections);
    for index in 0..bench.connections {
        let socket = TcpSocket::new_v4().map_err(|e| Error::failed("idle socket", e))?;
        socket
            .bind(source_address(index))
            .map_err(|e| Error::failed("idle socket", e))?;
        let stream = socket
            .connect(([127, 0, 0, 1], node.port).into())
            .await
            .map_err(|e| Error::failed("idle socket", e))?;
        sockets.push(stream);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = node.rss_kib()?;
    let n = bench.connections;
    Ok(format!(
        "for comparison: another node's RSS {:.1} MiB before, {:.1} MiB with {n} idle TCP \
         connections that sent nothing = {:.1} KiB per connection",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        after.saturating_sub(before) as f64 / n as f64
    ))
}

async fn measure(bench: &WsBench, database_url: &str, open_files: u64) -> Result<String, Error> {
    let seed_dir = bench.work_dir.join(format!(
        "kindred-bench-ws-seed-{:016x}",
        rand::random::<u64>()
    ));
    let seeded = kindred(&seed_dir, database_url)?
        .arg("seed")
        .stdout(Stdio::null())
        .output()
        .map_err(|e| Error::failed("cannot run kindred seed", e));
    let _ = std::fs::remove_dir_all(&seed_dir);
    let seeded = seeded?;
    if !seeded.status.success() {
        return Err(Error::Internal(format!(
            "kindred seed failed: {}",
            String::from_utf8_lossy(&seeded.stderr).trim()
        )));
    }

    let redis = bench.redis_url.is_some();
    let node_a = Node::start(bench, database_url, "a", redis).await?;
    let poster = node_a.api.login(POSTER).await?;
    let subscriber = node_a.api.login(SUBSCRIBER).await?;
    let (_, threads) = node_a
        .api
        .send(
            Method::GET,
            &format!("/api/v1/communities/{COMMUNITY}/threads?limit=1"),
            None,
            None,
        )
        .await?;
    let thread = threads["items"][0]["id"]
        .as_str()
        .ok_or_else(|| Error::Internal(format!("no thread in {COMMUNITY}: {threads}")))?
        .to_owned();
    let topic = format!("thread:{thread}");

    let mut report = String::new();
    let n = bench.connections;
    let _ = writeln!(
        report,
        "setup: kindred serve on PostgreSQL (demo data){}, open-file limit {open_files}, \
         clients in this process over {} loopback addresses",
        if redis { " with Redis" } else { ", no Redis" },
        n.div_ceil(CLIENTS_PER_ADDRESS)
    );

    // First, on a node of its own, so that its sockets are closed before the clients open.
    let idle_http = idle_http_memory(bench, database_url).await?;
    let before = node_a.rss_kib()?;
    let started = Instant::now();
    let mut clients = Clients::open(node_a.port, n, &subscriber, &topic).await?;
    let connecting = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = node_a.rss_kib()?;
    let per_connection = after.saturating_sub(before) as f64 / n as f64;
    let _ = writeln!(
        report,
        "memory: node RSS {:.1} MiB before, {:.1} MiB with {n} idle authenticated connections \
         = {per_connection:.1} KiB per connection (opened in {:.1} s, {:.0}/s)",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        connecting.as_secs_f64(),
        n as f64 / connecting.as_secs_f64()
    );

    let _ = writeln!(report, "{idle_http}");

    let _ = writeln!(
        report,
        "latency: post -> delivery of post.created on {topic}, {} replies each, clock started \
         just before the POST is sent",
        bench.posts
    );
    let _ = writeln!(
        report,
        "{:>11}  {:<22} {:>9} {:>9} {:>9} {:>8}",
        "subscribers", "path", "p50 ms", "p99 ms", "max ms", "delivered"
    );
    let mut steps = vec![(n / 10).max(1), n];
    steps.dedup();
    for &subscribers in &steps {
        clients.subscribe_first(subscribers).await?;
        let latency = time_replies(
            &node_a.api,
            &poster,
            &thread,
            &mut clients,
            subscribers,
            bench.posts,
        )
        .await?;
        latency_line(&mut report, subscribers, "same node", &latency);
    }
    drop(clients);

    if redis {
        let node_b = Node::start(bench, database_url, "b", true).await?;
        let subscribers = (n / 10).max(1);
        let mut clients = Clients::open(node_b.port, subscribers, &subscriber, &topic).await?;
        clients.subscribe_first(subscribers).await?;
        let latency = time_replies(
            &node_a.api,
            &poster,
            &thread,
            &mut clients,
            subscribers,
            bench.posts,
        )
        .await?;
        latency_line(&mut report, subscribers, "cross-node via Redis", &latency);
    } else {
        report.push_str("cross-node: skipped (no --redis and no REDIS_URL)\n");
    }
    Ok(report)
}
