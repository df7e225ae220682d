//! Structured logs through `tracing`. `RUST_LOG` filters (default `info`);
//! `KINDRED_LOG_FORMAT=json` switches to one JSON object per line.

use tracing_subscriber::EnvFilter;

/// Crates that log the text they process (html5ever logs every token of a post at debug
/// level): silenced whatever `RUST_LOG` says, because post text must never reach the logs.
const CONTENT_LOGGING_CRATES: [&str; 4] = ["html5ever", "markup5ever", "ammonia", "pulldown_cmark"];

/// `default_level` applies when `RUST_LOG` is unset: `info` for the server, `warn` for
/// one-shot commands, whose errors must stay a single readable line.
pub fn init(default_level: &str) {
    let mut filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    for target in CONTENT_LOGGING_CRATES {
        if let Ok(directive) = format!("{target}=off").parse() {
            filter = filter.add_directive(directive);
        }
    }
    let json = std::env::var("KINDRED_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second initialisation (tests start many apps in one process) is harmless.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
