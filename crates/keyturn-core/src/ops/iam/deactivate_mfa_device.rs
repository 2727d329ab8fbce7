//! `iam:DeactivateMFADevice`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeactivateMFADeviceRequest;

use super::mfa_devices::{self, Found};
use super::shared;
use super::write;
use crate::iam::Entity;

operation! {
    /// `iam:DeactivateMFADevice` on the user's ARN (the caller's own when `UserName` is omitted):
    /// takes the device from the user; it stays, assigned to nobody, until
    /// DeleteVirtualMFADevice. From the next request on its codes are refused.
    DeactivateMfaDevice(DeactivateMFADeviceRequest) -> NoOutput, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let serial = &input.serial_number;
        // Root's MFA is not modelled: root has no device to deactivate.
        let user = shared::named_or_own_user(cx, input.user_name.clone())?
            .ok_or_else(|| mfa_devices::no_such_device(serial))?;
        write::change(cx, |p| {
            write::view_of(cx, p.snapshot)?.user(&user)?;
            let Found::Assigned(owner, device) = mfa_devices::find(p, serial)? else {
                return Err(mfa_devices::no_such_device(serial));
            };
            if owner.name != user {
                return Err(mfa_devices::no_such_device(serial));
            }
            let mut owner = owner.clone();
            owner.mfa_devices.retain(|d| d.name != device.name);
            p.put(Entity::VirtualMfaDevice(device.clone()));
            p.put(Entity::User(owner));
            p.forget(serial.clone());
            Ok(())
        })?;
        Ok(NoOutput)
    }
}
