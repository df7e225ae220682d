//! Typed settings, read in one place. Values come from flags or the environment (clap
//! reads both; flags win) and are checked here, so the rest of the server never sees a
//! raw configuration string.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::error::Error;

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

/// Rate limits, per node.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Failed logins allowed per username within `login_window_secs`.
    pub login_failures_per_user: u32,
    /// Failed logins allowed per client address within `login_window_secs`.
    pub login_failures_per_ip: u32,
    pub login_window_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login_failures_per_user: 5,
            login_failures_per_ip: 20,
            login_window_secs: 15 * 60,
        }
    }
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
    pub limits: Limits,
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
            if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
                return Err(Error::Config("REDIS_URL must start with redis://".into()));
            }
        }
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
            limits: Limits::default(),
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
    fn short_secrets_are_refused() {
        assert!(JwtSecret::parse("short").is_err());
        assert!(JwtSecret::parse(&"k".repeat(32)).is_ok());
    }
}
