//! The change feed: a connection of its own that `LISTEN`s on [`CHANNEL`](super::CHANNEL) and
//! reads the generation every check interval, announcing it to the store's watchers. A lost
//! connection is made again with a growing pause; the generation read after each (re)connection
//! covers the notifications sent while it was away.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use keyturn_core::store::ChangeCallback;
use tokio_postgres::{AsyncMessage, NoTls};

use super::{CHANNEL, schema};

/// The first pause before connecting again; it doubles up to [`MAX_BACKOFF`].
const MIN_BACKOFF: Duration = Duration::from_millis(100);
/// The longest pause between two connection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// Notification payloads name at most this many accounts (a `NOTIFY` payload must stay under
/// 8000 bytes); past it they name none, which means "any".
const MAX_NAMED_ACCOUNTS: usize = 32;

/// The notification of a commit: `{"generation":7,"accounts":["111122223333"]}`, the accounts
/// whose documents changed (empty when there are too many to name).
pub(super) fn payload(generation: u64, accounts: &[&str]) -> String {
    let accounts = if accounts.len() <= MAX_NAMED_ACCOUNTS {
        accounts
    } else {
        &[]
    };
    serde_json::json!({ "generation": generation, "accounts": accounts }).to_string()
}

/// The generation a notification announces.
pub(super) fn announced(payload: &str) -> Option<u64> {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()?
        .get("generation")?
        .as_u64()
}

type Watchers = Arc<Mutex<Vec<ChangeCallback>>>;

fn announce(watchers: &Watchers, generation: u64) {
    for on_change in watchers
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
    {
        on_change(generation);
    }
}

/// Runs the feed until the store's runtime stops.
pub(super) async fn follow(
    config: tokio_postgres::Config,
    watchers: Watchers,
    check_interval: Duration,
) {
    let mut backoff = MIN_BACKOFF;
    loop {
        if session(&config, &watchers, check_interval).await {
            backoff = MIN_BACKOFF;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// One connection's life: returns when it is lost, `true` if it had been established.
async fn session(config: &tokio_postgres::Config, watchers: &Watchers, every: Duration) -> bool {
    let Ok((client, mut connection)) = config.connect(NoTls).await else {
        return false;
    };
    let (forward, mut notifications) = tokio::sync::mpsc::unbounded_channel();
    // Drives the connection and hands its notifications over; ends (dropping `forward`) when
    // the connection does.
    let driver = tokio::spawn(async move {
        while let Some(Ok(message)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
            if let AsyncMessage::Notification(n) = message
                && forward.send(n.payload().to_owned()).is_err()
            {
                return;
            }
        }
    });
    // A generation read may not hang on a server that stopped answering.
    let read = || tokio::time::timeout(super::OPERATION_TIMEOUT, schema::read_generation(&client));
    let listening = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    if listening.is_ok() {
        let mut ticks = tokio::time::interval(every.max(Duration::from_millis(10)));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            // The first tick is at once: what was committed while the feed was away.
            let generation = tokio::select! {
                payload = notifications.recv() => match payload {
                    Some(p) => match announced(&p) {
                        Some(g) => Some(g),
                        None => read().await.ok().and_then(Result::ok),
                    },
                    None => None,
                },
                _ = ticks.tick() => read().await.ok().and_then(Result::ok),
            };
            let Some(generation) = generation else { break };
            announce(watchers, generation);
        }
    }
    driver.abort();
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_names_its_generation_and_a_few_accounts() {
        let p = payload(7, &["111122223333"]);
        assert_eq!(p, r#"{"accounts":["111122223333"],"generation":7}"#);
        assert_eq!(announced(&p), Some(7));
        let many: Vec<String> = (0..40).map(|i| format!("{i:012}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let p = payload(8, &many);
        assert_eq!(p, r#"{"accounts":[],"generation":8}"#);
        assert!(p.len() < 8000);
        assert_eq!(announced("not json"), None);
        assert_eq!(announced(r#"{"generation":-1}"#), None);
    }
}
