//! The audit log over real requests: CloudTrail's shape, no secrets.

use keyturn_server::{AuditSink, ServerOptions};

use crate::client::*;
use crate::fake::*;

#[test]
fn audit_lines_have_cloudtrail_shape_and_no_secrets() {
    let dir = std::env::temp_dir().join(format!("keyturn-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("audit.jsonl");
    let _ = std::fs::remove_file(&path);
    let rt = rt();
    let (server, _) = start(
        &rt,
        ServerOptions {
            audit: AuditSink::File(path.clone()),
            region: "eu-west-1".into(),
            ..Default::default()
        },
    );
    let actions = every_action();
    for (_, body) in &actions {
        assert_eq!(post(&server, body).status, 200);
    }
    let bad = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=x&RoleSessionName=s1&WebIdentityToken=eyJSECRETWEBTOKEN";
    assert_eq!(post(&server, bad).status, 400);
    // Refused before an operation is known: no parameters recorded.
    let unknown = "Action=Frobnicate&Version=2011-06-15&TokenCode=123456";
    assert_eq!(post(&server, unknown).status, 400);
    rt.block_on(server.shutdown());
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), actions.len() + 2);
    for secret in [
        SECRET,
        TOKEN,
        "SECRETSAML",
        "SECRETWEBTOKEN",
        "123456",
        "654321",
        "SECRETTRADEIN",
        "SECRETJWT",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into the audit log");
    }
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["eventSource"], "sts.amazonaws.com");
    assert_eq!(first["eventName"], "AssumeRole");
    assert_eq!(first["awsRegion"], "eu-west-1");
    assert_eq!(first["sourceIPAddress"], "127.0.0.1");
    assert_eq!(first["userAgent"], "test-agent/1.0");
    assert_eq!(first["userIdentity"]["type"], "IAMUser");
    assert_eq!(first["userIdentity"]["accessKeyId"], "AKIAEXAMPLE");
    assert_eq!(first["requestParameters"]["roleSessionName"], "s1");
    assert_eq!(first["requestParameters"]["tags"][0]["key"], "team");
    assert_eq!(
        first["responseElements"]["credentials"]["accessKeyId"],
        "ASIAY34FZKBOKMUTVV7A"
    );
    assert!(
        first["responseElements"]["credentials"]
            .get("sessionToken")
            .is_none()
    );
    assert_eq!(first["requestID"].as_str().unwrap().len(), 36);
    // requestParameters: the Query parameters nested as CloudTrail shows them, values as sent,
    // the sensitive ones hidden.
    let request = &first["requestParameters"];
    assert_eq!(
        request["tags"][1],
        serde_json::json!({"key": "b", "value": ""})
    );
    assert_eq!(
        request["policyArns"][0]["arn"],
        "arn:aws:iam::111111111111:role/UpdateApp"
    );
    assert_eq!(request["durationSeconds"], "900");
    assert_eq!(request["tokenCode"], "HIDDEN_DUE_TO_SECURITY_REASONS");
    assert!(request.get("action").is_none() && request.get("version").is_none());
    let user = &first["responseElements"]["assumedRoleUser"];
    assert_eq!(
        user["arn"],
        "arn:aws:sts::111111111111:assumed-role/UpdateApp/s1"
    );
    assert_eq!(
        first["responseElements"]["credentials"],
        serde_json::json!({"accessKeyId": "ASIAY34FZKBOKMUTVV7A", "expiration": "2026-11-28T12:00:00Z"})
    );
    let line = |i: usize| -> serde_json::Value { serde_json::from_str(lines[i]).unwrap() };
    assert_eq!(
        line(1)["requestParameters"]["sAMLAssertion"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
    assert_eq!(
        line(3)["requestParameters"]["taskPolicyArn"]["arn"],
        "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
    );
    let identity = line(6);
    assert_eq!(identity["eventName"], "GetCallerIdentity");
    assert_eq!(identity["readOnly"], true);
    assert_eq!(identity["responseElements"], serde_json::Value::Null);
    assert_eq!(first["readOnly"], false);
    let federation = line(8);
    assert_eq!(
        federation["responseElements"]["federatedUser"]["arn"],
        "arn:aws:sts::222222222222:federated-user/bob"
    );
    assert_eq!(
        line(10)["responseElements"],
        serde_json::json!({"expiration": "2026-11-28T12:05:00Z"}),
        "an issued web identity token is not recorded"
    );
    assert_eq!(
        line(10)["requestParameters"]["audience"],
        serde_json::json!(["a1", "a2"])
    );
    let sim = line(11);
    assert_eq!(sim["eventSource"], "iam.amazonaws.com");
    assert_eq!(
        sim["requestParameters"]["contextEntries"][0]["contextKeyValues"],
        serde_json::json!(["10.0.0.1", "10.0.0.2"])
    );
    let bad = line(lines.len() - 2);
    assert_eq!(bad["errorCode"], "ValidationError");
    assert!(bad["errorMessage"].as_str().unwrap().contains("'roleArn'"));
    assert_eq!(bad["requestParameters"]["roleArn"], "x");
    assert_eq!(
        bad["requestParameters"]["webIdentityToken"],
        "HIDDEN_DUE_TO_SECURITY_REASONS"
    );
    assert_eq!(bad["responseElements"], serde_json::Value::Null);
    let unknown = line(lines.len() - 1);
    assert_eq!(unknown["eventName"], "Frobnicate");
    assert_eq!(unknown["errorCode"], "InvalidAction");
    assert_eq!(unknown["requestParameters"], serde_json::Value::Null);
    assert_eq!(unknown["userIdentity"]["type"], "Unknown");
    let _ = std::fs::remove_dir_all(&dir);
}
