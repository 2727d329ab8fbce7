//! The generated character classes against the classes as the model's patterns define them,
//! character by character; the hand-written matchers of the other patterns.

use crate::constraints;
use crate::rt::{self, Check, Pattern};

fn pattern(c: &rt::Constraint) -> Pattern {
    c.pattern.unwrap_or_else(|| panic!("no pattern"))
}

fn word(c: char, extra: &str) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || extra.contains(c)
}

fn tag(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || matches!(
            c,
            ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
        )
        || "_.:/=+-@".contains(c)
}

/// A pattern and its class as the model's text defines it.
type Case = (Pattern, fn(char) -> bool);

fn classes() -> Vec<Case> {
    vec![
        (pattern(&constraints::ARN_TYPE), |c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}'
                | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..='\u{10ffff}')
        }),
        (pattern(&constraints::ACCESS_KEY_ID_TYPE), |c| word(c, "")),
        (pattern(&constraints::ROLE_SESSION_NAME_TYPE), |c| {
            word(c, "+=,.@-")
        }),
        (pattern(&constraints::EXTERNAL_ID_TYPE), |c| {
            word(c, "+=,.@:/-")
        }),
        (pattern(&constraints::SERIAL_NUMBER_TYPE), |c| {
            word(c, "+=/:,.@-")
        }),
        (pattern(&constraints::TAG_KEY_TYPE), tag),
        (pattern(&constraints::TOKEN_CODE_TYPE), |c| {
            c.is_ascii_digit()
        }),
        (
            pattern(&constraints::UNRESTRICTED_SESSION_POLICY_DOCUMENT_TYPE),
            |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'),
        ),
        (pattern(&constraints::MARKER_TYPE), |c| {
            matches!(c, '\u{20}'..='\u{ff}')
        }),
    ]
}

#[test]
fn classes_agree_with_the_model_text_for_every_ascii_and_sampled_other_characters() {
    let samples: Vec<char> = (0u32..0x400)
        .chain([
            0x1680, 0x2000, 0x200a, 0x200b, 0x3000, 0x65e5, 0xd7ff, 0xe000, 0xfffd, 0xfffe,
        ])
        .chain([0x1_0000, 0x1_f600, 0x10_ffff])
        .filter_map(char::from_u32)
        .collect();
    for (p, reference) in classes() {
        let Check::Class { class, allow_empty } = p.check else {
            panic!("{} is a class", p.model);
        };
        assert_eq!(allow_empty, p.model.ends_with('*'), "{}", p.model);
        for &c in &samples {
            let want = reference(c);
            assert_eq!(class.contains(c), want, "{} {c:?}", p.model);
            assert_eq!(p.matches(&c.to_string()), want, "{} {c:?}", p.model);
            // Inside ASCII text and inside text with a non-ASCII character.
            assert_eq!(
                p.matches(&format!("a1{c}")),
                want && p.matches("a1"),
                "{} {c:?}",
                p.model
            );
            assert_eq!(
                p.matches(&format!("{c}9")),
                want && p.matches("9"),
                "{} {c:?}",
                p.model
            );
        }
    }
    let plus = pattern(&constraints::MARKER_TYPE);
    let star = pattern(&constraints::TOKEN_CODE_TYPE);
    assert!(!plus.matches("") && star.matches(""));
    assert!(star.matches("0123456789") && !star.matches("01234x6789"));
    assert!(!star.matches("012345678\u{7f}") && !star.matches("\u{7f}"));
    assert!(!star.matches("٣"));
}

#[test]
fn custom_matchers() {
    assert!(rt::iam_path("/") && rt::iam_path("/a/b/") && !rt::iam_path("//"));
    assert!(!rt::iam_path("/a") && !rt::iam_path("a/") && !rt::iam_path("/é/"));
    assert!(rt::path_prefix("/") && rt::path_prefix("/ab/c") && !rt::path_prefix("ab"));
    assert!(!rt::path_prefix("/a b"));
    assert!(rt::policy_path("/") && rt::policy_path("/a/b-c/") && !rt::policy_path("//"));
    assert!(!rt::policy_path("/a") && !rt::policy_path("/a b/"));
    assert!(rt::policy_version_id("v1") && rt::policy_version_id("v10.a-B"));
    assert!(
        !rt::policy_version_id("v0") && !rt::policy_version_id("v") && !rt::policy_version_id("1")
    );
    assert!(rt::account_alias("my-alias1") && !rt::account_alias("my--alias"));
    assert!(!rt::account_alias("-ab") && !rt::account_alias("ab") && !rt::account_alias("Abc"));
    assert!(rt::web_identity_token_scope("a b") && !rt::web_identity_token_scope("a  b"));
    assert!(!rt::web_identity_token_scope("") && !rt::web_identity_token_scope("a,b"));
    assert!(rt::workload_identity_template_arn(
        "arn:aws:iam::111111111111:workload-identity-template/t1"
    ));
    assert!(rt::workload_identity_template_arn(
        "arn:aws:iam::o-abcdefghij:workload-identity-template/a/b"
    ));
    assert!(!rt::workload_identity_template_arn(
        "arn:aws:iam::11111111111:workload-identity-template/t1"
    ));
    assert!(!rt::workload_identity_template_arn(
        "arn::iam::111111111111:workload-identity-template/t1"
    ));
    // In a constraint: the input path prefix of ListRoles.
    assert!(
        constraints::PATH_PREFIX_TYPE
            .pattern
            .is_some_and(|p| matches!(p.check, Check::Custom(_)))
    );
}
