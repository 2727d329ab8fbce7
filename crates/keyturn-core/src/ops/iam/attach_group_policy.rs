//! `iam:AttachGroupPolicy`.

use keyturn_api::iam::AttachGroupPolicyRequest;

super::attach::attachment!(
    "`iam:AttachGroupPolicy` on the group's ARN, with `iam:PolicyARN`: attaches a managed policy to the group (see `attach`).",
    AttachGroupPolicy,
    AttachGroupPolicyRequest,
    Group,
    group_name,
    true
);
