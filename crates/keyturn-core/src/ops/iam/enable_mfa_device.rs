//! `iam:EnableMFADevice`.

use crate::ops::prelude::*;
use keyturn_api::iam::EnableMFADeviceRequest;

use super::mfa_devices::{self, Found};
use super::shared;
use crate::iam::{Entity, EntityKind};

/// AWS's text for a device that is assigned already (to this user or another).
const IN_USE_TEXT: &str = "MFA Device is already in use.";

operation! {
    /// `iam:EnableMFADevice` on the user's ARN: checks two consecutive codes of the device, then
    /// assigns it to the user (its enable date is now). From the next request on, the user's
    /// GetSessionToken and AssumeRole accept the device's codes (`aws:MultiFactorAuthPresent`); the
    /// codes that enabled it are spent.
    EnableMfaDevice(EnableMFADeviceRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        let serial = &input.serial_number;
        let codes = (
            input.authentication_code1.expose(),
            input.authentication_code2.expose(),
        );
        mfa_devices::change_with_codes(cx, &input.user_name, serial, codes, |p, found| {
            let device = match found {
                Found::Assigned(..) => {
                    return Err(Error::new(ErrorCode::EntityAlreadyExists, IN_USE_TEXT));
                }
                Found::Unassigned(d) => d.clone(),
            };
            let Some(mut user) = p.account.user(&input.user_name).cloned() else {
                return Err(mfa_devices::no_such_device(serial));
            };
            p.delete(EntityKind::VirtualMfaDevice, &device.name);
            user.mfa_devices.push(device);
            p.put(Entity::User(user));
            p.created(serial.clone());
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
