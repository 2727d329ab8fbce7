//! The timer behind hyper's header-read timeout, made cheap for keep-alive connections.
//!
//! hyper arms the header-read timeout anew for every request head (a fresh sleep each time,
//! dropped once the head is in). With tokio's timer as is, that is a timer-wheel insertion and
//! removal per request. [`HeadTimer`] keeps one tokio sleep per connection instead and hands hyper
//! light sleeps that share it: a sleep re-arms the shared one only when it would fire too late
//! for its own deadline (the first request, or after the shared one fired). A shared sleep that
//! fires before a later deadline just wakes the connection once, and is re-armed then. The
//! timeout still ends a connection whose head is not complete in time (slow-loris protection).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};

/// The connection's one tokio sleep and the deadline it is armed for.
#[derive(Default)]
struct Armed {
    sleep: Option<(Pin<Box<tokio::time::Sleep>>, Instant)>,
    /// Time already spent before the first head (a TLS handshake), taken off its deadline.
    spent: Option<Duration>,
}

/// A [`Timer`] for one connection (create one per connection).
#[derive(Clone, Default)]
pub(crate) struct HeadTimer {
    armed: Arc<Mutex<Armed>>,
}

impl HeadTimer {
    /// A timer whose first deadline comes `spent` earlier: the time a TLS handshake took
    /// counts against the first request head's deadline.
    pub(crate) fn after(spent: Duration) -> Self {
        let armed = Armed {
            sleep: None,
            spent: Some(spent),
        };
        Self {
            armed: Arc::new(Mutex::new(armed)),
        }
    }
}

impl Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(self.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        Box::pin(HeadSleep {
            deadline,
            armed: Arc::clone(&self.armed),
        })
    }

    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        if let Some(sleep) = sleep.as_mut().downcast_mut_pin::<HeadSleep>() {
            sleep.get_mut().deadline = new_deadline;
        }
    }
}

/// A sleep until `deadline`, backed by the connection's shared tokio sleep.
struct HeadSleep {
    deadline: Instant,
    armed: Arc<Mutex<Armed>>,
}

impl Future for HeadSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut armed = this.armed.lock().unwrap_or_else(PoisonError::into_inner);
        if armed.sleep.is_none()
            && let Some(spent) = armed.spent.take()
        {
            this.deadline = this.deadline.checked_sub(spent).unwrap_or(this.deadline);
        }
        let deadline = this.deadline;
        let (sleep, at) = armed.sleep.get_or_insert_with(|| {
            (
                Box::pin(tokio::time::sleep_until(deadline.into())),
                deadline,
            )
        });
        if *at > deadline {
            sleep.as_mut().reset(deadline.into());
            *at = deadline;
        }
        loop {
            match sleep.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) if *at >= deadline => return Poll::Ready(()),
                // Fired for an earlier deadline: arm it for this one (at most once more).
                Poll::Ready(()) => {
                    sleep.as_mut().reset(deadline.into());
                    *at = deadline;
                }
            }
        }
    }
}

impl Sleep for HeadSleep {}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn poll_once(sleep: Pin<&mut dyn Sleep>) -> Poll<()> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        sleep.poll(&mut cx)
    }

    /// Arms the shared sleep for `first_ms`, drops that sleep while it is pending, then sleeps
    /// until `then_ms`: the wait must end at `then_ms` (and well before two seconds).
    async fn rearm(first_ms: u32, then_ms: u32) {
        let timer = HeadTimer::default();
        let start = timer.now();
        let mut first = timer.sleep_until(start + first_ms * MS);
        assert!(poll_once(first.as_mut()).is_pending());
        drop(first);
        timer.sleep_until(start + then_ms * MS).await;
        let waited = timer.now() - start;
        assert!(waited >= then_ms * MS && waited < 2000 * MS, "{waited:?}");
    }

    #[tokio::test]
    async fn a_sleep_fires_at_its_deadline_even_after_an_earlier_one_was_armed() {
        // A first head read arms the shared sleep for +100 ms, then completes early. The next
        // head's deadline is later: the shared sleep fires early, once, and re-arms.
        rearm(100, 300).await;
    }

    #[tokio::test]
    async fn an_earlier_deadline_re_arms_the_shared_sleep() {
        rearm(60_000, 100).await;
    }

    #[tokio::test]
    async fn reset_moves_the_deadline_and_a_past_deadline_is_ready() {
        let timer = HeadTimer::default();
        let start = timer.now();
        let mut sleep = timer.sleep(60_000 * MS);
        timer.reset(&mut sleep, start + 100 * MS);
        sleep.await;
        let waited = timer.now() - start;
        assert!(waited >= 100 * MS && waited < 2000 * MS, "{waited:?}");
        let mut past = timer.sleep_until(start);
        assert!(poll_once(past.as_mut()).is_ready());
    }
}
