//! Every validation rule names the file, the line and the field.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use keyturn::config::{Config, ConfigError, StoreConfig};

const BASE: &str = r#"accounts:
  - id: "222222222222"
    groups:
      - name: developers
    managed_policies:
      - name: Boundary
        document: {Version: "2012-10-17", Statement: []}
    users:
      - name: alice
        groups: [developers]
        access_keys:
          - id: AKIATHPL2AOHFJCVQTKQ
            secret: example/secret
        mfa_devices:
          - {name: alice, seed_base32: JBSWY3DPEHPK3PXP}
        tags: {team: web}
    roles:
      - name: App
        trust_policy: '{"Version":"2012-10-17","Statement":[]}'
"#;

fn invalid(text: &str) -> (Option<usize>, String, String) {
    match Config::from_str(text, "test.yaml") {
        Err(err @ ConfigError::Invalid { .. }) => {
            let shown = err.to_string();
            (
                err.line(),
                err.field_path().unwrap_or_default().to_owned(),
                shown,
            )
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// The message of the validation error of `text`, which must be at `line` and `path`.
fn invalid_at(text: &str, line: usize, path: &str) -> String {
    let (at, field, shown) = invalid(text);
    assert_eq!((at, field.as_str()), (Some(line), path), "{shown}");
    shown
}

#[test]
fn the_base_is_valid() {
    let config = Config::from_str(BASE, "test.yaml").expect("valid");
    let account = &config.iam.accounts[0];
    // A document given as a string is kept as written (as IAM keeps it); one given as a
    // mapping becomes compact JSON.
    assert_eq!(
        account.roles[0].trust_policy,
        r#"{"Version":"2012-10-17","Statement":[]}"#
    );
    assert_eq!(
        account.managed_policies[0].document(),
        r#"{"Statement":[],"Version":"2012-10-17"}"#
    );
    assert_eq!(account.users[0].path, "/");
}

#[test]
fn errors_name_file_line_and_field() {
    let shown = invalid_at(
        &BASE.replace("AKIATHPL2AOHFJCVQTKQ", "AKIA123"),
        12,
        "accounts[0].users[0].access_keys[0].id",
    );
    assert!(
        shown.starts_with(
            "test.yaml:12: accounts[0].users[0].access_keys[0].id: `AKIA123` is not a well-formed"
        ),
        "{shown}"
    );

    // A key id for another account.
    let shown = invalid_at(
        &BASE.replace("222222222222", "111111111111"),
        12,
        "accounts[0].users[0].access_keys[0].id",
    );
    assert!(
        shown.contains("encodes account 222222222222, not 111111111111"),
        "{shown}"
    );

    invalid_at(
        &BASE.replace("JBSWY3DPEHPK3PXP", "JBSWY3DP!"),
        15,
        "accounts[0].users[0].mfa_devices[0].seed_base32",
    );

    invalid_at(
        &BASE.replace("groups: [developers]", "groups: [testers]"),
        10,
        "accounts[0].users[0].groups[0]",
    );

    invalid_at(
        &BASE.replace("team: web", "aws:team: web"),
        16,
        "accounts[0].users[0].tags.aws:team",
    );

    invalid_at(
        &BASE.replace(
            "- name: App",
            "- name: App\n        max_session_duration: 100",
        ),
        19,
        "accounts[0].roles[0].max_session_duration",
    );

    let shown = invalid_at(
        &BASE.replace(
            r#"'{"Version":"2012-10-17","Statement":[]}'"#,
            "'{not json'",
        ),
        19,
        "accounts[0].roles[0].trust_policy",
    );
    assert!(shown.contains("not valid JSON"), "{shown}");

    let (_, path, _) =
        invalid(&BASE.replace(r#"'{"Version":"2012-10-17","Statement":[]}'"#, "[1, 2]"));
    assert_eq!(path, "accounts[0].roles[0].trust_policy");

    invalid_at(
        &BASE.replace("- name: alice", "- name: al ice"),
        9,
        "accounts[0].users[0].name",
    );
}

#[test]
fn account_and_key_rules() {
    invalid_at(
        &BASE.replace("\"222222222222\"", "\"2222\""),
        2,
        "accounts[0].id",
    );

    let twice = format!("{BASE}  - id: \"222222222222\"\n");
    invalid_at(&twice, 20, "accounts[1].id");

    let dup_key = BASE.replace(
        "            secret: example/secret\n",
        "            secret: example/secret\n          - {id: AKIATHPL2AOHFJCVQTKQ, secret: other}\n",
    );
    invalid_at(&dup_key, 14, "accounts[0].users[0].access_keys[1].id");

    let (_, path, shown) = invalid(&BASE.replace("example/secret", "has space"));
    assert_eq!(path, "accounts[0].users[0].access_keys[0].secret");
    assert!(
        !shown.contains("has space"),
        "the secret is never echoed: {shown}"
    );

    let (_, path, _) = invalid(&BASE.replace(
        "    groups:\n      - name: developers\n",
        "    groups:\n      - name: developers\n      - name: Developers\n",
    ));
    assert_eq!(path, "accounts[0].groups[1].name");

    let (_, path, _) = invalid(&BASE.replace(
        "- name: App",
        "- name: App\n        managed_policies: [\"arn:aws:iam::222222222222:policy/Nope\"]",
    ));
    assert_eq!(path, "accounts[0].roles[0].managed_policies[0]");
    let ok = BASE.replace(
        "- name: App",
        "- name: App\n        permissions_boundary: arn:aws:iam::222222222222:policy/Boundary",
    );
    assert!(Config::from_str(&ok, "t").is_ok());

    let (_, path, _) = invalid(&BASE.replace("- name: App", "- name: App\n        path: noslash"));
    assert_eq!(path, "accounts[0].roles[0].path");
    let (_, path, _) = invalid(&BASE.replace(
        "id: \"222222222222\"",
        "id: \"222222222222\"\n    alias: -Bad",
    ));
    assert_eq!(path, "accounts[0].alias");
    let (_, path, _) = invalid(&BASE.replace("team: web", "team: web, Team: x"));
    assert_eq!(path, "accounts[0].users[0].tags.team");
}

#[test]
fn server_store_and_providers() {
    invalid_at(
        &format!("server: {{listen: nowhere}}\n{BASE}"),
        1,
        "server.listen",
    );
    let (_, path, _) = invalid(&format!("store: {{sqlite: a.db, memory: true}}\n{BASE}"));
    assert_eq!(path, "store");
    let config =
        Config::from_str("store: {memory: true}\nserver: {region: eu-west-3}", "t").expect("valid");
    assert_eq!(config.store, StoreConfig::Memory);
    assert_eq!(config.server.region, "eu-west-3");
    let (_, path, _) = invalid("server: {region: Mars}");
    assert_eq!(path, "server.region");
    assert_eq!(config.server.workers, None);
    let config = Config::from_str("server: {workers: 1}", "t").expect("valid");
    assert_eq!(config.server.workers, Some(1));
    let wrong_type = Config::from_str("server: {workers: many}", "t").map(|_| ());
    assert!(
        matches!(&wrong_type, Err(ConfigError::Syntax { line: Some(1), message, .. }) if message.contains("server.workers")),
        "{wrong_type:?}"
    );
    for bad in ["0", "-2", "257"] {
        let (line, path, shown) = invalid(&format!("# workers\nserver: {{workers: {bad}}}"));
        assert_eq!(path, "server.workers", "{bad}: {shown}");
        assert_eq!(line, Some(2), "{bad}: {shown}");
    }

    let oidc = |extra: &str| {
        format!(
            "accounts:\n  - id: \"111111111111\"\n    oidc_providers:\n      - url: https://issuer.example\n        client_ids: [sts.amazonaws.com]\n{extra}"
        )
    };
    let config = Config::from_str(&oidc("        jwks_file: keys.json\n"), "t").expect("valid");
    assert_eq!(
        config.iam.accounts[0].oidc_providers[0]
            .jwks_file
            .as_deref(),
        Some("keys.json")
    );
    let config = Config::from_str(&oidc("        jwks: {keys: []}\n"), "t").expect("valid");
    assert_eq!(
        config.iam.accounts[0].oidc_providers[0].jwks.as_deref(),
        Some(r#"{"keys":[]}"#)
    );
    let (_, path, _) = invalid(&oidc("        thumbprints: [abc]\n"));
    assert_eq!(path, "accounts[0].oidc_providers[0].thumbprints[0]");
    let (_, path, _) = invalid(&oidc("        jwks: {nokeys: 1}\n"));
    assert_eq!(path, "accounts[0].oidc_providers[0].jwks");
    // A context provider, in the model's shape, checked as IAM checks it.
    let config = Config::from_str(
        &oidc("        context_provider: {subject_source_key: sub, subject_type_value: user, key_definitions: [{source_key: email, target_key: mail}]}\n"),
        "t",
    )
    .expect("valid");
    let cp = config.iam.accounts[0].oidc_providers[0]
        .context_provider
        .as_ref()
        .expect("a context provider");
    assert_eq!(
        (
            cp.subject_source_key.as_str(),
            cp.key_definitions[0].target()
        ),
        ("sub", "mail")
    );
    let (_, path, shown) = invalid(&oidc(
        "        context_provider: {subject_source_key: sub, subject_type_value: user, subject_type_source_key: typ}\n",
    ));
    assert_eq!(path, "accounts[0].oidc_providers[0].context_provider");
    assert!(shown.contains("not both"), "{shown}");
    let (_, path, _) = invalid(&oidc(
        "        context_provider: {subject_source_key: \" sub\"}\n",
    ));
    assert_eq!(path, "accounts[0].oidc_providers[0].context_provider");
    let (_, path, _) =
        invalid("accounts:\n  - id: \"111111111111\"\n    saml_providers: [{name: okta}]\n");
    assert_eq!(path, "accounts[0].saml_providers[0].name");
}

#[test]
fn workload_entities_are_checked_at_their_fields() {
    let world = |providers: &str, templates: &str| {
        format!(
            "accounts:\n  - id: \"111111111111\"\n    workload_identity_providers:\n{providers}    workload_identity_templates:\n{templates}"
        )
    };
    let provider = |name: &str, id: &str| {
        format!(
            "      - {{name: \"{name}\", id: {id}, scheme: SPIFFE, domain: example.org, create_date: \"2026-11-01T00:00:00Z\"}}\n"
        )
    };
    let template = |name: &str, id: &str| {
        format!(
            "      - {{name: \"{name}\", id: {id}, provider_arn: \"arn:aws:iam::111111111111:workload-identity-provider/prod\", path_pattern: \"{{aws:WorkloadAttestation/aws/eks/Namespace}}\", create_date: \"2026-11-01T00:00:00Z\"}}\n"
        )
    };
    let prod = provider("prod", "AWPA3XFRBF535PLBIFPI4");
    let eks = template("eks", "AWTA3XFRBF535PLBIFPI4");
    Config::from_str(&world(&prod, &eks), "t").expect("valid");
    let providers = "accounts[0].workload_identity_providers";
    let templates = "accounts[0].workload_identity_templates";
    for (text, path, message) in [
        (
            world(&provider("a b", "AWPA3XFRBF535PLBIFPI4"), &eks),
            format!("{providers}[0].name"),
            "`a b` is not a provider name",
        ),
        (
            world(
                &format!("{prod}{}", provider("prod", "AWPA3XFRBF535PLBIFPI5")),
                &eks,
            ),
            format!("{providers}[1].name"),
            "provider `prod` is defined more than once",
        ),
        (
            world(&provider("prod", "AWTA3XFRBF535PLBIFPI4"), &eks),
            format!("{providers}[0].id"),
            "`AWTA3XFRBF535PLBIFPI4` is not a unique id with prefix AWPA",
        ),
        (
            world(&prod, &template("a.b", "AWTA3XFRBF535PLBIFPI4")),
            format!("{templates}[0].name"),
            "`a.b` is not a template name",
        ),
        (
            world(
                &prod,
                &format!("{eks}{}", template("eks", "AWTA3XFRBF535PLBIFPI5")),
            ),
            format!("{templates}[1].name"),
            "template `eks` is defined more than once",
        ),
        (
            world(&prod, &template("eks", "AWPA3XFRBF535PLBIFPI5")),
            format!("{templates}[0].id"),
            "`AWPA3XFRBF535PLBIFPI5` is not a unique id with prefix AWTA",
        ),
    ] {
        let (_, at, shown) = invalid(&text);
        assert_eq!(at, path, "{shown}");
        assert!(shown.contains(message), "{shown}");
    }
}

#[test]
fn server_connection_limits() {
    use keyturn::config::Connections;
    use std::time::Duration;

    let config = Config::from_str("server: {}", "t").expect("valid");
    assert_eq!(config.server.connections, Connections::default());
    let text = "server:
  connections:
    max: 10
    header_timeout: 2.5
    body_timeout: 4
    min_body_rate: 0
    body_memory: 1048576
    shutdown_timeout: 0
    send_timeout: 7
";
    let config = Config::from_str(text, "t").expect("valid");
    assert_eq!(
        config.server.connections,
        Connections {
            max: Some(10),
            header_timeout: Some(Duration::from_millis(2500)),
            body_timeout: Some(Duration::from_secs(4)),
            min_body_rate: Some(0),
            body_memory: Some(1 << 20),
            shutdown_timeout: Some(Duration::ZERO),
            send_timeout: Some(Duration::from_secs(7)),
        }
    );
    for (field, bad, message) in [
        (
            "max",
            "0",
            "`0` is not a number of connections from 1 to 1000000",
        ),
        ("max", "1000001", "is not a number of connections"),
        (
            "header_timeout",
            "0",
            "`0` is not a number of seconds over 0 to 3600",
        ),
        (
            "body_timeout",
            "-1",
            "`-1` is not a number of seconds over 0 to 3600",
        ),
        ("body_timeout", "3601", "is not a number of seconds"),
        (
            "send_timeout",
            "0",
            "`0` is not a number of seconds over 0 to 3600",
        ),
        (
            "shutdown_timeout",
            "-0.5",
            "`-0.5` is not a number of seconds from 0 to 3600",
        ),
        (
            "min_body_rate",
            "-1",
            "`-1` is not a rate in bytes per second from 0 to 1073741824",
        ),
        (
            "body_memory",
            "1000",
            "`1000` is not a number of bytes from 262144 to 1099511627776",
        ),
    ] {
        let text = format!("server:\n  region: us-east-1\n  connections:\n    {field}: {bad}\n");
        let shown = invalid_at(&text, 4, &format!("server.connections.{field}"));
        assert!(shown.contains(message), "{field}: {bad}: {shown}");
    }
    let unknown = Config::from_str("server: {connections: {maximum: 3}}", "t").map(|_| ());
    assert!(
        matches!(&unknown, Err(ConfigError::Syntax { message, .. }) if message.contains("maximum")),
        "{unknown:?}"
    );
}

#[test]
fn syntax_and_unknown_fields_are_errors_with_lines() {
    let err = Config::from_str(&BASE.replace("        tags:", "        tagz:"), "test.yaml")
        .expect_err("unknown field");
    let shown = err.to_string();
    assert!(matches!(err, ConfigError::Syntax { .. }), "{shown}");
    assert_eq!(err.line(), Some(16), "{shown}");
    assert!(shown.starts_with("test.yaml:16:"), "{shown}");
    assert!(shown.contains("tagz"), "{shown}");

    let err = Config::from_str("accounts: [\n  {id: 1", "broken.yaml").expect_err("bad yaml");
    assert!(err.to_string().starts_with("broken.yaml:"), "{err}");
    assert!(err.line().is_some());

    // An unquoted id is read as its text, so leading zeros survive.
    let config =
        Config::from_str("accounts:\n  - id: 012345678901\n", "t.yaml").expect("unquoted id");
    assert_eq!(config.iam.accounts[0].id, "012345678901");

    let err = Config::from_file("/nonexistent/keyturn.yaml").expect_err("missing file");
    assert!(matches!(err, ConfigError::Io { .. }));
    assert!(
        err.to_string()
            .starts_with("/nonexistent/keyturn.yaml: cannot read"),
        "{err}"
    );

    // Bad input of any shape is an error, never a panic.
    for text in [
        "[]",
        "42",
        "accounts: 3",
        "accounts: [{}]",
        "server: []",
        ":",
        "- - -",
        "\u{0}",
    ] {
        assert!(Config::from_str(text, "t").is_err(), "{text:?}");
    }
    assert!(
        Config::from_str("", "t").is_ok(),
        "an empty file is all defaults"
    );
}

#[test]
fn json_values_report_field_paths() {
    let value = serde_json::json!({"accounts": [{"id": "111111111111", "roles": [{"name": "R", "trust_policy": {"Statement": []}, "max_session_duration": 1}]}]});
    match Config::from_json_value(&value, "dict") {
        Err(err @ ConfigError::Invalid { .. }) => {
            assert_eq!(
                err.field_path(),
                Some("accounts[0].roles[0].max_session_duration")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn relative_paths_resolve_against_the_file() {
    let dir = std::env::temp_dir().join(format!("keyturn-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("k.yaml");
    std::fs::write(&file, "keyring: keys/ring.json\nstore: {sqlite: /abs/k.db}\nplugins: [{path: libp.so, config: {a: 1}}]\nserver: {audit_log: audit.log}\n").expect("write");
    let config = Config::from_file(&file).expect("valid");
    let base = std::fs::canonicalize(&dir).expect("canon");
    assert_eq!(config.keyring, base.join("keys/ring.json"));
    assert_eq!(config.store, StoreConfig::Sqlite("/abs/k.db".into()));
    assert_eq!(config.plugins[0].path, base.join("libp.so"));
    assert_eq!(config.plugins[0].config, serde_json::json!({"a": 1}));
    assert_eq!(
        config.server.audit_log,
        Some(keyturn::config::AuditLog::File(base.join("audit.log")))
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = Config::from_str(&text, "fuzz.yaml");
    }

    #[test]
    fn mutated_base_never_panics(pos in 0usize..600, insert in "[\\[\\]{}:,\\-\"' \\nA-Za-z0-9é]{0,6}") {
        let mut text = BASE.to_owned();
        let mut pos = pos.min(text.len());
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        text.insert_str(pos, &insert);
        let _ = Config::from_str(&text, "fuzz.yaml");
    }
}

#[test]
fn create_dates_are_checked_normalised_and_keyed() {
    let text = BASE
        .replace(
            "        tags: {team: web}\n",
            "        tags: {team: web}\n        create_date: \"2024-01-31T13:00:00.5+01:00\"\n",
        )
        .replace(
            "            secret: example/secret\n",
            "            secret: example/secret\n            create_date: 2024-02-01T00:00:00Z\n",
        );
    let config = Config::from_str(&text, "test.yaml").expect("valid");
    let dates = &config.iam.accounts[0].create_dates;
    assert_eq!(
        dates
            .get("arn:aws:iam::222222222222:user/alice")
            .map(String::as_str),
        Some("2024-01-31T12:00:00Z")
    );
    assert_eq!(
        dates.get("AKIATHPL2AOHFJCVQTKQ").map(String::as_str),
        Some("2024-02-01T00:00:00Z")
    );
    assert_eq!(dates.len(), 2);

    let bad = BASE.replace(
        "      - name: App\n",
        "      - name: App\n        create_date: yesterday\n",
    );
    let shown = invalid_at(&bad, 19, "accounts[0].roles[0].create_date");
    assert!(
        shown.contains("`yesterday` is not an ISO-8601 date"),
        "{shown}"
    );
}

#[test]
fn aws_managed_policies_are_accepted_when_aws_has_them() {
    let with = |arn: &str| {
        BASE.replace(
            "        groups: [developers]\n",
            &format!("        groups: [developers]\n        managed_policies: [\"{arn}\"]\n"),
        )
    };
    let config = Config::from_str(
        &with("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
        "test.yaml",
    )
    .expect("valid");
    assert_eq!(
        config.iam.accounts[0].users[0].managed_policies,
        ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]
    );
    // The path is part of the ARN.
    let shown = invalid_at(
        &with("arn:aws:iam::aws:policy/ViewOnlyAccess"),
        11,
        "accounts[0].users[0].managed_policies[0]",
    );
    assert!(
        shown.contains("`arn:aws:iam::aws:policy/ViewOnlyAccess` is not an AWS managed policy"),
        "{shown}"
    );
    // A boundary may be AWS managed too.
    let boundary = BASE.replace(
        "        trust_policy:",
        "        permissions_boundary: arn:aws:iam::aws:policy/PowerUserAccess\n        trust_policy:",
    );
    Config::from_str(&boundary, "test.yaml").expect("valid");
}

/// A configuration carries certificates and SSH keys in the model's form (as `keyturn export`
/// writes them), checked as their uploads were.
#[test]
fn certificates_and_ssh_keys_are_checked_as_uploads_were() {
    fn indent(text: &str, by: usize) -> String {
        let pad = " ".repeat(by);
        text.lines().map(|l| format!("{pad}{l}\n")).collect()
    }
    let pki = |name: &str| {
        let path = format!(
            "{}/../keyturn-core/tests/data/pki/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(path).expect("fixture")
    };
    let ssh = pki("ssh_rsa.pub");
    let with = |fingerprint: &str, key: &str| {
        format!(
            "{BASE}    server_certificates:\n      - name: web\n        id: ASCAAAAAAAAAAAAAAAAAA\n        expiration: \"2126-01-01T00:00:00Z\"\n        upload_date: \"2026-12-06T12:00:00Z\"\n        body: |\n{}        private_key: |\n{}",
            indent(&pki("server.crt"), 10),
            indent(&pki(key), 10),
        )
        .replace(
            "        tags: {team: web}\n",
            &format!(
                "        tags: {{team: web}}\n        ssh_public_keys:\n          - {{id: APKAAAAAAAAAAAAAAAAA, body: \"{}\", fingerprint: \"{fingerprint}\", upload_date: \"2026-12-06T12:00:00Z\"}}\n",
                ssh.trim()
            ),
        )
    };
    let md5 = pki("ssh_rsa.md5");
    let config = Config::from_str(&with(md5.trim(), "server.key"), "test.yaml").expect("valid");
    let account = &config.iam.accounts[0];
    assert_eq!(account.server_certificates[0].name, "web");
    assert_eq!(account.users[0].ssh_public_keys[0].fingerprint, md5.trim());

    let (_, path, shown) = invalid(&with("00:11", "server.key"));
    assert_eq!(path, "accounts[0].users[0].ssh_public_keys[0].fingerprint");
    assert!(shown.contains("not the key's"), "{shown}");
    let (_, path, shown) = invalid(&with(md5.trim(), "other.key"));
    assert_eq!(path, "accounts[0].server_certificates[0]");
    assert!(shown.contains("does not match"), "{shown}");
    assert!(!shown.contains("PRIVATE KEY"), "no key material: {shown}");
}

#[test]
fn the_console_section() {
    let load = |text: &str| Config::from_str(text, "test.yaml").expect("valid");
    // Off unless configured; loopback port 8788 when configured without an address.
    assert_eq!(load(BASE).console, None);
    let on = load(&format!("{BASE}console: {{}}\n"));
    assert_eq!(
        on.console.map(|c| c.listen.to_string()),
        Some(keyturn::config::DEFAULT_CONSOLE_LISTEN.to_owned())
    );
    assert_eq!(
        keyturn::config::ConsoleConfig::loopback()
            .listen
            .to_string(),
        keyturn::config::DEFAULT_CONSOLE_LISTEN
    );
    let at = load(&format!("{BASE}console:\n  listen: \"0.0.0.0:9000\"\n"));
    assert_eq!(
        at.console.map(|c| c.listen.to_string()),
        Some("0.0.0.0:9000".to_owned())
    );
    let line = BASE.lines().count() + 2;
    let shown = invalid_at(
        &format!("{BASE}console:\n  listen: \"localhost\"\n"),
        line,
        "console.listen",
    );
    assert!(
        shown.ends_with(
            "console.listen: `localhost` is not an address and port such as 127.0.0.1:8788"
        ),
        "{shown}"
    );
    match Config::from_str(&format!("{BASE}console:\n  port: 1\n"), "test.yaml") {
        Err(ConfigError::Syntax { message, .. }) => {
            assert!(message.contains("unknown field `port`"), "{message}")
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}
