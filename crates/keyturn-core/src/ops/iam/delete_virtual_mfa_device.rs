//! `iam:DeleteVirtualMFADevice`.

use crate::ops::prelude::*;
use keyturn_api::iam::DeleteVirtualMFADeviceRequest;

use super::mfa_devices::{self, Found};
use super::write;
use crate::iam::EntityKind;

/// AWS's text for a device still assigned to a user.
const IN_USE_TEXT: &str = "MFA Device is still in use.";

operation! {
    /// `iam:DeleteVirtualMFADevice` on the device's serial: deletes a device assigned to nobody
    /// (`DeleteConflict` while a user has it: deactivate it first).
    DeleteVirtualMfaDevice(DeleteVirtualMFADeviceRequest) -> NoOutput;

    fn resource(_cx, input) { Ok(input.serial_number.clone()) }

    fn run(cx, input) {
        write::change(cx, |p| match mfa_devices::find(p, &input.serial_number)? {
            Found::Assigned(..) => Err(Error::new(ErrorCode::DeleteConflict, IN_USE_TEXT)),
            Found::Unassigned(d) => {
                p.delete(EntityKind::VirtualMfaDevice, &d.name);
                Ok(())
            }
        })?;
        Ok(NoOutput)
    }
}
