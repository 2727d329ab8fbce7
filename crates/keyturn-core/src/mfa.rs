//! One-time passwords for virtual MFA devices: HOTP (RFC 4226) and TOTP (RFC 6238).
//!
//! AWS virtual MFA devices use TOTP with HMAC-SHA-1, 6 digits and a 30-second step
//! ([`TotpParams::AWS`]). SHA-256, SHA-512 and 8 digits are supported too, for the RFC vectors
//! and for other authenticators. Seeds arrive as base32 text ([`decode_seed_base32`]).
//!
//! Verification ([`verify_totp`]) compares codes in constant time and returns the matched time
//! step, which the caller records in the store (`StoreWrite::consume_mfa_code`), so that each code
//! is accepted once: the store keeps the last step used per device and accepts only a later one,
//! so a code is refused both when it was used and when a code of a later step was (RFC 6238
//! §5.2; `docs/configuration.md` says the same).

use hmac::{Hmac, KeyInit, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

pub mod qr;
#[cfg(test)]
mod tests;

/// The largest drift window honoured (steps either way); larger requests are clamped, so that a
/// caller's mistake cannot make verification loop for long.
pub const MAX_DRIFT_STEPS: u64 = 10;

/// Fewest seed bytes accepted: 80 bits, the size of the common 16-character base32 seeds.
pub const MIN_SEED_BYTES: usize = 10;

/// Why a seed or a parameter set was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MfaError {
    /// The seed is not valid base32 text.
    #[error("the MFA seed is not valid base32")]
    InvalidBase32,
    /// The decoded seed is shorter than [`MIN_SEED_BYTES`].
    #[error("the MFA seed is too short: {0} bytes, at least 10 are required")]
    SeedTooShort(usize),
    /// The number of digits is outside 6–9.
    #[error("unsupported number of OTP digits: {0} (6 to 9 are supported)")]
    UnsupportedDigits(u32),
    /// The time step is zero.
    #[error("the TOTP time step must be at least one second")]
    ZeroStep,
}

/// The HMAC hash function of an OTP generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpAlgorithm {
    /// HMAC-SHA-1, the RFC 4226 default and what AWS uses.
    Sha1,
    /// HMAC-SHA-256 (RFC 6238).
    Sha256,
    /// HMAC-SHA-512 (RFC 6238).
    Sha512,
}

/// TOTP parameters: hash, digits, step length and epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TotpParams {
    /// HMAC hash function.
    pub algorithm: OtpAlgorithm,
    /// Code length, 6 to 9 digits.
    pub digits: u32,
    /// Step length in seconds (`X` in RFC 6238).
    pub step: u64,
    /// Unix time at which step 0 starts (`T0` in RFC 6238).
    pub t0: u64,
}

impl TotpParams {
    /// AWS virtual MFA: SHA-1, 6 digits, 30-second steps from the Unix epoch.
    pub const AWS: Self = Self {
        algorithm: OtpAlgorithm::Sha1,
        digits: 6,
        step: 30,
        t0: 0,
    };

    /// The time step (counter) that contains `unix_time`; times before `t0` are step 0.
    pub fn time_step(&self, unix_time: u64) -> u64 {
        unix_time.saturating_sub(self.t0) / self.step.max(1)
    }

    fn check(&self) -> Result<(), MfaError> {
        if !(6..=9).contains(&self.digits) {
            return Err(MfaError::UnsupportedDigits(self.digits));
        }
        if self.step == 0 {
            return Err(MfaError::ZeroStep);
        }
        Ok(())
    }
}

impl Default for TotpParams {
    fn default() -> Self {
        Self::AWS
    }
}

/// Decodes a base32 seed (RFC 4648 alphabet). Case, spaces, hyphens and `=` padding are ignored,
/// as authenticator apps print seeds in groups; the seed must decode to at least
/// [`MIN_SEED_BYTES`] bytes. The result is wiped from memory when dropped.
pub fn decode_seed_base32(text: &str) -> Result<Zeroizing<Vec<u8>>, MfaError> {
    let cleaned: Zeroizing<String> = Zeroizing::new(
        text.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\t'))
            .map(|c| c.to_ascii_uppercase())
            .collect::<String>()
            .trim_end_matches('=')
            .to_owned(),
    );
    if cleaned.is_empty()
        || !cleaned
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    {
        return Err(MfaError::InvalidBase32);
    }
    // Lengths that leave a partial character (1, 3 or 6 characters mod 8) are malformed.
    if matches!(cleaned.len() % 8, 1 | 3 | 6) {
        return Err(MfaError::InvalidBase32);
    }
    let mut spec = data_encoding::BASE32_NOPAD.specification();
    // Some generators leave non-zero bits after the last whole byte; they carry no key material.
    spec.check_trailing_bits = false;
    let encoding = spec.encoding().map_err(|_| MfaError::InvalidBase32)?;
    let bytes = Zeroizing::new(
        encoding
            .decode(cleaned.as_bytes())
            .map_err(|_| MfaError::InvalidBase32)?,
    );
    if bytes.len() < MIN_SEED_BYTES {
        return Err(MfaError::SeedTooShort(bytes.len()));
    }
    Ok(bytes)
}

fn mac_of(algorithm: OtpAlgorithm, key: &[u8], message: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length, so this cannot fail; an empty MAC would only make every
        // code comparison fail, never succeed.
        match <M as KeyInit>::new_from_slice(key) {
            Ok(mut mac) => {
                mac.update(message);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }
    match algorithm {
        OtpAlgorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, message),
        OtpAlgorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
        OtpAlgorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, message),
    }
}

/// RFC 4226 HOTP value for `counter`, as a zero-padded string of `digits` digits.
pub fn hotp(
    algorithm: OtpAlgorithm,
    key: &[u8],
    counter: u64,
    digits: u32,
) -> Result<String, MfaError> {
    if !(6..=9).contains(&digits) {
        return Err(MfaError::UnsupportedDigits(digits));
    }
    Ok(hotp_unchecked(algorithm, key, counter, digits))
}

fn hotp_unchecked(algorithm: OtpAlgorithm, key: &[u8], counter: u64, digits: u32) -> String {
    let mac = mac_of(algorithm, key, &counter.to_be_bytes());
    // Dynamic truncation (RFC 4226 §5.3): the low nibble of the last byte picks 4 bytes.
    let offset = mac.last().map_or(0, |b| usize::from(b & 0x0f));
    let binary = match mac.get(offset..offset + 4) {
        Some(&[a, b, c, d]) => u32::from_be_bytes([a & 0x7f, b, c, d]),
        _ => 0,
    };
    let value = binary % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// RFC 6238 TOTP value at `unix_time`.
pub fn totp(key: &[u8], unix_time: u64, params: &TotpParams) -> Result<String, MfaError> {
    params.check()?;
    Ok(hotp_unchecked(
        params.algorithm,
        key,
        params.time_step(unix_time),
        params.digits,
    ))
}

/// Checks an AWS-style code (SHA-1, 6 digits, 30 s) against the steps within `drift_steps` of
/// `unix_time` and returns the matched step. See [`verify_totp_with`].
pub fn verify_totp(seed: &[u8], code: &str, unix_time: u64, drift_steps: u64) -> Option<u64> {
    verify_totp_with(seed, code, unix_time, drift_steps, &TotpParams::AWS)
}

/// Checks `code` against the steps `current - drift_steps ..= current + drift_steps` (drift at most
/// [`MAX_DRIFT_STEPS`]) and returns
/// the matched step, or `None`. Every candidate is computed and compared in constant time, so the
/// timing says nothing about which step (or which digits) matched. A code of the wrong length or
/// with non-digits is refused outright (that reveals nothing secret).
pub fn verify_totp_with(
    seed: &[u8],
    code: &str,
    unix_time: u64,
    drift_steps: u64,
    params: &TotpParams,
) -> Option<u64> {
    params.check().ok()?;
    if code.len() != params.digits as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = params.time_step(unix_time);
    let drift_steps = drift_steps.min(MAX_DRIFT_STEPS);
    let first = current.saturating_sub(drift_steps);
    let last = current.saturating_add(drift_steps);
    let mut matched: Option<u64> = None;
    let mut step = first;
    loop {
        let candidate = hotp_unchecked(params.algorithm, seed, step, params.digits);
        let equal: bool = candidate.as_bytes().ct_eq(code.as_bytes()).into();
        // Keep the first match but keep computing, so that the work does not depend on it.
        if equal && matched.is_none() {
            matched = Some(step);
        }
        if step >= last {
            break;
        }
        step += 1;
    }
    matched
}

/// The serial number (ARN) of a virtual MFA device at the default path:
/// `arn:aws:iam::ACCOUNT:mfa/NAME`.
pub fn device_serial(account_id: &str, device_name: &str) -> String {
    device_serial_at(account_id, "/", device_name)
}

/// The serial number (ARN) of a virtual MFA device at `path` (`/` or `/a/b/`):
/// `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`, as IAM forms the ARNs of pathed entities.
pub fn device_serial_at(account_id: &str, path: &str, device_name: &str) -> String {
    format!("arn:aws:iam::{account_id}:mfa{path}{device_name}")
}
