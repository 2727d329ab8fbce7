//! `iam:AttachRolePolicy`.

use keyturn_api::iam::AttachRolePolicyRequest;

super::attach::attachment!(
    "`iam:AttachRolePolicy` on the role's ARN, with `iam:PolicyARN`: attaches a managed policy to the role (see `attach`).",
    AttachRolePolicy,
    AttachRolePolicyRequest,
    Role,
    role_name,
    true
);
