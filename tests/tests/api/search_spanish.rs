//! Search in Spanish over HTTP: Spanish stemming and folded accents, and health synonyms
//! shared across languages ("quimio" finds an English post about chemo, "chemo" a
//! Spanish one), with private communities still out of reach of outsiders.

use serde_json::Value;

use crate::both_backends;
use crate::helpers::TestApp;
use crate::search::{post_ids, search_until};

/// A search for `query` by a visitor once the index holds everything the test posted.
async fn visitor_search(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/search?q={query}"), None)
        .await
}

fn contains_all(page: &Value, wanted: &[&str]) -> bool {
    let found = post_ids(page);
    wanted.iter().all(|id| found.iter().any(|f| f == id))
}

async fn spanish_and_english_posts_meet_through_shared_synonyms(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "mama-es", "public", "open").await;
    app.community(&admin, "lung", "public", "open").await;
    app.community(&admin, "cuidadores", "private", "approval")
        .await;
    let moderator = app.register("mod_lucia").await;
    app.appoint_moderator(&admin, "cuidadores", "mod_lucia")
        .await;
    let ana = app.register("ana_paciente").await;
    let sam = app.register("sam_patient").await;
    let outsider = app.register("outsider").await;
    app.join(&ana, "mama-es").await;
    app.join(&sam, "lung").await;

    let (_, spanish) = app
        .thread(
            &ana,
            "mama-es",
            "Primera semana de tratamiento",
            "Ayer empecé las quimioterapias y tengo muchas náuseas. ¿Qué os ayudó a \
             vosotras durante los primeros ciclos?",
        )
        .await;
    let (_, english) = app
        .thread(
            &sam,
            "lung",
            "First week of chemo",
            "Started chemo on Monday; the nausea is rough but manageable so far.",
        )
        .await;
    let (_, private) = app
        .thread(
            &moderator,
            "cuidadores",
            "Cuidar a mi madre",
            "Mi madre empezó la quimioterapia y no sé cómo ayudarla con el cansancio.",
        )
        .await;
    let (spanish, english, private) = (spanish.as_str(), english.as_str(), private.as_str());

    // The moderator finds the private post: it is indexed, so the outsiders' empty
    // results below mean it is hidden, not missing.
    search_until(&app, "q=quimio", Some(&moderator), |page| {
        contains_all(page, &[spanish, english, private])
    })
    .await;

    // "quimio" finds the Spanish post ("quimioterapias") and the English chemo post.
    let page = visitor_search(&app, "quimio").await;
    assert!(contains_all(&page, &[spanish, english]), "{page}");
    let snippet = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["post_id"] == spanish)
        .and_then(|item| item["snippet_html"].as_str())
        .expect("the Spanish hit has a snippet")
        .to_owned();
    assert!(snippet.contains("<mark>quimioterapias</mark>"), "{snippet}");

    // An accent typed where there is none, and a plural where the post has none.
    for query in [
        "quimioterap%C3%ADa",
        "QUIMIOTERAPIA",
        "n%C3%A1usea",
        "nauseas",
    ] {
        let page = visitor_search(&app, query).await;
        assert!(contains_all(&page, &[spanish]), "{query}: {page}");
    }

    // The other way round: English words find the Spanish post.
    for query in ["chemo", "chemotherapy", "nausea"] {
        let page = visitor_search(&app, query).await;
        assert!(contains_all(&page, &[spanish, english]), "{query}: {page}");
    }

    // Spanish stop words in a Spanish query are not required of an English post.
    let page = visitor_search(&app, "las%20n%C3%A1useas%20de%20la%20quimio").await;
    assert!(contains_all(&page, &[spanish, english]), "{page}");

    // Nothing unrelated comes along: the synonyms are of the same concept only.
    let page = visitor_search(&app, "radioterapia").await;
    assert!(post_ids(&page).is_empty(), "{page}");

    // The private Spanish post never reaches visitors or outsiders, by any route.
    for query in ["quimio", "quimioterapia", "chemo", "cansancio", "madre"] {
        for viewer in [None, Some(&outsider)] {
            let page = app
                .get_json(&format!("/api/v1/search?q={query}"), viewer)
                .await;
            assert!(
                !post_ids(&page).iter().any(|id| id == private),
                "{query}: {page}"
            );
        }
    }
}

both_backends!(spanish_and_english_posts_meet_through_shared_synonyms);
