//! `kindred bench mail`: how fast the outbox empties into the configured SMTP server
//! (`KINDRED_SMTP_URL`), beside a baseline that sends the same mails straight over SMTP,
//! one after another, with no database. The outbox's cost over the baseline is its
//! bookkeeping: a claim transaction per batch and a "sent" mark per mail.

use std::fmt::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::postgres_url_for;
use crate::ws::connect_postgres;
use diesel::connection::SimpleConnection;
use kindred_server::config::{DatabaseTarget, MailSettings, MailTransport};
use kindred_server::domain::ids::next_id;
use kindred_server::domain::mail::MailStatus;
use kindred_server::error::Error;
use kindred_server::mail::{Connection, MailMetrics, Mailer};
use kindred_server::service::mail::{enqueue, Envelope, Rendered};
use kindred_server::store::mail::{count_by_status, OutboxRow};
use kindred_server::store::Store;

pub struct MailBench {
    /// Mails sent in each measurement.
    pub mails: usize,
    pub settings: MailSettings,
    /// Also measure the outbox on PostgreSQL (a throw-away database on this server).
    pub postgres_url: Option<String>,
    /// Where the SQLite database goes (removed afterwards).
    pub work_dir: PathBuf,
}

/// A notification-sized mail: a subject, a few lines of text, the same as HTML.
fn rendered(n: usize) -> Rendered {
    Rendered {
        subject: "You have 3 new replies on Kindred".into(),
        text: format!(
            "Hello,\n\nThere are 3 new replies in a thread you follow.\n\
             Read them: https://kindred.example.org/t/{n}\n\n\
             Turn these off: https://kindred.example.org/me/mail\n"
        ),
        html: format!(
            "<p>Hello,</p><p>There are 3 new replies in a thread you follow.</p>\
             <p><a href=\"https://kindred.example.org/t/{n}\">Read them</a></p>\
             <p><a href=\"https://kindred.example.org/me/mail\">Turn these off</a></p>"
        ),
    }
}

pub fn run(bench: &MailBench) -> Result<String, Error> {
    if !matches!(bench.settings.transport, MailTransport::Smtp(_)) {
        return Err(Error::Config(
            "kindred bench mail sends to an SMTP server: set KINDRED_SMTP_URL \
             (e.g. python3 .ci/smtp_sink.py 2525 /tmp/sink & KINDRED_SMTP_URL='smtp://127.0.0.1:2525?tls=none')"
                .into(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed("tokio runtime", e))?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "{} mails of {} bytes (text + HTML) to {:?}",
        bench.mails,
        rendered(0).text.len() + rendered(0).html.len(),
        bench.settings.transport
    );
    let baseline = runtime.block_on(straight_over_smtp(bench))?;
    let _ = writeln!(
        report,
        "{:<34} {:>8.0} mails/s",
        "SMTP alone (baseline)", baseline
    );

    let dir = bench
        .work_dir
        .join(format!("kindred-bench-mail-{:016x}", rand::random::<u64>()));
    let sqlite = DatabaseTarget::Sqlite(dir.join("bench.db"));
    let outcome = runtime.block_on(through_the_outbox(bench, &sqlite));
    let _ = std::fs::remove_dir_all(&dir);
    let rate = outcome?;
    let _ = writeln!(
        report,
        "{:<34} {:>8.0} mails/s ({:.0} % of the baseline)",
        "outbox on SQLite",
        rate,
        100.0 * rate / baseline
    );
    if let Some(postgres) = &bench.postgres_url {
        let admin_url = postgres_url_for(postgres, "postgres")?;
        let database = format!("kindred_bench_mail_{:08x}", rand::random::<u32>());
        connect_postgres(&admin_url)?.batch_execute(&format!("CREATE DATABASE {database}"))?;
        let target = DatabaseTarget::Postgres(postgres_url_for(postgres, &database)?);
        let outcome = runtime.block_on(through_the_outbox(bench, &target));
        let dropped = connect_postgres(&admin_url).and_then(|mut admin| {
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                .map_err(Error::from)
        });
        let rate = outcome?;
        dropped?;
        let _ = writeln!(
            report,
            "{:<34} {:>8.0} mails/s ({:.0} % of the baseline)",
            "outbox on PostgreSQL",
            rate,
            100.0 * rate / baseline
        );
    }
    Ok(report)
}

fn row(n: usize) -> OutboxRow {
    let mail = rendered(n);
    OutboxRow {
        id: next_id(),
        message_id: format!("<{n}.bench@kindred.example.org>"),
        user_id: None,
        kind: "bench".into(),
        to_address: format!("member{n}@example.org"),
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        list_unsubscribe: None,
        attempts: 0,
        created_at: 0,
    }
}

/// Mails per second sending `bench.mails` mails one after another, as the sender does.
async fn straight_over_smtp(bench: &MailBench) -> Result<f64, Error> {
    let mailer = Mailer::new(&bench.settings)?;
    let mut connection = Connection::default();
    let started = Instant::now();
    for n in 0..bench.mails {
        mailer
            .send_without_outbox(&row(n), &mut connection)
            .await
            .map_err(|e| Error::Config(format!("the SMTP server refused a mail: {e}")))?;
    }
    connection.close().await;
    Ok(bench.mails as f64 / started.elapsed().as_secs_f64())
}

/// Mails per second from a full outbox to sent, with one sender as a node runs it.
async fn through_the_outbox(bench: &MailBench, target: &DatabaseTarget) -> Result<f64, Error> {
    let store = Store::connect(target, 4)?;
    let mails = bench.mails;
    store
        .background(move |store| {
            for chunk in (0..mails).collect::<Vec<_>>().chunks(500) {
                store.write(|conn| {
                    for &n in chunk {
                        let envelope = Envelope {
                            user_id: None,
                            kind: "bench",
                            to: &format!("member{n}@example.org"),
                            host: "kindred.example.org",
                            list_unsubscribe: None,
                        };
                        enqueue(conn, envelope, rendered(n), 0)?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
        .await?;
    let (stop, shutdown) = watch::channel(false);
    let mailer = Mailer::new(&bench.settings)?;
    let started = Instant::now();
    let sender =
        tokio::spawn(mailer.run(store.clone(), Arc::new(MailMetrics::default()), shutdown));
    let expected = mails as i64;
    loop {
        let sent = store
            .background(|store| store.read(count_by_status))
            .await?
            .into_iter()
            .find(|(status, _)| *status == MailStatus::Sent)
            .map_or(0, |(_, count)| count);
        if sent >= expected {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err(Error::Config(format!(
                "the outbox sent only {sent} of {expected} mails in 10 minutes"
            )));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = expected as f64 / started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    let _ = sender.await;
    Ok(rate)
}
