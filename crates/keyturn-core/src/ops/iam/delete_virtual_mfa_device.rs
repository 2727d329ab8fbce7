//! `iam:DeleteVirtualMFADevice`.

use keyturn_api::NoOutput;
use keyturn_api::iam::DeleteVirtualMFADeviceRequest;

use super::mfa_devices::{self, Found};
use super::write;
use crate::iam::EntityKind;
use crate::ops::{Context, Operation};
use crate::{Error, ErrorCode};

/// `iam:DeleteVirtualMFADevice` on the device's serial: deletes a device assigned to nobody
/// (`DeleteConflict` while a user has it: deactivate it first).
#[derive(Debug)]
pub struct DeleteVirtualMfaDevice;

/// AWS's text for a device still assigned to a user.
const IN_USE_TEXT: &str = "MFA Device is still in use.";

impl Operation for DeleteVirtualMfaDevice {
    type Input = DeleteVirtualMFADeviceRequest;
    type Output = NoOutput;
    const ACTION: Option<&'static str> = Some("iam:DeleteVirtualMFADevice");

    fn resource(_cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        Ok(input.serial_number.clone())
    }

    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error> {
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
