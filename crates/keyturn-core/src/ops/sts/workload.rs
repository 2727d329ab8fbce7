//! What the workload identity operations share: the attestation document, the workload's
//! identifier rendered from a template's path pattern, and the sealed context assertion that
//! IssueWorkloadIdentityContext returns and AssumeRole's `ProvidedContexts` redeems.
//!
//! A context assertion is sealed with the keyring's message key ([`crate::token::seal_bytes`],
//! AES-256-GCM: signed and encrypted) behind a domain prefix that keeps it apart from the other
//! payloads sealed under that key (encoded authorization messages, trade-in tokens). Any node
//! with the keyring opens it without shared state.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::engine::{Caller, Engine, not_authorized};
use crate::iam::WorkloadIdentityProvider;
use crate::iam::workload::WorkloadScheme;
use crate::pki::spiffe::{
    MAX_SUBJECT_LEN, bundle, is_path_segment, jwt_authority, spiffe_id, x509_authority,
};
use crate::token::WorkloadIdentity;
use crate::{Error, ErrorCode};

/// What every sealed context assertion's payload starts with.
const ASSERTION_DOMAIN: &[u8] = b"keyturn-workload-context-v1\0";

/// The prefix of the condition keys of attested values.
pub const ATTESTATION_PREFIX: &str = "aws:WorkloadAttestation/aws/";

/// The longest context assertion AssumeRole takes (`contextAssertionType`).
pub const MAX_ASSERTION_LEN: usize = 3072;

/// InvalidContextAssertionException's text for an assertion that does not open, is not for
/// this role or caller, or has expired (the model's documentation of the error).
pub const INVALID_ASSERTION_TEXT: &str = "The context assertion that was provided is invalid. It is malformed, has expired, or does not match a trusted context provider.";

/// What a context assertion carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextAssertion {
    /// The workload identity provider that issued it.
    pub provider_arn: String,
    /// The template the identity was built from.
    pub template_arn: String,
    /// The workload's identifier.
    pub subject: String,
    /// The attested values as condition keys (`aws:WorkloadAttestation/aws/…`, value).
    pub attested: Vec<(String, String)>,
    /// Who may redeem it: the principal ARN of the caller of IssueWorkloadIdentityContext.
    pub audience: String,
    /// The source account of the request that issued it.
    pub source_account: String,
    /// The only role it can be redeemed for.
    pub target_role_arn: String,
    /// Until when AssumeRole takes it (Unix seconds).
    pub expires_at: i64,
    /// The latest end of a session from it (Unix seconds), if limited.
    pub session_expires_at: Option<i64>,
}

/// Seals `assertion` as a context assertion.
///
/// # Errors
/// `ServiceFailure` if it cannot be encoded; as [`crate::token::seal_bytes`].
pub fn seal_assertion(engine: &Engine, assertion: &ContextAssertion) -> Result<String, Error> {
    let mut payload = ASSERTION_DOMAIN.to_vec();
    serde_json::to_writer(&mut payload, assertion)
        .map_err(|e| Error::new(ErrorCode::ServiceFailure, e.to_string()))?;
    crate::token::seal_bytes(&engine.keyring, &payload)
}

/// Opens a context assertion; `None` for anything this keyring did not seal as one.
pub fn open_assertion(engine: &Engine, sealed: &str) -> Option<ContextAssertion> {
    if sealed.len() > MAX_ASSERTION_LEN {
        return None;
    }
    let payload = crate::token::open_bytes(&engine.keyring, sealed)?;
    let json = payload.strip_prefix(ASSERTION_DOMAIN)?;
    serde_json::from_slice(json).ok()
}

/// `InvalidContextAssertion` with its text.
pub fn invalid_assertion() -> Error {
    Error::new(ErrorCode::InvalidContextAssertion, INVALID_ASSERTION_TEXT)
}

/// `InvalidAttestationDocument` with the documented `reason`, in the text and as the error's
/// `reason` member.
pub fn invalid_document(reason: &str) -> Error {
    Error::new(
        ErrorCode::InvalidAttestationDocument,
        format!("The attestation document is not valid (reason: {reason})."),
    )
    .with_member("reason", reason)
}

/// `InvalidWorkloadIdentityConfiguration` with the documented `reason`.
pub fn invalid_configuration(reason: &str) -> Error {
    Error::new(
        ErrorCode::InvalidWorkloadIdentityConfiguration,
        format!(
            "The workload identity template or provider has a configuration that can't be used (reason: {reason})."
        ),
    )
    .with_member("reason", reason)
}

/// The session keys of a redeemed context: the attested values and the workload's
/// `aws:OriginIdentity/Subject`, `SubjectType` (`workload`) and `FederatedProviderArn` (its
/// provider).
pub fn context_keys(assertion: &ContextAssertion) -> Vec<(String, String)> {
    let mut keys = assertion.attested.clone();
    keys.push((
        "aws:OriginIdentity/Subject".to_owned(),
        assertion.subject.clone(),
    ));
    keys.push((
        "aws:OriginIdentity/SubjectType".to_owned(),
        "workload".to_owned(),
    ));
    keys.push((
        "aws:OriginIdentity/FederatedProviderArn".to_owned(),
        assertion.provider_arn.clone(),
    ));
    keys
}

/// Redeems AssumeRole's `ProvidedContexts` for the role `role_arn` at `now` (Unix seconds):
/// exactly one context that this keyring sealed, of the provider it names, unexpired, for this
/// role, requested by this caller's principal in its account, whose template and provider
/// still exist.
///
/// # Errors
/// `InvalidContextAssertion` otherwise.
pub fn redeem(
    engine: &Engine,
    caller: &Caller,
    provided: &[keyturn_api::sts::ProvidedContext],
    role_arn: &str,
    now: i64,
) -> Result<ContextAssertion, Error> {
    let [provided] = provided else {
        return Err(invalid_assertion());
    };
    let sealed = provided
        .context_assertion
        .as_deref()
        .ok_or_else(invalid_assertion)?;
    let a = open_assertion(engine, sealed).ok_or_else(invalid_assertion)?;
    let principal = caller
        .principal
        .role_session()
        .map_or_else(|| caller.arn.clone(), |s| s.role_arn_string());
    let data = &caller.snapshot.data;
    let valid = provided.provider_arn.as_deref() == Some(a.provider_arn.as_str())
        && now < a.expires_at
        && a.session_expires_at.is_none_or(|end| now < end)
        && a.target_role_arn == role_arn
        && a.audience == principal
        && a.source_account == caller.account
        && data
            .workload_template(&a.template_arn)
            .is_some_and(|(_, t)| t.provider_arn == a.provider_arn)
        && data.workload_provider(&a.provider_arn).is_some();
    if valid {
        Ok(a)
    } else {
        Err(invalid_assertion())
    }
}

/// ResourceNotFoundException's `ResourceType` for a workload identity provider (Keyturn's
/// choice: the model's shape name; AWS's value was not found).
pub const RESOURCE_TYPE: &str = "WorkloadIdentityProvider";

/// ResourceNotFoundException's text (the model's documentation of the error).
pub const RESOURCE_NOT_FOUND_TEXT: &str =
    "The specified resource doesn't exist, or you don't have access to it.";

/// Whether `arn` has the form of a workload identity provider's ARN:
/// `arn:PARTITION:iam::(ACCOUNT|o-ORG):workload-identity-provider/NAME`.
pub fn is_provider_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(owner), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let account = owner.len() == 12 && owner.bytes().all(|b| b.is_ascii_digit());
    let org = owner.strip_prefix("o-").is_some_and(|o| {
        (10..=32).contains(&o.len())
            && o.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    let name = rest.strip_prefix("workload-identity-provider/");
    !partition.is_empty()
        && (account || org)
        && name.is_some_and(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
        })
}

/// The provider `arn` names, when the caller may see it: one of its account, or an
/// ORGANIZATION-scoped one of its organization.
///
/// # Errors
/// `ValidationError` for a value that is not a provider ARN; `ResourceNotFoundException` for a
/// provider that does not exist or is out of the caller's scope.
pub fn visible_provider<'c>(
    caller: &'c Caller,
    arn: &str,
) -> Result<&'c WorkloadIdentityProvider, Error> {
    if !is_provider_arn(arn) {
        return Err(Error::new(
            ErrorCode::ValidationError,
            format!("{arn} is not a valid workload identity provider ARN."),
        ));
    }
    let data = &caller.snapshot.data;
    // The members the model gives the error: the ARN as the request gave it, and the kind.
    let not_found = || {
        Error::new(
            ErrorCode::ResourceNotFoundException,
            RESOURCE_NOT_FOUND_TEXT,
        )
        .with_member("ResourceId", arn)
        .with_member("ResourceType", RESOURCE_TYPE)
    };
    let (owner, provider) = data.workload_provider(arn).ok_or_else(not_found)?;
    if !data.workload_visible(&caller.account, &owner.id, provider.scope) {
        return Err(not_found());
    }
    Ok(provider)
}

/// The SPIFFE bundle of `provider`: the CA certificate of each published X.509 signer and the
/// public key of each JWT signer under every keyring key (the keys JWT-SVIDs are signed with).
///
/// # Errors
/// `InternalFailure` when a stored certificate does not read or a key cannot be derived.
pub fn provider_bundle(
    engine: &Engine,
    provider: &WorkloadIdentityProvider,
) -> Result<serde_json::Value, Error> {
    let now = engine.clock().now();
    let mut keys = Vec::new();
    for signer in provider.published_x509_signers(now) {
        keys.push(x509_authority(&signer.certificate).map_err(|_| Error::internal())?);
    }
    let jwks = engine.workload_jwks(provider)?;
    for jwk in jwks["keys"].as_array().into_iter().flatten() {
        if let Some(jwk) = jwk.as_object() {
            keys.push(jwt_authority(jwk.clone()));
        }
    }
    Ok(bundle(keys, provider.next_sequence))
}

/// `SignerNotConfiguredException` for a provider without a signer of `kind` (`X.509`, `JWT`).
pub fn signer_not_configured(kind: &str) -> Error {
    Error::new(
        ErrorCode::SignerNotConfiguredException,
        format!(
            "The workload identity provider for the calling session doesn't have an active {kind} signer."
        ),
    )
}

/// The workload identity of the calling session and its provider, for `action` (GetCertificate,
/// a JWT-SVID): the caller must be a role session with a workload identity whose template and
/// provider still exist, and the provider must use the SPIFFE scheme.
///
/// # Errors
/// `AccessDenied` otherwise.
pub fn session_provider<'c>(
    caller: &'c Caller,
    action: &str,
) -> Result<(&'c WorkloadIdentity, &'c WorkloadIdentityProvider), Error> {
    let denied = |why: &str| {
        let e = not_authorized(&caller.arn, action, "*");
        Error::new(
            ErrorCode::AccessDenied,
            format!("{} because {why}", e.message()),
        )
    };
    let workload = caller
        .session
        .as_ref()
        .and_then(|s| s.context.as_deref())
        .and_then(|c| c.workload.as_ref())
        .ok_or_else(|| denied("the calling session doesn't have a workload identity"))?;
    let data = &caller.snapshot.data;
    let gone =
        || denied("the workload identity template or provider of the session no longer exists");
    data.workload_template(&workload.template_arn)
        .filter(|(_, t)| t.provider_arn == workload.provider_arn)
        .ok_or_else(gone)?;
    let (_, provider) = data
        .workload_provider(&workload.provider_arn)
        .ok_or_else(gone)?;
    if provider.scheme != WorkloadScheme::Spiffe {
        return Err(denied(
            "the workload identity provider doesn't use the SPIFFE naming scheme",
        ));
    }
    Ok((workload, provider))
}

/// A JSON object's members in document order, repeated keys kept (serde_json's map would keep
/// only the last one of a repeated key).
struct Members(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry::<String, serde_json::Value>()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The attestation sources and the keys each attests (the part of the condition key after
/// [`ATTESTATION_PREFIX`]).
pub const ATTESTATION_KEYS: &[&str] = &[
    "eks/ClusterName",
    "eks/ClusterArn",
    "eks/Namespace",
    "eks/ServiceAccount",
    "eks/PodName",
    "eks/PodUid",
    "ecs/ClusterArn",
    "ecs/TaskArn",
    "ecs/TaskDefinitionFamily",
    "ecs/ServiceName",
    "ecs/ContainerName",
    "ec2/InstanceId",
    "ec2/ImageId",
    "lambda/FunctionName",
    "lambda/FunctionArn",
];

/// Whether `key` has the form of an attestation key: a lowercase source, `/`, a name of
/// letters and digits.
fn is_key_form(key: &str) -> bool {
    key.split_once('/').is_some_and(|(source, name)| {
        !source.is_empty()
            && source
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// Reads an attestation document: a single JSON object of at least one key, each key an
/// attestation key, each value a non-empty string of printable characters, no two keys the
/// same ignoring case. Returns the values as condition keys
/// (`aws:WorkloadAttestation/aws/eks/Namespace`, value), in document order.
///
/// # Errors
/// `InvalidAttestationDocument` with the documented reason.
pub fn read_attestation(document: &str) -> Result<Vec<(String, String)>, Error> {
    if document.chars().count() > 2048 {
        return Err(invalid_document("tooLarge"));
    }
    let Members(members) =
        serde_json::from_str(document).map_err(|_| invalid_document("cannotParse"))?;
    if members.is_empty() {
        return Err(invalid_document("invalidValue"));
    }
    let mut out: Vec<(String, String)> = Vec::with_capacity(members.len());
    for (key, value) in members {
        if !is_key_form(&key) {
            return Err(invalid_document("invalidKey"));
        }
        let known = ATTESTATION_KEYS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&key))
            .ok_or_else(|| invalid_document("unexpectedAttestation"))?;
        if out
            .iter()
            .any(|(k, _)| k[ATTESTATION_PREFIX.len()..].eq_ignore_ascii_case(&key))
        {
            return Err(invalid_document("duplicateKey"));
        }
        let serde_json::Value::String(value) = value else {
            return Err(invalid_document("invalidValue"));
        };
        if value.is_empty() || value.chars().any(char::is_control) {
            return Err(invalid_document("invalidValue"));
        }
        out.push((format!("{ATTESTATION_PREFIX}{known}"), value));
    }
    Ok(out)
}

/// The segments of a path pattern: a literal, or the condition key of a `{placeholder}` (which
/// may contain slashes of its own).
fn pattern_segments(pattern: &str) -> Option<Vec<Result<&str, &str>>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    loop {
        let (segment, tail) = if let Some(inner) = rest.strip_prefix('{') {
            let close = inner.find('}')?;
            let after = &inner[close + 1..];
            (Err(&inner[..close]), after)
        } else {
            let end = rest.find('/').unwrap_or(rest.len());
            (Ok(&rest[..end]), &rest[end..])
        };
        out.push(segment);
        match tail.strip_prefix('/') {
            Some(next) => rest = next,
            None if tail.is_empty() => return Some(out),
            None => return None,
        }
    }
}

/// The workload identity provider's naming: its scheme and domain.
#[derive(Debug, Clone, Copy)]
pub struct Naming<'a> {
    /// Whether the provider uses the SPIFFE scheme (else `NONE`: the path alone).
    pub spiffe: bool,
    /// The provider's domain (SPIFFE's trust domain).
    pub domain: Option<&'a str>,
}

/// Renders the workload's identifier from a template's path prefix and pattern, with the
/// attested values (and `aws:SourceAccount`) for its placeholders.
///
/// # Errors
/// `InvalidAttestationDocument` (`unresolvedTemplateVariable`) when an attested value the
/// pattern uses is missing; `InvalidWorkloadIdentityConfiguration` (`unrenderableTemplate`,
/// `identifierTooLarge`) when the identifier cannot be built.
pub fn render_subject(
    naming: Naming<'_>,
    prefix: Option<&str>,
    pattern: &str,
    attested: &[(String, String)],
    source_account: &str,
) -> Result<String, Error> {
    let unrenderable = || invalid_configuration("unrenderableTemplate");
    let segments = pattern_segments(pattern).ok_or_else(unrenderable)?;
    let mut path = String::new();
    if let Some(p) = prefix.filter(|p| !p.is_empty()) {
        path.push_str(p);
    }
    for segment in segments {
        let value = match segment {
            Ok(literal) => literal,
            Err(key) if key.eq_ignore_ascii_case("aws:SourceAccount") => source_account,
            Err(key) => {
                let attested_key = key
                    .get(..ATTESTATION_PREFIX.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(ATTESTATION_PREFIX));
                if !attested_key {
                    return Err(unrenderable());
                }
                attested
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v.as_str())
                    .ok_or_else(|| invalid_document("unresolvedTemplateVariable"))?
            }
        };
        if !is_path_segment(value) {
            return Err(unrenderable());
        }
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(value);
    }
    let subject = if naming.spiffe {
        spiffe_id(naming.domain.unwrap_or_default(), &path).ok_or_else(unrenderable)?
    } else {
        path
    };
    if subject.len() > MAX_SUBJECT_LEN {
        return Err(invalid_configuration("identifierTooLarge"));
    }
    Ok(subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(r: Result<impl std::fmt::Debug, Error>) -> String {
        let e = r.err().unwrap_or_else(|| panic!("accepted"));
        let m = e.message();
        let start = m.find("reason: ").map_or(0, |i| i + 8);
        // The text and the `reason` member say the same.
        assert_eq!(
            e.member("reason"),
            Some(m[start..].trim_end_matches(").")),
            "{m}"
        );
        format!(
            "{}:{}",
            e.code(),
            m[start..].trim_end_matches(").").to_owned()
        )
    }

    #[test]
    fn an_attestation_document_reads_into_condition_keys_or_names_its_fault() {
        assert_eq!(
            read_attestation(r#"{"eks/ClusterName":"prod","eks/namespace":"payments"}"#)
                .unwrap_or_else(|e| panic!("{e}")),
            vec![
                (
                    "aws:WorkloadAttestation/aws/eks/ClusterName".to_owned(),
                    "prod".to_owned()
                ),
                (
                    "aws:WorkloadAttestation/aws/eks/Namespace".to_owned(),
                    "payments".to_owned()
                ),
            ]
        );
        let d = "InvalidAttestationDocument";
        for (doc, want) in [
            ("", "cannotParse"),
            ("[1]", "cannotParse"),
            (r#"{"eks/ClusterName":"a"} {}"#, "cannotParse"),
            ("{}", "invalidValue"),
            (r#"{"ClusterName":"a"}"#, "invalidKey"),
            (r#"{"eks/Cluster-Name":"a"}"#, "invalidKey"),
            (r#"{"eks/Colour":"a"}"#, "unexpectedAttestation"),
            (r#"{"eks/ClusterName":""}"#, "invalidValue"),
            (r#"{"eks/ClusterName":7}"#, "invalidValue"),
            (r#"{"eks/ClusterName":"a\nb"}"#, "invalidValue"),
            (
                r#"{"eks/ClusterName":"a","eks/clustername":"b"}"#,
                "duplicateKey",
            ),
        ] {
            assert_eq!(
                reason(read_attestation(doc)),
                format!("{d}:{want}"),
                "{doc}"
            );
        }
        let long = format!(r#"{{"eks/ClusterName":"{}"}}"#, "a".repeat(2040));
        assert_eq!(reason(read_attestation(&long)), format!("{d}:tooLarge"));
    }

    #[test]
    fn a_subject_renders_from_the_prefix_the_pattern_and_the_attested_values() {
        let attested = read_attestation(r#"{"eks/ClusterName":"prod","eks/Namespace":"pay"}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        let spiffe = Naming {
            spiffe: true,
            domain: Some("example.org"),
        };
        let pattern = "{aws:WorkloadAttestation/aws/eks/ClusterName}/ns/{aws:WorkloadAttestation/aws/eks/Namespace}";
        let render = |naming, prefix, pattern| {
            render_subject(naming, prefix, pattern, &attested, "111122223333")
        };
        assert_eq!(
            render(spiffe, Some("k8s"), pattern).ok().as_deref(),
            Some("spiffe://example.org/k8s/prod/ns/pay")
        );
        let none = Naming {
            spiffe: false,
            domain: None,
        };
        assert_eq!(
            render(
                none,
                None,
                "{aws:SourceAccount}/{aws:WorkloadAttestation/aws/eks/Namespace}"
            )
            .ok()
            .as_deref(),
            Some("111122223333/pay")
        );
        let c = "InvalidWorkloadIdentityConfiguration";
        assert_eq!(
            reason(render(
                spiffe,
                None,
                "{aws:WorkloadAttestation/aws/eks/PodName}"
            )),
            "InvalidAttestationDocument:unresolvedTemplateVariable"
        );
        for pattern in [
            "{aws:PrincipalTag/x}",
            "{aws:WorkloadAttestation/aws/eks/Namespace",
            "a//b",
        ] {
            assert_eq!(
                reason(render(spiffe, None, pattern)),
                format!("{c}:unrenderableTemplate"),
                "{pattern}"
            );
        }
        let bad_domain = Naming {
            spiffe: true,
            domain: Some("Example.org"),
        };
        assert_eq!(
            reason(render(bad_domain, None, pattern)),
            format!("{c}:unrenderableTemplate")
        );
        let long = "x".repeat(250);
        assert_eq!(
            reason(render(spiffe, Some(&long), pattern)),
            format!("{c}:identifierTooLarge")
        );
        // A value that is not a path segment.
        let dotted =
            read_attestation(r#"{"eks/Namespace":".."}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            reason(render_subject(
                spiffe,
                None,
                "{aws:WorkloadAttestation/aws/eks/Namespace}",
                &dotted,
                "1"
            )),
            format!("{c}:unrenderableTemplate")
        );
    }
}
