//! The plugin wire JSON (docs/plugin-abi.md): every message either side decodes (the host the
//! plugins' outputs and rejection bodies, a plugin the host's requests), and the round trip
//! of what decodes: its encoding decodes to the same value, numbers within one unit in the last
//! place (serde_json's default float parsing is not correctly rounded: a number of the
//! free-form JSON members may move by one ulp on a trip, which the first run found).
//!
//! Input: the first byte picks the message type; the rest is the JSON.

use keyturn_plugin::{
    EvaluationDecision, EvaluationRequest, MintedToken, OpenedToken, RejectionBody, SessionClaims,
    VerifyRequest, VerifyResult,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::bytes::Bytes;
use crate::check;

fn round_trip<T: DeserializeOwned + Serialize + std::fmt::Debug>(bytes: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(bytes) else {
        return;
    };
    let encoded = serde_json::to_string(&value);
    check::holds(encoded.is_ok(), || {
        format!("{value:?} does not encode: {encoded:?}")
    });
    let Ok(encoded) = encoded else { return };
    let again = serde_json::from_str::<T>(&encoded).map(|v| serde_json::to_value(&v));
    let first = serde_json::to_value(&value);
    check::holds(
        matches!((&again, &first), (Ok(Ok(b)), Ok(a)) if same(a, b)),
        || format!("decoded {value:?}\nencoded {encoded}\nthen {again:?}"),
    );
}

/// Equal JSON, numbers within a relative 1e-15 (one unit in the last place).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
            }
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The target.
pub fn wire(data: &[u8]) {
    let mut input = Bytes::new(data);
    let which = input.byte();
    let json = input.rest();
    match which % 8 {
        0 => round_trip::<VerifyRequest>(json),
        1 => round_trip::<VerifyResult>(json),
        2 => round_trip::<SessionClaims>(json),
        3 => round_trip::<MintedToken>(json),
        4 => round_trip::<OpenedToken>(json),
        5 => round_trip::<EvaluationRequest>(json),
        6 => round_trip::<EvaluationDecision>(json),
        _ => round_trip::<RejectionBody>(json),
    }
}
