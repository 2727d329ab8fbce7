//! `server.quotas`: rates per account and action, each an action Keyturn serves and an account
//! id of 12 digits, each rate `{rate, burst}` within [`QuotaRate::MAX`].

use std::collections::BTreeMap;

use keyturn_core::ids::AccountId;

use super::super::raw::{RawQuotas, RawRate};
use super::super::{AccountQuotaConfig, QuotaConfig, QuotaRate};
use super::{Checked, Checker};

/// `server.quotas`, checked.
pub(super) fn quotas(c: &Checker<'_>, raw: RawQuotas) -> Checked<QuotaConfig> {
    let at = "server.quotas";
    let mut accounts = BTreeMap::new();
    for (id, account) in raw.accounts {
        let path = format!("{at}.accounts.{id}");
        if !AccountId::is_valid(&id) {
            return c.fail(
                &path,
                format!("`{id}` is not an account id: 12 digits, quoted"),
            );
        }
        let entry = AccountQuotaConfig {
            default: optional(c, &format!("{path}.default"), account.default)?,
            actions: actions(c, &path, account.actions)?,
        };
        accounts.insert(id, entry);
    }
    Ok(QuotaConfig {
        default: optional(c, &format!("{at}.default"), raw.default)?,
        actions: actions(c, at, raw.actions)?,
        accounts,
    })
}

/// `{at}.actions`: by the name of an action Keyturn serves.
fn actions(
    c: &Checker<'_>,
    at: &str,
    raw: BTreeMap<String, RawRate>,
) -> Checked<BTreeMap<String, QuotaRate>> {
    let mut out = BTreeMap::new();
    for (name, r) in raw {
        let path = format!("{at}.actions.{name}");
        if keyturn_core::ops::find(&name).is_none() {
            return c.fail(&path, format!("`{name}` is not an action Keyturn serves"));
        }
        out.insert(name, rate(c, &path, r)?);
    }
    Ok(out)
}

fn optional(c: &Checker<'_>, path: &str, raw: Option<RawRate>) -> Checked<Option<QuotaRate>> {
    raw.map(|r| rate(c, path, r)).transpose()
}

/// `{rate, burst}`: 1 ≤ rate ≤ burst ≤ MAX (burst defaults to rate).
fn rate(c: &Checker<'_>, path: &str, raw: RawRate) -> Checked<QuotaRate> {
    let max = QuotaRate::MAX;
    let Ok(rate @ 1..=QuotaRate::MAX) = u32::try_from(raw.rate) else {
        return c.fail(
            &format!("{path}.rate"),
            format!(
                "`{}` is not a number of requests a second from 1 to {max}",
                raw.rate
            ),
        );
    };
    let burst = raw.burst.unwrap_or(i64::from(rate));
    match u32::try_from(burst) {
        Ok(burst) if (rate..=max).contains(&burst) => Ok(QuotaRate { rate, burst }),
        _ => c.fail(
            &format!("{path}.burst"),
            format!("`{burst}` is not a number of requests from the rate ({rate}) to {max}"),
        ),
    }
}
