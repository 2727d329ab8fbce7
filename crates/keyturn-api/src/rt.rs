//! The runtime of the generated code: where a member is ([`At`]), the model's constraints
//! ([`Constraint`], [`Pattern`], [`CharClass`]), the aggregated validation text ([`Failures`]),
//! and a view of the Query parameters under a prefix ([`Scope`]).
//!
//! Public because the generated modules and the engine's own checks use it; its texts are AWS's.

mod member;
mod patterns;
mod scope;
mod shape;
mod validate;

pub use member::Structured;
pub(crate) use member::{InputShape, OutputShape, from_query, validate};
pub use patterns::{
    CharClass, Check, Pattern, account_alias, account_id, iam_path, path_prefix, policy_path,
    policy_version_id, redirect_url, web_identity_token_scope, workload_identity_domain,
    workload_identity_path_pattern, workload_identity_path_prefix, workload_identity_template_arn,
};
pub use scope::{Scope, list, missing, parse_blob, parse_bool, parse_int, parse_long, parse_time};
pub(crate) use shape::{Fill, constraints, groups, patterns, service, shape, shapes};
pub use validate::{At, Constraint, Failures, lower_camel, null_member_error};
