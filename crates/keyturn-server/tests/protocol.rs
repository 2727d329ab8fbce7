//! The Query protocol over real HTTP, against a fake backend that decodes each request with its
//! generated input shape and writes a canned generated output (protocol tests only: the real
//! engine is tested elsewhere).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers fail loudly"
)]

use std::any::Any;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use keyturn_api::{Input, Output, iam, sts};
use keyturn_core::ops::{Backend, Dispatch, Params, XmlWriter};
use keyturn_core::request::{CallerIdentity, HttpParts, Service};
use keyturn_core::{Error, ErrorCode};
use keyturn_server::{AuditSink, RunningServer, Server, ServerOptions};
use quick_xml::events::Event;
use time::macros::datetime;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const TOKEN: &str = "FQoGZXIvYXdzSESSIONTOKENSECRET";

/// What the fake saw of the last request it answered.
struct Seen {
    service: Service,
    action: &'static str,
    method: String,
    body: String,
    /// The decoded input (the generated request shape of `action`).
    input: Box<dyn Any + Send>,
}

#[derive(Default)]
struct Fake {
    last: Mutex<Option<Seen>>,
}

impl Fake {
    fn take(&self) -> Seen {
        self.last.lock().unwrap().take().unwrap()
    }
}

fn creds() -> Option<sts::Credentials> {
    Some(sts::Credentials {
        access_key_id: "ASIAY34FZKBOKMUTVV7A".into(),
        secret_access_key: SECRET.into(),
        session_token: TOKEN.into(),
        expiration: datetime!(2026-11-28 12:00:00 UTC),
    })
}

fn user() -> Option<sts::AssumedRoleUser> {
    Some(sts::AssumedRoleUser {
        assumed_role_id: "AROA3XFRBF535PLBIFPI4:s1".into(),
        arn: "arn:aws:sts::111111111111:assumed-role/UpdateApp/s1".into(),
    })
}

fn simulation() -> iam::SimulatePolicyResponse {
    iam::SimulatePolicyResponse {
        evaluation_results: Some(vec![iam::EvaluationResult {
            eval_action_name: "s3:PutObject".into(),
            eval_resource_name: Some("arn:aws:s3:::app/*".into()),
            eval_decision: "allowed".into(),
            matched_statements: Some(vec![iam::Statement {
                source_policy_id: Some("app-bucket-rw".into()),
                source_policy_type: Some("role".into()),
                start_position: Some(iam::Position {
                    line: Some(1),
                    column: Some(2),
                }),
                end_position: Some(iam::Position {
                    line: Some(3),
                    column: Some(4),
                }),
            }]),
            missing_context_values: Some(vec![]),
            eval_decision_details: Some(vec![("IAM Policy".into(), "allowed".into())]),
            ..Default::default()
        }]),
        is_truncated: Some(false),
        marker: None,
    }
}

/// The canned output of `action`.
fn canned(action: &str) -> Box<dyn Output> {
    match action {
        "AssumeRole" => Box::new(sts::AssumeRoleResponse {
            credentials: creds(),
            assumed_role_user: user(),
            packed_policy_size: Some(6),
            source_identity: Some("alice".into()),
            ..Default::default()
        }),
        "AssumeRoleWithSAML" => Box::new(sts::AssumeRoleWithSAMLResponse {
            credentials: creds(),
            assumed_role_user: user(),
            subject: Some("alice<&>".into()),
            subject_type: Some("transient".into()),
            issuer: Some("https://idp.example.com".into()),
            audience: Some("https://signin.aws.amazon.com/saml".into()),
            name_qualifier: Some("abc=".into()),
            ..Default::default()
        }),
        "AssumeRoleWithWebIdentity" => Box::new(sts::AssumeRoleWithWebIdentityResponse {
            credentials: creds(),
            subject_from_web_identity_token: Some("subject-1".into()),
            assumed_role_user: user(),
            provider: Some("accounts.google.com".into()),
            audience: Some("client-id".into()),
            ..Default::default()
        }),
        "AssumeRoot" => Box::new(sts::AssumeRootResponse {
            credentials: creds(),
            ..Default::default()
        }),
        "DecodeAuthorizationMessage" => Box::new(sts::DecodeAuthorizationMessageResponse {
            decoded_message: Some("{\"allowed\":false,\"x\":\"<&>\"}".into()),
        }),
        "GetAccessKeyInfo" => Box::new(sts::GetAccessKeyInfoResponse {
            account: Some("609629065308".into()),
        }),
        "GetCallerIdentity" => Box::new(sts::GetCallerIdentityResponse {
            user_id: Some("AIDAEXAMPLE".into()),
            account: Some("222222222222".into()),
            arn: Some("arn:aws:iam::222222222222:user/alice".into()),
        }),
        "GetDelegatedAccessToken" => Box::new(sts::GetDelegatedAccessTokenResponse {
            credentials: creds(),
            packed_policy_size: Some(1),
            assumed_principal: Some("arn:aws:iam::111111111111:root".into()),
        }),
        "GetFederationToken" => Box::new(sts::GetFederationTokenResponse {
            credentials: creds(),
            federated_user: Some(sts::FederatedUser {
                federated_user_id: "222222222222:bob".into(),
                arn: "arn:aws:sts::222222222222:federated-user/bob".into(),
            }),
            packed_policy_size: Some(3),
            ..Default::default()
        }),
        "GetSessionToken" => Box::new(sts::GetSessionTokenResponse {
            credentials: creds(),
            ..Default::default()
        }),
        "GetWebIdentityToken" => Box::new(sts::GetWebIdentityTokenResponse {
            web_identity_token: Some("eyJhbGciOiJSUzI1NiJ9.SECRETJWT.sig".into()),
            expiration: Some(datetime!(2026-11-28 12:05:00 UTC)),
        }),
        "SimulatePrincipalPolicy" | "SimulateCustomPolicy" => Box::new(simulation()),
        other => panic!("the fake has no output for {other}"),
    }
}

/// Decodes and validates `p` as `action`'s generated input, as the engine does first.
fn decode(action: &str, p: &Params<'_>) -> Result<Box<dyn Any + Send>, Error> {
    fn with<I: Input + Send + 'static>(p: &Params<'_>) -> Result<Box<dyn Any + Send>, Error> {
        Ok(Box::new(I::from_query(p)?))
    }
    match action {
        "AssumeRole" => with::<sts::AssumeRoleRequest>(p),
        "AssumeRoleWithSAML" => with::<sts::AssumeRoleWithSAMLRequest>(p),
        "AssumeRoleWithWebIdentity" => with::<sts::AssumeRoleWithWebIdentityRequest>(p),
        "AssumeRoot" => with::<sts::AssumeRootRequest>(p),
        "DecodeAuthorizationMessage" => with::<sts::DecodeAuthorizationMessageRequest>(p),
        "GetAccessKeyInfo" => with::<sts::GetAccessKeyInfoRequest>(p),
        "GetCallerIdentity" => with::<sts::GetCallerIdentityRequest>(p),
        "GetDelegatedAccessToken" => with::<sts::GetDelegatedAccessTokenRequest>(p),
        "GetFederationToken" => with::<sts::GetFederationTokenRequest>(p),
        "GetSessionToken" => with::<sts::GetSessionTokenRequest>(p),
        "GetWebIdentityToken" => with::<sts::GetWebIdentityTokenRequest>(p),
        "SimulatePrincipalPolicy" => with::<iam::SimulatePrincipalPolicyRequest>(p),
        "SimulateCustomPolicy" => with::<iam::SimulateCustomPolicyRequest>(p),
        other => panic!("the fake does not decode {other}"),
    }
}

impl Backend for Fake {
    fn handle(
        &self,
        op: &'static dyn Dispatch,
        http: &HttpParts<'_>,
        params: &Params<'_>,
        identity: Option<&mut Option<CallerIdentity>>,
        w: &mut XmlWriter,
    ) -> Result<(), Error> {
        // The server asks for the caller only when its audit log is on.
        if let Some(caller) = identity {
            *caller = Some(CallerIdentity {
                identity_type: "IAMUser".into(),
                principal_id: "AIDAEXAMPLE".into(),
                arn: "arn:aws:iam::222222222222:user/alice".into(),
                account_id: "222222222222".into(),
                access_key_id: "AKIAEXAMPLE".into(),
            });
        }
        let input = decode(op.action(), params)?;
        if let Some(r) = input.downcast_ref::<sts::AssumeRoleRequest>() {
            match r.role_session_name.as_str() {
                "panic-now" => panic!("backend bug"),
                "denied" => {
                    return Err(Error::new(
                        ErrorCode::AccessDenied,
                        "User: x is not authorized",
                    ));
                }
                "denied-encoded" => {
                    return Err(Error::access_denied_encoded(
                        "User: x is not authorized",
                        "sealed<decision>".to_owned(),
                    ));
                }
                _ => {}
            }
        }
        canned(op.action()).write_xml(w);
        *self.last.lock().unwrap() = Some(Seen {
            service: op.service(),
            action: op.action(),
            method: http.method.to_owned(),
            body: String::from_utf8_lossy(http.body).into_owned(),
            input,
        });
        Ok(())
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn start(rt: &tokio::runtime::Runtime, options: ServerOptions) -> (RunningServer, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let backend: Arc<dyn Backend> = fake.clone();
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = rt.block_on(Server::bind(addr, backend, options)).unwrap();
    (server, fake)
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_reply(s: &mut TcpStream) -> Reply {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = s.read(&mut byte).unwrap();
        assert!(
            n == 1,
            "connection closed mid-head: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn send(s: &mut TcpStream, method: &str, target: &str, body: &[u8]) -> Reply {
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test-agent/1.0\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    read_reply(s)
}

fn connect(server: &RunningServer) -> TcpStream {
    let s = TcpStream::connect(server.local_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

fn post(server: &RunningServer, body: &str) -> Reply {
    send(&mut connect(server), "POST", "/", body.as_bytes())
}

/// The document as (path, text) leaves, plus the root's name and namespace.
fn parse_xml(xml: &str) -> (String, String, Vec<(String, String)>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut leaves = Vec::new();
    let mut text = String::new();
    let mut root = (String::new(), String::new());
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                if stack.is_empty() {
                    let attrs = e.attributes_raw().to_owned();
                    let ns = attrs.split('"').nth(1).unwrap_or("").to_owned();
                    root = (name.clone(), ns);
                }
                stack.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                text.push_str(match name {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(_) => {
                let path = stack.join("/");
                if !text.trim().is_empty() {
                    leaves.push((path, std::mem::take(&mut text)));
                }
                text.clear();
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (root.0, root.1, leaves)
}

fn leaf<'a>(leaves: &'a [(String, String)], suffix: &str) -> Option<&'a str> {
    leaves
        .iter()
        .find(|(p, _)| p.ends_with(suffix))
        .map(|(_, v)| v.as_str())
}

fn assert_error(reply: &Reply, status: u16, code: &str, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let (root, ns, leaves) = parse_xml(&reply.body);
    assert_eq!(root, "ErrorResponse");
    assert!(ns.starts_with("https://"), "{ns}");
    assert_eq!(leaf(&leaves, "Error/Code"), Some(code), "{}", reply.body);
    assert_eq!(
        leaf(&leaves, "Error/Message"),
        Some(message),
        "{}",
        reply.body
    );
    let type_ = if status >= 500 { "Receiver" } else { "Sender" };
    assert_eq!(leaf(&leaves, "Error/Type"), Some(type_));
    let rid = leaf(&leaves, "ErrorResponse/RequestId").unwrap();
    assert_eq!(rid.len(), 36);
    assert_eq!(reply.header("x-amzn-RequestId"), Some(rid));
}

const ARN: &str = "arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FUpdateApp";

fn every_action() -> Vec<(&'static str, String)> {
    let v = "Version=2011-06-15";
    vec![
        ("AssumeRole", format!("Action=AssumeRole&{v}&RoleArn={ARN}&RoleSessionName=s1&DurationSeconds=900&Tags.member.2.Key=b&Tags.member.2.Value=&Tags.member.1.Key=team&Tags.member.1.Value=web+dev&TransitiveTagKeys.member.1=team&PolicyArns.member.1.arn={ARN}&ExternalId=ext-1&SerialNumber=arn%3Aaws%3Aiam%3A%3A222222222222%3Amfa%2Falice&TokenCode=123456&SourceIdentity=alice&ProvidedContexts.member.1.ProviderArn={ARN}&ProvidedContexts.member.1.ContextAssertion=abcd&Policy=%7B%7D")),
        ("AssumeRoleWithSAML", format!("Action=AssumeRoleWithSAML&{v}&RoleArn={ARN}&PrincipalArn={ARN}&SAMLAssertion=PHNhbWw%2BSECRETSAML")),
        ("AssumeRoleWithWebIdentity", format!("Action=AssumeRoleWithWebIdentity&{v}&RoleArn={ARN}&RoleSessionName=web&WebIdentityToken=eyJSECRETWEBTOKEN&ProviderId=www.amazon.com")),
        ("AssumeRoot", format!("Action=AssumeRoot&{v}&TargetPrincipal=111111111111&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FIAMAuditRootUserCredentials&DurationSeconds=900")),
        ("DecodeAuthorizationMessage", format!("Action=DecodeAuthorizationMessage&{v}&EncodedMessage=abc")),
        ("GetAccessKeyInfo", format!("Action=GetAccessKeyInfo&{v}&AccessKeyId=ASIAY34FZKBOKMUTVV7A")),
        ("GetCallerIdentity", format!("Action=GetCallerIdentity&{v}")),
        ("GetDelegatedAccessToken", format!("Action=GetDelegatedAccessToken&{v}&TradeInToken=SECRETTRADEIN")),
        ("GetFederationToken", format!("Action=GetFederationToken&{v}&Name=bob&Policy=%7B%7D&DurationSeconds=3600&Tags.member.1.Key=k&Tags.member.1.Value=v")),
        ("GetSessionToken", format!("Action=GetSessionToken&{v}&DurationSeconds=3600&SerialNumber=arn%3Aaws%3Aiam%3A%3A222222222222%3Amfa%2Falice&TokenCode=654321")),
        ("GetWebIdentityToken", format!("Action=GetWebIdentityToken&{v}&Audience.member.1=a1&Audience.member.2=a2&SigningAlgorithm=RS256&DurationSeconds=300")),
        ("SimulatePrincipalPolicy", format!("Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn={ARN}&ActionNames.member.1=s3%3APutObject&ActionNames.member.2=s3%3AGetObject&ResourceArns.member.1=arn%3Aaws%3As3%3A%3A%3Aapp%2F*&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyType=ip&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyValues.member.2=10.0.0.2")),
        ("SimulateCustomPolicy", "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3%3APutObject".to_owned()),
    ]
}

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
    let (server, _) = start(
        &rt,
        ServerOptions {
            max_body_bytes: 4096,
            ..Default::default()
        },
    );
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
    assert_error(
        &post(&server, &big),
        413,
        "RequestEntityTooLarge",
        "Request body is too large.",
    );
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

#[test]
fn a_panicking_backend_is_a_500_and_the_server_keeps_serving() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let mut conn = connect(&server);
    let body =
        format!("Action=AssumeRole&Version=2011-06-15&RoleArn={ARN}&RoleSessionName=panic-now");
    assert_error(
        &send(&mut conn, "POST", "/", body.as_bytes()),
        500,
        "InternalFailure",
        "An internal error has occurred. Please try again.",
    );
    let reply = send(
        &mut conn,
        "POST",
        "/",
        b"Action=GetCallerIdentity&Version=2011-06-15",
    );
    assert_eq!(reply.status, 200, "same connection still works");
    assert_eq!(
        post(&server, "Action=GetCallerIdentity&Version=2011-06-15").status,
        200
    );
    rt.block_on(server.shutdown());
}

#[test]
fn keep_alive_and_graceful_shutdown() {
    let rt = rt();
    let (server, _) = start(&rt, ServerOptions::default());
    let addr = server.bound_addr();
    assert_ne!(addr.port(), 0);
    let mut conn = connect(&server);
    let mut ids = Vec::new();
    for _ in 0..5 {
        let reply = send(
            &mut conn,
            "POST",
            "/",
            b"Action=GetCallerIdentity&Version=2011-06-15",
        );
        assert_eq!(reply.status, 200);
        assert_ne!(reply.header("connection"), Some("close"));
        ids.push(reply.header("x-amzn-requestid").unwrap().to_owned());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "a fresh RequestId per request");
    // Shutdown completes although an idle keep-alive connection is open, and closes it.
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await })
        .unwrap();
    let mut rest = Vec::new();
    assert_eq!(conn.read_to_end(&mut rest).unwrap_or(0), 0);
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
}

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
    rt.block_on(server.shutdown());
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), actions.len() + 1);
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
    let sim: serde_json::Value = serde_json::from_str(lines[11]).unwrap();
    assert_eq!(sim["eventSource"], "iam.amazonaws.com");
    let last: serde_json::Value = serde_json::from_str(lines[lines.len() - 1]).unwrap();
    assert_eq!(last["errorCode"], "ValidationError");
    assert!(last["errorMessage"].as_str().unwrap().contains("'roleArn'"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn chunked_bodies_are_limited_too_and_huge_heads_are_refused() {
    let rt = rt();
    let (server, _) = start(
        &rt,
        ServerOptions {
            max_body_bytes: 1024,
            ..Default::default()
        },
    );
    let mut conn = connect(&server);
    let chunk = "a".repeat(2000);
    let req = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\nAction=GetCallerIdentity&Version=2011-06-15&P={chunk}\r\n0\r\n\r\n",
        chunk.len() + 46
    );
    conn.write_all(req.as_bytes()).unwrap();
    let reply = read_reply(&mut conn);
    assert_error(
        &reply,
        413,
        "RequestEntityTooLarge",
        "Request body is too large.",
    );

    let mut conn = connect(&server);
    // A head that never ends: refused once it passes the limit.
    let req = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}",
        "b".repeat(100 * 1024)
    );
    let _ = conn.write_all(req.as_bytes());
    let mut buf = Vec::new();
    let _ = conn.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 431"),
        "{text}"
    );
    // The server is still fine.
    assert_eq!(
        post(&server, "Action=GetCallerIdentity&Version=2011-06-15").status,
        200
    );
    rt.block_on(server.shutdown());
}

#[test]
fn a_head_not_complete_in_time_closes_the_connection_and_busy_keep_alive_survives() {
    let rt = rt();
    let timeout = Duration::from_millis(400);
    let options = ServerOptions {
        header_read_timeout: timeout,
        ..ServerOptions::default()
    };
    let (server, _) = start(&rt, options);
    let body = b"Action=GetCallerIdentity&Version=2011-06-15";

    // A keep-alive connection that keeps sending whole requests lives on for longer than the
    // timeout (each head starts its own clock).
    let mut busy = connect(&server);
    let started = std::time::Instant::now();
    while started.elapsed() < timeout * 3 {
        assert_eq!(send(&mut busy, "POST", "/", body).status, 200);
        std::thread::sleep(Duration::from_millis(50));
    }

    // Slow loris: part of a head, then a byte now and then, never the end.
    let mut slow = connect(&server);
    let started = std::time::Instant::now();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let mut closed = false;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(50));
        if slow.write_all(b"X").is_err() {
            closed = true;
            break;
        }
        let mut probe = [0u8; 1];
        slow.set_nonblocking(true).unwrap();
        let r = slow.read(&mut probe);
        slow.set_nonblocking(false).unwrap();
        if r.is_ok() {
            closed = true; // EOF (or the 408 hyper may send) means the server gave up
            break;
        }
    }
    let waited = started.elapsed();
    assert!(closed, "the slow head was not cut off");
    assert!(waited >= timeout, "cut off too early: {waited:?}");

    // An idle keep-alive connection after a request: its next head gets the same limit.
    let mut idle = connect(&server);
    assert_eq!(send(&mut idle, "POST", "/", body).status, 200);
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(
        waited >= timeout && waited < Duration::from_secs(5),
        "idle connection closed after {waited:?}"
    );
    drop(busy);
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await })
        .unwrap();
}

#[test]
fn a_body_in_several_chunks_is_joined_and_limited_in_total() {
    let rt = rt();
    let (server, fake) = start(
        &rt,
        ServerOptions {
            max_body_bytes: 200,
            ..Default::default()
        },
    );
    let chunked = |parts: &[&str]| {
        let mut req =
            String::from("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        for p in parts {
            req.push_str(&format!("{:x}\r\n{p}\r\n", p.len()));
        }
        req.push_str("0\r\n\r\n");
        req
    };
    // Three chunks, split mid-name and mid-escape.
    let mut conn = connect(&server);
    let req = chunked(&[
        "Action=Assu",
        "meRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3",
        "Arole%2Fr&RoleSessionName=chunks",
    ]);
    conn.write_all(req.as_bytes()).unwrap();
    let reply = read_reply(&mut conn);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = fake.take();
    let r: &sts::AssumeRoleRequest = seen.input.downcast_ref().unwrap();
    assert_eq!(r.role_arn, "arn:aws:iam::111111111111:role/r");
    assert_eq!(r.role_session_name, "chunks");
    // Each chunk under the limit, the whole over it.
    let mut conn = connect(&server);
    let part = "A".repeat(120);
    let req = chunked(&[
        "Action=GetCallerIdentity&Version=2011-06-15&P=",
        &part,
        &part,
    ]);
    conn.write_all(req.as_bytes()).unwrap();
    let reply = read_reply(&mut conn);
    assert_error(
        &reply,
        413,
        "RequestEntityTooLarge",
        "Request body is too large.",
    );
    rt.block_on(server.shutdown());
}
