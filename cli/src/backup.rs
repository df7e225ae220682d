//! `kindred backup` and `kindred restore`: a consistent copy of a SQLite database while
//! the server serves, and putting one back in place with the search index rebuilt.

use std::path::Path;

use kindred_server::config::{DatabaseTarget, Settings};
use kindred_server::error::{Error, Said};
use kindred_server::store::{maintenance, Store};

/// The SQLite file behind the settings, or the one-line answer for PostgreSQL.
fn sqlite_path<'a>(settings: &'a Settings, tool: &str) -> Result<&'a Path, Error> {
    match &settings.database {
        DatabaseTarget::Sqlite(path) => Ok(path),
        DatabaseTarget::Postgres(_) => Err(Error::Config(format!(
            "this command copies SQLite databases; for PostgreSQL use {tool} (see the README's Backups section)"
        ))),
    }
}

pub(crate) fn backup(settings: &Settings, out: &Path) -> Result<(), Error> {
    sqlite_path(settings, "pg_dump --format=custom")?;
    if out.exists() {
        return Err(Error::Conflict(
            Said::new("es3-cli-backup-exists")
                .with("file", out.display().to_string())
                .into(),
        ));
    }
    let store = Store::connect(&settings.database, 1)?;
    store.read(|conn| maintenance::sqlite_backup(conn, out))?;
    let bytes = std::fs::metadata(out).map_or(0, |m| m.len());
    println!(
        "{}",
        settings.default_language.t_args(
            "cli-backup-written",
            &[
                ("file", out.display().to_string().into()),
                ("bytes", bytes.to_string().into()),
            ],
        )
    );
    Ok(())
}

/// Checks the backup, refuses to pull a database from under a running server, swaps the
/// file in (copy beside it, then rename) and rebuilds the search index, which described
/// the database that was there before.
pub(crate) fn restore(settings: &Settings, file: &Path, force: bool) -> Result<(), Error> {
    let target = sqlite_path(settings, "pg_restore")?;
    maintenance::check_sqlite_backup(file).map_err(|message| Error::invalid("file", message))?;
    // A running server holds the search index's writer lock: this fails if one does.
    drop(kindred_server::indexer::Search::open(&settings.data_dir)?);
    if target.exists() && !force {
        return Err(Error::Conflict(
            Said::new("es3-cli-restore-target-exists")
                .with("file", target.display().to_string())
                .into(),
        ));
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
        "{}",
        settings.default_language.t_args(
            "cli-restored",
            &[
                ("file", file.display().to_string().into()),
                ("target", target.display().to_string().into()),
                ("posts", documents.to_string().into()),
                ("event", last_event.to_string().into()),
            ],
        )
    );
    Ok(())
}
