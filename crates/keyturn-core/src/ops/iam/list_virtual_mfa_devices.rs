//! `iam:ListVirtualMFADevices`.

use keyturn_api::iam::{ListVirtualMFADevicesRequest, ListVirtualMFADevicesResponse};

use super::shared;
use crate::engine::view::AssignmentStatus;
use crate::ops::prelude::*;

operation! {
    /// `iam:ListVirtualMFADevices` on `*` (no resource type): the account's virtual MFA devices as
    /// `AssignmentStatus` selects (assigned ones with their user and enable date), by serial; never
    /// the seed or QR code.
    ListVirtualMfaDevices(ListVirtualMFADevicesRequest) -> ListVirtualMFADevicesResponse;

    fn run(cx, input) {
        let status = match input.assignment_status.as_deref() {
            None | Some("Any") => AssignmentStatus::Any,
            Some("Assigned") => AssignmentStatus::Assigned,
            Some("Unassigned") => AssignmentStatus::Unassigned,
            Some(other) => {
                return Err(Error::new(
                    ErrorCode::ValidationError,
                    format!(
                        "1 validation error detected: Value '{other}' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]"
                    ),
                ));
            }
        };
        let items = shared::view(cx)?.virtual_mfa_devices(status);
        shared::paged(items, &input, std::convert::identity)
    }
}
