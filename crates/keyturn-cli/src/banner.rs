//! What `keyturn serve` prints when it is ready: the endpoint, the credentials of the model's
//! users, and an AWS CLI command to paste.
//!
//! Secrets from a configuration file are never printed (the file has them; docs/configuration.md
//! says so): only their key ids. The built-in example scenario's secrets are public (the README
//! gives them), and a key generated at start is shown once here because nothing else shows it.

use std::io::Write;
use std::net::SocketAddr;

use keyturn::Runtime;

/// The users' access keys, configured or generated: ARN, key id, and the secret where it may be
/// shown (a configured one only when `configured_secrets`).
fn credentials(
    runtime: &Runtime,
    configured_secrets: bool,
) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    for account in &runtime.config.iam.accounts {
        for user in &account.users {
            for key in &user.access_keys {
                out.push((
                    format!("arn:aws:iam::{}:user{}{}", account.id, user.path, user.name),
                    key.id.clone(),
                    configured_secrets.then(|| key.secret.expose().to_owned()),
                ));
            }
        }
    }
    for g in &runtime.generated_keys {
        out.push((
            format!("arn:aws:iam::{}:user/{}", g.account_id, g.user_name),
            g.access_key_id.clone(),
            Some(g.secret_access_key.expose().to_owned()),
        ));
    }
    out
}

/// The example role: the first one outside the first user's account, else the first one.
fn example_role(runtime: &Runtime, user_arn: Option<&str>) -> Option<String> {
    let user_account = user_arn
        .and_then(|a| a.split(':').nth(4))
        .unwrap_or_default();
    let roles: Vec<String> = runtime
        .config
        .iam
        .accounts
        .iter()
        .flat_map(|a| a.roles.iter().map(|r| r.arn(&a.id)))
        .collect();
    roles
        .iter()
        .find(|r| r.split(':').nth(4) != Some(user_account))
        .or_else(|| roles.first())
        .cloned()
}

/// Prints the banner to standard output; the secrets of configured keys only when
/// `configured_secrets` (the built-in example scenario).
pub fn print(runtime: &Runtime, bound: SocketAddr, configured_secrets: bool) {
    let scheme = if runtime.config.server.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let endpoint = format!("{scheme}://{bound}");
    let creds = credentials(runtime, configured_secrets);
    let mut s = String::new();
    s.push_str(&format!("Keyturn STS endpoint: {endpoint}\n"));
    s.push_str(&format!("Region: {}\n", runtime.config.server.region));
    match &runtime.config.server.regions {
        None => s.push_str("Serving: every region of the aws partition\n"),
        Some(list) => s.push_str(&format!("Serving: {}\n", list.join(", "))),
    }
    if runtime.config.server.compat == Some(keyturn::config::Compat::Moto) {
        s.push_str(&format!(
            "Compatibility: moto (account 123456789012; TEST_SERVER_MODE=true TEST_SERVER_MODE_ENDPOINT={endpoint})\n"
        ));
    }
    if !creds.is_empty() {
        s.push_str("Credentials:\n");
        for (arn, id, secret) in &creds {
            match secret {
                Some(secret) => s.push_str(&format!(
                    "  {arn}\n    AWS_ACCESS_KEY_ID={id}\n    AWS_SECRET_ACCESS_KEY={secret}\n"
                )),
                None => s.push_str(&format!(
                    "  {arn}\n    AWS_ACCESS_KEY_ID={id} (its secret as configured)\n"
                )),
            }
        }
    }
    let shown = creds
        .iter()
        .find_map(|(arn, id, secret)| Some((arn, id, secret.as_ref()?)));
    if let Some((arn, id, secret)) = shown {
        s.push_str("Try:\n");
        match example_role(runtime, Some(arn)) {
            Some(role) => s.push_str(&format!(
                "  AWS_ACCESS_KEY_ID={id} AWS_SECRET_ACCESS_KEY={secret} aws --endpoint-url {endpoint} --region {} sts assume-role --role-arn {role} --role-session-name demo\n",
                runtime.config.server.region
            )),
            None => s.push_str(&format!(
                "  AWS_ACCESS_KEY_ID={id} AWS_SECRET_ACCESS_KEY={secret} aws --endpoint-url {endpoint} --region {} sts get-caller-identity\n",
                runtime.config.server.region
            )),
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}
