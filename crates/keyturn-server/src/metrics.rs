//! The server's counters and their Prometheus text exposition (`GET /metrics` on the metrics
//! listener, docs/configuration.md `server.metrics`).
//!
//! Every counter is an atomic in an array fixed when the server starts, indexed by the
//! registry's operation index (`keyturn_core::ops::REGISTRY`), a status class, an error code's
//! place in a sorted table, or a latency bucket: a request adds to four or five of them with
//! relaxed atomic additions, takes no lock and allocates nothing. With no metrics listener the
//! server keeps no counters at all (and reads no clock for them).

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use keyturn_core::ErrorCode;
use keyturn_core::ops::REGISTRY;

/// The upper bounds of the latency buckets, in microseconds (`+Inf` follows).
const BUCKETS_US: [u64; 12] = [
    250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000, 5_000_000,
];

/// The status classes counted per action.
const CLASSES: [&str; 3] = ["2xx", "4xx", "5xx"];

/// The error codes only the HTTP layer sends (no AWS model defines them).
const HTTP_CODES: [&str; 2] = ["MethodNotAllowed", "RequestEntityTooLarge"];

/// One action's latency histogram.
#[derive(Default)]
struct Histogram {
    /// Requests per bucket (not cumulative); the last is `+Inf`.
    buckets: [AtomicU64; BUCKETS_US.len() + 1],
    /// The sum of the latencies, in microseconds.
    sum_us: AtomicU64,
}

impl Histogram {
    fn observe(&self, us: u64) {
        let i = BUCKETS_US
            .iter()
            .position(|&b| us <= b)
            .unwrap_or(BUCKETS_US.len());
        if let Some(b) = self.buckets.get(i) {
            b.fetch_add(1, Ordering::Relaxed);
        }
        self.sum_us.fetch_add(us, Ordering::Relaxed);
    }
}

/// The last snapshot generation seen and since when (for `keyturn_snapshot_age_seconds`).
struct Seen {
    generation: Option<u64>,
    since: Instant,
}

/// What one request came to, for the counters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    /// The operation's index in the registry (`None`: no operation was found).
    pub op: Option<usize>,
    /// The HTTP status sent.
    pub status: u16,
    /// The error code sent, if any.
    pub code: Option<&'static str>,
    /// Whether the operation is signed (a success then passed authorization).
    pub signed: bool,
}

/// The server's counters.
pub struct Metrics {
    /// Per operation (and one last row for requests that named none): per status class.
    requests: Box<[[AtomicU64; 3]]>,
    /// Per operation: its latency.
    latency: Box<[Histogram]>,
    /// The error codes, sorted, and per code the responses that sent it.
    codes: Box<[&'static str]>,
    errors: Box<[AtomicU64]>,
    /// `allow`, `deny`.
    decisions: [AtomicU64; 2],
    connections_open: AtomicU64,
    connections_accepted: AtomicU64,
    connections_refused: AtomicU64,
    tls_handshake_failures: AtomicU64,
    store_errors: AtomicU64,
    seen: Mutex<Seen>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// A fixed-size slice of `n` zeroed values.
fn zeroed<T: Default>(n: usize) -> Box<[T]> {
    (0..n).map(|_| T::default()).collect()
}

impl Metrics {
    /// Zeroed counters for every registered operation and error code.
    pub fn new() -> Self {
        let mut codes: Vec<&'static str> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        codes.extend(HTTP_CODES);
        codes.sort_unstable();
        codes.dedup();
        Self {
            requests: zeroed(REGISTRY.len() + 1),
            latency: zeroed(REGISTRY.len()),
            errors: zeroed(codes.len()),
            codes: codes.into_boxed_slice(),
            decisions: Default::default(),
            connections_open: AtomicU64::new(0),
            connections_accepted: AtomicU64::new(0),
            connections_refused: AtomicU64::new(0),
            tls_handshake_failures: AtomicU64::new(0),
            store_errors: AtomicU64::new(0),
            seen: Mutex::new(Seen {
                generation: None,
                since: Instant::now(),
            }),
        }
    }

    /// Counts one request that took `latency`.
    pub(crate) fn request(&self, outcome: Outcome, latency: Duration) {
        let class = match outcome.status {
            ..=399 => 0,
            400..=499 => 1,
            _ => 2,
        };
        let row = outcome.op.unwrap_or(REGISTRY.len());
        if let Some(c) = self.requests.get(row).and_then(|r| r.get(class)) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(h) = outcome.op.and_then(|i| self.latency.get(i)) {
            h.observe(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
        }
        match outcome.code {
            None if outcome.signed && outcome.op.is_some() => {
                self.decisions[0].fetch_add(1, Ordering::Relaxed);
            }
            None => {}
            Some(code) => {
                if code == "AccessDenied" {
                    self.decisions[1].fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(i) = self.codes.binary_search(&code)
                    && let Some(c) = self.errors.get(i)
                {
                    c.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    /// A connection was accepted and is being served.
    pub(crate) fn connection_opened(&self) {
        self.connections_accepted.fetch_add(1, Ordering::Relaxed);
        self.connections_open.fetch_add(1, Ordering::Relaxed);
    }

    /// A connection being served closed.
    pub(crate) fn connection_closed(&self) {
        self.connections_open.fetch_sub(1, Ordering::Relaxed);
    }

    /// A connection was refused (over the cap, or out of file descriptors).
    pub(crate) fn connection_refused(&self) {
        self.connections_refused.fetch_add(1, Ordering::Relaxed);
    }

    /// A TLS handshake failed or did not finish in time.
    pub(crate) fn tls_handshake_failed(&self) {
        self.tls_handshake_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// The store could not be read or written (a readiness probe, a scrape, housekeeping).
    pub(crate) fn store_error(&self) {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// How long the node has served snapshot `generation`: since the first time this was
    /// asked with it.
    fn snapshot_age(&self, generation: u64) -> Duration {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match seen.generation {
            // The generation the node started with: served since the server started.
            None => seen.generation = Some(generation),
            Some(g) if g != generation => {
                seen.generation = Some(generation);
                seen.since = Instant::now();
            }
            Some(_) => {}
        }
        seen.since.elapsed()
    }

    /// Notes the snapshot generation (every housekeeping run), so that its age counts from
    /// when the node first had it rather than from the first scrape.
    pub(crate) fn note_generation(&self, generation: u64) {
        let _ = self.snapshot_age(generation);
    }

    /// The Prometheus text exposition (version 0.0.4) of every counter, with the node's
    /// `status` (the store's and the snapshot's generations) when known.
    pub(crate) fn render(&self, status: Option<&crate::health::Status>) -> String {
        let mut out = String::with_capacity(64 * 1024);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);

        head(
            &mut out,
            "keyturn_requests_total",
            "counter",
            "Requests answered, by action and HTTP status class.",
        );
        for (i, row) in self.requests.iter().enumerate() {
            let action = REGISTRY.get(i).map_or("", |d| d.action());
            for (class, c) in CLASSES.iter().zip(row) {
                let _ = writeln!(
                    out,
                    "keyturn_requests_total{{action=\"{action}\",status=\"{class}\"}} {}",
                    load(c)
                );
            }
        }

        head(
            &mut out,
            "keyturn_request_errors_total",
            "counter",
            "Error responses, by AWS error code.",
        );
        for (code, c) in self.codes.iter().zip(self.errors.iter()) {
            let n = load(c);
            if n > 0 {
                let _ = writeln!(out, "keyturn_request_errors_total{{code=\"{code}\"}} {n}");
            }
        }

        head(
            &mut out,
            "keyturn_request_duration_seconds",
            "histogram",
            "Time from a request's head to its answer, by action.",
        );
        for (op, h) in REGISTRY.iter().zip(self.latency.iter()) {
            let counts: Vec<u64> = h.buckets.iter().map(load).collect();
            let total: u64 = counts.iter().sum();
            if total == 0 {
                continue;
            }
            let action = op.action();
            let mut cumulative = 0;
            for (i, n) in counts.iter().enumerate() {
                cumulative += n;
                let le = BUCKETS_US
                    .get(i)
                    .map_or_else(|| "+Inf".to_owned(), |us| seconds(*us));
                let _ = writeln!(
                    out,
                    "keyturn_request_duration_seconds_bucket{{action=\"{action}\",le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "keyturn_request_duration_seconds_sum{{action=\"{action}\"}} {}",
                seconds(load(&h.sum_us))
            );
            let _ = writeln!(
                out,
                "keyturn_request_duration_seconds_count{{action=\"{action}\"}} {total}"
            );
        }

        head(
            &mut out,
            "keyturn_authorization_decisions_total",
            "counter",
            "Signed requests allowed (answered) and denied (AccessDenied).",
        );
        for (result, c) in ["allow", "deny"].iter().zip(&self.decisions) {
            let _ = writeln!(
                out,
                "keyturn_authorization_decisions_total{{result=\"{result}\"}} {}",
                load(c)
            );
        }

        let gauges: [(&str, &str, &str, u64); 5] = [
            (
                "keyturn_connections_open",
                "gauge",
                "Connections being served.",
                load(&self.connections_open),
            ),
            (
                "keyturn_connections_accepted_total",
                "counter",
                "Connections accepted and served.",
                load(&self.connections_accepted),
            ),
            (
                "keyturn_connections_refused_total",
                "counter",
                "Connections refused (over server.connections.max, or out of file descriptors).",
                load(&self.connections_refused),
            ),
            (
                "keyturn_tls_handshake_failures_total",
                "counter",
                "TLS handshakes that failed or did not finish within the header deadline.",
                load(&self.tls_handshake_failures),
            ),
            (
                "keyturn_store_errors_total",
                "counter",
                "Failed reads and writes of the store seen by the server (readiness probes, scrapes, housekeeping).",
                load(&self.store_errors),
            ),
        ];
        for (name, kind, help, value) in gauges {
            head(&mut out, name, kind, help);
            let _ = writeln!(out, "{name} {value}");
        }

        if let Some(status) = status {
            head(
                &mut out,
                "keyturn_store_up",
                "gauge",
                "1 when the store answered the last probe, else 0.",
            );
            let _ = writeln!(out, "keyturn_store_up {}", u8::from(status.store.is_ok()));
            if let Ok(g) = status.store {
                head(
                    &mut out,
                    "keyturn_store_generation",
                    "gauge",
                    "The store's model generation.",
                );
                let _ = writeln!(out, "keyturn_store_generation {g}");
            }
            head(
                &mut out,
                "keyturn_snapshot_generation",
                "gauge",
                "The generation of the snapshot requests use.",
            );
            let _ = writeln!(out, "keyturn_snapshot_generation {}", status.snapshot);
            head(
                &mut out,
                "keyturn_snapshot_age_seconds",
                "gauge",
                "Seconds since this node started serving its current snapshot generation.",
            );
            let age = self.snapshot_age(status.snapshot);
            let _ = writeln!(out, "keyturn_snapshot_age_seconds {:.3}", age.as_secs_f64());
        }
        out
    }
}

/// A metric's `# HELP` and `# TYPE` lines.
fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Microseconds as seconds, in Prometheus's float notation.
fn seconds(us: u64) -> String {
    let s = us / 1_000_000;
    let frac = us % 1_000_000;
    if frac == 0 {
        format!("{s}")
    } else {
        let digits = format!("{frac:06}");
        format!("{s}.{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_written_exactly() {
        assert_eq!(seconds(250), "0.00025");
        assert_eq!(seconds(1_000_000), "1");
        assert_eq!(seconds(2_500_000), "2.5");
        assert_eq!(seconds(0), "0");
    }

    #[test]
    fn a_request_moves_its_action_class_latency_code_and_decision() {
        let m = Metrics::new();
        let op = REGISTRY
            .iter()
            .position(|d| d.action() == "GetRole")
            .unwrap_or(usize::MAX);
        let requests = [
            (Some(op), 403, Some("AccessDenied"), true, 700),
            (Some(op), 200, None, true, 3000),
            (None, 400, Some("InvalidAction"), false, 10),
        ];
        for (op, status, code, signed, us) in requests {
            let outcome = Outcome {
                op,
                status,
                code,
                signed,
            };
            m.request(outcome, Duration::from_micros(us));
        }
        let text = m.render(None);
        for line in [
            "keyturn_requests_total{action=\"GetRole\",status=\"2xx\"} 1",
            "keyturn_requests_total{action=\"GetRole\",status=\"4xx\"} 1",
            "keyturn_requests_total{action=\"\",status=\"4xx\"} 1",
            "keyturn_request_errors_total{code=\"AccessDenied\"} 1",
            "keyturn_request_errors_total{code=\"InvalidAction\"} 1",
            "keyturn_request_duration_seconds_bucket{action=\"GetRole\",le=\"0.0005\"} 0",
            "keyturn_request_duration_seconds_bucket{action=\"GetRole\",le=\"0.001\"} 1",
            "keyturn_request_duration_seconds_bucket{action=\"GetRole\",le=\"0.005\"} 2",
            "keyturn_request_duration_seconds_bucket{action=\"GetRole\",le=\"+Inf\"} 2",
            "keyturn_request_duration_seconds_sum{action=\"GetRole\"} 0.0037",
            "keyturn_request_duration_seconds_count{action=\"GetRole\"} 2",
            "keyturn_authorization_decisions_total{result=\"allow\"} 1",
            "keyturn_authorization_decisions_total{result=\"deny\"} 1",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
        assert!(!text.contains("keyturn_snapshot_generation"));
    }
}
