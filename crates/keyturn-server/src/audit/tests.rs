#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use keyturn_api::{Output, XmlWriter, iam, sts};
use time::macros::datetime;

fn params(raw: &str) -> Value {
    let p = Params::parse(raw.as_bytes()).unwrap();
    request_parameters(&p, &["TokenCode"])
}

fn written(out: &impl Output) -> String {
    // As the server writes a result: depth 2 after a head.
    let mut w = XmlWriter::new(256, 2);
    w.raw("<XResponse>\n  <XResult>");
    let start = w.as_str().len();
    out.write_xml(&mut w);
    w.as_str()[start..].to_owned()
}

fn credentials() -> sts::Credentials {
    sts::Credentials {
        access_key_id: "ASIAY34FZKBOKMUTVV7A".into(),
        secret_access_key: "wJalrSECRET".into(),
        session_token: "FQoGSESSIONTOKEN".into(),
        expiration: datetime!(2026-11-28 12:00:00 UTC),
    }
}

#[test]
fn request_parameters_nest_lists_and_structures_in_index_order() {
    let v = params(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Ar&RoleSessionName=s1\
         &Tags.member.2.Key=b&Tags.member.2.Value=&Tags.member.10.Key=c&Tags.member.10.Value=3\
         &Tags.member.1.Key=team&Tags.member.1.Value=web+dev&TransitiveTagKeys.member.1=team\
         &PolicyArns.member.1.arn=arn%3Ap&TaskPolicyArn.arn=arn%3At&DurationSeconds=900\
         &ContextEntries.member.1.ContextKeyValues.member.2=y&ContextEntries.member.1.ContextKeyValues.member.1=x",
    );
    assert_eq!(
        v,
        json!({
            "roleArn": "arn:r",
            "roleSessionName": "s1",
            "tags": [
                {"key": "team", "value": "web dev"},
                {"key": "b", "value": ""},
                {"key": "c", "value": "3"},
            ],
            "transitiveTagKeys": ["team"],
            "policyArns": [{"arn": "arn:p"}],
            "taskPolicyArn": {"arn": "arn:t"},
            "durationSeconds": "900",
            "contextEntries": [{"contextKeyValues": ["x", "y"]}],
        })
    );
}

#[test]
fn many_parameters_give_the_same_nesting() {
    let mut raw = String::from("Action=AssumeRole&Version=2011-06-15");
    for i in (1..=20).rev() {
        raw.push_str(&format!("&Tags.member.{i}.Key=k{i}"));
    }
    let v = params(&raw);
    let keys: Vec<&str> = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    let want: Vec<String> = (1..=20).map(|i| format!("k{i}")).collect();
    assert_eq!(keys, want);
}

#[test]
fn sensitive_parameters_are_hidden_in_any_case() {
    let v = params(
        "TokenCode=123456&tokencode=234567&SAMLAssertion=PHNhbWw&WebIdentityToken=eyJ\
         &TradeInToken=t&SessionToken=s&SerialNumber=arn%3Amfa",
    );
    let text = v.to_string();
    for secret in ["123456", "234567", "PHNhbWw", "eyJ", "\"t\"", "\"s\""] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(v["tokenCode"], HIDDEN);
    assert_eq!(v["sAMLAssertion"], HIDDEN);
    assert_eq!(v["serialNumber"], "arn:mfa");
    // The operation's own list counts too.
    let p = Params::parse(b"Custom.member.1=secret&Other=x").unwrap();
    let v = request_parameters(&p, &["Custom"]);
    assert_eq!(v, json!({"custom": [HIDDEN], "other": "x"}));
}

#[test]
fn conflicting_paths_keep_their_raw_names() {
    let v = params("Tags=x&Tags.member.1.Key=k&A.member=1&A.member.0=2");
    assert_eq!(v["tags"], "x");
    assert_eq!(v["Tags.member.1.Key"], "k");
    // `member` without an index ≥ 1 is an ordinary name.
    assert_eq!(v["a"], json!({"member": "1"}));
    assert_eq!(v["A.member.0"], "2");
    assert_eq!(
        params("Action=GetCallerIdentity&Version=2011-06-15"),
        json!({})
    );
}

#[test]
fn response_elements_keep_what_was_issued_and_no_secret() {
    let out = sts::AssumeRoleResponse {
        credentials: Some(credentials()),
        assumed_role_user: Some(sts::AssumedRoleUser {
            assumed_role_id: "AROA3XFRBF535PLBIFPI4:s1".into(),
            arn: "arn:aws:sts::111111111111:assumed-role/UpdateApp/s1".into(),
        }),
        packed_policy_size: Some(6),
        source_identity: Some("a<&>'\r".into()),
        ..Default::default()
    };
    let xml = written(&out);
    assert!(xml.contains("wJalrSECRET"), "the wire has it");
    let v = response_elements(&xml);
    assert_eq!(
        v,
        json!({
            "credentials": {"accessKeyId": "ASIAY34FZKBOKMUTVV7A", "expiration": "2026-11-28T12:00:00Z"},
            "assumedRoleUser": {
                "assumedRoleId": "AROA3XFRBF535PLBIFPI4:s1",
                "arn": "arn:aws:sts::111111111111:assumed-role/UpdateApp/s1",
            },
            "packedPolicySize": "6",
            "sourceIdentity": "a<&>'\r",
        })
    );

    let out = sts::GetFederationTokenResponse {
        credentials: Some(credentials()),
        federated_user: Some(sts::FederatedUser {
            federated_user_id: "222222222222:bob".into(),
            arn: "arn:aws:sts::222222222222:federated-user/bob".into(),
        }),
        ..Default::default()
    };
    let v = response_elements(&written(&out));
    assert_eq!(v["federatedUser"]["federatedUserId"], "222222222222:bob");
    assert!(!v.to_string().contains("SECRET") && !v.to_string().contains("SESSION"));

    let out = sts::GetWebIdentityTokenResponse {
        web_identity_token: Some("eyJ.SECRETJWT.sig".into()),
        expiration: Some(datetime!(2026-11-28 12:05:00 UTC)),
    };
    assert_eq!(
        response_elements(&written(&out)),
        json!({"expiration": "2026-11-28T12:05:00Z"})
    );

    let out = sts::AssumeRoleWithSAMLResponse {
        subject: Some("alice".into()),
        trusted_identity_propagation_context: Some(sts::TrustedIdentityPropagationContext {
            origin_identity: Some(sts::OriginIdentity {
                subject: Some("SECRETSUBJECT".into()),
                ..Default::default()
            }),
            transaction_context: None,
        }),
        ..Default::default()
    };
    assert_eq!(
        response_elements(&written(&out)),
        json!({"subject": "alice"})
    );
    assert_eq!(response_elements(""), Value::Null);
}

#[test]
fn response_lists_and_maps_nest() {
    let out = iam::SimulatePolicyResponse {
        evaluation_results: Some(vec![iam::EvaluationResult {
            eval_action_name: "s3:PutObject".into(),
            eval_decision: "allowed".into(),
            matched_statements: Some(vec![iam::Statement {
                source_policy_id: Some("p1".into()),
                start_position: Some(iam::Position {
                    line: Some(1),
                    column: Some(2),
                }),
                ..Default::default()
            }]),
            missing_context_values: Some(vec![]),
            eval_decision_details: Some(vec![("IAM Policy".into(), "allowed".into())]),
            ..Default::default()
        }]),
        is_truncated: Some(false),
        marker: None,
    };
    assert_eq!(
        response_elements(&written(&out)),
        json!({
            "evaluationResults": [{
                "evalActionName": "s3:PutObject",
                "evalDecision": "allowed",
                "matchedStatements": [{"sourcePolicyId": "p1", "startPosition": {"line": "1", "column": "2"}}],
                "evalDecisionDetails": [{"key": "IAM Policy", "value": "allowed"}],
            }],
            "isTruncated": "false",
        })
    );
}

fn record<'a>(
    action: Option<&'a str>,
    request: Option<AuditRequest<'a>>,
    response: Option<&'a str>,
) -> AuditRecord<'a> {
    AuditRecord {
        service: Some(Service::Sts),
        action,
        region: "eu-west-1",
        source_ip: "127.0.0.1".parse().unwrap(),
        user_agent: Some("ua"),
        caller: None,
        request,
        response,
        error: None,
        request_id: "req-1",
        time: datetime!(2026-11-28 12:00:00 UTC),
    }
}

#[test]
fn read_only_actions_record_no_response() {
    let out = sts::GetCallerIdentityResponse {
        user_id: Some("AIDA".into()),
        account: Some("222222222222".into()),
        arn: Some("arn:aws:iam::222222222222:user/alice".into()),
    };
    let xml = written(&out);
    let e = event(&record(Some("GetCallerIdentity"), None, Some(&xml)));
    assert_eq!(e["readOnly"], true);
    assert_eq!(e["responseElements"], Value::Null);
    assert_eq!(e["requestParameters"], Value::Null);
    assert_eq!(e["eventTime"], "2026-11-28T12:00:00Z");
    assert_eq!(e["userIdentity"], json!({"type": "Unknown"}));

    let p = Params::parse(b"Action=GetSessionToken&Version=2011-06-15&TokenCode=123456").unwrap();
    let out = sts::GetSessionTokenResponse {
        credentials: Some(credentials()),
        ..Default::default()
    };
    let xml = written(&out);
    let request = AuditRequest {
        params: &p,
        sensitive: &["TokenCode"],
    };
    let mut r = record(Some("GetSessionToken"), Some(request), Some(&xml));
    r.error = Some(("X", "y"));
    let e = event(&r);
    assert_eq!(e["readOnly"], false);
    assert_eq!(e["requestParameters"], json!({"tokenCode": HIDDEN}));
    assert_eq!(
        e["responseElements"]["credentials"]["accessKeyId"],
        "ASIAY34FZKBOKMUTVV7A"
    );
    assert_eq!(
        (&e["errorCode"], &e["errorMessage"]),
        (&json!("X"), &json!("y"))
    );
}

/// A writer that takes at most `room` more bytes (a disk that fills up), shared with the test.
#[derive(Clone, Default)]
struct SmallDisk {
    written: std::sync::Arc<Mutex<Vec<u8>>>,
    room: std::sync::Arc<Mutex<usize>>,
}

impl Write for SmallDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut room = self.room.lock().unwrap();
        if *room == 0 {
            return Err(std::io::ErrorKind::StorageFull.into());
        }
        let n = buf.len().min(*room);
        *room -= n;
        self.written.lock().unwrap().extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_full_sink_is_counted_reported_once_and_recovers_on_a_fresh_line() {
    let disk = SmallDisk::default();
    *disk.room.lock().unwrap() = 10_000;
    let log =
        AuditLog::from_writer(Some(Box::new(disk.clone()))).on_failure(OnAuditFailure::Refuse);
    assert!(log.refuses());
    let r = record(Some("GetCallerIdentity"), None, None);
    log.record(&r).unwrap();
    assert!(!log.failing());
    // Room for half a line: the event is cut short and the write fails.
    let first_len = disk.written.lock().unwrap().len();
    *disk.room.lock().unwrap() = first_len / 2;
    assert!(log.record(&r).is_err());
    assert!(log.record(&r).is_err());
    assert_eq!(log.failures(), 2);
    assert!(log.failing());
    // Space again: the next event is whole, on a line of its own after the torn one.
    *disk.room.lock().unwrap() = 10_000;
    log.record(&r).unwrap();
    assert!(!log.failing());
    assert_eq!(log.failures(), 2);
    let text = String::from_utf8(disk.written.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for whole in [lines[0], lines[2]] {
        let v: Value = serde_json::from_str(whole).unwrap();
        assert_eq!(v["eventName"], "GetCallerIdentity");
    }
    assert!(serde_json::from_str::<Value>(lines[1]).is_err());
}

#[test]
fn only_a_log_that_is_on_can_refuse() {
    let off = AuditLog::from_writer(None).on_failure(OnAuditFailure::Refuse);
    assert!(!off.refuses());
    assert!(
        off.record(&record(Some("GetCallerIdentity"), None, None))
            .is_ok()
    );
    let on = AuditLog::from_writer(Some(Box::new(std::io::sink())));
    assert!(!on.refuses(), "continue is the default");
}

#[test]
fn the_refusal_is_service_unavailable_in_aws_words() {
    let e = unavailable();
    assert_eq!(
        (e.code(), e.http_status(), e.fault(), e.message()),
        (
            "ServiceUnavailable",
            503,
            "Receiver",
            "The request has failed due to a temporary failure of the server."
        )
    );
}
