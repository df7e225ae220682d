//! Spanish search through the public API: Spanish stemming, folded accents, Spanish stop
//! words, and the shipped synonyms joining Spanish and English posts both ways.

// A panic is how a test fails.
#![allow(clippy::unwrap_used)]

use kindred_search::{
    Change, ParsedQuery, PostDoc, PostStatus, SearchConfig, SearchIndex, SearchRequest,
    SearchResults, Synonyms, Visibility,
};
use tempfile::TempDir;

const SYNONYMS: &str = include_str!("../../seed-data/search/synonyms.txt");
const PUBLIC: i64 = 1;
const PRIVATE: i64 = 2;

const ES_CHEMO: i64 = 1;
const EN_CHEMO: i64 = 2;
const ES_LUNG: i64 = 3;
const EN_NSCLC: i64 = 4;
const ES_RADIO: i64 = 5;
const ES_PRIVATE: i64 = 6;
const EN_BREAST: i64 = 7;

fn post(post_id: i64, community_id: i64, title: &str, body: &str) -> PostDoc {
    PostDoc {
        post_id,
        thread_id: post_id * 10,
        community_id,
        thread_title: title.to_owned(),
        body: body.to_owned(),
        author: Some("ana".to_owned()),
        created_at: 1_704_067_200_000_000 + post_id,
        status: PostStatus::Published,
        language: None,
    }
}

fn fixture() -> (TempDir, SearchIndex) {
    let dir = TempDir::new().unwrap();
    let synonyms = Synonyms::parse(SYNONYMS).unwrap();
    let index = SearchIndex::open(dir.path(), &SearchConfig::new(synonyms)).unwrap();
    let posts = vec![
        post(
            ES_CHEMO,
            PUBLIC,
            "Primera semana de tratamiento",
            "Ayer empecé las quimioterapias y tengo muchas náuseas. ¿Qué os ayudó a \
             vosotras durante los primeros ciclos?",
        ),
        post(
            EN_CHEMO,
            PUBLIC,
            "First week of chemo",
            "Started chemo on Monday; the nausea is rough but manageable so far.",
        ),
        post(
            ES_LUNG,
            PUBLIC,
            "Diagnóstico nuevo",
            "Me acaban de diagnosticar un CPCNP en estadio 3 y tengo mucho miedo.",
        ),
        post(
            EN_NSCLC,
            PUBLIC,
            "Just diagnosed",
            "Stage 3 non-small cell lung cancer. Any advice for the first weeks?",
        ),
        post(
            ES_RADIO,
            PUBLIC,
            "Sesiones de radioterapia",
            "Me quedan diez sesiones de radioterapia y la piel del pecho está muy roja.",
        ),
        post(
            ES_PRIVATE,
            PRIVATE,
            "Cuidar a mi madre",
            "Mi madre empezó la quimioterapia y no sé cómo ayudarla con el cansancio.",
        ),
        post(
            EN_BREAST,
            PUBLIC,
            "Lumpectomy next week",
            "My breast surgeon says the margins should be clear; nervous all the same.",
        ),
    ];
    index
        .apply(posts.into_iter().map(Change::Upsert), 1)
        .unwrap();
    (dir, index)
}

fn search(index: &SearchIndex, text: &str, readable: &[i64]) -> SearchResults {
    let query = ParsedQuery::parse(text).unwrap();
    let visibility = Visibility {
        readable: readable.to_vec(),
        moderated: vec![],
    };
    index
        .search(&SearchRequest::new(query, visibility))
        .unwrap()
}

fn check(index: &SearchIndex, text: &str, expected: &[i64]) {
    let results = search(index, text, &[PUBLIC]);
    let mut ids: Vec<i64> = results.hits.iter().map(|hit| hit.post_id).collect();
    ids.sort_unstable();
    assert_eq!(ids, expected, "query {text:?}");
}

#[test]
fn spanish_inflections_and_accents_match() {
    let (_dir, index) = fixture();
    // "quimioterapias" in the post; singular, accent where there is none, capitals.
    check(&index, "quimioterapia", &[ES_CHEMO, EN_CHEMO]);
    check(&index, "quimioterapía", &[ES_CHEMO, EN_CHEMO]);
    check(&index, "QUIMIOTERAPIAS", &[ES_CHEMO, EN_CHEMO]);
    check(&index, "nauseas", &[ES_CHEMO, EN_CHEMO]);
    // Spanish stemming: "sesión" (singular, accented) finds "sesiones".
    check(&index, "sesión", &[ES_RADIO]);
    check(&index, "rojo", &[ES_RADIO]);
}

#[test]
fn synonyms_join_the_languages_both_ways() {
    let (_dir, index) = fixture();
    check(&index, "quimio", &[ES_CHEMO, EN_CHEMO]);
    check(&index, "chemo", &[ES_CHEMO, EN_CHEMO]);
    check(&index, "chemotherapy", &[ES_CHEMO, EN_CHEMO]);
    check(&index, "CPCNP", &[ES_LUNG, EN_NSCLC]);
    check(&index, "NSCLC", &[ES_LUNG, EN_NSCLC]);
    check(&index, "cáncer de pulmón", &[EN_NSCLC]);
    check(&index, "radiotherapy", &[ES_RADIO]);
    check(&index, "radio", &[ES_RADIO]);
    // "mama" is one-way: it finds "breast", but "breast" does not find every "mama".
    check(&index, "mama", &[EN_BREAST]);
    check(&index, "nausea", &[ES_CHEMO, EN_CHEMO]);
}

#[test]
fn spanish_stop_words_are_not_required_in_a_spanish_query() {
    let (_dir, index) = fixture();
    check(&index, "las náuseas de la quimio", &[ES_CHEMO, EN_CHEMO]);
    // A phrase keeps its stop words: it is matched as written.
    check(&index, "\"sesiones de radioterapia\"", &[ES_RADIO]);
    check(&index, "\"sesiones radioterapia\"", &[]);
    // An English query keeps every word.
    check(&index, "the nausea", &[EN_CHEMO]);
}

#[test]
fn spanish_hits_are_highlighted_with_the_spanish_analysis() {
    let (_dir, index) = fixture();
    let results = search(&index, "quimio", &[PUBLIC]);
    let spanish = results
        .hits
        .iter()
        .find(|hit| hit.post_id == ES_CHEMO)
        .unwrap();
    assert!(
        spanish.snippet_html.contains("<mark>quimioterapias</mark>"),
        "{}",
        spanish.snippet_html
    );
    let results = search(&index, "sesión", &[PUBLIC]);
    assert!(
        results.hits[0].title_html.contains("<mark>Sesiones</mark>"),
        "{}",
        results.hits[0].title_html
    );
}

#[test]
fn private_spanish_posts_stay_private() {
    let (_dir, index) = fixture();
    for query in ["quimio", "quimioterapia", "chemo", "cansancio", "madre"] {
        let outsider = search(&index, query, &[PUBLIC]);
        assert!(
            outsider.hits.iter().all(|hit| hit.post_id != ES_PRIVATE),
            "{query}"
        );
        let member = search(&index, query, &[PUBLIC, PRIVATE]);
        assert!(
            member.hits.iter().any(|hit| hit.post_id == ES_PRIVATE),
            "{query}"
        );
    }
}

#[test]
fn the_first_spanish_post_is_found_by_its_spanish_inflections() {
    // Until a Spanish post is indexed, searches leave the Spanish fields out; the first
    // one must bring them back.
    let dir = TempDir::new().unwrap();
    let synonyms = Synonyms::parse(SYNONYMS).unwrap();
    let index = SearchIndex::open(dir.path(), &SearchConfig::new(synonyms)).unwrap();
    let english = post(
        EN_CHEMO,
        PUBLIC,
        "First week of chemo",
        "Started chemo on Monday; the nausea is rough.",
    );
    index.apply([Change::Upsert(english)], 1).unwrap();
    check(&index, "rojo", &[]);
    check(&index, "quimio", &[EN_CHEMO]);
    let spanish = post(
        ES_RADIO,
        PUBLIC,
        "Sesiones de radioterapia",
        "Me quedan diez sesiones de radioterapia y la piel del pecho está muy roja.",
    );
    index.apply([Change::Upsert(spanish)], 2).unwrap();
    check(&index, "rojo", &[ES_RADIO]);
    check(&index, "quimio", &[EN_CHEMO]);
}

#[test]
fn the_recorded_language_decides_the_analysis_and_detection_fills_in() {
    // The server records English or Spanish at screening: the index takes it as given
    // (detecting again cost as much as the rest of indexing). Anything else — no record,
    // `und`, another language — is detected from the text, as before.
    let dir = TempDir::new().unwrap();
    let synonyms = Synonyms::parse(SYNONYMS).unwrap();
    let index = SearchIndex::open(dir.path(), &SearchConfig::new(synonyms)).unwrap();
    let radio = "Me quedan diez sesiones de radioterapia y la piel del pecho está muy roja.";
    let recorded = |post_id: i64, language: Option<&str>| PostDoc {
        language: language.map(str::to_owned),
        ..post(post_id, PUBLIC, "Sesiones", radio)
    };
    index
        .apply(
            [
                recorded(1, Some("es")),
                recorded(2, Some("en")),
                recorded(3, Some("und")),
                recorded(4, None),
                // Short and without accents: screening could tell nothing, the record
                // says Spanish.
                PostDoc {
                    language: Some("es".to_owned()),
                    ..post(5, PUBLIC, "Hola", "piel roja")
                },
            ]
            .map(Change::Upsert),
            1,
        )
        .unwrap();
    // Spanish stemming ("roja" for "rojo") reaches only the posts analysed the Spanish
    // way; every post keeps the English analysis.
    check(&index, "rojo", &[1, 3, 4, 5]);
    check(&index, "radioterapia", &[1, 2, 3, 4]);
    // Documents read back do not carry the record.
    assert!(index
        .all_posts()
        .unwrap()
        .iter()
        .all(|post| post.language.is_none()));
}
