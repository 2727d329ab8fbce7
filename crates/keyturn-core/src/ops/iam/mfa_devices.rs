//! What the virtual MFA device operations share: finding a device by its serial (assigned to a
//! user or not), checking two consecutive codes (EnableMFADevice, ResyncMFADevice) and AWS's
//! texts for their refusals.
//!
//! A device lives in one place: unassigned in `Account::virtual_mfa_devices`, or assigned in its
//! user's `mfa_devices`. Enabling moves it to the user (and records its enable date under its
//! serial); deactivating moves it back.

use time::OffsetDateTime;

use super::write::{self, Plan};
use crate::iam::{MfaDevice, User};
use crate::ops::Context;
use crate::{Error, ErrorCode};

/// How many 30-second steps either side of now the first of two codes may be (AWS accepts codes
/// from an authenticator whose clock drifted; 10 steps is the largest drift verification
/// honours, [`crate::mfa::MAX_DRIFT_STEPS`]).
const ENABLE_DRIFT_STEPS: u64 = crate::mfa::MAX_DRIFT_STEPS;

/// `NoSuchEntity`: "VirtualMFADevice with serial number X doesn't exist."
pub(crate) fn no_such_device(serial: &str) -> Error {
    Error::new(
        ErrorCode::NoSuchEntity,
        format!("VirtualMFADevice with serial number {serial} doesn't exist."),
    )
}

/// `InvalidAuthenticationCode` (403): "Authentication code for device is not valid."
pub(crate) fn invalid_code() -> Error {
    Error::new(
        ErrorCode::InvalidAuthenticationCode,
        "Authentication code for device is not valid.",
    )
}

/// The ARN an MFA device call is authorized on: its serial (`arn:aws:iam::ACCT:mfa/PATH/NAME`).
pub(crate) fn device_arn(cx: &Context<'_>, path: &str, name: &str) -> Result<String, Error> {
    Ok(crate::mfa::device_serial_at(
        &cx.caller()?.account,
        path,
        name,
    ))
}

/// Where a device is.
pub(crate) enum Found<'a> {
    /// Created, not assigned.
    Unassigned(&'a MfaDevice),
    /// Assigned to this user.
    Assigned(&'a User, &'a MfaDevice),
}

/// The device of the caller's account whose serial is `serial`.
///
/// # Errors
/// `NoSuchEntity` ([`no_such_device`]) when there is none.
pub(crate) fn find<'a>(p: &Plan<'a>, serial: &str) -> Result<Found<'a>, Error> {
    let a = p.account;
    if let Some(d) = a
        .virtual_mfa_devices
        .iter()
        .find(|d| d.serial(&a.id) == serial)
    {
        return Ok(Found::Unassigned(d));
    }
    a.users
        .iter()
        .find_map(|u| {
            u.mfa_devices
                .iter()
                .find(|d| d.serial(&a.id) == serial)
                .map(|d| Found::Assigned(u, d))
        })
        .ok_or_else(|| no_such_device(serial))
}

/// Checks that `code1` and `code2` are the device's codes for two consecutive time steps near
/// `now`; returns the step of `code2` (recorded as used once the write is committed, so that the
/// codes that enabled or resynchronised a device cannot sign in afterwards).
///
/// # Errors
/// `InvalidAuthenticationCode` otherwise.
fn consecutive_codes(
    device: &MfaDevice,
    code1: &str,
    code2: &str,
    now: OffsetDateTime,
) -> Result<u64, Error> {
    let seed = crate::mfa::decode_seed_base32(device.seed_base32.expose())
        .map_err(|e| Error::new(ErrorCode::ServiceFailure, e.to_string()))?;
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let first =
        crate::mfa::verify_totp(&seed, code1, unix, ENABLE_DRIFT_STEPS).ok_or_else(invalid_code)?;
    let step = crate::mfa::TotpParams::AWS.step;
    let second = first.saturating_add(1);
    // The second code must be the very next step's (checked alone, without drift).
    crate::mfa::verify_totp(&seed, code2, second.saturating_mul(step), 0)
        .filter(|s| *s == second)
        .ok_or_else(invalid_code)?;
    Ok(second)
}

/// EnableMFADevice's and ResyncMFADevice's write: `apply` checks the device found for `serial`
/// and plans the change; then `code1` and `code2` must be two consecutive codes of it (else
/// nothing is stored); once committed, the codes are spent.
///
/// # Errors
/// `NoSuchEntity` for an unknown user or device; what `apply` returns;
/// `InvalidAuthenticationCode`.
pub(crate) fn change_with_codes(
    cx: &Context<'_>,
    user: &str,
    serial: &str,
    (code1, code2): (&str, &str),
    mut apply: impl FnMut(&mut Plan<'_>, Found<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    let (step, _) = write::change(cx, |p| {
        write::view_of(cx, p.snapshot)?.user(user)?;
        let found = find(p, serial)?;
        let device = match &found {
            Found::Unassigned(d) | Found::Assigned(_, d) => (*d).clone(),
        };
        apply(p, found)?;
        consecutive_codes(&device, code1, code2, p.now)
    })?;
    cx.engine.store.consume_mfa_code(serial, step)?;
    Ok(())
}
