//! An example credential-signer plugin: session tokens are `ktx1.<claims>.<mac>`, the claims as base64url JSON
//! and the MAC an HMAC-SHA256 under the configured key. The secret access key is derived from the token with the
//! same key, so any holder of the key can verify a request signed with it.
//!
//! This shows the ABI; it is not a replacement for Keyturn's built-in signer, which also encrypts the claims.
//!
//! Configuration: `{"key": "<at least 32 bytes>"}`.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use keyturn_plugin::{
    CredentialSigner, MintedToken, OpenedToken, Plugin, PluginFailure, SecretString, SessionClaims,
};
use sha2::Sha256;

const PREFIX: &str = "ktx1.";

/// The signer: holds the HMAC key.
pub struct HmacSigner {
    key: Vec<u8>,
}

impl HmacSigner {
    fn mac(&self, parts: &[&[u8]]) -> Result<Hmac<Sha256>, PluginFailure> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .map_err(|e| PluginFailure::Internal(format!("HMAC key: {e}")))?;
        for part in parts {
            mac.update(part);
        }
        Ok(mac)
    }

    fn secret_for(&self, token: &str) -> Result<SecretString, PluginFailure> {
        let tag = self
            .mac(&[b"secret-access-key:", token.as_bytes()])?
            .finalize()
            .into_bytes();
        // 40 characters, like AWS's secret access keys.
        let mut secret = STANDARD.encode(tag);
        secret.truncate(40);
        Ok(SecretString::new(secret))
    }
}

impl HmacSigner {
    fn token_for(&self, claims: &SessionClaims) -> Result<String, PluginFailure> {
        let json =
            serde_json::to_vec(claims).map_err(|e| PluginFailure::Internal(e.to_string()))?;
        let payload = URL_SAFE_NO_PAD.encode(json);
        let tag = self
            .mac(&[PREFIX.as_bytes(), payload.as_bytes()])?
            .finalize()
            .into_bytes();
        Ok(format!("{PREFIX}{payload}.{}", URL_SAFE_NO_PAD.encode(tag)))
    }
}

fn invalid_token() -> PluginFailure {
    PluginFailure::rejected(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
}

impl Plugin for HmacSigner {
    const NAME: &'static str = "example-signer";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");

    fn create(config: serde_json::Value) -> Result<Self, PluginFailure> {
        match config.get("key").and_then(serde_json::Value::as_str) {
            Some(key) if key.len() >= 32 => Ok(Self {
                key: key.as_bytes().to_vec(),
            }),
            _ => Err(PluginFailure::InvalidInput(
                "config.key must be a string of at least 32 bytes".to_owned(),
            )),
        }
    }
}

impl CredentialSigner for HmacSigner {
    fn mint(&self, mut claims: SessionClaims) -> Result<MintedToken, PluginFailure> {
        // The host asks for a least token length (a request's MinimumSessionTokenSize) under
        // this key; a `padding` claim of spaces makes up any shortfall (each space is at least
        // one more character of base64, so two rounds at most).
        let wanted = claims
            .extra
            .get("minimum_session_token_size")
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0);
        let mut session_token = self.token_for(&claims)?;
        while session_token.len() < wanted {
            let mut padding = claims
                .extra
                .get("padding")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned();
            padding.push_str(&" ".repeat((wanted - session_token.len()).div_ceil(4) * 3));
            claims.extra.insert("padding".to_owned(), padding.into());
            session_token = self.token_for(&claims)?;
        }
        let secret_access_key = self.secret_for(&session_token)?;
        Ok(MintedToken {
            session_token,
            secret_access_key,
        })
    }

    fn open(&self, token: &str, now_unix: i64) -> Result<OpenedToken, PluginFailure> {
        let rest = token.strip_prefix(PREFIX).ok_or_else(invalid_token)?;
        let (payload, tag) = rest.split_once('.').ok_or_else(invalid_token)?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid_token())?;
        // Constant-time comparison.
        self.mac(&[PREFIX.as_bytes(), payload.as_bytes()])?
            .verify_slice(&tag)
            .map_err(|_| invalid_token())?;
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| invalid_token())?;
        let claims: SessionClaims = serde_json::from_slice(&json).map_err(|_| invalid_token())?;
        if now_unix >= claims.expires_at {
            return Err(PluginFailure::rejected(
                "ExpiredToken",
                "The security token included in the request is expired",
            ));
        }
        Ok(OpenedToken {
            claims,
            secret_access_key: self.secret_for(token)?,
        })
    }
}

keyturn_plugin::export_plugin!(HmacSigner, credential_signer);
