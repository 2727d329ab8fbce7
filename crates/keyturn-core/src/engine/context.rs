//! The request's condition keys that come from the environment (time, network), and the
//! encoded authorization message of a denial.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::auth::Caller;
use crate::evaluator::Verdict;
use crate::sts::HttpParts;
use keyturn_policy::Outcome;

pub(crate) use crate::clock::iso8601;

/// Puts the environment keys: `aws:CurrentTime`, `aws:EpochTime`, `aws:RequestedRegion` and,
/// with a request, `aws:SourceIp`, `aws:SecureTransport`, `aws:UserAgent`.
pub(crate) fn put_env(
    put: &mut impl FnMut(&str, String),
    http: Option<&HttpParts<'_>>,
    now: OffsetDateTime,
    region: &str,
) {
    put("aws:currenttime", iso8601(now));
    put("aws:epochtime", now.unix_timestamp().to_string());
    put("aws:requestedregion", region.to_owned());
    if let Some(h) = http {
        put("aws:sourceip", h.source_ip.to_string());
        put("aws:securetransport", h.secure_transport.to_string());
        if let Some(ua) = h.user_agent {
            put("aws:useragent", ua.to_owned());
        }
    }
}

fn items<I: IntoIterator<Item = Value>>(values: I) -> Value {
    json!({ "items": values.into_iter().collect::<Vec<_>>() })
}

/// The decoded form of an authorization message, in the shape AWS's
/// `DecodeAuthorizationMessage` returns.
pub(crate) fn authorization_message(
    caller: &Caller,
    action: &str,
    resource: &str,
    extra: &[(&str, &[&str])],
    verdict: &Verdict,
) -> String {
    let matched = verdict.matched.iter().map(|m| {
        json!({
            "statementId": m.sid.clone().unwrap_or_default(),
            "effect": if m.allow { "ALLOW" } else { "DENY" },
            "policyId": m.policy_id,
            "policyType": m.source.as_str(),
        })
    });
    let mut conditions: Vec<Value> = caller
        .condition_keys()
        .into_iter()
        .map(|(k, v)| json!({"key": k, "values": items([json!({"value": v})])}))
        .collect();
    conditions.extend(extra.iter().map(|(k, vs)| {
        json!({"key": k.to_ascii_lowercase(), "values": items(vs.iter().map(|v| json!({"value": v})))})
    }));
    let doc = json!({
        "allowed": verdict.outcome == Outcome::Allow,
        "explicitDeny": verdict.outcome == Outcome::ExplicitDeny,
        "matchedStatements": items(matched),
        "failures": items(Vec::new()),
        "context": {
            "principal": {"id": caller.user_id, "arn": caller.arn},
            "action": action,
            "resource": resource,
            "conditions": {"items": conditions},
        },
    });
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_format() {
        let t =
            OffsetDateTime::from_unix_timestamp(1_764_337_106).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(iso8601(t), "2025-11-28T13:38:26Z");
    }
}
