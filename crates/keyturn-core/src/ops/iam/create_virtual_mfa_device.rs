//! `iam:CreateVirtualMFADevice`.

use keyturn_api::iam::{
    CreateVirtualMFADeviceRequest, CreateVirtualMFADeviceResponse, VirtualMFADevice,
};

use super::write;
use super::{instance_profiles, mfa_devices};
use crate::iam::{Entity, MfaDevice, SecretString};
use crate::mfa::qr;
use crate::ops::prelude::*;

/// AWS's text for a device name in use (whatever its path).
const EXISTS_TEXT: &str = "MFADevice entity at the same path and name already exists.";

/// Virtual MFA devices per account, as users per account (IAM counts one per user).
const DEVICES: write::Quota = write::Quota::new(write::quota::USERS.limit, "MFADevicesPerAccount");

fn internal(e: qr::BootstrapError) -> Error {
    Error::new(ErrorCode::ServiceFailure, e.to_string())
}

operation! {
    /// `iam:CreateVirtualMFADevice` on the new device's serial, with the request's tags as
    /// condition keys: a device with a fresh 160-bit seed from the OS, assigned to nobody. The
    /// answer is the only time the seed leaves: `Base32StringSeed` (the base32 text) and
    /// `QRCodePNG` (a PNG of its `otpauth://` URI), both blobs, base64 on the wire.
    CreateVirtualMfaDevice(CreateVirtualMFADeviceRequest) -> CreateVirtualMFADeviceResponse,
        when write::requested_tags(tags);

    fn resource(cx, input) {
        mfa_devices::device_arn(cx, write::path(input.path.as_deref()), &input.virtual_mfa_device_name)
    }

    fn run(cx, input) {
        let seed = qr::new_seed_base32().map_err(internal)?;
        let name = &input.virtual_mfa_device_name;
        let ((device, png), _) = write::change(cx, |p| {
            let a = p.account;
            let names = a
                .virtual_mfa_devices
                .iter()
                .chain(a.users.iter().flat_map(|u| &u.mfa_devices))
                .map(|d| d.name.as_str());
            if write::taken(names, name) {
                return Err(Error::new(ErrorCode::EntityAlreadyExists, EXISTS_TEXT));
            }
            let count = a.virtual_mfa_devices.len()
                + a.users.iter().map(|u| u.mfa_devices.len()).sum::<usize>();
            write::within(count, DEVICES)?;
            let device = MfaDevice {
                name: name.clone(),
                path: write::path(input.path.as_deref()).to_owned(),
                seed_base32: SecretString::new(seed.clone()),
                tags: write::tags(input.tags.as_deref(), &Default::default())?,
            };
            // The QR code names the account by its alias, else its id.
            let account_name = a.alias.as_deref().unwrap_or(&a.id);
            let uri = qr::otpauth_uri(name, account_name, &seed);
            let png = qr::qr_png(&uri).map_err(internal)?;
            p.put(Entity::VirtualMfaDevice(device.clone()));
            Ok((device, png))
        })?;
        Ok(CreateVirtualMFADeviceResponse {
            virtual_mfa_device: VirtualMFADevice {
                serial_number: mfa_devices::device_arn(cx, &device.path, &device.name)?,
                base32_string_seed: Some(seed.into_bytes()),
                qr_code_png: Some(png),
                user: None,
                enable_date: None,
                tags: instance_profiles::tag_list(&device.tags),
            },
        })
    }
}
