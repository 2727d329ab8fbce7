//! GetSessionToken, GetFederationToken, their session restrictions, GetCallerIdentity,
//! GetAccessKeyInfo, DecodeAuthorizationMessage and the refused actions.

#[path = "engine_support/harness.rs"]
mod harness;

use harness::*;
use keyturn::{Error, ErrorCode};

#[allow(clippy::panic, reason = "test helper")]
fn session_token(r: Result<GetSessionTokenResponse, Error>) -> Creds {
    match r {
        Ok(r) => Creds::from_api(present(&r.credentials)),
        other => panic!("{other:?}"),
    }
}

fn gst(duration: Option<i32>, mfa: Option<&str>) -> GetSessionTokenRequest {
    GetSessionTokenRequest {
        duration_seconds: duration,
        serial_number: mfa.map(|_| "arn:aws:iam::222222222222:mfa/alice".to_owned()),
        token_code: mfa.map(Into::into),
        ..Default::default()
    }
}

#[test]
fn get_session_token_durations_and_restrictions() {
    let h = harness(&scenario_yaml());
    let r = call::<GetSessionToken>(&h, &alice(), gst(None, None));
    let Ok(g) = &r else { panic!("{r:?}") };
    assert_eq!(lifetime(&g.credentials), 43_200);
    let creds = Creds::from_api(present(&g.credentials));
    // The session is alice herself.
    assert_eq!(
        identity_of(&h, &creds).arn,
        "arn:aws:iam::222222222222:user/alice"
    );
    // Not again from session credentials, nor GetFederationToken, nor IAM without MFA.
    assert_eq!(
        err(call::<GetSessionToken>(&h, &creds, gst(None, None))),
        Error::new(
            ErrorCode::AccessDenied,
            "Cannot call GetSessionToken with session credentials"
        )
    );
    let fed = GetFederationTokenRequest {
        name: "fed".into(),
        ..Default::default()
    };
    refuses::<GetFederationToken>(&h, &creds, fed, "AccessDenied");
    // AssumeRole is allowed; the Mfa role needs MFA, which this session lacks.
    assumed(call::<AssumeRole>(&h, &creds, assume_role(APP, "from-gst")));
    let mfa_role = "arn:aws:iam::111111111111:role/Mfa";
    assert_eq!(
        assume_error(&h, &creds, mfa_role, "s1").code(),
        "AccessDenied"
    );
    // Root: capped at an hour.
    let r = call::<GetSessionToken>(&h, &root(), gst(Some(129_600), None));
    let Ok(g) = r else { panic!("{r:?}") };
    assert_eq!(lifetime(&g.credentials), 3600);
}

#[test]
fn mfa_session_then_role_requiring_mfa() {
    let h = harness(&scenario_yaml());
    let code = totp(SEED, T0);
    let creds = session_token(call::<GetSessionToken>(
        &h,
        &alice(),
        gst(Some(900), Some(&code)),
    ));
    let mfa_role = "arn:aws:iam::111111111111:role/Mfa";
    let r = assumed(call::<AssumeRole>(&h, &creds, assume_role(mfa_role, "s1")));
    assert_eq!(
        r.assumed_role_user.arn,
        "arn:aws:sts::111111111111:assumed-role/Mfa/s1"
    );
    // The code was used: a second GetSessionToken with it is a replay.
    assert_eq!(
        err(call::<GetSessionToken>(
            &h,
            &alice(),
            gst(None, Some(&code))
        ))
        .code(),
        "AccessDenied"
    );
    // The session expires.
    h.clock.advance(time::Duration::seconds(901));
    let e = identity_error(&h, &creds);
    assert_eq!(e, expired_token());
}

#[test]
fn get_federation_token() {
    let h = harness(&scenario_yaml());
    let req = GetFederationTokenRequest {
        name: "partner".into(),
        policy: Some(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#.into()),
        ..Default::default()
    };
    let r = call::<GetFederationToken>(&h, &alice(), req.clone());
    let Ok(f) = r else { panic!("{r:?}") };
    assert_eq!(
        present(&f.federated_user).arn,
        "arn:aws:sts::222222222222:federated-user/partner"
    );
    assert_eq!(
        present(&f.federated_user).federated_user_id,
        "222222222222:partner"
    );
    assert_eq!(lifetime(&f.credentials), 43_200);
    assert!(f.packed_policy_size.is_some());
    let creds = Creds::from_api(present(&f.credentials));
    let me = identity_of(&h, &creds);
    assert_eq!(me.arn, present(&f.federated_user).arn);
    assert_eq!(me.user_id, "222222222222:partner");
    // Federated users may call only GetCallerIdentity in STS.
    assert_eq!(
        assume_error(&h, &creds, APP, "s1"),
        Error::new(
            ErrorCode::AccessDenied,
            "Cannot call AssumeRole with session credentials"
        )
    );
    // The session policy intersects alice's permissions: embedders see it through authorize().
    let caller = key_caller(&h, &alice());
    assert_eq!(caller.arn, "arn:aws:iam::222222222222:user/alice");
    // bob has no sts:GetFederationToken permission.
    let e = err(call::<GetFederationToken>(&h, &bob(&h), req.clone()));
    assert_eq!(
        e.message(),
        "User: arn:aws:iam::222222222222:user/bob is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::222222222222:federated-user/partner"
    );
    // Unknown policy ARN.
    let mut bad = req;
    bad.policy_arns = Some(vec![PolicyDescriptorType {
        arn: Some("arn:aws:iam::222222222222:policy/Nope".into()),
    }]);
    refuses::<GetFederationToken>(&h, &alice(), bad, "InvalidParameterValue");
    // Root is capped at an hour.
    let r = call::<GetFederationToken>(
        &h,
        &root(),
        GetFederationTokenRequest {
            name: "rootfed".into(),
            duration_seconds: Some(7200),
            ..Default::default()
        },
    );
    let Ok(f) = r else { panic!("{r:?}") };
    assert_eq!(lifetime(&f.credentials), 3600);
}

#[test]
fn caller_identity_of_root_and_access_key_info() {
    let h = harness(&scenario_yaml());
    let me = identity_of(&h, &root());
    assert_eq!(
        (me.arn.as_str(), me.user_id.as_str(), me.account.as_str()),
        (
            "arn:aws:iam::222222222222:root",
            "222222222222",
            "222222222222"
        )
    );
    let me = identity_of(&h, &alice());
    assert!(
        me.user_id.starts_with("AIDA") && me.user_id.len() == 21,
        "{me:?}"
    );
    let r = call::<GetAccessKeyInfo>(
        &h,
        &bob(&h),
        GetAccessKeyInfoRequest {
            access_key_id: key_id("111111111111", 9),
        },
    );
    let Ok(info) = r else { panic!("{r:?}") };
    assert_eq!(info.account.as_deref(), Some("111111111111"));
}

#[test]
fn decode_authorization_message_of_a_denial() {
    let h = harness(&scenario_yaml());
    let no_trust = "arn:aws:iam::111111111111:role/NoTrust";
    let e = assume_error(&h, &alice(), no_trust, "s1");
    let encoded = e
        .encoded_authorization_message()
        .unwrap_or_else(|| panic!("no message: {e:?}"))
        .to_owned();
    // bob lacks sts:DecodeAuthorizationMessage.
    let req = DecodeAuthorizationMessageRequest {
        encoded_message: encoded.clone(),
    };
    assert_eq!(
        err(call::<DecodeAuthorizationMessage>(
            &h,
            &bob(&h),
            req.clone()
        ))
        .code(),
        "AccessDenied"
    );
    let r = call::<DecodeAuthorizationMessage>(&h, &alice(), req);
    let Ok(d) = r else { panic!("{r:?}") };
    let v: serde_json::Value = serde_json::from_str(present(&d.decoded_message).as_str())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["allowed"], false);
    assert_eq!(v["explicitDeny"], false);
    assert_eq!(
        v["context"]["principal"]["arn"],
        "arn:aws:iam::222222222222:user/alice"
    );
    assert_eq!(v["context"]["action"], "sts:AssumeRole");
    assert_eq!(v["context"]["resource"], no_trust);
    assert!(v["matchedStatements"]["items"].is_array());
    assert_eq!(v["failures"]["items"], serde_json::json!([]));
    let conditions = v["context"]["conditions"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        conditions
            .iter()
            .any(|c| c["key"] == "aws:principaltag/team"
                && c["values"]["items"][0]["value"] == "web"),
        "{conditions:?}"
    );
    // A foreign or garbled message.
    let req = DecodeAuthorizationMessageRequest {
        encoded_message: format!("x{encoded}"),
    };
    refuses::<DecodeAuthorizationMessage>(
        &h,
        &alice(),
        req,
        "InvalidAuthorizationMessageException",
    );
}

#[test]
fn authorize_api_for_embedders() {
    let h = harness(&scenario_yaml());
    let caller = key_caller(&h, &alice());
    let a = authorization(&h, &caller, "sts:DecodeAuthorizationMessage", "*");
    assert!(a.is_allowed() && a.encoded_message.is_none());
    // A resource in another account needs that account's resource policy, which authorize()
    // does not have: the identity policy alone does not grant it.
    let a = authorization(&h, &caller, "sts:AssumeRole", APP);
    assert!(!a.is_allowed());
    let a = authorization(&h, &caller, "s3:GetObject", "arn:aws:s3:::b/k");
    assert!(!a.is_allowed());
    assert!(a.encoded_message.is_some());
    let keys = h
        .engine
        .credentials_of("alice")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keys, vec![(alice().id, ALICE_SECRET.to_owned())]);
    assert_eq!(
        h.engine.credentials_of("nobody").map_err(|e| e.code()),
        Err("NoSuchEntity")
    );
    assert_eq!(
        h.engine
            .caller_for_access_key("AKIAXXXXXXXXXXXXXXXX")
            .map(|c| c.arn)
            .map_err(|e| e.code()),
        Err("InvalidClientTokenId")
    );
}

#[test]
fn actions_without_organizations_are_refused() {
    let h = harness(&scenario_yaml());
    let r = call::<AssumeRoot>(
        &h,
        &alice(),
        AssumeRootRequest {
            target_principal: "111111111111".into(),
            task_policy_arn: PolicyDescriptorType {
                arn: Some("arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials".into()),
            },
            ..Default::default()
        },
    );
    assert_eq!(err(r).code(), "AccessDenied");
    let r = call::<GetDelegatedAccessToken>(
        &h,
        &alice(),
        GetDelegatedAccessTokenRequest {
            trade_in_token: "abcd".into(),
        },
    );
    // GetDelegatedAccessToken is authorized like any action (alice's policies do not allow
    // it); the partner-delegation flow itself is tested in delegation.rs.
    let e = err(r);
    assert_eq!(e.code(), "AccessDenied");
    assert!(
        e.message().contains("sts:GetDelegatedAccessToken"),
        "{}",
        e.message()
    );
}

#[test]
fn get_web_identity_token_is_authorized_then_needs_outbound_federation() {
    let h = harness(&scenario_yaml());
    let request = || GetWebIdentityTokenRequest {
        audience: vec!["https://example.com".into()],
        duration_seconds: None,
        signing_algorithm: "RS256".into(),
        ..Default::default()
    };
    // sts:GetWebIdentityToken is authorized like any action: alice has no policy allowing it.
    let e = err(call::<GetWebIdentityToken>(&h, &alice(), request()));
    assert_eq!((e.code(), e.http_status()), ("AccessDenied", 403));
    // The account's root may, but the account has not enabled outbound federation.
    let e = err(call::<GetWebIdentityToken>(&h, &root(), request()));
    assert_eq!(
        (e.code(), e.http_status()),
        ("OutboundWebIdentityFederationDisabledException", 403)
    );
    assert_eq!(e.message(), keyturn::ops::sts::OUTBOUND_DISABLED_TEXT);
}

#[test]
fn federated_user_permissions_are_the_intersection() {
    let h = harness(&scenario_yaml());
    let fed = |policy: Option<&str>| {
        let r = call::<GetFederationToken>(
            &h,
            &alice(),
            GetFederationTokenRequest {
                name: "partner".into(),
                policy: policy.map(str::to_owned),
                ..Default::default()
            },
        );
        let Ok(f) = r else { panic!("{r:?}") };
        Creds::from_api(present(&f.credentials))
    };
    let caller_of = |creds: &Creds| signed_caller(&h, creds, std::net::Ipv4Addr::LOCALHOST);
    let allowed = |caller: &keyturn::Caller, action: &str| {
        authorization(&h, caller, action, "*").is_allowed()
    };
    // The session policy allows two actions; alice's own policies allow only one of them.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:DecodeAuthorizationMessage","s3:GetObject"],"Resource":"*"}]}"#;
    let with_policy = caller_of(&fed(Some(policy)));
    assert_eq!(
        with_policy.arn,
        "arn:aws:sts::222222222222:federated-user/partner"
    );
    assert!(allowed(&with_policy, "sts:DecodeAuthorizationMessage"));
    assert!(
        !allowed(&with_policy, "s3:GetObject"),
        "alice has no s3 permission"
    );
    assert!(
        !allowed(&with_policy, "sts:GetFederationToken"),
        "outside the session policy"
    );
    // Without a session policy, nothing.
    let bare = caller_of(&fed(None));
    assert!(!allowed(&bare, "sts:DecodeAuthorizationMessage"));
    // alice herself.
    let alice_caller = caller_of(&alice());
    assert!(allowed(&alice_caller, "sts:GetFederationToken"));
}
