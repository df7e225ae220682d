//! The insights page in a real browser (Chromium, SQLite; see `browser.rs`): the research
//! partner signs in, lands on her communities, opens the charts; withheld cells are
//! hatched where expected; axe-core finds nothing serious, also on a phone.

use fantoccini::Locator;

use crate::browser::{assert_accessible, browser, browser_kit, check, sign_in, spawn_for_browser};
use crate::insights_pages::scenario;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_research_partner_reads_the_charts() {
    let Some((driver, axe)) = browser_kit().await else {
        return;
    };
    let app = spawn_for_browser().await;
    let (_, _, month) = scenario(&app).await;
    let mut problems = Vec::new();

    let lena = browser(&driver).await;
    sign_in(&lena, &app, "lena_research").await;
    let heading = lena
        .find(Locator::Css("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert_eq!(
        heading, "Community insights",
        "signing in leads to her insights"
    );
    check(&lena, &axe, "insights-index", &mut problems).await;
    lena.goto(&app.url(&format!("/insights/lung?from={month}&to={month}")))
        .await
        .expect("insights page");
    let hatched = lena
        .find(Locator::Css("#heatmap-table td.withheld"))
        .await
        .expect("a hatched cell in the heatmap's table")
        .text()
        .await
        .expect("text");
    assert_eq!(hatched, "<11");
    lena.find(Locator::Css("svg.heatmap rect.withheld"))
        .await
        .expect("a hatched cell in the heatmap");
    let background: String = lena
        .execute(
            "return getComputedStyle(document.querySelector('#heatmap-table td.withheld')).backgroundImage",
            vec![],
        )
        .await
        .expect("style")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        background.contains("repeating-linear-gradient"),
        "{background}"
    );
    let published = lena
        .find(Locator::Css("#treatments-table tbody tr td"))
        .await
        .expect("treatments table")
        .text()
        .await
        .expect("text");
    assert_eq!(published, "15", "chemotherapy: 12 + 3 posts");
    check(&lena, &axe, "insights-page", &mut problems).await;

    let _ = lena.close().await;
    assert_accessible(&problems);
}
