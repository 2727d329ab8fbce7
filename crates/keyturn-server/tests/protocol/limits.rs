//! Limits and failure modes over real requests.
//!
//! An audit log that cannot be written (its filesystem full): with `on_failure: refuse` the
//! request is answered `ServiceUnavailable` and its result (credentials) never leaves; while the
//! log keeps failing, operations are not run at all; once space is back, requests are served
//! again without a restart. With `continue` they are served throughout. These run on a small
//! tmpfs, only where this process may mount one (root); elsewhere they say so in one line and
//! pass. Request quotas: `Throttling` in AWS's shape.

use std::io::Write;
use std::path::PathBuf;

use keyturn_server::{AuditSink, OnAuditFailure, ServerOptions};

use crate::client::*;
use crate::fake::*;

/// A tmpfs mounted on a fresh directory, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(name: &str) -> Option<Self> {
        let dir = std::env::temp_dir().join(format!("keyturn-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!(
                "skipped: cannot mount a tmpfs on {} (not root?)",
                dir.display()
            );
            return None;
        }
        Some(Self(dir))
    }

    /// Takes every free byte: in the file `filler`, then what is left of the audit log's last
    /// page (blank lines, which no reader takes for an event).
    fn fill(&self) {
        let mut f = std::fs::File::create(self.0.join("filler")).unwrap();
        while f.write_all(&[0u8; 1024]).is_ok() {}
        while f.write_all(b"x").is_ok() {}
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(self.0.join("audit.jsonl"))
            .unwrap();
        while log.write_all(b"\n").is_ok() {}
    }

    fn free(&self) {
        std::fs::remove_file(self.0.join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

fn serve_with(
    disk: &SmallDisk,
    on_failure: OnAuditFailure,
) -> (
    tokio::runtime::Runtime,
    keyturn_server::RunningServer,
    std::sync::Arc<Fake>,
) {
    let rt = rt();
    let (server, fake) = start(
        &rt,
        ServerOptions {
            audit: AuditSink::File(disk.0.join("audit.jsonl")),
            audit_on_failure: on_failure,
            ..ServerOptions::default()
        },
    );
    (rt, server, fake)
}

fn events(disk: &SmallDisk) -> Vec<serde_json::Value> {
    std::fs::read_to_string(disk.0.join("audit.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn refuse_answers_service_unavailable_and_issues_nothing_until_the_log_is_writable() {
    let Some(disk) = SmallDisk::mount("audit-refuse") else {
        return;
    };
    let (rt, server, fake) = serve_with(&disk, OnAuditFailure::Refuse);
    let assume_role = &every_action()[0].1;
    assert!(assume_role.starts_with("Action=AssumeRole&"));
    let ok = post(&server, assume_role);
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains(SECRET));
    fake.take();

    disk.fill();
    // The operation ran, but its credentials are not sent: the event could not be written.
    let refused = post(&server, assume_role);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_error(
        &refused,
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    );
    for secret in [SECRET, TOKEN, "ASIAY34FZKBOKMUTVV7A"] {
        assert!(!refused.body.contains(secret), "{}", refused.body);
    }
    assert_eq!(fake.take().action, "AssumeRole");
    // The log is known to fail: the next requests are refused before their operation runs.
    for _ in 0..3 {
        assert_eq!(post(&server, assume_role).status, 503);
    }
    assert!(
        fake.last.lock().unwrap().is_none(),
        "an operation ran while the log failed"
    );

    disk.free();
    // The first request after the space is back writes its refusal (the log works again)...
    assert_eq!(post(&server, assume_role).status, 503);
    // ...and from then on requests are served.
    let again = post(&server, assume_role);
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.body.contains(SECRET));
    shutdown_within_5s(&rt, server);
    let recorded = events(&disk);
    let names: Vec<_> = recorded
        .iter()
        .map(|e| e["errorCode"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(names, ["ok", "ServiceUnavailable", "ok"]);
}

#[test]
fn continue_serves_every_request_while_the_log_cannot_be_written() {
    let Some(disk) = SmallDisk::mount("audit-continue") else {
        return;
    };
    let (rt, server, _fake) = serve_with(&disk, OnAuditFailure::Continue);
    disk.fill();
    for (_, body) in every_action().iter().take(3) {
        assert_eq!(post(&server, body).status, 200);
    }
    disk.free();
    assert_serving(&server);
    shutdown_within_5s(&rt, server);
    assert_eq!(
        events(&disk).len(),
        1,
        "only the request after the space came back"
    );
}

/// Over quota: `Throttling` with AWS's text, a request id and well-formed XML; the operation
/// does not run; another action of the account is not affected.
#[test]
fn over_quota_is_throttling_in_aws_shape() {
    use keyturn_server::{QuotaRules, Quotas, Rate};
    let rt = rt();
    let rules = QuotaRules {
        actions: [(
            "GetCallerIdentity".to_owned(),
            Rate {
                per_second: 0.001,
                burst: 2.0,
            },
        )]
        .into(),
        ..QuotaRules::default()
    };
    let (server, fake) = start(
        &rt,
        ServerOptions {
            quotas: Some(std::sync::Arc::new(Quotas::new(rules))),
            ..ServerOptions::default()
        },
    );
    let auth = "AWS4-HMAC-SHA256 Credential=AKIAY34FZKBOKMUTVV7A/20261207/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00";
    let request = |body: &str| {
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let mut conn = connect(&server);
    for _ in 0..2 {
        assert_eq!(send_raw(&mut conn, &request(CALLER_IDENTITY)).status, 200);
        fake.take();
    }
    let throttled = send_raw(&mut conn, &request(CALLER_IDENTITY));
    assert_error(&throttled, 400, "Throttling", "Rate exceeded");
    assert!(throttled.body.contains("<Type>Sender</Type>"));
    assert!(fake.last.lock().unwrap().is_none(), "the operation ran");
    // Unsigned, or another action: not this bucket.
    assert_eq!(post(&server, CALLER_IDENTITY).status, 200);
    let other = "Action=GetSessionToken&Version=2011-06-15";
    assert_eq!(send_raw(&mut conn, &request(other)).status, 200);
    shutdown_within_5s(&rt, server);
}
