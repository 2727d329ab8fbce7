//! Conversions between the engine's types and JavaScript's: errors (an `Error` whose `code` is
//! the AWS error code), times, request targets.

use keyturn_facade::embedded::EmbedError;
use time::OffsetDateTime;

/// Results thrown to JavaScript as `Error` objects whose `code` is the status string.
pub(crate) type JsResult<T> = napi::Result<T, String>;

/// Runs a method body and throws its failure as a JS `Error` whose `code` is the failure's
/// status string (napi sets `code` from it) and whose `message` is the reason.
pub(crate) fn run<T>(env: &napi::Env, body: impl FnOnce() -> JsResult<T>) -> napi::Result<T> {
    body().map_err(|e| {
        let js = napi::JsError::from(e).into_unknown(*env);
        napi::Error::from(js)
    })
}

/// An engine error as a JS `Error` with `code` = the AWS code and `message` = AWS's text.
pub(crate) fn sts_error(e: keyturn_core::Error) -> napi::Error<String> {
    napi::Error::new(e.code().to_owned(), e.message().to_owned())
}

/// A start-up error: `ConfigError`, `RuntimeError`, or an AWS code.
pub(crate) fn embed_error(e: EmbedError) -> napi::Error<String> {
    napi::Error::new(e.code().to_owned(), e.to_string())
}

/// Milliseconds since the epoch (JavaScript's `Date.getTime()`) to a time.
pub(crate) fn unix_ms(ms: f64) -> JsResult<OffsetDateTime> {
    let bad = || {
        napi::Error::new(
            "InvalidArgument".to_owned(),
            format!("{ms} is not a representable time in milliseconds"),
        )
    };
    if !ms.is_finite() {
        return Err(bad());
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "checked finite; range checked below"
    )]
    let nanos = (ms * 1_000_000.0) as i128;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| bad())
}

/// `2026-11-28T15:00:00Z`.
pub(crate) fn iso8601(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Splits a request target (`/path?query`, or an absolute URL) into path and query.
pub(crate) fn parse_target(url: &str) -> (&str, &str) {
    let target = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let target = target.split_once('#').map_or(target, |(t, _)| t);
    target.split_once('?').unwrap_or((target, ""))
}
