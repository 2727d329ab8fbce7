//! The world of the IAM read tests: one account in YAML, its callers, and helpers to call,
//! page and compare.

#![allow(
    dead_code,
    reason = "shared by several test binaries, each of which uses a part"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support: a failed setup aborts the test"
)]

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use keyturn::api::sts::Credentials;
use keyturn::api::{Params, XmlWriter};
use keyturn::{Caller, Config, Engine, Runtime, RuntimeOptions};
use keyturn_core::Error;
use keyturn_core::iam::access_key_id_for_account;
use keyturn_core::keyring::Keyring;
use keyturn_core::ops::iam::shapes::{AttachedPolicy, ListPoliciesRequest};
use keyturn_core::ops::iam::{self as op};
use keyturn_core::ops::{self, Operation};
use keyturn_core::request::HttpParts;

pub const ACCT: &str = "123456789012";
pub const SECRET: &str = "iam-reads-test-secret/0000000000";
pub const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// The test's long-term key ids, each encoding [`ACCT`].
pub fn key(n: u8) -> String {
    access_key_id_for_account("AKIA", ACCT, [n, 0, 0, 0, n]).expect("a key id")
}

pub fn yaml() -> String {
    let allow = |action: &str| {
        format!(
            r#"{{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "{action}", Resource: "*"}}]}}"#
        )
    };
    let head = world_head(ACCT, &key(1), SECRET);
    format!(
        r#"{head}    alias: acme
    managed_policies:
      - name: ReadRoles
        document: {read_roles}
      - name: Boundary
        path: /boundaries/
        document: {everything}
      - name: AppPolicy
        path: /app/
        document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: "*"
              Condition: {{StringEquals: {{"aws:PrincipalTag/team": web}}}}
    groups:
      - name: admins
        path: /ops/
        inline_policies:
          all-iam: {all_iam}
          assume: {assume}
        managed_policies: ["{READ_ONLY}"]
      - name: readers
        inline_policies:
          read: {read_roles}
    users:
      - name: admin
        groups: [admins, readers]
        access_keys:
          - {{id: {admin}, secret: {SECRET}}}
          - {{id: {admin2}, secret: {SECRET}, status: Inactive}}
        mfa_devices:
          - {{name: admin-mfa, seed_base32: JBSWY3DPEHPK3PXP}}
        permissions_boundary: "arn:aws:iam::{ACCT}:policy/boundaries/Boundary"
        tags: {{team: ops, level: "9"}}
      - name: bob
        path: /staff/
        groups: [readers]
        access_keys:
          - {{id: {bob}, secret: {SECRET}}}
        inline_policies:
          s3-read: {s3_read}
      - name: carol
        path: /staff/
        managed_policies: ["arn:aws:iam::{ACCT}:policy/ReadRoles"]
        access_keys:
          - {{id: {carol}, secret: {SECRET}}}
      - name: dave
        access_keys:
          - {{id: {dave}, secret: {SECRET}}}
    roles:
      - name: App
        path: /app/
        description: the app
        max_session_duration: 7200
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{ACCT}:root"}}, Action: sts:AssumeRole}}
        inline_policies:
          logs: {logs}
        managed_policies: ["arn:aws:iam::{ACCT}:policy/app/AppPolicy", "{READ_ONLY}"]
        permissions_boundary: "arn:aws:iam::{ACCT}:policy/boundaries/Boundary"
        tags: {{env: prod}}
      - name: Builder
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{Service: codebuild.amazonaws.com}}, Action: sts:AssumeRole}}
      - name: Deployer
        path: /app/ci/
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{ACCT}:root"}}, Action: sts:AssumeRole}}
    oidc_providers:
      - url: https://token.actions.githubusercontent.com
        client_ids: [sts.amazonaws.com]
        thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]
    saml_providers:
      - name: Okta
        metadata: "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"http://www.okta.com/x\"></EntityDescriptor>"
"#,
        admin = key(2),
        admin2 = key(3),
        bob = key(4),
        carol = key(5),
        dave = key(6),
        read_roles = allow("iam:GetRole"),
        everything = allow("*"),
        all_iam = allow("iam:*"),
        assume = allow("sts:AssumeRole"),
        s3_read = allow("s3:GetObject"),
        logs = allow("logs:PutLogEvents"),
    )
}

pub struct World {
    pub engine: Arc<Engine>,
    _runtime: Runtime,
}

impl World {
    pub fn new() -> Self {
        Self::from_yaml(&yaml(), "iam_reads.yaml")
    }

    /// A world of another configuration (the IAM write tests build theirs).
    pub fn from_yaml(text: &str, name: &str) -> Self {
        Self::from_yaml_on(text, name, None)
    }

    /// A world of another configuration on `clock` (the system clock when `None`).
    pub fn from_yaml_on(
        text: &str,
        name: &str,
        clock: Option<Arc<dyn keyturn_core::clock::Clock>>,
    ) -> Self {
        let config = Config::from_str(text, name).unwrap_or_else(|e| panic!("{e}"));
        let runtime = Runtime::with_options(
            &config,
            RuntimeOptions {
                keyring: Some(Keyring::generate().expect("keyring")),
                clock,
                ..RuntimeOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        Self {
            engine: runtime.engine(),
            _runtime: runtime,
        }
    }

    pub fn caller(&self, n: u8) -> Caller {
        self.engine
            .authenticate_credentials(&key(n), SECRET, None, None)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A caller of session credentials, authenticated now (against the newest model), as a
    /// server authenticates every request.
    pub fn session(&self, c: &Credentials) -> Caller {
        self.engine
            .authenticate_credentials(
                &c.access_key_id,
                c.secret_access_key.expose(),
                Some(c.session_token.expose()),
                None,
            )
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// AssumeRole of the role `role` of [`ACCT`] as `caller`, session `s`: its credentials.
    pub fn assume(&self, caller: &Caller, role: &str) -> Result<Credentials, Error> {
        let out = self.call::<ops::sts::AssumeRole>(
            caller,
            keyturn::api::sts::AssumeRoleRequest {
                role_arn: format!("arn:aws:iam::{ACCT}:role/{role}"),
                role_session_name: "s".into(),
                ..Default::default()
            },
        )?;
        Ok(out.credentials.expect("credentials"))
    }

    pub fn root(&self) -> Caller {
        self.caller(1)
    }

    pub fn call<O: Operation>(&self, caller: &Caller, input: O::Input) -> Result<O::Output, Error> {
        let http = HttpParts {
            user_agent: Some("iam-reads-test"),
            ..HttpParts::post(&[], &[], IpAddr::V4(Ipv4Addr::LOCALHOST))
        };
        ops::invoke::<O>(&self.engine, Some(caller), &http, input)
    }

    /// As root, which may call everything in its account.
    pub fn ok<O: Operation>(&self, input: O::Input) -> O::Output {
        self.call::<O>(&self.root(), input)
            .unwrap_or_else(|e| panic!("{}: {e}", std::any::type_name::<O>()))
    }

    pub fn err<O: Operation>(&self, input: O::Input) -> (String, String) {
        match self.call::<O>(&self.root(), input) {
            Ok(_) => panic!("expected an error from {}", std::any::type_name::<O>()),
            Err(e) => (e.code().to_owned(), e.message().to_owned()),
        }
    }
}

/// The head of a world: an in-memory store and `account` whose root signs with `root_key` and
/// `secret`, up to where the account's entities begin (what follows is indented as its members).
pub fn world_head(account: &str, root_key: &str, secret: &str) -> String {
    format!(
        "\nstore: {{memory: true}}\naccounts:\n{}",
        account_head(account, root_key, secret)
    )
}

/// An account of a world's `accounts` list whose root signs with `root_key` and `secret`, up to
/// where its entities begin.
pub fn account_head(account: &str, root_key: &str, secret: &str) -> String {
    format!(
        "  - id: \"{account}\"\n    root:\n      access_keys: [{{id: {root_key}, secret: {secret}}}]\n"
    )
}

/// A user of a world's `users` list who signs with `key_id` and `secret`, up to where its other
/// members (`inline_policies`, `groups`, ...) begin.
pub fn user_entry(name: &str, key_id: &str, secret: &str) -> String {
    format!("      - name: {name}\n        access_keys: [{{id: {key_id}, secret: {secret}}}]\n")
}

/// The Query body of `action` of API `version` with `params`, percent-encoded.
pub fn query_body(action: &str, version: &str, params: &[(&str, &str)]) -> String {
    let mut body = format!("Action={action}&Version={version}");
    for (name, value) in params {
        body.push('&');
        form_encode(&mut body, name);
        body.push('=');
        form_encode(&mut body, value);
    }
    body
}

/// `O`'s input decoded from Query `params` by the generated layer, as a request's are.
pub fn input_of<O: Operation>(params: &[(&str, &str)]) -> O::Input {
    use keyturn_core::ops::Input;
    let body = query_body(O::Input::ACTION, O::Input::SERVICE.api_version(), params);
    let parsed = Params::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    O::Input::from_query(&parsed).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Query-style percent-encoding (RFC 3986 unreserved characters kept).
fn form_encode(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Runs `action` by its AWS name with Query `params` on `engine`, signed (SigV4, at the
/// engine's clock) with `key_id` and `secret`, as the server runs a request: the registry finds
/// the operation, its generated input decodes the parameters, the engine authenticates the
/// signature and the operation runs. The result's members as XML, or the error.
pub fn query_engine(
    engine: &Engine,
    key_id: &str,
    secret: &str,
    action: &str,
    params: &[(&str, &str)],
) -> Result<String, Error> {
    let op = ops::find(action).unwrap_or_else(|| panic!("{action} is not registered"));
    let body = query_body(action, op.service().api_version(), params);
    let credentials = keyturn_sigv4::Credentials::new(key_id.to_owned(), secret);
    let now = engine.clock().now().unix_timestamp();
    let signing = keyturn_sigv4::SigningParams::new(
        &credentials,
        "us-east-1",
        op.service().signing_name(),
        keyturn_sigv4::AmzDate::from_unix(now),
    );
    let mut headers: Vec<(String, Vec<u8>)> = vec![
        ("host".into(), b"iam.test".to_vec()),
        (
            "content-type".into(),
            b"application/x-www-form-urlencoded; charset=utf-8".to_vec(),
        ),
    ];
    let view: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let request = keyturn_sigv4::HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &view,
        body: body.as_bytes(),
    };
    let signed = keyturn_sigv4::sign(&request, &signing).unwrap_or_else(|e| panic!("{e}"));
    for (k, v) in signed.headers {
        headers.push((k.to_ascii_lowercase(), v.into_bytes()));
    }
    let view: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let http = HttpParts {
        user_agent: Some("iam-reads-test"),
        ..HttpParts::post(&view, body.as_bytes(), IpAddr::V4(Ipv4Addr::LOCALHOST))
    };
    let params = Params::parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut xml = XmlWriter::new(1024, 8);
    op.handle(engine, &http, &params, None, &mut xml)?;
    Ok(xml.finish())
}

/// The text of the first `<element>` of `xml`, if any (as [`xml_texts`] reads it).
pub fn xml_text(xml: &str, element: &str) -> Option<String> {
    xml_texts(xml, element).into_iter().next()
}

/// The texts of every `<element>` of `xml` in order, with the five XML entities read back.
pub fn xml_texts(xml: &str, element: &str) -> Vec<String> {
    let (open, close) = (format!("<{element}>"), format!("</{element}>"));
    let mut texts = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open).map(|i| i + open.len()) {
        let Some(end) = rest[start..].find(&close).map(|i| start + i) else {
            break;
        };
        let text = rest[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        texts.push(text);
        rest = &rest[end + close.len()..];
    }
    texts
}

impl World {
    /// Runs `action` by its AWS name with Query `params`, signed with `key_id` and `secret`
    /// ([`query_engine`] on this world's engine).
    pub fn query_as(
        &self,
        key_id: &str,
        secret: &str,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<String, Error> {
        query_engine(&self.engine, key_id, secret, action, params)
    }

    /// As [`World::query_as`], as the account's root (key 1 of [`SECRET`]).
    pub fn query(&self, action: &str, params: &[(&str, &str)]) -> Result<String, Error> {
        self.query_as(&key(1), SECRET, action, params)
    }

    /// The code and message of `action` with `params` as `key_id`, which must fail.
    pub fn refused_as(
        &self,
        key_id: &str,
        secret: &str,
        action: &str,
        params: &[(&str, &str)],
    ) -> (String, String) {
        match self.query_as(key_id, secret, action, params) {
            Ok(xml) => panic!("expected {action} to fail, got {xml}"),
            Err(e) => (e.code().to_owned(), e.message().to_owned()),
        }
    }

    /// The code and message of `action` with `params` as the root, which must fail.
    pub fn refused(&self, action: &str, params: &[(&str, &str)]) -> (String, String) {
        self.refused_as(&key(1), SECRET, action, params)
    }
}

/// The parameters of a query string `Name=value&Name=value` (values without `&`).
pub fn query_params(query: &str) -> Vec<(&str, &str)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect()
}

/// Asserts that each `(action, query, message)` is refused as the root with `NoSuchEntity`.
pub fn assert_no_such(w: &World, table: &[(&str, &str, &str)]) {
    for (action, query, message) in table {
        assert_eq!(
            w.refused(action, &query_params(query)),
            no_such(message),
            "{action} {query}"
        );
    }
}

/// Asserts that `e` is AWS's `AccessDenied` of `user` (its ARN's resource, `user/dave`) for
/// `action` on `resource` (the message may go on, with the denying policy's kind).
pub fn assert_denied(e: &Error, user: &str, action: &str, resource: &str) {
    assert_eq!(e.code(), "AccessDenied", "{e}");
    let text = format!(
        "User: arn:aws:iam::{ACCT}:{user} is not authorized to perform: {action} on resource: {resource}"
    );
    assert!(e.message().starts_with(&text), "{e}");
}

/// The tags of one entity through IAM's `Tag<Kind>`, `Untag<Kind>` and `List<Kind>Tags`, by
/// their AWS names, with `query` (a world's by-name call as its root).
pub struct Tagging<'a, Q: Fn(&str, &[(&str, &str)]) -> Result<String, Error>> {
    pub query: Q,
    /// `Role`, `User`, `ServerCertificate`, ...
    pub kind: &'a str,
    /// The entity's parameter and value: `("RoleName", "Edit")`.
    pub entity: (&'a str, &'a str),
}

impl<Q: Fn(&str, &[(&str, &str)]) -> Result<String, Error>> Tagging<'_, Q> {
    /// `Tag<Kind>` with `tags` (`Tags.member.N.Key` and `.Value`).
    pub fn tag(&self, tags: &[(&str, &str)]) -> Result<String, Error> {
        let names: Vec<(String, String)> = (1..=tags.len())
            .map(|n| {
                (
                    format!("Tags.member.{n}.Key"),
                    format!("Tags.member.{n}.Value"),
                )
            })
            .collect();
        let mut params = vec![self.entity];
        for ((key, value), (k, v)) in names.iter().zip(tags) {
            params.extend([(key.as_str(), *k), (value.as_str(), *v)]);
        }
        (self.query)(&format!("Tag{}", self.kind), &params)
    }

    /// `Untag<Kind>` of `keys` (`TagKeys.member.N`).
    pub fn untag(&self, keys: &[&str]) -> Result<String, Error> {
        let names: Vec<String> = (1..=keys.len())
            .map(|n| format!("TagKeys.member.{n}"))
            .collect();
        let mut params = vec![self.entity];
        params.extend(names.iter().map(String::as_str).zip(keys.iter().copied()));
        (self.query)(&format!("Untag{}", self.kind), &params)
    }

    /// `List<Kind>Tags`: the tags as (key, value), in the answer's order.
    pub fn list(&self) -> Vec<(String, String)> {
        let action = format!("List{}Tags", self.kind);
        let xml = (self.query)(&action, &[self.entity]).unwrap_or_else(|e| panic!("{action}: {e}"));
        xml_texts(&xml, "Key")
            .into_iter()
            .zip(xml_texts(&xml, "Value"))
            .collect()
    }
}

/// Two texts as owned strings: an error's code and message, a tag's key and value.
pub fn pair(code: &str, text: &str) -> (String, String) {
    (code.to_owned(), text.to_owned())
}

pub fn no_such(text: &str) -> (String, String) {
    ("NoSuchEntity".to_owned(), text.to_owned())
}

/// A URL-encoded policy document, decoded.
pub fn decode(doc: &str) -> String {
    let bytes = doc.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Pages a list operation with `MaxItems` `max` to the end: every item, in order, and the
/// number of pages; asserts markers come exactly with truncated pages.
pub fn page_all<T>(
    max: i32,
    mut call: impl FnMut(Option<String>, i32) -> (Vec<T>, Option<bool>, Option<String>),
) -> (Vec<T>, usize) {
    let mut all = Vec::new();
    let mut marker = None;
    let mut pages = 0;
    loop {
        let (items, truncated, next) = call(marker.take(), max);
        pages += 1;
        assert!(items.len() <= usize::try_from(max).unwrap());
        all.extend(items);
        match (truncated, next) {
            (Some(true), Some(m)) => marker = Some(m),
            (Some(false), None) => return (all, pages),
            other => panic!("inconsistent page end: {other:?}"),
        }
        assert!(pages < 5000, "paging does not end");
    }
}

/// Pages `action` (by its AWS name, as the root) with `MaxItems` 1 to the end, as [`page_all`]
/// does: the texts of its `element`s in order, the number of pages and every page's XML.
pub fn query_pages(
    w: &World,
    action: &str,
    params: &[(&str, &str)],
    element: &str,
) -> (Vec<String>, usize, String) {
    let mut xml = String::new();
    let (names, pages) = page_all(1, |marker, max| {
        let max = max.to_string();
        let mut all = vec![("MaxItems", max.as_str())];
        all.extend_from_slice(params);
        if let Some(m) = marker.as_deref() {
            all.push(("Marker", m));
        }
        let page = w
            .query(action, &all)
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        let truncated = xml_text(&page, "IsTruncated").map(|t| t == "true");
        let next = xml_text(&page, "Marker");
        xml.push_str(&page);
        (xml_texts(&page, element), truncated, next)
    });
    (names, pages, xml)
}

pub fn unique(names: &[String]) {
    let set: BTreeSet<&String> = names.iter().collect();
    assert_eq!(set.len(), names.len(), "duplicates in {names:?}");
}

/// The ARNs of the attached policies of a list answer.
pub fn arns(list: Option<Vec<AttachedPolicy>>) -> Vec<String> {
    attached(list, |p| p.policy_arn)
}

/// The names of the attached policies of a list answer.
pub fn policy_names(list: Option<Vec<AttachedPolicy>>) -> Vec<String> {
    attached(list, |p| p.policy_name)
}

fn attached(
    list: Option<Vec<AttachedPolicy>>,
    member: impl Fn(AttachedPolicy) -> Option<String>,
) -> Vec<String> {
    list.unwrap()
        .into_iter()
        .map(|p| member(p).unwrap())
        .collect()
}

pub fn list_policies(w: &World, req: ListPoliciesRequest, max: i32) -> (Vec<String>, usize) {
    let (policies, pages) = page_all(max, |marker, max| {
        let r = w.ok::<op::ListPolicies>(ListPoliciesRequest {
            marker,
            max_items: Some(max),
            ..req.clone()
        });
        (r.policies.unwrap(), r.is_truncated, r.marker)
    });
    let arns: Vec<String> = policies.into_iter().map(|p| p.arn.unwrap()).collect();
    unique(&arns);
    (arns, pages)
}
