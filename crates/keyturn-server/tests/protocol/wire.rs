//! Every action's wire shape, namespaces, errors and AWS's document layout.

use keyturn_api::{iam, sts};
use keyturn_core::request::Service;
use keyturn_server::ServerOptions;

use crate::client::*;
use crate::fake::*;

#[test]
fn every_action_decodes_and_answers_in_its_namespace() {
    let rt = rt();
    let (server, fake) = start(&rt, ServerOptions::default());
    for (action, body) in every_action() {
        let reply = post(&server, &body);
        assert_eq!(reply.status, 200, "{action}: {}", reply.body);
        assert_eq!(reply.header("content-type"), Some("text/xml"));
        let (root, ns, leaves) = parse_xml(&reply.body);
        assert_eq!(root, format!("{action}Response"));
        let iam = action.starts_with("Simulate");
        let want_ns = if iam {
            "https://iam.amazonaws.com/doc/2010-05-08/"
        } else {
            "https://sts.amazonaws.com/doc/2011-06-15/"
        };
        assert_eq!(ns, want_ns);
        let rid = leaf(
            &leaves,
            &format!("{action}Response/ResponseMetadata/RequestId"),
        )
        .unwrap();
        assert_eq!(reply.header("x-amzn-requestid"), Some(rid));
        let last = fake.take();
        assert_eq!(last.service, if iam { Service::Iam } else { Service::Sts });
        assert_eq!(last.action, action);
        assert_eq!(last.method, "POST");
        assert_eq!(last.body, body, "the backend sees the raw body");
        if let Some(exp) = leaf(&leaves, "Credentials/Expiration") {
            assert_eq!(exp, "2026-11-28T12:00:00Z");
            assert_eq!(leaf(&leaves, "Credentials/SecretAccessKey"), Some(SECRET));
        }
    }
    rt.block_on(server.shutdown());
}

#[test]
fn assume_role_members_decode_exactly() {
    let rt = rt();
    let (server, fake) = start(&rt, ServerOptions::default());
    let body = &every_action()[0].1;
    assert_eq!(post(&server, body).status, 200);
    let seen = fake.take();
    let r: &sts::AssumeRoleRequest = seen.input.downcast_ref().unwrap();
    assert_eq!(r.role_arn, "arn:aws:iam::111111111111:role/UpdateApp");
    assert_eq!(r.duration_seconds, Some(900));
    assert_eq!(
        r.tags,
        Some(vec![
            sts::Tag {
                key: "team".into(),
                value: "web dev".into()
            },
            sts::Tag {
                key: "b".into(),
                value: String::new()
            }
        ])
    );
    assert_eq!(r.transitive_tag_keys, Some(vec!["team".to_owned()]));
    assert_eq!(
        r.policy_arns.as_ref().unwrap()[0].arn.as_deref(),
        Some("arn:aws:iam::111111111111:role/UpdateApp")
    );
    assert_eq!(
        r.token_code.as_ref().map(keyturn_api::SecretString::expose),
        Some("123456")
    );
    assert_eq!(
        r.provided_contexts.as_ref().unwrap()[0]
            .context_assertion
            .as_deref(),
        Some("abcd")
    );
    assert_eq!(r.policy.as_deref(), Some("{}"));

    let body = &every_action()[11].1;
    assert_eq!(post(&server, body).status, 200);
    let seen = fake.take();
    let r: &iam::SimulatePrincipalPolicyRequest = seen.input.downcast_ref().unwrap();
    assert_eq!(r.action_names, vec!["s3:PutObject", "s3:GetObject"]);
    let entries = r.context_entries.as_ref().unwrap();
    assert_eq!(
        entries[0].context_key_values,
        Some(vec!["10.0.0.1".to_owned(), "10.0.0.2".to_owned()])
    );
    assert_eq!(entries[0].context_key_type.as_deref(), Some("ip"));
    rt.block_on(server.shutdown());
}

#[test]
fn get_query_strings_work() {
    let rt = rt();
    let (server, fake) = start(&rt, ServerOptions::default());
    let reply = send(
        &mut connect(&server),
        "GET",
        "/?Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=AKIA6RVFFB77RE7OLMKI",
        b"",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let (_, _, leaves) = parse_xml(&reply.body);
    assert_eq!(
        leaf(&leaves, "GetAccessKeyInfoResult/Account"),
        Some("609629065308")
    );
    let seen = fake.take();
    assert_eq!(seen.method, "GET");
    assert_eq!(
        seen.input.downcast_ref::<sts::GetAccessKeyInfoRequest>(),
        Some(&sts::GetAccessKeyInfoRequest {
            access_key_id: "AKIA6RVFFB77RE7OLMKI".into()
        })
    );
    rt.block_on(server.shutdown());
}

#[test]
fn xml_text_is_escaped_and_simulation_shape() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let reply = post(&server, &every_action()[4].1);
    let (_, _, leaves) = parse_xml(&reply.body);
    assert_eq!(
        leaf(&leaves, "DecodedMessage"),
        Some("{\"allowed\":false,\"x\":\"<&>\"}")
    );
    let reply = post(&server, &every_action()[12].1);
    let (_, _, leaves) = parse_xml(&reply.body);
    let p = "SimulateCustomPolicyResult/EvaluationResults/member/";
    assert_eq!(leaf(&leaves, &format!("{p}EvalDecision")), Some("allowed"));
    assert_eq!(
        leaf(
            &leaves,
            &format!("{p}MatchedStatements/member/SourcePolicyId")
        ),
        Some("app-bucket-rw")
    );
    assert_eq!(
        leaf(
            &leaves,
            &format!("{p}MatchedStatements/member/StartPosition/Line")
        ),
        Some("1")
    );
    assert_eq!(
        leaf(&leaves, &format!("{p}EvalDecisionDetails/entry/key")),
        Some("IAM Policy")
    );
    assert_eq!(
        leaf(&leaves, "SimulateCustomPolicyResult/IsTruncated"),
        Some("false")
    );
    rt.block_on(server.shutdown());
}

#[test]
fn protocol_errors() {
    let rt = rt();
    let (server, _) = start(&rt, body_limit(4096));
    let v = "Version=2011-06-15";
    assert_error(
        &post(&server, &format!("Action=Frobnicate&{v}")),
        400,
        "InvalidAction",
        "Could not find operation Frobnicate for version 2011-06-15",
    );
    assert_error(&post(&server, v), 400, "MissingAction", "Missing Action");
    assert_error(
        &post(&server, "Action=GetCallerIdentity&Version=2011-06-16"),
        400,
        "InvalidAction",
        "Could not find operation GetCallerIdentity for version 2011-06-16",
    );
    assert_error(
        &post(&server, "Action=GetCallerIdentity"),
        400,
        "InvalidAction",
        "Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED",
    );
    assert_error(
        &post(&server, "Action=SimulateCustomPolicy&Version=2011-06-15"),
        400,
        "InvalidAction",
        "Could not find operation SimulateCustomPolicy for version 2011-06-15",
    );
    let malformed = "The AWS query string is malformed or does not adhere to AWS standards.";
    assert_error(
        &post(&server, &format!("Action=GetCallerIdentity&{v}&{v}")),
        400,
        "InvalidQueryParameter",
        malformed,
    );
    assert_error(
        &post(&server, &format!("Action=GetCallerIdentity&{v}&X=%zz")),
        400,
        "InvalidQueryParameter",
        malformed,
    );
    assert_error(
        &post(&server, &format!("Action=GetCallerIdentity&{v}&X=%ff%fe")),
        400,
        "InvalidQueryParameter",
        malformed,
    );
    let mut raw = format!("Action=GetCallerIdentity&{v}&X=").into_bytes();
    raw.push(0xC3);
    assert_error(
        &send(&mut connect(&server), "POST", "/", &raw),
        400,
        "InvalidQueryParameter",
        malformed,
    );
    let big = format!("Action=GetCallerIdentity&{v}&Pad={}", "a".repeat(5000));
    assert_too_large(&post(&server, &big));
    let reply = send(&mut connect(&server), "DELETE", "/", b"");
    assert_error(
        &reply,
        405,
        "MethodNotAllowed",
        "The requested method DELETE is not allowed for the resource.",
    );
    assert_error(
        &post(&server, &format!("Action=AssumeRole&{v}&RoleArn={ARN}")),
        400,
        "MissingParameter",
        "The request must contain the parameter RoleSessionName",
    );
    assert_error(
        &post(
            &server,
            &format!("Action=AssumeRole&{v}&RoleArn={ARN}&RoleSessionName=Session1%3A2"),
        ),
        400,
        "ValidationError",
        r"1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*",
    );
    assert_error(
        &post(
            &server,
            &format!("Action=AssumeRole&{v}&RoleArn={ARN}&RoleSessionName=s&DurationSeconds=50000"),
        ),
        400,
        "ValidationError",
        "2 validation errors detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; Value '50000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    );
    assert_error(
        &post(
            &server,
            &format!("Action=AssumeRole&{v}&RoleArn={ARN}&RoleSessionName=s1&Tags.member.1.Key=k"),
        ),
        400,
        "ValidationError",
        "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
    );
    assert_error(
        &post(
            &server,
            &format!("Action=AssumeRole&{v}&RoleArn={ARN}&RoleSessionName=denied"),
        ),
        403,
        "AccessDenied",
        "User: x is not authorized",
    );
    // An authorization denial that carries the sealed decision sends it along, escaped.
    let reply = post(
        &server,
        &format!("Action=AssumeRole&{v}&RoleArn={ARN}&RoleSessionName=denied-encoded"),
    );
    assert_error(&reply, 403, "AccessDenied", "User: x is not authorized");
    assert!(
        reply.body.contains("    <Message>User: x is not authorized</Message>\n    <EncodedAuthorizationMessage>sealed&lt;decision&gt;</EncodedAuthorizationMessage>\n  </Error>"),
        "{}",
        reply.body
    );
    // IAM errors come in IAM's namespace.
    let reply = post(
        &server,
        "Action=SimulateCustomPolicy&Version=2010-05-08&ActionNames.member.1=s3%3AGetObject",
    );
    assert_error(
        &reply,
        400,
        "MissingParameter",
        "The request must contain the parameter PolicyInputList",
    );
    assert_eq!(
        parse_xml(&reply.body).1,
        "https://iam.amazonaws.com/doc/2010-05-08/"
    );
    rt.block_on(server.shutdown());
}

/// AWS's layout, deliberately: one element per line, two spaces per level, members in the
/// model's order (GetCallerIdentity: Arn, UserId, Account; AssumeRole: AssumedRoleUser before
/// Credentials), the same for errors.
#[test]
fn documents_have_awss_layout() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let reply = post(&server, CALLER_IDENTITY);
    assert_eq!(
        without_request_id(&reply),
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::222222222222:user/alice</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>222222222222</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>RID</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
"
    );
    let reply = post(&server, &every_action()[0].1);
    assert_eq!(
        without_request_id(&reply),
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:s1</AssumedRoleId>
      <Arn>arn:aws:sts::111111111111:assumed-role/UpdateApp/s1</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAY34FZKBOKMUTVV7A</AccessKeyId>
      <SecretAccessKey>{SECRET}</SecretAccessKey>
      <SessionToken>{TOKEN}</SessionToken>
      <Expiration>2026-11-28T12:00:00Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
    <SourceIdentity>alice</SourceIdentity>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>RID</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
"
        )
    );
    let reply = post(&server, "Version=2011-06-15");
    assert_eq!(
        without_request_id(&reply),
        sts_error_document("MissingAction", "Missing Action")
    );
    // A refusal whose code is in no model has the same layout.
    let reply = send(&mut connect(&server), "PUT", "/", b"");
    assert_eq!(reply.header("allow"), Some("GET, POST"));
    assert_eq!(
        without_request_id(&reply),
        sts_error_document(
            "MethodNotAllowed",
            "The requested method PUT is not allowed for the resource."
        )
    );
    rt.block_on(server.shutdown());
}
