//! Keyturn's API layer, generated from AWS's service models.
//!
//! The shapes of STS (`2011-06-15`) and IAM (`2010-05-08`) operations ([`sts`], [`iam`]), their
//! Query decoding and validation ([`Input`]), their XML writing ([`Output`]) and the error-code
//! table ([`ErrorCode`]) are written by `keyturn-codegen` from botocore's models into
//! `src/generated/` (committed, checked for drift). The hand-written parts are the runtime the
//! generated code calls: the Query parser ([`Params`]), the XML writer ([`XmlWriter`]), the
//! validation messages ([`rt`]) and [`SecretString`].
#![doc = include_str!("../README.md")]

mod error;
// keyturn-codegen formats these files itself, denser than the defaults (one line per member
// when it fits); the drift test keeps them as it writes them.
#[rustfmt::skip]
mod generated;
mod params;
pub mod rt;
mod secret;
mod xml;

#[cfg(test)]
mod tests;

pub use error::{ApiError, ErrorCode};
pub use generated::{constraints, iam, sts};
pub use params::Params;
pub use secret::SecretString;
#[cfg(feature = "serde")]
pub use secret::settings;
pub use xml::{XmlWriter, error_document, error_document_with, push_iso8601, response_document};

/// A service of the API: it decides the signing name, the `Version` and the XML namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// AWS Security Token Service.
    Sts,
    /// AWS Identity and Access Management.
    Iam,
}

impl Service {
    /// The SigV4 signing name (`sts`, `iam`).
    pub fn signing_name(self) -> &'static str {
        match self {
            Self::Sts => "sts",
            Self::Iam => "iam",
        }
    }

    /// The Query protocol's `Version` (`2011-06-15`, `2010-05-08`).
    pub fn api_version(self) -> &'static str {
        match self {
            Self::Sts => sts::API_VERSION,
            Self::Iam => iam::API_VERSION,
        }
    }

    /// The XML namespace of responses.
    pub fn xml_namespace(self) -> &'static str {
        match self {
            Self::Sts => sts::XML_NAMESPACE,
            Self::Iam => iam::XML_NAMESPACE,
        }
    }

    /// The generated actions of the service.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            Self::Sts => sts::ACTIONS,
            Self::Iam => iam::ACTIONS,
        }
    }

    /// The service that has `action`, if one of the generated ones.
    pub fn of_action(action: &str) -> Option<Self> {
        [Self::Sts, Self::Iam]
            .into_iter()
            .find(|s| s.actions().contains(&action))
    }
}

/// An operation's input: decoded from Query parameters and validated against the model.
pub trait Input: Sized + Default + std::fmt::Debug {
    /// The action name (`AssumeRole`).
    const ACTION: &'static str;
    /// The service of the action.
    const SERVICE: Service;
    /// The IAM action name that authorizes a call (`iam:GetRole`, `sts:AssumeRole`): the
    /// service's signing name, a colon and [`Self::ACTION`].
    const IAM_ACTION: &'static str;
    /// The top-level wire parameters whose values must never be logged (`TokenCode`, …).
    const SENSITIVE: &'static [&'static str];

    /// Decodes the parameters, then validates.
    ///
    /// # Errors
    /// `MissingParameter` for a missing required member, `InvalidParameterValue` for a number or
    /// boolean that does not parse, `ValidationError` for the model's constraints.
    fn from_query(p: &Params<'_>) -> Result<Self, ApiError>;

    /// Checks the model's constraints, with AWS's aggregated `ValidationError` text.
    ///
    /// # Errors
    /// `ValidationError` listing every failed constraint.
    fn validate(&self) -> Result<(), ApiError>;
}

/// An operation's output: written as the members of `<ActionResult>`.
pub trait Output {
    /// Whether the response has an `<ActionResult>` element: `false` for the actions whose
    /// model has no output (DeleteRole answers with `<ResponseMetadata>` alone).
    fn has_result() -> bool
    where
        Self: Sized,
    {
        true
    }

    /// Writes the members (not the `<ActionResult>` element itself).
    fn write_xml(&self, w: &mut XmlWriter);
}

/// The output of an action whose model has none: the response carries no `<ActionResult>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoOutput;

impl Output for NoOutput {
    fn has_result() -> bool {
        false
    }

    fn write_xml(&self, _w: &mut XmlWriter) {}
}

/// Picks the action and its service from `Action` and `Version`.
///
/// # Errors
/// `MissingAction` without `Action`; `InvalidAction` ("Could not find operation X for version
/// V", `V` = `NO_VERSION_SPECIFIED` when absent) for an unknown action or a wrong version.
pub fn action<'p>(p: &'p Params<'_>) -> Result<(&'p str, Service), ApiError> {
    let Some(action) = p.get("Action").filter(|a| !a.is_empty()) else {
        return Err(ApiError::new(ErrorCode::MissingAction, "Missing Action"));
    };
    let version = p.get("Version");
    match Service::of_action(action) {
        Some(s) if version == Some(s.api_version()) => Ok((action, s)),
        _ => Err(ApiError::new(
            ErrorCode::InvalidAction,
            format!(
                "Could not find operation {action} for version {}",
                version.unwrap_or("NO_VERSION_SPECIFIED")
            ),
        )),
    }
}
