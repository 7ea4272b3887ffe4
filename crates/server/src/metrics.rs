//! Prometheus metrics, in about 150 lines of our own rather than the `metrics` crates.
//!
//! Requests are counted by route template (`/api/v1/datasets/{name}`, never the raw path, so
//! that the number of series stays bounded), method and status, with a latency histogram by
//! route (time to the response's head; a streamed download's body is not timed). Other parts
//! add their own: [`Metrics::register_gauge`] reads a value when `/metrics` is scraped (the job
//! queue's depth), [`Metrics::register_histogram`] gives a histogram to observe into (job
//! durations).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Upper bounds of the request latency buckets, in seconds.
pub const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// A histogram of observations in fixed buckets.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    inner: Mutex<HistogramCounts>,
}

#[derive(Debug, Clone, Default)]
struct HistogramCounts {
    buckets: Vec<u64>,
    sum: f64,
    count: u64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves counts that are still counts: keep using them.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Histogram {
    /// An empty histogram over `bounds` (ascending upper bounds).
    pub fn new(bounds: &'static [f64]) -> Self {
        Histogram {
            bounds,
            inner: Mutex::new(HistogramCounts {
                buckets: vec![0; bounds.len()],
                ..HistogramCounts::default()
            }),
        }
    }

    /// Records one observation.
    pub fn observe(&self, value: f64) {
        let mut c = lock(&self.inner);
        if let Some(i) = self.bounds.iter().position(|b| value <= *b) {
            c.buckets[i] += 1;
        }
        c.sum += value;
        c.count += 1;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let c = lock(&self.inner).clone();
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, n) in self.bounds.iter().zip(&c.buckets) {
            cumulative += n;
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", c.count);
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", c.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", c.count);
    }
}

type Reader = Arc<dyn Fn() -> f64 + Send + Sync>;

/// The registry `/metrics` renders.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Arc<Histogram>>>,
    gauges: Mutex<Vec<(&'static str, &'static str, Reader)>>,
    histograms: Mutex<Vec<(&'static str, &'static str, Arc<Histogram>)>>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    /// Adds a gauge (`name` in Prometheus form, `satudata_jobs_queued`) whose value `read`
    /// gives at each scrape.
    pub fn register_gauge(
        &self,
        name: &'static str,
        help: &'static str,
        read: impl Fn() -> f64 + Send + Sync + 'static,
    ) {
        lock(&self.gauges).push((name, help, Arc::new(read)));
    }

    /// Adds a histogram (`satudata_job_duration_seconds`) and gives it to observe into.
    pub fn register_histogram(&self, name: &'static str, help: &'static str, bounds: &'static [f64]) -> Arc<Histogram> {
        let histogram = Arc::new(Histogram::new(bounds));
        lock(&self.histograms).push((name, help, histogram.clone()));
        histogram
    }

    /// Counts one answered request.
    pub fn record(&self, route: &str, method: &str, status: u16, seconds: f64) {
        *lock(&self.requests)
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
        let histogram = lock(&self.latency)
            .entry(route.to_owned())
            .or_insert_with(|| Arc::new(Histogram::new(LATENCY_BUCKETS)))
            .clone();
        histogram.observe(seconds);
    }

    /// The Prometheus text exposition of everything.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP satudata_http_requests_total HTTP requests answered, by route template, method and status.\n",
        );
        out.push_str("# TYPE satudata_http_requests_total counter\n");
        for ((route, method, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "satudata_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        out.push_str("# HELP satudata_http_request_duration_seconds Time to the response's head, by route template.\n");
        out.push_str("# TYPE satudata_http_request_duration_seconds histogram\n");
        for (route, histogram) in lock(&self.latency).iter() {
            let labels = format!("route=\"{}\"", escape(route));
            histogram.write(&mut out, "satudata_http_request_duration_seconds", &labels);
        }
        for (name, help, read) in lock(&self.gauges).iter() {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}", read());
        }
        for (name, help, histogram) in lock(&self.histograms).iter() {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
            histogram.write(&mut out, name, "");
        }
        out
    }
}

/// Middleware: times and counts every request under its route template (`unmatched` for
/// paths no route has).
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.record(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_registered_gauges() {
        let m = Metrics::default();
        m.record("/api/v1/datasets", "GET", 200, 0.002);
        m.record("/api/v1/datasets", "GET", 200, 0.2);
        m.record("un\"matched", "GET", 404, 0.0001);
        m.register_gauge("satudata_jobs_queued", "Jobs waiting.", || 3.0);
        let jobs = m.register_histogram("satudata_job_duration_seconds", "Job run time.", &[1.0, 10.0]);
        jobs.observe(4.0);
        let text = m.render();
        assert!(
            text.contains("satudata_http_requests_total{route=\"/api/v1/datasets\",method=\"GET\",status=\"200\"} 2\n")
        );
        assert!(text.contains("route=\"un\\\"matched\""));
        assert!(
            text.contains(
                "satudata_http_request_duration_seconds_bucket{route=\"/api/v1/datasets\",le=\"0.0025\"} 1\n"
            )
        );
        assert!(
            text.contains("satudata_http_request_duration_seconds_bucket{route=\"/api/v1/datasets\",le=\"+Inf\"} 2\n")
        );
        assert!(text.contains("satudata_http_request_duration_seconds_count{route=\"/api/v1/datasets\"} 2\n"));
        assert!(text.contains("# TYPE satudata_jobs_queued gauge\nsatudata_jobs_queued 3\n"));
        assert!(text.contains("satudata_job_duration_seconds_bucket{le=\"1\"} 0\n"));
        assert!(text.contains("satudata_job_duration_seconds_bucket{le=\"10\"} 1\n"));
        assert!(text.contains("satudata_job_duration_seconds_sum 4\n"));
    }
}
