//! The model page: every account with its users, groups, roles, managed policies and identity
//! providers, policies shown as documents.

use std::fmt::Write;

use keyturn::iam::{Account, IamData};

use crate::html::{esc, policy, table};

/// The list of `items`, escaped and comma-separated (`—` when empty).
fn list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| esc(s)).collect();
    if v.is_empty() {
        "—".to_owned()
    } else {
        v.join(", ")
    }
}

/// Inline policies as `<details>` with their documents.
fn inline(policies: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, text) in policies {
        let _ = write!(
            out,
            "<details><summary>{}</summary>{}</details>",
            esc(name),
            policy(text)
        );
    }
    if out.is_empty() {
        out.push('—');
    }
    out
}

fn users(a: &Account) -> String {
    let rows = a.users.iter().map(|u| {
        let keys: Vec<String> = u.access_keys.iter().map(|k| k.id.clone()).collect();
        let mfa: Vec<String> = u.mfa_devices.iter().map(|d| d.name.clone()).collect();
        vec![
            format!("<span class=\"arn\">{}</span>", esc(&u.arn(&a.id))),
            list(&u.groups),
            list(&keys),
            list(&mfa),
            inline(&u.inline_policies),
            list(&u.managed_policies),
        ]
    });
    table(
        "users",
        &[
            "User",
            "Groups",
            "Access keys",
            "MFA devices",
            "Inline policies",
            "Managed policies",
        ],
        rows,
    )
}

fn groups(a: &Account) -> String {
    let rows = a.groups.iter().map(|g| {
        vec![
            format!("<span class=\"arn\">{}</span>", esc(&g.arn(&a.id))),
            inline(&g.inline_policies),
            list(&g.managed_policies),
        ]
    });
    table(
        "groups",
        &["Group", "Inline policies", "Managed policies"],
        rows,
    )
}

fn roles(a: &Account) -> String {
    let rows = a.roles.iter().map(|r| {
        let tags: Vec<String> = r.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        vec![
            format!(
                "<span class=\"arn\">{}</span><div class=\"note\">{}</div>",
                esc(&r.arn(&a.id)),
                esc(r.description.as_deref().unwrap_or(""))
            ),
            format!(
                "<details><summary>trust policy</summary>{}</details>",
                policy(&r.trust_policy)
            ),
            inline(&r.inline_policies),
            list(&r.managed_policies),
            list(&tags),
        ]
    });
    table(
        "roles",
        &[
            "Role",
            "Trust",
            "Inline policies",
            "Managed policies",
            "Tags",
        ],
        rows,
    )
}

fn managed(a: &Account) -> String {
    let rows = a.managed_policies.iter().map(|p| {
        let doc = p.current().map(|v| v.document.as_str()).unwrap_or("");
        vec![
            format!("<span class=\"arn\">{}</span>", esc(&p.arn(&a.id))),
            esc(&p.default_version),
            format!(
                "<details><summary>document</summary>{}</details>",
                policy(doc)
            ),
        ]
    });
    table("policies", &["Managed policy", "Version", "Document"], rows)
}

fn providers(a: &Account) -> String {
    let oidc = a.oidc_providers.iter().map(|p| {
        vec![
            "OIDC".to_owned(),
            format!("<span class=\"arn\">{}</span>", esc(&p.arn(&a.id))),
            list(&p.client_ids),
        ]
    });
    let saml = a.saml_providers.iter().map(|p| {
        vec![
            "SAML".to_owned(),
            format!("<span class=\"arn\">{}</span>", esc(&p.arn(&a.id))),
            "—".to_owned(),
        ]
    });
    table(
        "providers",
        &["Kind", "Provider", "Audiences"],
        oidc.chain(saml),
    )
}

/// The page's body for `data`.
pub fn body(data: &IamData) -> String {
    let mut out = String::new();
    out.push_str("<p class=\"lead\">The IAM model as the engine holds it now.</p>");
    for a in &data.accounts {
        let _ = write!(
            out,
            "<section class=\"account\" id=\"account-{}\"><h2>Account {}{}</h2>",
            esc(&a.id),
            esc(&a.id),
            a.alias
                .as_deref()
                .map(|x| format!(" <span class=\"alias\">({})</span>", esc(x)))
                .unwrap_or_default()
        );
        let _ = write!(
            out,
            "<h3>Users</h3>{}<h3>Groups</h3>{}<h3>Roles</h3>{}\
             <h3>Managed policies</h3>{}<h3>Identity providers</h3>{}</section>",
            users(a),
            groups(a),
            roles(a),
            managed(a),
            providers(a)
        );
    }
    out
}
