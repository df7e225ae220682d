//! `/metrics` through `prometheus-client`, as `application/openmetrics-text`: this node's
//! request counters and latency histogram live here; each scrape registers them beside the
//! figures read at that moment (pool, websockets, mail, search) in a fixed order, and the
//! crate writes the exposition (types, `_total` suffixes, histogram buckets).

use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::MetricType;
use prometheus_client::registry::Registry;

/// The exposition's content type: Prometheus picks its parser by this header.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

const BUCKETS_SECONDS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

/// What this node counts as requests are served; read by every scrape.
pub struct Metrics {
    requests: Family<RequestLabels, Counter>,
    latency: Histogram,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics {
            requests: Family::default(),
            latency: Histogram::new(BUCKETS_SECONDS),
        }
    }
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: escape_label(route),
                status,
            })
            .inc();
        self.latency.observe(elapsed.as_secs_f64());
    }
}

/// The crate writes label values as they are; a route pattern is ours, but a quote or
/// backslash in one must still not end the label early.
fn escape_label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// One scrape's metrics, encoded in the order they were added. Help texts are given
/// without a final full stop (the registry adds it), counters without `_total` (the
/// encoder adds it to the samples).
pub struct Scrape {
    registry: Registry,
}

impl Scrape {
    /// A scrape starting with the request metrics and the pool; `pool` is (connections,
    /// idle connections).
    pub fn new(metrics: &Metrics, pool: (u32, u32), backend: &str) -> Scrape {
        let mut scrape = Scrape {
            registry: Registry::default(),
        };
        scrape.registry.register(
            "kindred_http_requests",
            "HTTP requests by route and status",
            metrics.requests.clone(),
        );
        scrape.registry.register(
            "kindred_http_request_duration_seconds",
            "Request latency",
            metrics.latency.clone(),
        );
        scrape.labelled_gauge(
            "kindred_db_pool_connections",
            "Open database connections",
            "backend",
            vec![(backend.to_owned(), i64::from(pool.0))],
        );
        scrape.labelled_gauge(
            "kindred_db_pool_idle_connections",
            "Idle database connections",
            "backend",
            vec![(backend.to_owned(), i64::from(pool.1))],
        );
        scrape
    }

    pub fn gauge(&mut self, name: &str, help: &str, value: i64) {
        self.registry.register(name, help, ConstGauge::new(value));
    }

    /// `name` without its `_total`.
    pub fn counter(&mut self, name: &str, help: &str, value: u64) {
        self.registry.register(name, help, ConstCounter::new(value));
    }

    /// A gauge with one label, its series in the order given.
    pub fn labelled_gauge(
        &mut self,
        name: &str,
        help: &str,
        label: &'static str,
        series: Vec<(String, i64)>,
    ) {
        let series = Series {
            label,
            values: series
                .into_iter()
                .map(|(l, v)| (l, Value::Gauge(v)))
                .collect(),
        };
        self.registry.register(name, help, series);
    }

    /// A counter (`name` without its `_total`) with one label, its series in the order
    /// given.
    pub fn labelled_counter(
        &mut self,
        name: &str,
        help: &str,
        label: &'static str,
        series: Vec<(String, u64)>,
    ) {
        let series = Series {
            label,
            values: series
                .into_iter()
                .map(|(l, v)| (l, Value::Counter(v)))
                .collect(),
        };
        self.registry.register(name, help, series);
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a `String` cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[derive(Debug, Clone, Copy)]
enum Value {
    Gauge(i64),
    Counter(u64),
}

/// A labelled metric whose series keep their order (a `Family` is a hash map).
#[derive(Debug)]
struct Series {
    label: &'static str,
    values: Vec<(String, Value)>,
}

impl EncodeMetric for Series {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        for (label, value) in &self.values {
            let labels = [(self.label, label.as_str())];
            let mut sample = encoder.encode_family(&labels)?;
            match value {
                Value::Gauge(v) => sample.encode_gauge(v)?,
                Value::Counter(v) => sample.encode_counter::<NoLabelSet, _, u64>(v, None)?,
            }
        }
        Ok(())
    }

    fn metric_type(&self) -> MetricType {
        match self.values.first() {
            Some((_, Value::Counter(_))) => MetricType::Counter,
            _ => MetricType::Gauge,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scrape_keeps_its_order_and_escapes_routes() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/a\"b", 200, Duration::from_millis(3));
        let mut scrape = Scrape::new(&metrics, (2, 1), "sqlite");
        scrape.counter("kindred_things", "Things", 7);
        scrape.labelled_gauge(
            "kindred_kinds",
            "Kinds",
            "kind",
            vec![("b".into(), 2), ("a".into(), 1)],
        );
        let text = scrape.encode();
        for line in [
            "# TYPE kindred_http_requests counter",
            r#"kindred_http_requests_total{method="GET",route="/a\"b",status="200"} 1"#,
            r#"kindred_http_request_duration_seconds_bucket{le="0.005"} 1"#,
            "kindred_http_request_duration_seconds_count 1",
            r#"kindred_db_pool_connections{backend="sqlite"} 2"#,
            "# HELP kindred_things Things.",
            "kindred_things_total 7",
            "# EOF",
        ] {
            assert!(text.lines().any(|l| l == line), "{line:?} not in\n{text}");
        }
        let b = text.find(r#"kindred_kinds{kind="b"}"#);
        let a = text.find(r#"kindred_kinds{kind="a"}"#);
        assert!(b.is_some() && b < a, "{text}");
        assert!(text.find("kindred_db_pool") < text.find("kindred_things"));
    }
}
