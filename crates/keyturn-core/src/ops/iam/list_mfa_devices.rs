//! `iam:ListMFADevices`.

use keyturn_api::iam::{ListMFADevicesRequest, ListMFADevicesResponse, MFADevice};

use super::shared;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListMFADevices` on the user's ARN: the user's MFA devices, by serial. Without
    /// `UserName`: the signing user's devices; root's MFA is not modelled, so root gets none; role
    /// sessions and federated users must name a user.
    ListMfaDevices(ListMFADevicesRequest)
        -> ListMFADevicesResponse, on shared::user_or_own(user_name);

    fn run(cx, input) {
        let (v, user) = shared::view_and_user(cx, &input.user_name)?;
        let items = match user {
            Some(n) => v.mfa_devices(&n)?,
            None => Vec::new(),
        };
        shared::paged(items, &input, |d| MFADevice {
            user_name: d.user_name,
            serial_number: d.serial_number,
            enable_date: d.enable_date,
        })
    }
}
