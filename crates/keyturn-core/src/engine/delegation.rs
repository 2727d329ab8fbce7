//! The partner-delegation flow's notification channels and trade-in tokens.
//!
//! AWS delivers a trade-in token by publishing to the partner's SNS topic. Keyturn has no SNS:
//! the operator maps each topic ARN a partner may name to a file ([`Engine::set_delegation_channels`],
//! the configuration's `delegation.notification_channels`), and SendDelegationToken appends one
//! JSON line per token to it with a single `write` on a file opened for appending, so concurrent
//! writers (threads or processes) never interleave lines.
//!
//! A trade-in token is sealed with the keyring's message key ([`crate::token::seal_bytes`]) and
//! carries the request's id, its partner's account, when it was sent and when it expires: any
//! node with the keyring opens it without shared state. A domain prefix keeps it apart from the
//! other payloads sealed under the same key (encoded authorization messages).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{PoisonError, RwLock};

use serde::{Deserialize, Serialize};

use super::Engine;
use crate::{Error, ErrorCode};

/// What every sealed trade-in token's payload starts with.
const TRADE_IN_DOMAIN: &[u8] = b"keyturn-trade-in-token-v1\0";

/// The operator's notification channels: topic ARN → the file its messages are appended to.
#[derive(Debug, Default)]
pub(crate) struct Channels {
    files: RwLock<BTreeMap<String, PathBuf>>,
}

/// What a trade-in token carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeIn {
    /// The delegation request's id.
    pub id: String,
    /// The account of the partner that created the request.
    pub requestor: String,
    /// When the token was sent (Unix seconds).
    pub sent_at: i64,
    /// When the delegated session ends (Unix seconds).
    pub expires_at: i64,
}

impl Engine {
    /// Sets the notification channels that delegation requests may name (topic ARN → file),
    /// replacing any set before.
    pub fn set_delegation_channels(&self, channels: BTreeMap<String, PathBuf>) {
        *self
            .delegation
            .files
            .write()
            .unwrap_or_else(PoisonError::into_inner) = channels;
    }

    /// The file the channel `topic_arn` delivers to, if the operator configured it.
    pub fn delegation_channel(&self, topic_arn: &str) -> Option<PathBuf> {
        self.delegation
            .files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(topic_arn)
            .cloned()
    }

    /// Seals `trade_in` as a trade-in token.
    ///
    /// # Errors
    /// `ServiceFailure` if it cannot be encoded; as [`crate::token::seal_bytes`].
    pub fn seal_trade_in(&self, trade_in: &TradeIn) -> Result<String, Error> {
        let mut payload = TRADE_IN_DOMAIN.to_vec();
        serde_json::to_writer(&mut payload, trade_in)
            .map_err(|e| Error::new(ErrorCode::ServiceFailure, e.to_string()))?;
        crate::token::seal_bytes(&self.keyring, &payload)
    }

    /// Opens a trade-in token; `None` for anything this keyring did not seal as one.
    pub fn open_trade_in(&self, token: &str) -> Option<TradeIn> {
        let payload = crate::token::open_bytes(&self.keyring, token)?;
        let json = payload.strip_prefix(TRADE_IN_DOMAIN)?;
        serde_json::from_slice(json).ok()
    }
}

/// Appends `line` and a newline to `path` in one write (the file is created with mode 0600: it
/// holds bearer tokens).
///
/// # Errors
/// `ServiceFailure` with the kind of I/O failure when the file cannot be opened or written; the
/// message goes back to the API caller, so it names neither the operator's path nor its OS text.
pub(crate) fn append_line(path: &Path, line: &str) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            Error::new(
                ErrorCode::ServiceFailure,
                format!(
                    "The notification channel could not deliver the token ({}).",
                    e.kind()
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::append_line;

    #[test]
    fn a_failed_delivery_names_neither_the_path_nor_the_os_text() {
        // A directory cannot be opened for appending.
        let dir = std::env::temp_dir();
        let e = append_line(&dir, "{}")
            .err()
            .map(|e| e.message().to_owned());
        let message = e.unwrap_or_default();
        assert!(
            message.starts_with("The notification channel could not deliver the token ("),
            "{message}"
        );
        assert!(!message.contains(&*dir.to_string_lossy()), "{message}");
    }
}
