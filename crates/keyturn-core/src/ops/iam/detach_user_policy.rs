//! `iam:DetachUserPolicy`.

use keyturn_api::iam::DetachUserPolicyRequest;

super::attach::attachment!(
    "`iam:DetachUserPolicy` on the user's ARN, with `iam:PolicyARN`: detaches a managed policy from the user (see `attach`).",
    DetachUserPolicy,
    DetachUserPolicyRequest,
    User,
    user_name,
    false
);
