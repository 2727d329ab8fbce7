//! `iam:AttachUserPolicy`.

use keyturn_api::iam::AttachUserPolicyRequest;

super::attach::attachment!(
    "`iam:AttachUserPolicy` on the user's ARN, with `iam:PolicyARN`: attaches a managed policy to the user (see `attach`).",
    AttachUserPolicy,
    AttachUserPolicyRequest,
    User,
    user_name,
    true
);
