//! AssumeRole through the public API, with real SigV4 signatures.

#[path = "engine_support/harness.rs"]
mod harness;

use harness::*;
use keyturn::{Error, ErrorCode};

#[test]
fn cross_account_assume_role_and_caller_identity() {
    let h = harness(&scenario_yaml());
    let r = assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "deploy")));
    assert_eq!(
        r.assumed_role_user.arn, "arn:aws:sts::111111111111:assumed-role/App/deploy",
        "the role path is dropped"
    );
    assert!(r.assumed_role_user.assumed_role_id.starts_with("AROA"));
    assert!(r.assumed_role_user.assumed_role_id.ends_with(":deploy"));
    assert_eq!(r.credentials.expiration.unix_timestamp(), T0 + 3600);
    assert!(r.credentials.access_key_id.starts_with("ASIA"));
    assert_eq!(r.packed_policy_size, None);
    let me = identity_of(&h, &Creds::from_api(&r.credentials));
    assert_eq!(me.arn, r.assumed_role_user.arn);
    assert_eq!(me.user_id, r.assumed_role_user.assumed_role_id);
    assert_eq!(me.account, "111111111111");
    // The unique id is stable for the role.
    let again = assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "other")));
    assert_eq!(
        again.assumed_role_user.assumed_role_id.split(':').next(),
        r.assumed_role_user.assumed_role_id.split(':').next()
    );
}

#[test]
fn audit_identity_is_reported() {
    let h = harness(&scenario_yaml());
    let (r, id) = call_as::<AssumeRole>(&h, Some(&alice()), assume_role(CHAINED, "x1"));
    let e = err(r);
    assert_eq!(e.code(), "AccessDenied");
    assert!(e.encoded_authorization_message().is_some(), "{e:?}");
    let id = id.unwrap_or_else(|| panic!("no identity"));
    assert_eq!(id.arn, "arn:aws:iam::222222222222:user/alice");
    assert_eq!(id.identity_type, "IAMUser");
    assert!(id.principal_id.starts_with("AIDA"));
}

#[test]
fn durations_and_the_chaining_cap() {
    let h = harness(&scenario_yaml());
    let mut req = assume_role(APP, "long");
    req.duration_seconds = Some(7200);
    let r = assumed(call::<AssumeRole>(&h, &alice(), req.clone()));
    assert_eq!(r.credentials.expiration.unix_timestamp(), T0 + 7200);
    req.duration_seconds = Some(7201);
    let e = err(call::<AssumeRole>(&h, &alice(), req));
    assert_eq!(
        e,
        Error::new(
            ErrorCode::ValidationError,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        )
    );
    // Role chaining: App's session assumes Chained.
    let app = Creds::from_api(&r.credentials);
    let mut chained = assume_role(CHAINED, "hop");
    chained.duration_seconds = Some(3601);
    let e = err(call::<AssumeRole>(&h, &app, chained.clone()));
    assert_eq!(e.code(), "ValidationError");
    assert_eq!(
        e.message(),
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    );
    chained.duration_seconds = None;
    let hop = assumed(call::<AssumeRole>(&h, &app, chained));
    assert_eq!(
        hop.assumed_role_user.arn,
        "arn:aws:sts::111111111111:assumed-role/Chained/hop"
    );
}

/// AWS's text when alice may not assume `role_arn`.
fn alice_may_not_assume(role_arn: &str) -> String {
    format!(
        "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    )
}

#[test]
fn missing_role_and_root_are_denied_with_aws_texts() {
    let h = harness(&scenario_yaml());
    let missing = "arn:aws:iam::111111111111:role/Nope";
    let e = assume_error(&h, &alice(), missing, "s1");
    let denied = Error::new(ErrorCode::AccessDenied, alice_may_not_assume(missing));
    assert_eq!(e, denied);
    // A path that does not match is the same as a missing role.
    let wrong_path = "arn:aws:iam::111111111111:role/App";
    assert_eq!(
        assume_error(&h, &alice(), wrong_path, "s1").code(),
        "AccessDenied"
    );
    let e = assume_error(&h, &root(), APP, "s1");
    assert_eq!(
        e,
        Error::new(
            ErrorCode::AccessDenied,
            "Roles may not be assumed by root accounts."
        )
    );
    let e = assume_error(&h, &alice(), "arn:aws:iam::111111111111:user/x", "s1");
    assert_eq!(e.code(), "ValidationError");
}

#[test]
fn trust_and_identity_policies_both_decide() {
    let h = harness(&scenario_yaml());
    // The trust policy names another account.
    let no_trust = "arn:aws:iam::111111111111:role/NoTrust";
    let e = assume_error(&h, &alice(), no_trust, "s1");
    assert_eq!(e.message(), alice_may_not_assume(no_trust));
    assert!(e.encoded_authorization_message().is_some());
    // bob has no identity policy: cross-account needs both sides.
    let e = assume_error(&h, &bob(&h), APP, "s1");
    assert_eq!(e.code(), "AccessDenied");
    // Same account: a trust policy naming alice suffices without an identity policy ...
    let local = "arn:aws:iam::222222222222:role/Local";
    assumed(call::<AssumeRole>(&h, &alice(), assume_role(local, "s1")));
    // ... while one naming the account delegates to identity policies, which bob lacks
    // (and alice's only cover the production account's roles).
    let by_account = "arn:aws:iam::222222222222:role/LocalByAccount";
    assert_eq!(
        assume_error(&h, &bob(&h), by_account, "s1").code(),
        "AccessDenied"
    );
    assert_eq!(
        assume_error(&h, &alice(), by_account, "s1").code(),
        "AccessDenied"
    );
}

#[test]
fn external_id_condition() {
    let h = harness(&scenario_yaml());
    let role = "arn:aws:iam::111111111111:role/External";
    let mut req = assume_role(role, "s1");
    refuses::<AssumeRole>(&h, &alice(), req.clone(), "AccessDenied");
    req.external_id = Some("wrong-id".into());
    refuses::<AssumeRole>(&h, &alice(), req.clone(), "AccessDenied");
    req.external_id = Some("secret-123".into());
    assumed(call::<AssumeRole>(&h, &alice(), req));
}

#[test]
fn mfa_codes_are_checked_once() {
    let h = harness(&scenario_yaml());
    let role = "arn:aws:iam::111111111111:role/Mfa";
    let serial = "arn:aws:iam::222222222222:mfa/alice";
    let mut req = assume_role(role, "s1");
    refuses::<AssumeRole>(&h, &alice(), req.clone(), "AccessDenied");
    req.serial_number = Some(serial.into());
    req.token_code = Some(
        if totp(SEED, T0) == "000000" {
            "111111"
        } else {
            "000000"
        }
        .into(),
    );
    let mfa_text = "MultiFactorAuthentication failed with invalid MFA one time pass code. ";
    assert_eq!(
        err(call::<AssumeRole>(&h, &alice(), req.clone())),
        Error::new(ErrorCode::AccessDenied, mfa_text)
    );
    req.token_code = Some(totp(SEED, T0).as_str().into());
    assumed(call::<AssumeRole>(&h, &alice(), req.clone()));
    // The same code again is a replay.
    assert_eq!(
        err(call::<AssumeRole>(&h, &alice(), req.clone())),
        Error::new(ErrorCode::AccessDenied, mfa_text)
    );
    // One step of drift is accepted: the next step's code, 30 s later, works.
    h.clock.advance(time::Duration::seconds(30));
    req.token_code = Some(totp(SEED, T0 + 30).as_str().into());
    assumed(call::<AssumeRole>(&h, &alice(), req.clone()));
    // A serial without a code.
    req.token_code = None;
    refuses::<AssumeRole>(&h, &alice(), req, "AccessDenied");
}

fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: k.into(),
        value: v.into(),
    }
}

#[test]
fn session_tag_rules() {
    let h = harness(&scenario_yaml());
    let mut req = assume_role(APP, "s1");
    req.tags = Some(vec![tag("Project", "a"), tag("project", "b")]);
    assert_eq!(
        err(call::<AssumeRole>(&h, &alice(), req.clone())),
        Error::new(
            ErrorCode::InvalidParameterValue,
            "Duplicate tag keys found. Please note that Tag keys are case insensitive."
        )
    );
    req.tags = Some(vec![tag("Project", "a")]);
    req.transitive_tag_keys = Some(vec!["Cost".into()]);
    assert_eq!(
        err(call::<AssumeRole>(&h, &alice(), req.clone())),
        Error::new(
            ErrorCode::InvalidParameterValue,
            "The specified transitive tag key must be included in the requested tags."
        )
    );
    req.transitive_tag_keys = Some(vec!["project".into()]);
    let r = assumed(call::<AssumeRole>(&h, &alice(), req));
    assert!(r.packed_policy_size.is_some_and(|p| p > 0 && p <= 100));
    // The chained session cannot override the transitive tag.
    let mut hop = assume_role(CHAINED, "hop");
    hop.tags = Some(vec![tag("PROJECT", "c")]);
    assert_eq!(
        err(call::<AssumeRole>(
            &h,
            &Creds::from_api(&r.credentials),
            hop
        )),
        Error::new(
            ErrorCode::InvalidParameterValue,
            "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."
        )
    );
}

#[test]
fn source_identity_cannot_change_along_the_chain() {
    let h = harness(&scenario_yaml());
    let mut req = assume_role(APP, "s1");
    req.source_identity = Some("alice-laptop".into());
    let r = assumed(call::<AssumeRole>(&h, &alice(), req));
    assert_eq!(r.source_identity.as_deref(), Some("alice-laptop"));
    let app = Creds::from_api(&r.credentials);
    let mut hop = assume_role(CHAINED, "hop");
    let kept = assumed(call::<AssumeRole>(&h, &app, hop.clone()));
    assert_eq!(kept.source_identity.as_deref(), Some("alice-laptop"));
    hop.source_identity = Some("someone-else".into());
    refuses::<AssumeRole>(&h, &app, hop, "AccessDenied");
}

#[test]
fn session_policies_are_validated_and_packed() {
    let h = harness(&scenario_yaml());
    let mut req = assume_role(APP, "s1");
    req.policy = Some(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#
            .into(),
    );
    refuses::<AssumeRole>(&h, &alice(), req.clone(), "MalformedPolicyDocument");
    req.policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.into());
    let r = assumed(call::<AssumeRole>(&h, &alice(), req.clone()));
    // 95 minified characters: ceil(48 / 2048 × 100) = 3 %.
    assert_eq!(r.packed_policy_size, Some(3));
    req.policy_arns = Some(vec![PolicyDescriptorType {
        arn: Some("arn:aws:iam::111111111111:policy/Missing".into()),
    }]);
    refuses::<AssumeRole>(&h, &alice(), req.clone(), "InvalidParameterValue");
    req.policy_arns = Some(vec![PolicyDescriptorType {
        arn: Some("arn:aws:iam::111111111111:policy/ReadOnly".into()),
    }]);
    assumed(call::<AssumeRole>(&h, &alice(), req.clone()));
    req.policy_arns = None;
    req.tags = Some(
        (0..50)
            .map(|i| tag(&format!("k{i:0>100}"), &"v".repeat(200)))
            .collect(),
    );
    let e = err(call::<AssumeRole>(&h, &alice(), req));
    assert_eq!(e.code(), "PackedPolicyTooLarge");
    assert!(
        e.message()
            .starts_with("Packed size of session tags consumes "),
        "{e}"
    );
}

#[test]
fn session_policy_limits_the_session() {
    let h = harness(&scenario_yaml());
    let mut req = assume_role(APP, "s1");
    // The session may only GetObject: chaining (sts:AssumeRole) is no longer allowed.
    req.policy = Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.into());
    let limited = Creds::from_api(&assumed(call::<AssumeRole>(&h, &alice(), req)).credentials);
    assert_eq!(
        assume_error(&h, &limited, CHAINED, "x1").code(),
        "AccessDenied"
    );
    let free = Creds::from_api(
        &assumed(call::<AssumeRole>(&h, &alice(), assume_role(APP, "s1"))).credentials,
    );
    assumed(call::<AssumeRole>(&h, &free, assume_role(CHAINED, "x1")));
}

#[test]
fn provided_contexts_need_set_context_in_the_trust_policy() {
    let h = harness(&scenario_yaml());
    let mut req = assume_role(APP, "s1");
    req.provided_contexts = Some(vec![ProvidedContext {
        provider_arn: Some("arn:aws:iam::aws:contextProvider/IdentityCenter".into()),
        context_assertion: Some("abcd".repeat(10)),
    }]);
    // App's trust policy does not allow sts:SetContext: AccessDenied before the assertion is
    // judged (a valid one is redeemed in workload_sts.rs).
    refuses::<AssumeRole>(&h, &alice(), req, "AccessDenied");
}

/// A trust policy that reads every kind of key AssumeRole puts in its context (the caller's
/// environment, identity and tags, the request's tags, session name and source identity, the
/// role's tags) and an identity policy with a variable in its Resource: the engine builds each
/// context with only the keys the policies read, so each family must still arrive.
#[test]
fn trust_policies_see_every_kind_of_condition_key() {
    let alice_key = key_id("222222222222", 1);
    let head = memory_account("111111111111");
    let yaml = format!(
        r#"{head}    roles:
      - name: Keys
        tags: {{env: prod}}
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{AWS: "arn:aws:iam::222222222222:root"}}
              Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
              Condition:
                StringEquals:
                  aws:PrincipalTag/Team: web
                  aws:RequestTag/project: keyturn
                  sts:RoleSessionName: s-ok
                  sts:SourceIdentity: alice-si
                  iam:ResourceTag/env: prod
                  aws:ResourceTag/ENV: prod
                  aws:RequestedRegion: us-east-1
                  aws:PrincipalType: User
                  aws:username: alice
                StringLike: {{aws:userid: "AIDA*"}}
                ForAllValues:StringEquals: {{aws:TagKeys: [project, cost]}}
                ForAnyValue:StringEquals: {{sts:TransitiveTagKeys: [cost]}}
                DateGreaterThan: {{aws:CurrentTime: "2020-01-01T00:00:00Z"}}
                NumericGreaterThan: {{aws:EpochTime: "1577836800"}}
                Bool: {{aws:PrincipalIsAWSService: "false"}}
                "Null": {{aws:TokenIssueTime: "true"}}
  - id: "222222222222"
    users:
      - name: alice
        tags: {{team: web, gate: Keys}}
        access_keys: [{{id: {alice_key}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          assume:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity]
                Resource: "arn:aws:iam::111111111111:role/${{aws:PrincipalTag/gate}}"
"#
    );
    let h = harness(&yaml);
    let role = "arn:aws:iam::111111111111:role/Keys";
    let mut good = assume_role(role, "s-ok");
    good.tags = Some(vec![tag("project", "keyturn"), tag("cost", "1")]);
    good.transitive_tag_keys = Some(vec!["cost".into()]);
    good.source_identity = Some("alice-si".into());
    assumed(call::<AssumeRole>(&h, &alice(), good.clone()));

    // Each change below breaks exactly one condition.
    let mut name = good.clone();
    name.role_session_name = "s-other".into();
    let mut request_tag = good.clone();
    if let Some(t) = request_tag.tags.as_mut().and_then(|t| t.first_mut()) {
        t.value = "other".into();
    }
    let mut tag_keys = good.clone();
    tag_keys
        .tags
        .get_or_insert_default()
        .push(tag("extra", "x"));
    let mut transitive = good.clone();
    transitive.transitive_tag_keys = Some(vec!["project".into()]);
    let mut source = good.clone();
    source.source_identity = Some("someone-else".into());
    for (what, req) in [
        ("session name", name),
        ("request tag", request_tag),
        ("tag keys", tag_keys),
        ("transitive tag keys", transitive),
        ("source identity", source),
    ] {
        assert_eq!(
            refused_code::<AssumeRole>(&h, &alice(), req),
            "AccessDenied",
            "{what}"
        );
    }
}
