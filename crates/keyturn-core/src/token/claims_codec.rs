//! The claims encoding on its own, outside the encryption: what the fuzz targets
//! (`crates/keyturn-fuzz`) and tools reach. A token's plaintext is only ever decoded after its
//! GCM tag verified, so these functions are the decoder's defence in depth, not a request path.

use super::{SCOPED_TOKEN_VERSION, SessionClaims, TOKEN_VERSION, codec};
use crate::ids::AccessKeyId;

/// The version byte and the plaintext [`super::seal`] would encrypt for `claims` (no padding):
/// version 2, or 3 when the claims have scope-down policies.
pub fn encode(access_key_id: &AccessKeyId, claims: &SessionClaims) -> (u8, Vec<u8>) {
    let version = if claims.scope_policies.is_empty() {
        TOKEN_VERSION
    } else {
        SCOPED_TOKEN_VERSION
    };
    let mut out = Vec::new();
    codec::encode(&mut out, access_key_id, claims, 0);
    (version, out)
}

/// Decodes a plaintext of token version `version` (1 to 3) as [`super::open`] does after the
/// decryption; `None` unless the bytes are exactly one valid encoding of that version.
pub fn decode(version: u8, bytes: &[u8]) -> Option<(AccessKeyId, SessionClaims)> {
    codec::decode(version, bytes)
}
