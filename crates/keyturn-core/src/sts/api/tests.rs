//! The constraint table against the service models, and AWS's validation messages.

use std::collections::BTreeMap;

use serde_json::Value;

use super::constraints::{MEMBER_RULES, UNSUPPORTED_IAM_MEMBERS};
use super::*;
use crate::Error;

/// The service model from ../shared/reference, or None (with a notice) in a clone without it.
fn model(name: &str) -> Option<Value> {
    let path = format!(
        "{}/../../../shared/reference/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    if !std::path::Path::new(&path).exists() {
        eprintln!("skipped: ../shared/reference/{name} not found");
        return None;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Some(serde_json::from_str(&text).unwrap())
}

/// (path, required, min, max, pattern, enum, sensitive) for every member reachable from `shape`.
type Row = (
    bool,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<Vec<String>>,
    bool,
    String,
);

fn walk(
    shapes: &Value,
    shape: &str,
    prefix: &str,
    required: bool,
    out: &mut BTreeMap<String, Row>,
) {
    let s = &shapes[shape];
    let row = (
        required,
        s["min"].as_i64(),
        s["max"].as_i64(),
        s["pattern"].as_str().map(str::to_owned),
        s["enum"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect()),
        s["sensitive"].as_bool().unwrap_or(false),
        shape.to_owned(),
    );
    out.insert(prefix.to_owned(), row);
    match s["type"].as_str().unwrap() {
        "structure" => {
            let req: Vec<&str> = s["required"]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
                .unwrap_or_default();
            for (name, m) in s["members"].as_object().unwrap() {
                walk(
                    shapes,
                    m["shape"].as_str().unwrap(),
                    &format!("{prefix}.{name}"),
                    req.contains(&name.as_str()),
                    out,
                );
            }
        }
        "list" => {
            walk(
                shapes,
                s["member"]["shape"].as_str().unwrap(),
                &format!("{prefix}.member"),
                false,
                out,
            );
        }
        _ => {}
    }
}

fn check_model(file: &str, actions: &[&str]) -> Option<usize> {
    let m = model(file)?;
    let shapes = &m["shapes"];
    let mut checked = 0;
    for action in actions {
        let input = m["operations"][action]["input"]["shape"].as_str();
        let mut rows = BTreeMap::new();
        if let Some(input) = input {
            let s = &shapes[input];
            let req: Vec<&str> = s["required"]
                .as_array()
                .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
                .unwrap_or_default();
            for (name, mm) in s["members"].as_object().unwrap() {
                if UNSUPPORTED_IAM_MEMBERS.contains(&name.as_str()) {
                    continue;
                }
                walk(
                    shapes,
                    mm["shape"].as_str().unwrap(),
                    name,
                    req.contains(&name.as_str()),
                    &mut rows,
                );
            }
        }
        let table: Vec<_> = MEMBER_RULES
            .iter()
            .filter(|r| r.operation == *action)
            .collect();
        let table_paths: Vec<&str> = table.iter().map(|r| r.path).collect();
        let model_paths: Vec<&str> = rows.keys().map(String::as_str).collect();
        let mut sorted = table_paths.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, model_paths, "{action}: members differ");
        for r in table {
            let (required, min, max, pattern, en, sensitive, shape) = &rows[r.path];
            let c = r.constraint;
            let what = format!("{action} {}", r.path);
            assert_eq!(c.shape, shape, "{what}: shape");
            assert_eq!(r.required, *required, "{what}: required");
            assert_eq!(c.min, *min, "{what}: min");
            assert_eq!(c.max, *max, "{what}: max");
            assert_eq!(
                c.pattern.map(|p| p.model.to_owned()),
                *pattern,
                "{what}: pattern"
            );
            if let Some(p) = c.pattern {
                assert_eq!(
                    p.allow_empty,
                    p.model.ends_with('*'),
                    "{what}: pattern quantifier"
                );
            }
            assert_eq!(
                c.enum_values
                    .map(|v| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()),
                *en,
                "{what}: enum"
            );
            assert_eq!(c.sensitive, *sensitive, "{what}: sensitive");
            checked += 1;
        }
    }
    Some(checked)
}

#[test]
fn table_matches_sts_model() {
    let Some(m) = model("sts-2011-06-15.service-2.json") else {
        return;
    };
    let mut ops: Vec<&str> = m["operations"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    ops.sort_unstable();
    let mut ours = STS_ACTIONS.to_vec();
    ours.sort_unstable();
    assert_eq!(ops, ours, "the model's operations are ours");
    assert!(check_model("sts-2011-06-15.service-2.json", &STS_ACTIONS) > Some(60));
}

#[test]
fn table_matches_iam_model() {
    let checked = check_model("iam-2010-05-08.service-2.json", &IAM_ACTIONS);
    assert!(checked.is_none_or(|n| n > 30));
}

fn assume(name: &str) -> AssumeRoleRequest {
    AssumeRoleRequest {
        role_arn: "arn:aws:iam::111111111111:role/UpdateApp".into(),
        role_session_name: name.into(),
        ..Default::default()
    }
}

fn message(r: ApiRequest) -> String {
    match r.validate() {
        Err(Error::ValidationError(m)) => m,
        other => panic!("expected ValidationError, got {other:?}"),
    }
}

#[test]
fn valid_request_passes() {
    let mut r = assume("Session1");
    r.duration_seconds = Some(900);
    r.tags = vec![Tag {
        key: "team é".into(),
        value: String::new(),
    }];
    r.token_code = Some("123456".into());
    r.serial_number = Some("arn:aws:iam::111111111111:mfa/alice".into());
    assert_eq!(ApiRequest::AssumeRole(r).validate(), Ok(()));
    assert_eq!(ApiRequest::GetCallerIdentity.validate(), Ok(()));
}

#[test]
fn pattern_message_is_aws_text() {
    assert_eq!(
        message(ApiRequest::AssumeRole(assume("Session1:2"))),
        r"1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*"
    );
}

#[test]
fn several_failures_are_counted_and_joined() {
    let mut r = assume("x");
    r.duration_seconds = Some(43201);
    assert_eq!(
        message(ApiRequest::AssumeRole(r)),
        "2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: \
         Member must have length greater than or equal to 2; Value '43201' at 'durationSeconds' \
         failed to satisfy constraint: Member must have value less than or equal to 43200"
    );
}

#[test]
fn length_and_range_texts() {
    let long = "a".repeat(65);
    let msg = message(ApiRequest::AssumeRole(assume(&long)));
    assert!(
        msg.ends_with("Member must have length less than or equal to 64"),
        "{msg}"
    );
    let r = GetSessionTokenRequest {
        duration_seconds: Some(899),
        ..Default::default()
    };
    assert_eq!(
        message(ApiRequest::GetSessionToken(r)),
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"
    );
}

#[test]
fn list_members_are_named_like_aws() {
    let mut r = assume("s1");
    r.tags = vec![
        Tag {
            key: "ok".into(),
            value: "v".into(),
        },
        Tag {
            key: "bad{".into(),
            value: "v".into(),
        },
    ];
    r.transitive_tag_keys = vec![String::new()];
    let msg = message(ApiRequest::AssumeRole(r));
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
    let mut r = GetFederationTokenRequest {
        name: "bob".into(),
        ..Default::default()
    };
    r.tags = (0..51)
        .map(|i| Tag {
            key: format!("k{i}"),
            value: "v".into(),
        })
        .collect();
    let msg = message(ApiRequest::GetFederationToken(r));
    assert!(msg.contains("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"), "{msg}");
}

#[test]
fn sensitive_values_never_appear() {
    let r = AssumeRoleWithWebIdentityRequest {
        role_arn: "arn:aws:iam::111111111111:role/UpdateApp".into(),
        role_session_name: "s1".into(),
        web_identity_token: "ey!".into(),
        ..Default::default()
    };
    let msg = message(ApiRequest::AssumeRoleWithWebIdentity(r));
    assert_eq!(
        msg,
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"
    );
    let r = AssumeRoleWithSamlRequest {
        saml_assertion: "abc".into(),
        ..Default::default()
    };
    let msg = message(ApiRequest::AssumeRoleWithSaml(r));
    assert!(
        msg.contains("Value at 'sAMLAssertion'") && !msg.contains("'abc'"),
        "{msg}"
    );
}

#[test]
fn policy_characters() {
    let mut r = assume("s1");
    r.policy = Some("{\"Version\":\"2012-10-17\"}\t\n".into());
    assert_eq!(ApiRequest::AssumeRole(r.clone()).validate(), Ok(()));
    r.policy = Some("{\u{100}}".into());
    let msg = message(ApiRequest::AssumeRole(r));
    assert!(msg.contains(r"[\u0009\u000A\u000D\u0020-\u00FF]+"), "{msg}");
}

#[test]
fn iam_enum_and_nested_names() {
    let r = SimulateCustomPolicyRequest {
        policy_input_list: vec!["{}".into()],
        action_names: vec!["s3:GetObject".into()],
        context_entries: vec![ContextEntry {
            context_key_name: Some("aws:SourceIp".into()),
            context_key_values: vec!["1.2.3.4".into()],
            context_key_type: Some("address".into()),
        }],
        max_items: Some(0),
        ..Default::default()
    };
    let msg = message(ApiRequest::SimulateCustomPolicy(r));
    assert!(msg.contains("Value 'address' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList,"), "{msg}");
    assert!(msg.contains("Value '0' at 'maxItems'"), "{msg}");
}

#[test]
fn char_classes() {
    use super::constraints::CharClass;
    assert!(CharClass::Tag.contains('\u{a0}'));
    assert!(CharClass::Tag.contains('日'));
    assert!(!CharClass::Tag.contains('\t'));
    assert!(CharClass::Arn.contains('\u{1F600}'));
    assert!(!CharClass::Arn.contains('\u{7f}'));
    assert!(!CharClass::Word("").contains('é'));
    assert!(!CharClass::Digit.contains('٣'));
}

/// The classes as the model's patterns define them, character by character (the reference for
/// the table-driven check of ASCII values).
fn in_class_reference(class: super::constraints::CharClass, c: char) -> bool {
    use super::constraints::CharClass;
    match class {
        CharClass::Arn => matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}'
            | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}'),
        CharClass::Word(extra) => c.is_ascii_alphanumeric() || c == '_' || extra.contains(c),
        CharClass::Tag => {
            c.is_alphabetic()
                || c.is_numeric()
                || matches!(
                    c,
                    ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                        ..='\u{200a}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{202f}'
                            | '\u{205f}'
                            | '\u{3000}'
                )
                || "_.:/=+-@".contains(c)
        }
        CharClass::Digit => c.is_ascii_digit(),
        CharClass::Policy => matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'),
        CharClass::Latin1 => matches!(c, '\u{20}'..='\u{ff}'),
    }
}

#[test]
fn patterns_agree_with_the_classes_for_every_ascii_and_sampled_other_characters() {
    use super::constraints::{CharClass, Pattern};
    let classes = [
        CharClass::Arn,
        CharClass::Word(""),
        CharClass::Word("+=,.@-"),
        CharClass::Word("+=,.@:/-"),
        CharClass::Word("é"),
        CharClass::Tag,
        CharClass::Digit,
        CharClass::Policy,
        CharClass::Latin1,
    ];
    let samples = (0u32..0x400)
        .chain([
            0x1680, 0x2000, 0x200a, 0x200b, 0x3000, 0x65e5, 0xd7ff, 0xe000, 0xfffd, 0xfffe,
        ])
        .chain([0x1_0000, 0x1_f600, 0x10_ffff])
        .filter_map(char::from_u32);
    for c in samples {
        for class in classes {
            let want = in_class_reference(class, c);
            assert_eq!(class.contains(c), want, "{class:?} {c:?}");
            let p = Pattern::new("model", class, false);
            assert_eq!(p.matches(&c.to_string()), want, "{class:?} {c:?}");
            // Inside ASCII text and inside text with a non-ASCII character.
            assert_eq!(
                p.matches(&format!("a1{c}")),
                want && p.matches("a1"),
                "{class:?} {c:?}"
            );
            assert_eq!(
                p.matches(&format!("{c}9")),
                want && p.matches("9"),
                "{class:?} {c:?}"
            );
        }
    }
    let plus = Pattern::new("model", CharClass::Digit, false);
    let star = Pattern::new("model", CharClass::Digit, true);
    assert!(!plus.matches("") && star.matches(""));
    assert!(plus.matches("0123456789") && !plus.matches("01234x6789"));
    assert!(!plus.matches("012345678\u{7f}") && !plus.matches("\u{7f}"));
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
    assert_eq!(
        null_member_error("tags", 0, "value"),
        Error::ValidationError("1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null".into())
    );
}
