//! Identifiers in AWS's formats: account ids, access key ids (with the account encoded in them),
//! unique ids of IAM entities, and secret access keys.
//!
//! See `docs/identifiers.md` for the encodings.

pub mod rng;

use crate::ErrorCode;
use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::Error;

/// The largest account id: twelve nines.
const MAX_ACCOUNT: u64 = 999_999_999_999;

/// An AWS account id: twelve decimal digits (leading zeros are significant in the text form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(u64);

impl AccountId {
    /// Account `000000000000`, standing for AWS's own namespace (`aws` in
    /// `arn:aws:iam::aws:policy/…`) where an id derivation needs an account: no customer account
    /// is all zeros.
    pub const AWS: AccountId = AccountId(0);

    /// The account with this number; `None` above `999999999999`.
    pub fn new(number: u64) -> Option<Self> {
        (number <= MAX_ACCOUNT).then_some(Self(number))
    }

    /// The account's number.
    pub fn number(self) -> u64 {
        self.0
    }

    /// Whether `s` is exactly twelve ASCII digits.
    pub fn is_valid(s: &str) -> bool {
        s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
    }
}

/// An account id's twelve digits, on the stack ([`AccountId::digits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountDigits([u8; 12]);

impl std::ops::Deref for AccountDigits {
    type Target = str;

    fn deref(&self) -> &str {
        // Twelve ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or("000000000000")
    }
}

impl AccountId {
    /// The twelve digits, without formatting machinery or allocation (the engine writes account
    /// ids into ARNs on every request).
    pub fn digits(self) -> AccountDigits {
        let mut out = [b'0'; 12];
        let mut n = self.0;
        for d in out.iter_mut().rev() {
            // `n % 10` is below 10.
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        AccountDigits(out)
    }
}

/// `Display` as the id's text and `FromStr` through the type's `parse`, for the ids kept as
/// validated text.
macro_rules! text_id_traits {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $ty {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self, Error> {
                Self::parse(s)
            }
        }
    };
}

impl AccountId {
    /// The account id `id` as kept in `place` (`the model`, `the organization`), where ids were
    /// validated when written: an invalid one is `InternalFailure`.
    pub(crate) fn stored(id: &str, place: &str) -> Result<Self, Error> {
        id.parse().map_err(|_| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("invalid account id `{id}` in {place}"),
            )
        })
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits())
    }
}

impl FromStr for AccountId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let invalid = || {
            Error::new(
                ErrorCode::ValidationError,
                format!("{s} is not a valid account id"),
            )
        };
        if !Self::is_valid(s) {
            return Err(invalid());
        }
        s.parse::<u64>().map(Self).map_err(|_| invalid())
    }
}

/// The kind of an access key id, from its four-character prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessKeyKind {
    /// `AKIA`: a long-term key of an IAM user or of the root user.
    LongTerm,
    /// `ASIA`: a temporary key issued by STS.
    Temporary,
}

impl AccessKeyKind {
    /// The four-character prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::LongTerm => "AKIA",
            Self::Temporary => "ASIA",
        }
    }
}

/// An access key id: 20 characters, a 4-character prefix then 16 of base32 (`A-Z2-7`) that encode
/// the account (see [`AccessKeyId::account`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccessKeyId(String);

impl AccessKeyId {
    /// A fresh key id of `kind` for `account`, its free bits random.
    pub fn generate(kind: AccessKeyKind, account: AccountId) -> Result<Self, Error> {
        let random: [u8; 5] = rng::array()?;
        Ok(Self::from_parts(kind, account, random))
    }

    /// The key id for `account` whose 39 free bits are taken from `random` (the low 7 bits of its
    /// first byte, then four bytes).
    pub fn from_parts(kind: AccessKeyKind, account: AccountId, random: [u8; 5]) -> Self {
        let z: u64 = (1 << 47) | (account.0 << 7) | u64::from(random[0] & 0x7f);
        let mut raw = [0u8; 10];
        raw[..6].copy_from_slice(&z.to_be_bytes()[2..]);
        raw[6..].copy_from_slice(&random[1..]);
        let mut s = String::with_capacity(20);
        s.push_str(kind.prefix());
        s.push_str(&BASE32_NOPAD.encode(&raw));
        Self(s)
    }

    /// Parses a well-formed key id: 20 characters, 4 upper-case letters then 16 of base32.
    pub fn parse(s: &str) -> Result<Self, Error> {
        decode_account(s)?;
        Ok(Self(s.to_owned()))
    }

    /// The key id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `AKIA`/`ASIA`, or `None` for other prefixes.
    pub fn kind(&self) -> Option<AccessKeyKind> {
        match self.0.get(..4) {
            Some("AKIA") => Some(AccessKeyKind::LongTerm),
            Some("ASIA") => Some(AccessKeyKind::Temporary),
            _ => None,
        }
    }

    /// The account encoded in the key id (what GetAccessKeyInfo answers).
    pub fn account(&self) -> Result<AccountId, Error> {
        decode_account(&self.0)
    }
}

text_id_traits!(AccessKeyId);

/// The account of any well-formed access key id, from the id alone.
///
/// Base32-decode the 16 characters after the prefix into 10 bytes; the first 6, big-endian, are
/// `z`; the account is `(z & 0x7fffffffff80) >> 7`.
pub fn decode_account(key_id: &str) -> Result<AccountId, Error> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidParameterValue,
            format!("{key_id} is not a valid access key id"),
        )
    };
    let bytes = key_id.as_bytes();
    if bytes.len() != 20 || !bytes[..4].iter().all(u8::is_ascii_uppercase) {
        return Err(invalid());
    }
    let mut raw = [0u8; 10];
    let n = BASE32_NOPAD
        .decode_mut(&bytes[4..], &mut raw)
        .map_err(|_| invalid())?;
    if n != 10 {
        return Err(invalid());
    }
    let mut z = [0u8; 8];
    z[2..].copy_from_slice(&raw[..6]);
    let number = (u64::from_be_bytes(z) & 0x7fff_ffff_ff80) >> 7;
    AccountId::new(number).ok_or_else(invalid)
}

/// The kind of an IAM entity's unique id, from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UniqueIdKind {
    /// `AIDA`: an IAM user.
    User,
    /// `AROA`: a role.
    Role,
    /// `AGPA`: a group.
    Group,
    /// `ANPA`: a managed policy.
    Policy,
    /// `AIPA`: an instance profile.
    InstanceProfile,
    /// `ASCA`: a server certificate.
    ServerCertificate,
    /// `AWPA`: an account-scoped workload identity provider.
    WorkloadProvider,
    /// `AWPO`: an organization-scoped workload identity provider.
    OrgWorkloadProvider,
    /// `AWTA`: an account-scoped workload identity template.
    WorkloadTemplate,
    /// `AWTO`: an organization-scoped workload identity template.
    OrgWorkloadTemplate,
}

impl UniqueIdKind {
    /// The four-character prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::User => "AIDA",
            Self::Role => "AROA",
            Self::Group => "AGPA",
            Self::Policy => "ANPA",
            Self::InstanceProfile => "AIPA",
            Self::ServerCertificate => "ASCA",
            Self::WorkloadProvider => "AWPA",
            Self::OrgWorkloadProvider => "AWPO",
            Self::WorkloadTemplate => "AWTA",
            Self::OrgWorkloadTemplate => "AWTO",
        }
    }

    fn from_prefix(p: &str) -> Option<Self> {
        Some(match p {
            "AIDA" => Self::User,
            "AROA" => Self::Role,
            "AGPA" => Self::Group,
            "ANPA" => Self::Policy,
            "AIPA" => Self::InstanceProfile,
            "ASCA" => Self::ServerCertificate,
            "AWPA" => Self::WorkloadProvider,
            "AWPO" => Self::OrgWorkloadProvider,
            "AWTA" => Self::WorkloadTemplate,
            "AWTO" => Self::OrgWorkloadTemplate,
            _ => return None,
        })
    }
}

/// A unique id of an IAM entity (`AIDA…`, `AROA…`, …): 21 characters, the prefix then 17 of base32.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UniqueId(String);

impl UniqueId {
    /// A random unique id of `kind`.
    pub fn random(kind: UniqueIdKind) -> Result<Self, Error> {
        let bytes: [u8; 11] = rng::array()?;
        Ok(Self::from_bytes(kind, &bytes))
    }

    /// The stable unique id of the entity `(kind, account, name)` under `key`: the same inputs give
    /// the same id on every node and after restarts; without the key the id reveals nothing.
    pub fn derive(kind: UniqueIdKind, account: AccountId, name: &str, key: &[u8]) -> Self {
        let mac = Hmac::<Sha256>::new_from_slice(key).map(|mut m| {
            m.update(b"keyturn unique id v1\0");
            m.update(kind.prefix().as_bytes());
            m.update(&account.0.to_be_bytes());
            m.update(name.as_bytes());
            m.finalize().into_bytes()
        });
        // HMAC accepts keys of any length, so the error arm is unreachable; it still yields an id.
        let digest = mac.map(|d| d.to_vec()).unwrap_or_default();
        let mut bytes = [0u8; 11];
        for (dst, src) in bytes.iter_mut().zip(digest.iter()) {
            *dst = *src;
        }
        Self::from_bytes(kind, &bytes)
    }

    fn from_bytes(kind: UniqueIdKind, bytes: &[u8; 11]) -> Self {
        let mut s = String::with_capacity(21);
        s.push_str(kind.prefix());
        // 11 bytes are 18 base32 characters; the id keeps 17 (85 bits).
        s.push_str(&BASE32_NOPAD.encode(bytes)[..17]);
        Self(s)
    }

    /// Parses a unique id: a known prefix then 17 characters of `A-Z2-7`.
    pub fn parse(s: &str) -> Result<Self, Error> {
        let ok = s.len() == 21
            && s.get(..4).and_then(UniqueIdKind::from_prefix).is_some()
            && s.bytes()
                .skip(4)
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(Error::new(
                ErrorCode::InvalidParameterValue,
                format!("{s} is not a valid unique id"),
            ))
        }
    }

    /// The kind, from the prefix.
    pub fn kind(&self) -> Option<UniqueIdKind> {
        self.0.get(..4).and_then(UniqueIdKind::from_prefix)
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_id_traits!(UniqueId);

/// A new SSH public key id: `APKA` and 16 characters of base32 (`A-Z2-7`), 20 in all, as IAM's
/// look.
///
/// # Errors
/// `ServiceFailure` when the OS random generator fails.
pub fn ssh_public_key_id() -> Result<String, Error> {
    let bytes: [u8; 10] = rng::array()?;
    Ok(format!("APKA{}", BASE32_NOPAD.encode(&bytes)))
}

/// A secret value (a secret access key): the project's one secret type.
pub use keyturn_api::SecretString as Secret;

/// The length of a secret access key.
pub const SECRET_ACCESS_KEY_LEN: usize = 40;

/// A secret access key made of the 30 bytes `bytes`: 40 characters of `A-Za-z0-9+/`.
pub fn secret_access_key_from_bytes(bytes: &[u8; 30]) -> Secret {
    Secret::new(base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes))
}

/// A fresh random secret access key (for long-term `AKIA` keys).
pub fn generate_secret_access_key() -> Result<Secret, Error> {
    let bytes: Zeroizing<[u8; 30]> = Zeroizing::new(rng::array()?);
    Ok(secret_access_key_from_bytes(&bytes))
}

/// Whether `s` has the shape of a secret access key: 40 characters of `A-Za-z0-9+/`.
pub fn is_secret_access_key(s: &str) -> bool {
    s.len() == SECRET_ACCESS_KEY_LEN
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}
