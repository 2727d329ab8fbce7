//! The live audit log: the page (a table a small script fills) and the JSON it polls.
//!
//! Each event is the server's record of one request (`keyturn_server::LiveEvent`). A denial
//! that carries an encoded authorization message is explained with what the message holds,
//! as `DecodeAuthorizationMessage` would give it: whether a statement denied explicitly, the
//! statements that matched (policy, type, effect) and the request's context.

use keyturn::Engine;
use keyturn_server::{LiveEvent, LiveFeed};
use serde_json::{Value, json};

/// The most events one poll returns.
pub const POLL_LIMIT: usize = 200;

/// The page's body: an empty table, filled and kept current by `console.js`.
pub fn body(feed_capacity: usize) -> String {
    format!(
        "<p class=\"lead\">Requests to the STS and IAM endpoint as they arrive (the last \
         {feed_capacity} are kept). A denial shows why: the statements that matched and the \
         context, as DecodeAuthorizationMessage explains it.</p>\
         <p id=\"audit-status\" class=\"note\">Waiting for requests…</p>\
         <noscript><p class=\"error\">The live log needs JavaScript; the same events are at \
         <a href=\"/audit/events\">/audit/events</a> (JSON).</p></noscript>\
         <table class=\"audit\" id=\"audit\" data-poll=\"/audit/events\"><thead><tr>\
         <th>#</th><th>Time</th><th>Caller</th><th>Action</th><th>Decision</th><th>Why</th>\
         </tr></thead><tbody></tbody></table>"
    )
}

/// The decoded explanation of an encoded authorization message; `None` when the engine cannot
/// open it (another engine's, or damaged).
pub fn explain(engine: &Engine, encoded: &str) -> Option<Value> {
    let bytes = engine.signer().open_message(encoded).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Why a request was denied, in a few lines, from its decoded message.
pub fn reasons(decoded: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if decoded["explicitDeny"].as_bool() == Some(true) {
        out.push("an explicit Deny statement matched".to_owned());
    }
    let matched: Vec<&Value> = decoded["matchedStatements"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    if decoded["allowed"].as_bool() == Some(false)
        && decoded["explicitDeny"].as_bool() != Some(true)
    {
        out.push(if matched.is_empty() {
            "no statement allows it (implicit deny)".to_owned()
        } else {
            "denied implicitly: the statements below allow it, but a policy that must allow it \
             too (the role's trust policy, a permissions boundary, an SCP) does not"
                .to_owned()
        });
    }
    for m in matched {
        let sid = m["statementId"].as_str().unwrap_or("");
        out.push(format!(
            "matched: {} statement{} of {} policy {}",
            m["effect"].as_str().unwrap_or("?"),
            if sid.is_empty() {
                String::new()
            } else {
                format!(" {sid}")
            },
            m["policyType"].as_str().unwrap_or("?"),
            m["policyId"].as_str().unwrap_or("?")
        ));
    }
    out
}

/// One event as the page's script reads it.
pub fn event_json(engine: &Engine, e: &LiveEvent) -> Value {
    let decoded = e
        .encoded_message
        .as_deref()
        .and_then(|m| explain(engine, m));
    let decision = match &e.error {
        None => "allowed".to_owned(),
        Some((code, _)) => code.clone(),
    };
    json!({
        "seq": e.seq,
        "time": keyturn::clock::iso8601(e.time),
        "requestId": e.request_id,
        "sourceIp": e.source_ip.to_string(),
        "service": e.service.signing_name(),
        "action": e.action,
        "caller": e.caller_arn,
        "accessKeyId": e.access_key_id,
        "decision": decision,
        "denied": e.error.as_ref().is_some_and(|(c, _)| c == "AccessDenied"),
        "message": e.error.as_ref().map(|(_, m)| m.clone()),
        "reasons": decoded.as_ref().map(reasons).unwrap_or_default(),
        "explanation": decoded,
    })
}

/// The events after `after`: `{"last": N, "events": [...]}`.
pub fn events(engine: &Engine, feed: &LiveFeed, after: u64) -> Value {
    let events: Vec<Value> = feed
        .since(after, POLL_LIMIT)
        .iter()
        .map(|e| event_json(engine, e))
        .collect();
    json!({"last": feed.last_seq(), "events": events})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_name_the_matched_statements() {
        let decoded = json!({
            "allowed": false,
            "explicitDeny": true,
            "matchedStatements": {"items": [
                {"statementId": "NoProd", "effect": "DENY", "policyId": "guard", "policyType": "user"},
                {"statementId": "", "effect": "ALLOW", "policyId": "arn:aws:iam::1:policy/p", "policyType": "user-managed"}
            ]},
        });
        assert_eq!(
            reasons(&decoded),
            vec![
                "an explicit Deny statement matched",
                "matched: DENY statement NoProd of user policy guard",
                "matched: ALLOW statement of user-managed policy arn:aws:iam::1:policy/p",
            ]
        );
        let implicit =
            json!({"allowed": false, "explicitDeny": false, "matchedStatements": {"items": []}});
        assert_eq!(
            reasons(&implicit),
            vec!["no statement allows it (implicit deny)"]
        );
        let trust = json!({"allowed": false, "explicitDeny": false, "matchedStatements": {"items": [
            {"statementId": "", "effect": "ALLOW", "policyId": "assume", "policyType": "group"}
        ]}});
        let r = reasons(&trust);
        assert!(
            r[0].starts_with("denied implicitly: the statements below allow it"),
            "{r:?}"
        );
        assert_eq!(r[1], "matched: ALLOW statement of group policy assume");
    }
}
