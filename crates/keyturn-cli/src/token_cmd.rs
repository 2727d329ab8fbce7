//! `keyturn token inspect`: what a session token carries, opened with the configuration's
//! keyring. The secret access key derived from the token is never printed.
//!
//! Exit codes: 0 for a token of this keyring (expired or not: `expired` says), 1 for a token it
//! cannot open, 2 for a configuration or keyring that cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use keyturn::clock::iso8601;
use keyturn::token::{OpenedSession, SessionClaims};
use serde::Serialize;
use time::OffsetDateTime;

use crate::output::{Format, FormatArg, Outcome, json, table};

/// The `token` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Print a session token's claims (who, when, MFA, tags, policies, chain), opened with
    /// the keyring of `--config`. `-` reads the token from standard input.
    Inspect {
        /// The session token (`AWS_SESSION_TOKEN`), or `-`.
        token: String,
        /// The configuration whose keyring sealed the token (without it, the seed scenario's).
        #[arg(long)]
        config: Option<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
}

/// A tag of the session.
#[derive(Serialize)]
struct Tag<'a> {
    key: &'a str,
    value: &'a str,
}

/// The claims as printed: everything but the secret.
#[derive(Serialize)]
struct Inspected<'a> {
    access_key_id: &'a str,
    keyring_key_id: u32,
    principal_type: &'static str,
    arn: Option<String>,
    account: Option<String>,
    user_id: String,
    issued_at: String,
    expires_at: String,
    expired: bool,
    mfa_authenticated_at: Option<String>,
    source_identity: Option<&'a str>,
    tags: Vec<Tag<'a>>,
    transitive_tag_keys: &'a [String],
    session_policy: Option<&'a str>,
    policy_arns: &'a [String],
    role_chained: bool,
    caller_arn: Option<&'a str>,
    original_caller_arn: Option<&'a str>,
    scope_policies: &'a [String],
    context_keys: Vec<Tag<'a>>,
    workload_subject: Option<&'a str>,
}

fn inspected(session: &OpenedSession, now: OffsetDateTime) -> Inspected<'_> {
    let c: &SessionClaims = &session.claims;
    let context = c.context.as_deref();
    Inspected {
        access_key_id: session.access_key_id.as_str(),
        keyring_key_id: session.key_id,
        principal_type: c.principal.principal_type(),
        arn: c.principal.arn_string(),
        account: c.principal.account().map(|a| a.to_string()),
        user_id: c.principal.user_id(),
        issued_at: iso8601(c.issued_at),
        expires_at: iso8601(c.expires_at),
        expired: now >= c.expires_at,
        mfa_authenticated_at: c.mfa_authenticated_at.map(iso8601),
        source_identity: c.source_identity.as_deref(),
        tags: c
            .tags
            .iter()
            .map(|(key, value)| Tag { key, value })
            .collect(),
        transitive_tag_keys: &c.transitive_tag_keys,
        session_policy: c.session_policy.as_deref(),
        policy_arns: &c.policy_arns,
        role_chained: c.role_chained,
        caller_arn: c.caller_arn.as_deref(),
        original_caller_arn: c.original_caller_arn.as_deref(),
        scope_policies: &c.scope_policies,
        context_keys: context
            .map(|ctx| {
                ctx.keys
                    .iter()
                    .map(|(key, value)| Tag { key, value })
                    .collect()
            })
            .unwrap_or_default(),
        workload_subject: context
            .and_then(|ctx| ctx.workload.as_ref())
            .map(|w| w.subject.as_str()),
    }
}

fn opt(v: Option<&str>) -> String {
    v.unwrap_or("-").to_owned()
}

fn render_table(i: &Inspected<'_>) -> String {
    let pairs = |items: &[Tag<'_>]| {
        if items.is_empty() {
            "-".to_owned()
        } else {
            items
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let list = |items: &[String]| {
        if items.is_empty() {
            "-".to_owned()
        } else {
            items.join(", ")
        }
    };
    let rows = vec![
        vec!["access key id".to_owned(), i.access_key_id.to_owned()],
        vec!["keyring key".to_owned(), i.keyring_key_id.to_string()],
        vec!["principal type".to_owned(), i.principal_type.to_owned()],
        vec!["arn".to_owned(), opt(i.arn.as_deref())],
        vec!["account".to_owned(), opt(i.account.as_deref())],
        vec!["user id".to_owned(), i.user_id.clone()],
        vec!["issued at".to_owned(), i.issued_at.clone()],
        vec![
            "expires at".to_owned(),
            format!(
                "{}{}",
                i.expires_at,
                if i.expired { " (expired)" } else { "" }
            ),
        ],
        vec!["mfa at".to_owned(), opt(i.mfa_authenticated_at.as_deref())],
        vec!["source identity".to_owned(), opt(i.source_identity)],
        vec!["tags".to_owned(), pairs(&i.tags)],
        vec![
            "transitive tag keys".to_owned(),
            list(i.transitive_tag_keys),
        ],
        vec!["session policy".to_owned(), opt(i.session_policy)],
        vec!["policy arns".to_owned(), list(i.policy_arns)],
        vec!["role chained".to_owned(), i.role_chained.to_string()],
        vec!["caller".to_owned(), opt(i.caller_arn)],
        vec!["original caller".to_owned(), opt(i.original_caller_arn)],
        vec![
            "scope policies".to_owned(),
            i.scope_policies.len().to_string(),
        ],
        vec!["context keys".to_owned(), pairs(&i.context_keys)],
        vec!["workload".to_owned(), opt(i.workload_subject)],
    ];
    table(&["CLAIM", "VALUE"], &rows)
}

/// Opens `token` with `keyring` and prints its claims as `format`.
pub fn inspect(
    keyring: &keyturn::Keyring,
    token: &str,
    now: OffsetDateTime,
    format: Format,
) -> Outcome {
    // Opened as of the Unix epoch so that an expired token still shows its claims; `expired`
    // compares with `now`.
    match keyturn::token::open(keyring, token.trim(), OffsetDateTime::UNIX_EPOCH) {
        Ok(session) => {
            let i = inspected(&session, now);
            Outcome::printed(
                0,
                match format {
                    Format::Json => json(&i),
                    Format::Table => render_table(&i),
                },
            )
        }
        Err(e) => Outcome::error(
            1,
            format!(
                "{}: {} (not a session token sealed by this keyring)",
                e.code(),
                e.message()
            ),
        ),
    }
}

fn read_token(token: &str) -> Result<String, Outcome> {
    if token != "-" {
        return Ok(token.to_owned());
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
        Outcome::error(2, format!("cannot read the token from standard input: {e}"))
    })?;
    Ok(text)
}

/// Runs a `token` subcommand.
pub fn run(cmd: TokenCommand) -> ExitCode {
    let TokenCommand::Inspect {
        token,
        config,
        format,
    } = cmd;
    let outcome = crate::model::config(config.as_deref())
        .and_then(|config| {
            keyturn::Keyring::load(&config.keyring).map_err(|e| {
                Outcome::error(2, format!("keyring {}: {e}", config.keyring.display()))
            })
        })
        .and_then(|keyring| {
            let token = read_token(&token)?;
            let now = OffsetDateTime::now_utc()
                + time::Duration::seconds(crate::test_clock_offset().unwrap_or(0));
            Ok(inspect(&keyring, &token, now, format.format))
        });
    outcome.unwrap_or_else(|e| e).finish()
}
