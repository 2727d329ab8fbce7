//! The partner-delegation flow through the facade: CreateDelegationRequest … SendDelegationToken
//! (every state transition and refusal, who may call what), the trade-in token delivered to the
//! configured channel file, and GetDelegatedAccessToken's credentials (the accepting identity,
//! narrowed by the delegated policy; expired, tampered and foreign tokens refused).

#![allow(
    clippy::panic,
    reason = "test helpers: an unexpected answer aborts the test"
)]

#[path = "engine_support/harness.rs"]
mod harness;

use std::path::PathBuf;

use harness::*;
use keyturn::api::iam::{
    AcceptDelegationRequestRequest, AssociateDelegationRequestRequest,
    CreateDelegationRequestRequest, DelegationPermission, DelegationRequest,
    GetDelegationRequestRequest, ListDelegationRequestsRequest, PolicyParameter,
    RejectDelegationRequestRequest, SendDelegationTokenRequest, UpdateDelegationRequestRequest,
};
use keyturn::ops::iam::{
    AcceptDelegationRequest, AssociateDelegationRequest, CreateDelegationRequest,
    GetDelegationRequest, ListDelegationRequests, ONLY_OWNER_TEXT, RejectDelegationRequest,
    SendDelegationToken, UpdateDelegationRequest,
};
use keyturn::{Error, ErrorCode};

const PARTNER: &str = "333333333333";
const TOPIC: &str = "arn:aws:sns:us-east-1:333333333333:partner-topic";
const TEMPLATE: &str = "arn:aws:iam::333333333333:policy/ReadReports";
const OPERATOR: &str = "arn:aws:iam::111111111111:role/Operator";
const OPERATOR_SESSION: &str = "arn:aws:sts::111111111111:assumed-role/Operator/carol";
const ADMIN_ARN: &str = "arn:aws:iam::111111111111:user/admin";
const DELEGATION_ACTIONS: &str = r#"["iam:AssociateDelegationRequest", "iam:AcceptDelegationRequest", "iam:RejectDelegationRequest", "iam:UpdateDelegationRequest", "iam:GetDelegationRequest", "iam:ListDelegationRequests", "iam:SendDelegationToken"]"#;

/// A sink file of its own for each test.
fn sink(test: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "keyturn-delegation-{}-{test}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&p);
    p
}

/// Partner 333333333333 (user partner: creates, reads, exchanges; user intern: nothing; the
/// template ReadReports), customer 111111111111 (user admin: delegation actions and s3:*;
/// admin2: the same; viewer: delegation actions only; role Operator for admin), and account
/// 222222222222 (stranger: every delegation action).
fn world(test: &str) -> (Harness, PathBuf) {
    let file = sink(test);
    let k = |a: &str, n: u8| key_id(a, n);
    let yaml = format!(
        r#"
store: {{memory: true}}
delegation:
  notification_channels:
    "{TOPIC}": {{file: "{file}"}}
accounts:
  - id: "{PARTNER}"
    users:
      - name: partner
        access_keys: [{{id: {p1}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: ["iam:CreateDelegationRequest", "iam:GetDelegationRequest", "iam:ListDelegationRequests", "sts:GetDelegatedAccessToken"]
                Resource: "*"
      - name: intern
        access_keys: [{{id: {p2}, secret: "{ALICE_SECRET}"}}]
    managed_policies:
      - name: ReadReports
        document:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: "arn:aws:s3:::${{Bucket}}/report.csv"
            - Effect: Allow
              Action: s3:ListBucket
              Resource: "arn:aws:s3:::${{Buckets}}"
  - id: "111111111111"
    users:
      - name: admin
        access_keys: [{{id: {c1}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: {DELEGATION_ACTIONS}, Resource: "*"}}
              - {{Effect: Allow, Action: ["s3:*", "sts:AssumeRole"], Resource: "*"}}
      - name: admin2
        access_keys: [{{id: {c2}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: {DELEGATION_ACTIONS}, Resource: "*"}}
      - name: viewer
        access_keys: [{{id: {c3}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: ["iam:AssociateDelegationRequest", "iam:GetDelegationRequest"], Resource: "*"}}
    roles:
      - name: Operator
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - {{Effect: Allow, Principal: {{AWS: "arn:aws:iam::111111111111:root"}}, Action: "sts:AssumeRole"}}
        inline_policies:
          p:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: {DELEGATION_ACTIONS}, Resource: "*"}}
              - {{Effect: Allow, Action: "s3:*", Resource: "*"}}
  - id: "222222222222"
    users:
      - name: stranger
        access_keys: [{{id: {s1}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p:
            Version: "2012-10-17"
            Statement:
              - {{Effect: Allow, Action: {DELEGATION_ACTIONS}, Resource: "*"}}
              - {{Effect: Allow, Action: "sts:GetDelegatedAccessToken", Resource: "*"}}
"#,
        file = file.display(),
        p1 = k(PARTNER, 1),
        p2 = k(PARTNER, 2),
        c1 = k("111111111111", 1),
        c2 = k("111111111111", 2),
        c3 = k("111111111111", 3),
        s1 = k("222222222222", 1),
    );
    (harness(&yaml), file)
}

fn creds(account: &str, n: u8) -> Creds {
    Creds::long_term(&key_id(account, n), ALICE_SECRET)
}
fn partner() -> Creds {
    creds(PARTNER, 1)
}
fn intern() -> Creds {
    creds(PARTNER, 2)
}
fn admin() -> Creds {
    creds("111111111111", 1)
}
fn admin2() -> Creds {
    creds("111111111111", 2)
}
fn viewer() -> Creds {
    creds("111111111111", 3)
}
fn stranger() -> Creds {
    creds("222222222222", 1)
}
/// A session of Operator named carol, assumed by admin.
fn operator(h: &Harness) -> Creds {
    let a = assumed(call::<AssumeRole>(
        h,
        &admin(),
        assume_role(OPERATOR, "carol"),
    ));
    Creds::from_api(&a.credentials)
}

fn param(name: &str, kind: &str, values: &[&str]) -> PolicyParameter {
    PolicyParameter {
        name: Some(name.to_owned()),
        values: Some(values.iter().map(|v| (*v).to_owned()).collect()),
        type_: Some(kind.to_owned()),
    }
}

fn create_input(workflow: &str, owner: Option<&str>) -> CreateDelegationRequestRequest {
    CreateDelegationRequestRequest {
        owner_account_id: owner.map(str::to_owned),
        description: "Read the monthly reports".to_owned(),
        permissions: DelegationPermission {
            policy_template_arn: Some(TEMPLATE.to_owned()),
            parameters: Some(vec![
                param("Bucket", "string", &["reports"]),
                param("Buckets", "stringList", &["reports", "archive"]),
            ]),
        },
        requestor_workflow_id: workflow.to_owned(),
        notification_channel: TOPIC.to_owned(),
        session_duration: 3600,
        ..Default::default()
    }
}

fn create(h: &Harness, workflow: &str, owner: Option<&str>) -> String {
    match call::<CreateDelegationRequest>(h, &partner(), create_input(workflow, owner)) {
        Ok(r) => r
            .delegation_request_id
            .unwrap_or_else(|| panic!("no DelegationRequestId")),
        Err(e) => panic!("CreateDelegationRequest failed: {e:?}"),
    }
}

fn get(h: &Harness, who: &Creds, id: &str) -> Result<DelegationRequest, Error> {
    call::<GetDelegationRequest>(
        h,
        who,
        GetDelegationRequestRequest {
            delegation_request_id: id.to_owned(),
            ..Default::default()
        },
    )
    .map(|r| {
        r.delegation_request
            .unwrap_or_else(|| panic!("no DelegationRequest"))
    })
}

fn state(h: &Harness, id: &str) -> String {
    match get(h, &partner(), id) {
        Ok(r) => r.state.unwrap_or_default(),
        Err(e) => panic!("GetDelegationRequest failed: {e:?}"),
    }
}

fn associate(h: &Harness, who: &Creds, id: &str) -> Result<(), Error> {
    call::<AssociateDelegationRequest>(
        h,
        who,
        AssociateDelegationRequestRequest {
            delegation_request_id: id.to_owned(),
        },
    )
    .map(drop)
}

fn accept(h: &Harness, who: &Creds, id: &str) -> Result<(), Error> {
    call::<AcceptDelegationRequest>(
        h,
        who,
        AcceptDelegationRequestRequest {
            delegation_request_id: id.to_owned(),
        },
    )
    .map(drop)
}

fn reject(h: &Harness, who: &Creds, id: &str, notes: Option<&str>) -> Result<(), Error> {
    call::<RejectDelegationRequest>(
        h,
        who,
        RejectDelegationRequestRequest {
            delegation_request_id: id.to_owned(),
            notes: notes.map(str::to_owned),
        },
    )
    .map(drop)
}

fn update(h: &Harness, who: &Creds, id: &str, notes: &str) -> Result<(), Error> {
    call::<UpdateDelegationRequest>(
        h,
        who,
        UpdateDelegationRequestRequest {
            delegation_request_id: id.to_owned(),
            notes: Some(notes.to_owned()),
        },
    )
    .map(drop)
}

fn send(h: &Harness, who: &Creds, id: &str) -> Result<(), Error> {
    call::<SendDelegationToken>(
        h,
        who,
        SendDelegationTokenRequest {
            delegation_request_id: id.to_owned(),
        },
    )
    .map(drop)
}

fn ok(r: Result<(), Error>) {
    if let Err(e) = r {
        panic!("expected success, got {e:?}");
    }
}

fn refused(r: Result<(), Error>, code: ErrorCode) -> String {
    match r {
        Err(e) if e.error_code() == code => e.message().to_owned(),
        other => panic!("expected {code:?}, got {other:?}"),
    }
}

/// The trade-in tokens in the channel file, in order.
fn tokens(file: &PathBuf) -> Vec<serde_json::Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The partner trades the token of `line`: the session must act as `arn` (in the answer and
/// to GetCallerIdentity); returns the answer and the session's credentials.
fn delegated_session(
    h: &Harness,
    line: &serde_json::Value,
    arn: &str,
) -> (GetDelegatedAccessTokenResponse, Creds) {
    let out = exchange(h, &partner(), &token_of(line)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.assumed_principal.as_deref(), Some(arn));
    let delegated = Creds::from_api(present(&out.credentials));
    assert_eq!(identity_of(h, &delegated).arn, arn);
    (out, delegated)
}

/// Each `(action, resource, allowed)`: whether `creds` is allowed the action on the resource.
fn decides(h: &Harness, creds: &Creds, table: &[(&str, &str, bool)]) {
    for &(action, resource, expected) in table {
        assert_eq!(
            allowed(h, creds, action, resource),
            expected,
            "{action} on {resource}"
        );
    }
}

fn token_of(line: &serde_json::Value) -> String {
    line["TradeInToken"]
        .as_str()
        .unwrap_or_else(|| panic!("no TradeInToken in {line}"))
        .to_owned()
}

fn exchange(
    h: &Harness,
    who: &Creds,
    token: &str,
) -> Result<GetDelegatedAccessTokenResponse, Error> {
    call::<GetDelegatedAccessToken>(
        h,
        who,
        GetDelegatedAccessTokenRequest {
            trade_in_token: token.to_owned().into(),
        },
    )
}

/// A request taken to FINALIZED by `owner`; the delivered message.
fn finalized(h: &Harness, file: &PathBuf, owner: &Creds) -> (String, serde_json::Value) {
    let id = create(
        h,
        &format!("wf-final-{}", tokens(file).len()),
        Some("111111111111"),
    );
    ok(associate(h, owner, &id));
    ok(accept(h, owner, &id));
    ok(send(h, owner, &id));
    let line = tokens(file)
        .pop()
        .unwrap_or_else(|| panic!("no message delivered"));
    (id, line)
}

#[test]
fn the_whole_flow_through_a_role_session() {
    let (h, file) = world("flow");
    let id = create(&h, "wf-0001", None);
    assert!(
        id.len() >= 16
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    let r = get(&h, &partner(), &id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.state.as_deref(), Some("UNASSIGNED"));
    assert_eq!(r.requestor_id.as_deref(), Some(PARTNER));
    assert_eq!(r.owner_id, None);
    assert_eq!(r.session_duration, Some(3600));
    assert_eq!(
        r.permission_policy.as_deref(),
        Some(
            r#"{"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::reports/report.csv"},{"Action":"s3:ListBucket","Effect":"Allow","Resource":["arn:aws:s3:::reports","arn:aws:s3:::archive"]}],"Version":"2012-10-17"}"#
        )
    );
    assert_eq!(
        r.expiration_time.map(|t| t.unix_timestamp()),
        Some(T0 + 7 * 24 * 3600)
    );

    let carol = operator(&h);
    ok(associate(&h, &carol, &id));
    let r = get(&h, &carol, &id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.state.as_deref(), Some("ASSIGNED"));
    assert_eq!(r.owner_id.as_deref(), Some(OPERATOR_SESSION));
    assert_eq!(r.owner_account_id.as_deref(), Some("111111111111"));

    ok(update(&h, &carol, &id, "please approve"));
    let r = get(&h, &carol, &id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.state.as_deref(), Some("PENDING_APPROVAL"));
    assert_eq!(r.notes.as_deref(), Some("please approve"));

    ok(accept(&h, &carol, &id));
    assert_eq!(state(&h, &id), "ACCEPTED");
    assert!(
        tokens(&file).is_empty(),
        "nothing is sent before SendDelegationToken"
    );

    h.clock.advance(time::Duration::seconds(60));
    ok(send(&h, &carol, &id));
    let r = get(&h, &partner(), &id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.state.as_deref(), Some("FINALIZED"));
    assert_eq!(r.approver_id.as_deref(), Some(OPERATOR_SESSION));
    assert_eq!(
        r.expiration_time.map(|t| t.unix_timestamp()),
        Some(T0 + 60 + 3600)
    );
    let lines = tokens(&file);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["DelegationRequestId"], id.as_str());
    assert_eq!(lines[0]["RequestorWorkflowId"], "wf-0001");
    assert_eq!(lines[0]["TopicArn"], TOPIC);

    // The partner trades the token 10 minutes later: the session ends when the request does.
    h.clock.advance(time::Duration::seconds(600));
    let (out, delegated) = delegated_session(&h, &lines[0], OPERATOR_SESSION);
    assert_eq!(out.packed_policy_size, None);
    assert_eq!(lifetime(&out.credentials), 60 + 3600);
    // The role allows s3:*; the delegated policy only these two.
    decides(
        &h,
        &delegated,
        &[
            ("s3:GetObject", "arn:aws:s3:::reports/report.csv", true),
            ("s3:ListBucket", "arn:aws:s3:::archive", true),
            ("s3:GetObject", "arn:aws:s3:::reports/secret.csv", false),
            ("s3:PutObject", "arn:aws:s3:::reports/report.csv", false),
            ("iam:GetDelegationRequest", "*", false),
        ],
    );
    // The token can be traded again while it is valid (AWS documents no single use).
    assert!(exchange(&h, &partner(), &token_of(&lines[0])).is_ok());
    let _ = std::fs::remove_file(&file);
}

#[test]
fn an_iam_user_is_the_delegated_identity_it_accepted_as() {
    let (h, file) = world("user");
    let (_, line) = finalized(&h, &file, &admin());
    let (_, delegated) = delegated_session(&h, &line, ADMIN_ARN);
    decides(
        &h,
        &delegated,
        &[
            ("s3:GetObject", "arn:aws:s3:::reports/report.csv", true),
            ("s3:DeleteObject", "arn:aws:s3:::reports/report.csv", false),
        ],
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn create_refusals() {
    let (h, file) = world("create");
    let mut input = create_input("wf-xxx", None);
    input.notification_channel = "arn:aws:sns:us-east-1:333333333333:other".to_owned();
    let m = refused(
        call::<CreateDelegationRequest>(&h, &partner(), input).map(drop),
        ErrorCode::InvalidInput,
    );
    assert!(m.contains("is not configured"), "{m}");

    let mut input = create_input("wf-xxx", None);
    input.permissions.policy_template_arn =
        Some("arn:aws:iam::333333333333:policy/Nope".to_owned());
    let m = refused(
        call::<CreateDelegationRequest>(&h, &partner(), input).map(drop),
        ErrorCode::InvalidInput,
    );
    assert_eq!(
        m,
        "The policy template arn:aws:iam::333333333333:policy/Nope does not exist."
    );

    let mut input = create_input("wf-xxx", None);
    input.permissions.policy_template_arn = None;
    refused(
        call::<CreateDelegationRequest>(&h, &partner(), input).map(drop),
        ErrorCode::InvalidInput,
    );

    // A placeholder without its parameter; a parameter the template does not use; a string
    // with two values; a stringList without one; a name given twice.
    let cases: [(Vec<PolicyParameter>, &str); 5] = [
        (
            vec![param("Bucket", "string", &["r"])],
            "uses the parameter Buckets",
        ),
        (
            vec![
                param("Bucket", "string", &["r"]),
                param("Buckets", "stringList", &["arn:aws:s3:::r"]),
                param("Extra", "string", &["x"]),
            ],
            "Policy parameter Extra is not used",
        ),
        (
            vec![
                param("Bucket", "string", &["a", "b"]),
                param("Buckets", "stringList", &["x"]),
            ],
            "must have exactly one value",
        ),
        (
            vec![
                param("Bucket", "string", &["a"]),
                param("Buckets", "stringList", &[]),
            ],
            "must have at least one value",
        ),
        (
            vec![
                param("Bucket", "string", &["a"]),
                param("Bucket", "string", &["b"]),
            ],
            "is given twice",
        ),
    ];
    for (params, text) in cases {
        let mut input = create_input("wf-xxx", None);
        input.permissions.parameters = Some(params);
        let m = refused(
            call::<CreateDelegationRequest>(&h, &partner(), input).map(drop),
            ErrorCode::InvalidInput,
        );
        assert!(m.contains(text), "{m} lacks {text}");
    }

    // The model's own constraints, before anything else.
    let mut input = create_input("wf-xxx", None);
    input.session_duration = 299;
    refused(
        call::<CreateDelegationRequest>(&h, &partner(), input).map(drop),
        ErrorCode::ValidationError,
    );
    let mut input = create_input("wf-xxx", None);
    input.redirect_url = Some("ftp://example.com/".to_owned());
    refused(
        call::<CreateDelegationRequest>(&h, &partner(), input).map(drop),
        ErrorCode::ValidationError,
    );

    // Authorized through the policy engine.
    let m = refused(
        call::<CreateDelegationRequest>(&h, &intern(), create_input("wf-xxx", None)).map(drop),
        ErrorCode::AccessDenied,
    );
    assert!(m.contains("iam:CreateDelegationRequest"), "{m}");

    // A workflow id is unique among the partner's requests.
    create(&h, "wf-dup", None);
    let m = refused(
        call::<CreateDelegationRequest>(&h, &partner(), create_input("wf-dup", None)).map(drop),
        ErrorCode::EntityAlreadyExists,
    );
    assert_eq!(
        m,
        "A delegation request with RequestorWorkflowId wf-dup already exists."
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn who_sees_and_who_acts() {
    let (h, file) = world("who");
    let id = create(&h, "wf-who", Some("111111111111"));
    // Another account neither sees nor associates a request meant for 111111111111.
    let no = |r: Result<(), Error>| refused(r, ErrorCode::NoSuchEntity);
    assert_eq!(
        no(get(&h, &stranger(), &id).map(drop)),
        format!("The delegation request with id {id} cannot be found.")
    );
    no(associate(&h, &stranger(), &id));
    no(get(&h, &partner(), "dr-0000000000000000").map(drop));
    // A malformed id fails the model's constraints first.
    refused(
        associate(&h, &admin2(), "x").map(drop),
        ErrorCode::ValidationError,
    );
    ok(associate(&h, &viewer(), &id));
    // viewer owns it: it gets it by default; accepting needs iam:AcceptDelegationRequest.
    assert!(get(&h, &viewer(), &id).is_ok());
    let m = refused(accept(&h, &viewer(), &id), ErrorCode::AccessDenied);
    assert!(m.contains("iam:AcceptDelegationRequest"), "{m}");
    // The partner reads it but cannot act for the customer: its policies do not allow it, and
    // an account with the policy but not the owner's does not see the request.
    refused(accept(&h, &partner(), &id), ErrorCode::AccessDenied);
    no(accept(&h, &stranger(), &id));
    no(update(&h, &stranger(), &id, "x"));
    // An identity of the owner account with the policy accepts it.
    ok(accept(&h, &admin2(), &id));
    assert_eq!(state(&h, &id), "ACCEPTED");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn state_transitions_refused_out_of_order() {
    let (h, file) = world("states");
    let id = create(&h, "wf-s1", None);
    let bad = |r: Result<(), Error>| refused(r, ErrorCode::InvalidInput);
    // UNASSIGNED: no owner account yet, so nobody's account may accept, update or send it.
    refused(accept(&h, &admin(), &id), ErrorCode::NoSuchEntity);
    refused(send(&h, &admin(), &id), ErrorCode::NoSuchEntity);
    ok(associate(&h, &admin(), &id));
    assert_eq!(
        bad(associate(&h, &admin(), &id)),
        format!("The delegation request {id} is in state ASSIGNED and cannot be associated.")
    );
    bad(send(&h, &admin(), &id));
    ok(accept(&h, &admin(), &id));
    bad(accept(&h, &admin(), &id));
    bad(update(&h, &admin(), &id, "late"));
    // An accepted request can still be rejected; then nothing else.
    ok(reject(&h, &admin(), &id, Some("changed my mind")));
    let r = get(&h, &partner(), &id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(r.state.as_deref(), Some("REJECTED"));
    assert_eq!(r.rejection_reason.as_deref(), Some("changed my mind"));
    bad(accept(&h, &admin(), &id));
    bad(send(&h, &admin(), &id));
    bad(reject(&h, &admin(), &id, None));

    // A finalized request cannot be rejected.
    let (done, _) = finalized(&h, &file, &admin());
    assert_eq!(
        bad(reject(&h, &admin(), &done, None)),
        format!("The delegation request {done} is in state FINALIZED and cannot be rejected.")
    );
    bad(send(&h, &admin(), &done));

    // An open request expires after 7 days.
    let open = create(&h, "wf-s2", None);
    h.clock.advance(time::Duration::days(7));
    assert_eq!(state(&h, &open), "EXPIRED");
    bad(associate(&h, &admin(), &open));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn only_the_owner_sends_when_the_partner_says_so() {
    let (h, file) = world("owner");
    let mut input = create_input("wf-own", Some("111111111111"));
    input.only_send_by_owner = Some(true);
    let id = call::<CreateDelegationRequest>(&h, &partner(), input)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .delegation_request_id
        .unwrap_or_default();
    ok(associate(&h, &admin(), &id));
    ok(accept(&h, &admin2(), &id));
    assert_eq!(
        refused(send(&h, &admin2(), &id), ErrorCode::AccessDenied),
        ONLY_OWNER_TEXT
    );
    ok(send(&h, &admin(), &id));
    assert_eq!(tokens(&file).len(), 1);
    // admin2 accepted: the delegated identity is admin2, not the owner.
    let out =
        exchange(&h, &partner(), &token_of(&tokens(&file)[0])).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        out.assumed_principal.as_deref(),
        Some("arn:aws:iam::111111111111:user/admin2")
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn trade_in_token_refusals() {
    let (h, file) = world("tokens");
    let (_, line) = finalized(&h, &file, &admin());
    let token = token_of(&line);
    // Another account cannot use the partner's token.
    let e = err(exchange(&h, &stranger(), &token));
    assert_eq!(e.error_code(), ErrorCode::AccessDenied);
    // A token altered in one character, and something that is no token at all.
    let mut altered = token.clone().into_bytes();
    let i = altered.len() / 2;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap_or_default();
    for bad in [altered.as_str(), "not-a-token"] {
        let e = err(exchange(&h, &partner(), bad));
        assert_eq!(e.error_code(), ErrorCode::InvalidParameterValue);
        assert_eq!(e.message(), INVALID_TRADE_IN_TEXT);
    }
    // Past the session's end: AWS's expired-token answer.
    h.clock.advance(time::Duration::seconds(3600));
    let e = err(exchange(&h, &partner(), &token));
    assert_eq!(e.error_code(), ErrorCode::ExpiredTradeInTokenException);
    assert_eq!(e.message(), EXPIRED_TRADE_IN_TEXT);
    // The partner needs sts:GetDelegatedAccessToken.
    let (_, line) = finalized(&h, &file, &admin());
    let e = err(exchange(&h, &intern(), &token_of(&line)));
    assert_eq!(e.error_code(), ErrorCode::AccessDenied);
    let _ = std::fs::remove_file(&file);
}

#[test]
fn listing_and_the_permission_check() {
    let (h, file) = world("list");
    let a = create(&h, "wf-l1", Some("111111111111"));
    h.clock.advance(time::Duration::seconds(1));
    let b = create(&h, "wf-l2", Some("111111111111"));
    h.clock.advance(time::Duration::seconds(1));
    let _c = create(&h, "wf-l3", None);
    ok(associate(&h, &admin(), &a));
    ok(associate(&h, &viewer(), &b));
    let list = |who: &Creds, input: ListDelegationRequestsRequest| {
        call::<ListDelegationRequests>(&h, who, input).unwrap_or_else(|e| panic!("{e:?}"))
    };
    let ids = |r: &keyturn::api::iam::ListDelegationRequestsResponse| -> Vec<String> {
        r.delegation_requests
            .iter()
            .flatten()
            .filter_map(|d| d.delegation_request_id.clone())
            .collect()
    };
    // The partner lists all three; the customer the two its identities own.
    assert_eq!(ids(&list(&partner(), Default::default())).len(), 3);
    assert_eq!(
        ids(&list(&admin(), Default::default())),
        vec![a.clone(), b.clone()]
    );
    let mine = list(
        &admin(),
        ListDelegationRequestsRequest {
            owner_id: Some(ADMIN_ARN.to_owned()),
            ..Default::default()
        },
    );
    assert_eq!(ids(&mine), vec![a.clone()]);
    let page = list(
        &admin(),
        ListDelegationRequestsRequest {
            max_items: Some(1),
            ..Default::default()
        },
    );
    assert_eq!(ids(&page), vec![a.clone()]);
    assert_eq!(page.is_truncated, Some(true));
    let next = list(
        &admin(),
        ListDelegationRequestsRequest {
            marker: page.marker.clone(),
            ..Default::default()
        },
    );
    assert_eq!(ids(&next), vec![b.clone()]);
    assert_eq!(
        ids(&list(&stranger(), Default::default())),
        Vec::<String>::new()
    );

    // admin holds s3:*: its permissions cover the delegated policy; viewer's do not.
    let check = |who: &Creds, id: &str| {
        let r = call::<GetDelegationRequest>(
            &h,
            who,
            GetDelegationRequestRequest {
                delegation_request_id: id.to_owned(),
                delegation_permission_check: Some(true),
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        (r.permission_check_status, r.permission_check_result)
    };
    assert_eq!(
        check(&admin(), &a),
        (Some("COMPLETED".to_owned()), Some("ALLOWED".to_owned()))
    );
    assert_eq!(
        check(&viewer(), &b),
        (Some("COMPLETED".to_owned()), Some("DENIED".to_owned()))
    );
    let _ = std::fs::remove_file(&file);
}

/// A world with one request `workflow`, associated, and the model as the store holds it then.
fn one_associated(
    test: &str,
    workflow: &str,
) -> (Harness, PathBuf, String, keyturn_core::iam::IamData) {
    let (h, file) = world(test);
    let id = create(&h, workflow, None);
    ok(associate(&h, &admin(), &id));
    let data = h
        .engine
        .store()
        .load()
        .unwrap_or_else(|e| panic!("{e}"))
        .data;
    (h, file, id, data)
}

#[test]
fn requests_survive_export() {
    let (_h, file, _, data) = one_associated("export", "wf-exp");
    let text = keyturn::export::to_yaml(&data).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("delegation_requests"), "{text}");
    assert!(text.contains("wf-exp"));
    let _ = std::fs::remove_file(&file);
}

#[test]
fn a_sqlite_store_keeps_requests_across_a_reopen() {
    use keyturn_core::store::{StoreRead, StoreWrite};
    let (_h, file, id, data) = one_associated("sqlite", "wf-sql");
    let path = sink("sqlite-db");
    {
        let store = keyturn_store::SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
        store.replace(None, &data).unwrap_or_else(|e| panic!("{e}"));
    }
    let back = keyturn_store::SqliteStore::open(&path)
        .and_then(|s| s.load())
        .unwrap_or_else(|e| panic!("{e}"))
        .data;
    let kept = back
        .account(PARTNER)
        .map(|a| a.delegation_requests.clone())
        .unwrap_or_default();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].id, id);
    assert_eq!(kept[0].owner_id.as_deref(), Some(ADMIN_ARN));
    assert_eq!(back, data);
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&file);
}

#[test]
fn the_configuration_checks_its_channels() {
    let refused = |channels: &str| {
        let yaml =
            format!("store: {{memory: true}}\ndelegation:\n  notification_channels:\n{channels}");
        match keyturn::Config::from_str(&yaml, "t.yaml") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted {channels}"),
        }
    };
    let m = refused("    \"arn:aws:sqs:us-east-1:333333333333:q\": {file: x.jsonl}\n");
    assert!(m.contains("is not an SNS topic ARN"), "{m}");
    for topic in [
        "arn:aws:sns:us-east-1:3333:t",
        "arn:aws:sns::333333333333:t",
        "arn:nowhere:sns:us-east-1:333333333333:t",
        "arn:aws:sns:us-east-1:333333333333:bad/name",
    ] {
        let m = refused(&format!("    \"{topic}\": {{file: x.jsonl}}\n"));
        assert!(m.contains("is not an SNS topic ARN"), "{topic}: {m}");
    }
    let m = refused(&format!("    \"{TOPIC}\": {{file: \"\"}}\n"));
    assert!(m.contains("the file path is empty"), "{m}");
    let m = refused(&format!("    \"{TOPIC}\": {{path: x}}\n"));
    assert!(m.contains("unknown field"), "{m}");
    let ok = format!(
        "store: {{memory: true}}\ndelegation:\n  notification_channels:\n    \"{TOPIC}\": {{file: out/t.jsonl}}\n"
    );
    let config = keyturn::Config::from_str(&ok, "t.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        config
            .delegation_channels
            .get(TOPIC)
            .map(|p| p.ends_with("out/t.jsonl")),
        Some(true)
    );
}

#[test]
fn the_documented_example_configuration_loads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/delegation.yaml"
    );
    let config = keyturn::Config::from_file(path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        config
            .delegation_channels
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["arn:aws:sns:us-east-1:222222222222:partner-updates"]
    );
    let ids: Vec<&str> = config.iam.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["222222222222", "111111111111"]);
}
