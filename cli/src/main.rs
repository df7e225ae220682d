//! `kindred`: see `kindred --help`.

use std::process::ExitCode;

use clap::Parser;
use kindred_cli::{Cli, Command};

/// Screening and rendering allocate many short-lived strings on every thread; mimalloc's
/// per-thread heaps do that with less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = match cli.command {
        Command::Serve { .. } => "info",
        _ => "warn",
    };
    kindred_server::telemetry::init(default_level);
    match kindred_cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Driver messages can span lines; an operator gets exactly one.
            let message = error.report();
            let one_line: Vec<&str> = message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            eprintln!("kindred: {}", one_line.join(" "));
            ExitCode::from(kindred_cli::exit_code(&error))
        }
    }
}
