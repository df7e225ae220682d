//! De-identified insights: only opted-in members, only aggregates, small cells withheld.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{assert_error, expect_error, Session, TestApp};

pub fn month_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = now.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

async fn member(app: &TestApp, name: &str, opted_in: bool) -> Session {
    let session = app.register(name).await;
    app.join(&session, "lung").await;
    if opted_in {
        let response = app
            .patch(
                "/api/v1/me/consents",
                Some(&session),
                json!({"insights_opt_in": true}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    session
}

fn term<'a>(report: &'a Value, category: &str, label: &str) -> &'a Value {
    report["months"][0]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .find(|t| t["category"] == category && t["label"] == label)
        .unwrap_or_else(|| panic!("{category}/{label} missing from {report}"))
}

async fn insights_count_only_consenting_members_and_hide_small_cells(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    let (thread, _) = app
        .thread(
            &admin,
            "lung",
            "How is treatment going?",
            "Share if you like.",
        )
        .await;
    let month = month_now();
    let path = format!("/api/v1/admin/insights?community=lung&from={month}&to={month}");

    // Too few consenting members: an explanation, not an empty file.
    let early = app.get(&path, Some(&admin)).await;
    assert_error(early, StatusCode::BAD_REQUEST, "too_few_members").await;

    // 12 consenting members mention chemotherapy; 10 of them also mention nausea.
    let mut consenting = Vec::new();
    for i in 0..12 {
        let session = member(&app, &format!("patient_{i:02}"), true).await;
        let text = if i < 10 {
            "Chemotherapy week three, the nausea is rough."
        } else {
            "Chemotherapy went fine this cycle."
        };
        app.reply(&session, &thread, text).await;
        consenting.push(session);
    }
    // Members who did not opt in never count, however many there are.
    for i in 0..3 {
        let session = member(&app, &format!("private_{i}"), false).await;
        app.reply(&session, &thread, "Chemotherapy and nausea here too.")
            .await;
    }

    let refused = app.get(&path, Some(&consenting[0])).await;
    assert_error(refused, StatusCode::FORBIDDEN, "not_admin").await;
    let report: Value = app.get_json(&path, Some(&admin)).await;
    let chemo = term(&report, "treatment", "chemotherapy");
    assert_eq!(chemo["members"], 12);
    assert_eq!(chemo["posts"], 12);
    let nausea = term(&report, "side_effect", "nausea");
    assert_eq!(
        nausea["members"], "<11",
        "a figure from 10 members must be withheld"
    );
    assert_eq!(nausea["posts"], "<11");
    let text = report.to_string();
    for leak in ["patient_", "private_", "Chemotherapy week", thread.as_str()] {
        assert!(!text.contains(leak), "{leak} leaked into insights");
    }
    // Nothing published lets anyone subtract their way to the 10.
    let published: Vec<u64> = report["months"][0]["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .filter(|t| t["category"] == "side_effect")
        .filter_map(|t| t["members"].as_u64())
        .collect();
    let totals = &report["months"][0]["totals"];
    if let Some(total) = totals["members"].as_u64() {
        assert!(published.iter().all(|p| total.checked_sub(*p) != Some(10)));
    }

    // CSV works too.
    let csv = app.get(&format!("{path}&format=csv"), Some(&admin)).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.expect("csv");
    assert!(csv.starts_with("month,kind,category,term"));
    // The month is today's; everything else is fixed by the members above.
    insta::assert_snapshot!("insights_csv", csv.replace(&month, "[month]"));

    // A member who withdraws consent stops counting from that moment.
    let withdrawn = app
        .patch(
            "/api/v1/me/consents",
            Some(&consenting[11]),
            json!({"insights_opt_in": false}),
        )
        .await;
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let report: Value = app.get_json(&path, Some(&admin)).await;
    assert_eq!(term(&report, "treatment", "chemotherapy")["members"], 11);

    // Bad months are a clear 400.
    for bad in [
        "from=2026-13&to=2026-01",
        "from=2026-05&to=2026-01",
        "from=soon&to=later",
    ] {
        let response = app
            .get(
                &format!("/api/v1/admin/insights?community=lung&{bad}"),
                Some(&admin),
            )
            .await;
        expect_error(response, StatusCode::BAD_REQUEST).await;
    }
}

both_backends!(insights_count_only_consenting_members_and_hide_small_cells);
