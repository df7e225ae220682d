//! `kindred`: see `kindred --help`.

use std::process::ExitCode;

use clap::Parser;
use kindred_cli::{Cli, Command};
use kindred_web::i18n::Lang;

/// Screening and rendering allocate many short-lived strings on every thread; mimalloc's
/// per-thread heaps do that with less contention than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The admin's language for the error line, read before the settings (which may be
    // what failed): `KINDRED_DEFAULT_LANGUAGE` or its flag, else English.
    let lang = cli
        .config
        .default_language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    let default_level = match cli.command {
        Command::Serve { .. } => "info",
        _ => "warn",
    };
    kindred_server::telemetry::init(default_level);
    match kindred_cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The catalogue's words where the error has them, in the admin's language; a
            // driver's own report otherwise. Driver messages can span lines; an operator
            // gets exactly one.
            let message = match error.said() {
                Some(said) if !error.is_server_fault() => said.in_lang(lang),
                _ => error.report(),
            };
            let one_line: Vec<&str> = message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let code = kindred_cli::exit_code(&error);
            let key = if code == 2 {
                "cli-error-input"
            } else {
                "cli-error-failed"
            };
            let line = lang.t_args(key, &[("detail", one_line.join(" ").into())]);
            eprintln!("kindred: {line}");
            ExitCode::from(code)
        }
    }
}
