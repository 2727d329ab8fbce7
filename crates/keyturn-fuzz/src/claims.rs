//! The claims codec inside session tokens (`keyturn_core::token::claims_codec`), outside the
//! encryption: arbitrary plaintexts of versions 1 to 3 decode or are refused; what decodes
//! encodes again to something that decodes to the same claims; claims built from the bytes
//! round-trip exactly.
//!
//! Input: the first byte picks the mode (and the version); then the plaintext or the claims.

use keyturn_core::token::claims_codec;

use crate::bytes::Bytes;
use crate::{check, session, world};

/// The target.
pub fn claims(data: &[u8]) {
    let mut input = Bytes::new(data);
    let mode = input.byte();
    if mode < 128 {
        let version = 1 + mode % 3;
        let Some((akid, claims)) = claims_codec::decode(version, input.rest()) else {
            return;
        };
        let (version, bytes) = claims_codec::encode(&akid, &claims);
        let again = claims_codec::decode(version, &bytes);
        check::holds(again == Some((akid.clone(), claims.clone())), || {
            format!("decoded {claims:?}\nre-encoded and decoded {again:?}")
        });
        return;
    }
    let Some(keyring) = world::keyring() else {
        return;
    };
    let Some((akid, mut claims)) = session::claims(&mut input, &keyring) else {
        return;
    };
    claims.minimum_token_size = 0;
    let (version, bytes) = claims_codec::encode(&akid, &claims);
    let decoded = claims_codec::decode(version, &bytes);
    check::holds(decoded == Some((akid.clone(), claims.clone())), || {
        format!("encoded {claims:?}\ndecoded {decoded:?}")
    });
}
