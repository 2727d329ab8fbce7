//! The X.509 outbound signers of workload identity providers: the certificate authority a
//! request names, its checks, and the signer schedule (attach, rotate, stop, resume).
//!
//! An entry's status follows from its times ([`crate::iam::workload::X509Signer::status_at`]):
//! a new or resumed entry signs after `SigningDelayInHours` (its CA certificate is published
//! in the bundle from the start, so verifiers have it before the first credential); a stopped
//! entry stays VALIDATING for 12 hours, then INACTIVE.

use keyturn_api::iam::{WorkloadIdentityOutboundSignerConfiguration, WorkloadIdentityPrivateCa};
use time::{Duration, OffsetDateTime};

use super::workload_identity::invalid;
use crate::iam::IamData;
use crate::iam::workload::{
    CaStatus, DISCOVERY_RETENTION_HOURS, PrivateCertificateAuthority, SLOT_CAPACITY, SignerStatus,
    SignerStop, WorkloadIdentityProvider, X509Signer,
};
use crate::ops::prelude::*;

/// The `X509` member of a request's `OutboundSigner`.
///
/// # Errors
/// `InvalidInput` when it is absent.
pub(crate) fn x509_member(
    config: &WorkloadIdentityOutboundSignerConfiguration,
) -> Result<&WorkloadIdentityPrivateCa, Error> {
    config
        .x509
        .as_ref()
        .ok_or_else(|| invalid("OutboundSigner must specify the X509 member."))
}

/// The certificate authority `ca` names, as IAM accepts one: it exists and is ACTIVE.
///
/// # Errors
/// `InvalidInput` otherwise.
pub(crate) fn attachable_ca<'d>(
    data: &'d IamData,
    ca: &WorkloadIdentityPrivateCa,
) -> Result<&'d PrivateCertificateAuthority, Error> {
    let found = data
        .private_ca(&ca.account_id, &ca.certificate_authority_id)
        .ok_or_else(|| {
            invalid(format!(
                "The certificate authority {} of account {} does not exist.",
                ca.certificate_authority_id, ca.account_id
            ))
        })?;
    if found.status != CaStatus::Active {
        return Err(invalid(format!(
            "The certificate authority {} is not ACTIVE.",
            ca.certificate_authority_id
        )));
    }
    Ok(found)
}

/// The entry a Create or Update of an X.509 signer adds: the provider `arn` is the caller's to
/// change, the request names an attachable CA, and its key and certificate are made (outside
/// the commit, whose plan may run again).
///
/// # Errors
/// `NoSuchEntity` for the provider; `InvalidInput` for the CA; as
/// [`crate::engine::Engine::new_x509_signer`].
pub(crate) fn incoming(
    cx: &Context<'_>,
    arn: &str,
    config: &WorkloadIdentityOutboundSignerConfiguration,
) -> Result<X509Signer, Error> {
    let caller = cx.caller()?;
    super::workload_identity::owned::<WorkloadIdentityProvider>(
        &caller.snapshot.data,
        &caller.account,
        arn,
    )?;
    let requested = x509_member(config)?;
    let ca = attachable_ca(&caller.snapshot.data, requested)?;
    cx.engine
        .new_x509_signer(&requested.account_id, ca, cx.engine.clock().now(), 0)
}

/// `SigningDelayInHours`, or `default` hours.
pub(crate) fn delay(hours: Option<i32>, default: i64) -> Duration {
    Duration::hours(hours.map_or(default, i64::from))
}

/// `SignerType` of Enable/Disable: X509 only.
///
/// # Errors
/// `InvalidInput` for JWT (IAM manages those signers).
pub(crate) fn x509_type(signer_type: &str) -> Result<(), Error> {
    if signer_type == "X509" {
        Ok(())
    } else {
        Err(invalid(
            "SignerType must be X509: IAM manages the JWT outbound signers, which cannot be \
             disabled, enabled or deleted.",
        ))
    }
}

fn iso(t: OffsetDateTime) -> String {
    crate::clock::iso8601(t)
}

/// Schedules `s` to stop at `at` for `why`, its trust material published 12 hours more.
fn stop(s: &mut X509Signer, at: OffsetDateTime, why: SignerStop) {
    s.end_signing_time = Some(iso(at));
    s.discovery_expiration_time = Some(iso(at + Duration::hours(DISCOVERY_RETENTION_HOURS)));
    s.stop = Some(why);
}

/// Schedules `s` to (re)start signing at `at`, with no end.
fn restart(s: &mut X509Signer, at: OffsetDateTime) {
    s.start_signing_time = iso(at);
    s.end_signing_time = None;
    s.discovery_expiration_time = None;
    s.stop = None;
}

/// Adds `entry` to the provider with the next sequence number, signing from `start`.
pub(crate) fn record(
    p: &mut WorkloadIdentityProvider,
    mut entry: X509Signer,
    start: OffsetDateTime,
) {
    restart(&mut entry, start);
    entry.sequence = p.next_sequence;
    p.next_sequence += 1;
    p.x509_signers.push(entry);
}

/// DisableWorkloadIdentityProviderOutboundSigner: every entry signing or waiting to sign stops
/// now.
pub(crate) fn disable(p: &mut WorkloadIdentityProvider, now: OffsetDateTime) {
    for s in &mut p.x509_signers {
        if matches!(
            s.status_at(now),
            SignerStatus::Active | SignerStatus::InTransition
        ) {
            stop(s, now, SignerStop::Disabled);
        }
    }
}

/// EnableWorkloadIdentityProviderOutboundSigner: in each slot with nothing signing or waiting,
/// the entry that stopped most recently (never one a cancelled rotation stopped) starts again
/// after `delay`.
pub(crate) fn enable(p: &mut WorkloadIdentityProvider, now: OffsetDateTime, delay: Duration) {
    let algorithms: Vec<_> = p.x509_signers.iter().map(|s| s.key_algorithm).collect();
    for alg in algorithms {
        let busy = p.slot(alg).any(|s| {
            matches!(
                s.status_at(now),
                SignerStatus::Active | SignerStatus::InTransition
            )
        });
        if busy {
            continue;
        }
        let latest = p
            .x509_signers
            .iter_mut()
            .filter(|s| s.key_algorithm == alg && s.stop != Some(SignerStop::Cancelled))
            .max_by_key(|s| {
                let end = s
                    .end_signing_time
                    .as_deref()
                    .map(super::workload_identity::time_of);
                (end, s.sequence)
            });
        if let Some(s) = latest {
            restart(s, now + delay);
        }
    }
}

/// UpdateWorkloadIdentityProviderOutboundSigner: rotates the slot of `entry`'s key algorithm
/// to `entry`'s CA, starting at `now + delay` (see the operation's documentation for the four
/// cases).
///
/// # Errors
/// `InvalidInput` when the slot is empty; `LimitExceeded` when a new entry does not fit and
/// too few entries are INACTIVE.
pub(crate) fn rotate(
    p: &mut WorkloadIdentityProvider,
    entry: X509Signer,
    now: OffsetDateTime,
    delay: Duration,
) -> Result<(), Error> {
    let alg = entry.key_algorithm;
    if p.slot(alg).next().is_none() {
        return Err(invalid(format!(
            "The provider has no X.509 signer for key algorithm {}: use \
             CreateWorkloadIdentityProviderOutboundSigner to fill the slot.",
            alg.as_str()
        )));
    }
    let start = now + delay;
    let live = |s: &X509Signer| {
        s.key_algorithm == alg
            && matches!(
                s.status_at(now),
                SignerStatus::Active | SignerStatus::InTransition
            )
    };
    // A pending rotation: the current entry is scheduled to stop for it, the incoming one waits.
    let rotating = p
        .x509_signers
        .iter()
        .position(|s| live(s) && s.stop == Some(SignerStop::Rotated));
    let (current, incoming) = match rotating {
        Some(c) => (
            Some(c),
            p.x509_signers.iter().position(|s| {
                live(s) && s.stop.is_none() && s.status_at(now) == SignerStatus::InTransition
            }),
        ),
        None => (
            p.x509_signers
                .iter()
                .position(|s| live(s) && s.stop.is_none()),
            None,
        ),
    };
    let target = p
        .x509_signers
        .iter()
        .position(|s| s.is_ca(&entry.ca_id, &entry.ca_account));
    let cancel = |p: &mut WorkloadIdentityProvider, i: usize| {
        if let Some(s) = p.x509_signers.get_mut(i) {
            s.end_signing_time = Some(iso(now));
            s.discovery_expiration_time = Some(iso(now));
            s.stop = Some(SignerStop::Cancelled);
        }
    };
    if target.is_some() && target == current {
        // The authority signing now: cancel a pending rotation, keep signing.
        if let Some(i) = incoming {
            cancel(p, i);
            if let Some(c) = current.and_then(|c| p.x509_signers.get_mut(c)) {
                c.end_signing_time = None;
                c.discovery_expiration_time = None;
                c.stop = None;
            }
        }
        return Ok(());
    }
    if target.is_some() && target == incoming {
        // The authority rotating in: re-time the rotation.
        if let Some(s) = incoming.and_then(|i| p.x509_signers.get_mut(i)) {
            s.start_signing_time = iso(start);
        }
    } else {
        if let Some(i) = incoming {
            cancel(p, i);
        }
        match target {
            Some(t) => {
                if let Some(s) = p.x509_signers.get_mut(t) {
                    restart(s, start);
                }
            }
            None => {
                make_room(p, alg, now)?;
                record(p, entry, start);
            }
        }
    }
    if let Some(c) = current.and_then(|c| p.x509_signers.get_mut(c)) {
        stop(c, start, SignerStop::Rotated);
    }
    Ok(())
}

/// Makes room for one more entry in the slot of `alg`: deletes its oldest INACTIVE entries
/// while it is full.
fn make_room(
    p: &mut WorkloadIdentityProvider,
    alg: crate::iam::workload::CaKeyAlgorithm,
    now: OffsetDateTime,
) -> Result<(), Error> {
    while p.slot(alg).count() >= SLOT_CAPACITY {
        let oldest = p
            .x509_signers
            .iter()
            .enumerate()
            .filter(|(_, s)| s.key_algorithm == alg && s.status_at(now) == SignerStatus::Inactive)
            .min_by_key(|(_, s)| s.sequence)
            .map(|(i, _)| i)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::LimitExceeded,
                    format!(
                        "The X.509 slot {} holds {SLOT_CAPACITY} entries and too few are INACTIVE \
                         to make room.",
                        alg.as_str()
                    ),
                )
            })?;
        p.x509_signers.remove(oldest);
    }
    Ok(())
}
