//! SMTP connections the sender opens itself (plain and STARTTLS), instead of through
//! lettre's transport, for one reason: lettre 0.11.23 leaves Nagle's algorithm on, and it
//! writes a message's body and its closing `\r\n.\r\n` as two small writes, so every mail
//! waited for the server's delayed ACK (~40 ms on Linux; BENCHMARKS.md, "Mail"). Here the
//! socket has `TCP_NODELAY`, and one connection carries a whole batch.
//!
//! Implicit TLS (`smtps://`) still goes through lettre's transport: lettre offers no way to
//! wrap a socket we opened in TLS before the server's greeting.

use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Message;

use crate::config::{SmtpSecurity, SmtpUrl};

/// How a failed exchange should be treated.
pub(super) enum SendError {
    /// The server refused this mail for good (a 5xx reply to it).
    Permanent(String),
    /// Anything else: the connection, a timeout, a 4xx reply.
    Transient(String),
}

/// Opens connections to one SMTP server.
#[derive(Clone)]
pub(super) struct SmtpClient {
    host: String,
    port: u16,
    /// `Some` for STARTTLS, which is then required.
    starttls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    timeout: Duration,
    hello: ClientId,
}

impl SmtpClient {
    /// `None` for implicit TLS, which this client does not do.
    pub(super) fn new(
        url: &SmtpUrl,
        starttls: Option<TlsParameters>,
        timeout: Duration,
    ) -> Option<SmtpClient> {
        if url.security == SmtpSecurity::Implicit {
            return None;
        }
        let credentials = match (&url.user, url.password()) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.into())),
            _ => None,
        };
        Some(SmtpClient {
            host: url.host.clone(),
            port: url.port,
            starttls,
            credentials,
            timeout,
            hello: ClientId::default(),
        })
    }

    /// A connection ready to send: greeted, upgraded to TLS and signed in as configured.
    pub(super) async fn connect(&self) -> Result<SmtpSession, String> {
        tokio::time::timeout(self.timeout, self.open())
            .await
            .map_err(|_| format!("no answer from {}:{} in time", self.host, self.port))?
    }

    async fn open(&self) -> Result<SmtpSession, String> {
        let tcp = tokio::net::TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("connection to {}:{}: {e}", self.host, self.port))?;
        tcp.set_nodelay(true)
            .map_err(|e| format!("TCP_NODELAY: {e}"))?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                .await
                .map_err(|e| e.to_string())?;
        if let Some(tls) = &self.starttls {
            if !connection.can_starttls() {
                connection.abort().await;
                return Err(
                    "the server does not offer STARTTLS, which smtp:// requires \
                            (use ?tls=none for a local relay)"
                        .into(),
                );
            }
            connection
                .starttls(tls.clone(), &self.hello)
                .await
                .map_err(|e| e.to_string())?;
        }
        if let Some(credentials) = &self.credentials {
            let mechanisms = [Mechanism::Plain, Mechanism::Login];
            if let Err(e) = connection.auth(&mechanisms, credentials).await {
                connection.abort().await;
                return Err(e.to_string());
            }
        }
        Ok(SmtpSession {
            connection,
            timeout: self.timeout,
        })
    }
}

/// One open connection; dropped (after `QUIT`) when a batch is done or an exchange failed.
pub(super) struct SmtpSession {
    connection: AsyncSmtpConnection,
    timeout: Duration,
}

impl SmtpSession {
    pub(super) async fn send(&mut self, message: &Message) -> Result<(), SendError> {
        let bytes = message.formatted();
        let sent = tokio::time::timeout(
            self.timeout,
            self.connection.send(message.envelope(), &bytes),
        )
        .await;
        match sent {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Ok(Err(e)) => Err(SendError::Transient(e.to_string())),
            Err(_) => Err(SendError::Transient(
                "the SMTP server did not answer in time".into(),
            )),
        }
    }

    /// Whether the connection can carry another mail (lettre marks it broken on errors).
    pub(super) fn usable(&self) -> bool {
        !self.connection.has_broken()
    }

    pub(super) async fn close(mut self) {
        let _ = tokio::time::timeout(self.timeout, self.connection.quit()).await;
    }
}
