//! Counting and logging each answered request (when metrics or request logs are on): what the
//! request came to is noted as it goes, then added to the metrics' atomics and written as one
//! `tracing` event (target `keyturn::request`).

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration;

use http::StatusCode;
use keyturn_core::ops;

use super::{RequestId, Shared};
use crate::metrics;

/// What a request came to, for the metrics and the request log: each fact set once as the
/// request goes (no lock: set-once cells on the request's own stack).
#[derive(Default)]
pub(super) struct Note {
    /// A health check's (neither counted nor logged).
    pub(super) health: OnceLock<()>,
    /// The operation's index in the registry.
    pub(super) op: OnceLock<usize>,
    /// The error code sent.
    pub(super) code: OnceLock<&'static str>,
    /// The caller's ARN (request logs only).
    pub(super) caller: OnceLock<String>,
}

/// Counts and logs one answered request.
pub(super) fn observed(
    shared: &Shared,
    note: &Note,
    status: StatusCode,
    latency: Duration,
    request_id: &RequestId,
    peer: IpAddr,
    secure: bool,
) {
    if note.health.get().is_some() {
        return;
    }
    let op = note
        .op
        .get()
        .and_then(|&i| ops::REGISTRY.get(i).map(|d| (i, *d)));
    let code = note.code.get().copied();
    if let Some(metrics) = &shared.metrics {
        let outcome = metrics::Outcome {
            op: op.map(|(i, _)| i),
            status: status.as_u16(),
            code,
            signed: op.is_some_and(|(_, d)| !d.unsigned()),
        };
        metrics.request(outcome, latency);
    }
    if shared.options.log_requests {
        tracing::info!(
            target: "keyturn::request",
            request_id = request_id.as_str(),
            action = op.map_or("", |(_, d)| d.action()),
            caller = note.caller.get().map_or("", String::as_str),
            status = status.as_u16(),
            error_code = code.unwrap_or(""),
            latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
            source_ip = %peer,
            secure_transport = secure,
            "request"
        );
    }
}
