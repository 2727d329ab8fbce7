//! `iam:DetachRolePolicy`.

use keyturn_api::iam::DetachRolePolicyRequest;

super::attach::attachment!(
    "`iam:DetachRolePolicy` on the role's ARN, with `iam:PolicyARN`: detaches a managed policy from the role (see `attach`).",
    DetachRolePolicy,
    DetachRolePolicyRequest,
    Role,
    role_name,
    false
);
