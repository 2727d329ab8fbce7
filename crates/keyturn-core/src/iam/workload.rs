//! Workload identity (IAM's SPIFFE issuers) as plain data: workload identity providers, their
//! X.509 outbound signers, workload identity templates, the certificate authorities Keyturn
//! stands in for AWS Private CA with, and the deletion tasks DeleteWorkloadIdentityProvider
//! hands out.
//!
//! A provider is kept in the account that created it, whatever its scope; an
//! ORGANIZATION-scoped one is named by the organization's id (`arn:aws:iam::o-…:
//! workload-identity-provider/NAME`) and seen by every account of the organization.
//!
//! No private key is part of the model: a CA's key and a provider's JWT keys are derived from
//! the keyring ([`super::workload_ca`], [`WorkloadIdentityProvider::jwt_key_subject`]), so the
//! store, `keyturn export` and the API never hold one. The model records which keyring key a
//! signer's CA key derives from.
//!
//! An X.509 signer's status is never stored: it follows from its times
//! ([`X509Signer::status_at`]), as the IAM model documents.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{IamData, Tags};
use crate::clock::parse_iso8601;

/// How long a stopped X.509 signer's trust material stays published (VALIDATING), in hours.
pub const DISCOVERY_RETENTION_HOURS: i64 = 12;

/// The most entries one X.509 slot (one key algorithm) holds.
pub const SLOT_CAPACITY: usize = 5;

/// The most X.509 or JWT signers GetWorkloadIdentityProvider reports per credential format.
pub const REPORTED_SIGNERS: usize = 10;

/// How long a deletion task id of DeleteWorkloadIdentityProvider can be read, in hours.
pub const DELETION_TASK_HOURS: i64 = 24;

/// The collection a provider or template belongs to (`ResourceScope`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkloadScope {
    /// The account that created it.
    #[default]
    Account,
    /// The organization of that account.
    Organization,
}

impl WorkloadScope {
    /// The wire text (`ACCOUNT`, `ORGANIZATION`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Account => "ACCOUNT",
            Self::Organization => "ORGANIZATION",
        }
    }

    /// The scope spelled `text`, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "ACCOUNT" => Some(Self::Account),
            "ORGANIZATION" => Some(Self::Organization),
            _ => None,
        }
    }

    fn is_account(&self) -> bool {
        *self == Self::Account
    }
}

/// How a provider renders the identifiers it mints (`Scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkloadScheme {
    /// `spiffe://DOMAIN/PATH`.
    Spiffe,
    /// The path alone.
    None,
}

impl WorkloadScheme {
    /// The wire text (`SPIFFE`, `NONE`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spiffe => "SPIFFE",
            Self::None => "NONE",
        }
    }

    /// The scheme spelled `text`, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "SPIFFE" => Some(Self::Spiffe),
            "NONE" => Some(Self::None),
            _ => None,
        }
    }
}

/// A certificate authority's key algorithm, as AWS Private CA names it; one X.509 slot per
/// algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaKeyAlgorithm {
    /// ECDSA on P-256, signing with SHA-256.
    #[serde(rename = "EC_prime256v1")]
    EcPrime256v1,
    /// ECDSA on P-384, signing with SHA-384.
    #[serde(rename = "EC_secp384r1")]
    EcSecp384r1,
    /// ECDSA on P-521, signing with SHA-512.
    #[serde(rename = "EC_secp521r1")]
    EcSecp521r1,
    /// RSA 2048, PKCS#1 v1.5 with SHA-256.
    #[serde(rename = "RSA_2048")]
    Rsa2048,
    /// RSA 3072, PKCS#1 v1.5 with SHA-384.
    #[serde(rename = "RSA_3072")]
    Rsa3072,
    /// RSA 4096, PKCS#1 v1.5 with SHA-384.
    #[serde(rename = "RSA_4096")]
    Rsa4096,
}

impl CaKeyAlgorithm {
    /// Every algorithm, in AWS's documented order.
    pub const ALL: [Self; 6] = [
        Self::EcPrime256v1,
        Self::EcSecp384r1,
        Self::EcSecp521r1,
        Self::Rsa2048,
        Self::Rsa3072,
        Self::Rsa4096,
    ];

    /// AWS Private CA's name (`EC_prime256v1`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EcPrime256v1 => "EC_prime256v1",
            Self::EcSecp384r1 => "EC_secp384r1",
            Self::EcSecp521r1 => "EC_secp521r1",
            Self::Rsa2048 => "RSA_2048",
            Self::Rsa3072 => "RSA_3072",
            Self::Rsa4096 => "RSA_4096",
        }
    }

    /// The algorithm AWS Private CA names `text`, if it is one IAM accepts.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The signature algorithm IAM signs with under this key algorithm (`ECDSA_SHA_256`, …).
    pub fn signing_algorithm(self) -> &'static str {
        match self {
            Self::EcPrime256v1 => "ECDSA_SHA_256",
            Self::EcSecp384r1 => "ECDSA_SHA_384",
            Self::EcSecp521r1 => "ECDSA_SHA_512",
            Self::Rsa2048 => "RSASSA_PKCS1_V1_5_SHA_256",
            Self::Rsa3072 | Self::Rsa4096 => "RSASSA_PKCS1_V1_5_SHA_384",
        }
    }
}

/// A certificate authority's status, as AWS Private CA reports it (the part IAM checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CaStatus {
    /// Issuing: IAM accepts it.
    #[default]
    Active,
    /// Disabled: IAM refuses to attach it.
    Disabled,
}

impl CaStatus {
    fn is_active(&self) -> bool {
        *self == Self::Active
    }
}

/// A certificate authority of an account: Keyturn's stand-in for an AWS Private CA
/// service-affiliated CA (`UsageMode` SERVICE_AFFILIATED, affiliation IAM_WORKLOAD_IDENTITY).
/// Declared in the configuration by id and key algorithm; its key is derived from the keyring
/// and its self-signed root certificate is made when a signer attaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateCertificateAuthority {
    /// The CA's id, the last segment of its ARN (`[a-zA-Z0-9_-]{1,256}`).
    pub id: String,
    /// Its key algorithm (the X.509 slot it fills).
    pub key_algorithm: CaKeyAlgorithm,
    /// ACTIVE (default) or DISABLED.
    #[serde(default, skip_serializing_if = "CaStatus::is_active")]
    pub status: CaStatus,
}

/// Why an X.509 signer stopped signing (what EnableWorkloadIdentityProviderOutboundSigner may
/// resume).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerStop {
    /// DisableWorkloadIdentityProviderOutboundSigner: resumable.
    Disabled,
    /// Replaced by a rotation (UpdateWorkloadIdentityProviderOutboundSigner): resumable by
    /// rotating back to it.
    Rotated,
    /// An incoming signer whose rotation was cancelled before it signed: never resumed.
    Cancelled,
}

/// An X.509 signer's status (`IN_TRANSITION`, `ACTIVE`, `VALIDATING`, `INACTIVE`), derived
/// from its times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerStatus {
    /// Attached, not signing yet; its trust material is published.
    InTransition,
    /// Signing.
    Active,
    /// Stopped; its trust material is still published.
    Validating,
    /// Retired: neither signs nor verifies.
    Inactive,
}

impl SignerStatus {
    /// The wire text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InTransition => "IN_TRANSITION",
            Self::Active => "ACTIVE",
            Self::Validating => "VALIDATING",
            Self::Inactive => "INACTIVE",
        }
    }

    /// Whether the signer's trust material is published (every status but INACTIVE).
    pub fn is_published(self) -> bool {
        self != Self::Inactive
    }
}

/// One X.509 outbound signer entry of a provider: a certificate authority attached in the slot
/// of its key algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct X509Signer {
    /// The CA's id (`CertificateAuthorityId`).
    pub ca_id: String,
    /// The account that owns the CA (`AccountId`).
    pub ca_account: String,
    /// The CA's key algorithm: the slot.
    pub key_algorithm: CaKeyAlgorithm,
    /// The keyring key the CA's private key is derived from.
    pub keyring_key: u32,
    /// The CA's certificate (PEM): the trust anchor published in the bundle.
    pub certificate: String,
    /// When it starts (or started) signing (ISO-8601).
    pub start_signing_time: String,
    /// When it stops (or stopped) signing, once scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_signing_time: Option<String>,
    /// When its trust material stops being published, once scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_expiration_time: Option<String>,
    /// Why it stopped, once it did (or is scheduled to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<SignerStop>,
    /// Its place in the provider's recording order (ListWorkloadIdentityProviderOutboundSigners'
    /// consistent order and markers).
    pub sequence: u64,
}

/// A time of the model, or the start of time when the stored text does not parse (so a
/// corrupted time reads as long past).
fn at(text: &str) -> OffsetDateTime {
    parse_iso8601(text).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl X509Signer {
    /// The status at `now`: the start time counts as inside the signing window, the end time
    /// as outside it.
    pub fn status_at(&self, now: OffsetDateTime) -> SignerStatus {
        if let Some(end) = &self.end_signing_time
            && now >= at(end)
        {
            let published = self
                .discovery_expiration_time
                .as_deref()
                .is_none_or(|d| now < at(d));
            return if published {
                SignerStatus::Validating
            } else {
                SignerStatus::Inactive
            };
        }
        if now < at(&self.start_signing_time) {
            SignerStatus::InTransition
        } else {
            SignerStatus::Active
        }
    }

    /// Whether this entry is the CA `ca_id` of `ca_account`.
    pub fn is_ca(&self, ca_id: &str, ca_account: &str) -> bool {
        self.ca_id == ca_id && self.ca_account == ca_account
    }
}

/// The JWT signing algorithms of a provider: IAM creates one signer per algorithm with the
/// provider; their keys derive from the keyring (see
/// [`WorkloadIdentityProvider::jwt_key_subject`]).
pub const JWT_SIGNERS: [JwtSigner; 2] = [
    JwtSigner {
        signing_algorithm: "RS256",
        key_algorithm: "RSA_2048",
    },
    JwtSigner {
        signing_algorithm: "ES384",
        key_algorithm: "ECC_NIST_P384",
    },
];

/// One of a provider's JWT signers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwtSigner {
    /// The JWS `alg`.
    pub signing_algorithm: &'static str,
    /// The key's algorithm (`KeyAlgorithm`).
    pub key_algorithm: &'static str,
}

/// A workload identity provider: a SPIFFE trust domain (or a bare path namespace), its signers,
/// resource policy and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadIdentityProvider {
    /// The provider's name, the last segment of its ARN.
    pub name: String,
    /// Its unique id (`AWPA…` account-scoped, `AWPO…` organization-scoped).
    pub id: String,
    /// ACCOUNT (default) or ORGANIZATION.
    #[serde(default, skip_serializing_if = "WorkloadScope::is_account")]
    pub scope: WorkloadScope,
    /// For an ORGANIZATION-scoped provider: the organization's id (its ARN's owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// SPIFFE or NONE.
    pub scheme: WorkloadScheme,
    /// The trust domain (SPIFFE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// The resource policy (JSON text, as given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<String>,
    /// When it was created (ISO-8601): also when its JWT signers started signing.
    pub create_date: String,
    /// Its X.509 signers, in recording order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub x509_signers: Vec<X509Signer>,
    /// The sequence number the next recorded signer takes.
    #[serde(default)]
    pub next_sequence: u64,
}

/// What providers and templates share: a name in a collection (an account's or an
/// organization's), a unique id, a scope, and an ARN of their kind.
pub trait WorkloadEntity: Sized {
    /// The ARN's resource type (`workload-identity-provider`).
    const KIND: &'static str;
    /// What IAM's messages call it (`workload identity provider`).
    const WHAT: &'static str;
    /// The name, the last segment of the ARN.
    fn name(&self) -> &str;
    /// The unique id.
    fn id(&self) -> &str;
    /// The scope.
    fn scope(&self) -> WorkloadScope;
    /// The organization's id, for an ORGANIZATION-scoped entity.
    fn organization_id(&self) -> Option<&str>;
    /// The account's entities of this kind.
    fn in_account(account: &super::Account) -> &[Self];

    /// `arn:aws:iam::OWNER:KIND/NAME`: the owner is `account_id`, or the organization's id for
    /// an ORGANIZATION-scoped entity.
    fn entity_arn(&self, account_id: &str) -> String {
        let owner = self.organization_id().unwrap_or(account_id);
        format!("arn:aws:iam::{owner}:{}/{}", Self::KIND, self.name())
    }
}

/// Implements [`WorkloadEntity`] for a type with `name`, `id`, `scope` and `organization_id`
/// fields, kept in the account's list `$list`.
macro_rules! workload_entity {
    ($t:ty, $kind:literal, $what:literal, $list:ident) => {
        impl WorkloadEntity for $t {
            const KIND: &'static str = $kind;
            const WHAT: &'static str = $what;
            fn name(&self) -> &str {
                &self.name
            }
            fn id(&self) -> &str {
                &self.id
            }
            fn scope(&self) -> WorkloadScope {
                self.scope
            }
            fn organization_id(&self) -> Option<&str> {
                self.organization_id.as_deref()
            }
            fn in_account(account: &super::Account) -> &[Self] {
                &account.$list
            }
        }
    };
}

impl WorkloadIdentityProvider {
    /// The ARN: `arn:aws:iam::ACCOUNT:workload-identity-provider/NAME`, with the organization's
    /// id in place of the account for an ORGANIZATION-scoped provider.
    pub fn arn(&self, account_id: &str) -> String {
        self.entity_arn(account_id)
    }

    /// What the provider's JWT signing keys derive from: the subject passed to
    /// [`crate::engine::Engine::sign_jwt`] and [`crate::engine::Engine::jwks`] in place of an
    /// account (`workload-identity-provider/ID`), so that its keys are its own.
    pub fn jwt_key_subject(&self) -> String {
        format!("workload-identity-provider/{}", self.id)
    }

    /// The X.509 signers in the slot of `alg`.
    pub fn slot(&self, alg: CaKeyAlgorithm) -> impl Iterator<Item = &X509Signer> {
        self.x509_signers
            .iter()
            .filter(move |s| s.key_algorithm == alg)
    }

    /// The X.509 signer that signs at `now`, if any: the ACTIVE entry of the first slot (in
    /// [`CaKeyAlgorithm::ALL`]'s order) that has one.
    pub fn active_x509_signer(&self, now: OffsetDateTime) -> Option<&X509Signer> {
        CaKeyAlgorithm::ALL.into_iter().find_map(|alg| {
            self.slot(alg)
                .find(|s| s.status_at(now) == SignerStatus::Active)
        })
    }

    /// The X.509 signers whose trust material is published at `now` (every status but
    /// INACTIVE): the X.509 trust bundle's contents.
    pub fn published_x509_signers(&self, now: OffsetDateTime) -> impl Iterator<Item = &X509Signer> {
        self.x509_signers
            .iter()
            .filter(move |s| s.status_at(now).is_published())
    }
}

/// A workload identity template: how identifiers are rendered under a provider, and the
/// attestation policy that admits workloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadIdentityTemplate {
    /// The template's name, the last segment of its ARN.
    pub name: String,
    /// Its unique id (`AWTA…` account-scoped, `AWTO…` organization-scoped); a template deleted
    /// and created again under the same name gets a new one.
    pub id: String,
    /// ACCOUNT (default) or ORGANIZATION.
    #[serde(default, skip_serializing_if = "WorkloadScope::is_account")]
    pub scope: WorkloadScope,
    /// For an ORGANIZATION-scoped template: the organization's id (its ARN's owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The ARN of the provider it was created under.
    pub provider_arn: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The namespace between the provider's naming root and the pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_prefix: Option<String>,
    /// The pattern identifiers are rendered from (`{placeholder}` segments).
    pub path_pattern: String,
    /// The attestation policy (JSON text, as given); none: the template admits nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_policy: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// When it was created (ISO-8601).
    pub create_date: String,
}

impl WorkloadIdentityTemplate {
    /// The ARN: `arn:aws:iam::ACCOUNT:workload-identity-template/NAME`, with the organization's
    /// id in place of the account for an ORGANIZATION-scoped template.
    pub fn arn(&self, account_id: &str) -> String {
        self.entity_arn(account_id)
    }
}

workload_entity!(
    WorkloadIdentityProvider,
    "workload-identity-provider",
    "workload identity provider",
    workload_identity_providers
);
workload_entity!(
    WorkloadIdentityTemplate,
    "workload-identity-template",
    "workload identity template",
    workload_identity_templates
);

/// A deletion DeleteWorkloadIdentityProvider performed, readable by the account that sent it
/// until it expires (GetWorkloadIdentityProviderDeletionStatus).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadDeletionTask {
    /// The task id (`DeletionTaskId`).
    pub id: String,
    /// The deleted provider's ARN.
    pub provider_arn: String,
    /// When the id stops being readable (ISO-8601).
    pub expiration_time: String,
}

/// A provider or template found by ARN: the account that keeps it, and it.
pub type Found<'a, T> = (&'a super::Account, &'a T);

impl IamData {
    /// The workload identity provider or template (`T`) with ARN `arn`, and the account that
    /// keeps it.
    pub fn workload_entity<T: WorkloadEntity>(&self, arn: &str) -> Option<Found<'_, T>> {
        let name = arn.rsplit_once(&format!("{}/", T::KIND))?.1;
        self.accounts.iter().find_map(|a| {
            T::in_account(a)
                .iter()
                .find(|e| e.name() == name && e.entity_arn(&a.id) == arn)
                .map(|e| (a, e))
        })
    }

    /// The workload identity provider with ARN `arn`, and the account that keeps it.
    pub fn workload_provider(&self, arn: &str) -> Option<Found<'_, WorkloadIdentityProvider>> {
        self.workload_entity(arn)
    }

    /// The workload identity template with ARN `arn`, and the account that keeps it.
    pub fn workload_template(&self, arn: &str) -> Option<Found<'_, WorkloadIdentityTemplate>> {
        self.workload_entity(arn)
    }

    /// The certificate authority `id` of account `account`, if declared.
    pub fn private_ca(&self, account: &str, id: &str) -> Option<&PrivateCertificateAuthority> {
        self.account(account)?
            .private_certificate_authorities
            .iter()
            .find(|c| c.id == id)
    }

    /// Whether `account` may see the provider kept by `owner`: its own, or an
    /// ORGANIZATION-scoped one of its organization.
    pub fn workload_visible(&self, account: &str, owner: &str, scope: WorkloadScope) -> bool {
        owner == account
            || (scope == WorkloadScope::Organization
                && self
                    .organization
                    .as_deref()
                    .is_some_and(|o| o.has_account(account) && o.has_account(owner)))
    }
}

#[cfg(test)]
mod tests;
