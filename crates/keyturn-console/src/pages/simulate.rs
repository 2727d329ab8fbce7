//! The policy simulator: a principal of the model, actions, resources and context keys in; the
//! decision and the statements that decided it out.
//!
//! It runs IAM's `SimulatePrincipalPolicy` through the engine (`ops::invoke`) as the signed-in
//! principal, so the answer is the one the API gives, and the console can show no more than that
//! principal may ask for (simulating another account's principal is refused as IAM refuses it).

use std::fmt::Write;
use std::net::IpAddr;

use keyturn::api::iam::{
    ContextEntry, EvaluationResult, SimulatePolicyResponse, SimulatePrincipalPolicyRequest,
    Statement,
};
use keyturn::iam::IamData;
use keyturn::ops::iam::SimulatePrincipalPolicy;
use keyturn::ops::invoke;
use keyturn::request::HttpParts;
use keyturn::{Caller, Engine, Error};

use crate::html::{esc, table};

/// The simulator form's fields, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Question {
    /// The ARN of the user, group or role whose policies are simulated.
    pub principal: String,
    /// Actions, separated by commas, spaces or lines.
    pub actions: String,
    /// Resource ARNs, the same way (empty: `*`).
    pub resources: String,
    /// Context keys, one `key=value` a line (`key(type)=v1,v2` for another type than
    /// `string` or several values).
    pub context: String,
}

/// A question's fields that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadQuestion(String);

/// The words of a list field.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The context entries of the form's text.
///
/// # Errors
/// A line without `=`, or an empty key.
pub fn context_entries(text: &str) -> Result<Vec<ContextEntry>, BadQuestion> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, values)) = line.split_once('=') else {
            return Err(BadQuestion(format!(
                "context line `{line}` is not key=value"
            )));
        };
        let key = key.trim();
        let (name, ty) = match key.strip_suffix(')').and_then(|k| k.split_once('(')) {
            Some((name, ty)) => (name.trim(), ty.trim()),
            None => (key, "string"),
        };
        if name.is_empty() {
            return Err(BadQuestion(format!("context line `{line}` has no key")));
        }
        let values: Vec<String> = if ty.ends_with("List") {
            values.split(',').map(|v| v.trim().to_owned()).collect()
        } else {
            vec![values.trim().to_owned()]
        };
        out.push(ContextEntry {
            context_key_name: Some(name.to_owned()),
            context_key_values: Some(values),
            context_key_type: Some(ty.to_owned()),
        });
    }
    Ok(out)
}

/// Asks the engine, as `caller`.
///
/// # Errors
/// [`BadQuestion`] (as an `InvalidInput` error) or the engine's error, as the API would answer.
pub fn ask(
    engine: &Engine,
    caller: &Caller,
    source_ip: IpAddr,
    q: &Question,
) -> Result<SimulatePolicyResponse, Error> {
    let bad = |e: BadQuestion| Error::new(keyturn::ErrorCode::InvalidInput, e.0);
    let resources = words(&q.resources);
    let context = context_entries(&q.context).map_err(bad)?;
    let req = SimulatePrincipalPolicyRequest {
        policy_source_arn: q.principal.trim().to_owned(),
        action_names: words(&q.actions),
        resource_arns: (!resources.is_empty()).then_some(resources),
        context_entries: (!context.is_empty()).then_some(context),
        ..Default::default()
    };
    let http = HttpParts::post(&[], b"", source_ip);
    invoke::<SimulatePrincipalPolicy>(engine, Some(caller), &http, req)
}

/// The principals the form offers: every user, group and role of the model.
fn principals(data: &IamData) -> Vec<String> {
    let mut out = Vec::new();
    for a in &data.accounts {
        out.extend(a.users.iter().map(|u| u.arn(&a.id)));
        out.extend(a.groups.iter().map(|g| g.arn(&a.id)));
        out.extend(a.roles.iter().map(|r| r.arn(&a.id)));
    }
    out
}

/// The form, filled with `q`.
pub fn form(data: &IamData, q: &Question, csrf: &str) -> String {
    let mut options = String::new();
    for p in principals(data) {
        let _ = write!(options, "<option value=\"{}\">", esc(&p));
    }
    format!(
        "<form method=\"post\" action=\"/simulate\" class=\"simulator\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label>Principal (user, group or role ARN)\
         <input name=\"principal\" id=\"principal\" list=\"principals\" required value=\"{p}\"></label>\
         <datalist id=\"principals\">{options}</datalist>\
         <label>Actions<input name=\"actions\" id=\"actions\" required value=\"{a}\" \
         placeholder=\"s3:GetObject, s3:PutObject\"></label>\
         <label>Resources (empty: *)<input name=\"resources\" id=\"resources\" value=\"{r}\" \
         placeholder=\"arn:aws:s3:::bucket/key\"></label>\
         <label>Context keys, one a line: <code>key=value</code>, or \
         <code>key(type)=v1,v2</code> for another type\
         <textarea name=\"context\" id=\"context\" rows=\"3\" \
         placeholder=\"aws:MultiFactorAuthPresent(boolean)=true\">{c}</textarea></label>\
         <button type=\"submit\" id=\"simulate\">Simulate</button></form>",
        csrf = esc(csrf),
        p = esc(&q.principal),
        a = esc(&q.actions),
        r = esc(&q.resources),
        c = esc(&q.context),
    )
}

/// `MatchedStatements` as text: which statement of which policy, and where it is.
fn statements(list: Option<&Vec<Statement>>) -> String {
    let items: Vec<String> = list
        .into_iter()
        .flatten()
        .map(|s| {
            let at = match (&s.start_position, &s.end_position) {
                (Some(a), Some(b)) => format!(
                    " (line {}, column {} to line {}, column {})",
                    a.line.unwrap_or(0),
                    a.column.unwrap_or(0),
                    b.line.unwrap_or(0),
                    b.column.unwrap_or(0)
                ),
                _ => String::new(),
            };
            format!(
                "<div class=\"statement\">{} <b>{}</b>{}</div>",
                esc(s.source_policy_type.as_deref().unwrap_or("")),
                esc(s.source_policy_id.as_deref().unwrap_or("")),
                esc(&at)
            )
        })
        .collect();
    if items.is_empty() {
        "no statement matched".to_owned()
    } else {
        items.concat()
    }
}

/// Which layer decided, in words.
fn layers(r: &EvaluationResult) -> String {
    let mut out = Vec::new();
    let identity = match r.eval_decision.as_str() {
        "allowed" => "allowed by an identity-based policy",
        "explicitDeny" => "denied explicitly",
        _ => "no identity-based policy allows it (implicit deny)",
    };
    out.push(identity.to_owned());
    let said = [
        (
            "permissions boundary",
            r.permissions_boundary_decision_detail
                .as_ref()
                .and_then(|b| b.allowed_by_permissions_boundary),
        ),
        (
            "organization SCPs",
            r.organizations_decision_detail
                .as_ref()
                .and_then(|o| o.allowed_by_organizations),
        ),
    ];
    for (layer, allows) in said {
        if let Some(allows) = allows {
            let verdict = if allows { "allowed" } else { "not allowed" };
            out.push(format!("{layer}: {verdict}"));
        }
    }
    for (k, v) in r.eval_decision_details.iter().flatten() {
        out.push(format!("{k}: {v}"));
    }
    if let Some(m) = r.missing_context_values.as_ref().filter(|m| !m.is_empty()) {
        out.push(format!("missing context keys: {}", m.join(", ")));
    }
    out.iter()
        .map(|l| format!("<div>{}</div>", esc(l)))
        .collect()
}

/// The answer's table.
pub fn answer(out: &SimulatePolicyResponse) -> String {
    let rows = out.evaluation_results.iter().flatten().map(|r| {
        vec![
            esc(&r.eval_action_name),
            esc(r.eval_resource_name.as_deref().unwrap_or("*")),
            format!(
                "<span class=\"decision {}\">{}</span>",
                esc(&r.eval_decision),
                esc(&r.eval_decision)
            ),
            statements(r.matched_statements.as_ref()),
            layers(r),
        ]
    });
    table(
        "results",
        &["Action", "Resource", "Decision", "Decided by", "Layers"],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_lines_are_read_with_their_types() {
        let e = context_entries(
            "aws:MultiFactorAuthPresent(boolean)=true\n\n  s3:prefix = home/ \naws:TagKeys(stringList)=a, b",
        );
        let e = e.unwrap_or_default();
        let seen: Vec<_> = e
            .iter()
            .map(|c| {
                (
                    c.context_key_name.clone().unwrap_or_default(),
                    c.context_key_type.clone().unwrap_or_default(),
                    c.context_key_values.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    "aws:MultiFactorAuthPresent".into(),
                    "boolean".into(),
                    vec!["true".into()]
                ),
                ("s3:prefix".into(), "string".into(), vec!["home/".into()]),
                (
                    "aws:TagKeys".into(),
                    "stringList".into(),
                    vec!["a".into(), "b".into()]
                ),
            ]
        );
        assert_eq!(
            context_entries("no equals sign"),
            Err(BadQuestion(
                "context line `no equals sign` is not key=value".into()
            ))
        );
        assert_eq!(
            context_entries("(string)=x"),
            Err(BadQuestion("context line `(string)=x` has no key".into()))
        );
    }

    #[test]
    fn the_form_escapes_what_it_echoes() {
        let q = Question {
            principal: "\"><script>x</script>".into(),
            ..Question::default()
        };
        let html = form(&IamData::default(), &q, "tok");
        assert!(!html.contains("<script>"));
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""));
    }

    #[test]
    fn list_fields_split_on_commas_and_spaces() {
        assert_eq!(
            words(" s3:GetObject,s3:PutObject\n iam:GetRole "),
            vec!["s3:GetObject", "s3:PutObject", "iam:GetRole"]
        );
        assert!(words(" , ").is_empty());
    }
}
