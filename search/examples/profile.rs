//! Query latency on a persistent synthetic index (development aid for profiling).
//!
//! `cargo build --release --workspace --example profile`, then
//! `target/release/examples/profile DIR POSTS [QUERY…]` builds an index of POSTS
//! synthetic posts in DIR unless one is there (timing the indexing only, not the
//! corpus), prints how many terms its Spanish fields hold, then p50 / p99 of each query
//! (default: the benchmark's mix) over 200 runs. A query starting with `>`
//! is sorted newest first. Run it under `perf record` to see where a query spends time.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kindred_search::{
    rebuild, synthetic_posts, CorpusConfig, ParsedQuery, SearchConfig, SearchIndex, SearchRequest,
    Sort, Synonyms, Visibility, RARE_TERM,
};

const SYNONYMS: &str = include_str!("../../seed-data/search/synonyms.txt");
const SEED: u64 = 42;
const READABLE_COMMUNITIES: usize = 36;
const RUNS: usize = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: profile DIR POSTS [QUERY…]")?);
    let posts: usize = args
        .next()
        .ok_or("usage: profile DIR POSTS [QUERY…]")?
        .parse()?;
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = [
            "chemo",
            "nausea fatigue",
            "\"stem cell transplant\"",
            "nsclc",
            "scan community:community-03",
            RARE_TERM,
            ">pain",
        ]
        .map(String::from)
        .to_vec();
    }
    let config = SearchConfig::new(Synonyms::parse(SYNONYMS)?);
    let corpus = CorpusConfig::new(posts, SEED);
    let index = if dir.exists() {
        SearchIndex::open(&dir, &config)?
    } else {
        // Generated first, as `kindred bench search` does, so only indexing is timed.
        let docs: Vec<_> = synthetic_posts(&corpus).collect();
        let started = Instant::now();
        let index = rebuild(&dir, docs, 1, &config)?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "indexed {posts} posts in {seconds:.1} s = {:.0} posts/s",
            posts as f64 / seconds
        );
        index
    };
    println!("Spanish terms in the index: {}", spanish_terms(&index)?);
    let visibility = Visibility {
        readable: (0..READABLE_COMMUNITIES)
            .map(|index| corpus.community_id(index))
            .collect(),
        moderated: Vec::new(),
    };
    for text in &queries {
        let (sort, text) = match text.strip_prefix('>') {
            Some(rest) => (Sort::Newest, rest),
            None => (Sort::Relevance, text.as_str()),
        };
        let mut query = ParsedQuery::parse(text)?;
        query.resolve_communities(|slug| {
            (0..corpus.communities)
                .find(|&index| corpus.community_slug(index) == slug)
                .map(|index| corpus.community_id(index))
        });
        let mut request = SearchRequest::new(query, visibility.clone());
        request.sort = sort;
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut total = 0;
        let mut first = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let results = index.search(&request)?;
            times.push(started.elapsed());
            total = results.total_estimate;
            first = results.hits.iter().take(3).map(|hit| hit.post_id).collect();
        }
        times.sort_unstable();
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
        println!(
            "{text:<32} p50 {:>7.3} ms  p99 {:>7.3} ms  total {total:>8}  top {first:?}",
            at(0.5),
            at(0.99)
        );
    }
    Ok(())
}

/// Terms in the Spanish fields, summed over segments: zero when no post was analysed the
/// Spanish way, and searches then leave those fields out.
fn spanish_terms(index: &SearchIndex) -> Result<u64, Box<dyn std::error::Error>> {
    let tantivy = index.tantivy_index();
    let searcher = tantivy.reader()?.searcher();
    let mut terms = 0;
    for name in ["title_es", "body_es"] {
        let field = tantivy.schema().get_field(name)?;
        for segment in searcher.segment_readers() {
            terms += segment.inverted_index(field)?.terms().num_terms() as u64;
        }
    }
    Ok(terms)
}
