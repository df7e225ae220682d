//! `kindred user memorialise NAME` and `unmemorialise` as an operator meets them: a
//! confirmation on success, and one readable line with exit code 2 for an unknown name or
//! a second memorial.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn data_dir() -> PathBuf {
    std::env::temp_dir().join(format!("kindred-memorial-{:016x}", rand::random::<u64>()))
}

fn kindred(dir: &PathBuf) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kindred"));
    command
        .env_clear()
        .env("KINDRED_DATA_DIR", dir)
        .env("RUST_LOG", "off")
        .stdin(Stdio::null());
    command
}

fn user(dir: &PathBuf, action: &str, name: &str) -> Output {
    kindred(dir)
        .args(["user", action, name])
        .output()
        .expect("run kindred")
}

fn assert_one_line_error(output: &Output, needle: &str) {
    let text = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {text}");
    assert_eq!(text.trim_end().lines().count(), 1, "one line: {text}");
    assert!(text.contains(needle), "{needle:?} not in {text:?}");
}

#[test]
fn memorialise_confirms_refuses_twice_and_names_unknown_members() {
    let dir = data_dir();
    let mut child = kindred(&dir)
        .args(["admin", "create", "old_friend"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"a calm and patient harbour\n")
        .expect("password");
    assert!(child.wait().expect("wait").success());

    let done = user(&dir, "memorialise", "old_friend");
    assert!(done.status.success(), "{done:?}");
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(said.contains("In memory of old_friend"), "{said}");
    assert_one_line_error(
        &user(&dir, "memorialise", "old_friend"),
        "already memorialised",
    );
    assert_one_line_error(
        &user(&dir, "memorialise", "nobody_here"),
        "no member is called nobody_here",
    );
    let undone = user(&dir, "unmemorialise", "old_friend");
    assert!(undone.status.success(), "{undone:?}");
    assert_one_line_error(
        &user(&dir, "unmemorialise", "old_friend"),
        "not memorialised",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
