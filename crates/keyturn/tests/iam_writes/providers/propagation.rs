//! Trusted identity propagation: a context provider set on OIDC and SAML providers through
//! IAM's API (checked as IAM checks it, read back by the Get actions), and the
//! `TrustedIdentityPropagationContext` and session keys AssumeRoleWithWebIdentity and
//! AssumeRoleWithSAML derive from the verified token through it.

use super::*;
use keyturn::api::iam::{
    ContextProvider, ContextProviderKeyDefinition, UpdateOpenIDConnectProviderRequest,
};
use keyturn::api::sts::{AssumeRoleWithSAMLResponse, AssumeRoleWithWebIdentityResponse};

fn def(source: &str, target: Option<&str>) -> ContextProviderKeyDefinition {
    ContextProviderKeyDefinition {
        source_key: source.to_owned(),
        target_key: target.map(str::to_owned),
    }
}

/// Subject from `sub`, type `user`, the numeric claim `iat` as `issued` and `aud` as itself
/// (and a claim the tokens lack, which sets nothing).
fn web_context() -> ContextProvider {
    ContextProvider {
        subject_source_key: "sub".to_owned(),
        subject_type_value: Some("user".to_owned()),
        key_definition_list: Some(vec![
            def("iat", Some("issued")),
            def("aud", None),
            def("email", Some("mail")),
        ]),
        ..ContextProvider::default()
    }
}

fn create_with(w: &World, context: Option<ContextProvider>) -> Result<String, Error> {
    let out = w.call::<op::CreateOpenIdConnectProvider>(
        1,
        CreateOpenIDConnectProviderRequest {
            url: ISSUER.to_owned(),
            client_id_list: Some(vec!["client-1".to_owned()]),
            context_provider: context,
            ..CreateOpenIDConnectProviderRequest::default()
        },
    )?;
    Ok(out.open_id_connect_provider_arn.expect("arn"))
}

fn update(w: &World, input: UpdateOpenIDConnectProviderRequest) -> Result<(), Error> {
    w.call::<op::UpdateOpenIdConnectProvider>(
        1,
        UpdateOpenIDConnectProviderRequest {
            open_id_connect_provider_arn: OIDC_ARN.to_owned(),
            ..input
        },
    )
    .map(|_| ())
}

fn assume_web(w: &World, token: &str) -> Result<AssumeRoleWithWebIdentityResponse, Error> {
    let input = AssumeRoleWithWebIdentityRequest {
        role_arn: WEB_ROLE.to_owned(),
        role_session_name: "s".to_owned(),
        web_identity_token: SecretString::new(token),
        ..AssumeRoleWithWebIdentityRequest::default()
    };
    ops::invoke::<AssumeRoleWithWebIdentity>(&w.engine, None, &http(), input)
}

fn assume_saml(w: &World) -> Result<AssumeRoleWithSAMLResponse, Error> {
    let input = AssumeRoleWithSAMLRequest {
        role_arn: SAML_ROLE.to_owned(),
        principal_arn: SAML_ARN.to_owned(),
        saml_assertion: SecretString::new("valid:alice"),
        ..AssumeRoleWithSAMLRequest::default()
    };
    ops::invoke::<AssumeRoleWithSaml>(&w.engine, None, &http(), input)
}

/// The session context keys of the credentials in `out`, as a request of the session sees
/// them.
fn session_keys(w: &World, credentials: &keyturn::api::sts::Credentials) -> Vec<(String, String)> {
    let caller = w
        .engine
        .authenticate_credentials(
            &credentials.access_key_id,
            credentials.secret_access_key.expose(),
            Some(credentials.session_token.expose()),
            None,
        )
        .expect("the session authenticates");
    let session = caller.session.expect("a session");
    session.context.map(|c| c.keys).unwrap_or_default()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn an_oidc_providers_context_provider_is_stored_read_back_and_propagated() {
    let w = World::new();
    create_with(&w, Some(web_context())).expect("created");
    let got = w.ok::<op::GetOpenIdConnectProvider>(GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: OIDC_ARN.to_owned(),
    });
    assert_eq!(got.context_provider, Some(web_context()));
    assert_eq!(got.identity_center_instance_arn, None);

    let out = assume_web(&w, &token("rs256")).expect("assumed");
    let tip = out
        .trusted_identity_propagation_context
        .clone()
        .expect("a context");
    let origin = tip.origin_identity.expect("origin identity");
    let text = |s: &Option<SecretString>| s.as_ref().map(|s| s.expose().to_owned());
    assert_eq!(text(&origin.subject).as_deref(), Some("user-123"));
    assert_eq!(text(&origin.subject_type).as_deref(), Some("user"));
    assert_eq!(
        text(&origin.issuer).as_deref(),
        Some("idp.example.com/tenant")
    );
    assert_eq!(origin.federated_provider_arn.as_deref(), Some(OIDC_ARN));
    let transaction: Vec<(String, String)> = tip
        .transaction_context
        .and_then(|t| t.identity_provider)
        .expect("transaction context")
        .into_iter()
        .map(|(k, v)| (k, v.expose().to_owned()))
        .collect();
    assert_eq!(
        transaction,
        pairs(&[("issued", "1799999990"), ("aud", "client-1")])
    );
    // The session carries the same keys into every request it signs.
    assert_eq!(
        session_keys(&w, out.credentials.as_ref().expect("credentials")),
        pairs(&[
            ("aws:OriginIdentity/Subject", "user-123"),
            ("aws:OriginIdentity/SubjectType", "user"),
            ("aws:OriginIdentity/Issuer", "idp.example.com/tenant"),
            ("aws:OriginIdentity/FederatedProviderArn", OIDC_ARN),
            (
                "aws:TransactionContext/IdentityProvider/issued",
                "1799999990"
            ),
            ("aws:TransactionContext/IdentityProvider/aud", "client-1"),
        ])
    );

    // The subject type from a claim the token lacks: no SubjectType; a subject claim it lacks:
    // refused.
    let from_claim = ContextProvider {
        subject_type_value: None,
        subject_type_source_key: Some("typ".to_owned()),
        key_definition_list: None,
        ..web_context()
    };
    update(
        &w,
        UpdateOpenIDConnectProviderRequest {
            context_provider: Some(from_claim),
            ..UpdateOpenIDConnectProviderRequest::default()
        },
    )
    .expect("updated");
    let out = assume_web(&w, &token("rs256")).expect("assumed");
    let origin = out
        .trusted_identity_propagation_context
        .and_then(|t| t.origin_identity)
        .expect("origin identity");
    assert!(origin.subject_type.is_none());
    let by_email = ContextProvider {
        subject_source_key: "email".to_owned(),
        ..web_context()
    };
    update(
        &w,
        UpdateOpenIDConnectProviderRequest {
            context_provider: Some(by_email),
            ..UpdateOpenIDConnectProviderRequest::default()
        },
    )
    .expect("updated");
    assert_eq!(
        parts(&assume_web(&w, &token("rs256")).expect_err("no email claim")),
        expect(
            "InvalidIdentityToken",
            "The claim email that the identity provider's context provider maps as the subject is missing.",
            400
        )
    );
    // A claim with several values cannot be one key's value.
    let by_amr = ContextProvider {
        key_definition_list: Some(vec![def("amr", None)]),
        ..web_context()
    };
    update(
        &w,
        UpdateOpenIDConnectProviderRequest {
            context_provider: Some(by_amr),
            ..UpdateOpenIDConnectProviderRequest::default()
        },
    )
    .expect("updated");
    w.call::<op::AddClientIdToOpenIdConnectProvider>(
        1,
        AddClientIDToOpenIDConnectProviderRequest {
            open_id_connect_provider_arn: OIDC_ARN.to_owned(),
            client_id: "client-2".to_owned(),
        },
    )
    .expect("client added");
    let (code, message, _) = parts(&assume_web(&w, &token("aud_list")).expect_err("two amr"));
    assert_eq!(code, "InvalidIdentityToken");
    assert!(
        message.contains("claim amr") && message.contains("more than one value"),
        "{message}"
    );

    // Removed: Get has none, and the response no context.
    update(
        &w,
        UpdateOpenIDConnectProviderRequest {
            remove_context_provider: Some(true),
            ..UpdateOpenIDConnectProviderRequest::default()
        },
    )
    .expect("removed");
    let got = w.ok::<op::GetOpenIdConnectProvider>(GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: OIDC_ARN.to_owned(),
    });
    assert_eq!(got.context_provider, None);
    let out = assume_web(&w, &token("rs256")).expect("assumed");
    assert!(out.trusted_identity_propagation_context.is_none());
    assert!(session_keys(&w, out.credentials.as_ref().expect("credentials")).is_empty());
}

#[test]
fn context_providers_are_checked_as_iam_checks_them() {
    let w = World::new();
    let invalid = |message: &str| expect("InvalidInput", message, 400);
    let both = ContextProvider {
        subject_type_source_key: Some("typ".to_owned()),
        ..web_context()
    };
    assert_eq!(
        parts(&create_with(&w, Some(both)).expect_err("both types")),
        invalid("Specify either SubjectTypeValue or SubjectTypeSourceKey, not both.")
    );
    let bad_key = ContextProvider {
        subject_source_key: "two  spaces".to_owned(),
        ..web_context()
    };
    let (code, message, _) = parts(&create_with(&w, Some(bad_key)).expect_err("bad key"));
    assert_eq!(code, "InvalidInput");
    assert!(
        message.starts_with("SubjectSourceKey `two  spaces` is not valid"),
        "{message}"
    );
    let duplicate = ContextProvider {
        key_definition_list: Some(vec![def("a", Some("x")), def("b", Some("X"))]),
        ..web_context()
    };
    assert_eq!(
        parts(&create_with(&w, Some(duplicate)).expect_err("duplicate target")),
        invalid("KeyDefinitionList maps more than one key to the target key X.")
    );
    // The model's bound: ten key definitions.
    let eleven = ContextProvider {
        key_definition_list: Some((0..11).map(|i| def(&format!("c{i}"), None)).collect()),
        ..web_context()
    };
    assert_eq!(
        parts(&create_with(&w, Some(eleven)).expect_err("eleven")),
        invalid("KeyDefinitionList must contain at most 10 key definitions.")
    );
    // An Identity Center instance cannot be served without Identity Center.
    let (code, message, _) = parts(
        &w.call::<op::CreateOpenIdConnectProvider>(
            1,
            CreateOpenIDConnectProviderRequest {
                url: ISSUER.to_owned(),
                context_provider: Some(web_context()),
                identity_center_instance_arn: Some(
                    "arn:aws:sso:::instance/ssoins-1234567890abcdef".to_owned(),
                ),
                ..CreateOpenIDConnectProviderRequest::default()
            },
        )
        .expect_err("identity center"),
    );
    assert_eq!(code, "InvalidInput");
    assert!(message.contains("IdentityCenterInstanceArn"), "{message}");
    // Nothing was created by the refusals.
    create_with(&w, None).expect("created");
    assert_eq!(
        parts(
            &update(
                &w,
                UpdateOpenIDConnectProviderRequest {
                    context_provider: Some(web_context()),
                    remove_context_provider: Some(true),
                    ..UpdateOpenIDConnectProviderRequest::default()
                },
            )
            .expect_err("set and remove")
        ),
        invalid("Specify either ContextProvider or RemoveContextProvider, not both.")
    );
    assert_eq!(
        parts(
            &w.call::<op::UpdateOpenIdConnectProvider>(
                1,
                UpdateOpenIDConnectProviderRequest {
                    open_id_connect_provider_arn: format!("{OIDC_ARN}/other"),
                    context_provider: Some(web_context()),
                    ..UpdateOpenIDConnectProviderRequest::default()
                },
            )
            .expect_err("no such provider")
        )
        .0,
        "NoSuchEntity"
    );
}

#[test]
fn a_saml_providers_context_provider_maps_the_name_id_and_excludes_metadata_changes() {
    let w = World::new();
    let context = ContextProvider {
        subject_source_key: "Subject/NameID".to_owned(),
        subject_type_value: Some("workload".to_owned()),
        ..ContextProvider::default()
    };
    let out = w.ok::<op::CreateSamlProvider>(CreateSAMLProviderRequest {
        name: "Corp".to_owned(),
        saml_metadata_document: metadata(None),
        context_provider: Some(context.clone()),
        ..CreateSAMLProviderRequest::default()
    });
    assert_eq!(out.saml_provider_arn.as_deref(), Some(SAML_ARN));
    let got = w.ok::<op::GetSamlProvider>(GetSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
    });
    assert_eq!(got.context_provider, Some(context.clone()));
    let out = assume_saml(&w).expect("assumed");
    let origin = out
        .trusted_identity_propagation_context
        .and_then(|t| t.origin_identity)
        .expect("origin identity");
    assert_eq!(
        origin.subject.map(|s| s.expose().to_owned()).as_deref(),
        Some("alice")
    );
    assert_eq!(origin.federated_provider_arn.as_deref(), Some(SAML_ARN));
    // The stand-in verifier reports no signing key: no Issuer rather than a wrong one.
    assert!(origin.issuer.is_none());

    // One request changes the context provider or the metadata, not both.
    let (code, message, _) = parts(
        &w.call::<op::UpdateSamlProvider>(
            1,
            UpdateSAMLProviderRequest {
                saml_provider_arn: SAML_ARN.to_owned(),
                saml_metadata_document: Some(metadata(None)),
                remove_context_provider: Some(true),
                ..UpdateSAMLProviderRequest::default()
            },
        )
        .expect_err("both kinds"),
    );
    assert_eq!(code, "InvalidInput");
    assert!(message.contains("not both"), "{message}");
    w.ok::<op::UpdateSamlProvider>(UpdateSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        remove_context_provider: Some(true),
        ..UpdateSAMLProviderRequest::default()
    });
    let got = w.ok::<op::GetSamlProvider>(GetSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
    });
    assert_eq!(got.context_provider, None);
    assert!(
        assume_saml(&w)
            .expect("assumed")
            .trusted_identity_propagation_context
            .is_none()
    );
}
