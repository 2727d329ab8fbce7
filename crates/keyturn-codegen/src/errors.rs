//! The error-code table: every error shape of the models plus AWS's common errors.

use std::collections::BTreeMap;

use crate::model::Model;
use crate::names::{camel, first_sentence};

/// AWS's common errors (the "Common Errors" page of the API references: code, HTTP status,
/// text). 5xx are Receiver faults, the rest Sender faults. `AccessDenied`,
/// `SignatureDoesNotMatch`, `ExpiredToken` and `Throttling` are not on that page but are sent
/// by STS and IAM with these statuses.
pub const COMMON: &[(&str, u16, &str)] = &[
    ("AccessDenied", 403, "Access was denied."),
    (
        "AccessDeniedException",
        400,
        "You do not have sufficient access to perform this action.",
    ),
    (
        "ExpiredToken",
        403,
        "The security token included in the request is expired.",
    ),
    (
        "IncompleteSignature",
        400,
        "The request signature does not conform to AWS standards.",
    ),
    (
        "InternalFailure",
        500,
        "The request processing has failed because of an unknown error, exception or failure.",
    ),
    (
        "InvalidAction",
        400,
        "The action or operation requested is invalid.",
    ),
    (
        "InvalidClientTokenId",
        403,
        "The X.509 certificate or AWS access key ID provided does not exist in our records.",
    ),
    (
        "InvalidParameterCombination",
        400,
        "Parameters that must not be used together were used together.",
    ),
    (
        "InvalidParameterValue",
        400,
        "An invalid or out-of-range value was supplied for the input parameter.",
    ),
    (
        "InvalidQueryParameter",
        400,
        "The AWS query string is malformed or does not adhere to AWS standards.",
    ),
    (
        "MalformedQueryString",
        404,
        "The query string contains a syntax error.",
    ),
    (
        "MissingAction",
        400,
        "The request is missing an action or a required parameter.",
    ),
    (
        "MissingAuthenticationToken",
        403,
        "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.",
    ),
    (
        "MissingParameter",
        400,
        "A required parameter for the specified action is not supplied.",
    ),
    (
        "NotAuthorized",
        400,
        "You do not have permission to perform this action.",
    ),
    (
        "OptInRequired",
        403,
        "The AWS access key ID needs a subscription for the service.",
    ),
    (
        "RequestExpired",
        400,
        "The request reached the service more than 15 minutes after the date stamp on the request.",
    ),
    (
        "ServiceUnavailable",
        503,
        "The request has failed due to a temporary failure of the server.",
    ),
    (
        "SignatureDoesNotMatch",
        403,
        "The request signature does not match the signature the service calculated.",
    ),
    (
        "Throttling",
        400,
        "The request was denied due to request throttling.",
    ),
    (
        "ThrottlingException",
        400,
        "The request was denied due to request throttling.",
    ),
    (
        "ValidationError",
        400,
        "The input fails to satisfy the constraints specified by an AWS service.",
    ),
];

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// The wire code.
    pub code: String,
    /// The variant name.
    pub variant: String,
    /// The HTTP status per defining service variant (`Sts`, `Iam`), or `Common`.
    pub statuses: BTreeMap<String, u16>,
    /// Sender (true) or Receiver fault.
    pub sender: bool,
    /// The documentation.
    pub doc: String,
}

impl ErrorRow {
    /// The status used when no service is given: the first defining model's.
    pub fn status(&self) -> u16 {
        self.statuses.values().next().copied().unwrap_or(400)
    }
}

/// The table, sorted by variant name.
///
/// # Errors
/// A model without shapes, or two codes with one variant name.
pub fn table(models: &[&Model]) -> Result<Vec<ErrorRow>, String> {
    let mut rows: BTreeMap<String, ErrorRow> = BTreeMap::new();
    for m in models {
        for (name, s) in m.shapes()? {
            if s["exception"].as_bool() != Some(true) {
                continue;
            }
            let e = &s["error"];
            let code = e["code"].as_str().unwrap_or(name).to_owned();
            // Without an `error` block: status 400, and Receiver (no `senderFault`).
            let status = e["httpStatusCode"]
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .unwrap_or(400);
            let sender = e["senderFault"].as_bool() == Some(true);
            let doc = s["documentation"]
                .as_str()
                .map(first_sentence)
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| format!("The `{code}` error."));
            let row = rows.entry(code.clone()).or_insert_with(|| ErrorRow {
                variant: camel(&code),
                code: code.clone(),
                statuses: BTreeMap::new(),
                sender,
                doc,
            });
            row.statuses.insert(m.variant.to_owned(), status);
        }
    }
    for (code, status, doc) in COMMON {
        rows.entry((*code).to_owned()).or_insert_with(|| ErrorRow {
            code: (*code).to_owned(),
            variant: camel(code),
            statuses: BTreeMap::from([("Common".to_owned(), *status)]),
            sender: *status < 500,
            doc: (*doc).to_owned(),
        });
    }
    let mut out: Vec<ErrorRow> = rows.into_values().collect();
    out.sort_by(|a, b| a.variant.cmp(&b.variant));
    for w in out.windows(2) {
        if w[0].variant == w[1].variant {
            return Err(format!(
                "codes {} and {} share a variant name",
                w[0].code, w[1].code
            ));
        }
    }
    Ok(out)
}

/// `src/generated/errors.rs`, unformatted.
pub fn rust(rows: &[ErrorRow]) -> String {
    let mut s = String::new();
    s.push_str("//! The error codes of the STS and IAM models and AWS's common errors.\n");
    s.push_str(crate::HEADER);
    s.push_str("use crate::Service;\n\n");
    s.push_str("/// An AWS error code: every error shape of the STS and IAM models, and AWS's common errors.\n");
    s.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum ErrorCode {\n");
    for r in rows {
        s.push_str(&format!(
            "    /// `{}`: {}\n    {},\n",
            r.code, r.doc, r.variant
        ));
    }
    s.push_str("}\n\nimpl ErrorCode {\n");
    s.push_str("    /// Every code, sorted by variant name.\n    pub const ALL: &'static [ErrorCode] = &[\n");
    for r in rows {
        s.push_str(&format!("        ErrorCode::{},\n", r.variant));
    }
    s.push_str("    ];\n\n");
    s.push_str("    /// Per code, in the variants' order (that of [`ErrorCode::ALL`]): the wire code, the\n    /// defining model's HTTP status, whether the caller is at fault, the defining models (none\n    /// for AWS's common errors).\n    const TABLE: &'static [(&'static str, u16, bool, &'static [Service])] = &[\n");
    for r in rows {
        let svcs: Vec<String> = r
            .statuses
            .keys()
            .filter(|k| *k != "Common")
            .map(|k| format!("Service::{k}"))
            .collect();
        s.push_str(&format!(
            "        ({:?}, {}, {}, &[{}]),\n",
            r.code,
            r.status(),
            r.sender,
            svcs.join(", ")
        ));
    }
    s.push_str("    ];\n\n");
    s.push_str("    /// The code's row of [`ErrorCode::TABLE`].\n    fn row(self) -> (&'static str, u16, bool, &'static [Service]) {\n        // The variants have the default discriminants, 0 to ALL.len() - 1, in the table's order.\n        Self::TABLE.get(self as usize).copied().unwrap_or((\"InternalFailure\", 500, false, &[]))\n    }\n\n");
    s.push_str("    /// The wire code (`NoSuchEntity`).\n    pub fn code(self) -> &'static str {\n        self.row().0\n    }\n\n");
    s.push_str("    /// The HTTP status (the defining model's; see [`ErrorCode::http_status_for`]).\n    pub fn http_status(self) -> u16 {\n        self.row().1\n    }\n\n");
    s.push_str("    /// The HTTP status as `service` sends it (differs from [`ErrorCode::http_status`] only\n    /// for a code both models define with different statuses).\n    pub fn http_status_for(self, service: Service) -> u16 {\n");
    let conflicts: Vec<&ErrorRow> = rows
        .iter()
        .filter(|r| {
            let mut v: Vec<u16> = r.statuses.values().copied().collect();
            v.sort_unstable();
            v.dedup();
            v.len() > 1
        })
        .collect();
    if conflicts.is_empty() {
        s.push_str("        // No code has different statuses in the two models.\n        let _ = service;\n        self.http_status()\n    }\n\n");
    } else {
        s.push_str("        match (self, service) {\n");
        for r in conflicts {
            for (svc, st) in r.statuses.iter().filter(|(k, _)| *k != "Common") {
                s.push_str(&format!(
                    "            (Self::{}, Service::{svc}) => {st},\n",
                    r.variant
                ));
            }
        }
        s.push_str("            _ => self.http_status(),\n        }\n    }\n\n");
    }
    s.push_str("    /// Whether the caller is at fault (`Sender`) rather than the service (`Receiver`).\n    pub fn is_sender_fault(self) -> bool {\n        self.row().2\n    }\n\n");
    s.push_str("    /// `Sender` or `Receiver`, the `<Type>` of an error document.\n    pub fn fault(self) -> &'static str {\n        if self.is_sender_fault() { \"Sender\" } else { \"Receiver\" }\n    }\n\n");
    s.push_str("    /// The code of wire text `code`.\n    pub fn from_code(code: &str) -> Option<Self> {\n        Self::ALL.iter().copied().find(|c| c.code() == code)\n    }\n\n");
    s.push_str("    /// The models that define the code; empty for AWS's common errors.\n    pub fn services(self) -> &'static [Service] {\n        self.row().3\n    }\n\n");
    s.push_str("    /// Whether the code is one of AWS's common errors (defined by no model).\n    pub fn is_common(self) -> bool {\n        self.services().is_empty()\n    }\n}\n\n");
    s.push_str("const _: () = assert!(ErrorCode::TABLE.len() == ErrorCode::ALL.len());\n\n");
    s.push_str("impl std::fmt::Display for ErrorCode {\n    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n        f.write_str(self.code())\n    }\n}\n");
    s
}
