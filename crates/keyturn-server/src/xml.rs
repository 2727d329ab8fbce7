//! The Query protocol's response side: XML in the service's namespace.
//!
//! A small writer into one `String` (no intermediate tree): text is escaped (`& < > " '`), and
//! timestamps are ISO-8601 UTC with second precision (`2026-11-28T12:00:00Z`), as STS sends them.

use std::fmt::Write as _;

use keyturn_core::request::Service;
use keyturn_core::sts::api::{
    ApiResponse, AssumedRoleUser, Credentials, EvalDecision, EvaluationResult, Statement,
};
use time::OffsetDateTime;

use crate::WireError;

/// The XML namespace of a service.
pub fn namespace(service: Service) -> &'static str {
    match service {
        Service::Sts => "https://sts.amazonaws.com/doc/2011-06-15/",
        Service::Iam => "https://iam.amazonaws.com/doc/2010-05-08/",
    }
}

/// An element's opening and closing tags, e.g. `("<Arn>", "</Arn>")`.
type Tag = (&'static str, &'static str);

/// The [`Tag`] of element `$name`, built at compile time.
macro_rules! t {
    ($name:literal) => {
        (concat!("<", $name, ">"), concat!("</", $name, ">"))
    };
}

struct Writer {
    out: String,
}

impl Writer {
    fn time(&mut self, tag: Tag, t: OffsetDateTime) {
        self.open(tag);
        keyturn_core::clock::push_iso8601(&mut self.out, t);
        self.close(tag);
    }

    fn open(&mut self, tag: Tag) {
        self.out.push_str(tag.0);
    }

    fn close(&mut self, tag: Tag) {
        self.out.push_str(tag.1);
    }

    fn text(&mut self, text: &str) {
        // Copy runs of plain bytes at once; only the six escaped characters (all ASCII, so
        // never inside a multi-byte character) break a run. Session tokens are ~1 KB of base64.
        let bytes = text.as_bytes();
        let special = |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r');
        // A fold without early exit vectorises: the usual text has nothing to escape.
        if !bytes.iter().fold(false, |any, &b| any | special(b)) {
            self.out.push_str(text);
            return;
        }
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&apos;",
                b'\r' => "&#xD;",
                _ => continue,
            };
            self.out.push_str(text.get(start..i).unwrap_or_default());
            self.out.push_str(entity);
            start = i + 1;
        }
        self.out.push_str(text.get(start..).unwrap_or_default());
    }

    fn leaf(&mut self, tag: Tag, text: &str) {
        self.open(tag);
        self.text(text);
        self.close(tag);
    }

    fn opt(&mut self, tag: Tag, text: Option<&str>) {
        if let Some(t) = text {
            self.leaf(tag, t);
        }
    }

    fn int(&mut self, tag: Tag, v: Option<i32>) {
        if let Some(v) = v {
            self.open(tag);
            let _ = write!(self.out, "{v}");
            self.close(tag);
        }
    }

    fn credentials(&mut self, c: &Credentials) {
        self.open(t!("Credentials"));
        self.leaf(t!("AccessKeyId"), &c.access_key_id);
        self.leaf(t!("SecretAccessKey"), c.secret_access_key.expose());
        self.leaf(t!("SessionToken"), c.session_token.expose());
        self.time(t!("Expiration"), c.expiration);
        self.close(t!("Credentials"));
    }

    fn assumed_role_user(&mut self, u: &AssumedRoleUser) {
        self.open(t!("AssumedRoleUser"));
        self.leaf(t!("AssumedRoleId"), &u.assumed_role_id);
        self.leaf(t!("Arn"), &u.arn);
        self.close(t!("AssumedRoleUser"));
    }

    fn statements(&mut self, list: &[Statement]) {
        self.open(t!("MatchedStatements"));
        for s in list {
            self.open(t!("member"));
            self.opt(t!("SourcePolicyId"), s.source_policy_id.as_deref());
            self.opt(t!("SourcePolicyType"), s.source_policy_type.as_deref());
            for (tag, pos) in [
                (t!("StartPosition"), s.start_position),
                (t!("EndPosition"), s.end_position),
            ] {
                if let Some(p) = pos {
                    self.open(tag);
                    self.int(t!("Line"), Some(p.line));
                    self.int(t!("Column"), Some(p.column));
                    self.close(tag);
                }
            }
            self.close(t!("member"));
        }
        self.close(t!("MatchedStatements"));
    }

    fn strings(&mut self, tag: Tag, list: &[String]) {
        self.open(tag);
        for s in list {
            self.leaf(t!("member"), s);
        }
        self.close(tag);
    }

    fn details(&mut self, details: &[(String, EvalDecision)]) {
        if details.is_empty() {
            return;
        }
        self.open(t!("EvalDecisionDetails"));
        for (k, d) in details {
            self.open(t!("entry"));
            self.leaf(t!("key"), k);
            self.leaf(t!("value"), d.as_str());
            self.close(t!("entry"));
        }
        self.close(t!("EvalDecisionDetails"));
    }

    fn evaluation(&mut self, r: &EvaluationResult) {
        self.open(t!("member"));
        self.leaf(t!("EvalActionName"), &r.eval_action_name);
        self.opt(t!("EvalResourceName"), r.eval_resource_name.as_deref());
        self.leaf(t!("EvalDecision"), r.eval_decision.as_str());
        self.statements(&r.matched_statements);
        self.strings(t!("MissingContextValues"), &r.missing_context_values);
        if let Some(b) = r.allowed_by_permissions_boundary {
            self.open(t!("PermissionsBoundaryDecisionDetail"));
            self.leaf(
                t!("AllowedByPermissionsBoundary"),
                if b { "true" } else { "false" },
            );
            self.close(t!("PermissionsBoundaryDecisionDetail"));
        }
        self.details(&r.eval_decision_details);
        if !r.resource_specific_results.is_empty() {
            self.open(t!("ResourceSpecificResults"));
            for rs in &r.resource_specific_results {
                self.open(t!("member"));
                self.leaf(t!("EvalResourceName"), &rs.eval_resource_name);
                self.leaf(
                    t!("EvalResourceDecision"),
                    rs.eval_resource_decision.as_str(),
                );
                self.statements(&rs.matched_statements);
                self.strings(t!("MissingContextValues"), &rs.missing_context_values);
                self.details(&rs.eval_decision_details);
                self.close(t!("member"));
            }
            self.close(t!("ResourceSpecificResults"));
        }
        self.close(t!("member"));
    }

    fn result(&mut self, response: &ApiResponse) {
        match response {
            ApiResponse::AssumeRole(r) => {
                self.credentials(&r.credentials);
                self.assumed_role_user(&r.assumed_role_user);
                self.int(t!("PackedPolicySize"), r.packed_policy_size);
                self.opt(t!("SourceIdentity"), r.source_identity.as_deref());
            }
            ApiResponse::AssumeRoleWithSaml(r) => {
                self.credentials(&r.credentials);
                self.assumed_role_user(&r.assumed_role_user);
                self.int(t!("PackedPolicySize"), r.packed_policy_size);
                self.opt(t!("Subject"), r.subject.as_deref());
                self.opt(t!("SubjectType"), r.subject_type.as_deref());
                self.opt(t!("Issuer"), r.issuer.as_deref());
                self.opt(t!("Audience"), r.audience.as_deref());
                self.opt(t!("NameQualifier"), r.name_qualifier.as_deref());
                self.opt(t!("SourceIdentity"), r.source_identity.as_deref());
            }
            ApiResponse::AssumeRoleWithWebIdentity(r) => {
                self.credentials(&r.credentials);
                self.opt(
                    t!("SubjectFromWebIdentityToken"),
                    r.subject_from_web_identity_token.as_deref(),
                );
                self.assumed_role_user(&r.assumed_role_user);
                self.int(t!("PackedPolicySize"), r.packed_policy_size);
                self.opt(t!("Provider"), r.provider.as_deref());
                self.opt(t!("Audience"), r.audience.as_deref());
                self.opt(t!("SourceIdentity"), r.source_identity.as_deref());
            }
            ApiResponse::AssumeRoot(r) => {
                self.credentials(&r.credentials);
                self.opt(t!("SourceIdentity"), r.source_identity.as_deref());
            }
            ApiResponse::DecodeAuthorizationMessage(r) => {
                self.leaf(t!("DecodedMessage"), &r.decoded_message);
            }
            ApiResponse::GetAccessKeyInfo(r) => self.leaf(t!("Account"), &r.account),
            ApiResponse::GetCallerIdentity(r) => {
                self.leaf(t!("UserId"), &r.user_id);
                self.leaf(t!("Account"), &r.account);
                self.leaf(t!("Arn"), &r.arn);
            }
            ApiResponse::GetDelegatedAccessToken(r) => {
                self.credentials(&r.credentials);
                self.int(t!("PackedPolicySize"), r.packed_policy_size);
                self.opt(t!("AssumedPrincipal"), r.assumed_principal.as_deref());
            }
            ApiResponse::GetFederationToken(r) => {
                self.credentials(&r.credentials);
                self.open(t!("FederatedUser"));
                self.leaf(t!("FederatedUserId"), &r.federated_user.federated_user_id);
                self.leaf(t!("Arn"), &r.federated_user.arn);
                self.close(t!("FederatedUser"));
                self.int(t!("PackedPolicySize"), r.packed_policy_size);
            }
            ApiResponse::GetSessionToken(r) => self.credentials(&r.credentials),
            ApiResponse::GetWebIdentityToken(r) => {
                self.leaf(t!("WebIdentityToken"), r.web_identity_token.expose());
                self.time(t!("Expiration"), r.expiration);
            }
            ApiResponse::SimulatePrincipalPolicy(r) | ApiResponse::SimulateCustomPolicy(r) => {
                self.open(t!("EvaluationResults"));
                for e in &r.evaluation_results {
                    self.evaluation(e);
                }
                self.close(t!("EvaluationResults"));
                self.leaf(
                    t!("IsTruncated"),
                    if r.is_truncated { "true" } else { "false" },
                );
                self.opt(t!("Marker"), r.marker.as_deref());
            }
        }
    }
}

/// `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId>…` for a success.
pub fn response(service: Service, response: &ApiResponse, request_id: &str) -> String {
    let action = response.action_name();
    let mut w = Writer {
        out: String::with_capacity(1536),
    };
    w.out.push('<');
    w.out.push_str(action);
    w.out.push_str("Response xmlns=\"");
    w.out.push_str(namespace(service));
    w.out.push_str("\">\n  <");
    w.out.push_str(action);
    w.out.push_str("Result>");
    w.result(response);
    w.out.push_str("</");
    w.out.push_str(action);
    w.out.push_str("Result>\n  <ResponseMetadata><RequestId>");
    w.text(request_id);
    w.out.push_str("</RequestId></ResponseMetadata>\n</");
    w.out.push_str(action);
    w.out.push_str("Response>\n");
    w.out
}

/// `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
pub fn error(service: Service, error: &WireError, request_id: &str) -> String {
    let mut w = Writer {
        out: String::with_capacity(256 + error.message.len()),
    };
    w.out.push_str("<ErrorResponse xmlns=\"");
    w.out.push_str(namespace(service));
    w.out.push_str("\">\n  <Error>\n    ");
    w.leaf(t!("Type"), error.fault);
    w.out.push_str("\n    ");
    w.leaf(t!("Code"), &error.code);
    w.out.push_str("\n    ");
    w.leaf(t!("Message"), &error.message);
    if let Some(encoded) = &error.encoded_authorization_message {
        w.out.push_str("\n    ");
        w.leaf(t!("EncodedAuthorizationMessage"), encoded);
    }
    w.out.push_str("\n  </Error>\n  ");
    w.leaf(t!("RequestId"), request_id);
    w.out.push_str("\n</ErrorResponse>\n");
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut w = Writer { out: String::new() };
        w.text(text);
        w.out
    }

    #[test]
    fn text_escapes_the_six_characters_and_keeps_the_rest() {
        assert_eq!(escaped(""), "");
        assert_eq!(escaped("plain/Token+=="), "plain/Token+==");
        assert_eq!(
            escaped("a&b<c>d\"e'f\rg"),
            "a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g"
        );
        assert_eq!(escaped("&&"), "&amp;&amp;");
        assert_eq!(escaped("é<ü>"), "é&lt;ü&gt;");
    }

    #[test]
    fn error_document_escapes_the_message() {
        let e = WireError::sender("ValidationError", 400, "Value '<x>' & more");
        let doc = error(Service::Sts, &e, "req-1");
        assert!(
            doc.contains("<Message>Value &apos;&lt;x&gt;&apos; &amp; more</Message>"),
            "{doc}"
        );
        assert!(doc.contains("<RequestId>req-1</RequestId>"), "{doc}");
    }
}
