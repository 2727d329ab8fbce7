//! Reading a request body: a size limit, a deadline, a minimum rate and a memory budget shared by
//! every connection.
//!
//! The usual body is in hyper's buffer when the handler first asks for it: it is read without a
//! timer, an atomic or a copy. Only a body that is not all there yet arms a timer and counts
//! against the budget, since only such a body can hold memory while its sender stalls.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use keyturn_core::ErrorCode;
use tokio::time::Instant;

use crate::WireError;
use crate::error::HttpRefusal;

/// How far a body may fall behind the minimum rate: a body that has brought `n` bytes `t`
/// seconds after the handler first waited for it is too slow once `t > RATE_GRACE + n / rate`.
pub(crate) const RATE_GRACE: Duration = Duration::from_secs(5);

/// The rules a body is read under.
pub(crate) struct BodyRules {
    /// The largest body accepted.
    pub(crate) max_bytes: usize,
    /// The most time a body may take once the handler waits for it.
    pub(crate) timeout: Duration,
    /// The least average rate, in bytes per second, after [`RATE_GRACE`] (0: none).
    pub(crate) min_rate: u64,
    /// The bytes all bodies still arriving may hold together.
    pub(crate) budget: BodyBudget,
}

impl BodyRules {
    /// When a body that started arriving at `started` and has brought `received` bytes is late.
    fn deadline(&self, started: Instant, received: usize) -> Instant {
        let allowed = if self.min_rate == 0 {
            self.timeout
        } else {
            let earned = Duration::from_secs_f64(received as f64 / self.min_rate as f64);
            self.timeout.min(RATE_GRACE.saturating_add(earned))
        };
        started + allowed
    }
}

/// The bytes that bodies still arriving hold, across connections, and their ceiling.
pub(crate) struct BodyBudget {
    limit: usize,
    held: AtomicUsize,
}

impl BodyBudget {
    /// A budget of `limit` bytes.
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            limit,
            held: AtomicUsize::new(0),
        }
    }

    /// Takes `n` more bytes, if the budget has them.
    fn take(&self, n: usize) -> bool {
        self.held
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
                held.checked_add(n).filter(|&after| after <= self.limit)
            })
            .is_ok()
    }

    /// Gives `n` bytes back.
    fn give_back(&self, n: usize) {
        self.held.fetch_sub(n, Ordering::AcqRel);
    }

    /// The bytes held now.
    #[cfg(test)]
    fn held(&self) -> usize {
        self.held.load(Ordering::Acquire)
    }
}

/// One body's share of the budget, given back when the body is done (or dropped).
struct Share<'a> {
    budget: &'a BodyBudget,
    bytes: usize,
}

impl Share<'_> {
    /// Grows the share to `total` bytes; `false` when the budget is exhausted.
    fn cover(&mut self, total: usize) -> bool {
        let more = total.saturating_sub(self.bytes);
        if more == 0 {
            return true;
        }
        if !self.budget.take(more) {
            return false;
        }
        self.bytes = total;
        true
    }
}

impl Drop for Share<'_> {
    fn drop(&mut self) {
        self.budget.give_back(self.bytes);
    }
}

/// Why a request body could not be read.
pub(crate) enum BodyError {
    /// More than the limit.
    TooLarge,
    /// The connection failed mid-body (or the body was malformed).
    Unreadable,
    /// The body did not arrive in time or fell behind the minimum rate.
    TimedOut,
    /// The bodies still arriving hold the whole budget.
    OverBudget,
}

impl BodyError {
    /// The refusal sent for it.
    pub(crate) fn wire(&self) -> WireError {
        match self {
            Self::TooLarge => HttpRefusal::too_large().into(),
            Self::Unreadable => WireError::unreadable_body(),
            Self::TimedOut => request_timeout(),
            Self::OverBudget => service_unavailable(),
        }
    }

    /// Whether the connection is closed after the answer (the rest of the body is not read).
    pub(crate) fn closes(&self) -> bool {
        !matches!(self, Self::Unreadable)
    }
}

/// `400 RequestTimeout`, S3's answer to a request whose body stalls (no STS or IAM model has
/// one), in S3's words.
pub(crate) fn request_timeout() -> WireError {
    HttpRefusal {
        code: "RequestTimeout",
        status: 400,
        message: "Your socket connection to the server was not read from or written to within \
                  the timeout period. Idle connections will be closed."
            .to_owned(),
    }
    .into()
}

/// `503 ServiceUnavailable`, the common error of an overloaded service, with its text.
pub(crate) fn service_unavailable() -> WireError {
    keyturn_core::Error::new(
        ErrorCode::ServiceUnavailable,
        "The request has failed due to a temporary failure of the server.",
    )
    .into()
}

/// The least number of body bytes still to come (the rest of a `Content-Length`; 0 when chunked).
fn body_size_lower_bound(body: &Incoming) -> usize {
    usize::try_from(hyper::body::Body::size_hint(body).lower()).unwrap_or(0)
}

/// Polls `future` once: its output if it is ready now.
async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

/// Reads a whole body under `rules`. The usual body, one frame already received, is neither
/// copied nor timed. A body that has to be waited for holds a share of the budget as large as
/// what it has received, or as the buffer it is gathered in (its declared length).
pub(crate) async fn read_body(mut body: Incoming, rules: &BodyRules) -> Result<Bytes, BodyError> {
    let mut first: Option<Bytes> = None;
    let mut joined: Vec<u8> = Vec::new();
    let mut total = 0usize;
    // Set once the body has to be waited for: since when, and its share of the budget.
    let mut waiting: Option<(Instant, Share<'_>)> = None;
    loop {
        let mut next = body.frame();
        let frame = match poll_once(&mut next).await {
            Poll::Ready(frame) => frame,
            Poll::Pending => {
                let (started, share) = waiting.get_or_insert_with(|| {
                    let share = Share {
                        budget: &rules.budget,
                        bytes: 0,
                    };
                    (Instant::now(), share)
                });
                // What has arrived is held while the rest is awaited: the bytes, or the buffer
                // they were gathered in.
                if !share.cover(total.max(joined.capacity())) {
                    return Err(BodyError::OverBudget);
                }
                let deadline = rules.deadline(*started, total);
                match tokio::time::timeout_at(deadline, next).await {
                    Ok(frame) => frame,
                    Err(_) => return Err(BodyError::TimedOut),
                }
            }
        };
        let Some(frame) = frame else { break };
        let frame = frame.map_err(|_| BodyError::Unreadable)?;
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        total = total.saturating_add(data.len());
        if total > rules.max_bytes {
            return Err(BodyError::TooLarge);
        }
        if first.is_none() && joined.is_empty() {
            first = Some(data);
        } else {
            if joined.capacity() == 0 {
                // A declared length is allocated once, rather than grown by doubling.
                let expected = total.saturating_add(body_size_lower_bound(&body));
                joined.reserve_exact(expected.min(rules.max_bytes));
            }
            if let Some(f) = first.take() {
                joined.extend_from_slice(&f);
            }
            joined.extend_from_slice(&data);
        }
    }
    Ok(if joined.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(joined)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(timeout_s: u64, min_rate: u64) -> BodyRules {
        BodyRules {
            max_bytes: 1 << 20,
            timeout: Duration::from_secs(timeout_s),
            min_rate,
            budget: BodyBudget::new(100),
        }
    }

    #[test]
    fn the_deadline_grows_with_what_arrived_up_to_the_timeout() {
        let start = Instant::now();
        let r = rules(30, 1000);
        assert_eq!(r.deadline(start, 0), start + RATE_GRACE);
        assert_eq!(
            r.deadline(start, 2500),
            start + RATE_GRACE + Duration::from_millis(2500)
        );
        assert_eq!(
            r.deadline(start, 10_000_000),
            start + Duration::from_secs(30)
        );
        // No rate: the timeout alone.
        assert_eq!(
            rules(7, 0).deadline(start, 0),
            start + Duration::from_secs(7)
        );
        // A timeout under the grace wins.
        assert_eq!(
            rules(2, 1000).deadline(start, 0),
            start + Duration::from_secs(2)
        );
    }

    #[test]
    fn shares_take_from_the_budget_and_give_back_when_dropped() {
        let budget = BodyBudget::new(100);
        let mut a = Share {
            budget: &budget,
            bytes: 0,
        };
        assert!(a.cover(60));
        assert!(a.cover(60), "covering the same total again takes nothing");
        let mut b = Share {
            budget: &budget,
            bytes: 0,
        };
        assert!(!b.cover(41), "only 40 left");
        assert!(b.cover(40));
        assert_eq!(budget.held(), 100);
        drop(a);
        assert_eq!(budget.held(), 40);
        assert!(b.cover(100));
        drop(b);
        assert_eq!(budget.held(), 0);
    }
}
