//! `iam:ResyncMFADevice`.

use crate::ops::prelude::*;
use keyturn_api::iam::ResyncMFADeviceRequest;

use super::mfa_devices::{self, Found};
use super::shared;

operation! {
    /// `iam:ResyncMFADevice` on the user's ARN: checks two consecutive codes of the user's device
    /// (the first within ten 30-second steps of now either way) and spends them. No per-device
    /// drift offset is kept: sign-in accepts one step either way of the server's time.
    ResyncMfaDevice(ResyncMFADeviceRequest) -> NoOutput, on shared::user_arn(user_name);

    fn run(cx, input) {
        let serial = &input.serial_number;
        let codes = (
            input.authentication_code1.expose(),
            input.authentication_code2.expose(),
        );
        mfa_devices::change_with_codes(
            cx,
            &input.user_name,
            serial,
            codes,
            |_, found| match found {
                Found::Assigned(u, _) if u.name == input.user_name => Ok(()),
                _ => Err(mfa_devices::no_such_device(serial)),
            },
        )?;
        Ok(NoOutput)
    }
}
