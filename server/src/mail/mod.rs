//! Sending mail: the transport (SMTP through lettre, or `.eml` files) and the sender task
//! each node runs, which claims due rows of the outbox (`store::mail`), sends them and
//! marks them sent, retrying failures with exponential backoff until they are a day old.
//!
//! Requests never send: they write a row in the same transaction as their change
//! (`service::mail::enqueue`), so a mail exists exactly when its cause was committed, and a
//! slow or absent SMTP server never slows a request down.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

use crate::config::{MailSettings, MailTransport, SmtpSecurity};
use crate::domain::ids::{next_id, now_micros};
use crate::error::Error;
use crate::metrics::Scrape;
use crate::store::mail::{self as outbox, OutboxRow};
use crate::store::Store;
use smtp::{SendError, SmtpClient, SmtpSession};

mod smtp;

/// Rows claimed per pass.
const BATCH: i64 = 20;

/// Counters for `/metrics`, for this node.
#[derive(Default)]
pub struct MailMetrics {
    pub sent: AtomicU64,
    pub retried: AtomicU64,
    pub failed: AtomicU64,
}

impl MailMetrics {
    pub fn render(&self, scrape: &mut Scrape) {
        let series = [
            ("sent", &self.sent),
            ("retried", &self.retried),
            ("failed", &self.failed),
        ]
        .into_iter()
        .map(|(outcome, counter)| (outcome.to_owned(), counter.load(Ordering::Relaxed)))
        .collect();
        scrape.labelled_counter(
            "kindred_mail",
            "Mail handled by this node's sender, by outcome",
            "outcome",
            series,
        );
    }
}

/// Where mail goes.
#[derive(Clone)]
enum Transport {
    /// Plain or STARTTLS: our own connections (`smtp`), one per batch.
    Smtp(SmtpClient),
    /// Implicit TLS: lettre's transport and its pool.
    SmtpsPool(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// The sender's open SMTP connection, if any: kept from one mail of a batch to the next,
/// closed when the outbox has nothing more due.
#[derive(Default)]
pub struct Connection(Option<SmtpSession>);

impl Connection {
    pub async fn close(&mut self) {
        if let Some(session) = self.0.take() {
            session.close().await;
        }
    }
}

/// One attempt's outcome, for the outbox.
enum Outcome {
    Sent,
    /// Worth trying again later (server away, temporary refusal).
    Retry(String),
    /// Will never work (address refused outright, message that cannot be built).
    Permanent(String),
}

/// The sender of one node.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    settings: MailSettings,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Mailer, Error> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| Error::Config(format!("KINDRED_MAIL_FROM: {e}")))?;
        let transport = match &settings.transport {
            MailTransport::Files(dir) => Transport::Files(dir.clone()),
            MailTransport::Smtp(url) => {
                let tls = || {
                    TlsParameters::new(url.host.clone())
                        .map_err(|e| Error::Config(format!("KINDRED_SMTP_URL: {e}")))
                };
                let starttls = match url.security {
                    SmtpSecurity::StartTls => Some(tls()?),
                    SmtpSecurity::Implicit | SmtpSecurity::None => None,
                };
                if let Some(client) = SmtpClient::new(url, starttls, settings.smtp_timeout) {
                    Transport::Smtp(client)
                } else {
                    let mut builder =
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(url.host.clone())
                            .port(url.port)
                            .tls(Tls::Wrapper(tls()?))
                            .timeout(Some(settings.smtp_timeout));
                    if let (Some(user), Some(password)) = (&url.user, url.password()) {
                        builder =
                            builder.credentials(Credentials::new(user.clone(), password.into()));
                    }
                    Transport::SmtpsPool(builder.build())
                }
            }
        };
        Ok(Mailer {
            transport,
            from,
            settings: settings.clone(),
        })
    }

    /// Where `serve` says mail goes.
    pub fn describe(&self) -> String {
        format!("{:?}", self.settings.transport)
    }

    /// Claims and sends due mail until stopped. Wakes on every commit (a request may just
    /// have written mail) and at least every `poll_interval`.
    pub async fn run(
        self,
        store: Store,
        metrics: std::sync::Arc<MailMetrics>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let mut commits = store.commits();
        let claim = format!("{:x}", next_id());
        let mut connection = Connection::default();
        loop {
            if *shutdown.borrow() {
                connection.close().await;
                return;
            }
            let claimed = match self.claim(&store, &claim).await {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "mail outbox: cannot claim");
                    Vec::new()
                }
            };
            let full = claimed.len() as i64 == BATCH;
            for row in claimed {
                self.deliver(&store, &metrics, &claim, row, &mut connection)
                    .await;
            }
            if full {
                continue;
            }
            connection.close().await;
            tokio::select! {
                _ = commits.changed() => {}
                _ = shutdown.changed() => {}
                () = tokio::time::sleep(self.settings.poll_interval) => {}
            }
        }
    }

    async fn claim(&self, store: &Store, claim: &str) -> Result<Vec<OutboxRow>, Error> {
        let claim = claim.to_owned();
        let lease = self.settings.claim_lease.as_micros() as i64;
        store
            .background(move |store| {
                let now = now_micros();
                if !store.read(|conn| outbox::any_due(conn, now))? {
                    return Ok(Vec::new());
                }
                store.write(|conn| outbox::claim_due(conn, now, now + lease, &claim, BATCH))
            })
            .await
    }

    async fn deliver(
        &self,
        store: &Store,
        metrics: &MailMetrics,
        claim: &str,
        row: OutboxRow,
        connection: &mut Connection,
    ) {
        let outcome = match self.build(&row) {
            Ok(message) => self.send(&message, &row, connection).await,
            Err(e) => Outcome::Permanent(e),
        };
        let now = now_micros();
        let (id, attempts, created_at) = (row.id, row.attempts, row.created_at);
        let give_up_at = created_at + self.settings.give_up_after.as_micros() as i64;
        let delay = retry_delay(
            attempts,
            self.settings.first_retry_delay,
            self.settings.max_retry_delay,
        );
        let next = now + delay.as_micros() as i64;
        let claim = claim.to_owned();
        let (result, counter) = match outcome {
            Outcome::Sent => (
                run_write(store, move |conn| {
                    outbox::mark_sent(conn, id, &claim, now).map(|_| ())
                })
                .await,
                &metrics.sent,
            ),
            Outcome::Retry(error) if next < give_up_at => {
                tracing::warn!(mail_id = id, attempts, %error, "mail not sent; will retry");
                (
                    run_write(store, move |conn| {
                        outbox::mark_retry(conn, id, &claim, next, &error)
                    })
                    .await,
                    &metrics.retried,
                )
            }
            Outcome::Retry(error) | Outcome::Permanent(error) => {
                tracing::error!(mail_id = id, attempts, %error, "mail given up");
                (
                    run_write(store, move |conn| {
                        outbox::mark_failed(conn, id, &claim, &error)
                    })
                    .await,
                    &metrics.failed,
                )
            }
        };
        match result {
            Ok(()) => {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            // The row stays claimed until its lease ends and is then tried again: a sent
            // mail may go twice, none is lost.
            Err(e) => tracing::warn!(mail_id = id, error = %e, "mail outbox: cannot record"),
        }
    }

    /// Builds and sends one row's mail with none of the outbox's bookkeeping: the baseline
    /// of `kindred bench mail`.
    pub async fn send_without_outbox(
        &self,
        row: &OutboxRow,
        connection: &mut Connection,
    ) -> Result<(), String> {
        let message = self.build(row)?;
        match self.send(&message, row, connection).await {
            Outcome::Sent => Ok(()),
            Outcome::Retry(error) | Outcome::Permanent(error) => Err(error),
        }
    }

    fn build(&self, row: &OutboxRow) -> Result<Message, String> {
        let to: Mailbox = row
            .to_address
            .parse()
            .map_err(|e| format!("recipient: {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&row.subject))
            .message_id(Some(row.message_id.clone()))
            .header(AutoSubmitted);
        if let Some(link) = &row.list_unsubscribe {
            builder = builder
                .header(ListUnsubscribe(one_line(link)))
                .header(ListUnsubscribePost);
        }
        builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(row.text_body.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(row.html_body.clone()),
                    ),
            )
            .map_err(|e| format!("message: {e}"))
    }

    async fn send(
        &self,
        message: &Message,
        row: &OutboxRow,
        connection: &mut Connection,
    ) -> Outcome {
        match &self.transport {
            Transport::Smtp(client) => {
                if connection.0.as_ref().is_some_and(|open| !open.usable()) {
                    connection.0 = None;
                }
                let open = match &mut connection.0 {
                    Some(open) => open,
                    None => match client.connect().await {
                        Ok(open) => connection.0.insert(open),
                        Err(error) => return Outcome::Retry(error),
                    },
                };
                match open.send(message).await {
                    Ok(()) => Outcome::Sent,
                    Err(SendError::Permanent(error)) => Outcome::Permanent(error),
                    // The connection's state is unknown (a timeout mid-exchange): a new
                    // one for the next mail.
                    Err(SendError::Transient(error)) => {
                        connection.0 = None;
                        Outcome::Retry(error)
                    }
                }
            }
            Transport::SmtpsPool(smtp) => match smtp.send(message.clone()).await {
                Ok(_) => Outcome::Sent,
                Err(e) if e.is_permanent() => Outcome::Permanent(e.to_string()),
                Err(e) => Outcome::Retry(e.to_string()),
            },
            Transport::Files(dir) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                let name = format!("{}-{}.eml", row.created_at, row.id);
                let written =
                    tokio::task::spawn_blocking(move || write_file(&dir, &name, &bytes)).await;
                match written {
                    Ok(Ok(())) => Outcome::Sent,
                    Ok(Err(e)) => Outcome::Retry(e.to_string()),
                    Err(e) => Outcome::Retry(e.to_string()),
                }
            }
        }
    }
}

async fn run_write(
    store: &Store,
    f: impl FnOnce(&mut crate::store::DbConnection) -> Result<(), Error> + Send + 'static,
) -> Result<(), Error> {
    store.background(move |store| store.write(f)).await
}

/// Writes a file whole or not at all: a reader never sees half a mail.
fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{name}.partial"));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, dir.join(name))
}

/// The wait after the `attempts`-th failed attempt: `first`, doubling, at most `max`.
pub fn retry_delay(attempts: i32, first: Duration, max: Duration) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    first
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(max)
}

/// Text for a header: control characters (CR and LF above all) become spaces, so no value
/// can end a header and start another.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `Auto-Submitted: auto-generated` (RFC 3834): auto-responders do not answer.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// `List-Unsubscribe: <https://…>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let first = Duration::from_secs(30);
        let max = Duration::from_secs(3600);
        assert_eq!(retry_delay(1, first, max), first);
        assert_eq!(retry_delay(2, first, max), Duration::from_secs(60));
        assert_eq!(retry_delay(4, first, max), Duration::from_secs(240));
        assert_eq!(retry_delay(30, first, max), max);
    }

    #[test]
    fn header_text_has_no_line_breaks() {
        assert_eq!(one_line("a\r\nBcc: x@y.org"), "a  Bcc: x@y.org");
    }
}
