//! The operations: one file per action, each implementing [`Operation`], registered in one
//! table ([`REGISTRY`]) that the server, the embedded API and the bindings dispatch through.
//!
//! An operation's input and output are the shapes generated from AWS's models
//! ([`keyturn_api::sts`], [`keyturn_api::iam`]): decoding, validation and XML writing come from
//! there. What an operation file adds is the IAM action that authorizes it, the resource it is
//! authorized on, and `run`.
//!
//! One request goes: the registry finds the operation by its action name → the input is decoded
//! and validated → the caller is authenticated ([`crate::engine::Engine::authenticate`]; the
//! unsigned federation actions skip this) → the restrictions of GetSessionToken and
//! GetFederationToken credentials apply → the caller is authorized for [`Operation::ACTION`] on
//! [`Operation::resource`] → [`Operation::run`] → the output is written as XML.
//!
//! Adding an action: see `docs/architecture.md` ("Adding an action").

pub mod iam;
pub(crate) mod prelude;
pub mod sts;
pub(crate) mod support;

use std::marker::PhantomData;

pub use keyturn_api::{Input, Output, Params, Service, XmlWriter};

use crate::engine::{Caller, CallerKind, Engine};
use crate::request::{CallerIdentity, HttpParts};
use crate::{Error, ErrorCode};

pub use support::{
    MFA_INCOMPLETE_TEXT, MFA_INVALID_TEXT, PACKED_POLICY_LIMIT, ROOT_ASSUME_TEXT,
    packed_policy_size,
};

/// What an operation runs with: the engine, the authenticated caller and the request's
/// environment.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The engine.
    pub engine: &'a Engine,
    /// The caller; `None` only for the unsigned actions ([`Operation::UNSIGNED`]).
    pub caller: Option<&'a Caller>,
    /// The request's HTTP parts (source IP, user agent, transport).
    pub http: &'a HttpParts<'a>,
}

impl<'a> Context<'a> {
    /// The caller of a signed action.
    ///
    /// # Errors
    /// `MissingAuthenticationToken` when there is none (a signed action called without one).
    pub fn caller(&self) -> Result<&'a Caller, Error> {
        self.caller
            .ok_or_else(|| keyturn_sigv4::SigV4Error::MissingAuthentication.into())
    }
}

/// Condition keys a request brings to its authorization: (name, values).
pub type Conditions = Vec<(String, Vec<String>)>;

/// One action of the API.
pub trait Operation: 'static {
    /// The generated input shape (decoded from the Query parameters and validated).
    type Input: Input;
    /// The generated output shape (written as `<ActionResult>`).
    type Output: Output;
    /// The IAM action that authorizes a call (`iam:GetRole`): checked on [`Self::resource`]
    /// before [`Self::run`]. The input's [`Input::IAM_ACTION`] unless overridden; `None` when the
    /// operation authorizes inside `run` (AssumeRole evaluates the caller's policies and the
    /// role's trust policy together) or cannot be denied (GetCallerIdentity).
    const ACTION: Option<&'static str> = Some(<Self::Input as Input>::IAM_ACTION);
    /// Whether the action is called without a signature (AssumeRoleWithSAML and
    /// AssumeRoleWithWebIdentity: the assertion or token authenticates it).
    const UNSIGNED: bool = false;

    /// The resource ARN that [`Self::ACTION`] is authorized on (`*` unless overridden).
    ///
    /// # Errors
    /// Any error the operation would answer before authorization.
    fn resource(cx: &Context<'_>, input: &Self::Input) -> Result<String, Error> {
        let _ = (cx, input);
        Ok("*".to_owned())
    }

    /// The condition keys the request adds to the authorization of [`Self::ACTION`]
    /// (`iam:PermissionsBoundary`, `iam:PolicyARN`, `aws:RequestTag/K`, `aws:TagKeys`), as
    /// (name, values). None unless overridden.
    ///
    /// # Errors
    /// Any error the operation would answer before authorization.
    fn conditions(cx: &Context<'_>, input: &Self::Input) -> Result<Conditions, Error> {
        let _ = (cx, input);
        Ok(Vec::new())
    }

    /// Runs the operation for an authenticated, authorized caller.
    ///
    /// # Errors
    /// Any [`Error`] with AWS's code and text.
    fn run(cx: &Context<'_>, input: Self::Input) -> Result<Self::Output, Error>;
}

/// Declares an operation: the unit struct (with its docs and `Debug`) and its
/// [`Operation`] impl, from a header line `Name(Input) -> Output;`, optional `const` overrides
/// (`ACTION`, `UNSIGNED`) and the trait's functions written with their parameter names only:
///
/// ```text
/// operation! {
///     /// `iam:GetRole` on the role's ARN: the role.
///     GetRole(GetRoleRequest) -> GetRoleResponse, on shared::role_arn(role_name);
///
///     fn run(cx, input) {
///         ...
///     }
/// }
/// ```
///
/// `, on f(member)` in the header says the resource is `f(cx, &input.member)` (a function
/// `(&Context<'_>, &M) -> Result<String, Error>`: the ARN of the role, user, policy... the
/// member names); an operation whose resource is more than that writes `fn resource(cx, input)`.
/// Likewise `, when g(member, ...)` says the condition keys are `g(&input.member, ...)` (a
/// function `(&M, ...) -> Conditions`: the request's tags, the boundary it sets); others write
/// `fn conditions(cx, input)`.
/// `fn resource(cx, input)` and `fn conditions(cx, input)` take `&Context<'_>` and
/// `&Self::Input`; `fn run(cx, input)` takes the input by value. Each returns
/// `Result<_, Error>` with the trait's types.
macro_rules! operation {
    (
        $(#[$meta:meta])*
        $name:ident($input:ty) -> $output:ty
            $(, on $($res:ident)::+($field:ident))?
            $(, when $($cond:ident)::+($($cfield:ident),+))?;
        $(const $c:ident: $ct:ty = $cv:expr;)*
        $(fn $f:ident($cx:tt, $arg:tt) $body:block)*
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name;

        impl $crate::ops::Operation for $name {
            type Input = $input;
            type Output = $output;
            $(const $c: $ct = $cv;)*
            $($crate::ops::operation!(@fn resource cx input { $($res)::+(cx, &input.$field) });)?
            $($crate::ops::operation!(@fn conditions _cx input { Ok($($cond)::+($(&input.$cfield),+)) });)?
            $($crate::ops::operation!(@fn $f $cx $arg $body);)*
        }
    };

    (@fn resource $cx:tt $arg:tt $body:block) => {
        fn resource(
            $cx: &$crate::ops::Context<'_>,
            $arg: &Self::Input,
        ) -> Result<String, $crate::Error> $body
    };
    (@fn conditions $cx:tt $arg:tt $body:block) => {
        fn conditions(
            $cx: &$crate::ops::Context<'_>,
            $arg: &Self::Input,
        ) -> Result<$crate::ops::Conditions, $crate::Error> $body
    };
    (@fn run $cx:tt $arg:tt $body:block) => {
        fn run(
            $cx: &$crate::ops::Context<'_>,
            $arg: Self::Input,
        ) -> Result<Self::Output, $crate::Error> $body
    };
}

pub(crate) use operation;

/// Runs a validated `input` of operation `O` as `caller`: the session restrictions, the
/// authorization of [`Operation::ACTION`] and the operation itself. This is the typed entry that
/// the embedded API uses; the registry's [`Dispatch::handle`] calls it after decoding.
///
/// # Errors
/// Any [`Error`] the same request over the wire would get.
pub fn invoke<O: Operation>(
    engine: &Engine,
    caller: Option<&Caller>,
    http: &HttpParts<'_>,
    input: O::Input,
) -> Result<O::Output, Error> {
    let cx = Context {
        engine,
        caller,
        http,
    };
    if !O::UNSIGNED {
        let caller = cx.caller()?;
        check_session_restrictions(caller, O::Input::SERVICE, O::Input::ACTION)?;
        if let Some(action) = O::ACTION {
            let resource = O::resource(&cx, &input)?;
            let conditions = O::conditions(&cx, &input)?;
            with_condition_keys(&conditions, |extra| {
                engine.require(caller, action, &resource, extra)
            })?;
        }
    }
    O::run(&cx, input)
}

/// Lends `conditions` to `f` as the borrowed (name, values) pairs that
/// [`Engine::require`] and [`Engine::authorize`] take as extra condition keys.
pub fn with_condition_keys<R>(
    conditions: &[(String, Vec<String>)],
    f: impl FnOnce(&[(&str, &[&str])]) -> R,
) -> R {
    let values: Vec<Vec<&str>> = conditions
        .iter()
        .map(|(_, v)| v.iter().map(String::as_str).collect())
        .collect();
    let extra: Vec<(&str, &[&str])> = conditions
        .iter()
        .zip(&values)
        .map(|((k, _), v)| (k.as_str(), v.as_slice()))
        .collect();
    f(&extra)
}

/// GetSessionToken credentials may call only AssumeRole, GetCallerIdentity and
/// GetScopedCredentials in STS (and IAM only when MFA-authenticated); GetFederationToken
/// credentials only GetCallerIdentity and GetScopedCredentials (AWS names both kinds as callers
/// of GetScopedCredentials).
fn check_session_restrictions(
    caller: &Caller,
    service: Service,
    action: &'static str,
) -> Result<(), Error> {
    let allowed = match caller.kind {
        // An AssumeRoot session: its task policy decides.
        CallerKind::SessionToken if caller.root_task().is_some() => true,
        CallerKind::SessionToken => match service {
            Service::Sts => matches!(
                action,
                "AssumeRole" | "GetCallerIdentity" | "GetScopedCredentials"
            ),
            Service::Iam => caller.session.as_ref().is_some_and(|s| s.mfa_present()),
        },
        CallerKind::FederatedUser => matches!(action, "GetCallerIdentity" | "GetScopedCredentials"),
        _ => true,
    };
    support::ensure(allowed, ErrorCode::AccessDenied, || {
        format!("Cannot call {action} with session credentials")
    })
}

/// A registered operation, with its types erased: what the server and the bindings dispatch
/// through.
pub trait Dispatch: Sync {
    /// The action name (`AssumeRole`).
    fn action(&self) -> &'static str;
    /// The service of the action.
    fn service(&self) -> Service;
    /// Whether the action is unsigned.
    fn unsigned(&self) -> bool;
    /// The wire parameters whose values must never be logged (from the model).
    fn sensitive(&self) -> &'static [&'static str];
    /// The IAM action that authorizes a call, if the registry checks one.
    fn iam_action(&self) -> Option<&'static str>;
    /// Whether the response has an `<ActionResult>` element ([`Output::has_result`]).
    fn has_result(&self) -> bool;
    /// Decodes and validates `params`, authenticates the caller (reporting who it was through
    /// `identity` once known, for the audit log), runs the operation and writes its result's
    /// members into `w`.
    ///
    /// # Errors
    /// Any [`Error`], with AWS's code and text.
    fn handle(
        &self,
        engine: &Engine,
        http: &HttpParts<'_>,
        params: &Params<'_>,
        identity: Option<&mut Option<CallerIdentity>>,
        w: &mut XmlWriter,
    ) -> Result<(), Error>;
}

/// The registry's entry for operation `O`.
pub struct Registered<O>(PhantomData<fn() -> O>);

impl<O> Registered<O> {
    /// The entry.
    pub const NEW: Self = Self(PhantomData);
}

impl<O: Operation> Dispatch for Registered<O> {
    fn action(&self) -> &'static str {
        O::Input::ACTION
    }

    fn service(&self) -> Service {
        O::Input::SERVICE
    }

    fn unsigned(&self) -> bool {
        O::UNSIGNED
    }

    fn sensitive(&self) -> &'static [&'static str] {
        O::Input::SENSITIVE
    }

    fn iam_action(&self) -> Option<&'static str> {
        O::ACTION
    }

    fn has_result(&self) -> bool {
        <O::Output as Output>::has_result()
    }

    fn handle(
        &self,
        engine: &Engine,
        http: &HttpParts<'_>,
        params: &Params<'_>,
        identity: Option<&mut Option<CallerIdentity>>,
        w: &mut XmlWriter,
    ) -> Result<(), Error> {
        let input = O::Input::from_query(params)?;
        let output = if O::UNSIGNED {
            invoke::<O>(engine, None, http, input)?
        } else {
            let caller = engine.authenticate(http, O::Input::SERVICE)?;
            if let Some(slot) = identity {
                *slot = Some(caller.identity());
            }
            invoke::<O>(engine, Some(&caller), http, input)?
        };
        output.write_xml(w);
        Ok(())
    }
}

/// Every served action: one line per operation.
pub static REGISTRY: &[&dyn Dispatch] = &[
    // STS
    &Registered::<sts::AssumeRole>::NEW,
    &Registered::<sts::AssumeRoleWithSaml>::NEW,
    &Registered::<sts::AssumeRoleWithWebIdentity>::NEW,
    &Registered::<sts::AssumeRoot>::NEW,
    &Registered::<sts::DecodeAuthorizationMessage>::NEW,
    &Registered::<sts::GetAccessKeyInfo>::NEW,
    &Registered::<sts::GetCallerIdentity>::NEW,
    &Registered::<sts::GetDelegatedAccessToken>::NEW,
    &Registered::<sts::GetFederationToken>::NEW,
    &Registered::<sts::GetScopedCredentials>::NEW,
    &Registered::<sts::GetSessionToken>::NEW,
    &Registered::<sts::GetWebIdentityToken>::NEW,
    &Registered::<sts::IssueWorkloadIdentityContext>::NEW,
    &Registered::<sts::GetCertificate>::NEW,
    &Registered::<sts::GetTrustBundles>::NEW,
    // IAM
    &Registered::<iam::SimulatePrincipalPolicy>::NEW,
    &Registered::<iam::SimulateCustomPolicy>::NEW,
    &Registered::<iam::GetUser>::NEW,
    &Registered::<iam::ListUsers>::NEW,
    &Registered::<iam::GetGroup>::NEW,
    &Registered::<iam::ListGroups>::NEW,
    &Registered::<iam::ListGroupsForUser>::NEW,
    &Registered::<iam::GetRole>::NEW,
    &Registered::<iam::ListRoles>::NEW,
    &Registered::<iam::GetRolePolicy>::NEW,
    &Registered::<iam::ListRolePolicies>::NEW,
    &Registered::<iam::GetUserPolicy>::NEW,
    &Registered::<iam::ListUserPolicies>::NEW,
    &Registered::<iam::GetGroupPolicy>::NEW,
    &Registered::<iam::ListGroupPolicies>::NEW,
    &Registered::<iam::ListAttachedRolePolicies>::NEW,
    &Registered::<iam::ListAttachedUserPolicies>::NEW,
    &Registered::<iam::ListAttachedGroupPolicies>::NEW,
    &Registered::<iam::GetPolicy>::NEW,
    &Registered::<iam::GetPolicyVersion>::NEW,
    &Registered::<iam::ListPolicies>::NEW,
    &Registered::<iam::ListAccessKeys>::NEW,
    &Registered::<iam::ListMfaDevices>::NEW,
    &Registered::<iam::ListVirtualMfaDevices>::NEW,
    &Registered::<iam::ListOpenIdConnectProviders>::NEW,
    &Registered::<iam::GetOpenIdConnectProvider>::NEW,
    &Registered::<iam::ListSamlProviders>::NEW,
    &Registered::<iam::GetSamlProvider>::NEW,
    &Registered::<iam::ListAccountAliases>::NEW,
    &Registered::<iam::GetAccountAuthorizationDetails>::NEW,
    &Registered::<iam::GetAccountSummary>::NEW,
    &Registered::<iam::ListRoleTags>::NEW,
    &Registered::<iam::ListUserTags>::NEW,
    &Registered::<iam::GetContextKeysForPrincipalPolicy>::NEW,
    &Registered::<iam::GetContextKeysForCustomPolicy>::NEW,
    // IAM writes
    &Registered::<iam::CreateUser>::NEW,
    &Registered::<iam::DeleteUser>::NEW,
    &Registered::<iam::AddUserToGroup>::NEW,
    // IAM writes: virtual MFA devices, instance profiles, service-linked roles
    &Registered::<iam::CreateVirtualMfaDevice>::NEW,
    &Registered::<iam::EnableMfaDevice>::NEW,
    &Registered::<iam::DeactivateMfaDevice>::NEW,
    &Registered::<iam::DeleteVirtualMfaDevice>::NEW,
    &Registered::<iam::ResyncMfaDevice>::NEW,
    &Registered::<iam::CreateInstanceProfile>::NEW,
    &Registered::<iam::GetInstanceProfile>::NEW,
    &Registered::<iam::ListInstanceProfiles>::NEW,
    &Registered::<iam::DeleteInstanceProfile>::NEW,
    &Registered::<iam::AddRoleToInstanceProfile>::NEW,
    &Registered::<iam::RemoveRoleFromInstanceProfile>::NEW,
    &Registered::<iam::ListInstanceProfilesForRole>::NEW,
    &Registered::<iam::TagInstanceProfile>::NEW,
    &Registered::<iam::UntagInstanceProfile>::NEW,
    &Registered::<iam::ListInstanceProfileTags>::NEW,
    &Registered::<iam::CreateServiceLinkedRole>::NEW,
    &Registered::<iam::DeleteServiceLinkedRole>::NEW,
    &Registered::<iam::GetServiceLinkedRoleDeletionStatus>::NEW,
    // IAM writes: users, access keys, groups, inline policies, boundaries, aliases (issue 12)
    &Registered::<iam::UpdateUser>::NEW,
    &Registered::<iam::TagUser>::NEW,
    &Registered::<iam::UntagUser>::NEW,
    &Registered::<iam::CreateAccessKey>::NEW,
    &Registered::<iam::UpdateAccessKey>::NEW,
    &Registered::<iam::DeleteAccessKey>::NEW,
    &Registered::<iam::GetAccessKeyLastUsed>::NEW,
    &Registered::<iam::CreateGroup>::NEW,
    &Registered::<iam::UpdateGroup>::NEW,
    &Registered::<iam::DeleteGroup>::NEW,
    &Registered::<iam::RemoveUserFromGroup>::NEW,
    &Registered::<iam::PutUserPolicy>::NEW,
    &Registered::<iam::DeleteUserPolicy>::NEW,
    &Registered::<iam::PutGroupPolicy>::NEW,
    &Registered::<iam::DeleteGroupPolicy>::NEW,
    &Registered::<iam::PutUserPermissionsBoundary>::NEW,
    &Registered::<iam::DeleteUserPermissionsBoundary>::NEW,
    &Registered::<iam::CreateAccountAlias>::NEW,
    &Registered::<iam::DeleteAccountAlias>::NEW,
    // IAM writes: roles, role policies, managed policies and attachments
    &Registered::<iam::CreateRole>::NEW,
    &Registered::<iam::UpdateRole>::NEW,
    &Registered::<iam::UpdateRoleDescription>::NEW,
    &Registered::<iam::DeleteRole>::NEW,
    &Registered::<iam::UpdateAssumeRolePolicy>::NEW,
    &Registered::<iam::PutRolePermissionsBoundary>::NEW,
    &Registered::<iam::DeleteRolePermissionsBoundary>::NEW,
    &Registered::<iam::TagRole>::NEW,
    &Registered::<iam::UntagRole>::NEW,
    &Registered::<iam::PutRolePolicy>::NEW,
    &Registered::<iam::DeleteRolePolicy>::NEW,
    &Registered::<iam::CreatePolicy>::NEW,
    &Registered::<iam::DeletePolicy>::NEW,
    &Registered::<iam::CreatePolicyVersion>::NEW,
    &Registered::<iam::DeletePolicyVersion>::NEW,
    &Registered::<iam::ListPolicyVersions>::NEW,
    &Registered::<iam::SetDefaultPolicyVersion>::NEW,
    &Registered::<iam::TagPolicy>::NEW,
    &Registered::<iam::UntagPolicy>::NEW,
    &Registered::<iam::ListPolicyTags>::NEW,
    &Registered::<iam::AttachUserPolicy>::NEW,
    &Registered::<iam::DetachUserPolicy>::NEW,
    &Registered::<iam::AttachGroupPolicy>::NEW,
    &Registered::<iam::DetachGroupPolicy>::NEW,
    &Registered::<iam::AttachRolePolicy>::NEW,
    &Registered::<iam::DetachRolePolicy>::NEW,
    &Registered::<iam::ListEntitiesForPolicy>::NEW,
    // IAM writes: identity providers (OIDC, SAML)
    &Registered::<iam::CreateOpenIdConnectProvider>::NEW,
    &Registered::<iam::DeleteOpenIdConnectProvider>::NEW,
    &Registered::<iam::AddClientIdToOpenIdConnectProvider>::NEW,
    &Registered::<iam::RemoveClientIdFromOpenIdConnectProvider>::NEW,
    &Registered::<iam::UpdateOpenIdConnectProviderThumbprint>::NEW,
    &Registered::<iam::UpdateOpenIdConnectProvider>::NEW,
    &Registered::<iam::TagOpenIdConnectProvider>::NEW,
    &Registered::<iam::UntagOpenIdConnectProvider>::NEW,
    &Registered::<iam::ListOpenIdConnectProviderTags>::NEW,
    &Registered::<iam::CreateSamlProvider>::NEW,
    &Registered::<iam::UpdateSamlProvider>::NEW,
    &Registered::<iam::DeleteSamlProvider>::NEW,
    &Registered::<iam::TagSamlProvider>::NEW,
    &Registered::<iam::UntagSamlProvider>::NEW,
    &Registered::<iam::ListSamlProviderTags>::NEW,
    &Registered::<iam::UploadServerCertificate>::NEW,
    &Registered::<iam::GetServerCertificate>::NEW,
    &Registered::<iam::ListServerCertificates>::NEW,
    &Registered::<iam::UpdateServerCertificate>::NEW,
    &Registered::<iam::DeleteServerCertificate>::NEW,
    &Registered::<iam::TagServerCertificate>::NEW,
    &Registered::<iam::UntagServerCertificate>::NEW,
    &Registered::<iam::ListServerCertificateTags>::NEW,
    &Registered::<iam::UploadSigningCertificate>::NEW,
    &Registered::<iam::ListSigningCertificates>::NEW,
    &Registered::<iam::UpdateSigningCertificate>::NEW,
    &Registered::<iam::DeleteSigningCertificate>::NEW,
    &Registered::<iam::UploadSshPublicKey>::NEW,
    &Registered::<iam::GetSshPublicKey>::NEW,
    &Registered::<iam::ListSshPublicKeys>::NEW,
    &Registered::<iam::UpdateSshPublicKey>::NEW,
    &Registered::<iam::DeleteSshPublicKey>::NEW,
    &Registered::<iam::GenerateCredentialReport>::NEW,
    &Registered::<iam::GetCredentialReport>::NEW,
    // IAM: outbound web identity federation
    &Registered::<iam::EnableOutboundWebIdentityFederation>::NEW,
    &Registered::<iam::DisableOutboundWebIdentityFederation>::NEW,
    &Registered::<iam::GetOutboundWebIdentityFederationInfo>::NEW,
    // The partner-delegation flow.
    &Registered::<iam::CreateDelegationRequest>::NEW,
    &Registered::<iam::AssociateDelegationRequest>::NEW,
    &Registered::<iam::AcceptDelegationRequest>::NEW,
    &Registered::<iam::RejectDelegationRequest>::NEW,
    &Registered::<iam::UpdateDelegationRequest>::NEW,
    &Registered::<iam::GetDelegationRequest>::NEW,
    &Registered::<iam::ListDelegationRequests>::NEW,
    &Registered::<iam::SendDelegationToken>::NEW,
    // IAM: workload identity.
    &Registered::<iam::CreateWorkloadIdentityProvider>::NEW,
    &Registered::<iam::GetWorkloadIdentityProvider>::NEW,
    &Registered::<iam::ListWorkloadIdentityProviders>::NEW,
    &Registered::<iam::DeleteWorkloadIdentityProvider>::NEW,
    &Registered::<iam::GetWorkloadIdentityProviderDeletionStatus>::NEW,
    &Registered::<iam::TagWorkloadIdentityProvider>::NEW,
    &Registered::<iam::UntagWorkloadIdentityProvider>::NEW,
    &Registered::<iam::ListWorkloadIdentityProviderTags>::NEW,
    &Registered::<iam::PutWorkloadIdentityProviderResourcePolicy>::NEW,
    &Registered::<iam::GetWorkloadIdentityProviderResourcePolicy>::NEW,
    &Registered::<iam::DeleteWorkloadIdentityProviderResourcePolicy>::NEW,
    &Registered::<iam::CreateWorkloadIdentityProviderOutboundSigner>::NEW,
    &Registered::<iam::UpdateWorkloadIdentityProviderOutboundSigner>::NEW,
    &Registered::<iam::DeleteWorkloadIdentityProviderOutboundSigner>::NEW,
    &Registered::<iam::EnableWorkloadIdentityProviderOutboundSigner>::NEW,
    &Registered::<iam::DisableWorkloadIdentityProviderOutboundSigner>::NEW,
    &Registered::<iam::ListWorkloadIdentityProviderOutboundSigners>::NEW,
    &Registered::<iam::CreateWorkloadIdentityTemplate>::NEW,
    &Registered::<iam::GetWorkloadIdentityTemplate>::NEW,
    &Registered::<iam::ListWorkloadIdentityTemplates>::NEW,
    &Registered::<iam::DeleteWorkloadIdentityTemplate>::NEW,
    &Registered::<iam::TagWorkloadIdentityTemplate>::NEW,
    &Registered::<iam::UntagWorkloadIdentityTemplate>::NEW,
    &Registered::<iam::ListWorkloadIdentityTemplateTags>::NEW,
    &Registered::<iam::PutWorkloadIdentityTemplateAttestationPolicy>::NEW,
    &Registered::<iam::GetWorkloadIdentityTemplateAttestationPolicy>::NEW,
    &Registered::<iam::DeleteWorkloadIdentityTemplateAttestationPolicy>::NEW,
];

/// The operation registered for `action`, if any.
pub fn find(action: &str) -> Option<&'static dyn Dispatch> {
    find_indexed(action).map(|(_, d)| d)
}

/// The operation registered for `action` and its index in [`REGISTRY`] (what a front end's
/// per-operation counters are indexed by), if any.
pub fn find_indexed(action: &str) -> Option<(usize, &'static dyn Dispatch)> {
    REGISTRY
        .iter()
        .copied()
        .enumerate()
        .find(|(_, d)| d.action() == action)
}

/// Picks the operation of a request from its `Action` and `Version` parameters.
///
/// # Errors
/// `MissingAction` without `Action`; `InvalidAction` ("Could not find operation X for version
/// V", `V` = `NO_VERSION_SPECIFIED` when absent) for an action Keyturn does not serve or a
/// `Version` that is not its service's.
pub fn find_in(params: &Params<'_>) -> Result<&'static dyn Dispatch, Error> {
    find_in_indexed(params).map(|(_, d)| d)
}

/// As [`find_in`], with the operation's index in [`REGISTRY`].
///
/// # Errors
/// As [`find_in`].
pub fn find_in_indexed(params: &Params<'_>) -> Result<(usize, &'static dyn Dispatch), Error> {
    let Some(action) = params.get("Action").filter(|a| !a.is_empty()) else {
        return Err(Error::new(ErrorCode::MissingAction, "Missing Action"));
    };
    let version = params.get("Version");
    match find_indexed(action) {
        Some((i, d)) if version == Some(d.service().api_version()) => Ok((i, d)),
        _ => Err(Error::new(
            ErrorCode::InvalidAction,
            format!(
                "Could not find operation {action} for version {}",
                version.unwrap_or("NO_VERSION_SPECIFIED")
            ),
        )),
    }
}

/// What a front end hands requests to: the engine, or a stand-in in a protocol test.
pub trait Backend: Send + Sync {
    /// Runs the request of operation `op` whose parameters are `params`, writing the result's
    /// members into `w`; `identity`, when given, receives who made it once known.
    ///
    /// # Errors
    /// Any [`Error`], with AWS's code and text.
    fn handle(
        &self,
        op: &'static dyn Dispatch,
        http: &HttpParts<'_>,
        params: &Params<'_>,
        identity: Option<&mut Option<CallerIdentity>>,
        w: &mut XmlWriter,
    ) -> Result<(), Error>;

    /// Work a front end runs every few seconds and when it stops, off the request path: the
    /// engine saves its last-use records to the store.
    ///
    /// # Errors
    /// The store's, when it cannot be written (what was not saved is saved by the next run).
    fn housekeeping(&self) -> Result<(), Error> {
        Ok(())
    }

    /// The JSON document a `GET` of `path` fetches from an OIDC issuer the backend publishes
    /// (outbound web identity federation: `/outbound/{account}/.well-known/…`); `None` for any
    /// other path.
    fn well_known(&self, path: &str) -> Option<String> {
        let _ = path;
        None
    }

    /// Tells the backend the public base URL it is served at (the issuers' URLs derive from
    /// it); the first call wins.
    fn set_public_url(&self, url: &str) {
        let _ = url;
    }
}

impl Backend for Engine {
    fn handle(
        &self,
        op: &'static dyn Dispatch,
        http: &HttpParts<'_>,
        params: &Params<'_>,
        identity: Option<&mut Option<CallerIdentity>>,
        w: &mut XmlWriter,
    ) -> Result<(), Error> {
        op.handle(self, http, params, identity, w)
    }

    fn housekeeping(&self) -> Result<(), Error> {
        self.save_last_used().map(|_| ())
    }

    fn well_known(&self, path: &str) -> Option<String> {
        Engine::well_known(self, path)
    }

    fn set_public_url(&self, url: &str) {
        Engine::set_public_url(self, url);
    }
}

#[cfg(test)]
mod tests;
