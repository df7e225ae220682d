//! The `kindred` command line: `serve`, `migrate`, `seed`, `admin create`, `bench`, ….
//!
//! A crate of its own so that the benchmarks (`kindred-bench`) can depend on the server
//! library without being shipped in it.

mod memorial;
mod partner;
mod screen;

use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use kindred_server::config::{ConfigInput, DatabaseTarget, MailTransport, Settings};
use kindred_server::domain::user::{Email, ErasePosts, Password, SiteRole, Username};
use kindred_server::error::Error;
use kindred_server::seed::{self, SeedOutcome, DEMO_LOGINS, DEMO_PASSWORD};
use kindred_server::service::accounts::{self, Registration};
use kindred_server::service::insights::{self, InsightsRequest, Requester};
use kindred_server::service::privacy;
use kindred_server::startup::Application;
use kindred_server::store::{maintenance, users, Store};

#[derive(Debug, Parser)]
#[command(
    name = "kindred",
    version,
    about = "Moderated online health communities"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigInput,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (applies pending migrations first).
    Serve {
        /// Load the demo communities into an empty database and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo data into an empty database and exit.
    Seed,
    /// Rebuild this node's search index from the database and swap it in atomically; a
    /// running server keeps answering and switches to the new index.
    Reindex,
    /// Copy a SQLite database to a new file while the server keeps serving (a consistent
    /// snapshot). For PostgreSQL use pg_dump (see the README).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup made by `kindred backup` in place of the SQLite database and rebuild
    /// the search index from it. Refuses while a server uses the data directory, and
    /// replaces an existing database only with --force. For PostgreSQL use pg_restore.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace the existing database.
        #[arg(long)]
        force: bool,
    },
    /// Screen posts: reads JSON lines `{"id", "text"}` on stdin, writes one verdict per
    /// line (default policy, a new author). Exit code 1 if any line could not be read.
    Screen,
    /// Train and evaluate the moderation classifier.
    Moderation {
        #[command(subcommand)]
        action: ModerationCommand,
    },
    /// De-identified insights about a community.
    Insights {
        #[command(subcommand)]
        action: InsightsCommand,
    },
    /// Research partners' access to communities' insights.
    Partner {
        #[command(subcommand)]
        action: partner::PartnerCommand,
    },
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// Act on a member's account at their request.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Measure this machine: search engines side by side, websocket capacity.
    Bench {
        #[command(subcommand)]
        action: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Index a synthetic corpus with tantivy and with PostgreSQL full-text search (in a
    /// throw-away database `kindred_bench_search`), then time the same query mix on both.
    Search {
        /// Posts in the synthetic corpus.
        #[arg(long, default_value_t = 100_000)]
        posts: usize,
        /// PostgreSQL server to use (default: DATABASE_URL when it is postgres://).
        #[arg(long)]
        postgres: Option<String>,
        /// Timed runs of each query in each engine.
        #[arg(long, default_value_t = 200)]
        repeats: usize,
    },
    /// Time the most expensive post bodies known and found by a search, bounded against
    /// unbounded rendering, then `/livez` while four clients post the worst of them.
    Markdown {
        /// Mutation rounds of the search for expensive bodies.
        #[arg(long, default_value_t = 1_500)]
        rounds: usize,
        /// Seconds of `/livez` timing, without and then with the attackers.
        #[arg(long, default_value_t = 10)]
        attack_secs: u64,
        /// Seed of the search (the same seed finds the same bodies).
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Start `kindred serve` nodes on a throw-away PostgreSQL database
    /// (`kindred_bench_ws`), open websockets to them and measure memory per connection
    /// and post → delivery latency, on one node and across two through Redis.
    Ws {
        /// Idle authenticated connections (and the largest subscriber count).
        #[arg(long, default_value_t = 10_000)]
        connections: usize,
        /// Replies timed at each subscriber count.
        #[arg(long, default_value_t = 20)]
        posts: usize,
        /// PostgreSQL server to use (default: DATABASE_URL when it is postgres://).
        #[arg(long)]
        postgres: Option<String>,
        /// Redis for the cross-node measurement (default: REDIS_URL; skipped without).
        #[arg(long)]
        redis: Option<String>,
    },
    /// Send mails through the outbox to the SMTP server of KINDRED_SMTP_URL (a throw-away
    /// SQLite database, and PostgreSQL if given), beside the same mails sent straight
    /// over SMTP.
    Mail {
        /// Mails sent in each measurement.
        #[arg(long, default_value_t = 2_000)]
        mails: usize,
        /// PostgreSQL server to use as well (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Time the `/insights/{slug}` page's figures for 12 months of a community with
    /// `posts` opted-in posts (a throw-away SQLite database, and PostgreSQL if given).
    Insights {
        /// Posts spread over the 12 months.
        #[arg(long, default_value_t = 1_000_000)]
        posts: usize,
        /// Timed page builds.
        #[arg(long, default_value_t = 5)]
        repeats: usize,
        /// PostgreSQL server to use as well (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Time the notification-mail job building daily digests (a throw-away SQLite
    /// database, and PostgreSQL if given): every member has unread replies at their
    /// digest hour.
    Digest {
        /// Members, each of whom gets a digest.
        #[arg(long, default_value_t = 10_000)]
        members: usize,
        /// Unread replies in each digest.
        #[arg(long, default_value_t = 20)]
        items: usize,
        /// PostgreSQL server to use as well (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Start `kindred serve` on throw-away SQLite and PostgreSQL databases and time
    /// ordinary (screened) members posting replies over HTTP: one member with longer and
    /// longer histories, then many members at once.
    Post {
        /// Seconds each measurement posts for.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Members posting at once.
        #[arg(long, default_value_t = 32)]
        members: usize,
        /// Earlier posts of the single poster, comma-separated: one measurement each.
        #[arg(long, value_delimiter = ',', default_value = "0,10000,100000")]
        histories: Vec<usize>,
        /// PostgreSQL server to use (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
}

/// The PostgreSQL server a benchmark uses: `--postgres`, else DATABASE_URL if it is one.
fn bench_postgres(flag: Option<String>, settings: &Settings) -> Result<String, Error> {
    match (flag, &settings.database) {
        (Some(url), _) => Ok(url),
        (None, DatabaseTarget::Postgres(url)) => Ok(url.clone()),
        (None, DatabaseTarget::Sqlite(_)) => Err(Error::Config(
            "the benchmark needs PostgreSQL: pass --postgres postgres://… or set DATABASE_URL to one"
                .into(),
        )),
    }
}

#[derive(Debug, Subcommand)]
pub enum InsightsCommand {
    /// Monthly term counts from members who opted in; figures resting on fewer than 11
    /// members are withheld. Written to standard output; every export is audited.
    Export {
        /// The community's slug.
        #[arg(long)]
        community: String,
        /// First month, YYYY-MM.
        #[arg(long)]
        from: String,
        /// Last month, YYYY-MM.
        #[arg(long)]
        to: String,
        /// `csv` or `json`.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModerationCommand {
    /// Train on the train split of the embedded corpus and print the model (the committed
    /// seed-data/moderation/model.txt is this output).
    Train,
    /// Per-label precision, recall and F1 on a labeled JSONL file (test split if marked);
    /// per-level precision and recall of the self-harm risk on a duty-of-care corpus.
    Eval {
        /// JSON lines `{"id", "text", "labels": [...], "split"?}`, or the duty-of-care
        /// corpus's `{"id", "text", "self_harm", "advice", "kind", "split"}`.
        #[arg(long)]
        data: std::path::PathBuf,
    },
    /// Moderators' decisions as labeled examples (`{"id", "text", "labels"}` lines):
    /// approved posts are clean, removed ones keep their queue labels.
    ExportDecisions {
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Erase a member: name, email, profile, consents, sessions and post revisions go.
    Erase {
        /// The member's username.
        name: String,
        /// `delete` their posts, or keep them as "a former member"'s (`anonymize`).
        #[arg(long, default_value = "anonymize")]
        posts: String,
    },
    /// Memorialise a member's account at their family's request: the profile reads "In
    /// memory of …", sign-in is refused, sessions are revoked and nothing notifies or
    /// mails it; its posts stay. Logged in the moderation log of its communities.
    Memorialise {
        /// The member's username.
        name: String,
    },
    /// Reverse a memorial (logged too).
    Unmemorialise {
        /// The member's username.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a site admin; the password is read from the first line of standard input.
    Create {
        /// The new admin's username.
        name: String,
        /// Optional email address.
        #[arg(long)]
        email: Option<String>,
    },
}

pub fn run(cli: Cli) -> Result<(), Error> {
    let settings = Settings::load(cli.config)?;
    match cli.command {
        Command::Serve { demo } => serve(settings, demo),
        Command::Migrate => {
            Store::connect(&settings.database, 1)?;
            println!("migrations applied to {}", settings.database.describe());
            Ok(())
        }
        Command::Seed => {
            let store = Store::connect(&settings.database, 2)?;
            report_seed(seed::seed_demo(&store)?);
            Ok(())
        }
        Command::Reindex => {
            let store = Store::connect(&settings.database, 2)?;
            let (documents, last_event) =
                kindred_server::indexer::reindex(&store, &settings.data_dir)?;
            println!("search index rebuilt: {documents} posts, up to event {last_event}");
            Ok(())
        }
        Command::Backup { out } => backup(&settings, &out),
        Command::Restore { file, force } => restore(&settings, &file, force),
        Command::Insights {
            action:
                InsightsCommand::Export {
                    community,
                    from,
                    to,
                    format,
                },
        } => {
            let request = InsightsRequest::parse(&community, &from, &to, Some(&format))?;
            let store = Store::connect(&settings.database, 2)?;
            print!(
                "{}",
                insights::export(&store, Requester::CommandLine, &request)?
            );
            Ok(())
        }
        Command::Screen => screen::screen_lines(std::io::stdin().lock(), std::io::stdout().lock()),
        Command::Moderation {
            action: ModerationCommand::Train,
        } => {
            print!("{}", screen::train()?);
            Ok(())
        }
        Command::Moderation {
            action: ModerationCommand::Eval { data },
        } => {
            let text = std::fs::read_to_string(&data).map_err(|e| {
                Error::invalid("data", format!("cannot read {}: {e}", data.display()))
            })?;
            println!("{}", screen::evaluate(&text)?);
            Ok(())
        }
        Command::Moderation {
            action: ModerationCommand::ExportDecisions { out },
        } => export_decisions(&settings, out.as_deref()),
        Command::Partner { action } => partner::run(&settings, action),
        Command::Admin {
            action: AdminCommand::Create { name, email },
        } => create_admin(&settings, &name, email.as_deref()),
        Command::User {
            action: UserCommand::Erase { name, posts },
        } => erase_user(&settings, &name, &posts),
        Command::User {
            action: UserCommand::Memorialise { name },
        } => memorial::run(&settings, &name, true),
        Command::User {
            action: UserCommand::Unmemorialise { name },
        } => memorial::run(&settings, &name, false),
        Command::Bench {
            action:
                BenchCommand::Search {
                    posts,
                    postgres,
                    repeats,
                },
        } => {
            let postgres_url = bench_postgres(postgres, &settings)?;
            if posts == 0 || repeats == 0 {
                return Err(Error::invalid(
                    "posts",
                    "--posts and --repeats must be above 0",
                ));
            }
            let report = kindred_bench::search::run(&kindred_bench::search::SearchBench {
                posts,
                postgres_url,
                repeats,
                work_dir: std::env::temp_dir(),
            })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench {
            action:
                BenchCommand::Markdown {
                    rounds,
                    attack_secs,
                    seed,
                },
        } => {
            if attack_secs == 0 {
                return Err(Error::invalid(
                    "attack_secs",
                    "--attack-secs must be above 0",
                ));
            }
            let report = kindred_bench::markdown::run(&kindred_bench::markdown::MarkdownBench {
                rounds,
                attack_secs,
                seed,
            })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench {
            action:
                BenchCommand::Ws {
                    connections,
                    posts,
                    postgres,
                    redis,
                },
        } => {
            let postgres_url = bench_postgres(postgres, &settings)?;
            if connections == 0 || posts == 0 {
                return Err(Error::invalid(
                    "connections",
                    "--connections and --posts must be above 0",
                ));
            }
            let report = kindred_bench::ws::run(&kindred_bench::ws::WsBench {
                connections,
                posts,
                postgres_url,
                redis_url: redis.or_else(|| settings.redis_url.clone()),
                work_dir: std::env::temp_dir(),
            })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench {
            action: BenchCommand::Mail { mails, postgres },
        } => {
            if mails == 0 {
                return Err(Error::invalid("mails", "--mails must be above 0"));
            }
            let report = kindred_bench::mail::run(&kindred_bench::mail::MailBench {
                mails,
                postgres_url: bench_postgres(postgres, &settings).ok(),
                settings: settings.mail.clone(),
                work_dir: std::env::temp_dir(),
            })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench {
            action:
                BenchCommand::Insights {
                    posts,
                    repeats,
                    postgres,
                },
        } => {
            if posts == 0 || repeats == 0 {
                return Err(Error::invalid(
                    "posts",
                    "--posts and --repeats must be above 0",
                ));
            }
            let report = kindred_bench::insights::run(&kindred_bench::insights::InsightsBench {
                posts,
                repeats,
                postgres_url: bench_postgres(postgres, &settings).ok(),
                work_dir: std::env::temp_dir(),
            })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench {
            action:
                BenchCommand::Digest {
                    members,
                    items,
                    postgres,
                },
        } => {
            if members == 0 || items == 0 {
                return Err(Error::invalid(
                    "members",
                    "--members and --items must be above 0",
                ));
            }
            let report = kindred_bench::digest::run(&kindred_bench::digest::DigestBench {
                members,
                items,
                postgres_url: bench_postgres(postgres, &settings).ok(),
                work_dir: std::env::temp_dir(),
            })?;
            print!("{report}");
            Ok(())
        }
        Command::Bench {
            action:
                BenchCommand::Post {
                    seconds,
                    members,
                    histories,
                    postgres,
                },
        } => {
            if seconds == 0 {
                return Err(Error::invalid("seconds", "--seconds must be above 0"));
            }
            let postgres_url = bench_postgres(postgres, &settings).ok();
            let report = kindred_bench::post::run(&kindred_bench::post::PostBench {
                seconds,
                members,
                histories,
                postgres_url,
                work_dir: std::env::temp_dir(),
            })?;
            print!("{report}");
            Ok(())
        }
    }
}

fn export_decisions(settings: &Settings, out: Option<&std::path::Path>) -> Result<(), Error> {
    let store = Store::connect(&settings.database, 2)?;
    let mut text = kindred_server::service::moderation::export_decisions(&store)?.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    if let Some(path) = out {
        std::fs::write(path, text)
            .map_err(|e| Error::failed(format!("cannot write {}", path.display()), e))
    } else {
        print!("{text}");
        Ok(())
    }
}

/// The SQLite file behind the settings, or the one-line answer for PostgreSQL.
fn sqlite_path<'a>(settings: &'a Settings, tool: &str) -> Result<&'a Path, Error> {
    match &settings.database {
        DatabaseTarget::Sqlite(path) => Ok(path),
        DatabaseTarget::Postgres(_) => Err(Error::Config(format!(
            "this command copies SQLite databases; for PostgreSQL use {tool} (see the README's Backups section)"
        ))),
    }
}

fn backup(settings: &Settings, out: &Path) -> Result<(), Error> {
    sqlite_path(settings, "pg_dump --format=custom")?;
    if out.exists() {
        return Err(Error::Conflict(format!(
            "{} already exists; choose a new file",
            out.display()
        )));
    }
    let store = Store::connect(&settings.database, 1)?;
    store.read(|conn| maintenance::sqlite_backup(conn, out))?;
    let bytes = std::fs::metadata(out).map_or(0, |m| m.len());
    println!("backup written to {} ({bytes} bytes)", out.display());
    Ok(())
}

/// Checks the backup, refuses to pull a database from under a running server, swaps the
/// file in (copy beside it, then rename) and rebuilds the search index, which described
/// the database that was there before.
fn restore(settings: &Settings, file: &Path, force: bool) -> Result<(), Error> {
    let target = sqlite_path(settings, "pg_restore")?;
    maintenance::check_sqlite_backup(file).map_err(|message| Error::invalid("file", message))?;
    // A running server holds the search index's writer lock: this fails if one does.
    drop(kindred_server::indexer::Search::open(&settings.data_dir)?);
    if target.exists() && !force {
        return Err(Error::Conflict(format!(
            "{} exists; pass --force to replace it with the backup",
            target.display()
        )));
    }
    let io_error = |what: &str, path: &Path, e: std::io::Error| {
        Error::failed(format!("cannot {what} {}", path.display()), e)
    };
    let staged = target.with_extension("restoring");
    std::fs::copy(file, &staged).map_err(|e| io_error("write", &staged, e))?;
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error("write", &staged, e))?;
    // The old database's write-ahead log would be replayed into the restored file.
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error("remove", Path::new(&side), e))
            }
            _ => {}
        }
    }
    std::fs::rename(&staged, target).map_err(|e| io_error("replace", target, e))?;
    let store = Store::connect(&settings.database, 2)?;
    let (documents, last_event) = kindred_server::indexer::reindex(&store, &settings.data_dir)?;
    println!(
        "restored {} into {}; search index rebuilt: {documents} posts, up to event {last_event}",
        file.display(),
        target.display()
    );
    Ok(())
}

fn report_seed(outcome: SeedOutcome) {
    match outcome {
        SeedOutcome::Seeded { users, communities, threads, posts } => println!(
            "demo data loaded: {communities} communities, {users} users, {threads} threads, {posts} posts"
        ),
        SeedOutcome::AlreadyPopulated => {
            println!("the database already has communities; demo data not loaded");
        }
    }
}

fn serve(settings: Settings, demo: bool) -> Result<(), Error> {
    let store = Store::connect_with(&settings.database, settings.pool_size, settings.db_timeouts)?;
    if demo {
        report_seed(seed::seed_demo(&store)?);
        println!("demo logins (password for all: {DEMO_PASSWORD}; demo only):");
        for (username, what) in DEMO_LOGINS {
            println!("  {username:<14} {what}");
        }
    }
    let public_url = settings.public_url.clone();
    match &settings.mail.transport {
        MailTransport::Files(dir) => println!(
            "mail (password resets, notifications) is written as .eml files under {}; \
             set KINDRED_SMTP_URL to send it",
            dir.display()
        ),
        smtp @ MailTransport::Smtp(_) => println!("mail goes to the {smtp:?}"),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed("cannot start the runtime", e))?;
    runtime.block_on(async move {
        let app = Application::build_with_store(settings, store)?;
        println!("kindred is listening on {public_url} (API under {public_url}/api/v1)");
        tracing::info!(port = app.port(), "listening");
        app.run_until_stopped()
            .await
            .map_err(|e| Error::failed("server stopped", e))
    })
}

fn create_admin(settings: &Settings, name: &str, email: Option<&str>) -> Result<(), Error> {
    let username = Username::parse(name)?;
    let email = email.map(Email::parse).transpose()?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::failed("cannot read the password from stdin", e))?;
    let password = Password::parse(line.trim_end_matches(['\n', '\r']))?;
    let store = Store::connect(&settings.database, 1)?;
    let account = accounts::create_account(
        &store,
        Registration {
            username,
            password,
            email,
            display_name: None,
            site_role: SiteRole::Admin,
        },
    )?;
    println!("admin {} created", account.username);
    Ok(())
}

fn erase_user(settings: &Settings, name: &str, posts: &str) -> Result<(), Error> {
    let username = Username::parse(name)?;
    let choice = ErasePosts::parse(posts)?;
    let store = Store::connect(&settings.database, 1)?;
    let user = store
        .read(|conn| users::find_by_username(conn, username.as_str()))?
        .ok_or_else(|| {
            Error::invalid(
                "username",
                format!("no member is called {}", username.as_str()),
            )
        })?;
    privacy::erase(&store, user.id.0, choice)?;
    let traces = privacy::traces_of(&store, user.id.0)?;
    if traces > 0 {
        return Err(Error::Internal(format!(
            "{traces} rows still name the member"
        )));
    }
    tracing::info!(user_id = user.id.0, "account erased by an operator");
    println!("erased {} (posts: {})", username.as_str(), choice.as_str());
    Ok(())
}

/// The process exit code for an error that ends a command: 2 for bad configuration or
/// input, 1 for everything else.
pub fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Config(_)
        | Error::Invalid { .. }
        | Error::BadRequest { .. }
        | Error::Conflict(_) => 2,
        _ => 1,
    }
}
