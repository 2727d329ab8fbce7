//! The configuration of limits and failure modes (docs/limits.md): `server.audit_log` as
//! `{path, on_failure}`, `server.quotas`, `plugins[].call_timeout_ms`; every one off or at its
//! default when absent, every bad value refused with its field.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::time::Duration;

use keyturn::config::{AuditLog, PluginConfig, QuotaRate};

mod config_support;
use config_support::{config, refused};

#[test]
fn absent_means_off_or_the_default() {
    let c = config("plugins: [{path: libp.so}]\n");
    assert_eq!(c.server.audit_log, None);
    assert!(!c.server.audit_fail_closed);
    assert_eq!(c.server.quotas, None);
    assert_eq!(
        c.plugins[0].call_timeout,
        PluginConfig::DEFAULT_CALL_TIMEOUT
    );
    assert_eq!(PluginConfig::DEFAULT_CALL_TIMEOUT, Duration::from_secs(10));
    // The short form of the audit log continues on failure.
    let c = config("server: {audit_log: stdout}\n");
    assert_eq!(c.server.audit_log, Some(AuditLog::Stdout));
    assert!(!c.server.audit_fail_closed);
}

#[test]
fn the_example_configurations_set_no_quota() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("read");
            assert!(!text.contains("quotas"), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen > 0);
}

#[test]
fn every_setting_is_read() {
    let c = config(
        r#"server:
  audit_log: {path: stdout, on_failure: refuse}
  quotas:
    default: {rate: 100, burst: 200}
    actions:
      AssumeRole: {rate: 50}
    accounts:
      "111111111111":
        default: {rate: 7, burst: 9}
        actions: {GetCallerIdentity: {rate: 1, burst: 3}}
plugins:
  - {path: libp.so, call_timeout_ms: 250}
"#,
    );
    assert_eq!(c.server.audit_log, Some(AuditLog::Stdout));
    assert!(c.server.audit_fail_closed);
    let q = c.server.quotas.expect("quotas");
    let rate = |rate, burst| QuotaRate { rate, burst };
    assert_eq!(q.default, Some(rate(100, 200)));
    assert_eq!(q.actions["AssumeRole"], rate(50, 50));
    let account = &q.accounts["111111111111"];
    assert_eq!(account.default, Some(rate(7, 9)));
    assert_eq!(account.actions["GetCallerIdentity"], rate(1, 3));
    assert_eq!(c.plugins[0].call_timeout, Duration::from_millis(250));
    let c = config("server: {audit_log: {path: stdout, on_failure: continue}}\n");
    assert!(!c.server.audit_fail_closed);
}

#[test]
fn bad_values_are_refused_with_their_field() {
    for (text, path, says) in [
        (
            "server: {audit_log: {path: stdout, on_failure: ignore}}\n",
            "server.audit_log.on_failure",
            "`ignore` is not `refuse` or `continue`",
        ),
        (
            "server: {quotas: {actions: {Frobnicate: {rate: 1}}}}\n",
            "server.quotas.actions.Frobnicate",
            "`Frobnicate` is not an action Keyturn serves",
        ),
        (
            "server: {quotas: {default: {rate: 0}}}\n",
            "server.quotas.default.rate",
            "`0` is not a number of requests a second from 1 to 1000000",
        ),
        (
            "server: {quotas: {default: {rate: 5, burst: 4}}}\n",
            "server.quotas.default.burst",
            "`4` is not a number of requests from the rate (5) to 1000000",
        ),
        (
            "server: {quotas: {accounts: {\"12345\": {default: {rate: 1}}}}}\n",
            "server.quotas.accounts.12345",
            "`12345` is not an account id",
        ),
        (
            "server: {quotas: {accounts: {\"111111111111\": {actions: {GetCallerIdentity: {rate: 2000000}}}}}}\n",
            "server.quotas.accounts.111111111111.actions.GetCallerIdentity.rate",
            "from 1 to 1000000",
        ),
        (
            "plugins: [{path: libp.so, call_timeout_ms: 0}]\n",
            "plugins[0].call_timeout_ms",
            "`0` is not a number of milliseconds from 1 to 600000",
        ),
    ] {
        let (at, shown) = refused(text);
        assert_eq!(at, path, "{shown}");
        assert!(shown.contains(says), "{shown}");
    }
}
