//! AWS's validation messages (the cases of keyturn-core's `sts::api::tests`).

use crate::iam::{ContextEntry, SimulateCustomPolicyRequest};
use crate::rt::{At, lower_camel, null_member_error};
use crate::sts::{
    AssumeRoleRequest, AssumeRoleWithSAMLRequest, AssumeRoleWithWebIdentityRequest,
    GetFederationTokenRequest, GetSessionTokenRequest, Tag,
};
use crate::{ApiError, ErrorCode, Input};

fn assume(name: &str) -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: "arn:aws:iam::111111111111:role/UpdateApp".into(),
        role_session_name: name.into(),
        ..Default::default()
    }
}

fn message(r: &impl Input) -> String {
    match r.validate() {
        Err(ApiError {
            code: ErrorCode::ValidationError,
            message,
        }) => message,
        other => panic!("expected ValidationError, got {other:?}"),
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.into(),
        value: value.into(),
    }
}

#[test]
fn valid_request_passes() {
    let mut r = assume("Session1");
    r.duration_seconds = Some(900);
    r.tags = Some(vec![tag("team é", "")]);
    r.token_code = Some("123456".into());
    r.serial_number = Some("arn:aws:iam::111111111111:mfa/alice".into());
    assert_eq!(r.validate(), Ok(()));
    assert_eq!(
        crate::sts::GetCallerIdentityRequest::default().validate(),
        Ok(())
    );
}

#[test]
fn pattern_message_is_aws_text() {
    assert_eq!(
        message(&assume("Session1:2")),
        r"1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"
    );
}

#[test]
fn several_failures_are_counted_and_joined() {
    let mut r = assume("x");
    r.duration_seconds = Some(43201);
    assert_eq!(
        message(&r),
        "2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: \
         Member must have length greater than or equal to 2; Value '43201' at 'durationSeconds' \
         failed to satisfy constraint: Member must have value less than or equal to 43200"
    );
}

#[test]
fn length_and_range_texts() {
    let long = "a".repeat(65);
    let msg = message(&assume(&long));
    assert!(
        msg.ends_with("Member must have length less than or equal to 64"),
        "{msg}"
    );
    let r = GetSessionTokenRequest {
        duration_seconds: Some(899),
        ..Default::default()
    };
    assert_eq!(
        message(&r),
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
    );
}

#[test]
fn list_members_are_named_like_aws() {
    let mut r = assume("s1");
    r.tags = Some(vec![tag("ok", "v"), tag("bad{", "v")]);
    r.transitive_tag_keys = Some(vec![String::new()]);
    let msg = message(&r);
    assert!(
        msg.starts_with("3 validation errors detected: Value 'bad{' at 'tags.2.member.key'"),
        "{msg}"
    );
    assert!(msg.contains("at 'transitiveTagKeys.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{msg}");
    assert!(
        msg.contains(
            r"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+"
        ),
        "{msg}"
    );
}

#[test]
fn too_many_tags() {
    let r = GetFederationTokenRequest {
        name: "bob".into(),
        tags: Some((0..51).map(|i| tag(&format!("k{i}"), "v")).collect()),
        ..Default::default()
    };
    let msg = message(&r);
    assert!(msg.contains("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"), "{msg}");
    assert!(
        msg.starts_with(
            "1 validation error detected: Value '[Tag(key=k0, value=v), Tag(key=k1, value=v),"
        ),
        "{msg}"
    );
}

#[test]
fn sensitive_values_never_appear() {
    let r = AssumeRoleWithWebIdentityRequest {
        role_arn: "arn:aws:iam::111111111111:role/UpdateApp".into(),
        role_session_name: "s1".into(),
        web_identity_token: "ey!".into(),
        ..Default::default()
    };
    assert_eq!(
        message(&r),
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"
    );
    let r = AssumeRoleWithSAMLRequest {
        saml_assertion: "abc".into(),
        ..Default::default()
    };
    let msg = message(&r);
    assert!(
        msg.contains("Value at 'sAMLAssertion'") && !msg.contains("'abc'"),
        "{msg}"
    );
}

#[test]
fn policy_characters() {
    let mut r = assume("s1");
    r.policy = Some("{\"Version\":\"2012-10-17\"}\t\n".into());
    assert_eq!(r.validate(), Ok(()));
    r.policy = Some("{\u{100}}".into());
    let msg = message(&r);
    assert!(msg.contains(r"[\u0009\u000A\u000D\u0020-\u00FF]+"), "{msg}");
}

#[test]
fn iam_enum_and_nested_names() {
    let r = SimulateCustomPolicyRequest {
        policy_input_list: vec!["{}".into()],
        action_names: vec!["s3:GetObject".into()],
        context_entries: Some(vec![ContextEntry {
            context_key_name: Some("aws:SourceIp".into()),
            context_key_values: Some(vec!["1.2.3.4".into()]),
            context_key_type: Some("address".into()),
        }]),
        max_items: Some(0),
        ..Default::default()
    };
    let msg = message(&r);
    assert!(msg.contains("Value 'address' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList,"), "{msg}");
    assert!(msg.contains("Value '0' at 'maxItems'"), "{msg}");
}

#[test]
fn nested_list_elements_are_named_with_both_indexes() {
    let r = SimulateCustomPolicyRequest {
        policy_input_list: vec!["{}".into()],
        action_names: vec!["s3:GetObject".into()],
        context_entries: Some(vec![
            ContextEntry::default(),
            ContextEntry {
                context_key_name: Some("k".into()),
                context_key_values: Some(vec!["ok".into(), String::new()]),
                context_key_type: None,
            },
        ]),
        ..Default::default()
    };
    let msg = message(&r);
    assert!(
        msg.contains("Value 'k' at 'contextEntries.2.member.contextKeyName'"),
        "{msg}"
    );
}

#[test]
fn secrets_debug_as_stars() {
    let r = GetSessionTokenRequest {
        token_code: Some("123456".into()),
        ..Default::default()
    };
    let dbg = format!("{r:?}");
    assert!(!dbg.contains("123456") && dbg.contains("***"), "{dbg}");
    assert_eq!(lower_camel("SAMLAssertion"), "sAMLAssertion");
    let tags = At::Member(&At::Root, "tags");
    assert_eq!(
        null_member_error(At::Member(&At::Index(&tags, 0), "value")),
        ApiError::new(
            ErrorCode::ValidationError,
            "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"
        )
    );
}

/// MFA codes are credentials: a malformed one never comes back in the message (nor, through
/// it, in the audit log), though the models do not mark them sensitive.
#[test]
fn mfa_codes_are_never_echoed() {
    let mut r = assume("Session1");
    r.serial_number = Some("arn:aws:iam::111111111111:mfa/alice".into());
    r.token_code = Some("98765z".into());
    assert_eq!(
        message(&r),
        r"1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*"
    );
    let r = GetSessionTokenRequest {
        token_code: Some("1234".into()),
        ..Default::default()
    };
    assert_eq!(
        message(&r),
        "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6"
    );
    let r = crate::iam::EnableMFADeviceRequest {
        user_name: "alice".into(),
        serial_number: "arn:aws:iam::111111111111:mfa/alice".into(),
        authentication_code1: "77a777".into(),
        authentication_code2: "1234567".into(),
    };
    let msg = message(&r);
    assert_eq!(
        msg,
        r"2 validation errors detected: Value at 'authenticationCode1' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]+; Value at 'authenticationCode2' failed to satisfy constraint: Member must have length less than or equal to 6"
    );
    assert!(!msg.contains("77a777") && !msg.contains("1234567"), "{msg}");
    assert_eq!(
        <crate::iam::ResyncMFADeviceRequest as Input>::SENSITIVE,
        &["AuthenticationCode1", "AuthenticationCode2"]
    );
}

#[test]
fn sensitive_parameters_are_listed() {
    assert_eq!(<GetSessionTokenRequest as Input>::SENSITIVE, &["TokenCode"]);
    assert_eq!(
        <AssumeRoleWithSAMLRequest as Input>::SENSITIVE,
        &["SAMLAssertion"]
    );
    assert_eq!(
        <AssumeRoleWithWebIdentityRequest as Input>::SENSITIVE,
        &["WebIdentityToken"]
    );
    assert!(<AssumeRoleRequest as Input>::SENSITIVE.contains(&"TokenCode"));
    assert!(<crate::iam::ListRolesRequest as Input>::SENSITIVE.is_empty());
}

#[test]
fn secret_string_basics() {
    let s = crate::SecretString::new("k");
    assert_eq!(format!("{s:?}"), "***");
    assert_eq!(s.expose(), "k");
    assert_eq!(s.clone(), crate::SecretString::from("k".to_owned()));
    assert_eq!(crate::SecretString::default().expose(), "");
}
