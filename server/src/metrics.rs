//! Request counters and a latency histogram, rendered in Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

const BUCKETS_SECONDS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
pub struct Metrics {
    /// (method, route pattern, status) → count.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    bucket_counts: [AtomicU64; BUCKETS_SECONDS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        {
            let mut requests = self
                .requests
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *requests
                .entry((method.to_owned(), route.to_owned(), status))
                .or_insert(0) += 1;
        }
        let seconds = elapsed.as_secs_f64();
        for (bucket, bound) in self.bucket_counts.iter().zip(BUCKETS_SECONDS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// The Prometheus exposition text; `pool` is (connections, idle connections).
    pub fn render(&self, pool: (u32, u32), backend: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP kindred_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(out, "# TYPE kindred_http_requests_total counter");
        {
            let requests = self
                .requests
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for ((method, route, status), count) in requests.iter() {
                let _ = writeln!(
                    out,
                    "kindred_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                    route.replace('\\', "\\\\").replace('"', "\\\"")
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP kindred_http_request_duration_seconds Request latency."
        );
        let _ = writeln!(
            out,
            "# TYPE kindred_http_request_duration_seconds histogram"
        );
        for (bucket, bound) in self.bucket_counts.iter().zip(BUCKETS_SECONDS) {
            let _ = writeln!(
                out,
                "kindred_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "kindred_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "kindred_http_request_duration_seconds_sum {}",
            self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "kindred_http_request_duration_seconds_count {count}");
        let _ = writeln!(
            out,
            "# HELP kindred_db_pool_connections Open database connections."
        );
        let _ = writeln!(out, "# TYPE kindred_db_pool_connections gauge");
        let _ = writeln!(
            out,
            "kindred_db_pool_connections{{backend=\"{backend}\"}} {}",
            pool.0
        );
        let _ = writeln!(
            out,
            "# HELP kindred_db_pool_idle_connections Idle database connections."
        );
        let _ = writeln!(out, "# TYPE kindred_db_pool_idle_connections gauge");
        let _ = writeln!(
            out,
            "kindred_db_pool_idle_connections{{backend=\"{backend}\"}} {}",
            pool.1
        );
        out
    }
}
