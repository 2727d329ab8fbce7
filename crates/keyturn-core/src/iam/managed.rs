//! AWS's managed policies (`arn:aws:iam::aws:policy/PATH/NAME`), known to the engine without
//! any file beside the binary.
//!
//! The 1,595 policies (default version, path, dates, document) are embedded gzip-compressed
//! (`data/aws-managed-policies.json.gz`, moto's collection, Apache-2.0: see `data/NOTICE`) and
//! decompressed once, on first use: a process that never names an AWS managed policy pays
//! nothing but the 520 KB in its binary. Nothing is compiled here; the snapshot compiles only
//! the policies that are attached ([`crate::engine::Snapshot::build`]).

use crate::ErrorCode;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use keyturn_policy::{CompiledPolicy, ParseOptions, PolicyDocument, PolicyType};

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Error;
use crate::evaluator::{PolicyRef, PolicySource};
use crate::ids::{AccountId, UniqueId, UniqueIdKind};

/// The ARN prefix of every AWS managed policy.
pub const AWS_POLICY_ARN_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// The embedded collection: gzip of moto's JSON, byte for byte.
const EMBEDDED: &[u8] = include_bytes!("../../data/aws-managed-policies.json.gz");

/// A bound on the decompressed size (the JSON is 3.8 MB), against a corrupt length field.
const MAX_JSON_BYTES: usize = 64 << 20;

/// One AWS managed policy, in its default version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsManagedPolicy {
    /// The policy name (`ReadOnlyAccess`).
    pub name: String,
    /// The path (`/`, `/job-function/`, `/service-role/`, …).
    pub path: String,
    /// `arn:aws:iam::aws:policy` + path + name.
    pub arn: String,
    /// `ANPA…`, derived from the ARN alone (see [`aws_policy_id`]).
    pub policy_id: UniqueId,
    /// The default version's id (`v12`); the only version kept.
    pub default_version_id: String,
    /// When AWS created the policy.
    pub create_date: OffsetDateTime,
    /// When AWS last changed it (the default version's date).
    pub update_date: OffsetDateTime,
    /// How many entities use it as a permissions boundary, as collected.
    pub permissions_boundary_usage_count: u32,
    /// The default version's document, compact JSON text.
    pub document: String,
}

/// Every AWS managed policy, by ARN and in name order.
#[derive(Debug, Default)]
pub struct AwsManagedPolicies {
    /// Ordered by name (ASCII): the order ListPolicies answers in.
    list: Vec<AwsManagedPolicy>,
    /// ARN → index into `list`.
    by_arn: HashMap<String, usize>,
}

impl AwsManagedPolicies {
    /// The policy with this ARN (path included, as AWS writes it).
    pub fn get(&self, arn: &str) -> Option<&AwsManagedPolicy> {
        self.by_arn.get(arn).and_then(|&i| self.list.get(i))
    }

    /// Every policy, ordered by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &AwsManagedPolicy> {
        self.list.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none (never, for the embedded collection).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Whether `arn` is in AWS's managed policy namespace (whether or not such a policy exists).
pub fn is_aws_managed_arn(arn: &str) -> bool {
    arn.starts_with(AWS_POLICY_ARN_PREFIX)
}

/// The embedded collection, decompressed and parsed on the first call (about 0.1 s once, in a
/// release build; the snapshot calls it only when the model attaches an AWS managed policy).
///
/// # Errors
/// `InternalFailure` if the embedded data cannot be read (a broken build, never the input's fault).
pub fn aws_managed_policies() -> Result<&'static AwsManagedPolicies, Error> {
    static POLICIES: OnceLock<Result<AwsManagedPolicies, String>> = OnceLock::new();
    POLICIES
        .get_or_init(|| parse_collection(&gunzip(EMBEDDED)?))
        .as_ref()
        .map_err(|e| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("embedded AWS managed policies: {e}"),
            )
        })
}

/// The AWS managed policy with this ARN, if AWS has one.
///
/// # Errors
/// As [`aws_managed_policies`].
pub fn aws_managed_policy(arn: &str) -> Result<Option<&'static AwsManagedPolicy>, Error> {
    if !is_aws_managed_arn(arn) {
        return Ok(None);
    }
    Ok(aws_managed_policies()?.get(arn))
}

/// Compiles an AWS managed policy as an identity policy. AWS's own policies are not held to the
/// 6,144-character quota of customer managed ones (`ReadOnlyAccess` is far longer).
///
/// # Errors
/// `MalformedPolicyDocument` if the document does not parse (none of the embedded ones).
pub fn compile(policy: &AwsManagedPolicy) -> Result<PolicyRef, Error> {
    let opts = ParseOptions::new(PolicyType::Identity).with_max_size(None);
    let doc = PolicyDocument::parse_with(&policy.document, opts)
        .map_err(|e| Error::new(ErrorCode::MalformedPolicyDocument, e.to_string()))?;
    Ok(PolicyRef {
        id: policy.arn.clone(),
        source: PolicySource::AwsManaged,
        text: Arc::from(policy.document.as_str()),
        compiled: CompiledPolicy::compile(&doc).with_id(&policy.arn),
    })
}

/// The policy id of an AWS managed policy: `ANPA` + 17 base32 characters of a hash of its ARN.
///
/// AWS gives each of its managed policies one id, the same in every account; this derivation
/// keeps that property (it depends on the ARN only, with a fixed public key, so every node and
/// every release agree) without claiming to be AWS's actual id.
pub fn aws_policy_id(arn: &str) -> UniqueId {
    UniqueId::derive(
        UniqueIdKind::Policy,
        AccountId::AWS,
        arn,
        b"keyturn aws managed policy id v1",
    )
}

/// Decompresses a gzip member (RFC 1952) whose body is one deflate stream.
fn gunzip(gz: &[u8]) -> Result<Vec<u8>, String> {
    const FTEXT_MASK: u8 = 0x01;
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    let bad = |what: &str| format!("not a gzip stream ({what})");
    if gz.len() < 18 || gz[0] != 0x1f || gz[1] != 0x8b || gz[2] != 8 {
        return Err(bad("header"));
    }
    let flags = gz[3] & !FTEXT_MASK;
    let mut at = 10usize;
    if flags & FEXTRA != 0 {
        let len = gz
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
            .ok_or_else(|| bad("extra field"))?;
        at += 2 + len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = gz
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
                .ok_or_else(|| bad("name or comment"))?;
            at += end + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let body_end = gz.len() - 8;
    let body = gz.get(at..body_end).ok_or_else(|| bad("truncated"))?;
    let out = miniz_oxide::inflate::decompress_to_vec_with_limit(body, MAX_JSON_BYTES)
        .map_err(|e| format!("inflate: {e:?}"))?;
    let isize = gz
        .get(body_end + 4..)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| bad("trailer"))?;
    if u64::from(isize) != (out.len() as u64 & 0xffff_ffff) {
        return Err(bad("length mismatch"));
    }
    Ok(out)
}

/// One entry of moto's collection (keyed by name).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RawPolicy {
    create_date: String,
    update_date: String,
    default_version_id: String,
    path: String,
    #[serde(default)]
    permissions_boundary_usage_count: u32,
    document: serde_json::Value,
}

/// Parses moto's JSON (`{NAME: {CreateDate, DefaultVersionId, Document, Path, …}}`).
pub(crate) fn parse_collection(json: &[u8]) -> Result<AwsManagedPolicies, String> {
    let raw: std::collections::BTreeMap<String, RawPolicy> =
        serde_json::from_slice(json).map_err(|e| format!("json: {e}"))?;
    let date = |name: &str, text: &str| {
        OffsetDateTime::parse(text, &Rfc3339).map_err(|e| format!("{name}: date `{text}`: {e}"))
    };
    let mut list = Vec::with_capacity(raw.len());
    for (name, p) in raw {
        let arn = format!("arn:aws:iam::aws:policy{}{name}", p.path);
        let document = serde_json::to_string(&p.document).map_err(|e| format!("{name}: {e}"))?;
        list.push(AwsManagedPolicy {
            policy_id: aws_policy_id(&arn),
            create_date: date(&name, &p.create_date)?,
            update_date: date(&name, &p.update_date)?,
            name,
            path: p.path,
            arn,
            default_version_id: p.default_version_id,
            permissions_boundary_usage_count: p.permissions_boundary_usage_count,
            document,
        });
    }
    // BTreeMap order is byte order of the names, AWS's order for ListPolicies.
    let by_arn = list
        .iter()
        .enumerate()
        .map(|(i, p)| (p.arn.clone(), i))
        .collect();
    Ok(AwsManagedPolicies { list, by_arn })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_collection_has_every_policy_with_its_arn_and_dates() {
        let all = aws_managed_policies().unwrap();
        assert_eq!(all.len(), 1595);
        let ro = all.get("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
        assert_eq!(ro.name, "ReadOnlyAccess");
        assert_eq!(ro.path, "/");
        assert!(ro.default_version_id.starts_with('v'));
        assert!(ro.document.contains("s3:Get*"), "{}", &ro.document[..200]);
        assert!(ro.update_date >= ro.create_date);
        // Paths are part of the ARN, as in AWS.
        let view = all
            .get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
            .unwrap();
        assert_eq!(view.path, "/job-function/");
        assert!(all.get("arn:aws:iam::aws:policy/ViewOnlyAccess").is_none());
        assert!(
            aws_managed_policy("arn:aws:iam::aws:policy/NoSuchThing")
                .unwrap()
                .is_none()
        );
        assert!(
            aws_managed_policy("arn:aws:iam::123456789012:policy/ReadOnlyAccess")
                .unwrap()
                .is_none()
        );
        // Name order, and the same object on every call (decompressed once).
        let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert!(std::ptr::eq(all, aws_managed_policies().unwrap()));
    }

    #[test]
    fn policy_ids_are_anpa_stable_and_distinct() {
        let all = aws_managed_policies().unwrap();
        let ro = all.get("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap();
        assert_eq!(ro.policy_id.kind(), Some(UniqueIdKind::Policy));
        assert_eq!(ro.policy_id.as_str().len(), 21);
        assert_eq!(ro.policy_id, aws_policy_id(&ro.arn));
        let ids: std::collections::HashSet<&str> =
            all.iter().map(|p| p.policy_id.as_str()).collect();
        assert_eq!(ids.len(), all.len());
    }

    #[test]
    fn every_aws_managed_policy_compiles() {
        let all = aws_managed_policies().unwrap();
        let failed: Vec<String> = all
            .iter()
            .filter_map(|p| compile(p).err().map(|e| format!("{}: {e}", p.name)))
            .collect();
        assert!(failed.is_empty(), "{} fail: {failed:#?}", failed.len());
        let ro = compile(all.get("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap()).unwrap();
        assert_eq!(ro.source, PolicySource::AwsManaged);
        assert!(ro.text.len() > 6144);
    }

    #[test]
    fn gunzip_refuses_what_is_not_gzip() {
        assert!(gunzip(b"{\"not\":\"gzip\"}....").is_err());
        let mut broken = EMBEDDED.to_vec();
        let n = broken.len();
        broken[n - 1] ^= 0xff; // ISIZE
        assert!(gunzip(&broken).is_err());
    }

    /// The embedded copy is the shared reference file: same policies, same documents.
    #[test]
    fn the_embedded_copy_matches_the_shared_reference_when_present() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/aws-managed-policies.json"
        );
        let Ok(reference) = std::fs::read(path) else {
            println!("skip: {path} is absent; the embedded copy is not compared");
            return;
        };
        let reference: serde_json::Value = serde_json::from_slice(&reference).unwrap();
        let embedded: serde_json::Value =
            serde_json::from_slice(&gunzip(EMBEDDED).unwrap()).unwrap();
        let (r, e) = (
            reference.as_object().unwrap(),
            embedded.as_object().unwrap(),
        );
        assert_eq!(r.len(), e.len());
        for (name, policy) in r {
            assert_eq!(e.get(name), Some(policy), "{name}");
        }
        // And the parsed form keeps each document.
        let all = aws_managed_policies().unwrap();
        for p in all.iter() {
            let doc: serde_json::Value = serde_json::from_str(&p.document).unwrap();
            assert_eq!(Some(&doc), r[&p.name].get("Document"), "{}", p.name);
        }
    }
}
