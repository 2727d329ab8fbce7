//! `keyturn mfa code USER`: the current TOTP code of a user's virtual MFA device, for scripts
//! and demos (`aws sts get-session-token --serial-number … --token-code $(keyturn mfa code
//! alice)`).
//!
//! Exit codes: 0 with the code, 1 when the user or device is not in the model, 2 for a
//! configuration that cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use keyturn::iam::IamData;
use keyturn::mfa::{TotpParams, decode_seed_base32, totp};
use serde::Serialize;

use crate::output::{Format, FormatArg, Outcome, json};

/// The `mfa` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MfaCommand {
    /// Print the current code of a user's virtual MFA device.
    Code {
        /// The user: `NAME` (the first account that has one) or `ACCOUNT/NAME`.
        user: String,
        /// The device, by serial number or name, when the user has more than one (default:
        /// the first).
        #[arg(long)]
        device: Option<String>,
        /// The configuration holding the user (its store's model when the store exists).
        /// Without it, the embedded seed scenario.
        #[arg(long)]
        config: Option<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
}

/// A code as `--format json` prints it.
#[derive(Debug, Serialize)]
pub struct Code {
    /// The user's ARN.
    pub user: String,
    /// The device's serial number.
    pub serial_number: String,
    /// The six digits.
    pub code: String,
    /// Seconds until the next code.
    pub valid_for_seconds: u64,
}

/// The code of `user`'s device (`device`, else the first) at `unix_time`.
pub fn code(
    data: &IamData,
    user: &str,
    device: Option<&str>,
    unix_time: u64,
) -> Result<Code, Outcome> {
    let (account, name) = match user.split_once('/') {
        Some((a, n)) => (Some(a), n),
        None => (None, user),
    };
    let (account, found) = data
        .accounts
        .iter()
        .filter(|a| account.is_none_or(|x| x == a.id))
        .find_map(|a| a.user(name).map(|u| (a, u)))
        .ok_or_else(|| Outcome::error(1, format!("no user `{user}` in the model")))?;
    let chosen = found
        .mfa_devices
        .iter()
        .find(|d| device.is_none_or(|want| d.name == want || d.serial(&account.id) == want))
        .ok_or_else(|| {
            Outcome::error(
                1,
                match device {
                    Some(d) => format!("user `{user}` has no virtual MFA device `{d}`"),
                    None => format!("user `{user}` has no virtual MFA device"),
                },
            )
        })?;
    let seed = decode_seed_base32(chosen.seed_base32.expose())
        .map_err(|e| Outcome::error(1, format!("the device's seed: {e}")))?;
    let params = TotpParams::AWS;
    let digits = totp(&seed, unix_time, &params).map_err(|e| Outcome::error(1, e))?;
    Ok(Code {
        user: found.arn(&account.id),
        serial_number: chosen.serial(&account.id),
        code: digits,
        valid_for_seconds: params.step - unix_time % params.step,
    })
}

/// Runs an `mfa` subcommand.
pub fn run(cmd: MfaCommand) -> ExitCode {
    let MfaCommand::Code {
        user,
        device,
        config,
        format,
    } = cmd;
    let offset = match crate::test_clock_offset() {
        Ok(o) => o,
        Err(e) => return Outcome::error(2, e).finish(),
    };
    let now = time::OffsetDateTime::now_utc() + time::Duration::seconds(offset);
    let unix_time = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let outcome = crate::model::config(config.as_deref())
        .and_then(|config| crate::model::model(&config))
        .and_then(|data| code(&data, &user, device.as_deref(), unix_time))
        .map(|c| match format.format {
            Format::Json => Outcome::printed(0, json(&c)),
            Format::Table => Outcome::printed(0, format!("{}\n", c.code)),
        });
    outcome.unwrap_or_else(|e| e).finish()
}
