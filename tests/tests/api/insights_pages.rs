//! The insights page (issue 20): a research partner of a community (or an admin) sees its
//! figures as charts and tables; withheld figures are hatched "<11"; the page holds no
//! figure its export withholds; every view and download is audited.

use std::collections::BTreeSet;

use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Session, TestApp};
use crate::insights::month_now;
use crate::partners::partner;

/// 12 consenting members: each mentions chemotherapy with nausea, and radiotherapy with
/// fatigue; 3 of them also chemotherapy with fatigue (a pair resting on 3 members, so
/// withheld). Returns the admin, the partner `lena_research` (granted `lung`) and the month.
pub async fn scenario(app: &TestApp) -> (Session, Session, String) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "lung", "public", "open").await;
    app.community(&admin, "breast", "public", "open").await;
    let (thread, _) = app
        .thread(
            &admin,
            "lung",
            "How is treatment going?",
            "Share if you like.",
        )
        .await;
    for i in 0..12 {
        let session = app.register(&format!("patient_{i:02}")).await;
        app.join(&session, "lung").await;
        let consent = app
            .patch(
                "/api/v1/me/consents",
                Some(&session),
                json!({"insights_opt_in": true}),
            )
            .await;
        assert_eq!(consent.status(), StatusCode::OK);
        app.reply(
            &session,
            &thread,
            "Chemotherapy week three, the nausea is rough.",
        )
        .await;
        app.reply(
            &session,
            &thread,
            "Radiotherapy has left me with a deep fatigue.",
        )
        .await;
        if i < 3 {
            app.reply(&session, &thread, "The chemo fatigue is different again.")
                .await;
        }
    }
    let lena = partner(app, &admin, "lena_research", "lung").await;
    (admin, lena, month_now())
}

async fn page(app: &TestApp, path: &str, session: &Session) -> Response {
    app.client
        .get(app.url(path))
        .header("cookie", format!("kindred_access={}", session.access_token))
        .send()
        .await
        .expect("page")
}

/// Every published number of an export, and every sum of a row's published months.
fn published_numbers(export: &Value) -> BTreeSet<u64> {
    let mut numbers = BTreeSet::new();
    let mut sums = std::collections::BTreeMap::<String, u64>::new();
    for month in export["months"].as_array().expect("months") {
        let mut rows = vec![month["totals"].clone()];
        for term in month["terms"].as_array().expect("terms") {
            rows.push(term.clone());
            if let Some(v) = term["posts"].as_u64() {
                *sums
                    .entry(format!("{}/{}", term["category"], term["label"]))
                    .or_default() += v;
            }
        }
        for pair in month["pairs"].as_array().expect("pairs") {
            rows.push(pair.clone());
            if let Some(v) = pair["posts"].as_u64() {
                *sums
                    .entry(format!("{}×{}", pair["treatment"], pair["side_effect"]))
                    .or_default() += v;
            }
        }
        for row in rows {
            for key in ["posts", "threads", "members"] {
                if let Some(v) = row[key].as_u64() {
                    numbers.insert(v);
                }
            }
        }
    }
    numbers.extend(sums.into_values());
    numbers
}

/// The figures in the page's table cells (`<td class="num…">…</td>`).
fn table_figures(html: &str) -> Vec<String> {
    html.split("<td class=\"num")
        .skip(1)
        .filter_map(|rest| {
            let text = rest.split_once('>')?.1;
            Some(text.split('<').next().unwrap_or_default().to_owned())
        })
        .collect()
}

async fn the_page_shows_only_what_the_export_publishes(app: TestApp) {
    let (admin, lena, month) = scenario(&app).await;
    let range = format!("from={month}&to={month}");

    let response = page(&app, &format!("/insights/lung?{range}"), &lena).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("Insights: Community lung"), "{html}");
    assert!(
        html.contains("<svg class=\"chart"),
        "charts are drawn on the server"
    );
    // The pair resting on 3 members is hatched, never drawn as 0.
    let heatmap = html
        .split("id=\"heatmap-table\"")
        .nth(1)
        .expect("heatmap table");
    assert!(
        heatmap.contains("<td class=\"num withheld\">&lt;11</td>"),
        "{heatmap}"
    );
    assert!(
        html.contains("class=\"withheld\""),
        "hatched marks in the SVG"
    );
    assert!(html.contains("members who agreed to count"));

    let export = page(
        &app,
        &format!("/insights/lung/export?{range}&format=json"),
        &lena,
    )
    .await;
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("attachment")));
    let export: Value = export.json().await.expect("json");
    let published = published_numbers(&export);
    let figures = table_figures(&html);
    assert!(figures.len() > 10, "{figures:?}");
    for figure in &figures {
        if figure == "&lt;11" {
            continue;
        }
        let number: u64 = figure
            .trim_end_matches('+')
            .parse()
            .unwrap_or_else(|_| panic!("not a figure: {figure}"));
        assert!(
            published.contains(&number),
            "the page shows {figure}, which the export does not publish ({published:?})"
        );
    }
    let csv = page(
        &app,
        &format!("/insights/lung/export?{range}&format=csv"),
        &lena,
    )
    .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.text().await.expect("csv").starts_with("month,kind,"));

    // Every look is in the audit table: the page (this period and the one before it) and
    // both downloads.
    let lena_id: i64 = lena.user_id.parse().expect("id");
    let audit = app
        .store
        .read(|conn| kindred_server::store::insights::audit_of_actor(conn, lena_id))
        .expect("audit");
    let seen: Vec<(&str, &str, &str)> = audit
        .iter()
        .map(|(c, f, o)| (c.as_str(), f.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("page", "html", "exported"),
            ("page", "html", "withheld"),
            ("page", "json", "exported"),
            ("page", "csv", "exported"),
        ]
    );

    // Her list names only her community; others' pages are not there for her.
    let index = page(&app, "/insights", &lena)
        .await
        .text()
        .await
        .expect("index");
    assert!(index.contains("href=\"/insights/lung\"") && !index.contains("/insights/breast"));
    let other = page(&app, &format!("/insights/breast?{range}"), &lena).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let other_export = page(&app, &format!("/insights/breast/export?{range}"), &lena).await;
    assert_eq!(other_export.status(), StatusCode::NOT_FOUND);
    // Bad months are a 400 with the reason, and nothing is audited for them.
    let bad = page(&app, "/insights/lung?from=2026-13&to=2026-01", &lena).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let too_long = page(&app, "/insights/lung?from=2020-01&to=2026-01", &lena).await;
    assert_eq!(too_long.status(), StatusCode::BAD_REQUEST);
    let after = app
        .store
        .read(|conn| kindred_server::store::insights::audit_of_actor(conn, lena_id))
        .expect("audit");
    assert_eq!(after.len(), 4);

    // Members do not see insights pages; admins see every community's.
    let member = app.register("ana_patient").await;
    let refused = page(&app, &format!("/insights/lung?{range}"), &member).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let members_index = page(&app, "/insights", &member).await;
    assert_eq!(members_index.status(), StatusCode::NOT_FOUND);
    let by_admin = page(&app, &format!("/insights/breast?{range}"), &admin).await;
    assert_eq!(by_admin.status(), StatusCode::OK);
    let text = by_admin.text().await.expect("html");
    assert!(text.contains("fewer than 11 members"), "{text}");

    // The charts' own words (titles, a withheld mark's title) follow the reader's language.
    let spanish = app
        .client
        .get(app.url(&format!("/insights/lung?{range}")))
        .header("cookie", format!("kindred_access={}", admin.access_token))
        .header("accept-language", "es")
        .send()
        .await
        .expect("page");
    assert_eq!(spanish.status(), StatusCode::OK);
    let html = spanish.text().await.expect("html");
    assert!(
        html.contains("Tratamientos: menciones por mes (cifras en la tabla de abajo)"),
        "{html}"
    );
    assert!(html.contains("Tratamientos y efectos secundarios mencionados"));
    assert!(html.contains("Principales preocupaciones: este periodo"));
    assert!(!html.contains("mentions by month") && !html.contains("Top concerns"));
    assert!(!html.contains(">Treatments:") && !html.contains("(withheld)"));
}

both_backends!(the_page_shows_only_what_the_export_publishes);
