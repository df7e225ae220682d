//! The `kindred` command line: `serve`, `migrate`, `seed`, `admin create`.

use std::io::BufRead;

use clap::{Parser, Subcommand};

use crate::config::{ConfigInput, Settings};
use crate::domain::user::{Email, Password, SiteRole, Username};
use crate::error::Error;
use crate::seed::{self, SeedOutcome, DEMO_LOGINS, DEMO_PASSWORD};
use crate::service::accounts::{self, Registration};
use crate::startup::Application;
use crate::store::Store;

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
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
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
        Command::Admin {
            action: AdminCommand::Create { name, email },
        } => create_admin(&settings, &name, email.as_deref()),
    }
}

fn report_seed(outcome: SeedOutcome) {
    match outcome {
        SeedOutcome::Seeded { users, communities, threads, posts } => println!(
            "demo data loaded: {communities} communities, {users} users, {threads} threads, {posts} posts"
        ),
        SeedOutcome::AlreadyPopulated => {
            println!("the database already has communities; demo data not loaded")
        }
    }
}

fn serve(settings: Settings, demo: bool) -> Result<(), Error> {
    let store = Store::connect(&settings.database, settings.pool_size)?;
    if demo {
        report_seed(seed::seed_demo(&store)?);
        println!("demo logins (password for all: {DEMO_PASSWORD}; demo only):");
        for (username, what) in DEMO_LOGINS {
            println!("  {username:<14} {what}");
        }
    }
    let public_url = settings.public_url.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let app = Application::build_with_store(settings, store)?;
        println!("kindred is listening on {public_url} (API under {public_url}/api/v1)");
        tracing::info!(port = app.port(), "listening");
        app.run_until_stopped()
            .await
            .map_err(|e| Error::Internal(format!("server stopped: {e}")))
    })
}

fn create_admin(settings: &Settings, name: &str, email: Option<&str>) -> Result<(), Error> {
    let username = Username::parse(name)?;
    let email = email.map(Email::parse).transpose()?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::Internal(format!("cannot read the password from stdin: {e}")))?;
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

impl Error {
    /// The process exit code for an error that ends a command: 2 for bad configuration
    /// or input, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_)
            | Error::Invalid { .. }
            | Error::BadRequest { .. }
            | Error::Conflict(_) => 2,
            _ => 1,
        }
    }
}
