//! End-to-end tests of the public API on temporary directories.

// A panic is how a test fails.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use kindred_search::{
    rebuild, Change, Cursor, Error, IndexHome, LiveIndex, ParsedQuery, PostDoc, PostStatus,
    SearchConfig, SearchIndex, SearchRequest, SearchResults, Sort, Synonyms, Visibility,
};
use tempfile::TempDir;

const SYNONYMS: &str = include_str!("../../seed-data/search/synonyms.txt");
const DAY: i64 = 86_400_000_000;
/// 2024-01-01T00:00:00Z in micros.
const JAN_1_2024: i64 = 1_704_067_200_000_000;

const LUNG: i64 = 1;
const BREAST: i64 = 2;
const PRIVATE: i64 = 3;

fn config() -> SearchConfig {
    let synonyms = Synonyms::parse(SYNONYMS).expect("the shipped synonyms file parses");
    let mut config = SearchConfig::new(synonyms);
    config.rebuild_threads = 1;
    config.rebuild_memory_bytes = 20_000_000;
    config
}

fn post(post_id: i64, community_id: i64, title: &str, body: &str) -> PostDoc {
    PostDoc {
        post_id,
        thread_id: post_id * 10,
        community_id,
        thread_title: title.to_owned(),
        body: body.to_owned(),
        author: Some("ann".to_owned()),
        created_at: JAN_1_2024 + post_id * DAY,
        status: PostStatus::Published,
        language: None,
    }
}

struct Fixture {
    _dir: TempDir,
    index: SearchIndex,
}

fn fixture(posts: Vec<PostDoc>) -> Fixture {
    let dir = TempDir::new().unwrap();
    let index = SearchIndex::open(dir.path(), &config()).unwrap();
    index
        .apply(posts.into_iter().map(Change::Upsert), 1)
        .unwrap();
    Fixture { _dir: dir, index }
}

fn reader() -> Visibility {
    Visibility {
        readable: vec![LUNG, BREAST],
        moderated: vec![],
    }
}

fn request(text: &str, visibility: Visibility) -> SearchRequest {
    let mut query = ParsedQuery::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    query.resolve_communities(|slug| match slug {
        "lung-cancer" => Some(LUNG),
        "breast-cancer" => Some(BREAST),
        "private-group" => Some(PRIVATE),
        _ => None,
    });
    SearchRequest::new(query, visibility)
}

fn search(index: &SearchIndex, text: &str) -> SearchResults {
    index.search(&request(text, reader())).unwrap()
}

fn ids(results: &SearchResults) -> Vec<i64> {
    let mut ids: Vec<i64> = results.hits.iter().map(|hit| hit.post_id).collect();
    ids.sort_unstable();
    ids
}

/// `check(index, query, expected ids)`: the hits (in any order) and the count.
fn check(index: &SearchIndex, text: &str, expected: &[i64]) {
    let results = search(index, text);
    assert_eq!(ids(&results), expected, "query {text:?}");
    assert_eq!(
        results.total_estimate,
        expected.len() as u64,
        "count of {text:?}"
    );
}

#[test]
fn the_shipped_synonyms_file_is_big_enough() {
    let synonyms = Synonyms::parse(SYNONYMS).unwrap();
    assert!(
        synonyms.rule_count() >= 150,
        "{} rules",
        synonyms.rule_count()
    );
}

#[test]
fn synonyms_expand_at_query_time() {
    let f = fixture(vec![
        post(
            1,
            LUNG,
            "New here",
            "Stage 3 non-small cell lung cancer, starting treatment.",
        ),
        post(2, LUNG, "Update", "My NSCLC is stable."),
        post(3, LUNG, "Side effects", "Chemotherapy round two done."),
        post(
            4,
            LUNG,
            "Side effects",
            "Pins and needles in my toes since cycle 3.",
        ),
        post(5, LUNG, "Scans", "The bone scan shows metastatic spread."),
        post(6, BREAST, "Transplant", "SCT scheduled for March."),
        post(
            7,
            BREAST,
            "Kids",
            "My son has acute lymphoblastic leukemia.",
        ),
        post(8, BREAST, "Kids", "We read all the leaflets about it."),
        post(9, LUNG, "Update", "NED at last, no evidence of disease!"),
        post(10, BREAST, "Meds", "Started keytruda last week."),
    ]);
    let index = &f.index;
    check(index, "NSCLC", &[1, 2]);
    check(index, "non small cell lung cancer", &[1, 2]);
    check(index, "chemo", &[3]);
    check(index, "neuropathy", &[4]);
    check(index, "mets", &[5]);
    check(index, "stem cell transplant", &[6]);
    check(index, "sct", &[6]);
    check(index, "ALL", &[7, 8]);
    check(index, "all", &[8]);
    check(index, "pembrolizumab", &[10]);
    check(index, "ned", &[9]);
    // Quoted phrases are exact: no synonyms inside quotes.
    check(index, "\"non-small cell lung cancer\"", &[1]);
    // Synonym alternatives are highlighted too.
    let results = search(index, "nsclc");
    let first = results.hits.iter().find(|hit| hit.post_id == 1).unwrap();
    assert!(
        first.snippet_html.contains("<mark>non</mark>"),
        "{}",
        first.snippet_html
    );
}

#[test]
fn stemming_matches_inflections() {
    let f = fixture(vec![
        post(1, LUNG, "Walks", "I walked to the clinic."),
        post(2, LUNG, "Scanning", "More scans next week."),
        post(3, LUNG, "Other", "Nothing relevant here."),
    ]);
    check(&f.index, "walking", &[1]);
    check(&f.index, "scan", &[2]);
    check(&f.index, "SCANNED", &[2]);
}

#[test]
fn phrases_words_and_exclusions() {
    let f = fixture(vec![
        post(1, LUNG, "Hair", "Hair loss started in week three."),
        post(2, LUNG, "Hair", "The loss of my hair hit hard."),
        post(3, LUNG, "Nausea", "Nausea and hair loss both."),
        post(4, LUNG, "Other", "Feeling fine today."),
    ]);
    let index = &f.index;
    check(index, "\"hair loss\"", &[1, 3]);
    check(index, "hair loss", &[1, 2, 3]);
    check(index, "hair -nausea", &[1, 2]);
    check(index, "hair -\"hair loss\"", &[2]);
    check(index, "hair loss week", &[1]);
    check(index, "hair -feeling", &[1, 2, 3]);
}

#[test]
fn titles_weigh_more_than_bodies() {
    let f = fixture(vec![
        post(
            1,
            LUNG,
            "Talking about radiotherapy",
            "Long day at the clinic today.",
        ),
        post(
            2,
            LUNG,
            "Long day",
            "Talking about radiotherapy at the clinic today.",
        ),
    ]);
    let results = search(&f.index, "radiotherapy");
    assert_eq!(results.hits[0].post_id, 1);
    assert_eq!(
        results.hits[0].title_html,
        "Talking about <mark>radiotherapy</mark>"
    );
    assert!(results.hits[0].score > results.hits[1].score);
}

#[test]
fn community_and_author_filters() {
    let mut posts = vec![
        post(1, LUNG, "Scans", "Scan on Monday."),
        post(2, BREAST, "Scans", "Scan on Tuesday."),
        post(3, LUNG, "Scans", "Scan on Friday."),
    ];
    posts[2].author = Some("bob".to_owned());
    let f = fixture(posts);
    let index = &f.index;
    check(index, "scan community:lung-cancer", &[1, 3]);
    check(
        index,
        "scan community:lung-cancer community:breast-cancer",
        &[1, 2, 3],
    );
    check(index, "scan -community:lung-cancer", &[2]);
    check(index, "scan community:no-such-place", &[]);
    check(index, "scan author:BOB", &[3]);
    check(index, "author:bob", &[3]);
    check(index, "scan -author:bob", &[1, 2]);
    check(index, "scan author:ann community:lung-cancer", &[1]);
    // A filter the caller forgot to resolve is a wiring error, not an empty result.
    let query = ParsedQuery::parse("scan community:lung-cancer").unwrap();
    let error = index
        .search(&SearchRequest::new(query, reader()))
        .unwrap_err();
    assert!(matches!(error, Error::UnresolvedCommunity { .. }));
    assert!(!error.is_client_error());
}

#[test]
fn before_and_after_are_utc_days() {
    // Posts 1..=5 are created on 2024-01-02 .. 2024-01-06 at midnight UTC.
    let f = fixture(
        (1..=5)
            .map(|id| post(id, LUNG, "Day", "scan day"))
            .collect(),
    );
    let index = &f.index;
    check(index, "scan after:2024-01-04", &[3, 4, 5]);
    check(index, "scan before:2024-01-04", &[1, 2]);
    check(index, "after:2024-01-03 before:2024-01-05", &[2, 3]);
    check(index, "scan after:2024-01-05 before:2024-01-05", &[]);
    check(index, "scan after:2030-01-01", &[]);
}

#[test]
fn invisible_communities_never_show_in_hits_counts_or_snippets() {
    let f = fixture(vec![
        post(1, LUNG, "Public", "glioblastoma support"),
        post(2, PRIVATE, "Private", "glioblastoma secret details"),
    ]);
    let index = &f.index;
    let results = search(index, "glioblastoma");
    assert_eq!(ids(&results), [1]);
    assert_eq!(results.total_estimate, 1);
    let mut all_text = String::new();
    for hit in &results.hits {
        all_text.push_str(&format!("{} {}", hit.title_html, hit.snippet_html));
    }
    assert!(!all_text.contains("secret"), "{all_text}");
    // Asking for the private community by name does not help a non-member...
    check(index, "glioblastoma community:private-group", &[]);
    // ...nor does asking for hidden posts without being its moderator.
    let mut sneaky = request("glioblastoma", reader());
    sneaky.include_hidden = true;
    sneaky.visibility.moderated = vec![PRIVATE];
    assert_eq!(ids(&index.search(&sneaky).unwrap()), [1]);
    // A member sees both.
    let member = Visibility {
        readable: vec![LUNG, PRIVATE],
        moderated: vec![],
    };
    assert_eq!(
        ids(&index.search(&request("glioblastoma", member)).unwrap()),
        [1, 2]
    );
    // No readable community at all: nothing.
    let nobody = index
        .search(&request("glioblastoma", Visibility::default()))
        .unwrap();
    assert_eq!((nobody.hits.len(), nobody.total_estimate), (0, 0));
}

#[test]
fn held_and_removed_posts_only_for_moderators_who_ask() {
    let mut posts = vec![
        post(1, LUNG, "Ok", "radiotherapy published"),
        post(2, LUNG, "Held", "radiotherapy held"),
        post(3, LUNG, "Removed", "radiotherapy removed"),
        post(4, BREAST, "Held elsewhere", "radiotherapy held"),
    ];
    posts[1].status = PostStatus::Held;
    posts[2].status = PostStatus::Removed;
    posts[3].status = PostStatus::Held;
    let f = fixture(posts);
    let index = &f.index;
    check(index, "radiotherapy", &[1]);
    let moderator = Visibility {
        readable: vec![LUNG, BREAST],
        moderated: vec![LUNG],
    };
    // A moderator who does not ask sees what everyone sees.
    let plain = index
        .search(&request("radiotherapy", moderator.clone()))
        .unwrap();
    assert_eq!(ids(&plain), [1]);
    let mut asking = request("radiotherapy", moderator);
    asking.include_hidden = true;
    let results = index.search(&asking).unwrap();
    assert_eq!(
        ids(&results),
        [1, 2, 3],
        "not the held post of another community"
    );
    assert_eq!(results.total_estimate, 3);
    let held = results.hits.iter().find(|hit| hit.post_id == 2).unwrap();
    assert_eq!(held.status, PostStatus::Held);
}

#[test]
fn edits_replace_and_deletes_remove() {
    let f = fixture(vec![post(1, LUNG, "Scans", "waiting for my ct results")]);
    let index = &f.index;
    check(index, "waiting", &[1]);
    let mut edited = post(1, LUNG, "Scans", "results are in: stable");
    edited.status = PostStatus::Published;
    index.apply([Change::Upsert(edited.clone())], 2).unwrap();
    check(index, "waiting", &[]);
    check(index, "stable", &[1]);
    // The same upsert twice (a replayed event) still leaves one document.
    index.apply([Change::Upsert(edited)], 3).unwrap();
    check(index, "results", &[1]);
    assert_eq!(index.num_docs(), 1);
    // Several changes to one post in a batch: the last one wins.
    index
        .apply(
            [
                Change::Upsert(post(1, LUNG, "Scans", "first")),
                Change::Upsert(post(1, LUNG, "Scans", "second")),
                Change::Upsert(post(2, LUNG, "Scans", "other post")),
            ],
            4,
        )
        .unwrap();
    check(index, "first", &[]);
    check(index, "second", &[1]);
    index
        .apply(
            [
                Change::Delete { post_id: 1 },
                Change::Delete { post_id: 99 },
            ],
            5,
        )
        .unwrap();
    check(index, "second", &[]);
    check(index, "post", &[2]);
    assert_eq!(index.num_docs(), 1);
    // Upsert after delete in one batch brings it back.
    index
        .apply(
            [
                Change::Delete { post_id: 2 },
                Change::Upsert(post(2, LUNG, "Scans", "back again")),
            ],
            6,
        )
        .unwrap();
    check(index, "back", &[2]);
}

#[test]
fn the_event_cursor_survives_reopening_and_never_goes_back() {
    let dir = TempDir::new().unwrap();
    {
        let index = SearchIndex::open(dir.path(), &config()).unwrap();
        assert_eq!(index.last_applied_event(), None);
        index
            .apply([Change::Upsert(post(1, LUNG, "A", "scan"))], 41)
            .unwrap();
        index.apply([], 42).unwrap();
        assert_eq!(index.last_applied_event(), Some(42));
        let error = index.apply([], 40).unwrap_err();
        assert!(matches!(
            error,
            Error::EventWentBackwards {
                applied: 42,
                requested: 40
            }
        ));
        index.apply([], 42).unwrap();
    }
    let index = SearchIndex::open(dir.path(), &config()).unwrap();
    assert_eq!(index.last_applied_event(), Some(42));
    check(&index, "scan", &[1]);
}

#[test]
fn a_second_writer_on_the_same_directory_is_refused() {
    let dir = TempDir::new().unwrap();
    let _first = SearchIndex::open(dir.path(), &config()).unwrap();
    let error = SearchIndex::open(dir.path(), &config()).unwrap_err();
    assert!(matches!(error, Error::IndexLocked { .. }), "{error:?}");
}

#[test]
fn snippets_escape_html() {
    let f = fixture(vec![
        post(
            1,
            LUNG,
            "<b>Bold</b> & \"quoted\"",
            "Careful: <script>alert('chemo')</script> & more chemo",
        ),
        post(2, LUNG, "Tom & Jerry <3", "a body without the word"),
    ]);
    let results = search(&f.index, "chemo");
    let hit = &results.hits[0];
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        !hit.snippet_html.contains("<script"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("<mark>chemo</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.contains("&#x27;"), "{}", hit.snippet_html);
    assert_eq!(
        hit.title_html,
        "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;"
    );
    assert_eq!(hit.title, "<b>Bold</b> & \"quoted\"");
    // A title-only match shows the body's opening, escaped, and the highlighted title.
    let results = search(&f.index, "jerry");
    assert_eq!(
        results.hits[0].title_html,
        "Tom &amp; <mark>Jerry</mark> &lt;3"
    );
    assert_eq!(results.hits[0].snippet_html, "a body without the word");
    // Only <mark> is ever added.
    let markup: String = results.hits[0]
        .title_html
        .replace("<mark>", "")
        .replace("</mark>", "");
    assert!(!markup.contains('<'));
}

#[test]
fn keyset_pages_cover_everything_once() {
    let posts: Vec<PostDoc> = (1..=53)
        .map(|id| {
            let body = format!("infusion {}", "day ".repeat((id % 7) as usize));
            post(
                id,
                if id % 2 == 0 { LUNG } else { BREAST },
                "Infusions",
                &body,
            )
        })
        .collect();
    let f = fixture(posts);
    for sort in [Sort::Newest, Sort::Relevance] {
        let mut seen = Vec::new();
        let mut cursor: Option<Cursor> = None;
        let mut pages = 0;
        loop {
            let mut request = request("infusion", reader());
            request.sort = sort;
            request.limit = 10;
            // Cursors travel as strings.
            request.cursor = cursor.map(|c| Cursor::parse(&c.to_string()).unwrap());
            let results = f.index.search(&request).unwrap();
            assert_eq!(results.total_estimate, 53);
            seen.extend(
                results
                    .hits
                    .iter()
                    .map(|hit| (hit.post_id, hit.created_at, hit.score)),
            );
            pages += 1;
            match results.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(pages, 6, "{sort:?}");
        let unique: HashSet<i64> = seen.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(unique.len(), 53, "{sort:?}: every post exactly once");
        assert_eq!(seen.len(), 53);
        if sort == Sort::Newest {
            assert!(seen.windows(2).all(|w| w[0].1 > w[1].1), "newest first");
        } else {
            assert!(seen.windows(2).all(|w| w[0].2 >= w[1].2), "best first");
        }
    }
}

#[test]
fn bad_requests_are_client_errors() {
    let f = fixture(vec![post(1, LUNG, "A", "scan")]);
    let mut bad_limit = request("scan", reader());
    bad_limit.limit = 0;
    let error = f.index.search(&bad_limit).unwrap_err();
    assert!(matches!(error, Error::InvalidLimit { .. }) && error.is_client_error());
    bad_limit.limit = 101;
    assert!(f.index.search(&bad_limit).is_err());
    // A newest cursor used for a relevance search.
    let posts = (2..=5).map(|id| post(id, LUNG, "A", "scan"));
    f.index.apply(posts.map(Change::Upsert), 2).unwrap();
    let mut newest = request("scan", reader());
    newest.sort = Sort::Newest;
    newest.limit = 2;
    let cursor = f.index.search(&newest).unwrap().next_cursor.unwrap();
    let mut relevance = request("scan", reader());
    relevance.cursor = Some(cursor);
    let error = f.index.search(&relevance).unwrap_err();
    assert!(matches!(error, Error::InvalidCursor) && error.is_client_error());
    assert!(Cursor::parse("not a cursor").unwrap_err().is_client_error());
    // Queries that parse but hold nothing searchable.
    let query = ParsedQuery::parse("!!! ...").unwrap();
    let error = f
        .index
        .search(&SearchRequest::new(query, reader()))
        .unwrap_err();
    assert!(matches!(error, Error::NothingSearchable) && error.is_client_error());
    for text in [
        "",
        "\"open",
        "foo:bar",
        "before:2024-13-01",
        &"x".repeat(501),
    ] {
        let error = ParsedQuery::parse(text).unwrap_err();
        assert!(error.is_client_error(), "{text:?}: {error}");
    }
}

fn sample_posts() -> Vec<PostDoc> {
    let mut posts: Vec<PostDoc> =
        kindred_search::synthetic_posts(&kindred_search::CorpusConfig::new(400, 3)).collect();
    // Communities of the synthetic corpus are 1000..1040; map a few onto ours.
    for post in &mut posts {
        post.community_id = post.community_id % 3 + 1;
    }
    posts
}

fn snapshot(index: &SearchIndex) -> Vec<(String, Vec<i64>, u64)> {
    let moderator = Visibility {
        readable: vec![LUNG, BREAST, PRIVATE],
        moderated: vec![LUNG],
    };
    [
        "chemo",
        "scan results",
        "\"side effects\"",
        "nsclc",
        "author:member_3",
        "pain -nausea",
    ]
    .iter()
    .map(|text| {
        let mut request = request(text, moderator.clone());
        request.sort = Sort::Newest;
        request.include_hidden = true;
        request.limit = 100;
        let results = index.search(&request).unwrap();
        let ids = results.hits.iter().map(|hit| hit.post_id).collect();
        ((*text).to_owned(), ids, results.total_estimate)
    })
    .collect()
}

#[test]
fn a_rebuild_equals_the_incremental_index() {
    let posts = sample_posts();
    let incremental_dir = TempDir::new().unwrap();
    let incremental = SearchIndex::open(incremental_dir.path(), &config()).unwrap();
    // Incremental: in batches, with edits and a delete along the way.
    let mut event = 0;
    for batch in posts.chunks(64) {
        event += 1;
        incremental
            .apply(batch.iter().cloned().map(Change::Upsert), event)
            .unwrap();
    }
    let mut edited = posts[10].clone();
    edited.body.push_str(" edited later");
    incremental
        .apply(
            [
                Change::Upsert(edited.clone()),
                Change::Delete {
                    post_id: posts[20].post_id,
                },
            ],
            event + 1,
        )
        .unwrap();
    let mut final_posts = posts.clone();
    final_posts[10] = edited;
    final_posts.remove(20);

    let rebuilt_dir = TempDir::new().unwrap();
    let rebuilt = rebuild(
        &rebuilt_dir.path().join("gen"),
        final_posts.clone(),
        event + 1,
        &config(),
    )
    .unwrap();
    assert_eq!(rebuilt.last_applied_event(), Some(event + 1));
    // Read back without the recorded language, which the index does not keep.
    let read_back: Vec<PostDoc> = final_posts
        .iter()
        .cloned()
        .map(|post| PostDoc {
            language: None,
            ..post
        })
        .collect();
    assert_eq!(incremental.all_posts().unwrap(), read_back);
    assert_eq!(rebuilt.all_posts().unwrap(), read_back);
    assert_eq!(snapshot(&incremental), snapshot(&rebuilt));
    assert!(snapshot(&rebuilt).iter().all(|(_, ids, _)| !ids.is_empty()));
}

#[test]
fn rebuild_refuses_duplicates_and_used_directories() {
    let dir = TempDir::new().unwrap();
    let twice = vec![post(1, LUNG, "A", "a"), post(1, LUNG, "A", "b")];
    let error = rebuild(&dir.path().join("a"), twice, 1, &config()).unwrap_err();
    assert!(matches!(error, Error::DuplicatePost { post_id: 1 }));
    let error = rebuild(&dir.path().join("a"), vec![], 1, &config()).unwrap_err();
    assert!(matches!(error, Error::RebuildTargetNotEmpty { .. }));
}

#[test]
fn a_home_swaps_in_a_rebuild_while_the_old_index_keeps_answering() {
    let root = TempDir::new().unwrap();
    let home = IndexHome::new(root.path().join("search"));
    let config = config();
    let live = LiveIndex::new(home.open(&config).unwrap());
    assert_eq!(
        home.active_generation().unwrap().as_deref(),
        Some("gen-000001")
    );
    live.get()
        .apply([Change::Upsert(post(1, LUNG, "Old", "glioblastoma"))], 10)
        .unwrap();

    // Rebuild on another thread while this one keeps searching the live index.
    let fresh = std::thread::scope(|scope| {
        let builder = scope.spawn(|| {
            let posts = vec![
                post(1, LUNG, "Old", "glioblastoma"),
                post(2, LUNG, "New", "glioblastoma too"),
            ];
            home.rebuild(posts, 11, &config).unwrap()
        });
        while !builder.is_finished() {
            check(&live.get(), "glioblastoma", &[1]);
        }
        builder.join().unwrap()
    });
    assert!(fresh.path().ends_with("gen-000002"));
    fresh
        .apply([Change::Upsert(post(3, LUNG, "Later", "gbm"))], 12)
        .unwrap();
    home.activate(&fresh).unwrap();
    let in_flight = live.get();
    let old = live.replace(fresh);
    check(&in_flight, "glioblastoma", &[1]); // a search already holding the old index
    drop((in_flight, old));
    check(&live.get(), "glioblastoma", &[1, 2, 3]);
    let removed = home.remove_inactive().unwrap();
    assert_eq!(removed.len(), 1);
    assert!(removed[0].ends_with("gen-000001"));
    drop(live);

    // After a restart the home opens the active generation where it left off.
    let reopened = home.open(&config).unwrap();
    assert!(reopened.path().ends_with("gen-000002"));
    assert_eq!(reopened.last_applied_event(), Some(12));
}

#[test]
fn a_home_with_a_broken_pointer_says_so() {
    let root = TempDir::new().unwrap();
    std::fs::write(root.path().join("CURRENT"), "gen-000009\n").unwrap();
    let error = IndexHome::new(root.path()).open(&config()).unwrap_err();
    assert!(matches!(error, Error::BadPointer { .. }), "{error:?}");
    std::fs::write(root.path().join("CURRENT"), "../elsewhere\n").unwrap();
    let error = IndexHome::new(root.path()).open(&config()).unwrap_err();
    assert!(matches!(error, Error::BadPointer { .. }), "{error:?}");
}

// ---- crash safety: a real `kill -9` of a process that is writing ----------------------

const CRASH_DIR: &str = "KINDRED_SEARCH_CRASH_DIR";
const CRASH_BATCH: i64 = 40;

fn crash_batch(event: i64) -> Vec<Change> {
    (0..CRASH_BATCH)
        .map(|i| {
            let id = event * 1_000 + i;
            Change::Upsert(post(
                id,
                LUNG,
                "Crash",
                "crash test body with some words in it",
            ))
        })
        .collect()
}

/// The child half of `opening_after_kill_9_resumes_from_the_last_commit`: writes batches
/// until it is killed. Does nothing when run on its own.
#[test]
#[ignore = "run by opening_after_kill_9_resumes_from_the_last_commit"]
fn crash_child() {
    let Ok(dir) = std::env::var(CRASH_DIR) else {
        return;
    };
    let dir = Path::new(&dir);
    let index = SearchIndex::open(&dir.join("index"), &config()).unwrap();
    let started = Instant::now();
    let mut event = index.last_applied_event().unwrap_or(0);
    while started.elapsed() < Duration::from_secs(60) {
        event += 1;
        index.apply(crash_batch(event), event).unwrap();
        if event == 3 {
            std::fs::write(dir.join("ready"), b"").unwrap();
        }
    }
}

#[test]
fn opening_after_kill_9_resumes_from_the_last_commit() {
    let dir = TempDir::new().unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_DIR, dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let waiting = Instant::now();
    while !dir.path().join("ready").exists() {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "the child never got going"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(150));
    child.kill().unwrap(); // SIGKILL on Unix: no destructor runs, the lock file stays
    child.wait().unwrap();

    let index = SearchIndex::open(&dir.path().join("index"), &config()).unwrap();
    let last = index.last_applied_event().unwrap();
    assert!(last >= 3, "{last}");
    assert_eq!(index.num_docs(), last as u64 * CRASH_BATCH as u64);
    // The server resumes after `last`; the index takes the next batch normally.
    index.apply(crash_batch(last + 1), last + 1).unwrap();
    assert_eq!(index.num_docs(), (last + 1) as u64 * CRASH_BATCH as u64);
}

/// Three pages of `text`, as (post id, score), and the first page's count.
fn three_pages(
    index: &SearchIndex,
    text: &str,
    sort: Sort,
    exact_count: bool,
) -> (Vec<(i64, f32)>, u64) {
    let corpus = kindred_search::CorpusConfig::new(0, 0);
    let visibility = Visibility {
        readable: (0..36).map(|c| corpus.community_id(c)).collect(),
        moderated: vec![],
    };
    let mut hits = Vec::new();
    let mut total = None;
    let mut cursor = None;
    for _ in 0..3 {
        let mut request = SearchRequest::new(ParsedQuery::parse(text).unwrap(), visibility.clone());
        request.exact_count = exact_count;
        request.sort = sort;
        request.cursor = cursor;
        let results = index.search(&request).unwrap();
        total.get_or_insert(results.total_estimate);
        hits.extend(results.hits.iter().map(|hit| (hit.post_id, hit.score)));
        cursor = results.next_cursor;
    }
    (hits, total.unwrap())
}

#[test]
fn pruned_and_windowed_pages_equal_reading_every_match() {
    let dir = TempDir::new().unwrap();
    let index = SearchIndex::open(dir.path(), &config()).unwrap();
    let posts: Vec<PostDoc> =
        kindred_search::synthetic_posts(&kindred_search::CorpusConfig::new(24_000, 7)).collect();
    // Several commits make several segments; deletions leave dead documents in them.
    for (batch, chunk) in posts.chunks(8_000).enumerate() {
        index
            .apply(chunk.iter().cloned().map(Change::Upsert), batch as i64 + 1)
            .unwrap();
    }
    let deleted = posts.iter().step_by(5).map(|post| Change::Delete {
        post_id: post.post_id,
    });
    index.apply(deleted, 10).unwrap();

    // Relevance: single words with one-word synonyms are pruned, the rest are controls.
    // Newest first: common words are searched in a window of recent posts first.
    let texts = [
        "chemo",
        "pain -nausea",
        "the",
        "fatigue",
        "scan",
        "nsclc",
        "nausea fatigue",
    ];
    for sort in [Sort::Relevance, Sort::Newest] {
        for text in texts {
            let (fast, estimate) = three_pages(&index, text, sort, false);
            let (exhaustive, exact) = three_pages(&index, text, sort, true);
            assert_eq!(fast.len(), 60, "{text:?} {sort:?}: three full pages");
            assert_eq!(fast, exhaustive, "{text:?} {sort:?}: same hits, same order");
            let error = (estimate as f64 - exact as f64).abs() / exact as f64;
            assert!(error < 0.1, "{text:?}: estimate {estimate}, exact {exact}");
        }
        // A word matching fewer posts than are counted exactly is counted exactly.
        let (_, estimate) = three_pages(&index, "nausea", sort, false);
        let (_, exact) = three_pages(&index, "nausea", sort, true);
        assert!(exact < 4_096 * 3, "{exact}");
        assert_eq!(estimate, exact);
    }
}
