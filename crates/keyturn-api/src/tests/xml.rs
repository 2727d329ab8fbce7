//! XML writing: AWS's layout, nested outputs parsed back, escaping.

use quick_xml::events::Event;
use time::macros::datetime;

use crate::iam::{
    AttachedPermissionsBoundary, GetAccountSummaryResponse, ListRolesResponse, Role, RoleLastUsed,
    Tag,
};
use crate::sts::{AssumeRoleResponse, AssumedRoleUser, Credentials, GetCallerIdentityResponse};
use crate::{ErrorCode, Service, error_document, error_document_with, response_document};

/// An element parsed back: name, text, children.
#[derive(Debug, PartialEq)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

fn node(name: &str, text: &str, children: Vec<Node>) -> Node {
    Node {
        name: name.into(),
        text: text.into(),
        children,
    }
}

fn leaf(name: &str, text: &str) -> Node {
    node(name, text, Vec::new())
}

fn parse(doc: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(doc);
    reader.config_mut().trim_text(true);
    let mut stack = vec![node("#document", "", Vec::new())];
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                stack.push(node(&name, "", Vec::new()));
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                stack.last_mut().unwrap().children.push(leaf(&name, ""));
            }
            Event::Text(t) => {
                let raw = t.xml10_content().into_owned();
                stack.last_mut().unwrap().text.push_str(&raw);
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref().unwrap().unwrap()
                } else {
                    match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("entity {other}"),
                    }
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Eof => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(stack.len(), 1, "unbalanced");
    stack.pop().unwrap().children.pop().unwrap()
}

fn credentials() -> Credentials {
    Credentials {
        access_key_id: "ASIAEXAMPLE".into(),
        secret_access_key: "s3cr3t".into(),
        session_token: "tok+/=".into(),
        expiration: datetime!(2026-12-06 12:00:00 UTC),
    }
}

#[test]
fn assume_role_layout_is_awss() {
    let out = AssumeRoleResponse {
        credentials: Some(credentials()),
        assumed_role_user: Some(AssumedRoleUser {
            assumed_role_id: "AROAEXAMPLE:s1".into(),
            arn: "arn:aws:sts::111111111111:assumed-role/r/s1".into(),
        }),
        packed_policy_size: Some(6),
        ..Default::default()
    };
    let doc = response_document(Service::Sts, "AssumeRole", &out, "req-1");
    assert_eq!(
        doc,
        "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:s1</AssumedRoleId>
      <Arn>arn:aws:sts::111111111111:assumed-role/r/s1</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>s3cr3t</SecretAccessKey>
      <SessionToken>tok+/=</SessionToken>
      <Expiration>2026-12-06T12:00:00Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>req-1</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
"
    );
}

#[test]
fn get_caller_identity_order() {
    let out = GetCallerIdentityResponse {
        user_id: Some("AIDA".into()),
        account: Some("111111111111".into()),
        arn: Some("arn:aws:iam::111111111111:user/u".into()),
    };
    let doc = response_document(Service::Sts, "GetCallerIdentity", &out, "r");
    let arn = doc.find("<Arn>").unwrap();
    let user = doc.find("<UserId>").unwrap();
    let account = doc.find("<Account>").unwrap();
    assert!(arn < user && user < account, "{doc}");
}

#[test]
fn simulation_results_in_the_order_of_aws_samples() {
    use crate::iam::{
        EvaluationResult, PermissionsBoundaryDecisionDetail, Position, SimulatePolicyResponse,
        Statement,
    };
    let at = |line, column| Position {
        line: Some(line),
        column: Some(column),
    };
    let out = SimulatePolicyResponse {
        evaluation_results: Some(vec![EvaluationResult {
            eval_action_name: "s3:GetObject".into(),
            eval_resource_name: Some("*".into()),
            eval_decision: "allowed".into(),
            matched_statements: Some(vec![Statement {
                source_policy_id: Some("PolicyInputList.1".into()),
                source_policy_type: Some("IAM Policy".into()),
                start_position: Some(at(1, 2)),
                end_position: Some(at(3, 4)),
            }]),
            missing_context_values: Some(vec![]),
            permissions_boundary_decision_detail: Some(PermissionsBoundaryDecisionDetail {
                allowed_by_permissions_boundary: Some(true),
            }),
            eval_decision_details: Some(vec![("IAM Policy".into(), "allowed".into())]),
            ..EvaluationResult::default()
        }]),
        is_truncated: Some(false),
        marker: None,
    };
    let doc = response_document(Service::Iam, "SimulateCustomPolicy", &out, "r");
    let order = [
        "<IsTruncated>",
        "<EvaluationResults>",
        "<EvalDecisionDetails>",
        "<PermissionsBoundaryDecisionDetail>",
        "<MatchedStatements>",
        "<SourcePolicyId>",
        "<EndPosition>",
        "<Column>4</Column>",
        "<Line>3</Line>",
        "<SourcePolicyType>",
        "<StartPosition>",
        "<MissingContextValues",
        "<EvalResourceName>",
        "<EvalDecision>",
        "<EvalActionName>",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|t| {
            doc.find(t)
                .unwrap_or_else(|| panic!("{t} missing in {doc}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{doc}");
}

#[test]
fn nested_output_parses_back() {
    let out = ListRolesResponse {
        roles: vec![
            Role {
                path: "/".into(),
                role_name: "a&b".into(),
                role_id: "AROA1".into(),
                arn: "arn:aws:iam::111111111111:role/a".into(),
                create_date: datetime!(2026-01-02 03:04:05 UTC),
                assume_role_policy_document: Some("%7B%7D".into()),
                max_session_duration: Some(3600),
                permissions_boundary: Some(AttachedPermissionsBoundary {
                    permissions_boundary_type: Some("Policy".into()),
                    permissions_boundary_arn: Some("arn:aws:iam::aws:policy/b".into()),
                }),
                tags: Some(vec![Tag {
                    key: "k".into(),
                    value: "<v>".into(),
                }]),
                role_last_used: Some(RoleLastUsed::default()),
                ..Default::default()
            },
            Role {
                role_name: "b".into(),
                tags: Some(Vec::new()),
                ..Default::default()
            },
        ],
        is_truncated: Some(false),
        marker: None,
    };
    let doc = response_document(Service::Iam, "ListRoles", &out, "req-2");
    let root = parse(&doc);
    let role_a = node(
        "member",
        "",
        vec![
            leaf("Path", "/"),
            leaf("RoleName", "a&b"),
            leaf("RoleId", "AROA1"),
            leaf("Arn", "arn:aws:iam::111111111111:role/a"),
            leaf("CreateDate", "2026-01-02T03:04:05Z"),
            leaf("AssumeRolePolicyDocument", "%7B%7D"),
            leaf("MaxSessionDuration", "3600"),
            node(
                "PermissionsBoundary",
                "",
                vec![
                    leaf("PermissionsBoundaryType", "Policy"),
                    leaf("PermissionsBoundaryArn", "arn:aws:iam::aws:policy/b"),
                ],
            ),
            node(
                "Tags",
                "",
                vec![node(
                    "member",
                    "",
                    vec![leaf("Key", "k"), leaf("Value", "<v>")],
                )],
            ),
            node("RoleLastUsed", "", Vec::new()),
        ],
    );
    let role_b = node(
        "member",
        "",
        vec![
            leaf("Path", ""),
            leaf("RoleName", "b"),
            leaf("RoleId", ""),
            leaf("Arn", ""),
            leaf("CreateDate", "1970-01-01T00:00:00Z"),
            leaf("Tags", ""),
        ],
    );
    let want = node(
        "ListRolesResponse",
        "",
        vec![
            node(
                "ListRolesResult",
                "",
                vec![
                    node("Roles", "", vec![role_a, role_b]),
                    leaf("IsTruncated", "false"),
                ],
            ),
            node("ResponseMetadata", "", vec![leaf("RequestId", "req-2")]),
        ],
    );
    assert_eq!(root, want, "{doc}");
    assert!(doc.contains("\n        <Tags/>\n"), "{doc}");
    // An empty required list is still written.
    let empty = response_document(
        Service::Iam,
        "ListRoles",
        &ListRolesResponse::default(),
        "r",
    );
    assert!(empty.contains("\n    <Roles/>\n"), "{empty}");
}

#[test]
fn maps_are_entries() {
    let out = GetAccountSummaryResponse {
        summary_map: Some(vec![("Users".into(), 2), ("Roles".into(), 5)]),
    };
    let doc = response_document(Service::Iam, "GetAccountSummary", &out, "r");
    assert!(
        doc.contains(
            "    <SummaryMap>\n      <entry>\n        <key>Users</key>\n        <value>2</value>\n      </entry>\n      <entry>\n        <key>Roles</key>"
        ),
        "{doc}"
    );
    parse(&doc);
}

#[test]
fn escaping_and_characters_xml_cannot_carry() {
    let mut w = crate::XmlWriter::default();
    w.text("a&b<c>d\"e'f\rg");
    assert_eq!(w.as_str(), "a&amp;b&lt;c&gt;d&quot;e&apos;f&#xD;g");
    for (input, want) in [
        ("", ""),
        ("plain/Token+==", "plain/Token+=="),
        ("&&", "&amp;&amp;"),
        ("é<ü>", "é&lt;ü&gt;"),
        ("tab\tlf\n", "tab\tlf\n"),
        (
            "nul\u{0}bel\u{7}esc\u{1b}",
            "nul\u{fffd}bel\u{fffd}esc\u{fffd}",
        ),
        ("\u{fffe}x\u{ffff}", "\u{fffd}x\u{fffd}"),
        ("\u{fffd}\u{efff}\u{f000}", "\u{fffd}\u{efff}\u{f000}"),
        ("日本\u{1}", "日本\u{fffd}"),
    ] {
        let mut w = crate::XmlWriter::default();
        w.text(input);
        assert_eq!(w.as_str(), want, "{input:?}");
    }
    let out = GetCallerIdentityResponse {
        arn: Some("a\u{0}b\u{ffff}<".into()),
        ..Default::default()
    };
    let doc = response_document(Service::Sts, "GetCallerIdentity", &out, "r\u{1}");
    let root = parse(&doc);
    assert_eq!(
        root.children[0].children[0],
        leaf("Arn", "a\u{fffd}b\u{fffd}<")
    );
}

#[test]
fn error_documents() {
    let doc = error_document(
        Service::Sts,
        ErrorCode::ValidationError,
        "Value '<x>' & more",
        "req-1",
    );
    assert_eq!(
        doc,
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">
  <Error>
    <Type>Sender</Type>
    <Code>ValidationError</Code>
    <Message>Value &apos;&lt;x&gt;&apos; &amp; more</Message>
  </Error>
  <RequestId>req-1</RequestId>
</ErrorResponse>
"
    );
    let doc = error_document_with(
        Service::Iam,
        ErrorCode::AccessDenied,
        "no",
        [("EncodedAuthorizationMessage", "enc")],
        "r",
    );
    assert!(doc.contains("<Message>no</Message>\n    <EncodedAuthorizationMessage>enc</EncodedAuthorizationMessage>\n  </Error>"), "{doc}");
    let doc = error_document_with(
        Service::Sts,
        ErrorCode::ResourceNotFoundException,
        "gone",
        [("ResourceId", "arn:<x>"), ("ResourceType", "T")],
        "r",
    );
    assert!(doc.contains("<Message>gone</Message>\n    <ResourceId>arn:&lt;x&gt;</ResourceId>\n    <ResourceType>T</ResourceType>\n  </Error>"), "{doc}");
    let doc = error_document(Service::Iam, ErrorCode::InternalFailure, "x", "r");
    assert!(doc.contains("<Type>Receiver</Type>"), "{doc}");
}

#[test]
fn blobs_are_base64() {
    let mut out = String::new();
    for (data, want) in [
        (&b""[..], ""),
        (b"f", "Zg=="),
        (b"fo", "Zm8="),
        (b"foo", "Zm9v"),
        (b"foobar", "Zm9vYmFy"),
        (&[0xff, 0xfe, 0x00][..], "//4A"),
    ] {
        out.clear();
        crate::xml::push_base64(&mut out, data);
        assert_eq!(out, want);
        assert_eq!(crate::rt::parse_blob(want, "B").unwrap(), data);
    }
    for bad in ["Zg=", "Z!==", "Zm9v\n"] {
        let e = crate::rt::parse_blob(bad, "B").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidParameterValue);
        assert_eq!(
            e.message,
            format!("Value ({bad}) for parameter B is invalid. Expected base64.")
        );
    }
}

#[test]
fn timestamps_are_iso8601_utc_whatever_the_year() {
    let cases = [
        (datetime!(2026-11-28 12:00:00 UTC), "2026-11-28T12:00:00Z"),
        (datetime!(0000-01-01 00:00:00 UTC), "0000-01-01T00:00:00Z"),
        (datetime!(9999-12-31 23:59:59.9 UTC), "9999-12-31T23:59:59Z"),
        (
            datetime!(2026-11-28 13:00:05 +01:00),
            "2026-11-28T12:00:05Z",
        ),
    ];
    for (t, text) in cases {
        let mut out = String::from(">");
        crate::push_iso8601(&mut out, t);
        assert_eq!(out, format!(">{text}"));
    }
    // A year outside four digits: its sign and digits, then the rest.
    let t = time::Date::from_calendar_date(-1, time::Month::March, 4).unwrap();
    let mut out = String::new();
    crate::push_iso8601(&mut out, t.with_hms(5, 6, 7).unwrap().assume_utc());
    assert_eq!(out, "-001-03-04T05:06:07Z");
}

#[test]
fn integers_are_written_in_decimal_as_display_writes_them() {
    for v in [
        0,
        1,
        -1,
        9,
        10,
        99,
        100,
        4096,
        -4096,
        i64::from(i32::MAX),
        i64::from(i32::MIN),
        i64::MAX,
        i64::MIN,
    ] {
        let mut w = crate::XmlWriter::default();
        w.int("N", v);
        assert_eq!(w.as_str(), format!("<N>{v}</N>"), "{v}");
    }
}
