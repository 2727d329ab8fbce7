//! The model's constraints, as a table: one entry per request member of every supported action.
//!
//! Each entry names the member by its path in the model (`Tags.member.Key`), and points at the
//! constraint of its target shape (length or value range, list size, pattern, enum, sensitivity).
//! Patterns are hand-written character-class checks that keep the model's text for messages.
//! A test reads `sts-2011-06-15.service-2.json` and `iam-2010-05-08.service-2.json` and checks this
//! table against them, so the two cannot drift.

/// A character class of one of the model's patterns (every pattern is `[class]*` or `[class]+`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// `\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF` (ARNs).
    Arn,
    /// `\w` (ASCII letters, digits, `_`) plus the given extra characters.
    Word(&'static str),
    /// `\p{L}\p{Z}\p{N}_.:/=+\-@` (tag keys and values).
    Tag,
    /// `\d` (ASCII digits).
    Digit,
    /// `\u0009\u000A\u000D\u0020-\u00FF` (policy documents).
    Policy,
    /// `\u0020-\u00FF` (IAM markers).
    Latin1,
}

impl CharClass {
    /// Whether `c` is in the class.
    pub fn contains(self, c: char) -> bool {
        if let Ok(b) = u8::try_from(c)
            && b.is_ascii()
        {
            return self.contains_ascii(b);
        }
        match self {
            Self::Arn => matches!(c, '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}'
                | '\u{10000}'..='\u{10ffff}'),
            Self::Word(extra) => extra.contains(c),
            Self::Digit => false,
            Self::Tag => c.is_alphabetic() || c.is_numeric() || is_separator(c),
            Self::Policy | Self::Latin1 => matches!(c, '\u{80}'..='\u{ff}'),
        }
    }

    /// Whether the ASCII character `b` is in the class (`b` < 128).
    const fn contains_ascii(self, b: u8) -> bool {
        match self {
            Self::Arn => matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7e),
            Self::Word(extra) => {
                if b.is_ascii_alphanumeric() || b == b'_' {
                    return true;
                }
                let extra = extra.as_bytes();
                let mut i = 0;
                while i < extra.len() {
                    if extra[i] == b {
                        return true;
                    }
                    i += 1;
                }
                false
            }
            Self::Tag => {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b' ' | b'_' | b'.' | b':' | b'/' | b'=' | b'+' | b'-' | b'@'
                    )
            }
            Self::Digit => b.is_ascii_digit(),
            Self::Policy => matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7f),
            Self::Latin1 => matches!(b, 0x20..=0x7f),
        }
    }

    /// The class's ASCII members as a 128-bit set (bit `b` of word `b / 64`).
    const fn ascii_set(self) -> [u64; 2] {
        let mut set = [0u64; 2];
        let mut b = 0u8;
        while b < 128 {
            if self.contains_ascii(b) {
                set[(b / 64) as usize] |= 1 << (b % 64);
            }
            b += 1;
        }
        set
    }
}

/// Unicode general category Z (Zs, Zl, Zp).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// A model pattern: its text (for messages and the drift test) and its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern exactly as in the model, e.g. `[\w+=,.@-]*`.
    pub model: &'static str,
    /// The character class.
    pub class: CharClass,
    /// `*` (true) or `+` (false).
    pub allow_empty: bool,
    /// The class's ASCII members, for a check by table of ASCII values (the usual ones).
    ascii: [u64; 2],
}

impl Pattern {
    /// The pattern `model` for `class`.
    pub const fn new(model: &'static str, class: CharClass, allow_empty: bool) -> Self {
        Self {
            model,
            class,
            allow_empty,
            ascii: class.ascii_set(),
        }
    }

    /// Whether the whole of `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        if value.is_empty() {
            return self.allow_empty;
        }
        if value.is_ascii() {
            let set = self.ascii;
            // Branch-free per byte: a fold without early exit vectorises.
            return value.bytes().fold(true, |all, b| {
                let word = set[usize::from(b >> 6) & 1];
                all & ((word >> (b & 63)) & 1 == 1)
            });
        }
        value.chars().all(|c| self.class.contains(c))
    }
}

/// The constraints of one shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Constraint {
    /// The model's shape name.
    pub shape: &'static str,
    /// Minimum length (strings, in code points), value (integers) or size (lists).
    pub min: Option<i64>,
    /// Maximum, likewise.
    pub max: Option<i64>,
    /// The pattern, for strings.
    pub pattern: Option<Pattern>,
    /// The allowed values, for enums.
    pub enum_values: Option<&'static [&'static str]>,
    /// Whether the model marks the shape sensitive (its value never appears in messages).
    pub sensitive: bool,
}

const fn c(shape: &'static str, min: Option<i64>, max: Option<i64>) -> Constraint {
    Constraint {
        shape,
        min,
        max,
        pattern: None,
        enum_values: None,
        sensitive: false,
    }
}

const fn p(
    shape: &'static str,
    min: Option<i64>,
    max: Option<i64>,
    model: &'static str,
    class: CharClass,
    allow_empty: bool,
) -> Constraint {
    Constraint {
        shape,
        min,
        max,
        pattern: Some(Pattern::new(model, class, allow_empty)),
        enum_values: None,
        sensitive: false,
    }
}

const fn secret(shape: &'static str, min: Option<i64>, max: Option<i64>) -> Constraint {
    Constraint {
        shape,
        min,
        max,
        pattern: None,
        enum_values: None,
        sensitive: true,
    }
}

const ARN_CLASS: &str =
    r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+";
const NAME_PATTERN: &str = r"[\w+=,.@-]*";
const POLICY_PATTERN: &str = r"[\u0009\u000A\u000D\u0020-\u00FF]+";
const NAME_CLASS: CharClass = CharClass::Word("+=,.@-");

// STS shapes.
/// `arnType` (STS).
pub const ARN: Constraint = p(
    "arnType",
    Some(20),
    Some(2048),
    ARN_CLASS,
    CharClass::Arn,
    false,
);
/// `roleSessionNameType`.
pub const ROLE_SESSION_NAME: Constraint = p(
    "roleSessionNameType",
    Some(2),
    Some(64),
    NAME_PATTERN,
    NAME_CLASS,
    true,
);
/// `policyDescriptorListType`.
pub const POLICY_DESCRIPTOR_LIST: Constraint = c("policyDescriptorListType", None, None);
/// `PolicyDescriptorType`.
pub const POLICY_DESCRIPTOR: Constraint = c("PolicyDescriptorType", None, None);
/// `unrestrictedSessionPolicyDocumentType`.
pub const UNRESTRICTED_POLICY: Constraint = p(
    "unrestrictedSessionPolicyDocumentType",
    Some(1),
    None,
    POLICY_PATTERN,
    CharClass::Policy,
    false,
);
/// `sessionPolicyDocumentType`.
pub const SESSION_POLICY: Constraint = p(
    "sessionPolicyDocumentType",
    Some(1),
    Some(2048),
    POLICY_PATTERN,
    CharClass::Policy,
    false,
);
/// `roleDurationSecondsType`.
pub const ROLE_DURATION: Constraint = c("roleDurationSecondsType", Some(900), Some(43200));
/// `tagListType`.
pub const TAG_LIST: Constraint = c("tagListType", None, Some(50));
/// `Tag`.
pub const TAG: Constraint = c("Tag", None, None);
/// `tagKeyType`.
pub const TAG_KEY: Constraint = p(
    "tagKeyType",
    Some(1),
    Some(128),
    r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+",
    CharClass::Tag,
    false,
);
/// `tagValueType`.
pub const TAG_VALUE: Constraint = p(
    "tagValueType",
    Some(0),
    Some(256),
    r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
    CharClass::Tag,
    true,
);
/// `tagKeyListType`.
pub const TAG_KEY_LIST: Constraint = c("tagKeyListType", None, Some(50));
/// `externalIdType`.
pub const EXTERNAL_ID: Constraint = p(
    "externalIdType",
    Some(2),
    Some(1224),
    r"[\w+=,.@:\/-]*",
    CharClass::Word("+=,.@:/-"),
    true,
);
/// `serialNumberType`.
pub const SERIAL_NUMBER: Constraint = p(
    "serialNumberType",
    Some(9),
    Some(256),
    r"[\w+=/:,.@-]*",
    CharClass::Word("+=/:,.@-"),
    true,
);
/// `tokenCodeType`.
pub const TOKEN_CODE: Constraint = p(
    "tokenCodeType",
    Some(6),
    Some(6),
    r"[\d]*",
    CharClass::Digit,
    true,
);
/// `sourceIdentityType`.
pub const SOURCE_IDENTITY: Constraint = p(
    "sourceIdentityType",
    Some(2),
    Some(64),
    NAME_PATTERN,
    NAME_CLASS,
    true,
);
/// `ProvidedContextsListType`.
pub const PROVIDED_CONTEXTS: Constraint = c("ProvidedContextsListType", Some(1), Some(5));
/// `ProvidedContext`.
pub const PROVIDED_CONTEXT: Constraint = c("ProvidedContext", None, None);
/// `contextAssertionType`.
pub const CONTEXT_ASSERTION: Constraint = c("contextAssertionType", Some(4), Some(2048));
/// `SAMLAssertionType`.
pub const SAML_ASSERTION: Constraint = secret("SAMLAssertionType", Some(4), Some(100000));
/// `clientTokenType`.
pub const CLIENT_TOKEN: Constraint = secret("clientTokenType", Some(4), Some(20000));
/// `urlType`.
pub const URL: Constraint = c("urlType", Some(4), Some(2048));
/// `TargetPrincipalType`.
pub const TARGET_PRINCIPAL: Constraint = c("TargetPrincipalType", Some(12), Some(2048));
/// `RootDurationSecondsType`.
pub const ROOT_DURATION: Constraint = c("RootDurationSecondsType", Some(0), Some(900));
/// `encodedMessageType`.
pub const ENCODED_MESSAGE: Constraint = c("encodedMessageType", Some(1), Some(10240));
/// `accessKeyIdType`.
pub const ACCESS_KEY_ID: Constraint = p(
    "accessKeyIdType",
    Some(16),
    Some(128),
    r"[\w]*",
    CharClass::Word(""),
    true,
);
/// `tradeInTokenType`.
pub const TRADE_IN_TOKEN: Constraint = secret("tradeInTokenType", None, None);
/// `userNameType`.
pub const FEDERATED_NAME: Constraint = p(
    "userNameType",
    Some(2),
    Some(32),
    NAME_PATTERN,
    NAME_CLASS,
    true,
);
/// `durationSecondsType`.
pub const DURATION: Constraint = c("durationSecondsType", Some(900), Some(129600));
/// `webIdentityTokenAudienceListType`.
pub const AUDIENCE_LIST: Constraint = c("webIdentityTokenAudienceListType", Some(1), Some(10));
/// `webIdentityTokenAudienceStringType`.
pub const AUDIENCE: Constraint = c("webIdentityTokenAudienceStringType", Some(1), Some(1000));
/// `webIdentityTokenDurationSecondsType`.
pub const WIT_DURATION: Constraint = c("webIdentityTokenDurationSecondsType", Some(60), Some(3600));
/// `jwtAlgorithmType`.
pub const JWT_ALGORITHM: Constraint = c("jwtAlgorithmType", Some(5), Some(5));

// IAM shapes.
/// `arnType` (IAM: no pattern).
pub const IAM_ARN: Constraint = c("arnType", Some(20), Some(2048));
/// `SimulationPolicyListType`.
pub const SIMULATION_POLICY_LIST: Constraint = c("SimulationPolicyListType", None, None);
/// `policyDocumentType`.
pub const POLICY_DOCUMENT: Constraint = p(
    "policyDocumentType",
    Some(1),
    Some(131072),
    POLICY_PATTERN,
    CharClass::Policy,
    false,
);
/// `ActionNameListType`.
pub const ACTION_NAME_LIST: Constraint = c("ActionNameListType", None, None);
/// `ActionNameType`.
pub const ACTION_NAME: Constraint = c("ActionNameType", Some(3), Some(128));
/// `ResourceNameListType`.
pub const RESOURCE_NAME_LIST: Constraint = c("ResourceNameListType", None, None);
/// `ResourceNameType`.
pub const RESOURCE_NAME: Constraint = c("ResourceNameType", Some(1), Some(2048));
/// `ContextEntryListType`.
pub const CONTEXT_ENTRY_LIST: Constraint = c("ContextEntryListType", None, None);
/// `ContextEntry`.
pub const CONTEXT_ENTRY: Constraint = c("ContextEntry", None, None);
/// `ContextKeyNameType`.
pub const CONTEXT_KEY_NAME: Constraint = c("ContextKeyNameType", Some(5), Some(256));
/// `ContextKeyValueListType`.
pub const CONTEXT_KEY_VALUE_LIST: Constraint = c("ContextKeyValueListType", None, None);
/// `ContextKeyValueType`.
pub const CONTEXT_KEY_VALUE: Constraint = c("ContextKeyValueType", None, None);
/// `ContextKeyTypeEnum`.
pub const CONTEXT_KEY_TYPE: Constraint = Constraint {
    shape: "ContextKeyTypeEnum",
    min: None,
    max: None,
    pattern: None,
    enum_values: Some(&[
        "string",
        "stringList",
        "numeric",
        "numericList",
        "boolean",
        "booleanList",
        "ip",
        "ipList",
        "binary",
        "binaryList",
        "date",
        "dateList",
    ]),
    sensitive: false,
};
/// `ResourceHandlingOptionType`.
pub const RESOURCE_HANDLING_OPTION: Constraint = c("ResourceHandlingOptionType", Some(1), Some(64));
/// `maxItemsType`.
pub const MAX_ITEMS: Constraint = c("maxItemsType", Some(1), Some(1000));
/// `markerType`.
pub const MARKER: Constraint = p(
    "markerType",
    Some(1),
    Some(320),
    r"[\u0020-\u00FF]+",
    CharClass::Latin1,
    false,
);

/// One member of one action's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberRule {
    /// The action, e.g. `AssumeRole`.
    pub operation: &'static str,
    /// The member's path in the model: `RoleSessionName`, `Tags.member.Key`,
    /// `TransitiveTagKeys.member`, `TaskPolicyArn.arn`.
    pub path: &'static str,
    /// Whether the member is required in its enclosing structure.
    pub required: bool,
    /// The constraints of its shape.
    pub constraint: &'static Constraint,
}

const fn m(
    operation: &'static str,
    path: &'static str,
    required: bool,
    constraint: &'static Constraint,
) -> MemberRule {
    MemberRule {
        operation,
        path,
        required,
        constraint,
    }
}

/// IAM members of the simulation actions that Keyturn does not accept (they are ignored by the
/// decoder); the drift test skips them.
pub const UNSUPPORTED_IAM_MEMBERS: [&str; 2] =
    ["PolicyExclusionList", "OrderedOrganizationPolicyInputList"];

/// Every request member of every supported action.
pub static MEMBER_RULES: &[MemberRule] = &[
    m("AssumeRole", "RoleArn", true, &ARN),
    m("AssumeRole", "RoleSessionName", true, &ROLE_SESSION_NAME),
    m("AssumeRole", "PolicyArns", false, &POLICY_DESCRIPTOR_LIST),
    m("AssumeRole", "PolicyArns.member", false, &POLICY_DESCRIPTOR),
    m("AssumeRole", "PolicyArns.member.arn", false, &ARN),
    m("AssumeRole", "Policy", false, &UNRESTRICTED_POLICY),
    m("AssumeRole", "DurationSeconds", false, &ROLE_DURATION),
    m("AssumeRole", "Tags", false, &TAG_LIST),
    m("AssumeRole", "Tags.member", false, &TAG),
    m("AssumeRole", "Tags.member.Key", true, &TAG_KEY),
    m("AssumeRole", "Tags.member.Value", true, &TAG_VALUE),
    m("AssumeRole", "TransitiveTagKeys", false, &TAG_KEY_LIST),
    m("AssumeRole", "TransitiveTagKeys.member", false, &TAG_KEY),
    m("AssumeRole", "ExternalId", false, &EXTERNAL_ID),
    m("AssumeRole", "SerialNumber", false, &SERIAL_NUMBER),
    m("AssumeRole", "TokenCode", false, &TOKEN_CODE),
    m("AssumeRole", "SourceIdentity", false, &SOURCE_IDENTITY),
    m("AssumeRole", "ProvidedContexts", false, &PROVIDED_CONTEXTS),
    m(
        "AssumeRole",
        "ProvidedContexts.member",
        false,
        &PROVIDED_CONTEXT,
    ),
    m(
        "AssumeRole",
        "ProvidedContexts.member.ProviderArn",
        false,
        &ARN,
    ),
    m(
        "AssumeRole",
        "ProvidedContexts.member.ContextAssertion",
        false,
        &CONTEXT_ASSERTION,
    ),
    m("AssumeRoleWithSAML", "RoleArn", true, &ARN),
    m("AssumeRoleWithSAML", "PrincipalArn", true, &ARN),
    m("AssumeRoleWithSAML", "SAMLAssertion", true, &SAML_ASSERTION),
    m(
        "AssumeRoleWithSAML",
        "PolicyArns",
        false,
        &POLICY_DESCRIPTOR_LIST,
    ),
    m(
        "AssumeRoleWithSAML",
        "PolicyArns.member",
        false,
        &POLICY_DESCRIPTOR,
    ),
    m("AssumeRoleWithSAML", "PolicyArns.member.arn", false, &ARN),
    m("AssumeRoleWithSAML", "Policy", false, &SESSION_POLICY),
    m(
        "AssumeRoleWithSAML",
        "DurationSeconds",
        false,
        &ROLE_DURATION,
    ),
    m("AssumeRoleWithWebIdentity", "RoleArn", true, &ARN),
    m(
        "AssumeRoleWithWebIdentity",
        "RoleSessionName",
        true,
        &ROLE_SESSION_NAME,
    ),
    m(
        "AssumeRoleWithWebIdentity",
        "WebIdentityToken",
        true,
        &CLIENT_TOKEN,
    ),
    m("AssumeRoleWithWebIdentity", "ProviderId", false, &URL),
    m(
        "AssumeRoleWithWebIdentity",
        "PolicyArns",
        false,
        &POLICY_DESCRIPTOR_LIST,
    ),
    m(
        "AssumeRoleWithWebIdentity",
        "PolicyArns.member",
        false,
        &POLICY_DESCRIPTOR,
    ),
    m(
        "AssumeRoleWithWebIdentity",
        "PolicyArns.member.arn",
        false,
        &ARN,
    ),
    m(
        "AssumeRoleWithWebIdentity",
        "Policy",
        false,
        &SESSION_POLICY,
    ),
    m(
        "AssumeRoleWithWebIdentity",
        "DurationSeconds",
        false,
        &ROLE_DURATION,
    ),
    m("AssumeRoot", "TargetPrincipal", true, &TARGET_PRINCIPAL),
    m("AssumeRoot", "TaskPolicyArn", true, &POLICY_DESCRIPTOR),
    m("AssumeRoot", "TaskPolicyArn.arn", false, &ARN),
    m("AssumeRoot", "DurationSeconds", false, &ROOT_DURATION),
    m(
        "DecodeAuthorizationMessage",
        "EncodedMessage",
        true,
        &ENCODED_MESSAGE,
    ),
    m("GetAccessKeyInfo", "AccessKeyId", true, &ACCESS_KEY_ID),
    m(
        "GetDelegatedAccessToken",
        "TradeInToken",
        true,
        &TRADE_IN_TOKEN,
    ),
    m("GetFederationToken", "Name", true, &FEDERATED_NAME),
    m("GetFederationToken", "Policy", false, &SESSION_POLICY),
    m(
        "GetFederationToken",
        "PolicyArns",
        false,
        &POLICY_DESCRIPTOR_LIST,
    ),
    m(
        "GetFederationToken",
        "PolicyArns.member",
        false,
        &POLICY_DESCRIPTOR,
    ),
    m("GetFederationToken", "PolicyArns.member.arn", false, &ARN),
    m("GetFederationToken", "DurationSeconds", false, &DURATION),
    m("GetFederationToken", "Tags", false, &TAG_LIST),
    m("GetFederationToken", "Tags.member", false, &TAG),
    m("GetFederationToken", "Tags.member.Key", true, &TAG_KEY),
    m("GetFederationToken", "Tags.member.Value", true, &TAG_VALUE),
    m("GetSessionToken", "DurationSeconds", false, &DURATION),
    m("GetSessionToken", "SerialNumber", false, &SERIAL_NUMBER),
    m("GetSessionToken", "TokenCode", false, &TOKEN_CODE),
    m("GetWebIdentityToken", "Audience", true, &AUDIENCE_LIST),
    m("GetWebIdentityToken", "Audience.member", false, &AUDIENCE),
    m(
        "GetWebIdentityToken",
        "DurationSeconds",
        false,
        &WIT_DURATION,
    ),
    m(
        "GetWebIdentityToken",
        "SigningAlgorithm",
        true,
        &JWT_ALGORITHM,
    ),
    m("GetWebIdentityToken", "Tags", false, &TAG_LIST),
    m("GetWebIdentityToken", "Tags.member", false, &TAG),
    m("GetWebIdentityToken", "Tags.member.Key", true, &TAG_KEY),
    m("GetWebIdentityToken", "Tags.member.Value", true, &TAG_VALUE),
    m("SimulatePrincipalPolicy", "PolicySourceArn", true, &IAM_ARN),
    m(
        "SimulatePrincipalPolicy",
        "PolicyInputList",
        false,
        &SIMULATION_POLICY_LIST,
    ),
    m(
        "SimulatePrincipalPolicy",
        "PolicyInputList.member",
        false,
        &POLICY_DOCUMENT,
    ),
    m(
        "SimulatePrincipalPolicy",
        "PermissionsBoundaryPolicyInputList",
        false,
        &SIMULATION_POLICY_LIST,
    ),
    m(
        "SimulatePrincipalPolicy",
        "PermissionsBoundaryPolicyInputList.member",
        false,
        &POLICY_DOCUMENT,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ActionNames",
        true,
        &ACTION_NAME_LIST,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ActionNames.member",
        false,
        &ACTION_NAME,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ResourceArns",
        false,
        &RESOURCE_NAME_LIST,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ResourceArns.member",
        false,
        &RESOURCE_NAME,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ResourcePolicy",
        false,
        &POLICY_DOCUMENT,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ResourceOwner",
        false,
        &RESOURCE_NAME,
    ),
    m(
        "SimulatePrincipalPolicy",
        "CallerArn",
        false,
        &RESOURCE_NAME,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ContextEntries",
        false,
        &CONTEXT_ENTRY_LIST,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ContextEntries.member",
        false,
        &CONTEXT_ENTRY,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ContextEntries.member.ContextKeyName",
        false,
        &CONTEXT_KEY_NAME,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ContextEntries.member.ContextKeyValues",
        false,
        &CONTEXT_KEY_VALUE_LIST,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ContextEntries.member.ContextKeyValues.member",
        false,
        &CONTEXT_KEY_VALUE,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ContextEntries.member.ContextKeyType",
        false,
        &CONTEXT_KEY_TYPE,
    ),
    m(
        "SimulatePrincipalPolicy",
        "ResourceHandlingOption",
        false,
        &RESOURCE_HANDLING_OPTION,
    ),
    m("SimulatePrincipalPolicy", "MaxItems", false, &MAX_ITEMS),
    m("SimulatePrincipalPolicy", "Marker", false, &MARKER),
    m(
        "SimulateCustomPolicy",
        "PolicyInputList",
        true,
        &SIMULATION_POLICY_LIST,
    ),
    m(
        "SimulateCustomPolicy",
        "PolicyInputList.member",
        false,
        &POLICY_DOCUMENT,
    ),
    m(
        "SimulateCustomPolicy",
        "PermissionsBoundaryPolicyInputList",
        false,
        &SIMULATION_POLICY_LIST,
    ),
    m(
        "SimulateCustomPolicy",
        "PermissionsBoundaryPolicyInputList.member",
        false,
        &POLICY_DOCUMENT,
    ),
    m(
        "SimulateCustomPolicy",
        "ActionNames",
        true,
        &ACTION_NAME_LIST,
    ),
    m(
        "SimulateCustomPolicy",
        "ActionNames.member",
        false,
        &ACTION_NAME,
    ),
    m(
        "SimulateCustomPolicy",
        "ResourceArns",
        false,
        &RESOURCE_NAME_LIST,
    ),
    m(
        "SimulateCustomPolicy",
        "ResourceArns.member",
        false,
        &RESOURCE_NAME,
    ),
    m(
        "SimulateCustomPolicy",
        "ResourcePolicy",
        false,
        &POLICY_DOCUMENT,
    ),
    m(
        "SimulateCustomPolicy",
        "ResourceOwner",
        false,
        &RESOURCE_NAME,
    ),
    m("SimulateCustomPolicy", "CallerArn", false, &RESOURCE_NAME),
    m(
        "SimulateCustomPolicy",
        "ContextEntries",
        false,
        &CONTEXT_ENTRY_LIST,
    ),
    m(
        "SimulateCustomPolicy",
        "ContextEntries.member",
        false,
        &CONTEXT_ENTRY,
    ),
    m(
        "SimulateCustomPolicy",
        "ContextEntries.member.ContextKeyName",
        false,
        &CONTEXT_KEY_NAME,
    ),
    m(
        "SimulateCustomPolicy",
        "ContextEntries.member.ContextKeyValues",
        false,
        &CONTEXT_KEY_VALUE_LIST,
    ),
    m(
        "SimulateCustomPolicy",
        "ContextEntries.member.ContextKeyValues.member",
        false,
        &CONTEXT_KEY_VALUE,
    ),
    m(
        "SimulateCustomPolicy",
        "ContextEntries.member.ContextKeyType",
        false,
        &CONTEXT_KEY_TYPE,
    ),
    m(
        "SimulateCustomPolicy",
        "ResourceHandlingOption",
        false,
        &RESOURCE_HANDLING_OPTION,
    ),
    m("SimulateCustomPolicy", "MaxItems", false, &MAX_ITEMS),
    m("SimulateCustomPolicy", "Marker", false, &MARKER),
];

/// The rule of one member, by action and model path.
pub fn rule(operation: &str, path: &str) -> Option<&'static MemberRule> {
    MEMBER_RULES
        .iter()
        .find(|r| r.operation == operation && r.path == path)
}
