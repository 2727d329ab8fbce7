//! Conversions between the engine's types and JavaScript's: errors (an `Error` whose `code` is
//! the AWS error code), times, request targets.

use keyturn_facade::embedded::EmbedError;
use napi::JsValue;
use napi::bindgen_prelude::JsObjectValue;
use time::OffsetDateTime;

/// A failure on its way to JavaScript: the `code`, the `message`, and on an authorization
/// denial the `encodedMessage` that `DecodeAuthorizationMessage` opens.
pub(crate) struct Failure {
    code: String,
    message: String,
    encoded_message: Option<String>,
}

/// Results thrown to JavaScript as `Error` objects (see [`run`]).
pub(crate) type JsResult<T> = Result<T, Failure>;

/// A failure with a code of the binding's own (`InvalidArgument`, ...).
pub(crate) fn failure(code: &str, message: impl Into<String>) -> Failure {
    Failure {
        code: code.to_owned(),
        message: message.into(),
        encoded_message: None,
    }
}

/// Runs a method body and throws its failure as a JS `Error` whose `code` is the failure's
/// status string (napi sets `code` from it) and whose `message` is the reason.
pub(crate) fn run<T>(env: &napi::Env, body: impl FnOnce() -> JsResult<T>) -> napi::Result<T> {
    body().map_err(|f| {
        let js = napi::JsError::from(napi::Error::new(f.code, f.message)).into_unknown(*env);
        if let Some(m) = f.encoded_message
            && let Ok(mut object) = js.coerce_to_object()
        {
            // Best effort: the error stands without the property if it cannot be set.
            let _ = object.set_named_property("encodedMessage", m);
        }
        napi::Error::from(js)
    })
}

/// An engine error as a JS `Error` with `code` = the AWS code and `message` = AWS's text.
pub(crate) fn sts_error(e: keyturn_facade::Error) -> Failure {
    Failure {
        code: e.code().to_owned(),
        message: e.message().to_owned(),
        encoded_message: e.encoded_authorization_message().map(str::to_owned),
    }
}

/// A start-up error: `ConfigError`, `RuntimeError`, or an AWS code.
pub(crate) fn embed_error(e: EmbedError) -> Failure {
    match e {
        EmbedError::Sts(e) => sts_error(e),
        other => failure(other.code(), other.to_string()),
    }
}

/// Milliseconds since the epoch (JavaScript's `Date.getTime()`) to a time.
pub(crate) fn unix_ms(ms: f64) -> JsResult<OffsetDateTime> {
    let bad = || {
        failure(
            "InvalidArgument",
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

pub(crate) use keyturn_facade::clock::iso8601;

/// Splits a request target (`/path?query`, or an absolute URL) into path and query.
pub(crate) fn parse_target(url: &str) -> (&str, &str) {
    let target = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let target = target.split_once('#').map_or(target, |(t, _)| t);
    target.split_once('?').unwrap_or((target, ""))
}
