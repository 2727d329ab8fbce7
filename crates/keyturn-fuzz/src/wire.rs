//! The plugin wire JSON (docs/plugin-abi.md): every message either side decodes (the host the
//! plugins' outputs and rejection bodies, a plugin the host's requests), and the round trip
//! of what decodes: its encoding decodes and encodes to the same text. (The texts are
//! compared, not the values: serde_json's default float parsing is not correctly rounded, so a
//! number of the free-form members may move by one unit in the last place on its first trip.)
//!
//! Input: the first byte picks the message type; the rest is the JSON.

use keyturn_plugin::{
    EvaluationDecision, EvaluationRequest, MintedToken, OpenedToken, RejectionBody, SessionClaims,
    VerifyRequest, VerifyResult,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

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
    let again = serde_json::from_str::<T>(&encoded).map(|v| serde_json::to_string(&v));
    check::holds(matches!(&again, Ok(Ok(text)) if *text == encoded), || {
        format!("decoded {value:?}\nencoded {encoded}\nthen {again:?}")
    });
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
