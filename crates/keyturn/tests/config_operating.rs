//! The operator's configuration (issue 14 §2, docs/configuration.md): `server.tls`,
//! `server.metrics` and `log`; off or at their defaults when absent, every bad value refused with
//! its field.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use std::path::PathBuf;

use keyturn::config::{Config, ConfigError, LogConfig, LogFormat, TlsConfig};

mod config_support;
use config_support::{config, refused};

#[test]
fn absent_means_plain_http_no_metrics_and_a_text_log() {
    let c = config("");
    assert_eq!(c.server.tls, None);
    assert_eq!(c.server.metrics_listen, None);
    assert_eq!(c.log, LogConfig::default());
    assert_eq!(c.log.format, LogFormat::Text);
    assert_eq!(c.log.level, None);
    assert!(!c.log.requests);
}

#[test]
fn every_key_is_read() {
    let c = config(
        "server:\n  tls: {cert: /etc/k/cert.pem, key: /etc/k/key.pem, http_listen: '[::1]:8788'}\n  \
         metrics: {listen: 0.0.0.0:9787}\nlog: {format: json, level: debug, requests: true}\n",
    );
    assert_eq!(
        c.server.tls,
        Some(TlsConfig {
            cert: PathBuf::from("/etc/k/cert.pem"),
            key: PathBuf::from("/etc/k/key.pem"),
            http_listen: Some("[::1]:8788".parse().expect("address")),
        })
    );
    assert_eq!(
        c.server.metrics_listen,
        Some("0.0.0.0:9787".parse().expect("address"))
    );
    assert_eq!(c.log.format, LogFormat::Json);
    assert_eq!(c.log.level.as_deref(), Some("debug"));
    assert!(c.log.requests);
}

#[test]
fn bad_values_are_refused_with_their_field() {
    for (text, path, message) in [
        (
            "server: {tls: {cert: c.pem, key: k.pem, http_listen: 10.0.0.1:80}}",
            "server.tls.http_listen",
            "`10.0.0.1:80` is not a loopback address: plain HTTP is served only on 127.0.0.1 or ::1",
        ),
        (
            "server: {tls: {cert: c.pem, key: k.pem, http_listen: localhost}}",
            "server.tls.http_listen",
            "`localhost` is not an address and port such as 127.0.0.1:8788",
        ),
        (
            "server: {tls: {cert: '', key: k.pem}}",
            "server.tls.cert",
            "give the path of a PEM file",
        ),
        (
            "server: {metrics: {listen: nine}}",
            "server.metrics.listen",
            "`nine` is not an address and port such as 127.0.0.1:9787",
        ),
        (
            "server: {listen: 127.0.0.1:8787, metrics: {listen: 127.0.0.1:8787}}",
            "server.metrics.listen",
            "`127.0.0.1:8787` is `server.listen` too: give the metrics their own port",
        ),
        (
            "log: {format: xml}",
            "log.format",
            "`xml` is not `text` or `json`",
        ),
        (
            "log: {level: loud}",
            "log.level",
            "`loud` is not one of error, warn, info, debug, trace",
        ),
    ] {
        let (got_path, got) = refused(text);
        assert_eq!(got_path, path, "{text}");
        assert!(got.ends_with(message), "{text}: {got}");
    }
}

#[test]
fn unknown_keys_are_refused() {
    for text in [
        "server: {tls: {cert: c, key: k, ca: x}}",
        "server: {metrics: {listen: 127.0.0.1:1, auth: x}}",
        "log: {colour: true}",
    ] {
        assert!(
            matches!(
                Config::from_str(text, "test.yaml"),
                Err(ConfigError::Syntax { .. })
            ),
            "{text}"
        );
    }
}

#[test]
fn relative_pem_paths_resolve_against_the_configuration_file() {
    let dir = std::env::temp_dir().join(format!("keyturn-config-operating-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("k.yaml");
    std::fs::write(
        &path,
        "server: {tls: {cert: pki/cert.pem, key: pki/key.pem}}\n",
    )
    .expect("write");
    let c = Config::from_file(&path).expect("valid");
    let tls = c.server.tls.expect("tls");
    let base = std::fs::canonicalize(&dir).expect("canonical");
    assert_eq!(tls.cert, base.join("pki/cert.pem"));
    assert_eq!(tls.key, base.join("pki/key.pem"));
    let _ = std::fs::remove_dir_all(&dir);
}
