//! A plain HTTP/1.1 client over a TcpStream, and reading the XML documents.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use keyturn_server::RunningServer;
use quick_xml::events::Event;

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub(crate) fn read_reply(s: &mut impl Read) -> Reply {
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

pub(crate) fn send(s: &mut TcpStream, method: &str, target: &str, body: &[u8]) -> Reply {
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test-agent/1.0\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    read_reply(s)
}

pub(crate) fn connect(server: &RunningServer) -> TcpStream {
    let s = TcpStream::connect(server.local_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

pub(crate) fn post(server: &RunningServer, body: &str) -> Reply {
    send(&mut connect(server), "POST", "/", body.as_bytes())
}

/// The body of a GetCallerIdentity request: the action every backend answers.
pub(crate) const CALLER_IDENTITY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// Sends GetCallerIdentity on `conn`.
pub(crate) fn caller_identity(conn: &mut TcpStream) -> Reply {
    send(conn, "POST", "/", CALLER_IDENTITY.as_bytes())
}

/// Asserts that the server still answers GetCallerIdentity on a new connection.
pub(crate) fn assert_serving(server: &RunningServer) {
    assert_eq!(post(server, CALLER_IDENTITY).status, 200);
}

/// Writes the raw request `req` on `conn` and reads the reply.
pub(crate) fn send_raw(conn: &mut TcpStream, req: &str) -> Reply {
    conn.write_all(req.as_bytes()).unwrap();
    read_reply(conn)
}

/// A POST / whose body is sent in `parts`, one chunk each (Transfer-Encoding: chunked).
pub(crate) fn chunked(parts: &[&str]) -> String {
    let mut req = String::from("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    for p in parts {
        req.push_str(&format!("{:x}\r\n{p}\r\n", p.len()));
    }
    req.push_str("0\r\n\r\n");
    req
}

/// Asserts that `reply` refuses a body over the server's limit.
pub(crate) fn assert_too_large(reply: &Reply) {
    assert_error(
        reply,
        413,
        "RequestEntityTooLarge",
        "Request body is too large.",
    );
}

/// The STS error document `code` and `message` make, with the request id replaced by `RID`
/// (as [`without_request_id`] leaves a reply).
pub(crate) fn sts_error_document(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">
  <Error>
    <Type>Sender</Type>
    <Code>{code}</Code>
    <Message>{message}</Message>
  </Error>
  <RequestId>RID</RequestId>
</ErrorResponse>
"
    )
}

/// The document as (path, text) leaves, plus the root's name and namespace.
pub(crate) fn parse_xml(xml: &str) -> (String, String, Vec<(String, String)>) {
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

pub(crate) fn leaf<'a>(leaves: &'a [(String, String)], suffix: &str) -> Option<&'a str> {
    leaves
        .iter()
        .find(|(p, _)| p.ends_with(suffix))
        .map(|(_, v)| v.as_str())
}

pub(crate) fn assert_error(reply: &Reply, status: u16, code: &str, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let (root, ns, leaves) = parse_xml(&reply.body);
    assert_eq!(root, "ErrorResponse");
    assert!(ns.starts_with("https://"), "{ns}");
    let type_ = if status >= 500 { "Receiver" } else { "Sender" };
    for (path, want) in [
        ("Error/Code", code),
        ("Error/Message", message),
        ("Error/Type", type_),
    ] {
        assert_eq!(leaf(&leaves, path), Some(want), "{path}: {}", reply.body);
    }
    let rid = leaf(&leaves, "ErrorResponse/RequestId").unwrap();
    assert_eq!(rid.len(), 36);
    assert_eq!(reply.header("x-amzn-RequestId"), Some(rid));
}

pub(crate) const ARN: &str = "arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FUpdateApp";

pub(crate) fn every_action() -> Vec<(&'static str, String)> {
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

/// The body with its request id replaced by `RID`.
pub(crate) fn without_request_id(reply: &Reply) -> String {
    let rid = reply.header("x-amzn-requestid").unwrap();
    reply.body.replace(rid, "RID")
}
