//! The `kindred` command line: `serve`, `migrate`, `seed`, `admin create`, `bench`, ….
//!
//! A crate of its own so that the benchmarks (`kindred-bench`) can depend on the server
//! library without being shipped in it.

mod backup;
mod bench;
mod memorial;
mod partner;
mod screen;

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use kindred_server::config::{ConfigInput, MailTransport, Settings};
use kindred_server::domain::user::{Email, ErasePosts, Password, SiteRole, Username};
use kindred_server::error::{Error, Said};
use kindred_server::seed::{self, SeedOutcome, DEMO_LOGINS, DEMO_PASSWORD};
use kindred_server::service::accounts::{self, Registration};
use kindred_server::service::insights::{self, InsightsRequest, Requester};
use kindred_server::service::privacy;
use kindred_server::startup::Application;
use kindred_server::store::{users, Store};
use kindred_web::i18n::{Arg, Lang};

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
        action: bench::BenchCommand,
    },
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
            let target = settings.database.describe();
            println!(
                "{}",
                settings
                    .default_language
                    .t_args("cli-migrated", &[("target", target.into())])
            );
            Ok(())
        }
        Command::Seed => {
            let store = Store::connect(&settings.database, 2)?;
            report_seed(settings.default_language, seed::seed_demo(&store)?);
            Ok(())
        }
        Command::Reindex => {
            let store = Store::connect(&settings.database, 2)?;
            let (documents, last_event) =
                kindred_server::indexer::reindex(&store, &settings.data_dir)?;
            println!(
                "{}",
                settings.default_language.t_args(
                    "cli-reindexed",
                    &[
                        ("posts", documents.to_string().into()),
                        ("event", last_event.to_string().into()),
                    ],
                )
            );
            Ok(())
        }
        Command::Backup { out } => backup::backup(&settings, &out),
        Command::Restore { file, force } => backup::restore(&settings, &file, force),
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
        Command::Bench { action } => bench::run(&settings, action),
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

fn report_seed(lang: Lang, outcome: SeedOutcome) {
    match outcome {
        SeedOutcome::Seeded {
            users,
            communities,
            threads,
            posts,
        } => {
            let count = |n: usize| Arg::Text(n.to_string());
            println!(
                "{}",
                lang.t_args(
                    "cli-seeded",
                    &[
                        ("communities", count(communities)),
                        ("users", count(users)),
                        ("threads", count(threads)),
                        ("posts", count(posts)),
                    ],
                )
            );
        }
        SeedOutcome::AlreadyPopulated => println!("{}", lang.t("cli-seed-skipped")),
    }
}

fn serve(settings: Settings, demo: bool) -> Result<(), Error> {
    let lang = settings.default_language;
    let store = Store::connect_with(&settings.database, settings.pool_size, settings.db_timeouts)?;
    if demo {
        report_seed(lang, seed::seed_demo(&store)?);
        println!(
            "{}",
            lang.t_args("cli-demo-logins", &[("password", DEMO_PASSWORD.into())])
        );
        for (username, what) in DEMO_LOGINS {
            println!("  {username:<14} {}", lang.t(what));
        }
    }
    let public_url = settings.public_url.clone();
    match &settings.mail.transport {
        MailTransport::Files(dir) => println!(
            "{}",
            lang.t_args(
                "cli-mail-files",
                &[("dir", dir.display().to_string().into())]
            )
        ),
        smtp @ MailTransport::Smtp(_) => println!(
            "{}",
            lang.t_args(
                "cli-mail-smtp",
                &[("transport", format!("{smtp:?}").into())]
            )
        ),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::failed("cannot start the runtime", e))?;
    runtime.block_on(async move {
        let app = Application::build_with_store(settings, store)?;
        println!(
            "{}",
            lang.t_args("cli-listening", &[("url", public_url.into())])
        );
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
    println!(
        "{}",
        settings
            .default_language
            .t_args("cli-admin-created", &[("name", account.username.into())])
    );
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
                Said::new("es3-cli-no-member").with("name", username.as_str()),
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
    println!(
        "{}",
        settings.default_language.t_args(
            "cli-erased",
            &[
                ("name", username.as_str().into()),
                ("posts", choice.as_str().into()),
            ],
        )
    );
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
