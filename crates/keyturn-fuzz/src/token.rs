//! Session tokens: `token::open` of arbitrary text under a fixed keyring, and seal-then-open
//! round trips of claims built from the bytes: what was sealed opens to the same claims and
//! the same secret, and a token with one bit of one character changed does not open.
//!
//! Input: the first byte picks the mode; then the token text, or the claims and where to flip.

use keyturn_core::token::{self, SessionClaims};
use time::OffsetDateTime;

use crate::bytes::Bytes;
use crate::{check, session, world};

/// The target.
pub fn token(data: &[u8]) {
    let Some(keyring) = world::keyring() else {
        return;
    };
    let mut input = Bytes::new(data);
    let now = OffsetDateTime::from_unix_timestamp(world::NOW).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    if input.byte().is_multiple_of(2) {
        let text = input.rest_text();
        if let Err(e) = token::open(&keyring, &text, now) {
            check::sender_fault(e.http_status(), e.code(), e.message());
        }
        return;
    }
    let Some((access_key_id, claims)) = session::claims(&mut input, &keyring) else {
        return;
    };
    let flip_at = input.u32() as usize;
    let bit = input.byte() % 8;
    let Ok(sealed) = token::seal(&keyring, &access_key_id, &claims) else {
        return;
    };
    check::holds(
        sealed.token.len() >= usize::from(claims.minimum_token_size),
        || {
            format!(
                "a token shorter than asked: {} < {}",
                sealed.token.len(),
                claims.minimum_token_size
            )
        },
    );
    // Opened before its expiry (and at it: refused as expired).
    let before = claims.expires_at - time::Duration::seconds(1);
    match token::open(&keyring, &sealed.token, before) {
        Ok(opened) => {
            let expected = SessionClaims {
                minimum_token_size: 0,
                ..claims.clone()
            };
            check::holds(opened.claims == expected, || {
                format!("sealed {expected:?}\nopened {:?}", opened.claims)
            });
            check::holds(opened.access_key_id == access_key_id, || {
                "the access key id changed".to_owned()
            });
            check::holds(
                opened.secret_access_key.expose() == sealed.secret_access_key.expose(),
                || "the secret derived on open differs from the one issued".to_owned(),
            );
        }
        Err(e) => check::holds(false, || format!("a token sealed here did not open: {e:?}")),
    }
    check::holds(
        token::open(&keyring, &sealed.token, claims.expires_at).is_err(),
        || "a token opened at its expiry".to_owned(),
    );
    let mut tampered = sealed.token.clone().into_bytes();
    let len = tampered.len().max(1);
    if let Some(byte) = tampered.get_mut(flip_at % len) {
        *byte ^= 1 << bit;
    }
    let tampered = String::from_utf8_lossy(&tampered).into_owned();
    if tampered != sealed.token {
        check::holds(token::open(&keyring, &tampered, before).is_err(), || {
            format!("a changed token opened: {tampered}")
        });
    }
}
