//! IAM workload identity through the facade: providers (both scopes, their tags, resource
//! policies, deletion tasks), X.509 outbound signers on Keyturn's stand-in certificate
//! authorities (attach, the signing delay, rotation, cancel and re-time, disable, enable,
//! delete, the slot's capacity, listing with markers), templates (patterns, attestation
//! policies, filters, tags), authorization, and the configuration and export of the entities.

#![allow(
    clippy::panic,
    reason = "test helpers: an unexpected answer aborts the test"
)]

#[path = "engine_support/harness.rs"]
mod harness;

use harness::*;
use keyturn::api::iam::{
    CreateWorkloadIdentityProviderOutboundSignerRequest, CreateWorkloadIdentityProviderRequest,
    CreateWorkloadIdentityTemplateRequest, DeleteWorkloadIdentityProviderOutboundSignerRequest,
    DeleteWorkloadIdentityProviderRequest, DeleteWorkloadIdentityProviderResourcePolicyRequest,
    DeleteWorkloadIdentityTemplateAttestationPolicyRequest, DeleteWorkloadIdentityTemplateRequest,
    DisableWorkloadIdentityProviderOutboundSignerRequest,
    EnableWorkloadIdentityProviderOutboundSignerRequest,
    GetWorkloadIdentityProviderDeletionStatusRequest, GetWorkloadIdentityProviderRequest,
    GetWorkloadIdentityProviderResourcePolicyRequest,
    GetWorkloadIdentityTemplateAttestationPolicyRequest, GetWorkloadIdentityTemplateRequest,
    ListWorkloadIdentityProviderOutboundSignersRequest, ListWorkloadIdentityProviderTagsRequest,
    ListWorkloadIdentityProvidersRequest, ListWorkloadIdentityTemplateTagsRequest,
    ListWorkloadIdentityTemplatesRequest, PutWorkloadIdentityProviderResourcePolicyRequest,
    PutWorkloadIdentityTemplateAttestationPolicyRequest, Tag, TagWorkloadIdentityProviderRequest,
    TagWorkloadIdentityTemplateRequest, UntagWorkloadIdentityProviderRequest,
    UpdateWorkloadIdentityProviderOutboundSignerRequest,
    WorkloadIdentityOutboundSignerConfiguration, WorkloadIdentityPrivateCa,
    WorkloadIdentityTemplateDefinitionType,
};
use keyturn::ops::iam::{
    CreateWorkloadIdentityProvider, CreateWorkloadIdentityProviderOutboundSigner,
    CreateWorkloadIdentityTemplate, DeleteWorkloadIdentityProvider,
    DeleteWorkloadIdentityProviderOutboundSigner, DeleteWorkloadIdentityProviderResourcePolicy,
    DeleteWorkloadIdentityTemplate, DeleteWorkloadIdentityTemplateAttestationPolicy,
    DisableWorkloadIdentityProviderOutboundSigner, EnableWorkloadIdentityProviderOutboundSigner,
    GetWorkloadIdentityProvider, GetWorkloadIdentityProviderDeletionStatus,
    GetWorkloadIdentityProviderResourcePolicy, GetWorkloadIdentityTemplate,
    GetWorkloadIdentityTemplateAttestationPolicy, ListWorkloadIdentityProviderOutboundSigners,
    ListWorkloadIdentityProviderTags, ListWorkloadIdentityProviders,
    ListWorkloadIdentityTemplateTags, ListWorkloadIdentityTemplates,
    PutWorkloadIdentityProviderResourcePolicy, PutWorkloadIdentityTemplateAttestationPolicy,
    TagWorkloadIdentityProvider, TagWorkloadIdentityTemplate, UntagWorkloadIdentityProvider,
    UpdateWorkloadIdentityProviderOutboundSigner,
};
use keyturn::{Clock as _, Error};
use keyturn_core::iam::workload::SignerStatus;
use time::Duration;

const ORG: &str = "o-abcdef1234";
const MGMT: &str = "111111111111";
const MEMBER: &str = "222222222222";
const PATTERN: &str = "{aws:WorkloadAttestation/aws/eks/ClusterName}/prod/{aws:WorkloadAttestation/aws/eks/Namespace}";
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:IssueWorkloadIdentityContext","Resource":"*","Condition":{"StringEquals":{"aws:WorkloadAttestation/aws/eks/ClusterName":"prod"}}}]}"#;
const RESOURCE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"iam:AssociateWorkloadIdentityTemplate","Resource":"*"}]}"#;

/// Account 111111111111 (admin: iam:*; viewer: reads only), the management account of the
/// organization, with CAs ca-p256 and ca-p256-b (EC_prime256v1), ca-p384 (EC_secp384r1) and
/// ca-off (DISABLED); member 222222222222 (admin2: iam:*).
fn world() -> Harness {
    let yaml = format!(
        r#"
store: {{memory: true}}
accounts:
  - id: "{MGMT}"
    users:
      - name: admin
        access_keys: [{{id: {a1}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "iam:*", Resource: "*"}}]}}
      - name: viewer
        access_keys: [{{id: {a2}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: ["iam:Get*", "iam:List*"], Resource: "*"}}]}}
    private_certificate_authorities:
      - {{id: ca-p256, key_algorithm: EC_prime256v1}}
      - {{id: ca-p256-b, key_algorithm: EC_prime256v1}}
      - {{id: ca-p384, key_algorithm: EC_secp384r1}}
      - {{id: ca-off, key_algorithm: EC_prime256v1, status: DISABLED}}
  - id: "{MEMBER}"
    users:
      - name: admin2
        access_keys: [{{id: {m1}, secret: "{ALICE_SECRET}"}}]
        inline_policies:
          p: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "iam:*", Resource: "*"}}]}}
organization:
  id: {ORG}
  management_account: "{MGMT}"
  root:
    id: r-ab12
    accounts: ["{MEMBER}"]
"#,
        a1 = key_id(MGMT, 1),
        a2 = key_id(MGMT, 2),
        m1 = key_id(MEMBER, 1),
    );
    harness(&yaml)
}

fn admin() -> Creds {
    Creds::long_term(&key_id(MGMT, 1), ALICE_SECRET)
}
fn viewer() -> Creds {
    Creds::long_term(&key_id(MGMT, 2), ALICE_SECRET)
}
fn member() -> Creds {
    Creds::long_term(&key_id(MEMBER, 1), ALICE_SECRET)
}

fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: k.to_owned(),
        value: v.to_owned(),
    }
}

fn provider_input(name: &str) -> CreateWorkloadIdentityProviderRequest {
    CreateWorkloadIdentityProviderRequest {
        provider_name: name.to_owned(),
        scheme: "SPIFFE".to_owned(),
        workload_identity_domain: Some("payments.example.org".to_owned()),
        description: Some("Payments".to_owned()),
        tags: Some(vec![tag("team", "payments")]),
        ..Default::default()
    }
}

fn create_provider(h: &Harness, name: &str) -> String {
    match call::<CreateWorkloadIdentityProvider>(h, &admin(), provider_input(name)) {
        Ok(r) => r.arn,
        Err(e) => panic!("CreateWorkloadIdentityProvider: {e:?}"),
    }
}

fn ca(id: &str, account: &str) -> WorkloadIdentityOutboundSignerConfiguration {
    WorkloadIdentityOutboundSignerConfiguration {
        x509: Some(WorkloadIdentityPrivateCa {
            certificate_authority_id: id.to_owned(),
            account_id: account.to_owned(),
        }),
    }
}

fn attach(h: &Harness, arn: &str, id: &str, delay: Option<i32>) -> Result<(), Error> {
    call::<CreateWorkloadIdentityProviderOutboundSigner>(
        h,
        &admin(),
        CreateWorkloadIdentityProviderOutboundSignerRequest {
            workload_identity_provider_arn: arn.to_owned(),
            outbound_signer: ca(id, MGMT),
            signing_delay_in_hours: delay,
        },
    )
    .map(drop)
}

fn rotate(h: &Harness, arn: &str, id: &str, delay: Option<i32>) -> Result<(), Error> {
    call::<UpdateWorkloadIdentityProviderOutboundSigner>(
        h,
        &admin(),
        UpdateWorkloadIdentityProviderOutboundSignerRequest {
            workload_identity_provider_arn: arn.to_owned(),
            outbound_signer: ca(id, MGMT),
            signing_delay_in_hours: delay,
        },
    )
    .map(drop)
}

/// (CA id, status) of each X.509 entry, in recording order.
fn x509(h: &Harness, arn: &str) -> Vec<(String, String)> {
    let r = call::<ListWorkloadIdentityProviderOutboundSigners>(
        h,
        &admin(),
        ListWorkloadIdentityProviderOutboundSignersRequest {
            workload_identity_provider_arn: arn.to_owned(),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    r.outbound_signers
        .into_iter()
        .filter(|s| s.signer_type == "X509")
        .map(|s| {
            let id = s
                .configuration
                .and_then(|c| c.x509)
                .map(|c| c.certificate_authority_id)
                .unwrap_or_default();
            (id, s.status.unwrap_or_default())
        })
        .collect()
}

fn pair(id: &str, status: &str) -> (String, String) {
    (id.to_owned(), status.to_owned())
}

fn code_of<T: std::fmt::Debug>(r: Result<T, Error>) -> (String, String) {
    let e = err(r);
    (e.code().to_owned(), e.message().to_owned())
}

#[test]
fn providers_are_created_read_listed_and_refused_as_the_model_says() {
    let h = world();
    let arn = create_provider(&h, "Payments");
    assert_eq!(
        arn,
        format!("arn:aws:iam::{MGMT}:workload-identity-provider/Payments")
    );
    let got = call::<GetWorkloadIdentityProvider>(
        &h,
        &viewer(),
        GetWorkloadIdentityProviderRequest {
            workload_identity_provider_arn: arn.clone(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.resource_scope, "ACCOUNT");
    assert_eq!(got.scheme, "SPIFFE");
    assert!(got.provider_id.starts_with("AWPA"), "{}", got.provider_id);
    assert_eq!(
        got.workload_identity_domain.as_deref(),
        Some("payments.example.org")
    );
    assert_eq!(got.tags, Some(vec![tag("team", "payments")]));
    let signers = present(&got.outbound_signers);
    assert_eq!(signers.x509.as_deref().map(<[_]>::len), Some(0));
    let algs: Vec<_> = present(&signers.jwt)
        .iter()
        .map(|j| j.signing_algorithm.clone().unwrap_or_default())
        .collect();
    assert_eq!(algs, ["RS256", "ES384"]);
    let issuer = present(&signers.oidc_issuer_uri);
    assert!(
        issuer.ends_with(&format!("/workload-identity/{}", got.provider_id)),
        "{issuer}"
    );

    // The name is unique in the collection; SPIFFE needs a domain, NONE has none.
    let again = call::<CreateWorkloadIdentityProvider>(&h, &admin(), provider_input("Payments"));
    assert_eq!(err(again).code(), "EntityAlreadyExists");
    let mut no_domain = provider_input("B");
    no_domain.workload_identity_domain = None;
    refuses::<CreateWorkloadIdentityProvider>(&h, &admin(), no_domain, "InvalidInput");
    let mut none_with = provider_input("C");
    none_with.scheme = "NONE".to_owned();
    refuses::<CreateWorkloadIdentityProvider>(&h, &admin(), none_with, "InvalidInput");
    let mut none = provider_input("Bare");
    none.scheme = "NONE".to_owned();
    none.workload_identity_domain = None;
    let bare = call::<CreateWorkloadIdentityProvider>(&h, &admin(), none)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(bare.workload_identity_domain, None);
    // An upper-case domain fails the model's pattern.
    let mut upper = provider_input("D");
    upper.workload_identity_domain = Some("Example.org".to_owned());
    refuses::<CreateWorkloadIdentityProvider>(&h, &admin(), upper, "ValidationError");

    let list = call::<ListWorkloadIdentityProviders>(
        &h,
        &viewer(),
        ListWorkloadIdentityProvidersRequest::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<_> = list
        .workload_identity_providers
        .iter()
        .map(|p| p.provider_name.as_str())
        .collect();
    assert_eq!(names, ["Bare", "Payments"]);
    let page = call::<ListWorkloadIdentityProviders>(
        &h,
        &viewer(),
        ListWorkloadIdentityProvidersRequest {
            max_items: Some(1),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(page.is_truncated, Some(true));
    assert_eq!(page.workload_identity_providers.len(), 1);

    // Another account may not read an ACCOUNT-scoped provider (a resource of another account).
    let foreign = GetWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: arn.clone(),
    };
    refuses::<GetWorkloadIdentityProvider>(&h, &member(), foreign, "AccessDenied");
    let malformed = GetWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: format!("arn:aws:iam::{MGMT}:role/Payments"),
    };
    refuses::<GetWorkloadIdentityProvider>(&h, &admin(), malformed, "InvalidInput");
    // The viewer may read, not create.
    refuses::<CreateWorkloadIdentityProvider>(&h, &viewer(), provider_input("V"), "AccessDenied");
}

#[test]
fn organization_providers_carry_the_org_id_and_are_seen_across_the_organization() {
    let h = world();
    let mut input = provider_input("Fleet");
    input.resource_scope = Some("ORGANIZATION".to_owned());
    let created = call::<CreateWorkloadIdentityProvider>(&h, &admin(), input.clone())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::{ORG}:workload-identity-provider/Fleet")
    );
    assert!(created.provider_id.starts_with("AWPO"));
    assert_eq!(created.resource_scope, "ORGANIZATION");
    // A member reads and lists it, but may not change it or create one of its own.
    let get = GetWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: created.arn.clone(),
    };
    assert!(call::<GetWorkloadIdentityProvider>(&h, &member(), get).is_ok());
    let listed = call::<ListWorkloadIdentityProviders>(
        &h,
        &member(),
        ListWorkloadIdentityProvidersRequest {
            resource_scope: Some("ORGANIZATION".to_owned()),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(listed.workload_identity_providers.len(), 1);
    let mine = call::<ListWorkloadIdentityProviders>(
        &h,
        &member(),
        ListWorkloadIdentityProvidersRequest::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(mine.workload_identity_providers.is_empty());
    let retag = TagWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: created.arn.clone(),
        tags: vec![tag("a", "b")],
    };
    refuses::<TagWorkloadIdentityProvider>(&h, &member(), retag, "NoSuchEntity");
    refuses::<CreateWorkloadIdentityProvider>(&h, &member(), input, "InvalidInput");
}

#[test]
fn tags_are_case_sensitive_reserved_and_bounded() {
    let h = world();
    let arn = create_provider(&h, "Tags");
    let tag_with = |tags: Vec<Tag>| {
        call::<TagWorkloadIdentityProvider>(
            &h,
            &admin(),
            TagWorkloadIdentityProviderRequest {
                workload_identity_provider_arn: arn.clone(),
                tags,
            },
        )
    };
    assert!(tag_with(vec![tag("team", "core"), tag("env", "prod")]).is_ok());
    // A key differing only in case from an attached one; a reserved key.
    assert_eq!(err(tag_with(vec![tag("Team", "x")])).code(), "InvalidInput");
    assert_eq!(
        err(tag_with(vec![tag("aws:x", "y")])).code(),
        "InvalidInput"
    );
    let many: Vec<Tag> = (0..49).map(|i| tag(&format!("k{i}"), "v")).collect();
    assert_eq!(err(tag_with(many)).code(), "LimitExceeded");
    assert!(
        call::<UntagWorkloadIdentityProvider>(
            &h,
            &admin(),
            UntagWorkloadIdentityProviderRequest {
                workload_identity_provider_arn: arn.clone(),
                tag_keys: vec!["env".to_owned(), "ENV".to_owned(), "absent".to_owned()],
            },
        )
        .is_ok()
    );
    let listed = call::<ListWorkloadIdentityProviderTags>(
        &h,
        &viewer(),
        ListWorkloadIdentityProviderTagsRequest {
            workload_identity_provider_arn: arn.clone(),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(listed.tags, vec![tag("team", "core")]);
}

#[test]
fn resource_policies_are_checked_kept_and_removed() {
    let h = world();
    let arn = create_provider(&h, "Policy");
    let get = || {
        call::<GetWorkloadIdentityProviderResourcePolicy>(
            &h,
            &admin(),
            GetWorkloadIdentityProviderResourcePolicyRequest {
                workload_identity_provider_arn: arn.clone(),
            },
        )
    };
    let put = |doc: &str| {
        call::<PutWorkloadIdentityProviderResourcePolicy>(
            &h,
            &admin(),
            PutWorkloadIdentityProviderResourcePolicyRequest {
                workload_identity_provider_arn: arn.clone(),
                policy_document: doc.to_owned(),
            },
        )
    };
    let delete = || {
        call::<DeleteWorkloadIdentityProviderResourcePolicy>(
            &h,
            &admin(),
            DeleteWorkloadIdentityProviderResourcePolicyRequest {
                workload_identity_provider_arn: arn.clone(),
            },
        )
    };
    assert_eq!(err(get()).code(), "NoSuchEntity");
    assert_eq!(err(put("{not json")).code(), "MalformedPolicyDocument");
    // A resource policy names a principal.
    let no_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}"#;
    assert_eq!(err(put(no_principal)).code(), "MalformedPolicyDocument");
    assert!(put(RESOURCE_POLICY).is_ok());
    let got = get().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (got.arn.as_str(), got.policy_document.as_str()),
        (arn.as_str(), RESOURCE_POLICY)
    );
    assert!(delete().is_ok());
    assert_eq!(err(delete()).code(), "NoSuchEntity");
    assert_eq!(err(get()).code(), "NoSuchEntity");
}

#[test]
fn a_signer_is_published_before_it_signs_and_its_ca_key_matches_its_certificate() {
    let h = world();
    let arn = create_provider(&h, "Signing");
    assert!(attach(&h, &arn, "ca-p256", Some(2)).is_ok());
    assert_eq!(x509(&h, &arn), [pair("ca-p256", "IN_TRANSITION")]);
    let model = |h: &Harness| {
        let s = h.engine.snapshot().unwrap_or_else(|e| panic!("{e:?}"));
        let (_, p) = s
            .data
            .workload_provider(&arn)
            .unwrap_or_else(|| panic!("no provider"));
        p.clone()
    };
    let now = h.clock.now();
    let p = model(&h);
    assert!(p.active_x509_signer(now).is_none());
    assert_eq!(p.published_x509_signers(now).count(), 1);
    h.clock.advance(Duration::hours(2));
    let p = model(&h);
    let active = p
        .active_x509_signer(h.clock.now())
        .unwrap_or_else(|| panic!("not signing"));
    assert_eq!(active.status_at(h.clock.now()), SignerStatus::Active);
    let key = h
        .engine
        .workload_ca_key(active)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let in_cert = keyturn_core::iam::workload_ca::certificate_public_key(&active.certificate)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(key.public_key_der().ok(), Some(in_cert));
    assert!(!active.certificate.contains("PRIVATE"));

    // The slot is taken; unknown and disabled CAs are refused; JWT cannot be disabled.
    assert_eq!(
        err(attach(&h, &arn, "ca-p256-b", None)).code(),
        "EntityAlreadyExists"
    );
    assert_eq!(
        err(attach(&h, &arn, "ca-none", None)).code(),
        "InvalidInput"
    );
    assert_eq!(err(attach(&h, &arn, "ca-off", None)).code(), "InvalidInput");
    let jwt = DisableWorkloadIdentityProviderOutboundSignerRequest {
        workload_identity_provider_arn: arn.clone(),
        signer_type: "JWT".to_owned(),
    };
    refuses::<DisableWorkloadIdentityProviderOutboundSigner>(&h, &admin(), jwt, "InvalidInput");
    // Another slot takes the P-384 CA.
    assert!(attach(&h, &arn, "ca-p384", None).is_ok());
    assert_eq!(
        x509(&h, &arn),
        [pair("ca-p256", "ACTIVE"), pair("ca-p384", "IN_TRANSITION")]
    );
    // A provider with signers cannot be deleted.
    let delete = DeleteWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: arn.clone(),
    };
    refuses::<DeleteWorkloadIdentityProvider>(&h, &admin(), delete, "DeleteConflict");
}

#[test]
fn rotation_cancel_retime_disable_enable_and_delete_follow_the_schedule() {
    let h = world();
    let arn = create_provider(&h, "Rotating");
    assert!(attach(&h, &arn, "ca-p256", Some(1)).is_ok());
    h.clock.advance(Duration::hours(1));
    // Rotating in ca-p256-b: the current signer keeps signing until the new one starts.
    assert!(rotate(&h, &arn, "ca-p256-b", Some(3)).is_ok());
    assert_eq!(
        x509(&h, &arn),
        [
            pair("ca-p256", "ACTIVE"),
            pair("ca-p256-b", "IN_TRANSITION")
        ]
    );
    // Re-timed to one hour; then cancelled by naming the signing CA.
    assert!(rotate(&h, &arn, "ca-p256-b", Some(1)).is_ok());
    h.clock.advance(Duration::minutes(30));
    assert!(rotate(&h, &arn, "ca-p256", None).is_ok());
    h.clock.advance(Duration::hours(2));
    assert_eq!(x509(&h, &arn)[0], pair("ca-p256", "ACTIVE"));
    assert_eq!(x509(&h, &arn)[1].1, "INACTIVE");
    // A rotation that completes: the old signer validates for 12 hours, then retires.
    assert!(rotate(&h, &arn, "ca-p256-b", Some(1)).is_ok());
    h.clock.advance(Duration::hours(1));
    assert_eq!(
        x509(&h, &arn),
        [pair("ca-p256", "VALIDATING"), pair("ca-p256-b", "ACTIVE")]
    );
    let delete = |id: &str| {
        call::<DeleteWorkloadIdentityProviderOutboundSigner>(
            &h,
            &admin(),
            DeleteWorkloadIdentityProviderOutboundSignerRequest {
                workload_identity_provider_arn: arn.clone(),
                outbound_signer: ca(id, MGMT),
            },
        )
    };
    assert_eq!(err(delete("ca-p256-b")).code(), "InvalidInput");
    let gone = delete("ca-p256").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(gone.status, "SUCCEEDED");
    assert_eq!(err(delete("ca-p256")).code(), "NoSuchEntity");

    // Disable stops everything at once; enable resumes after the delay.
    let disable = DisableWorkloadIdentityProviderOutboundSignerRequest {
        workload_identity_provider_arn: arn.clone(),
        signer_type: "X509".to_owned(),
    };
    assert!(
        call::<DisableWorkloadIdentityProviderOutboundSigner>(&h, &admin(), disable.clone())
            .is_ok()
    );
    assert!(call::<DisableWorkloadIdentityProviderOutboundSigner>(&h, &admin(), disable).is_ok());
    assert_eq!(x509(&h, &arn), [pair("ca-p256-b", "VALIDATING")]);
    let enable = EnableWorkloadIdentityProviderOutboundSignerRequest {
        workload_identity_provider_arn: arn.clone(),
        signer_type: "X509".to_owned(),
        signing_delay_in_hours: Some(2),
    };
    assert!(call::<EnableWorkloadIdentityProviderOutboundSigner>(&h, &admin(), enable).is_ok());
    assert_eq!(x509(&h, &arn), [pair("ca-p256-b", "IN_TRANSITION")]);
    h.clock.advance(Duration::hours(2));
    assert_eq!(x509(&h, &arn), [pair("ca-p256-b", "ACTIVE")]);
}

#[test]
fn the_signer_list_pages_with_markers_tied_to_the_arn() {
    let h = world();
    let arn = create_provider(&h, "Listed");
    let other = create_provider(&h, "Other");
    assert!(attach(&h, &arn, "ca-p256", None).is_ok());
    assert!(attach(&h, &arn, "ca-p384", None).is_ok());
    let list = |arn: &str, marker: Option<String>| {
        call::<ListWorkloadIdentityProviderOutboundSigners>(
            &h,
            &admin(),
            ListWorkloadIdentityProviderOutboundSignersRequest {
                workload_identity_provider_arn: arn.to_owned(),
                marker,
                max_items: Some(3),
            },
        )
    };
    let first = list(&arn, None).unwrap_or_else(|e| panic!("{e:?}"));
    let types: Vec<_> = first
        .outbound_signers
        .iter()
        .map(|s| s.signer_type.as_str())
        .collect();
    assert_eq!(types, ["JWT", "JWT", "X509"]);
    assert!(first.is_truncated);
    let marker = first.marker.clone();
    let second = list(&arn, marker.clone()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(second.outbound_signers.len(), 1);
    assert!(!second.is_truncated);
    assert_eq!(err(list(&other, marker)).code(), "InvalidInput");
}

#[test]
fn templates_check_patterns_and_attestation_policies() {
    let h = world();
    let provider = create_provider(&h, "Templates");
    let input = |name: &str| CreateWorkloadIdentityTemplateRequest {
        name: Some(name.to_owned()),
        workload_identity_provider_arn: Some(provider.clone()),
        path_pattern: Some(PATTERN.to_owned()),
        path_prefix: Some("payments".to_owned()),
        attestation_policy: Some(POLICY.to_owned()),
        tags: Some(vec![tag("team", "payments")]),
        ..Default::default()
    };
    let created = call::<CreateWorkloadIdentityTemplate>(&h, &admin(), input("Fleet"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::{MGMT}:workload-identity-template/Fleet")
    );
    assert!(created.template_id.starts_with("AWTA"));
    assert_eq!(created.attestation_policy.as_deref(), Some(POLICY));
    assert_eq!(
        err(call::<CreateWorkloadIdentityTemplate>(
            &h,
            &admin(),
            input("Fleet")
        ))
        .code(),
        "EntityAlreadyExists"
    );

    let refused = |edit: &dyn Fn(&mut CreateWorkloadIdentityTemplateRequest)| {
        let mut i = input("Other");
        edit(&mut i);
        code_of(call::<CreateWorkloadIdentityTemplate>(&h, &admin(), i)).0
    };
    assert_eq!(refused(&|i| i.name = None), "InvalidInput");
    assert_eq!(
        refused(&|i| i.path_pattern = Some("{aws:PrincipalArn}/x".to_owned())),
        "InvalidInput"
    );
    assert_eq!(
        refused(&|i| i.path_pattern = Some("no/placeholder".to_owned())),
        "ValidationError"
    );
    assert_eq!(
        refused(&|i| i.attestation_policy = Some("{".to_owned())),
        "MalformedPolicyDocument"
    );
    let off_pattern = POLICY.replace("ClusterName", "Region");
    assert_eq!(
        refused(&|i| i.attestation_policy = Some(off_pattern.clone())),
        "InvalidInput"
    );
    assert_eq!(
        refused(&|i| i.workload_identity_provider_arn = Some(format!(
            "arn:aws:iam::{MGMT}:workload-identity-provider/None"
        ))),
        "NoSuchEntity"
    );
    assert_eq!(
        refused(&|i| i.resource_scope = Some("ORGANIZATION".to_owned())),
        "InvalidInput"
    );
    let definition = WorkloadIdentityTemplateDefinitionType {
        template_definition_arn: "arn:aws:iam::aws:workload-identity-template-definition/eks"
            .to_owned(),
        replacement_values: None,
    };
    assert_eq!(
        refused(&|i| i.template_definition = Some(definition.clone())),
        "InvalidInput"
    );
    let only_definition = CreateWorkloadIdentityTemplateRequest {
        template_definition: Some(definition.clone()),
        ..Default::default()
    };
    refuses::<CreateWorkloadIdentityTemplate>(&h, &admin(), only_definition, "NoSuchEntity");

    // Get leaves the policy out; the policy is read, replaced and removed on its own.
    let got = call::<GetWorkloadIdentityTemplate>(
        &h,
        &viewer(),
        GetWorkloadIdentityTemplateRequest {
            workload_identity_template_arn: created.arn.clone(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (got.path_pattern.as_str(), got.path_prefix.as_deref()),
        (PATTERN, Some("payments"))
    );
    let policy_of = || {
        call::<GetWorkloadIdentityTemplateAttestationPolicy>(
            &h,
            &viewer(),
            GetWorkloadIdentityTemplateAttestationPolicyRequest {
                workload_identity_template_arn: created.arn.clone(),
            },
        )
    };
    assert_eq!(
        policy_of().map(|p| p.attestation_policy).ok().as_deref(),
        Some(POLICY)
    );
    let put = |doc: &str| {
        call::<PutWorkloadIdentityTemplateAttestationPolicy>(
            &h,
            &admin(),
            PutWorkloadIdentityTemplateAttestationPolicyRequest {
                workload_identity_template_arn: created.arn.clone(),
                attestation_policy: doc.to_owned(),
            },
        )
    };
    assert_eq!(err(put(&off_pattern)).code(), "InvalidInput");
    let delete_policy = || {
        call::<DeleteWorkloadIdentityTemplateAttestationPolicy>(
            &h,
            &admin(),
            DeleteWorkloadIdentityTemplateAttestationPolicyRequest {
                workload_identity_template_arn: created.arn.clone(),
            },
        )
    };
    assert!(delete_policy().is_ok());
    assert_eq!(err(delete_policy()).code(), "NoSuchEntity");
    assert_eq!(err(policy_of()).code(), "NoSuchEntity");
    assert!(put(POLICY).is_ok());

    // Listing, filtered by the service principal the policy admits.
    let list = |filter: Option<&str>| {
        call::<ListWorkloadIdentityTemplates>(
            &h,
            &viewer(),
            ListWorkloadIdentityTemplatesRequest {
                workload_identity_provider_arn: provider.clone(),
                filter: filter.map(str::to_owned),
                ..Default::default()
            },
        )
    };
    let mut bare = input("Bare");
    bare.attestation_policy = None;
    assert!(call::<CreateWorkloadIdentityTemplate>(&h, &admin(), bare).is_ok());
    let names = |r: Result<keyturn::api::iam::ListWorkloadIdentityTemplatesResponse, Error>| -> Vec<String> {
        r.unwrap_or_else(|e| panic!("{e:?}")).workload_identity_templates.into_iter().map(|t| t.name).collect()
    };
    assert_eq!(names(list(None)), ["Bare", "Fleet"]);
    assert_eq!(
        names(list(Some("service_principal=\"eks.amazonaws.com\""))),
        ["Fleet"]
    );
    assert_eq!(
        names(list(Some("service_principal = \"ecs.amazonaws.com\""))),
        Vec::<String>::new()
    );
    assert_eq!(
        err(list(Some("service_principal = \"nobody\""))).code(),
        "InvalidInput"
    );
    assert_eq!(
        err(list(Some("principal = \"eks.amazonaws.com\""))).code(),
        "InvalidInput"
    );

    // Tags of templates.
    let retag = TagWorkloadIdentityTemplateRequest {
        workload_identity_template_arn: created.arn.clone(),
        tags: vec![tag("env", "prod")],
    };
    assert!(call::<TagWorkloadIdentityTemplate>(&h, &admin(), retag).is_ok());
    let tags = call::<ListWorkloadIdentityTemplateTags>(
        &h,
        &viewer(),
        ListWorkloadIdentityTemplateTagsRequest {
            workload_identity_template_arn: created.arn.clone(),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(tags.tags, vec![tag("env", "prod"), tag("team", "payments")]);

    // A referenced provider cannot be deleted; a deleted template is gone.
    let delete_provider = DeleteWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: provider.clone(),
    };
    refuses::<DeleteWorkloadIdentityProvider>(&h, &admin(), delete_provider, "DeleteConflict");
    let delete = |arn: &str| {
        call::<DeleteWorkloadIdentityTemplate>(
            &h,
            &admin(),
            DeleteWorkloadIdentityTemplateRequest {
                workload_identity_template_arn: arn.to_owned(),
            },
        )
    };
    assert_eq!(
        delete(&created.arn).map(|r| r.status).ok().as_deref(),
        Some("SUCCEEDED")
    );
    assert_eq!(err(delete(&created.arn)).code(), "NoSuchEntity");
    // Created again under the name: the ARN is kept, the id is new.
    let again = call::<CreateWorkloadIdentityTemplate>(&h, &admin(), input("Fleet"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again.arn, created.arn);
    assert_ne!(again.template_id, created.template_id);
}

#[test]
fn deletion_tasks_are_read_by_their_account_for_a_day() {
    let h = world();
    let arn = create_provider(&h, "Doomed");
    let task = call::<DeleteWorkloadIdentityProvider>(
        &h,
        &admin(),
        DeleteWorkloadIdentityProviderRequest {
            workload_identity_provider_arn: arn.clone(),
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
    .deletion_task_id
    .unwrap_or_else(|| panic!("no task id"));
    let status = |who: &Creds| {
        call::<GetWorkloadIdentityProviderDeletionStatus>(
            &h,
            who,
            GetWorkloadIdentityProviderDeletionStatusRequest {
                deletion_task_id: task.clone(),
            },
        )
    };
    let s = status(&admin()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (s.status.as_str(), s.workload_identity_provider_arn.as_str()),
        ("SUCCEEDED", arn.as_str())
    );
    assert_eq!(err(status(&member())).code(), "NoSuchEntity");
    let get = GetWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: arn.clone(),
    };
    refuses::<GetWorkloadIdentityProvider>(&h, &admin(), get, "NoSuchEntity");
    let again = DeleteWorkloadIdentityProviderRequest {
        workload_identity_provider_arn: arn,
    };
    refuses::<DeleteWorkloadIdentityProvider>(&h, &admin(), again, "NoSuchEntity");
    h.clock.advance(Duration::hours(25));
    assert_eq!(err(status(&admin())).code(), "NoSuchEntity");
}

#[test]
fn configured_entities_load_and_export_without_key_material() {
    let h = world();
    let provider = create_provider(&h, "Exported");
    assert!(attach(&h, &provider, "ca-p384", None).is_ok());
    let template = CreateWorkloadIdentityTemplateRequest {
        name: Some("Exported".to_owned()),
        workload_identity_provider_arn: Some(provider.clone()),
        path_pattern: Some(PATTERN.to_owned()),
        ..Default::default()
    };
    assert!(call::<CreateWorkloadIdentityTemplate>(&h, &admin(), template).is_ok());
    let data = h
        .engine
        .snapshot()
        .unwrap_or_else(|e| panic!("{e:?}"))
        .data
        .clone();
    let text = keyturn::export::to_yaml(&data).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.contains("workload_identity_providers:"), "{text}");
    assert!(text.contains("workload_identity_templates:"), "{text}");
    assert!(text.contains("BEGIN CERTIFICATE"), "{text}");
    assert!(!text.contains("PRIVATE KEY"), "{text}");
    let back = keyturn::Config::from_str(&text, "export.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.to_iam_data().accounts, data.accounts);

    // A configuration that breaks the rules is refused with the path.
    let bad = format!(
        "{}    workload_identity_providers:\n      - {{name: X, id: AWPAAAAAAAAAAAAAAAAAA, scheme: SPIFFE, create_date: \"2026-01-01T00:00:00Z\"}}\n",
        memory_account(MGMT)
    );
    let e = keyturn::Config::from_str(&bad, "bad.yaml")
        .map(drop)
        .map_err(|e| e.to_string());
    assert!(e.as_ref().is_err_and(|m| m.contains("domain")), "{e:?}");
}
