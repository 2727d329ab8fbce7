#![doc = include_str!("../README.md")]

mod compiled;
mod condition;
mod context;
mod date;
mod document;
mod error;
mod evaluate;
mod glob;
mod request_json;
mod span;
mod vars;

pub use compiled::{CompiledPolicy, PrincipalMatch};
pub use condition::{BaseOp, ConditionOp, SetQualifier, parse_operator};
pub use context::{Principal, PrincipalType, RequestContext};
pub use document::{
    ConditionEntry, Effect, ParseOptions, PolicyDocument, PolicyType, PrincipalKind, PrincipalSpec,
    Statement, StringList, Version, limits,
};
pub use error::PolicyError;
pub use evaluate::{
    Decision, Explanation, Layer, MatchList, MatchedStatement, Outcome, PolicySet, StatementRef,
    TrustOutcome, evaluate_trust,
};
pub use glob::wildcard_matches;
pub use request_json::{EvalRequest, check_policy, eval_request_json};
pub use span::{StatementSpan, TextPosition, statement_spans};
