//! The `/metrics` exposition, pinned by a snapshot with the numbers redacted: metric
//! names, help, types and labels are what dashboards, alerts and BENCHMARKS.md read, so
//! any change to them has to show up as a snapshot diff.

use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::TestApp;

/// Every sample's value becomes `N` and the backend label `DB`, so the snapshot is the
/// same on both backends and however fast the requests were.
fn redact(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line
                .replace("backend=\"sqlite\"", "backend=\"DB\"")
                .replace("backend=\"postgres\"", "backend=\"DB\"");
            match line.rsplit_once(' ') {
                Some((series, _)) if !line.starts_with('#') => format!("{series} N"),
                _ => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn metrics_exposition_is_unchanged(app: TestApp) {
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("metrics");
    insta::assert_snapshot!("metrics", redact(&text));
}

both_backends!(metrics_exposition_is_unchanged);
