//! The command line speaks the deployment's default language to its admin (issue 21):
//! with `KINDRED_DEFAULT_LANGUAGE=es` its success lines and its one-line errors are
//! Spanish; without it, the English lines scripts read are unchanged.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("kindred-cli-lang-{:016x}", rand::random::<u64>()))
}

fn kindred(dir: &PathBuf, language: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kindred"));
    command
        .env_clear()
        .env("KINDRED_DATA_DIR", dir)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null());
    if let Some(code) = language {
        command.env("KINDRED_DEFAULT_LANGUAGE", code);
    }
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run kindred")
}

#[test]
fn success_lines_and_errors_follow_the_default_language() {
    let dir = data_dir();
    let spanish = run(kindred(&dir, Some("es")).arg("migrate"));
    assert!(spanish.status.success(), "{spanish:?}");
    let text = String::from_utf8_lossy(&spanish.stdout);
    assert!(text.starts_with("migraciones aplicadas a "), "{text}");
    assert!(!text.contains("migrations applied"), "{text}");

    let seeded = run(kindred(&dir, Some("es")).arg("seed"));
    let text = String::from_utf8_lossy(&seeded.stdout);
    assert!(
        text.contains("datos de demostración cargados: 10 comunidades"),
        "{text}"
    );

    // A refused input: exit 2, one line, the Spanish frame around the detail.
    let refused = run(kindred(&dir, Some("es")).args(["user", "erase", "nobody_here"]));
    assert_eq!(refused.status.code(), Some(2));
    let line = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(line.trim_end().lines().count(), 1, "{line}");
    assert_eq!(
        line.trim_end(),
        "kindred: datos o configuración no válidos: no hay ningún miembro llamado nobody_here"
    );

    // English stays as scripts have always read it.
    let english = run(kindred(&dir, None).arg("migrate"));
    let text = String::from_utf8_lossy(&english.stdout);
    assert!(text.starts_with("migrations applied to "), "{text}");
    let refused = run(kindred(&dir, Some("en")).args(["user", "erase", "nobody_here"]));
    let line = String::from_utf8_lossy(&refused.stderr);
    assert!(
        line.starts_with("kindred: no member is called nobody_here"),
        "{line}"
    );
}
