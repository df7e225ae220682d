//! `kindred bench …`: the measurements of this machine, each a `kindred-bench` run with
//! its flags checked here and its report printed.

use clap::Subcommand;

use kindred_server::config::{DatabaseTarget, Settings};
use kindred_server::error::Error;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Index a synthetic corpus with tantivy and with PostgreSQL full-text search (in a
    /// throw-away database `kindred_bench_search`), then time the same query mix on both.
    Search {
        /// Posts in the synthetic corpus.
        #[arg(long, default_value_t = 100_000)]
        posts: usize,
        /// PostgreSQL server to use (default: DATABASE_URL when it is postgres://).
        #[arg(long)]
        postgres: Option<String>,
        /// Timed runs of each query in tantivy.
        #[arg(long, default_value_t = 200)]
        repeats: usize,
        /// Timed runs of each query in PostgreSQL (up to a second each at 1M posts).
        #[arg(long, default_value_t = 20)]
        postgres_repeats: usize,
    },
    /// Time the most expensive post bodies known and found by a search, bounded against
    /// unbounded rendering, then `/livez` while four clients post the worst of them.
    Markdown {
        /// Mutation rounds of the search for expensive bodies.
        #[arg(long, default_value_t = 1_500)]
        rounds: usize,
        /// Seconds of `/livez` timing, without and then with the attackers.
        #[arg(long, default_value_t = 10)]
        attack_secs: u64,
        /// Seed of the search (the same seed finds the same bodies).
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Start `kindred serve` nodes on a throw-away PostgreSQL database
    /// (`kindred_bench_ws`), open websockets to them and measure memory per connection
    /// and post → delivery latency, on one node and across two through Redis.
    Ws {
        /// Idle authenticated connections (and the largest subscriber count).
        #[arg(long, default_value_t = 10_000)]
        connections: usize,
        /// Replies timed at each subscriber count.
        #[arg(long, default_value_t = 20)]
        posts: usize,
        /// PostgreSQL server to use (default: DATABASE_URL when it is postgres://).
        #[arg(long)]
        postgres: Option<String>,
        /// Redis for the cross-node measurement (default: REDIS_URL; skipped without).
        #[arg(long)]
        redis: Option<String>,
    },
    /// Send mails through the outbox to the SMTP server of KINDRED_SMTP_URL (a throw-away
    /// SQLite database, and PostgreSQL if given), beside the same mails sent straight
    /// over SMTP.
    Mail {
        /// Mails sent in each measurement.
        #[arg(long, default_value_t = 2_000)]
        mails: usize,
        /// PostgreSQL server to use as well (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Time the `/insights/{slug}` page's figures for 12 months of a community with
    /// `posts` opted-in posts (a throw-away SQLite database, and PostgreSQL if given).
    Insights {
        /// Posts spread over the 12 months.
        #[arg(long, default_value_t = 1_000_000)]
        posts: usize,
        /// Timed page builds.
        #[arg(long, default_value_t = 5)]
        repeats: usize,
        /// PostgreSQL server to use as well (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Time the notification-mail job building daily digests (a throw-away SQLite
    /// database, and PostgreSQL if given): every member has unread replies at their
    /// digest hour.
    Digest {
        /// Members, each of whom gets a digest.
        #[arg(long, default_value_t = 10_000)]
        members: usize,
        /// Unread replies in each digest.
        #[arg(long, default_value_t = 20)]
        items: usize,
        /// PostgreSQL server to use as well (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Start `kindred serve` on throw-away SQLite and PostgreSQL databases and time
    /// ordinary (screened) members posting replies over HTTP: one member with longer and
    /// longer histories, then many members at once.
    Post {
        /// Seconds each measurement posts for.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Members posting at once.
        #[arg(long, default_value_t = 32)]
        members: usize,
        /// Earlier posts of the single poster, comma-separated: one measurement each.
        #[arg(long, value_delimiter = ',', default_value = "0,10000,100000")]
        histories: Vec<usize>,
        /// PostgreSQL server to use (default: DATABASE_URL when it is postgres://;
        /// without either, SQLite only).
        #[arg(long)]
        postgres: Option<String>,
    },
}

/// Runs one benchmark and prints its report.
pub(crate) fn run(settings: &Settings, action: BenchCommand) -> Result<(), Error> {
    let work_dir = std::env::temp_dir();
    let report = match action {
        BenchCommand::Search {
            posts,
            postgres,
            repeats,
            postgres_repeats,
        } => {
            let postgres_url = bench_postgres(postgres, settings)?;
            require(
                posts > 0 && repeats > 0 && postgres_repeats > 0,
                "posts",
                "--posts, --repeats and --postgres-repeats",
            )?;
            kindred_bench::search::run(&kindred_bench::search::SearchBench {
                posts,
                postgres_url,
                repeats,
                postgres_repeats,
                work_dir,
            })?
        }
        BenchCommand::Markdown {
            rounds,
            attack_secs,
            seed,
        } => {
            require(attack_secs > 0, "attack_secs", "--attack-secs")?;
            kindred_bench::markdown::run(&kindred_bench::markdown::MarkdownBench {
                rounds,
                attack_secs,
                seed,
            })?
        }
        BenchCommand::Ws {
            connections,
            posts,
            postgres,
            redis,
        } => {
            let postgres_url = bench_postgres(postgres, settings)?;
            require(
                connections > 0 && posts > 0,
                "connections",
                "--connections and --posts",
            )?;
            kindred_bench::ws::run(&kindred_bench::ws::WsBench {
                connections,
                posts,
                postgres_url,
                redis_url: redis.or_else(|| settings.redis_url.clone()),
                work_dir,
            })?
        }
        BenchCommand::Mail { mails, postgres } => {
            require(mails > 0, "mails", "--mails")?;
            kindred_bench::mail::run(&kindred_bench::mail::MailBench {
                mails,
                postgres_url: bench_postgres(postgres, settings).ok(),
                settings: settings.mail.clone(),
                work_dir,
            })?
        }
        BenchCommand::Insights {
            posts,
            repeats,
            postgres,
        } => {
            require(posts > 0 && repeats > 0, "posts", "--posts and --repeats")?;
            kindred_bench::insights::run(&kindred_bench::insights::InsightsBench {
                posts,
                repeats,
                postgres_url: bench_postgres(postgres, settings).ok(),
                work_dir,
            })?
        }
        BenchCommand::Digest {
            members,
            items,
            postgres,
        } => {
            require(members > 0 && items > 0, "members", "--members and --items")?;
            kindred_bench::digest::run(&kindred_bench::digest::DigestBench {
                members,
                items,
                postgres_url: bench_postgres(postgres, settings).ok(),
                work_dir,
            })?
        }
        BenchCommand::Post {
            seconds,
            members,
            histories,
            postgres,
        } => {
            require(seconds > 0, "seconds", "--seconds")?;
            kindred_bench::post::run(&kindred_bench::post::PostBench {
                seconds,
                members,
                histories,
                postgres_url: bench_postgres(postgres, settings).ok(),
                work_dir,
            })?
        }
    };
    print!("{report}");
    Ok(())
}

/// Refuses a benchmark of nothing: `flags` (as typed) must all be above 0.
fn require(above_zero: bool, field: &'static str, flags: &str) -> Result<(), Error> {
    if above_zero {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{flags} must be above 0")))
    }
}

/// The PostgreSQL server a benchmark uses: `--postgres`, else DATABASE_URL if it is one.
fn bench_postgres(flag: Option<String>, settings: &Settings) -> Result<String, Error> {
    match (flag, &settings.database) {
        (Some(url), _) => Ok(url),
        (None, DatabaseTarget::Postgres(url)) => Ok(url.clone()),
        (None, DatabaseTarget::Sqlite(_)) => Err(Error::Config(
            "the benchmark needs PostgreSQL: pass --postgres postgres://… or set DATABASE_URL to one"
                .into(),
        )),
    }
}
