//! The live audit feed: the last requests the server answered, kept in memory for the console.
//!
//! A server without a feed ([`crate::ServerOptions::live`] `None`) pays one branch per request;
//! with one, each request appends a small [`LiveEvent`] (its caller, action, outcome and, for an
//! authorization denial, the sealed decision that `DecodeAuthorizationMessage` opens) to a bounded
//! ring under a short lock. Readers ask for the events after a sequence number they saw
//! ([`LiveFeed::since`]), so a page that polls gets each event once and a slow reader loses the
//! oldest events, never the server's time.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Mutex;

use keyturn_core::request::{CallerIdentity, Service};
use time::OffsetDateTime;

/// One request as the live feed keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveEvent {
    /// Its place in the feed: 1 for the first event, one more for each after it.
    pub seq: u64,
    /// When the request arrived.
    pub time: OffsetDateTime,
    /// The request id the response carried.
    pub request_id: String,
    /// The peer's address.
    pub source_ip: IpAddr,
    /// The service the action belongs to.
    pub service: Service,
    /// The action's name, when the request named a known one.
    pub action: Option<String>,
    /// The caller's ARN, once authenticated.
    pub caller_arn: Option<String>,
    /// The caller's account, once authenticated.
    pub caller_account: Option<String>,
    /// The access key id that signed the request, once authenticated.
    pub access_key_id: Option<String>,
    /// The error code and AWS's message; `None` when the request succeeded.
    pub error: Option<(String, String)>,
    /// For an authorization denial, the encoded authorization message (sealed: only the engine
    /// that issued it opens it).
    pub encoded_message: Option<String>,
}

/// What the server tells the feed about one request (borrowed: the feed copies what it keeps).
#[derive(Debug, Clone, Copy)]
pub struct LiveRecord<'a> {
    /// When the request arrived.
    pub time: OffsetDateTime,
    /// The request id.
    pub request_id: &'a str,
    /// The peer's address.
    pub source_ip: IpAddr,
    /// The service.
    pub service: Service,
    /// The action, when known.
    pub action: Option<&'a str>,
    /// The caller, when authenticated.
    pub caller: Option<&'a CallerIdentity>,
    /// The error code, message and encoded authorization message, on failure.
    pub error: Option<(&'a str, &'a str, Option<&'a str>)>,
}

/// The ring itself.
#[derive(Debug, Default)]
struct Ring {
    events: VecDeque<LiveEvent>,
    last_seq: u64,
}

/// A bounded, in-memory feed of the server's audit events.
#[derive(Debug)]
pub struct LiveFeed {
    ring: Mutex<Ring>,
    capacity: usize,
}

impl LiveFeed {
    /// How many events a feed keeps by default.
    pub const DEFAULT_CAPACITY: usize = 500;

    /// A feed that keeps the last `capacity` events (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            ring: Mutex::new(Ring::default()),
            capacity: capacity.max(1),
        }
    }

    /// The most events it keeps.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Appends one request's event, dropping the oldest when full.
    pub fn record(&self, r: &LiveRecord<'_>) {
        let mut event = LiveEvent {
            seq: 0,
            time: r.time,
            request_id: r.request_id.to_owned(),
            source_ip: r.source_ip,
            service: r.service,
            action: r.action.map(str::to_owned),
            caller_arn: r.caller.map(|c| c.arn.clone()),
            caller_account: r.caller.map(|c| c.account_id.clone()),
            access_key_id: r.caller.map(|c| c.access_key_id.clone()),
            error: r.error.map(|(c, m, _)| (c.to_owned(), m.to_owned())),
            encoded_message: r.error.and_then(|(_, _, e)| e.map(str::to_owned)),
        };
        let mut ring = self
            .ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        ring.last_seq += 1;
        event.seq = ring.last_seq;
        if ring.events.len() >= self.capacity {
            ring.events.pop_front();
        }
        ring.events.push_back(event);
    }

    /// The events after sequence number `after` (0: all that are kept), oldest first, at most
    /// `limit` of them (the newest ones when more are waiting).
    pub fn since(&self, after: u64, limit: usize) -> Vec<LiveEvent> {
        let ring = self
            .ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let newer = ring.events.iter().filter(|e| e.seq > after).count();
        ring.events
            .iter()
            .filter(|e| e.seq > after)
            .skip(newer.saturating_sub(limit))
            .cloned()
            .collect()
    }

    /// The sequence number of the newest event (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.ring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .last_seq
    }
}

impl Default for LiveFeed {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn record(feed: &LiveFeed, action: &str, error: Option<(&str, &str, Option<&str>)>) {
        let caller = CallerIdentity {
            identity_type: "IAMUser".into(),
            principal_id: "AIDAEXAMPLE".into(),
            arn: "arn:aws:iam::222222222222:user/alice".into(),
            account_id: "222222222222".into(),
            access_key_id: "AKIAEXAMPLE".into(),
        };
        feed.record(&LiveRecord {
            time: OffsetDateTime::UNIX_EPOCH,
            request_id: "r-1",
            source_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            service: Service::Sts,
            action: Some(action),
            caller: Some(&caller),
            error,
        });
    }

    #[test]
    fn keeps_the_newest_events_in_order() {
        let feed = LiveFeed::new(3);
        for a in ["A", "B", "C", "D", "E"] {
            record(&feed, a, None);
        }
        let all = feed.since(0, 100);
        let seen: Vec<_> = all
            .iter()
            .map(|e| (e.seq, e.action.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(seen, vec![(3, "C"), (4, "D"), (5, "E")]);
        assert_eq!(feed.last_seq(), 5);
        assert_eq!(feed.since(4, 100).len(), 1);
        assert!(feed.since(5, 100).is_empty());
        // A limit keeps the newest.
        let two: Vec<_> = feed.since(0, 2).iter().map(|e| e.seq).collect();
        assert_eq!(two, vec![4, 5]);
    }

    #[test]
    fn copies_the_caller_and_the_denial() {
        let feed = LiveFeed::new(0);
        assert_eq!(feed.capacity(), 1);
        record(
            &feed,
            "AssumeRole",
            Some(("AccessDenied", "User: x is not authorized", Some("sealed"))),
        );
        let e = feed.since(0, 10).pop();
        let e = e.as_ref();
        assert_eq!(
            e.and_then(|e| e.caller_arn.as_deref()),
            Some("arn:aws:iam::222222222222:user/alice")
        );
        assert_eq!(
            e.and_then(|e| e.error.clone()),
            Some((
                "AccessDenied".to_owned(),
                "User: x is not authorized".to_owned()
            ))
        );
        assert_eq!(e.and_then(|e| e.encoded_message.as_deref()), Some("sealed"));
    }
}
