//! Every response document is well-formed XML 1.0, whatever the strings in it: a property test
//! over the whole writer (error documents, success documents of generated outputs with nested
//! structures, lists and maps), with a real XML parser (roxmltree) as the oracle. Characters XML
//! 1.0 can carry read back as they were written; the others read back as U+FFFD.

use proptest::prelude::*;
use time::macros::datetime;

use crate::iam::{
    EvaluationResult, ResourceSpecificResult, Role, SimulatePolicyResponse, Statement, Tag,
};
use crate::sts::{AssumeRoleWithWebIdentityResponse, AssumedRoleUser, Credentials};
use crate::{ErrorCode, Service, error_document_with, response_document};

/// XML 1.0's `Char` production.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// What `s` reads back as from a document.
fn carried(s: &str) -> String {
    s.chars()
        .map(|c| if xml_char(c) { c } else { '\u{fffd}' })
        .collect()
}

/// Strings rich in what matters here: C0 controls, markup, CR, U+FFFE/U+FFFF, U+FFFD, DEL and
/// C1 controls (which XML 1.0 allows), astral characters, `]]>`, and any character at all.
fn text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
        prop::sample::select(vec![
            '&',
            '<',
            '>',
            '"',
            '\'',
            ']',
            '\r',
            '\u{7f}',
            '\u{85}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{fffd}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{10000}',
            '\u{10ffff}',
            'é',
            '日',
        ]),
        any::<char>(),
        "[a-z]".prop_map(|s| s.chars().next().unwrap_or('a')),
    ];
    prop::collection::vec(c, 0..24).prop_map(|v| v.into_iter().collect())
}

/// Parses `doc` after checking that every character of it is one XML 1.0 allows.
fn parse(doc: &str) -> roxmltree::Document<'_> {
    if let Some(bad) = doc.chars().find(|&c| !xml_char(c)) {
        panic!("{bad:?} in the document: {doc:?}");
    }
    roxmltree::Document::parse(doc).unwrap_or_else(|e| panic!("{e}: {doc:?}"))
}

/// The texts of the elements named `name`, in document order.
fn texts(doc: &roxmltree::Document<'_>, name: &str) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name(name))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// An error document: message, encoded message and request id.
    #[test]
    fn error_documents_are_well_formed(message in text(), encoded in text(), id in text()) {
        for service in [Service::Sts, Service::Iam] {
            let doc = error_document_with(
                service,
                ErrorCode::ValidationError,
                &message,
                [("EncodedAuthorizationMessage", encoded.as_str())],
                &id,
            );
            let parsed = parse(&doc);
            prop_assert_eq!(texts(&parsed, "Message"), vec![carried(&message)]);
            prop_assert_eq!(texts(&parsed, "EncodedAuthorizationMessage"), vec![carried(&encoded)]);
            prop_assert_eq!(texts(&parsed, "RequestId"), vec![carried(&id)]);
            prop_assert_eq!(texts(&parsed, "Code"), vec!["ValidationError".to_owned()]);
        }
    }

    /// A federation answer: the token's subject, provider and audience come from the sender.
    #[test]
    fn web_identity_answers_are_well_formed(
        sub in text(), provider in text(), audience in text(), source in text(), id in text(),
    ) {
        let out = AssumeRoleWithWebIdentityResponse {
            credentials: Some(Credentials {
                access_key_id: "ASIAEXAMPLE".into(),
                secret_access_key: "s3cr3t".into(),
                session_token: "tok+/=".into(),
                expiration: datetime!(2026-12-06 12:00:00 UTC),
            }),
            assumed_role_user: Some(AssumedRoleUser {
                assumed_role_id: format!("AROAEXAMPLE:{sub}"),
                arn: format!("arn:aws:sts::111111111111:assumed-role/r/{sub}"),
            }),
            subject_from_web_identity_token: Some(sub.clone()),
            provider: Some(provider.clone()),
            audience: Some(audience.clone()),
            source_identity: Some(source.clone()),
            packed_policy_size: Some(3),
            ..Default::default()
        };
        let doc = response_document(Service::Sts, "AssumeRoleWithWebIdentity", &out, &id);
        let parsed = parse(&doc);
        prop_assert_eq!(texts(&parsed, "SubjectFromWebIdentityToken"), vec![carried(&sub)]);
        prop_assert_eq!(texts(&parsed, "Provider"), vec![carried(&provider)]);
        prop_assert_eq!(texts(&parsed, "Audience"), vec![carried(&audience)]);
        prop_assert_eq!(texts(&parsed, "SourceIdentity"), vec![carried(&source)]);
        prop_assert_eq!(
            texts(&parsed, "AssumedRoleId"),
            vec![carried(&format!("AROAEXAMPLE:{sub}"))]
        );
        prop_assert_eq!(texts(&parsed, "RequestId"), vec![carried(&id)]);
    }

    /// A simulation: action names, resource ARNs and context keys echo the request, in nested
    /// lists and maps.
    #[test]
    fn simulation_answers_are_well_formed(
        actions in prop::collection::vec(text(), 1..4),
        resource in text(),
        key in text(),
        detail in (text(), text()),
        policy_id in text(),
    ) {
        let results = actions
            .iter()
            .map(|a| EvaluationResult {
                eval_action_name: a.clone(),
                eval_resource_name: Some(resource.clone()),
                eval_decision: "implicitDeny".into(),
                missing_context_values: Some(vec![key.clone()]),
                eval_decision_details: Some(vec![detail.clone()]),
                matched_statements: Some(vec![Statement {
                    source_policy_id: Some(policy_id.clone()),
                    ..Default::default()
                }]),
                resource_specific_results: Some(vec![ResourceSpecificResult {
                    eval_resource_name: resource.clone(),
                    eval_resource_decision: "allowed".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            })
            .collect();
        let out = SimulatePolicyResponse {
            evaluation_results: Some(results),
            is_truncated: Some(false),
            ..Default::default()
        };
        let doc = response_document(Service::Iam, "SimulateCustomPolicy", &out, "r");
        let parsed = parse(&doc);
        let want: Vec<String> = actions.iter().map(|a| carried(a)).collect();
        prop_assert_eq!(texts(&parsed, "EvalActionName"), want);
        let n = actions.len();
        // One per result and one per resource-specific result.
        prop_assert_eq!(texts(&parsed, "EvalResourceName"), vec![carried(&resource); 2 * n]);
        prop_assert_eq!(texts(&parsed, "key"), vec![carried(&detail.0); n]);
        prop_assert_eq!(texts(&parsed, "value"), vec![carried(&detail.1); n]);
        prop_assert_eq!(texts(&parsed, "SourcePolicyId"), vec![carried(&policy_id); n]);
        let missing: Vec<String> = parsed
            .descendants()
            .filter(|n| n.has_tag_name("MissingContextValues"))
            .flat_map(|n| n.children().filter(|c| c.has_tag_name("member")))
            .map(|m| m.text().unwrap_or_default().to_owned())
            .collect();
        prop_assert_eq!(missing, vec![carried(&key); n]);
    }

    /// A list of roles with the texts IAM stores from requests (description, tags, path).
    #[test]
    fn stored_texts_are_well_formed(description in text(), tag in (text(), text())) {
        let role = Role {
            path: "/".into(),
            role_name: "r".into(),
            role_id: "AROAEXAMPLE".into(),
            arn: "arn:aws:iam::111111111111:role/r".into(),
            create_date: datetime!(2026-12-06 12:00:00 UTC),
            description: Some(description.clone()),
            tags: Some(vec![Tag { key: tag.0.clone(), value: tag.1.clone() }]),
            ..Default::default()
        };
        let out = crate::iam::ListRolesResponse {
            roles: vec![role],
            is_truncated: Some(false),
            ..Default::default()
        };
        let doc = response_document(Service::Iam, "ListRoles", &out, "r");
        let parsed = parse(&doc);
        prop_assert_eq!(texts(&parsed, "Description"), vec![carried(&description)]);
        prop_assert_eq!(texts(&parsed, "Key"), vec![carried(&tag.0)]);
        prop_assert_eq!(texts(&parsed, "Value"), vec![carried(&tag.1)]);
    }
}

/// The oracle itself: the parser refuses what the writer must never produce, so the properties
/// above can fail.
#[test]
fn the_oracle_refuses_what_xml_cannot_carry() {
    for raw in ["\u{1}", "\u{fffe}", "\u{ffff}", "\u{1b}", "<", "&"] {
        let doc = format!("<a>{raw}</a>");
        assert!(roxmltree::Document::parse(&doc).is_err(), "{raw:?}");
    }
    for ok in ["\t", "\n", "\u{85}", "\u{7f}", "\u{fffd}", "\u{10ffff}"] {
        let doc = format!("<a>{ok}</a>");
        assert_eq!(
            roxmltree::Document::parse(&doc)
                .ok()
                .and_then(|d| d.root_element().text().map(str::to_owned)),
            Some(ok.to_owned()),
            "{ok:?}"
        );
    }
}
