//! The AWS Query protocol's request side: a form body or query string into a typed request.
//!
//! `Action=AssumeRole&Version=2011-06-15&RoleArn=…&Tags.member.1.Key=…`. Lists are
//! `Name.member.N` (1-based; ordered by N), structures in lists `Name.member.N.Field`. The
//! action decides the service (STS or IAM) and the expected `Version`. Unknown parameters are
//! ignored, as AWS does; a parameter given twice, a bad `%` escape or non-UTF-8 text is
//! `InvalidQueryParameter`.

use keyturn_core::ErrorCode;
use std::borrow::Cow;

use keyturn_core::Error;
use keyturn_core::request::Service;
use keyturn_core::sts::api::{self as api, ApiRequest, IAM_ACTIONS, STS_ACTIONS};

use crate::WireError;

/// Decoded parameters.
///
/// A request has a handful of parameters: up to [`FEW`] stay in arrival order and are looked up
/// by a linear scan that compares lengths first (cheaper than sorting and binary searching such
/// a short list); more are sorted by name and binary searched. Either way a name given twice is
/// rejected and lists come out ordered by index, so the two layouts behave the same.
#[derive(Debug, Default)]
pub struct Params<'a> {
    /// In arrival order if at most [`FEW`], sorted by name otherwise.
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// Whether some name contains a `.` (a list element has `.member.`): without one, every list
    /// is empty.
    has_members: bool,
}

/// Up to this many parameters are kept unsorted (see [`Params`]).
const FEW: usize = 16;

/// The separator between a list's name and an element's index.
const MEMBER: &str = ".member.";

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `application/x-www-form-urlencoded` decoding of one name or value, strictly.
fn unescape(raw: &str) -> Result<Cow<'_, str>, WireError> {
    // Decoded in place in a copy: the output is never longer than the input.
    let mut out = raw.as_bytes().to_vec();
    let (mut read, mut write) = (0, 0);
    while let Some(&b) = out.get(read) {
        let decoded = match b {
            b'+' => b' ',
            b'%' => {
                let h = out.get(read + 1).copied().and_then(hex);
                let l = out.get(read + 2).copied().and_then(hex);
                let (Some(h), Some(l)) = (h, l) else {
                    return Err(WireError::malformed_query());
                };
                read += 2;
                h << 4 | l
            }
            b => b,
        };
        if let Some(slot) = out.get_mut(write) {
            *slot = decoded;
        }
        read += 1;
        write += 1;
    }
    out.truncate(write);
    String::from_utf8(out)
        .map(Cow::Owned)
        .map_err(|_| WireError::malformed_query())
}

/// The bytes [`Params::parse`] stops at: `&`, `=`, `%` and `+`.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'=' as usize] = true;
    table[b'%' as usize] = true;
    table[b'+' as usize] = true;
    table
};

/// Adds the pair `text[start..end]` (its `=` at `eq`), unless empty.
fn pair<'a>(
    pairs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    text: &'a str,
    start: usize,
    eq: Option<usize>,
    end: usize,
    [name_escaped, value_escaped]: [bool; 2],
) -> Result<(), WireError> {
    if end <= start {
        return Ok(());
    }
    let (name, value) = match eq {
        Some(eq) => (text.get(start..eq), text.get(eq + 1..end)),
        None => (text.get(start..end), Some("")),
    };
    let (Some(name), Some(value)) = (name, value) else {
        return Err(WireError::malformed_query());
    };
    pairs.push((piece(name, name_escaped)?, piece(value, value_escaped)?));
    Ok(())
}

/// A name or value: `text` itself, or decoded if it has an escape.
fn piece(text: &str, escaped: bool) -> Result<Cow<'_, str>, WireError> {
    if escaped {
        unescape(text)
    } else {
        Ok(Cow::Borrowed(text))
    }
}

/// `a == b`, comparing the lengths first (most names differ in length).
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes() == b.as_bytes()
}

impl<'a> Params<'a> {
    /// Parses a form body or query string.
    ///
    /// # Errors
    /// `InvalidQueryParameter` for a bad escape, non-UTF-8 text or a duplicate name.
    pub fn parse(raw: &'a [u8]) -> Result<Self, WireError> {
        // The raw text must be UTF-8 (escapes may encode any bytes; the decoded pieces are
        // checked again): one check of the whole instead of one per piece.
        let text = std::str::from_utf8(raw).map_err(|_| WireError::malformed_query())?;
        let mut pairs: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::with_capacity(8);
        // One pass over the bytes finds each pair's `=` and whether its name or value has an
        // escape (`%` or `+`); pieces without one are borrowed as they are. Most bytes are
        // none of the four: one table look-up each.
        let bytes = text.as_bytes();
        let (mut start, mut eq, mut escaped) = (0, None, [false; 2]);
        for (i, &b) in bytes.iter().enumerate() {
            if !SPECIAL[usize::from(b)] {
                continue;
            }
            match b {
                b'&' => {
                    pair(&mut pairs, text, start, eq, i, escaped)?;
                    (start, eq, escaped) = (i + 1, None, [false; 2]);
                }
                b'=' if eq.is_none() => eq = Some(i),
                b'=' => {}
                _ => escaped[usize::from(eq.is_some())] = true,
            }
        }
        pair(&mut pairs, text, start, eq, bytes.len(), escaped)?;
        let duplicate = if pairs.len() <= FEW {
            pairs.iter().enumerate().any(|(i, (k, _))| {
                pairs
                    .get(i + 1..)
                    .is_some_and(|later| later.iter().any(|(l, _)| same(k, l)))
            })
        } else {
            pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            pairs.windows(2).any(|w| w[0].0 == w[1].0)
        };
        if duplicate {
            return Err(WireError::malformed_query());
        }
        // A cheap over-approximation of "some name contains `.member.`".
        let has_members = pairs.iter().any(|(k, _)| k.as_bytes().contains(&b'.'));
        Ok(Self { pairs, has_members })
    }

    /// One parameter's value.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&str> {
        if self.pairs.len() <= FEW {
            self.pairs
                .iter()
                .find(|(k, _)| same(k, name))
                .map(|(_, v)| v.as_ref())
        } else {
            self.pairs
                .binary_search_by(|(k, _)| k.as_ref().cmp(name))
                .ok()
                .and_then(|i| self.pairs.get(i))
                .map(|(_, v)| v.as_ref())
        }
    }

    /// All parameters, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .pairs
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        if self.pairs.len() <= FEW {
            all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        }
        all.into_iter()
    }

    /// The elements of list `name` (`name.member.N…`), grouped by N in ascending order; each
    /// element is its (suffix after N, value) pairs, the suffix `""` or `.Field…`, in the order
    /// of their names.
    fn members(&self, name: &str) -> Vec<Vec<(&str, &str)>> {
        if !self.has_members {
            return Vec::new();
        }
        // (N, name after `.member.`, suffix after N, value)
        let mut items: Vec<(u32, &str, &str, &str)> = Vec::new();
        for (k, v) in &self.pairs {
            let Some(rest) = k
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(MEMBER))
            else {
                continue;
            };
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let Ok(n) = rest[..digits].parse::<u32>() else {
                continue;
            };
            if n == 0 {
                continue;
            }
            items.push((n, rest, &rest[digits..], v.as_ref()));
        }
        // By index, then by name: the same order whichever layout the pairs have.
        items.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let mut out: Vec<Vec<(&str, &str)>> = Vec::new();
        let mut last = 0;
        for (n, _, suffix, v) in items {
            if n != last || out.is_empty() {
                out.push(Vec::new());
                last = n;
            }
            if let Some(group) = out.last_mut() {
                group.push((suffix, v));
            }
        }
        out
    }

    fn string_list(&self, name: &str) -> Vec<String> {
        self.members(name)
            .into_iter()
            .filter_map(|g| {
                g.iter()
                    .find(|(s, _)| s.is_empty())
                    .map(|(_, v)| (*v).to_owned())
            })
            .collect()
    }
}

fn field<'p>(group: &[(&'p str, &'p str)], name: &str) -> Option<&'p str> {
    group
        .iter()
        .find(|(s, _)| s.strip_prefix('.') == Some(name))
        .map(|(_, v)| *v)
}

fn required(p: &Params<'_>, name: &str) -> Result<String, Error> {
    p.get(name).map(str::to_owned).ok_or_else(|| {
        Error::new(ErrorCode::MissingParameter, format!("The request must contain the parameter {name}"))
    })
}

fn opt(p: &Params<'_>, name: &str) -> Option<String> {
    p.get(name).map(str::to_owned)
}

fn int(p: &Params<'_>, name: &str) -> Result<Option<i32>, Error> {
    match p.get(name) {
        None => Ok(None),
        Some(v) => v.trim().parse::<i32>().map(Some).map_err(|_| {
            Error::new(ErrorCode::InvalidParameterValue, format!(
                "Value ({v}) for parameter {name} is invalid. Expected an integer."
            ))
        }),
    }
}

fn tags(p: &Params<'_>) -> Result<Vec<api::Tag>, Error> {
    p.members("Tags")
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let key = field(g, "Key").ok_or_else(|| api::null_member_error("tags", i, "key"))?;
            let value =
                field(g, "Value").ok_or_else(|| api::null_member_error("tags", i, "value"))?;
            Ok(api::Tag {
                key: key.to_owned(),
                value: value.to_owned(),
            })
        })
        .collect()
}

fn policy_arns(p: &Params<'_>) -> Vec<api::PolicyDescriptor> {
    p.members("PolicyArns")
        .iter()
        .map(|g| api::PolicyDescriptor {
            arn: field(g, "arn").map(str::to_owned),
        })
        .collect()
}

fn context_entries(p: &Params<'_>) -> Vec<api::ContextEntry> {
    p.members("ContextEntries")
        .iter()
        .map(|g| {
            let mut values: Vec<(u32, &str)> = g
                .iter()
                .filter_map(|(s, v)| {
                    let n = s
                        .strip_prefix(".ContextKeyValues.member.")?
                        .parse::<u32>()
                        .ok()?;
                    Some((n, *v))
                })
                .collect();
            values.sort_by_key(|&(n, _)| n);
            api::ContextEntry {
                context_key_name: field(g, "ContextKeyName").map(str::to_owned),
                context_key_values: values.into_iter().map(|(_, v)| v.to_owned()).collect(),
                context_key_type: field(g, "ContextKeyType").map(str::to_owned),
            }
        })
        .collect()
}

/// Picks the action and its service, checking `Version`.
///
/// # Errors
/// `MissingAction` without `Action`; `InvalidAction` ("Could not find operation X for version
/// V", `V` = `NO_VERSION_SPECIFIED` when absent) for an unknown action or a wrong version.
pub fn action<'p>(p: &'p Params<'_>) -> Result<(&'p str, Service), WireError> {
    let Some(action) = p.get("Action").filter(|a| !a.is_empty()) else {
        return Err(WireError::sender("MissingAction", 400, "Missing Action"));
    };
    let version = p.get("Version");
    let service = if STS_ACTIONS.contains(&action) {
        Some(Service::Sts)
    } else if IAM_ACTIONS.contains(&action) {
        Some(Service::Iam)
    } else {
        None
    };
    match service {
        Some(s) if version == Some(s.api_version()) => Ok((action, s)),
        _ => Err(Error::new(ErrorCode::InvalidAction, format!(
            "Could not find operation {action} for version {}",
            version.unwrap_or("NO_VERSION_SPECIFIED")
        ))
        .into()),
    }
}

/// Decodes and validates one request.
///
/// # Errors
/// The protocol errors of [`action`], `MissingParameter` for a missing required parameter,
/// `InvalidParameterValue` for a non-integer number, `ValidationError` for constraints.
pub fn decode(p: &Params<'_>) -> Result<(Service, ApiRequest), WireError> {
    let (action, service) = action(p)?;
    let request = decode_action(p, action)?;
    request.validate()?;
    Ok((service, request))
}

fn decode_action(p: &Params<'_>, action: &str) -> Result<ApiRequest, Error> {
    Ok(match action {
        "AssumeRole" => ApiRequest::AssumeRole(api::AssumeRoleRequest {
            role_arn: required(p, "RoleArn")?,
            role_session_name: required(p, "RoleSessionName")?,
            policy_arns: policy_arns(p),
            policy: opt(p, "Policy"),
            duration_seconds: int(p, "DurationSeconds")?,
            tags: tags(p)?,
            transitive_tag_keys: p.string_list("TransitiveTagKeys"),
            external_id: opt(p, "ExternalId"),
            serial_number: opt(p, "SerialNumber"),
            token_code: opt(p, "TokenCode").map(Into::into),
            source_identity: opt(p, "SourceIdentity"),
            provided_contexts: p
                .members("ProvidedContexts")
                .iter()
                .map(|g| api::ProvidedContext {
                    provider_arn: field(g, "ProviderArn").map(str::to_owned),
                    context_assertion: field(g, "ContextAssertion").map(str::to_owned),
                })
                .collect(),
        }),
        "AssumeRoleWithSAML" => ApiRequest::AssumeRoleWithSaml(api::AssumeRoleWithSamlRequest {
            role_arn: required(p, "RoleArn")?,
            principal_arn: required(p, "PrincipalArn")?,
            saml_assertion: required(p, "SAMLAssertion")?.into(),
            policy_arns: policy_arns(p),
            policy: opt(p, "Policy"),
            duration_seconds: int(p, "DurationSeconds")?,
        }),
        "AssumeRoleWithWebIdentity" => {
            ApiRequest::AssumeRoleWithWebIdentity(api::AssumeRoleWithWebIdentityRequest {
                role_arn: required(p, "RoleArn")?,
                role_session_name: required(p, "RoleSessionName")?,
                web_identity_token: required(p, "WebIdentityToken")?.into(),
                provider_id: opt(p, "ProviderId"),
                policy_arns: policy_arns(p),
                policy: opt(p, "Policy"),
                duration_seconds: int(p, "DurationSeconds")?,
            })
        }
        "AssumeRoot" => ApiRequest::AssumeRoot(api::AssumeRootRequest {
            target_principal: required(p, "TargetPrincipal")?,
            task_policy_arn: api::PolicyDescriptor {
                arn: Some(required(p, "TaskPolicyArn.arn")?),
            },
            duration_seconds: int(p, "DurationSeconds")?,
        }),
        "DecodeAuthorizationMessage" => {
            ApiRequest::DecodeAuthorizationMessage(api::DecodeAuthorizationMessageRequest {
                encoded_message: required(p, "EncodedMessage")?,
            })
        }
        "GetAccessKeyInfo" => ApiRequest::GetAccessKeyInfo(api::GetAccessKeyInfoRequest {
            access_key_id: required(p, "AccessKeyId")?,
        }),
        "GetCallerIdentity" => ApiRequest::GetCallerIdentity,
        "GetDelegatedAccessToken" => {
            ApiRequest::GetDelegatedAccessToken(api::GetDelegatedAccessTokenRequest {
                trade_in_token: required(p, "TradeInToken")?.into(),
            })
        }
        "GetFederationToken" => ApiRequest::GetFederationToken(api::GetFederationTokenRequest {
            name: required(p, "Name")?,
            policy: opt(p, "Policy"),
            policy_arns: policy_arns(p),
            duration_seconds: int(p, "DurationSeconds")?,
            tags: tags(p)?,
        }),
        "GetSessionToken" => ApiRequest::GetSessionToken(api::GetSessionTokenRequest {
            duration_seconds: int(p, "DurationSeconds")?,
            serial_number: opt(p, "SerialNumber"),
            token_code: opt(p, "TokenCode").map(Into::into),
        }),
        "GetWebIdentityToken" => {
            let audience = p.string_list("Audience");
            if audience.is_empty() {
                return Err(Error::new(ErrorCode::MissingParameter, 
                    "The request must contain the parameter Audience".into(),
                ));
            }
            ApiRequest::GetWebIdentityToken(api::GetWebIdentityTokenRequest {
                audience,
                duration_seconds: int(p, "DurationSeconds")?,
                signing_algorithm: required(p, "SigningAlgorithm")?,
                tags: tags(p)?,
            })
        }
        "SimulatePrincipalPolicy" => {
            let policy_source_arn = required(p, "PolicySourceArn")?;
            let action_names = required_list(p, "ActionNames")?;
            ApiRequest::SimulatePrincipalPolicy(api::SimulatePrincipalPolicyRequest {
                policy_source_arn,
                policy_input_list: p.string_list("PolicyInputList"),
                permissions_boundary_policy_input_list: p
                    .string_list("PermissionsBoundaryPolicyInputList"),
                action_names,
                resource_arns: p.string_list("ResourceArns"),
                resource_policy: opt(p, "ResourcePolicy"),
                resource_owner: opt(p, "ResourceOwner"),
                caller_arn: opt(p, "CallerArn"),
                context_entries: context_entries(p),
                resource_handling_option: opt(p, "ResourceHandlingOption"),
                max_items: int(p, "MaxItems")?,
                marker: opt(p, "Marker"),
            })
        }
        "SimulateCustomPolicy" => {
            let policy_input_list = required_list(p, "PolicyInputList")?;
            let action_names = required_list(p, "ActionNames")?;
            ApiRequest::SimulateCustomPolicy(api::SimulateCustomPolicyRequest {
                policy_input_list,
                permissions_boundary_policy_input_list: p
                    .string_list("PermissionsBoundaryPolicyInputList"),
                action_names,
                resource_arns: p.string_list("ResourceArns"),
                resource_policy: opt(p, "ResourcePolicy"),
                resource_owner: opt(p, "ResourceOwner"),
                caller_arn: opt(p, "CallerArn"),
                context_entries: context_entries(p),
                resource_handling_option: opt(p, "ResourceHandlingOption"),
                max_items: int(p, "MaxItems")?,
                marker: opt(p, "Marker"),
            })
        }
        other => {
            return Err(Error::new(ErrorCode::InvalidAction, format!(
                "Could not find operation {other} for version {}",
                p.get("Version").unwrap_or("NO_VERSION_SPECIFIED")
            )));
        }
    })
}

/// A required list: absent (no element and no empty `Name=`) is `MissingParameter`.
fn required_list(p: &Params<'_>, name: &str) -> Result<Vec<String>, Error> {
    let list = p.string_list(name);
    if list.is_empty() && p.get(name).is_none() {
        return Err(Error::new(ErrorCode::MissingParameter, format!(
            "The request must contain the parameter {name}"
        )));
    }
    Ok(list)
}
