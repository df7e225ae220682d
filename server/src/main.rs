//! `kindred`: see `kindred --help`.

use std::process::ExitCode;

use clap::Parser;
use kindred_server::cli::{self, Cli};

fn main() -> ExitCode {
    kindred_server::telemetry::init();
    match cli::run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kindred: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
