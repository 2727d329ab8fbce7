//! `iam:DetachGroupPolicy`.

use keyturn_api::iam::DetachGroupPolicyRequest;

super::attach::attachment!(
    "`iam:DetachGroupPolicy` on the group's ARN, with `iam:PolicyARN`: detaches a managed policy from the group (see `attach`).",
    DetachGroupPolicy,
    DetachGroupPolicyRequest,
    Group,
    group_name,
    false
);
