//! Typed settings, read in one place. Values come from flags or the environment (clap
//! reads both; flags win) and are checked here, so the rest of the server never sees a
//! raw configuration string.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;

use crate::error::Error;

pub mod care;
mod mail;
pub use mail::{MailSettings, MailTransport, SmtpSecurity, SmtpUrl};

/// What an operator may set, before checking. Every field is optional.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigInput {
    /// Directory for the SQLite database, the generated JWT secret and other local state.
    #[arg(long, env = "KINDRED_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://PATH` (default: `sqlite://$KINDRED_DATA_DIR/kindred.db`) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "KINDRED_BIND", global = true)]
    pub bind: Option<String>,
    /// The URL members use to reach this server (default: `http://$KINDRED_BIND`).
    #[arg(long, env = "KINDRED_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Secret for signing access tokens, at least 32 bytes. Generated and stored in the
    /// data directory when unset; set it explicitly when running several nodes.
    #[arg(
        long,
        env = "KINDRED_JWT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub jwt_secret: Option<String>,
    /// Redis for fanning realtime events out between nodes (optional).
    #[arg(long, env = "REDIS_URL", global = true, hide_env_values = true)]
    pub redis_url: Option<String>,
    /// Extra origins (comma-separated, like `https://app.example.org`) whose pages may open
    /// the websocket; the public URL's origin is always allowed.
    #[arg(long, env = "KINDRED_WS_ORIGINS", global = true)]
    pub ws_origins: Option<String>,
    /// Most websocket connections this node holds at once (default 20000); past it, new
    /// upgrades are refused with 503 so the node keeps serving the ones it has.
    #[arg(long, env = "KINDRED_WS_MAX_CONNECTIONS", global = true)]
    pub ws_max_connections: Option<String>,
    /// Seconds a request waits for a database connection before answering 503 (default 2).
    #[arg(long, env = "KINDRED_DB_POOL_TIMEOUT", global = true)]
    pub db_pool_timeout: Option<String>,
    /// Seconds one PostgreSQL statement (or an idle transaction) may take before the
    /// server cancels it (default 5).
    #[arg(long, env = "KINDRED_DB_STATEMENT_TIMEOUT", global = true)]
    pub db_statement_timeout: Option<String>,
    /// Threads and replies a member may post per hour (default 120; 20 for a new member,
    /// see KINDRED_NEW_MEMBER_POSTS_PER_HOUR).
    #[arg(long, env = "KINDRED_POSTS_PER_HOUR", global = true)]
    pub posts_per_hour: Option<String>,
    /// Threads and replies a new member (trust level 0) may post per hour (default 20).
    #[arg(long, env = "KINDRED_NEW_MEMBER_POSTS_PER_HOUR", global = true)]
    pub new_member_posts_per_hour: Option<String>,
    /// Where mail goes: `smtp://user:pass@host:587` (STARTTLS required), `smtps://…:465`
    /// (implicit TLS) or `smtp://host:25?tls=none` (a local relay, no TLS). Unset, mail is
    /// written as `.eml` files under `$KINDRED_DATA_DIR/mail/`.
    #[arg(long, env = "KINDRED_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of every mail, like `Kindred <no-reply@example.org>` (default:
    /// `Kindred <no-reply@HOST>` with the public URL's host).
    #[arg(long, env = "KINDRED_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,
    /// `true`: new members must open a link mailed to their address before they may post
    /// or join (default `false`).
    #[arg(long, env = "KINDRED_REQUIRE_EMAIL_VERIFICATION", global = true)]
    pub require_email_verification: Option<String>,
    /// Seconds a sender owns the mail it claimed (default 120). A node that dies mid-batch
    /// leaves its claimed mail to be sent by any node once this has passed; it must be
    /// longer than the slowest SMTP exchange, or a slow mail may go twice.
    #[arg(long, env = "KINDRED_MAIL_CLAIM_LEASE", global = true)]
    pub mail_claim_lease: Option<String>,
    /// The country whose crisis lines a member at risk sees (ISO code, default `US`; see
    /// `seed-data/care/resources.toml`).
    #[arg(long, env = "KINDRED_CARE_COUNTRY", global = true)]
    pub care_country: Option<String>,
    /// The interface language for a reader who chose none and whose browser asks for none
    /// Kindred speaks (`en` or `es`, default `en`).
    #[arg(long, env = "KINDRED_DEFAULT_LANGUAGE", global = true)]
    pub default_language: Option<String>,
}

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseTarget {
    pub fn parse(url: &str) -> Result<DatabaseTarget, Error> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(Error::Config(
                    "DATABASE_URL: sqlite:// needs a file path".into(),
                ));
            }
            return Ok(DatabaseTarget::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseTarget::Postgres(url.to_owned()));
        }
        Err(Error::Config(
            "DATABASE_URL must start with sqlite:// or postgres://".into(),
        ))
    }

    /// A description for messages, without any password the URL may carry.
    pub fn describe(&self) -> String {
        match self {
            DatabaseTarget::Sqlite(path) => format!("SQLite database {}", path.display()),
            DatabaseTarget::Postgres(url) => {
                let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
                let host_part = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                let host = host_part.split(['/', '?']).next().unwrap_or_default();
                format!("PostgreSQL at {host}")
            }
        }
    }
}

impl std::fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// How long the database may take before a request gives up on it.
#[derive(Debug, Clone, Copy)]
pub struct DbTimeouts {
    /// Waiting for a pooled connection (`KINDRED_DB_POOL_TIMEOUT`).
    pub pool_checkout: Duration,
    /// One statement, and a transaction left idle, on PostgreSQL
    /// (`KINDRED_DB_STATEMENT_TIMEOUT`). SQLite waits for its lock at most 5 s instead.
    pub statement: Duration,
}

impl Default for DbTimeouts {
    fn default() -> Self {
        DbTimeouts {
            pool_checkout: Duration::from_secs(2),
            statement: Duration::from_secs(5),
        }
    }
}

/// Rate limits, counted in the database so that all nodes share them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failed logins one client may make on one account within `login_window_secs`.
    pub login_failures_per_user: u32,
    /// Failed logins on one account, from anywhere, after which every attempt on it waits
    /// a moment (a right password is never refused for others' failures).
    pub login_failures_per_account_slowdown: u32,
    /// Failed logins allowed per client address within `login_window_secs`.
    pub login_failures_per_ip: u32,
    pub login_window_secs: u64,
    /// Accounts created per client address per hour (a clinic's shared connection
    /// registering a group of patients stays well under it).
    pub registrations_per_hour_per_ip: u32,
    /// Threads and replies per member per hour, from trust level 1.
    pub posts_per_hour: u32,
    /// Threads and replies per hour for a new member (trust level 0).
    pub posts_per_hour_new_member: u32,
    /// Reports per member per hour.
    pub reports_per_hour: u32,
    /// Markdown previews per member per minute.
    pub previews_per_minute: u32,
    /// Reactions added or taken back per member per hour.
    pub reactions_per_hour: u32,
    /// `@mention` suggestions asked per member per minute (one per pause in typing).
    pub suggestions_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login_failures_per_user: 5,
            login_failures_per_account_slowdown: 10,
            login_failures_per_ip: 20,
            login_window_secs: 15 * 60,
            registrations_per_hour_per_ip: 20,
            posts_per_hour: 120,
            posts_per_hour_new_member: 20,
            reports_per_hour: 30,
            previews_per_minute: 30,
            reactions_per_hour: 300,
            suggestions_per_minute: 120,
        }
    }
}

/// The websocket endpoint's limits and the event tail's timing, per node. Only
/// `allowed_origins` and `max_connections` come from the environment; tests adjust the
/// rest.
#[derive(Debug, Clone)]
pub struct RealtimeSettings {
    /// Origins (`scheme://host[:port]`, lowercase, no default port) allowed to open the
    /// websocket from a browser: the public URL's, then `KINDRED_WS_ORIGINS`.
    pub allowed_origins: Vec<String>,
    /// Redis pub/sub channel on which nodes announce new events.
    pub redis_channel: String,
    /// How often the server pings a connection.
    pub heartbeat_interval: Duration,
    /// A connection that sends nothing (not even a pong) for this long is closed.
    pub idle_timeout: Duration,
    /// Largest frame or message accepted from a client.
    pub max_frame_bytes: usize,
    pub max_subscriptions: usize,
    pub max_connections_per_ip: usize,
    /// Open websockets on this node, all addresses together.
    pub max_connections: usize,
    /// Messages waiting to be written to one client; a client that lets it fill is
    /// disconnected as too slow.
    pub outbound_queue: usize,
    /// Malformed or rate-limited messages tolerated before the connection is closed.
    pub max_invalid_messages: u32,
    /// Client messages per second (sustained) and burst.
    pub messages_per_second: u32,
    pub message_burst: u32,
    /// How often the event tail reads the database when nothing woke it: without Redis
    /// (or while Redis is unreachable), and as a safety net while Redis is connected.
    pub poll_interval: Duration,
    pub redis_poll_interval: Duration,
    /// How long the tail holds back events above a missing id (a PostgreSQL transaction
    /// that took its id earlier but has not committed yet) before giving up on it.
    pub gap_wait: Duration,
    /// `resume` replays at most this many events and this far back; beyond, `resync`.
    pub resume_max_events: i64,
    pub resume_max_age: Duration,
}

impl RealtimeSettings {
    const DEFAULT_MAX_CONNECTIONS: usize = 20_000;

    fn new(allowed_origins: Vec<String>) -> RealtimeSettings {
        RealtimeSettings {
            allowed_origins,
            redis_channel: "kindred:events".into(),
            heartbeat_interval: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(90),
            max_frame_bytes: 16 * 1024,
            max_subscriptions: 100,
            max_connections_per_ip: 32,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            outbound_queue: 256,
            max_invalid_messages: 10,
            messages_per_second: 20,
            message_burst: 40,
            poll_interval: Duration::from_millis(250),
            redis_poll_interval: Duration::from_secs(2),
            gap_wait: Duration::from_secs(3),
            resume_max_events: 5000,
            resume_max_age: Duration::from_secs(24 * 60 * 60),
        }
    }

    /// Whether a browser page from `origin` may open the websocket.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        normalize_origin(origin).is_some_and(|o| self.allowed_origins.contains(&o))
    }
}

/// `scheme://host[:port]` of an http(s) URL, lowercase, without a default port or path;
/// `None` for anything else (including the `null` origin).
pub fn normalize_origin(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    let default_port = match scheme {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Some(format!("{scheme}://{authority}"))
}

/// A positive number of seconds (fractions allowed), or `default` when unset.
fn seconds(name: &str, raw: Option<&str>, default: Duration) -> Result<Duration, Error> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            Error::Config(format!(
                "{name}: {raw:?} is not a number of seconds between 0 and 3600"
            ))
        })
}

/// A count from the environment: a whole number from 1 to a billion.
fn count(name: &str, raw: Option<&str>, default: u32) -> Result<u32, Error> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=1_000_000_000).contains(n))
        .ok_or_else(|| {
            Error::Config(format!(
                "{name}: {raw:?} is not a whole number between 1 and 1000000000"
            ))
        })
}

/// Checked settings.
#[derive(Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database: DatabaseTarget,
    pub bind: SocketAddr,
    pub public_url: String,
    pub jwt_secret: JwtSecret,
    pub redis_url: Option<String>,
    pub pool_size: u32,
    pub db_timeouts: DbTimeouts,
    pub limits: Limits,
    pub realtime: RealtimeSettings,
    pub mail: MailSettings,
    /// `KINDRED_CARE_COUNTRY`, an upper-case code that `seed-data/care/resources.toml` has.
    pub care_country: String,
    /// `KINDRED_DEFAULT_LANGUAGE`: the last choice of a reader's language.
    pub default_language: kindred_web::i18n::Lang,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field("database", &self.database)
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("redis", &self.redis_url.is_some())
            .finish_non_exhaustive()
    }
}

/// The key for access tokens. Never printed.
#[derive(Clone)]
pub struct JwtSecret(Vec<u8>);

impl JwtSecret {
    const MIN_BYTES: usize = 32;

    pub fn parse(raw: &str) -> Result<JwtSecret, Error> {
        if raw.len() < Self::MIN_BYTES {
            return Err(Error::Config(format!(
                "KINDRED_JWT_SECRET must be at least {} bytes",
                Self::MIN_BYTES
            )));
        }
        Ok(JwtSecret(raw.as_bytes().to_vec()))
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Reads the secret stored in the data directory, creating it (mode 0600) the first time.
    fn load_or_create(data_dir: &Path) -> Result<JwtSecret, Error> {
        let path = data_dir.join("jwt-secret");
        match std::fs::read_to_string(&path) {
            Ok(stored) => return JwtSecret::parse(stored.trim()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Config(format!(
                    "cannot read {}: {e}",
                    path.display()
                )))
            }
        }
        let mut bytes = [0u8; 48];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
        let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let write = options
            .open(&path)
            .and_then(|mut file| file.write_all(secret.as_bytes()));
        write.map_err(|e| Error::Config(format!("cannot write {}: {e}", path.display())))?;
        JwtSecret::parse(&secret)
    }
}

impl Settings {
    pub fn load(input: ConfigInput) -> Result<Settings, Error> {
        let data_dir = input.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            Error::Config(format!(
                "KINDRED_DATA_DIR: cannot create {}: {e}",
                data_dir.display()
            ))
        })?;
        let database = match input.database_url.as_deref() {
            Some(url) => DatabaseTarget::parse(url)?,
            None => DatabaseTarget::Sqlite(data_dir.join("kindred.db")),
        };
        let bind_text = input.bind.unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.parse().map_err(|_| {
            Error::Config(format!(
                "KINDRED_BIND: {bind_text:?} is not an address like 127.0.0.1:8080"
            ))
        })?;
        let public_url = match input.public_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_owned()
            }
            Some(url) => {
                return Err(Error::Config(format!(
                    "KINDRED_PUBLIC_URL: {url:?} must start with http:// or https://"
                )))
            }
            None => format!("http://{bind}"),
        };
        let jwt_secret = match input.jwt_secret.as_deref() {
            Some(raw) => JwtSecret::parse(raw)?,
            None => JwtSecret::load_or_create(&data_dir)?,
        };
        if let Some(url) = &input.redis_url {
            if url.starts_with("rediss://") {
                return Err(Error::Config(
                    "REDIS_URL: rediss:// (TLS) is not supported; use redis://".into(),
                ));
            }
            if !url.starts_with("redis://") {
                return Err(Error::Config("REDIS_URL must start with redis://".into()));
            }
        }
        let mut allowed_origins = vec![normalize_origin(&public_url).ok_or_else(|| {
            Error::Config(format!(
                "KINDRED_PUBLIC_URL: {public_url:?} has no usable host"
            ))
        })?];
        for raw in input.ws_origins.as_deref().unwrap_or_default().split(',') {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let origin = normalize_origin(raw).ok_or_else(|| {
                Error::Config(format!(
                    "KINDRED_WS_ORIGINS: {raw:?} is not an origin like https://app.example.org"
                ))
            })?;
            if !allowed_origins.contains(&origin) {
                allowed_origins.push(origin);
            }
        }
        let mut realtime = RealtimeSettings::new(allowed_origins);
        if let Some(raw) = input.ws_max_connections.as_deref() {
            realtime.max_connections = raw
                .trim()
                .parse()
                .ok()
                .filter(|&n: &usize| n > 0)
                .ok_or_else(|| {
                    Error::Config(format!(
                        "KINDRED_WS_MAX_CONNECTIONS: {raw:?} is not a positive number"
                    ))
                })?;
        }
        let defaults = DbTimeouts::default();
        let db_timeouts = DbTimeouts {
            pool_checkout: seconds(
                "KINDRED_DB_POOL_TIMEOUT",
                input.db_pool_timeout.as_deref(),
                defaults.pool_checkout,
            )?,
            statement: seconds(
                "KINDRED_DB_STATEMENT_TIMEOUT",
                input.db_statement_timeout.as_deref(),
                defaults.statement,
            )?,
        };
        let mut mail = MailSettings::load(
            input.smtp_url.as_deref(),
            input.mail_from.as_deref(),
            input.require_email_verification.as_deref(),
            &data_dir,
            &public_url,
        )?;
        mail.claim_lease = seconds(
            "KINDRED_MAIL_CLAIM_LEASE",
            input.mail_claim_lease.as_deref(),
            mail.claim_lease,
        )?;
        let pool_size = match database {
            DatabaseTarget::Sqlite(_) => 8,
            DatabaseTarget::Postgres(_) => 16,
        };
        Ok(Settings {
            data_dir,
            database,
            bind,
            public_url,
            jwt_secret,
            redis_url: input.redis_url,
            pool_size,
            db_timeouts,
            limits: Limits {
                posts_per_hour: count(
                    "KINDRED_POSTS_PER_HOUR",
                    input.posts_per_hour.as_deref(),
                    Limits::default().posts_per_hour,
                )?,
                posts_per_hour_new_member: count(
                    "KINDRED_NEW_MEMBER_POSTS_PER_HOUR",
                    input.new_member_posts_per_hour.as_deref(),
                    Limits::default().posts_per_hour_new_member,
                )?,
                ..Limits::default()
            },
            realtime,
            mail,
            care_country: care::parse_country(input.care_country.as_deref())?,
            default_language: match input.default_language.as_deref() {
                None | Some("") => kindred_web::i18n::Lang::En,
                Some(code) => kindred_web::i18n::Lang::parse(code).ok_or_else(|| {
                    Error::Config(format!(
                        "KINDRED_DEFAULT_LANGUAGE: {code:?} is not one of en, es"
                    ))
                })?,
            },
        })
    }

    /// Whether cookies must be marked `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        assert!(matches!(
            DatabaseTarget::parse("sqlite://data/k.db"),
            Ok(DatabaseTarget::Sqlite(_))
        ));
        assert!(matches!(
            DatabaseTarget::parse("postgres://u:p@h/db"),
            Ok(DatabaseTarget::Postgres(_))
        ));
        assert!(DatabaseTarget::parse("mysql://h/db").is_err());
        let described =
            DatabaseTarget::Postgres("postgres://user:hunter2@db.example:5432/k".into()).describe();
        assert_eq!(described, "PostgreSQL at db.example:5432");
    }

    #[test]
    fn origins_are_normalized() {
        let check = |raw: &str| normalize_origin(raw);
        assert_eq!(
            check("https://Forum.Example.org/path?q"),
            Some("https://forum.example.org".into())
        );
        assert_eq!(
            check("https://forum.example.org:443"),
            Some("https://forum.example.org".into())
        );
        assert_eq!(
            check("http://127.0.0.1:8080/"),
            Some("http://127.0.0.1:8080".into())
        );
        assert_eq!(check("null"), None);
        assert_eq!(check("file:///etc"), None);
        assert_eq!(check("https://user@evil.example"), None);
        let settings = RealtimeSettings::new(vec!["https://forum.example.org".into()]);
        assert!(settings.origin_allowed("https://forum.example.org"));
        assert!(!settings.origin_allowed("https://forum.example.org.evil.example"));
        assert!(!settings.origin_allowed("http://forum.example.org"));
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        let default = Duration::from_secs(2);
        assert_eq!(seconds("T", None, default).ok(), Some(default));
        assert_eq!(
            seconds("T", Some("0.5"), default).ok(),
            Some(Duration::from_millis(500))
        );
        for bad in ["0", "-1", "soon", "NaN", "99999"] {
            assert!(seconds("T", Some(bad), default).is_err(), "{bad}");
        }
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtSecret::parse("short").is_err());
        assert!(JwtSecret::parse(&"k".repeat(32)).is_ok());
    }
}
