//! AssumeRoleWithWebIdentity and AssumeRoleWithSAML through registered identity providers.
//!
//! The providers here are test stand-ins that accept tokens of the form `valid:<subject>`: token
//! verification itself (JWT, XML-DSig) is the plugins' business and tested there; these tests
//! cover what the engine does around it (provider lookup, trust policy, keys, durations, minting).

#[path = "engine_support/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::sync::Arc;

use harness::*;
use keyturn::{Error, ErrorCode};
use keyturn_core::idp::{FederatedIdentity, FederationKind, FederationRequest, IdentityProvider};

#[derive(Debug)]
struct StandIn(FederationKind);

impl IdentityProvider for StandIn {
    fn kind(&self) -> FederationKind {
        self.0
    }

    fn verify(&self, request: &FederationRequest) -> Result<FederatedIdentity, Error> {
        let subject = request
            .token
            .strip_prefix("valid:")
            .ok_or_else(|| Error::new(ErrorCode::InvalidIdentityToken, "bad token"))?;
        let provider = match &request.principal_arn {
            Some(arn) => request.providers.iter().find(|p| &p.arn == arn),
            None => request.providers.first(),
        }
        .ok_or_else(|| Error::new(ErrorCode::InvalidIdentityToken, "unknown provider"))?;
        let mut keys = BTreeMap::new();
        let (issuer, audience) = match self.0 {
            FederationKind::WebIdentity => {
                keys.insert("idp.example.com:sub".to_owned(), vec![subject.to_owned()]);
                keys.insert(
                    "idp.example.com:aud".to_owned(),
                    vec!["client-1".to_owned()],
                );
                ("https://idp.example.com".to_owned(), "client-1".to_owned())
            }
            FederationKind::Saml => {
                keys.insert(
                    "saml:aud".to_owned(),
                    vec!["https://signin.aws.amazon.com/saml".to_owned()],
                );
                (
                    "https://saml.example.com".to_owned(),
                    "https://signin.aws.amazon.com/saml".to_owned(),
                )
            }
        };
        Ok(FederatedIdentity {
            provider_arn: provider.arn.clone(),
            subject: subject.to_owned(),
            subject_type: (self.0 == FederationKind::Saml).then(|| "persistent".to_owned()),
            issuer,
            audience,
            condition_keys: keys,
            session_tags: vec![("dept".into(), "eng".into())],
            transitive_tag_keys: Vec::new(),
            source_identity: None,
            role_session_name: (self.0 == FederationKind::Saml).then(|| format!("{subject}-saml")),
            session_duration: (self.0 == FederationKind::Saml).then_some(1800),
            roles: Vec::new(),
            session_not_on_or_after: None,
            ..FederatedIdentity::default()
        })
    }
}

const YAML: &str = include_str!("fixtures/federation.yaml");

fn federated_harness() -> Harness {
    harness_with(
        YAML,
        vec![
            Arc::new(StandIn(FederationKind::WebIdentity)),
            Arc::new(StandIn(FederationKind::Saml)),
        ],
    )
}

fn web(token: &str) -> AssumeRoleWithWebIdentityRequest {
    AssumeRoleWithWebIdentityRequest {
        role_arn: "arn:aws:iam::111111111111:role/Web".into(),
        role_session_name: "web-session".into(),
        web_identity_token: token.into(),
        ..Default::default()
    }
}

#[test]
fn web_identity_through_the_trust_policy() {
    let h = federated_harness();
    let r = unsigned::<AssumeRoleWithWebIdentity>(&h, web("valid:alice"));
    let Ok(w) = r else { panic!("{r:?}") };
    let (Some(credentials), Some(user)) = (&w.credentials, &w.assumed_role_user) else {
        panic!("{w:?}")
    };
    assert_eq!(
        user.arn,
        "arn:aws:sts::111111111111:assumed-role/Web/web-session"
    );
    assert_eq!(w.subject_from_web_identity_token.as_deref(), Some("alice"));
    assert_eq!(w.provider.as_deref(), Some("https://idp.example.com"));
    assert_eq!(w.audience.as_deref(), Some("client-1"));
    assert_eq!(credentials.expiration.unix_timestamp(), T0 + 3600);
    assert!(
        w.packed_policy_size.is_some(),
        "the session tags are packed"
    );
    let me = identity_of(&h, &Creds::from_api(credentials));
    assert_eq!(me.arn, user.arn);
    // The trust policy's condition on the subject.
    let e = err(unsigned::<AssumeRoleWithWebIdentity>(
        &h,
        web("valid:mallory"),
    ));
    assert_eq!(
        e,
        Error::new(
            ErrorCode::AccessDenied,
            "Not authorized to perform sts:AssumeRoleWithWebIdentity"
        )
    );
    // The provider's own refusal passes through.
    assert_eq!(
        err(unsigned::<AssumeRoleWithWebIdentity>(&h, web("forged"))).code(),
        "InvalidIdentityToken"
    );
    // A role that does not exist.
    let r = unsigned::<AssumeRoleWithWebIdentity>(
        &h,
        AssumeRoleWithWebIdentityRequest {
            role_arn: "arn:aws:iam::111111111111:role/Nope".into(),
            ..web("valid:alice")
        },
    );
    assert_eq!(err(r).code(), "AccessDenied");
}

#[test]
fn saml_through_the_trust_policy() {
    let h = federated_harness();
    let req = AssumeRoleWithSAMLRequest {
        role_arn: "arn:aws:iam::111111111111:role/Saml".into(),
        principal_arn: "arn:aws:iam::111111111111:saml-provider/corp".into(),
        saml_assertion: "valid:bob".into(),
        ..Default::default()
    };
    let r = unsigned::<AssumeRoleWithSaml>(&h, req.clone());
    let Ok(s) = r else { panic!("{r:?}") };
    assert_eq!(
        s.assumed_role_user
            .as_ref()
            .map(|u| u.arn.as_str())
            .unwrap_or_default(),
        "arn:aws:sts::111111111111:assumed-role/Saml/bob-saml"
    );
    assert_eq!(s.subject.as_deref(), Some("bob"));
    assert_eq!(s.subject_type.as_deref(), Some("persistent"));
    assert_eq!(s.issuer.as_deref(), Some("https://saml.example.com"));
    // The SessionDuration attribute sets the lifetime.
    assert_eq!(
        s.credentials
            .as_ref()
            .map(|c| c.expiration.unix_timestamp()),
        Some(T0 + 1800)
    );
    // BASE64(SHA1(issuer + account + "/" + provider name)), computed with Python's hashlib.
    assert_eq!(
        s.name_qualifier.as_deref(),
        Some("+V6bHT/cbHZXjxxWvddFFRPwyas=")
    );
    // An undeclared provider.
    let mut other = req;
    other.principal_arn = "arn:aws:iam::111111111111:saml-provider/other".into();
    assert_eq!(
        err(unsigned::<AssumeRoleWithSaml>(&h, other)).code(),
        "InvalidIdentityToken"
    );
}

#[test]
fn web_identity_trust_sees_the_request_environment() {
    let h = federated_harness();
    let assume = |role: &str| {
        unsigned::<AssumeRoleWithWebIdentity>(
            &h,
            AssumeRoleWithWebIdentityRequest {
                role_arn: format!("arn:aws:iam::111111111111:role/{role}"),
                ..web("valid:alice")
            },
        )
    };
    // The harness's request comes from 192.0.2.10 over plain HTTP with `test-agent/1.0`.
    assert!(
        assume("WebFromOffice").is_ok(),
        "{:?}",
        assume("WebFromOffice")
    );
    assert_eq!(
        err(assume("WebFromElsewhere")),
        Error::new(
            ErrorCode::AccessDenied,
            "Not authorized to perform sts:AssumeRoleWithWebIdentity"
        )
    );
}
