//! `iam:ResyncMFADevice`.

use keyturn_api::NoOutput;
use keyturn_api::iam::ResyncMFADeviceRequest;

use super::mfa_devices::{self, Found};
use super::shared::{self, Kind};
use super::write;
use crate::Error;
use crate::ops::{Context, Operation};

/// `iam:ResyncMFADevice` on the user's ARN: checks two consecutive codes of the user's device
/// (within ten 30-second steps of now either way, the drift every verification honours, so
/// there is no offset to store) and spends them.
#[derive(Debug)]
pub struct ResyncMfaDevice;

impl Operation for ResyncMfaDevice {
    type Input = ResyncMFADeviceRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:ResyncMFADevice");

    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        shared::entity_arn(cx, Kind::User, &input.user_name)
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
        let serial = &input.serial_number;
        let (step, _) = write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.user(&input.user_name)?;
            match mfa_devices::find(p, serial)? {
                Found::Assigned(u, d) if u.name == input.user_name => {
                    mfa_devices::consecutive_codes(
                        d,
                        &input.authentication_code1,
                        &input.authentication_code2,
                        p.now,
                    )
                }
                _ => Err(mfa_devices::no_such_device(serial)),
            }
        })?;
        mfa_devices::consume(cx, serial, step)?;
        Ok(NoOutput)
    }
}
