//! `kindred bench search --posts N`: tantivy (the `search` crate, with the production
//! analyzers, synonyms and writer settings) against PostgreSQL full-text search on the
//! same deterministic synthetic corpus and the same query mix, in one run.
//!
//! PostgreSQL side: a throw-away database `kindred_bench_search_<random>` (dropped at
//! the end, whatever happens) with a stored generated `tsvector` column over title (weight A) and body
//! (weight B) in the `english` configuration and a GIN index. Rows are loaded with
//! `COPY` over as many connections as tantivy has writer threads, and the load
//! (which computes the `tsvector`s) is timed apart from the index build. Each query of
//! the mix is written as the `to_tsquery` that matches what the tantivy query does:
//! synonyms expanded as an OR of phrases (from `seed-data/search/synonyms.txt`), words
//! `ANDed`, the viewer's visibility and `community:` as WHERE clauses, the top 20 by
//! `ts_rank`. PostgreSQL is not asked to count all matches, which tantivy does; that
//! favours PostgreSQL.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
use kindred_search::{
    rebuild, synthetic_posts, CorpusConfig, ParsedQuery, PostDoc, SearchConfig, SearchIndex,
    SearchRequest, Sort, Visibility, RARE_TERM,
};

use crate::{millis, percentile, postgres_url_for, proc_status_kib};
use kindred_server::error::Error;
use kindred_server::indexer::Search;

const SEED: u64 = 42;
/// Communities 36..40 of the corpus are private ones the benchmark viewer is not in.
const READABLE_COMMUNITIES: usize = 36;
const WARM_UP: usize = 10;
/// PostgreSQL's warm-up runs: its queries take up to a second each at 1M posts.
const POSTGRES_WARM_UP: usize = 3;

/// What to run.
#[derive(Debug, Clone)]
pub struct SearchBench {
    pub posts: usize,
    /// A `postgres://` URL of a server on which the benchmark may create a database.
    pub postgres_url: String,
    /// Timed runs of each query in tantivy.
    pub repeats: usize,
    /// Timed runs of each query in PostgreSQL (fewer: at 1M posts most take ~0.5 s, and
    /// 200 of them made the benchmark ten minutes long).
    pub postgres_repeats: usize,
    /// Where the tantivy index is built (removed afterwards).
    pub work_dir: PathBuf,
}

/// One query of the mix, in both engines' terms.
struct QueryCase {
    kind: &'static str,
    /// Kindred's query language, as a member would type it.
    text: String,
    sort: Sort,
    /// The equivalent `to_tsquery('english', …)` argument.
    tsquery: &'static str,
    /// An extra WHERE condition (the `community:` filter).
    community: Option<usize>,
}

fn query_mix() -> Vec<QueryCase> {
    vec![
        QueryCase {
            kind: "single term",
            text: "chemo".into(),
            sort: Sort::Relevance,
            tsquery: "chemo | chemotherapy | chemo <-> therapy",
            community: None,
        },
        QueryCase {
            kind: "two terms",
            text: "nausea fatigue".into(),
            sort: Sort::Relevance,
            tsquery: "(nausea | feeling <-> sick | queasy) & (fatigue | exhaustion | tiredness \
                      | cancer <-> related <-> fatigue)",
            community: None,
        },
        QueryCase {
            kind: "phrase",
            text: "\"stem cell transplant\"".into(),
            sort: Sort::Relevance,
            tsquery: "stem <-> cell <-> transplant",
            community: None,
        },
        QueryCase {
            kind: "synonym",
            text: "nsclc".into(),
            sort: Sort::Relevance,
            tsquery: "nsclc | non <-> small <-> cell <-> lung <-> cancer \
                      | non <-> small <-> cell <-> lung <-> carcinoma",
            community: None,
        },
        QueryCase {
            kind: "community",
            text: "scan community:community-03".into(),
            sort: Sort::Relevance,
            tsquery: "scan",
            community: Some(3),
        },
        QueryCase {
            kind: "rare term",
            text: RARE_TERM.into(),
            sort: Sort::Relevance,
            tsquery: RARE_TERM,
            community: None,
        },
        QueryCase {
            kind: "newest",
            text: "pain".into(),
            sort: Sort::Newest,
            tsquery: "pain",
            community: None,
        },
    ]
}

/// Latencies of one query in one engine.
struct Timings {
    p50: Duration,
    p99: Duration,
    matches: u64,
}

/// Removes the index directory when the benchmark ends, however it ends.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the benchmark and returns the report.
pub fn run(bench: &SearchBench) -> Result<String, Error> {
    let mut report = String::new();
    let config = Search::config()?;
    let corpus = CorpusConfig::new(bench.posts, SEED);
    let started = Instant::now();
    let docs: Vec<PostDoc> = synthetic_posts(&corpus).collect();
    let words: usize = docs.iter().map(|p| p.body.split(' ').count()).sum();
    line(
        &mut report,
        format!(
            "corpus: {} posts, {} body words, seed {SEED}, generated in {:.1} s (not timed below)",
            docs.len(),
            words,
            started.elapsed().as_secs_f64()
        ),
    );
    let cases = query_mix();

    let work = WorkDir(bench.work_dir.join(format!(
        "kindred-bench-search-{:016x}",
        rand::random::<u64>()
    )));
    let (index, indexing) = index_with_tantivy(&work.0, &docs, &config)?;
    let tantivy_rows = cases
        .iter()
        .map(|case| time_tantivy(&index, &corpus, case, bench.repeats))
        .collect::<Result<Vec<_>, _>>()?;
    drop(index);

    let mut postgres = Postgres::create(&bench.postgres_url)?;
    let measured = postgres
        .load(&docs, config.rebuild_threads)
        .and_then(|loading| {
            let rows = cases
                .iter()
                .map(|case| postgres.time(&corpus, case, bench.postgres_repeats))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((loading, rows))
        });
    drop(docs);
    let dropped = postgres.drop_database();
    let (loading, postgres_rows) = measured?;
    dropped?;

    line(&mut report, "indexing:".into());
    line(&mut report, indexing);
    line(&mut report, loading);
    line(
        &mut report,
        format!(
            "queries: {} timed runs each in tantivy after {WARM_UP} warm-up runs, {} in \
             PostgreSQL after {POSTGRES_WARM_UP}, one at a time, top 20",
            bench.repeats, bench.postgres_repeats
        ),
    );
    line(
        &mut report,
        format!(
            "{:<12} {:>12} {:>12} {:>12} {:>12} {:>10} {:>10} {:>10}",
            "query",
            "tantivy p50",
            "tantivy p99",
            "postgres p50",
            "postgres p99",
            "p50 ratio",
            "t matches",
            "pg matches"
        ),
    );
    for ((case, t), p) in cases.iter().zip(&tantivy_rows).zip(&postgres_rows) {
        let ratio = p.p50.as_secs_f64() / t.p50.as_secs_f64().max(1e-9);
        line(
            &mut report,
            format!(
                "{:<12} {:>9.3} ms {:>9.3} ms {:>9.3} ms {:>9.3} ms {:>9.1}x {:>10} {:>10}",
                case.kind,
                millis(t.p50),
                millis(t.p99),
                millis(p.p50),
                millis(p.p99),
                ratio,
                t.matches,
                p.matches
            ),
        );
    }
    if let Some(peak) = proc_status_kib(std::process::id(), "VmHWM") {
        line(
            &mut report,
            format!(
                "peak RSS of this process (corpus in memory + tantivy writer): {:.0} MiB",
                peak as f64 / 1024.0
            ),
        );
    }
    Ok(report)
}

fn line(report: &mut String, text: String) {
    report.push_str(&text);
    report.push('\n');
}

fn index_with_tantivy(
    dir: &std::path::Path,
    docs: &[PostDoc],
    config: &SearchConfig,
) -> Result<(SearchIndex, String), Error> {
    let started = Instant::now();
    let index = rebuild(&dir.join("index"), docs.iter().cloned(), 1, config)
        .map_err(|e| Error::failed("tantivy rebuild", e))?;
    let elapsed = started.elapsed();
    let bytes = dir_size(&dir.join("index"));
    let summary = format!(
        "  tantivy   {} posts in {:.1} s = {:.0} posts/s (writer budget {} MB over {} threads; \
         index {:.0} MB on disk)",
        docs.len(),
        elapsed.as_secs_f64(),
        docs.len() as f64 / elapsed.as_secs_f64(),
        config.rebuild_memory_bytes / 1_000_000,
        config.rebuild_threads,
        bytes as f64 / 1e6
    );
    Ok((index, summary))
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path).map_or(0, |entries| {
        entries
            .flatten()
            .filter_map(|entry| entry.metadata().ok())
            .map(|metadata| metadata.len())
            .sum()
    })
}

fn visibility(corpus: &CorpusConfig) -> Visibility {
    Visibility {
        readable: (0..READABLE_COMMUNITIES)
            .map(|index| corpus.community_id(index))
            .collect(),
        moderated: Vec::new(),
    }
}

fn time_tantivy(
    index: &SearchIndex,
    corpus: &CorpusConfig,
    case: &QueryCase,
    repeats: usize,
) -> Result<Timings, Error> {
    let mut query = ParsedQuery::parse(&case.text)
        .map_err(|e| Error::failed(format!("benchmark query {:?}", case.text), e))?;
    query.resolve_communities(|slug| {
        (0..corpus.communities)
            .find(|&index| corpus.community_slug(index) == slug)
            .map(|index| corpus.community_id(index))
    });
    let mut request = SearchRequest::new(query, visibility(corpus));
    request.sort = case.sort;
    let search = || {
        index
            .search(&request)
            .map_err(|e| Error::failed("tantivy search", e))
    };
    for _ in 0..WARM_UP {
        search()?;
    }
    let mut times = Vec::with_capacity(repeats);
    let mut matches = 0;
    for _ in 0..repeats {
        let started = Instant::now();
        let results = search()?;
        times.push(started.elapsed());
        matches = results.total_estimate;
    }
    times.sort_unstable();
    Ok(Timings {
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
        matches,
    })
}

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// The benchmark's own PostgreSQL database.
struct Postgres {
    admin_url: String,
    database: String,
    url: String,
    connection: PgConnection,
}

fn connect(url: &str) -> Result<PgConnection, Error> {
    PgConnection::establish(url).map_err(|e| {
        Error::Config(format!(
            "cannot connect to {}: {e}",
            kindred_server::config::DatabaseTarget::Postgres(url.to_owned()).describe()
        ))
    })
}

impl Postgres {
    fn create(server_url: &str) -> Result<Postgres, Error> {
        let admin_url = postgres_url_for(server_url, "postgres")?;
        let database = format!("kindred_bench_search_{:08x}", rand::random::<u32>());
        let url = postgres_url_for(server_url, &database)?;
        connect(&admin_url)?.batch_execute(&format!("CREATE DATABASE {database}"))?;
        let mut connection = connect(&url)?;
        connection.batch_execute(
            "CREATE TABLE bench_posts (
                id BIGINT PRIMARY KEY,
                community_id BIGINT NOT NULL,
                status TEXT NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                document tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') ||
                    setweight(to_tsvector('english', body), 'B')
                ) STORED
            )",
        )?;
        Ok(Postgres {
            admin_url,
            database,
            url,
            connection,
        })
    }

    /// Loads the posts over `connections` connections, then builds the GIN index; returns
    /// the summary line.
    fn load(&mut self, docs: &[PostDoc], connections: usize) -> Result<String, Error> {
        let started = Instant::now();
        let share = docs.len().div_ceil(connections.max(1)).max(1);
        std::thread::scope(|scope| {
            let loaders: Vec<_> = docs
                .chunks(share)
                .map(|part| scope.spawn(|| copy_posts(&self.url, part)))
                .collect();
            loaders.into_iter().try_for_each(|loader| {
                loader
                    .join()
                    .map_err(|_| Error::Internal("a loading thread panicked".into()))?
            })
        })?;
        let loaded = started.elapsed();
        let started = Instant::now();
        self.connection.batch_execute(
            "SET maintenance_work_mem = '1GB';
             CREATE INDEX bench_posts_document ON bench_posts USING GIN (document);
             ANALYZE bench_posts",
        )?;
        let indexed = started.elapsed();
        let sizes = diesel::sql_query(
            "SELECT pg_total_relation_size('bench_posts') AS count
             UNION ALL SELECT pg_relation_size('bench_posts_document')",
        )
        .load::<Count>(&mut self.connection)?;
        let megabytes = |i: usize| sizes.get(i).map_or(0.0, |s| s.count as f64 / 1e6);
        let total = loaded + indexed;
        Ok(format!(
            "  postgres  {} rows in {:.1} s = {:.0} rows/s ({} connections, COPY, \
             tsvector computed on load) + GIN index in {:.1} s (maintenance_work_mem 1GB) \
             = {:.0} posts/s overall; table + indexes {:.0} MB, GIN {:.0} MB",
            docs.len(),
            loaded.as_secs_f64(),
            docs.len() as f64 / loaded.as_secs_f64(),
            connections,
            indexed.as_secs_f64(),
            docs.len() as f64 / total.as_secs_f64(),
            megabytes(0),
            megabytes(1)
        ))
    }

    fn time(
        &mut self,
        corpus: &CorpusConfig,
        case: &QueryCase,
        repeats: usize,
    ) -> Result<Timings, Error> {
        let readable: Vec<String> = visibility(corpus)
            .readable
            .iter()
            .map(i64::to_string)
            .collect();
        let mut filter = format!(
            "status = 'published' AND community_id IN ({})",
            readable.join(",")
        );
        if let Some(index) = case.community {
            write!(filter, " AND community_id = {}", corpus.community_id(index))
                .map_err(|e| Error::failed("benchmark filter", e))?;
        }
        let order = match case.sort {
            Sort::Relevance => "ts_rank(document, query) DESC",
            Sort::Newest => "created_at DESC",
        };
        let search = format!(
            "SELECT id FROM bench_posts, to_tsquery('english', $1) AS query
             WHERE document @@ query AND {filter} ORDER BY {order} LIMIT 20"
        );
        let count = format!(
            "SELECT count(*) AS count FROM bench_posts, to_tsquery('english', $1) AS query
             WHERE document @@ query AND {filter}"
        );
        let mut run = |sql: &str| {
            diesel::sql_query(sql)
                .bind::<Text, _>(case.tsquery)
                .load::<Hit>(&mut self.connection)
        };
        for _ in 0..POSTGRES_WARM_UP {
            run(&search)?;
        }
        let mut times = Vec::with_capacity(repeats);
        for _ in 0..repeats {
            let started = Instant::now();
            let hits = run(&search)?;
            times.push(started.elapsed());
            std::hint::black_box(hits.iter().map(|hit| hit.id).sum::<i64>());
        }
        times.sort_unstable();
        let matches = diesel::sql_query(count)
            .bind::<Text, _>(case.tsquery)
            .get_result::<Count>(&mut self.connection)?
            .count;
        Ok(Timings {
            p50: percentile(&times, 0.5),
            p99: percentile(&times, 0.99),
            matches: matches.max(0) as u64,
        })
    }

    fn drop_database(self) -> Result<(), Error> {
        drop(self.connection);
        connect(&self.admin_url)?.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.database
        ))?;
        Ok(())
    }
}

diesel::table! {
    bench_posts (id) {
        id -> BigInt,
        community_id -> BigInt,
        status -> Text,
        title -> Text,
        body -> Text,
        created_at -> BigInt,
    }
}

/// Loads `docs` with one `COPY … FROM STDIN` in PostgreSQL's text format (no SQL text to
/// build and parse per row, as multi-row INSERTs had).
fn copy_posts(url: &str, docs: &[PostDoc]) -> Result<(), Error> {
    use bench_posts::dsl;
    use diesel::ExecuteCopyFromDsl;
    let mut connection = connect(url)?;
    diesel::copy_from(dsl::bench_posts)
        .from_raw_data(
            (
                dsl::id,
                dsl::community_id,
                dsl::status,
                dsl::title,
                dsl::body,
                dsl::created_at,
            ),
            |out: &mut dyn std::io::Write| -> diesel::QueryResult<()> {
                let mut line = String::new();
                for post in docs {
                    line.clear();
                    let _ = write!(
                        line,
                        "{}\t{}\t{}\t",
                        post.post_id,
                        post.community_id,
                        post.status.as_str()
                    );
                    copy_text_into(&post.thread_title, &mut line);
                    line.push('\t');
                    copy_text_into(&post.body, &mut line);
                    let _ = writeln!(line, "\t{}", post.created_at);
                    out.write_all(line.as_bytes()).map_err(|error| {
                        diesel::result::Error::SerializationError(Box::new(error))
                    })?;
                }
                Ok(())
            },
        )
        .execute(&mut connection)?;
    Ok(())
}

/// Appends `text` escaped for COPY's text format (backslash, tab and line breaks).
fn copy_text_into(text: &str, line: &mut String) {
    for c in text.chars() {
        match c {
            '\\' => line.push_str("\\\\"),
            '\t' => line.push_str("\\t"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            _ => line.push(c),
        }
    }
}
