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
    /// The members an error of this code carries beside its message (`message`/`Message`), as
    /// the models name them, in model order.
    pub members: Vec<String>,
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
                members: Vec::new(),
            });
            row.statuses.insert(m.variant.to_owned(), status);
            let members = s["members"].as_object().into_iter().flatten();
            for (member, _) in members {
                if member != "message" && member != "Message" && !row.members.contains(member) {
                    row.members.push(member.clone());
                }
            }
        }
    }
    for (code, status, doc) in COMMON {
        rows.entry((*code).to_owned()).or_insert_with(|| ErrorRow {
            code: (*code).to_owned(),
            variant: camel(code),
            statuses: BTreeMap::from([("Common".to_owned(), *status)]),
            sender: *status < 500,
            doc: (*doc).to_owned(),
            members: Vec::new(),
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

/// The defining models of `row` as a constant of the generated table: `COMMON` for none,
/// else the service variants in capitals (`IAM`, `IAM_STS`).
fn services_name(row: &ErrorRow) -> String {
    let svcs: Vec<String> = row
        .statuses
        .keys()
        .filter(|k| *k != "Common")
        .map(|k| k.to_ascii_uppercase())
        .collect();
    if svcs.is_empty() {
        "COMMON".to_owned()
    } else {
        svcs.join("_")
    }
}

/// `src/generated/errors.rs`, unformatted: the table, one row per code, through
/// `error_codes!` (`keyturn-api/src/error.rs`), and the statuses that differ per service.
pub fn rust(rows: &[ErrorRow]) -> String {
    let mut s = String::new();
    s.push_str("//! The error codes of the STS and IAM models and AWS's common errors: one row per code.\n");
    s.push_str(crate::HEADER);
    s.push_str("use crate::Service;\n\n");
    let mut sets: Vec<(String, Vec<String>)> = Vec::new();
    for r in rows {
        let name = services_name(r);
        if !sets.iter().any(|(n, _)| *n == name) {
            let svcs = r
                .statuses
                .keys()
                .filter(|k| *k != "Common")
                .cloned()
                .collect();
            sets.push((name, svcs));
        }
    }
    sets.sort();
    for (name, svcs) in &sets {
        let doc = if svcs.is_empty() {
            "Defined by no model: AWS's common errors.".to_owned()
        } else {
            let upper: Vec<String> = svcs.iter().map(|k| k.to_ascii_uppercase()).collect();
            let models = if upper.len() == 1 { "model" } else { "models" };
            format!("Defined by the {} {models}.", upper.join(" and "))
        };
        let list: Vec<String> = svcs.iter().map(|k| format!("Service::{k}")).collect();
        s.push_str(&format!(
            "/// {doc}\nconst {name}: &[Service] = &[{}];\n\n",
            list.join(", ")
        ));
    }
    s.push_str("crate::error::error_codes! {\n");
    for r in rows {
        s.push_str(&format!(
            "    /// `{}`: {}\n    {}({:?}, {}, {}, {}),\n",
            r.code,
            r.doc,
            r.variant,
            r.code,
            r.status(),
            r.sender,
            services_name(r)
        ));
    }
    s.push_str("}\n\nimpl ErrorCode {\n");
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
        s.push_str("        // No code has different statuses in the two models.\n        let _ = service;\n        self.http_status()\n    }\n}\n");
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
        s.push_str("            _ => self.http_status(),\n        }\n    }\n}\n");
    }
    s.push_str("\nimpl ErrorCode {\n    /// The members an error of this code carries beside its message, as the model names them:\n    /// the elements of `<Error>` after `<Message>`.\n    pub fn members(self) -> &'static [&'static str] {\n        match self {\n");
    for r in rows.iter().filter(|r| !r.members.is_empty()) {
        let list: Vec<String> = r.members.iter().map(|m| format!("{m:?}")).collect();
        s.push_str(&format!(
            "            Self::{} => &[{}],\n",
            r.variant,
            list.join(", ")
        ));
    }
    s.push_str("            _ => &[],\n        }\n    }\n}\n");
    s
}
