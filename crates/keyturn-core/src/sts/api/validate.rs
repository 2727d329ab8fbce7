//! Validation of typed requests against [`super::constraints`], with AWS's messages.
//!
//! AWS (Coral) reports every failed constraint in one `ValidationError`:
//! `2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:
//! Member must have length greater than or equal to 2; Value …`. The member is named in lower
//! camel case, list elements as `tags.1.member.key` (1-based). Sensitive members print no value
//! (`Value at 'sAMLAssertion' failed …`); a missing nested required member prints `Value null`.

use crate::ErrorCode;
use std::fmt::{self, Write as _};

use super::constraints::{self as k, Constraint};
use super::{ApiRequest, ContextEntry, PolicyDescriptor, ProvidedContext, Tag};
use crate::Error;

/// Where a member is, as AWS names it in messages.
#[derive(Clone, Copy)]
enum At<'a> {
    /// `roleSessionName`.
    Top(&'a str),
    /// `transitiveTagKeys.3.member`.
    Member(&'a str, usize),
    /// `tags.1.member.key`.
    Field(&'a str, usize, &'a str),
    /// `contextEntries.1.member.contextKeyValues.2.member`.
    Nested(&'a str, usize, &'a str, usize),
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Top(n) => f.write_str(n),
            Self::Member(n, i) => write!(f, "{n}.{}.member", i + 1),
            Self::Field(n, i, m) => write!(f, "{n}.{}.member.{m}", i + 1),
            Self::Nested(n, i, m, j) => write!(f, "{n}.{}.member.{m}.{}.member", i + 1, j + 1),
        }
    }
}

/// The failures found so far; allocates only when something fails.
#[derive(Default)]
struct Failures {
    count: usize,
    text: String,
}

impl Failures {
    fn push(
        &mut self,
        value: Option<&dyn fmt::Display>,
        sensitive: bool,
        at: At<'_>,
        what: fmt::Arguments<'_>,
    ) {
        if self.count > 0 {
            self.text.push_str("; ");
        }
        self.count += 1;
        // Writing to a String cannot fail.
        let _ = match (value, sensitive) {
            (_, true) => write!(self.text, "Value at '{at}'"),
            (Some(v), false) => write!(self.text, "Value '{v}' at '{at}'"),
            (None, false) => write!(self.text, "Value null at '{at}'"),
        };
        let _ = write!(self.text, " failed to satisfy constraint: {what}");
    }

    fn null(&mut self, at: At<'_>) {
        self.push(None, false, at, format_args!("Member must not be null"));
    }

    fn string(&mut self, c: &Constraint, at: At<'_>, value: &str) {
        let len = if value.is_ascii() {
            value.len()
        } else {
            value.chars().count()
        };
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        if let Some(min) = c.min
            && len < min
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!("Member must have length greater than or equal to {min}"),
            );
        }
        if let Some(max) = c.max
            && len > max
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!("Member must have length less than or equal to {max}"),
            );
        }
        if let Some(p) = c.pattern
            && !p.matches(value)
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!(
                    "Member must satisfy regular expression pattern: {}",
                    p.model
                ),
            );
        }
        if let Some(values) = c.enum_values
            && !values.contains(&value)
        {
            self.push(
                Some(&value),
                c.sensitive,
                at,
                format_args!(
                    "Member must satisfy enum value set: [{}]",
                    values.join(", ")
                ),
            );
        }
    }

    fn opt_string(&mut self, c: &Constraint, at: At<'_>, value: Option<&str>) {
        if let Some(v) = value {
            self.string(c, at, v);
        }
    }

    fn int(&mut self, c: &Constraint, at: At<'_>, value: Option<i32>) {
        let Some(v) = value else { return };
        if let Some(min) = c.min
            && i64::from(v) < min
        {
            self.push(
                Some(&v),
                false,
                at,
                format_args!("Member must have value greater than or equal to {min}"),
            );
        }
        if let Some(max) = c.max
            && i64::from(v) > max
        {
            self.push(
                Some(&v),
                false,
                at,
                format_args!("Member must have value less than or equal to {max}"),
            );
        }
    }

    /// A list's size; `shown` renders the list like Java's `List.toString`.
    fn list_size(&mut self, c: &Constraint, at: At<'_>, len: usize, shown: &dyn Fn() -> String) {
        let n = i64::try_from(len).unwrap_or(i64::MAX);
        if let Some(min) = c.min
            && n < min
        {
            let v = shown();
            self.push(
                Some(&v),
                false,
                at,
                format_args!("Member must have length greater than or equal to {min}"),
            );
        }
        if let Some(max) = c.max
            && n > max
        {
            let v = shown();
            self.push(
                Some(&v),
                false,
                at,
                format_args!("Member must have length less than or equal to {max}"),
            );
        }
    }

    fn strings(
        &mut self,
        list: &k::Constraint,
        item: &k::Constraint,
        name: &str,
        values: &[String],
    ) {
        self.list_size(list, At::Top(name), values.len(), &|| {
            format!("[{}]", values.join(", "))
        });
        for (i, v) in values.iter().enumerate() {
            self.string(item, At::Member(name, i), v);
        }
    }

    fn tags(&mut self, tags: &[Tag]) {
        self.list_size(&k::TAG_LIST, At::Top("tags"), tags.len(), &|| {
            let items: Vec<String> = tags
                .iter()
                .map(|t| format!("Tag(key={}, value={})", t.key, t.value))
                .collect();
            format!("[{}]", items.join(", "))
        });
        for (i, t) in tags.iter().enumerate() {
            self.string(&k::TAG_KEY, At::Field("tags", i, "key"), &t.key);
            self.string(&k::TAG_VALUE, At::Field("tags", i, "value"), &t.value);
        }
    }

    fn policy_arns(&mut self, arns: &[PolicyDescriptor]) {
        for (i, d) in arns.iter().enumerate() {
            self.opt_string(&k::ARN, At::Field("policyArns", i, "arn"), d.arn.as_deref());
        }
    }

    fn provided_contexts(&mut self, contexts: &[ProvidedContext]) {
        if contexts.is_empty() {
            return; // absent: the list's minimum applies only to a present list
        }
        self.list_size(
            &k::PROVIDED_CONTEXTS,
            At::Top("providedContexts"),
            contexts.len(),
            &|| format!("[{}]", vec!["ProvidedContext"; contexts.len()].join(", ")),
        );
        for (i, pc) in contexts.iter().enumerate() {
            let name = "providedContexts";
            self.opt_string(
                &k::ARN,
                At::Field(name, i, "providerArn"),
                pc.provider_arn.as_deref(),
            );
            self.opt_string(
                &k::CONTEXT_ASSERTION,
                At::Field(name, i, "contextAssertion"),
                pc.context_assertion.as_deref(),
            );
        }
    }

    fn context_entries(&mut self, entries: &[ContextEntry]) {
        let name = "contextEntries";
        for (i, e) in entries.iter().enumerate() {
            self.opt_string(
                &k::CONTEXT_KEY_NAME,
                At::Field(name, i, "contextKeyName"),
                e.context_key_name.as_deref(),
            );
            self.opt_string(
                &k::CONTEXT_KEY_TYPE,
                At::Field(name, i, "contextKeyType"),
                e.context_key_type.as_deref(),
            );
            for (j, v) in e.context_key_values.iter().enumerate() {
                self.string(
                    &k::CONTEXT_KEY_VALUE,
                    At::Nested(name, i, "contextKeyValues", j),
                    v,
                );
            }
        }
    }

    fn finish(self) -> Result<(), Error> {
        match self.count {
            0 => Ok(()),
            1 => Err(Error::new(ErrorCode::ValidationError, format!(
                "1 validation error detected: {}",
                self.text
            ))),
            n => Err(Error::new(ErrorCode::ValidationError, format!(
                "{n} validation errors detected: {}",
                self.text
            ))),
        }
    }
}

/// Checks a request against the model's constraints.
pub(super) fn validate(request: &ApiRequest) -> Result<(), Error> {
    let mut f = Failures::default();
    match request {
        ApiRequest::AssumeRole(r) => {
            f.string(&k::ARN, At::Top("roleArn"), &r.role_arn);
            f.string(
                &k::ROLE_SESSION_NAME,
                At::Top("roleSessionName"),
                &r.role_session_name,
            );
            f.policy_arns(&r.policy_arns);
            f.opt_string(
                &k::UNRESTRICTED_POLICY,
                At::Top("policy"),
                r.policy.as_deref(),
            );
            f.int(
                &k::ROLE_DURATION,
                At::Top("durationSeconds"),
                r.duration_seconds,
            );
            f.tags(&r.tags);
            f.strings(
                &k::TAG_KEY_LIST,
                &k::TAG_KEY,
                "transitiveTagKeys",
                &r.transitive_tag_keys,
            );
            f.opt_string(
                &k::EXTERNAL_ID,
                At::Top("externalId"),
                r.external_id.as_deref(),
            );
            f.opt_string(
                &k::SERIAL_NUMBER,
                At::Top("serialNumber"),
                r.serial_number.as_deref(),
            );
            f.opt_string(
                &k::TOKEN_CODE,
                At::Top("tokenCode"),
                r.token_code.as_ref().map(super::SecretString::expose),
            );
            f.opt_string(
                &k::SOURCE_IDENTITY,
                At::Top("sourceIdentity"),
                r.source_identity.as_deref(),
            );
            f.provided_contexts(&r.provided_contexts);
        }
        ApiRequest::AssumeRoleWithSaml(r) => {
            f.string(&k::ARN, At::Top("roleArn"), &r.role_arn);
            f.string(&k::ARN, At::Top("principalArn"), &r.principal_arn);
            f.string(
                &k::SAML_ASSERTION,
                At::Top("sAMLAssertion"),
                r.saml_assertion.expose(),
            );
            f.policy_arns(&r.policy_arns);
            f.opt_string(&k::SESSION_POLICY, At::Top("policy"), r.policy.as_deref());
            f.int(
                &k::ROLE_DURATION,
                At::Top("durationSeconds"),
                r.duration_seconds,
            );
        }
        ApiRequest::AssumeRoleWithWebIdentity(r) => {
            f.string(&k::ARN, At::Top("roleArn"), &r.role_arn);
            f.string(
                &k::ROLE_SESSION_NAME,
                At::Top("roleSessionName"),
                &r.role_session_name,
            );
            f.string(
                &k::CLIENT_TOKEN,
                At::Top("webIdentityToken"),
                r.web_identity_token.expose(),
            );
            f.opt_string(&k::URL, At::Top("providerId"), r.provider_id.as_deref());
            f.policy_arns(&r.policy_arns);
            f.opt_string(&k::SESSION_POLICY, At::Top("policy"), r.policy.as_deref());
            f.int(
                &k::ROLE_DURATION,
                At::Top("durationSeconds"),
                r.duration_seconds,
            );
        }
        ApiRequest::AssumeRoot(r) => {
            f.string(
                &k::TARGET_PRINCIPAL,
                At::Top("targetPrincipal"),
                &r.target_principal,
            );
            f.opt_string(
                &k::ARN,
                At::Top("taskPolicyArn.arn"),
                r.task_policy_arn.arn.as_deref(),
            );
            f.int(
                &k::ROOT_DURATION,
                At::Top("durationSeconds"),
                r.duration_seconds,
            );
        }
        ApiRequest::DecodeAuthorizationMessage(r) => {
            f.string(
                &k::ENCODED_MESSAGE,
                At::Top("encodedMessage"),
                &r.encoded_message,
            );
        }
        ApiRequest::GetAccessKeyInfo(r) => {
            f.string(&k::ACCESS_KEY_ID, At::Top("accessKeyId"), &r.access_key_id);
        }
        ApiRequest::GetCallerIdentity | ApiRequest::GetDelegatedAccessToken(_) => {}
        ApiRequest::GetFederationToken(r) => {
            f.string(&k::FEDERATED_NAME, At::Top("name"), &r.name);
            f.opt_string(&k::SESSION_POLICY, At::Top("policy"), r.policy.as_deref());
            f.policy_arns(&r.policy_arns);
            f.int(&k::DURATION, At::Top("durationSeconds"), r.duration_seconds);
            f.tags(&r.tags);
        }
        ApiRequest::GetSessionToken(r) => {
            f.int(&k::DURATION, At::Top("durationSeconds"), r.duration_seconds);
            f.opt_string(
                &k::SERIAL_NUMBER,
                At::Top("serialNumber"),
                r.serial_number.as_deref(),
            );
            f.opt_string(
                &k::TOKEN_CODE,
                At::Top("tokenCode"),
                r.token_code.as_ref().map(super::SecretString::expose),
            );
        }
        ApiRequest::GetWebIdentityToken(r) => {
            f.strings(&k::AUDIENCE_LIST, &k::AUDIENCE, "audience", &r.audience);
            f.int(
                &k::WIT_DURATION,
                At::Top("durationSeconds"),
                r.duration_seconds,
            );
            f.string(
                &k::JWT_ALGORITHM,
                At::Top("signingAlgorithm"),
                &r.signing_algorithm,
            );
            f.tags(&r.tags);
        }
        ApiRequest::SimulatePrincipalPolicy(r) => {
            f.string(
                &k::IAM_ARN,
                At::Top("policySourceArn"),
                &r.policy_source_arn,
            );
            simulation_common(
                &mut f,
                &r.policy_input_list,
                &r.permissions_boundary_policy_input_list,
                &r.action_names,
                &r.resource_arns,
                [
                    r.resource_policy.as_deref(),
                    r.resource_owner.as_deref(),
                    r.caller_arn.as_deref(),
                ],
                &r.context_entries,
                r.resource_handling_option.as_deref(),
                r.max_items,
                r.marker.as_deref(),
            );
        }
        ApiRequest::SimulateCustomPolicy(r) => {
            simulation_common(
                &mut f,
                &r.policy_input_list,
                &r.permissions_boundary_policy_input_list,
                &r.action_names,
                &r.resource_arns,
                [
                    r.resource_policy.as_deref(),
                    r.resource_owner.as_deref(),
                    r.caller_arn.as_deref(),
                ],
                &r.context_entries,
                r.resource_handling_option.as_deref(),
                r.max_items,
                r.marker.as_deref(),
            );
        }
    }
    f.finish()
}

#[expect(
    clippy::too_many_arguments,
    reason = "the two simulation requests share these members"
)]
fn simulation_common(
    f: &mut Failures,
    policies: &[String],
    boundaries: &[String],
    actions: &[String],
    resources: &[String],
    [resource_policy, resource_owner, caller_arn]: [Option<&str>; 3],
    context: &[ContextEntry],
    handling: Option<&str>,
    max_items: Option<i32>,
    marker: Option<&str>,
) {
    f.strings(
        &k::SIMULATION_POLICY_LIST,
        &k::POLICY_DOCUMENT,
        "policyInputList",
        policies,
    );
    f.strings(
        &k::SIMULATION_POLICY_LIST,
        &k::POLICY_DOCUMENT,
        "permissionsBoundaryPolicyInputList",
        boundaries,
    );
    f.strings(
        &k::ACTION_NAME_LIST,
        &k::ACTION_NAME,
        "actionNames",
        actions,
    );
    f.strings(
        &k::RESOURCE_NAME_LIST,
        &k::RESOURCE_NAME,
        "resourceArns",
        resources,
    );
    f.opt_string(
        &k::POLICY_DOCUMENT,
        At::Top("resourcePolicy"),
        resource_policy,
    );
    f.opt_string(&k::RESOURCE_NAME, At::Top("resourceOwner"), resource_owner);
    f.opt_string(&k::RESOURCE_NAME, At::Top("callerArn"), caller_arn);
    f.context_entries(context);
    f.opt_string(
        &k::RESOURCE_HANDLING_OPTION,
        At::Top("resourceHandlingOption"),
        handling,
    );
    f.int(&k::MAX_ITEMS, At::Top("maxItems"), max_items);
    f.opt_string(&k::MARKER, At::Top("marker"), marker);
}

/// A missing nested required member (`Tags.member.N.Value`), as AWS reports it.
pub fn null_member_error(list: &str, index: usize, member: &str) -> Error {
    let mut f = Failures::default();
    f.null(At::Field(list, index, member));
    match f.finish() {
        Err(e) => e,
        Ok(()) => Error::new(ErrorCode::InternalFailure, String::new()),
    }
}

/// AWS's lower-camel member name: the first character lowercased (`SAMLAssertion` → `sAMLAssertion`).
pub fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
