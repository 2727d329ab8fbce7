//! The IAM identity-provider writes (issue 12): OpenID Connect and SAML providers created,
//! changed, tagged and deleted through IAM's API, and federation trusting them from the very
//! next request.
//!
//! Web identity runs the real OIDC verifier (`keyturn-oidc`, in process, with the fixture key
//! set of plugins/oidc/tests/fixtures configured for the issuer) against PyJWT-signed fixture
//! tokens; SAML runs a stand-in verifier (XML-DSig is the SAML plugin's business and runs end to
//! end in the boto3 test), which proves what the engine offers it.

use crate::support;

mod propagation;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;

use keyturn::api::SecretString;
use keyturn::api::iam::{
    AddClientIDToOpenIDConnectProviderRequest, CreateOpenIDConnectProviderRequest,
    CreateSAMLProviderRequest, DeleteOpenIDConnectProviderRequest, DeleteSAMLProviderRequest,
    GetOpenIDConnectProviderRequest, GetSAMLProviderRequest, ListOpenIDConnectProviderTagsRequest,
    ListOpenIDConnectProvidersRequest, ListSAMLProviderTagsRequest, ListSAMLProvidersRequest,
    RemoveClientIDFromOpenIDConnectProviderRequest, Tag, TagOpenIDConnectProviderRequest,
    TagSAMLProviderRequest, UntagOpenIDConnectProviderRequest, UntagSAMLProviderRequest,
    UpdateOpenIDConnectProviderThumbprintRequest, UpdateSAMLProviderRequest,
};
use keyturn::api::sts::{AssumeRoleWithSAMLRequest, AssumeRoleWithWebIdentityRequest};
use keyturn::ops::iam as op;
use keyturn::ops::sts::{AssumeRoleWithSaml, AssumeRoleWithWebIdentity};
use keyturn::ops::{self, Operation};
use keyturn::{Caller, Config, Engine, Error, ErrorCode, FixedClock, Runtime, RuntimeOptions};
use keyturn_core::iam::access_key_id_for_account;
use keyturn_core::idp::{FederatedIdentity, FederationKind, FederationRequest, IdentityProvider};
use keyturn_core::keyring::Keyring;
use keyturn_core::request::HttpParts;
use keyturn_plugin::{Plugin, PluginError, PluginFailure};

const ACCT: &str = "123456789012";
const SECRET: &str = "iam-providers-test-secret/000000";
/// The fixture tokens' clock (plugins/oidc/tests/fixtures/make_tokens.py).
const NOW: i64 = 1_800_000_000;
const ISSUER: &str = "https://idp.example.com/tenant";
const OIDC_ARN: &str = "arn:aws:iam::123456789012:oidc-provider/idp.example.com/tenant";
const SAML_ARN: &str = "arn:aws:iam::123456789012:saml-provider/Corp";
const WEB_ROLE: &str = "arn:aws:iam::123456789012:role/Web";
const SAML_ROLE: &str = "arn:aws:iam::123456789012:role/Saml";

/// A self-signed certificate (base64 DER) for the metadata documents.
const CERT: &str = include_str!("providers/cert.b64");
/// Three PKCS#8 RSA keys, for assertion encryption.
const KEYS: [&str; 3] = [
    include_str!("providers/k1.pem"),
    include_str!("providers/k2.pem"),
    include_str!("providers/k3.pem"),
];

fn key(n: u8) -> String {
    access_key_id_for_account("AKIA", ACCT, [n, 0, 0, 0, n]).expect("a key id")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../plugins/oidc/tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn token(name: &str) -> String {
    let text = std::fs::read_to_string(fixture("tokens.json")).expect("tokens.json");
    let tokens: serde_json::Value = serde_json::from_str(&text).expect("json");
    tokens[name].as_str().expect("a token").to_owned()
}

fn yaml() -> String {
    let head = support::world_head(ACCT, &key(1), SECRET);
    format!(
        r#"{head}    users:
{nobody}{tagger}        inline_policies:
          tag-web-only:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: iam:TagOpenIDConnectProvider
                Resource: "{OIDC_ARN}"
                Condition: {{StringEquals: {{"aws:RequestTag/team": web}}}}
    roles:
      - name: Web
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{Federated: "{OIDC_ARN}"}}
              Action: sts:AssumeRoleWithWebIdentity
              Condition: {{StringEquals: {{"idp.example.com/tenant:aud": client-1}}}}
      - name: Saml
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {{Federated: "{SAML_ARN}"}}
              Action: sts:AssumeRoleWithSAML
"#,
        nobody = support::user_entry("nobody", &key(2), SECRET),
        tagger = support::user_entry("tagger", &key(3), SECRET),
    )
}

/// The OIDC verifier of `keyturn-oidc`, in process, as the plugin would run it.
#[derive(Debug)]
struct Oidc(keyturn_oidc::OidcPlugin);

impl IdentityProvider for Oidc {
    fn kind(&self) -> FederationKind {
        FederationKind::WebIdentity
    }

    fn verify(&self, request: &FederationRequest) -> Result<FederatedIdentity, Error> {
        let wire = keyturn::plugins::to_wire(request);
        let result =
            keyturn_plugin::IdentityProvider::verify(&self.0, wire.clone()).map_err(|failure| {
                match failure {
                    PluginFailure::Rejected { code, message } => {
                        keyturn::plugins::from_plugin_error(
                            "oidc",
                            PluginError::Rejected { code, message },
                        )
                    }
                    other => Error::new(ErrorCode::InternalFailure, format!("{other:?}")),
                }
            })?;
        keyturn::plugins::from_wire(result, &wire, "oidc")
    }
}

/// Accepts `valid:<subject>` for the requested SAML provider if the engine offers it, with the
/// metadata it was offered.
#[derive(Debug)]
struct SamlStandIn;

impl IdentityProvider for SamlStandIn {
    fn kind(&self) -> FederationKind {
        FederationKind::Saml
    }

    fn verify(&self, request: &FederationRequest) -> Result<FederatedIdentity, Error> {
        let refuse = |text: &str| Error::new(ErrorCode::InvalidIdentityToken, text);
        let subject = request.token.strip_prefix("valid:").ok_or(refuse("bad"))?;
        // Only the requested provider is offered, and its private keys never show in Debug.
        let [offered] = request.providers.as_slice() else {
            return Err(refuse("more than the requested provider"));
        };
        if Some(&offered.arn) != request.principal_arn.as_ref() {
            return Err(refuse("not offered"));
        }
        if format!("{request:?}").contains("PRIVATE KEY") {
            return Err(refuse("a private key in Debug"));
        }
        // `valid:<subject>/<mode>/<keys>`: the encryption settings it expects to be offered.
        let (subject, encryption) = subject.split_once('/').unwrap_or((subject, "unset/0"));
        let mode = offered.settings["assertion_encryption_mode"]
            .as_str()
            .unwrap_or("unset");
        let keys = offered.settings["private_keys"]
            .as_array()
            .map_or(0, |keys| {
                keys.iter()
                    .filter(|k| k.as_str().is_some_and(|k| k.contains("PRIVATE KEY")))
                    .count()
            });
        if encryption != format!("{mode}/{keys}") {
            return Err(refuse(&format!("offered {mode}/{keys}")));
        }
        let metadata = offered.settings["metadata"].as_str().unwrap_or_default();
        if !metadata.contains("entityID=\"https://idp.keyturn.test/saml\"") {
            return Err(refuse("metadata not offered"));
        }
        Ok(FederatedIdentity {
            provider_arn: offered.arn.clone(),
            subject: subject.to_owned(),
            subject_type: Some("persistent".to_owned()),
            issuer: "https://idp.keyturn.test/saml".to_owned(),
            audience: "https://signin.aws.amazon.com/saml".to_owned(),
            role_session_name: Some(subject.to_owned()),
            ..FederatedIdentity::default()
        })
    }
}

struct World {
    engine: Arc<Engine>,
    _runtime: Runtime,
}

fn http() -> HttpParts<'static> {
    HttpParts {
        user_agent: Some("iam-providers-test"),
        ..HttpParts::post(&[], &[], IpAddr::V4(Ipv4Addr::LOCALHOST))
    }
}

impl World {
    fn new() -> Self {
        let config = Config::from_str(&yaml(), "providers.yaml").expect("config");
        let oidc = keyturn_oidc::OidcPlugin::create(serde_json::json!({
            "key_sets": {ISSUER: {"jwks_file": fixture("jwks.json")}}
        }))
        .expect("plugin");
        let now = time::OffsetDateTime::from_unix_timestamp(NOW).expect("time");
        let runtime = Runtime::with_options(
            &config,
            RuntimeOptions {
                clock: Some(Arc::new(FixedClock::new(now))),
                keyring: Some(Keyring::generate().expect("keyring")),
                identity_providers: vec![Arc::new(Oidc(oidc)), Arc::new(SamlStandIn)],
                ..RuntimeOptions::default()
            },
        )
        .expect("runtime");
        Self {
            engine: runtime.engine(),
            _runtime: runtime,
        }
    }

    fn caller(&self, n: u8) -> Caller {
        self.engine
            .authenticate_credentials(&key(n), SECRET, None, None)
            .expect("caller")
    }

    fn call<O: Operation>(&self, n: u8, input: O::Input) -> Result<O::Output, Error> {
        ops::invoke::<O>(&self.engine, Some(&self.caller(n)), &http(), input)
    }

    fn ok<O: Operation>(&self, input: O::Input) -> O::Output {
        self.call::<O>(1, input)
            .unwrap_or_else(|e| panic!("{}: {e}", std::any::type_name::<O>()))
    }

    /// The error as (code, message, HTTP status).
    fn err<O: Operation>(&self, input: O::Input) -> (String, String, u16) {
        match self.call::<O>(1, input) {
            Ok(_) => panic!("expected an error from {}", std::any::type_name::<O>()),
            Err(e) => parts(&e),
        }
    }

    fn web_identity(&self, token: &str) -> Result<String, Error> {
        let input = AssumeRoleWithWebIdentityRequest {
            role_arn: WEB_ROLE.to_owned(),
            role_session_name: "s".to_owned(),
            web_identity_token: SecretString::new(token),
            ..AssumeRoleWithWebIdentityRequest::default()
        };
        let out = ops::invoke::<AssumeRoleWithWebIdentity>(&self.engine, None, &http(), input)?;
        Ok(out.assumed_role_user.expect("user").arn)
    }

    fn saml(&self) -> Result<String, Error> {
        self.saml_with("valid:alice")
    }

    fn saml_with(&self, assertion: &str) -> Result<String, Error> {
        let input = AssumeRoleWithSAMLRequest {
            role_arn: SAML_ROLE.to_owned(),
            principal_arn: SAML_ARN.to_owned(),
            saml_assertion: SecretString::new(assertion),
            ..AssumeRoleWithSAMLRequest::default()
        };
        let out = ops::invoke::<AssumeRoleWithSaml>(&self.engine, None, &http(), input)?;
        Ok(out.assumed_role_user.expect("user").arn)
    }
}

fn parts(e: &Error) -> (String, String, u16) {
    (
        e.code().to_owned(),
        e.message().to_owned(),
        e.error_code().http_status(),
    )
}

fn expect(code: &str, message: &str, status: u16) -> (String, String, u16) {
    (code.to_owned(), message.to_owned(), status)
}

fn tags(pairs: &[(&str, &str)]) -> Vec<Tag> {
    pairs
        .iter()
        .map(|(k, v)| Tag {
            key: (*k).to_owned(),
            value: (*v).to_owned(),
        })
        .collect()
}

fn create_oidc(w: &World, url: &str) -> Result<String, Error> {
    let out = w.call::<op::CreateOpenIdConnectProvider>(
        1,
        CreateOpenIDConnectProviderRequest {
            url: url.to_owned(),
            client_id_list: Some(vec!["client-1".to_owned()]),
            thumbprint_list: Some(vec!["6938FD4D98BAB03FAADB97B34396831E3780AEA1".to_owned()]),
            tags: Some(tags(&[("team", "web")])),
            ..CreateOpenIDConnectProviderRequest::default()
        },
    )?;
    Ok(out.open_id_connect_provider_arn.expect("arn"))
}

fn metadata(valid_until: Option<&str>) -> String {
    let until = valid_until
        .map(|v| format!(" validUntil=\"{v}\""))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.keyturn.test/saml"{until}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.keyturn.test/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#,
        CERT.trim()
    )
}

fn create_saml(w: &World, document: String) -> Result<String, Error> {
    let out = w.call::<op::CreateSamlProvider>(
        1,
        CreateSAMLProviderRequest {
            name: "Corp".to_owned(),
            saml_metadata_document: document,
            tags: Some(tags(&[("team", "sso")])),
            ..CreateSAMLProviderRequest::default()
        },
    )?;
    Ok(out.saml_provider_arn.expect("arn"))
}

#[test]
fn an_oidc_provider_created_through_the_api_is_trusted_at_once_and_refused_once_deleted() {
    let w = World::new();
    let rs256 = token("rs256");
    let (code, message, status) = parts(&w.web_identity(&rs256).expect_err("no provider yet"));
    assert_eq!(
        (code.as_str(), status),
        ("InvalidIdentityToken", 400),
        "{message}"
    );
    assert_eq!(
        message,
        format!("No OpenIDConnect provider found in your account for {ISSUER}")
    );

    assert_eq!(create_oidc(&w, ISSUER).expect("created"), OIDC_ARN);
    let arn = w.web_identity(&rs256).expect("trusted on the next request");
    assert_eq!(arn, "arn:aws:sts::123456789012:assumed-role/Web/s");

    // The audience list is what the verifier checks, from the next request on.
    w.ok::<op::RemoveClientIdFromOpenIdConnectProvider>(
        RemoveClientIDFromOpenIDConnectProviderRequest {
            open_id_connect_provider_arn: OIDC_ARN.to_owned(),
            client_id: "client-1".to_owned(),
        },
    );
    let e = w.web_identity(&rs256).expect_err("audience removed");
    assert_eq!(
        parts(&e),
        expect("InvalidIdentityToken", "Incorrect token audience", 400)
    );
    w.ok::<op::AddClientIdToOpenIdConnectProvider>(AddClientIDToOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: OIDC_ARN.to_owned(),
        client_id: "client-1".to_owned(),
    });
    w.web_identity(&rs256).expect("audience back");

    w.ok::<op::DeleteOpenIdConnectProvider>(DeleteOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: OIDC_ARN.to_owned(),
    });
    let e = w.web_identity(&rs256).expect_err("deleted");
    assert_eq!(
        parts(&e),
        expect(
            "InvalidIdentityToken",
            &format!("No OpenIDConnect provider found in your account for {ISSUER}"),
            400
        )
    );
}

#[test]
fn create_oidc_provider_answers_and_refuses_as_iam() {
    let w = World::new();
    let out = w.ok::<op::CreateOpenIdConnectProvider>(CreateOpenIDConnectProviderRequest {
        url: ISSUER.to_owned(),
        client_id_list: Some(vec!["client-1".to_owned(), "client-1".to_owned()]),
        tags: Some(tags(&[("team", "web")])),
        ..CreateOpenIDConnectProviderRequest::default()
    });
    assert_eq!(out.open_id_connect_provider_arn.as_deref(), Some(OIDC_ARN));
    assert_eq!(out.tags, Some(tags(&[("team", "web")])));

    let got = w.ok::<op::GetOpenIdConnectProvider>(GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: OIDC_ARN.to_owned(),
    });
    assert_eq!(got.url.as_deref(), Some("idp.example.com/tenant"));
    assert_eq!(got.client_id_list, Some(vec!["client-1".to_owned()]));
    assert_eq!(got.thumbprint_list, Some(Vec::new()));
    assert_eq!(got.create_date.map(|d| d.unix_timestamp()), Some(NOW));
    assert_eq!(got.tags, Some(tags(&[("team", "web")])));
    let list = w.ok::<op::ListOpenIdConnectProviders>(ListOpenIDConnectProvidersRequest {});
    let arns: Vec<_> = list
        .open_id_connect_provider_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| e.arn)
        .collect();
    assert_eq!(arns, vec![OIDC_ARN.to_owned()]);

    let again = create_oidc(&w, ISSUER).expect_err("exists");
    assert_eq!(
        parts(&again),
        expect(
            "EntityAlreadyExists",
            &format!("Provider with url {ISSUER} already exists."),
            409
        )
    );
    // A trailing slash names the same provider.
    let slash = create_oidc(&w, &format!("{ISSUER}/")).expect_err("same ARN");
    assert_eq!(slash.code(), "EntityAlreadyExists");

    let bad = |url: &str| parts(&create_oidc(&w, url).expect_err(url));
    let plain = "Invalid Open ID Connect Provider URL";
    assert_eq!(bad("example.com"), expect("ValidationError", plain, 400));
    assert_eq!(bad("https://"), expect("ValidationError", plain, 400));
    let https = "Invalid Open ID Connect Provider URL. The URL must begin with https://.";
    assert_eq!(
        bad("http://example.com"),
        expect("InvalidInput", https, 400)
    );
    let dotted = "Invalid Open ID Connect Provider URL.";
    for url in [
        "https://example.com:8443",
        "https://user@example.com",
        "https://example.com?x=1",
        "https://example.com#f",
    ] {
        assert_eq!(bad(url), expect("InvalidInput", dotted, 400), "{url}");
    }

    let many = |n: usize, thumb: &str| CreateOpenIDConnectProviderRequest {
        url: "https://other.example.org".to_owned(),
        thumbprint_list: Some(vec![thumb.to_owned(); n]),
        ..CreateOpenIDConnectProviderRequest::default()
    };
    let e = w
        .call::<op::CreateOpenIdConnectProvider>(1, many(6, &"a".repeat(40)))
        .expect_err("six");
    assert_eq!(
        parts(&e),
        expect(
            "InvalidInput",
            "Thumbprint list must contain fewer than 5 entries.",
            400
        )
    );
    let e = w
        .call::<op::CreateOpenIdConnectProvider>(1, many(1, &"g".repeat(40)))
        .expect_err("not hex");
    assert_eq!(e.code(), "InvalidInput");
    let ids = (0..101).map(|i| format!("c{i}")).collect();
    let e = w
        .call::<op::CreateOpenIdConnectProvider>(
            1,
            CreateOpenIDConnectProviderRequest {
                url: "https://other.example.org".to_owned(),
                client_id_list: Some(ids),
                ..CreateOpenIDConnectProviderRequest::default()
            },
        )
        .expect_err("101 audiences");
    assert_eq!(
        parts(&e),
        expect(
            "LimitExceeded",
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100",
            409
        )
    );
    // Nothing refused was stored.
    let list = w.ok::<op::ListOpenIdConnectProviders>(ListOpenIDConnectProvidersRequest {});
    assert_eq!(list.open_id_connect_provider_list.map(|l| l.len()), Some(1));
}

#[test]
fn oidc_provider_updates_tags_and_missing_providers() {
    let w = World::new();
    create_oidc(&w, ISSUER).expect("created");
    let arn = || OIDC_ARN.to_owned();

    w.ok::<op::UpdateOpenIdConnectProviderThumbprint>(
        UpdateOpenIDConnectProviderThumbprintRequest {
            open_id_connect_provider_arn: arn(),
            thumbprint_list: vec!["B".repeat(40), "c".repeat(40)],
        },
    );
    let got = w.ok::<op::GetOpenIdConnectProvider>(GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: arn(),
    });
    assert_eq!(
        got.thumbprint_list,
        Some(vec!["b".repeat(40), "c".repeat(40)])
    );

    // Adding an audience twice, removing one it lacks: no error, no change.
    for _ in 0..2 {
        w.ok::<op::AddClientIdToOpenIdConnectProvider>(AddClientIDToOpenIDConnectProviderRequest {
            open_id_connect_provider_arn: arn(),
            client_id: "client-2".to_owned(),
        });
    }
    w.ok::<op::RemoveClientIdFromOpenIdConnectProvider>(
        RemoveClientIDFromOpenIDConnectProviderRequest {
            open_id_connect_provider_arn: arn(),
            client_id: "absent".to_owned(),
        },
    );
    let got = w.ok::<op::GetOpenIdConnectProvider>(GetOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: arn(),
    });
    assert_eq!(
        got.client_id_list,
        Some(vec!["client-1".to_owned(), "client-2".to_owned()])
    );

    w.ok::<op::TagOpenIdConnectProvider>(TagOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: arn(),
        tags: tags(&[("TEAM", "api"), ("env", "prod"), ("a", "1")]),
    });
    let page = w.ok::<op::ListOpenIdConnectProviderTags>(ListOpenIDConnectProviderTagsRequest {
        open_id_connect_provider_arn: arn(),
        max_items: Some(2),
        ..ListOpenIDConnectProviderTagsRequest::default()
    });
    assert_eq!(page.tags, tags(&[("TEAM", "api"), ("a", "1")]));
    assert_eq!(page.is_truncated, Some(true));
    let rest = w.ok::<op::ListOpenIdConnectProviderTags>(ListOpenIDConnectProviderTagsRequest {
        open_id_connect_provider_arn: arn(),
        marker: page.marker,
        ..ListOpenIDConnectProviderTagsRequest::default()
    });
    assert_eq!(rest.tags, tags(&[("env", "prod")]));
    assert_eq!(rest.is_truncated, Some(false));
    w.ok::<op::UntagOpenIdConnectProvider>(UntagOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: arn(),
        tag_keys: vec!["team".to_owned(), "nothing".to_owned()],
    });
    let all = w.ok::<op::ListOpenIdConnectProviderTags>(ListOpenIDConnectProviderTagsRequest {
        open_id_connect_provider_arn: arn(),
        ..ListOpenIDConnectProviderTagsRequest::default()
    });
    assert_eq!(all.tags, tags(&[("a", "1"), ("env", "prod")]));
    let e = w
        .call::<op::TagOpenIdConnectProvider>(
            1,
            TagOpenIDConnectProviderRequest {
                open_id_connect_provider_arn: arn(),
                tags: (0..49)
                    .map(|i| Tag {
                        key: format!("k{i}"),
                        value: String::new(),
                    })
                    .collect(),
            },
        )
        .expect_err("51 tags");
    assert_eq!(
        parts(&e),
        expect(
            "LimitExceeded",
            "The number of tags has reached the maximum limit of 50.",
            409
        )
    );

    let missing = "arn:aws:iam::123456789012:oidc-provider/nowhere.example.com";
    let no_such = expect(
        "NoSuchEntity",
        &format!("OpenIDConnect Provider not found for arn {missing}"),
        404,
    );
    // Idempotent, as IAM documents it: deleting a provider that does not exist succeeds.
    w.ok::<op::DeleteOpenIdConnectProvider>(DeleteOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: missing.to_owned(),
    });
    assert_eq!(
        w.err::<op::AddClientIdToOpenIdConnectProvider>(
            AddClientIDToOpenIDConnectProviderRequest {
                open_id_connect_provider_arn: missing.to_owned(),
                client_id: "x".to_owned(),
            }
        ),
        no_such
    );
    assert_eq!(
        w.err::<op::ListOpenIdConnectProviderTags>(ListOpenIDConnectProviderTagsRequest {
            open_id_connect_provider_arn: missing.to_owned(),
            ..ListOpenIDConnectProviderTagsRequest::default()
        }),
        no_such
    );
    let not_arn = "arn:aws:iam::123456789012:saml-provider/Corp";
    assert_eq!(
        w.err::<op::UntagOpenIdConnectProvider>(UntagOpenIDConnectProviderRequest {
            open_id_connect_provider_arn: not_arn.to_owned(),
            tag_keys: vec!["a".to_owned()],
        }),
        expect("InvalidInput", &format!("ARN {not_arn} is not valid."), 400)
    );
}

#[test]
fn provider_writes_are_authorized_on_the_provider_arn_with_tag_keys() {
    let w = World::new();
    let e = w
        .call::<op::CreateOpenIdConnectProvider>(
            2,
            CreateOpenIDConnectProviderRequest {
                url: ISSUER.to_owned(),
                ..CreateOpenIDConnectProviderRequest::default()
            },
        )
        .expect_err("nobody may create");
    assert_eq!(
        (e.code(), e.error_code().http_status()),
        ("AccessDenied", 403)
    );
    assert!(
        e.message().contains("iam:CreateOpenIDConnectProvider"),
        "{}",
        e.message()
    );
    assert!(e.message().contains(OIDC_ARN), "{}", e.message());
    create_oidc(&w, ISSUER).expect("root creates");
    let tag = |value: &str| TagOpenIDConnectProviderRequest {
        open_id_connect_provider_arn: OIDC_ARN.to_owned(),
        tags: tags(&[("team", value)]),
    };
    w.call::<op::TagOpenIdConnectProvider>(3, tag("web"))
        .expect("aws:RequestTag/team = web is allowed");
    let e = w
        .call::<op::TagOpenIdConnectProvider>(3, tag("ops"))
        .expect_err("another value is not");
    assert_eq!(e.code(), "AccessDenied");
}

#[test]
fn a_saml_provider_created_through_the_api_is_offered_at_once_and_refused_once_deleted() {
    let w = World::new();
    let refused =
        format!("SAML Provider {SAML_ARN} does not exist or is not authorized for this role");
    assert_eq!(
        parts(&w.saml().expect_err("none yet")),
        expect("InvalidIdentityToken", &refused, 400)
    );
    let out = w.ok::<op::CreateSamlProvider>(CreateSAMLProviderRequest {
        name: "Corp".to_owned(),
        saml_metadata_document: metadata(None),
        tags: Some(tags(&[("team", "sso")])),
        ..CreateSAMLProviderRequest::default()
    });
    assert_eq!(out.saml_provider_arn.as_deref(), Some(SAML_ARN));
    assert_eq!(out.tags, Some(tags(&[("team", "sso")])));
    assert_eq!(
        w.saml().expect("trusted on the next request"),
        "arn:aws:sts::123456789012:assumed-role/Saml/alice"
    );
    w.ok::<op::DeleteSamlProvider>(DeleteSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
    });
    assert_eq!(
        parts(&w.saml().expect_err("deleted")),
        expect("InvalidIdentityToken", &refused, 400)
    );
    assert_eq!(
        w.err::<op::DeleteSamlProvider>(DeleteSAMLProviderRequest {
            saml_provider_arn: SAML_ARN.to_owned(),
        }),
        expect(
            "NoSuchEntity",
            &format!("Manifest not found for arn {SAML_ARN}"),
            404
        )
    );
}

#[test]
fn a_saml_providers_encryption_mode_and_private_keys_reach_its_verifier() {
    let w = World::new();
    let first = include_str!("../../../../plugins/saml/tests/data/other-rsa2048.pem");
    w.ok::<op::CreateSamlProvider>(CreateSAMLProviderRequest {
        name: "Corp".to_owned(),
        saml_metadata_document: metadata(None),
        assertion_encryption_mode: Some("Required".to_owned()),
        add_private_key: Some(SecretString::new(first)),
        ..CreateSAMLProviderRequest::default()
    });
    assert_eq!(
        w.saml_with("valid:alice/Required/1").expect("offered"),
        "arn:aws:sts::123456789012:assumed-role/Saml/alice"
    );
    // The stand-in refuses what it was not offered: the check can fail.
    assert_eq!(
        parts(
            &w.saml_with("valid:alice/Allowed/1")
                .expect_err("not offered")
        ),
        expect("InvalidIdentityToken", "offered Required/1", 400)
    );
    let second = include_str!("../../../../plugins/saml/tests/data/second-rsa2048.pem");
    w.ok::<op::UpdateSamlProvider>(UpdateSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        assertion_encryption_mode: Some("Allowed".to_owned()),
        add_private_key: Some(SecretString::new(second)),
        ..UpdateSAMLProviderRequest::default()
    });
    w.saml_with("valid:alice/Allowed/2")
        .expect("both keys, on the next request");
}

#[test]
fn saml_metadata_is_checked_and_read_back() {
    let w = World::new();
    let unparsable = expect("InvalidInput", "Could not parse metadata", 400);
    let padding = format!("<!-- {} -->", "x".repeat(1000));
    for document in [
        format!("not xml {padding}"),
        format!(
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"e\">{padding}</md:EntityDescriptor>"
        ),
        metadata(None).replace("urn:oasis:names:tc:SAML:2.0:metadata", "urn:example"),
        metadata(None).replace(CERT.trim(), &"QUJD".repeat(300)),
        metadata(Some("next tuesday")),
    ] {
        assert_eq!(
            parts(&create_saml(&w, document.clone()).expect_err(&document)),
            unparsable,
            "{document}"
        );
    }

    create_saml(&w, metadata(Some("2031-01-02T03:04:05Z"))).expect("created");
    let again = create_saml(&w, metadata(None)).expect_err("exists");
    assert_eq!(
        parts(&again),
        expect(
            "EntityAlreadyExists",
            "SAMLProvider with name Corp already exists.",
            409
        )
    );
    let got = w.ok::<op::GetSamlProvider>(GetSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
    });
    assert_eq!(
        got.saml_metadata_document,
        Some(metadata(Some("2031-01-02T03:04:05Z")))
    );
    assert_eq!(got.create_date.map(|d| d.unix_timestamp()), Some(NOW));
    let until = time::macros::datetime!(2031-01-02 03:04:05 UTC);
    assert_eq!(got.valid_until, Some(until));
    assert_eq!(got.tags, Some(tags(&[("team", "sso")])));
    let uuid = got.saml_provider_uuid.expect("a uuid");
    assert!(
        uuid.len() >= 22
            && uuid
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    );
    assert_eq!(got.assertion_encryption_mode, None);
    assert_eq!(got.private_key_list, None);

    // New metadata without validUntil: valid for 100 years from now.
    w.ok::<op::UpdateSamlProvider>(UpdateSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        saml_metadata_document: Some(metadata(None)),
        ..UpdateSAMLProviderRequest::default()
    });
    let list = w.ok::<op::ListSamlProviders>(ListSAMLProvidersRequest {});
    let entry = list.saml_provider_list.unwrap_or_default().remove(0);
    let now = time::OffsetDateTime::from_unix_timestamp(NOW).expect("time");
    assert_eq!(entry.arn.as_deref(), Some(SAML_ARN));
    assert_eq!(
        entry.valid_until,
        Some(now.replace_year(now.year() + 100).expect("date"))
    );
    let bad = w
        .call::<op::UpdateSamlProvider>(
            1,
            UpdateSAMLProviderRequest {
                saml_provider_arn: SAML_ARN.to_owned(),
                saml_metadata_document: Some(format!("<x/>{padding}")),
                ..UpdateSAMLProviderRequest::default()
            },
        )
        .expect_err("bad metadata");
    assert_eq!(parts(&bad), unparsable);
}

#[test]
fn saml_private_keys_and_encryption_mode() {
    let w = World::new();
    let pem = |i: usize| Some(SecretString::new(KEYS[i]));
    let e = w
        .call::<op::CreateSamlProvider>(
            1,
            CreateSAMLProviderRequest {
                name: "Corp".to_owned(),
                saml_metadata_document: metadata(None),
                assertion_encryption_mode: Some("Required".to_owned()),
                ..CreateSAMLProviderRequest::default()
            },
        )
        .expect_err("Required without a key");
    assert_eq!(e.code(), "InvalidInput");
    w.ok::<op::CreateSamlProvider>(CreateSAMLProviderRequest {
        name: "Corp".to_owned(),
        saml_metadata_document: metadata(None),
        assertion_encryption_mode: Some("Required".to_owned()),
        add_private_key: pem(0),
        ..CreateSAMLProviderRequest::default()
    });
    let update = |add: Option<SecretString>, remove: Option<String>| UpdateSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        add_private_key: add,
        remove_private_key: remove,
        ..UpdateSAMLProviderRequest::default()
    };
    let out = w.ok::<op::UpdateSamlProvider>(update(pem(1), None));
    assert_eq!(out.saml_provider_arn.as_deref(), Some(SAML_ARN));
    let e = w
        .call::<op::UpdateSamlProvider>(1, update(pem(2), None))
        .expect_err("a third key");
    assert_eq!(
        (e.code(), e.error_code().http_status()),
        ("LimitExceeded", 409)
    );
    let e = w
        .call::<op::UpdateSamlProvider>(1, update(Some(SecretString::new("not a key")), None))
        .expect_err("not PEM");
    assert_eq!(e.code(), "InvalidInput");

    let got = w.ok::<op::GetSamlProvider>(GetSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
    });
    assert_eq!(got.assertion_encryption_mode.as_deref(), Some("Required"));
    let ids: Vec<String> = got
        .private_key_list
        .unwrap_or_default()
        .into_iter()
        .map(|k| {
            assert_eq!(k.timestamp.map(|t| t.unix_timestamp()), Some(NOW));
            k.key_id.expect("an id")
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|id| {
        id.len() >= 22
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }));
    assert_ne!(ids[0], ids[1]);

    w.ok::<op::UpdateSamlProvider>(update(None, Some(ids[0].clone())));
    let e = w
        .call::<op::UpdateSamlProvider>(1, update(None, Some(ids[1].clone())))
        .expect_err("Required keeps its last key");
    assert_eq!(e.code(), "InvalidInput");
    let e = w
        .call::<op::UpdateSamlProvider>(1, update(None, Some(ids[0].clone())))
        .expect_err("already removed");
    assert_eq!(e.code(), "InvalidInput");
    w.ok::<op::UpdateSamlProvider>(UpdateSAMLProviderRequest {
        assertion_encryption_mode: Some("Allowed".to_owned()),
        ..update(None, Some(ids[1].clone()))
    });
    let got = w.ok::<op::GetSamlProvider>(GetSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
    });
    assert_eq!(got.assertion_encryption_mode.as_deref(), Some("Allowed"));
    assert_eq!(got.private_key_list, None);
}

#[test]
fn saml_provider_tags() {
    let w = World::new();
    create_saml(&w, metadata(None)).expect("created");
    w.ok::<op::TagSamlProvider>(TagSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        tags: tags(&[("Team", "idp"), ("cost", "42")]),
    });
    let list = |w: &World| {
        w.ok::<op::ListSamlProviderTags>(ListSAMLProviderTagsRequest {
            saml_provider_arn: SAML_ARN.to_owned(),
            ..ListSAMLProviderTagsRequest::default()
        })
    };
    let got = list(&w);
    assert_eq!(got.tags, tags(&[("Team", "idp"), ("cost", "42")]));
    assert_eq!(got.is_truncated, Some(false));
    w.ok::<op::UntagSamlProvider>(UntagSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        tag_keys: vec!["COST".to_owned()],
    });
    assert_eq!(list(&w).tags, tags(&[("Team", "idp")]));
    let e = w.err::<op::TagSamlProvider>(TagSAMLProviderRequest {
        saml_provider_arn: SAML_ARN.to_owned(),
        tags: tags(&[("k", "1"), ("K", "2")]),
    });
    assert_eq!(
        e,
        expect(
            "InvalidInput",
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            400
        )
    );
    let missing = "arn:aws:iam::123456789012:saml-provider/Nope";
    assert_eq!(
        w.err::<op::ListSamlProviderTags>(ListSAMLProviderTagsRequest {
            saml_provider_arn: missing.to_owned(),
            ..ListSAMLProviderTagsRequest::default()
        }),
        expect(
            "NoSuchEntity",
            &format!("Manifest not found for arn {missing}"),
            404
        )
    );
}
