//! Indexing throughput and query latency on a synthetic corpus.
//!
//! `cargo bench -p kindred-search` builds an index of 100,000 synthetic posts (override
//! with `KINDRED_BENCH_POSTS`), prints posts/s and the writer's memory budget, then
//! prints p50/p99 latencies of a fixed query mix (measured one query at a time) before
//! handing the same queries to criterion. Targets (issue 6, on 2 cores): indexing
//! ≥ 25,000 posts/s; queries p50 < 5 ms, p99 < 25 ms.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kindred_search::{
    rebuild, synthetic_posts, CorpusConfig, ParsedQuery, PostDoc, SearchConfig, SearchRequest,
    Sort, Synonyms, Visibility, RARE_TERM,
};

const SYNONYMS: &str = include_str!("../../seed-data/search/synonyms.txt");
const SEED: u64 = 42;
/// Communities 36..40 of the corpus are private ones the benchmark viewer is not in.
const READABLE_COMMUNITIES: usize = 36;

struct QueryCase {
    kind: &'static str,
    text: String,
    sort: Sort,
}

fn query_mix() -> Vec<QueryCase> {
    let case = |kind, text: &str, sort| QueryCase {
        kind,
        text: text.to_owned(),
        sort,
    };
    vec![
        case("single term", "chemo", Sort::Relevance),
        case("two terms", "nausea fatigue", Sort::Relevance),
        case("phrase", "\"stem cell transplant\"", Sort::Relevance),
        case("synonym", "nsclc", Sort::Relevance),
        case("community", "scan community:community-03", Sort::Relevance),
        case("rare term", RARE_TERM, Sort::Relevance),
        case("exclusion", "pain -nausea", Sort::Relevance),
        case("newest", "pain", Sort::Newest),
        case("common word", "the", Sort::Relevance),
    ]
}

/// Extra queries for investigation: `KINDRED_BENCH_EXTRA='pain -queasy|"hair loss"'`.
fn extra_queries() -> Vec<QueryCase> {
    std::env::var("KINDRED_BENCH_EXTRA")
        .map(|text| {
            text.split('|')
                .map(|query| QueryCase {
                    kind: "extra",
                    text: query.to_owned(),
                    sort: Sort::Relevance,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// CPU seconds this process has used (user + system), where /proc tells.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn posts_to_index() -> usize {
    std::env::var("KINDRED_BENCH_POSTS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(100_000)
}

fn config() -> SearchConfig {
    let synonyms = Synonyms::parse(SYNONYMS).expect("synonyms parse");
    let mut config = SearchConfig::new(synonyms);
    if let Some(megabytes) = std::env::var("KINDRED_BENCH_WRITER_MB")
        .ok()
        .and_then(|text| text.parse::<usize>().ok())
    {
        config.rebuild_memory_bytes = megabytes * 1_000_000;
    }
    if let Some(threads) = std::env::var("KINDRED_BENCH_WRITER_THREADS")
        .ok()
        .and_then(|text| text.parse().ok())
    {
        config.rebuild_threads = threads;
    }
    config
}

fn corpus(posts: usize) -> (CorpusConfig, Vec<PostDoc>) {
    let corpus = CorpusConfig::new(posts, SEED);
    let docs = synthetic_posts(&corpus).collect();
    (corpus, docs)
}

fn request(corpus: &CorpusConfig, case: &QueryCase) -> SearchRequest {
    let mut query = ParsedQuery::parse(&case.text).expect("benchmark queries parse");
    query.resolve_communities(|slug| {
        (0..corpus.communities)
            .find(|&index| corpus.community_slug(index) == slug)
            .map(|index| corpus.community_id(index))
    });
    let visibility = Visibility {
        readable: (0..READABLE_COMMUNITIES)
            .map(|index| corpus.community_id(index))
            .collect(),
        moderated: vec![corpus.community_id(0)],
    };
    let mut request = SearchRequest::new(query, visibility);
    request.sort = case.sort;
    request
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path).map_or(0, |entries| {
        entries
            .flatten()
            .filter_map(|entry| entry.metadata().ok())
            .map(|metadata| metadata.len())
            .sum()
    })
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// Builds the big index once, reports indexing and per-kind latency, then benches the
/// query mix with criterion.
fn queries(c: &mut Criterion) {
    let posts = posts_to_index();
    let config = config();
    let (corpus, docs) = corpus(posts);
    let words: usize = docs.iter().map(|post| post.body.split(' ').count()).sum();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("index");
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let index = rebuild(&path, docs, 1, &config).expect("rebuild");
    let elapsed = started.elapsed();
    let cpu = cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let segments = index
        .tantivy_index()
        .searchable_segment_ids()
        .map_or(0, |ids| ids.len());
    println!();
    println!("indexing: {posts} posts ({words} body words) in {elapsed:.2?}");
    println!(
        "indexing: {:.0} posts/s, writer budget {} MB over {} thread(s), {} segment(s), {:.1} MB on disk",
        posts as f64 / elapsed.as_secs_f64(),
        config.rebuild_memory_bytes / 1_000_000,
        config.rebuild_threads,
        segments,
        dir_size(&path) as f64 / 1e6,
    );
    if let Some(cpu) = cpu {
        println!(
            "indexing: {cpu:.2} CPU-seconds, {:.0} posts per CPU-second",
            posts as f64 / cpu
        );
    }

    println!("query latency over {posts} posts, one at a time:");
    println!(
        "{:<13} {:>9} {:>9} {:>9} {:>9}",
        "kind", "p50 ms", "p99 ms", "max ms", "matches"
    );
    let cases = query_mix();
    for case in cases.iter().chain(&extra_queries()) {
        let request = request(&corpus, case);
        for _ in 0..20 {
            black_box(index.search(&request).expect("search"));
        }
        let mut times = Vec::with_capacity(300);
        let mut matches = 0;
        for _ in 0..300 {
            let started = Instant::now();
            let results = index.search(&request).expect("search");
            times.push(started.elapsed());
            matches = results.total_estimate;
        }
        times.sort_unstable();
        println!(
            "{:<13} {:>9.3} {:>9.3} {:>9.3} {:>9}  {}",
            case.kind,
            millis(percentile(&times, 0.5)),
            millis(percentile(&times, 0.99)),
            millis(percentile(&times, 1.0)),
            matches,
            case.text
        );
    }

    let mut group = c.benchmark_group("query");
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(2));
    group.warm_up_time(Duration::from_millis(500));
    for case in &cases {
        let request = request(&corpus, case);
        group.bench_function(case.kind, |bencher| {
            bencher.iter(|| black_box(index.search(black_box(&request)).expect("search")));
        });
    }
    group.finish();
}

/// Criterion's own throughput figure for a smaller rebuild.
fn indexing(c: &mut Criterion) {
    let config = config();
    let (_, docs) = corpus(20_000);
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("rebuild 20k posts", |bencher| {
        bencher.iter_with_setup(
            || (tempfile::tempdir().expect("temp dir"), docs.clone()),
            |(dir, docs)| {
                let index = rebuild(&dir.path().join("index"), docs, 1, &config).expect("rebuild");
                black_box(index.num_docs());
                (dir, index)
            },
        );
    });
    group.finish();
}

criterion_group!(benches, queries, indexing);
criterion_main!(benches);
