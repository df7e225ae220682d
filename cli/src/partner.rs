//! `kindred partner grant|revoke NAME --community SLUG`: research partners' access from
//! the command line (the same rules as the admins' API; see `service::partners`).

use clap::Subcommand;

use kindred_server::config::Settings;
use kindred_server::error::Error;
use kindred_server::service::partners::{self, Granter};
use kindred_server::store::Store;

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Let an account see a community's de-identified insights. A member account becomes
    /// a research partner (signed out, then fenced off everything else); admins cannot.
    Grant {
        /// The account's username.
        name: String,
        /// The community's slug.
        #[arg(long)]
        community: String,
    },
    /// Take a community back from a research partner.
    Revoke {
        /// The account's username.
        name: String,
        /// The community's slug.
        #[arg(long)]
        community: String,
    },
}

pub fn run(settings: &Settings, command: PartnerCommand) -> Result<(), Error> {
    let store = Store::connect(&settings.database, 2)?;
    match command {
        PartnerCommand::Grant { name, community } => {
            let (created, grant) =
                partners::grant(&store, &Granter::CommandLine, &name, &community)?;
            let key = if created {
                "cli-partner-granted"
            } else {
                "cli-partner-already-granted"
            };
            println!(
                "{}",
                settings.default_language.t_args(
                    key,
                    &[
                        ("name", grant.username.into()),
                        ("community", grant.community_name.into()),
                    ],
                )
            );
        }
        PartnerCommand::Revoke { name, community } => {
            partners::revoke(&store, &Granter::CommandLine, &name, &community)?;
            println!(
                "{}",
                settings.default_language.t_args(
                    "cli-partner-revoked",
                    &[("name", name.into()), ("community", community.into())],
                )
            );
        }
    }
    Ok(())
}
