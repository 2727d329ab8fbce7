//! The credential report (GenerateCredentialReport, GetCredentialReport): one CSV line per
//! user of the account, the root user first, in IAM's columns.
//!
//! Keyturn's users are login-less, so every user answers as IAM answers for a user without a
//! password (`password_enabled` `false`, the other password columns `N/A`), and the root user's
//! password columns are `not_supported` as in IAM's report. Access keys are the first two a
//! user has (in creation order); their last use is what the engine recorded since it started
//! ([`crate::engine::Engine::access_key_last_used`]), else `N/A`. Times are ISO-8601 with
//! `+00:00`, as IAM writes them in the report.

use std::fmt::Write as _;

use time::OffsetDateTime;
use time::macros::format_description;

use crate::engine::Engine;
use crate::engine::view::AccountView;
use crate::iam::{AccessKey, AccessKeyStatus, SigningCertificate};

/// How long a report is served (and GenerateCredentialReport answers `COMPLETE` without making a
/// new one): four hours, as IAM.
pub(crate) const REPORT_LIFETIME: time::Duration = time::Duration::hours(4);

/// IAM's columns, in order.
pub(crate) const HEADER: &str = "user,arn,user_creation_time,password_enabled,\
password_last_used,password_last_changed,password_next_rotation,mfa_active,\
access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,\
access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,\
access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,\
access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,\
cert_2_last_rotated";

/// Not applicable: no password, no key, never used.
const NA: &str = "N/A";
/// The root user's password columns.
const NOT_SUPPORTED: &str = "not_supported";

/// A time as the report writes it: `2026-12-06T18:00:00+00:00`.
fn time_text(t: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]+00:00");
    t.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| crate::clock::iso8601(t))
}

fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// The report of the account `v` shows, at `now`'s model.
pub(crate) fn build(engine: &Engine, v: &AccountView<'_>) -> String {
    let account = v.account();
    let mut out = String::from(HEADER);
    let root_arn = account.root_arn();
    let root = Row {
        name: "<root_account>",
        arn: &root_arn,
        created: v.create_date(&root_arn),
        password: [NOT_SUPPORTED, NA, NOT_SUPPORTED, NOT_SUPPORTED],
        mfa: false,
        keys: &account.root.access_keys,
        certs: &account.root.signing_certificates,
    };
    root.write(engine, v, &mut out);
    let mut users: Vec<_> = account.users.iter().collect();
    users.sort_by(|a, b| a.name.cmp(&b.name));
    for u in users {
        let arn = u.arn(&account.id);
        Row {
            name: &u.name,
            arn: &arn,
            created: v.create_date(&arn),
            password: ["false", NA, NA, NA],
            mfa: !u.mfa_devices.is_empty(),
            keys: &u.access_keys,
            certs: &u.signing_certificates,
        }
        .write(engine, v, &mut out);
    }
    out
}

struct Row<'a> {
    name: &'a str,
    arn: &'a str,
    created: OffsetDateTime,
    /// password_enabled, password_last_used, password_last_changed, password_next_rotation.
    password: [&'a str; 4],
    mfa: bool,
    keys: &'a [AccessKey],
    certs: &'a [SigningCertificate],
}

impl Row<'_> {
    fn write(&self, engine: &Engine, v: &AccountView<'_>, out: &mut String) {
        let mut cells: Vec<String> = vec![
            self.name.to_owned(),
            self.arn.to_owned(),
            time_text(self.created),
        ];
        cells.extend(self.password.iter().map(|s| (*s).to_owned()));
        cells.push(flag(self.mfa).to_owned());
        for i in 0..2 {
            let key = self.keys.get(i);
            let used = key.and_then(|k| engine.access_key_last_used(&k.id));
            cells.push(flag(key.is_some_and(|k| k.status == AccessKeyStatus::Active)).to_owned());
            cells.push(key.map_or(NA.to_owned(), |k| time_text(v.create_date(&k.id))));
            cells.push(used.as_ref().map_or(NA.to_owned(), |u| time_text(u.date)));
            cells.push(used.as_ref().map_or(NA.to_owned(), |u| u.region.clone()));
            cells.push(used.map_or(NA.to_owned(), |u| u.service));
        }
        for i in 0..2 {
            let cert = self.certs.get(i);
            cells.push(flag(cert.is_some_and(|c| c.status == AccessKeyStatus::Active)).to_owned());
            cells.push(cert.map_or(NA.to_owned(), |c| {
                time_text(super::certificates::date(&c.upload_date))
            }));
        }
        let _ = write!(out, "\n{}", cells.join(","));
    }
}
