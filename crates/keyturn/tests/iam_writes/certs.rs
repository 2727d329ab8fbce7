//! IAM's server certificates, signing certificates, SSH public keys and credential report
//! through the public API (issue 12): each operation invoked as the registry would
//! (authorization included) on a runtime built from YAML, with certificates and keys made by
//! Python's `cryptography` and `ssh-keygen` (`keyturn-core/tests/data/pki/`).

use std::sync::Arc;

use crate::support::*;
use keyturn::FixedClock;
use keyturn_core::ops::iam::shapes::*;
use keyturn_core::ops::iam::{self as op};
use time::macros::datetime;

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../keyturn-core/tests/data/pki/",
            $name
        ))
    };
}

const DAVE: u8 = 6;

fn world() -> (World, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(datetime!(2026-12-06 12:00 UTC)));
    let w = World::from_yaml_on(&yaml(), "iam_writes_certs.yaml", Some(clock.clone()));
    (w, clock)
}

fn upload_server(name: &str, path: Option<&str>) -> UploadServerCertificateRequest {
    UploadServerCertificateRequest {
        path: path.map(str::to_owned),
        server_certificate_name: name.to_owned(),
        certificate_body: data!("server.crt").to_owned(),
        private_key: keyturn::api::SecretString::new(data!("server.key")),
        certificate_chain: None,
        tags: None,
    }
}

fn allow_dave(w: &World, action: &str, resource: &str) {
    w.ok::<op::PutUserPolicy>(PutUserPolicyRequest {
        user_name: "dave".to_owned(),
        policy_name: "certs".to_owned(),
        policy_document: format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}]}}"#
        ),
    });
}

#[test]
fn a_server_certificate_is_stored_with_its_expiry_and_answered_without_its_key() {
    let (w, _) = world();
    let made = w.ok::<op::UploadServerCertificate>(UploadServerCertificateRequest {
        certificate_chain: Some(data!("chain.crt").to_owned()),
        tags: Some(vec![Tag {
            key: "env".into(),
            value: "prod".into(),
        }]),
        ..upload_server("web", Some("/cloudfront/"))
    });
    let meta = made.server_certificate_metadata.unwrap();
    assert_eq!(
        meta.arn,
        format!("arn:aws:iam::{ACCT}:server-certificate/cloudfront/web")
    );
    assert_eq!(meta.path, "/cloudfront/");
    assert!(meta.server_certificate_id.starts_with("ASCA"));
    assert_eq!(meta.server_certificate_id.len(), 21);
    assert_eq!(meta.expiration, Some(datetime!(2126-01-01 00:00 UTC)));
    assert_eq!(meta.upload_date, Some(datetime!(2026-12-06 12:00 UTC)));
    assert_eq!(made.tags.unwrap()[0].key, "env");

    let got = w
        .ok::<op::GetServerCertificate>(GetServerCertificateRequest {
            server_certificate_name: "web".into(),
        })
        .server_certificate;
    assert_eq!(got.server_certificate_metadata, meta);
    assert_eq!(got.certificate_body, data!("server.crt"));
    assert_eq!(got.certificate_chain.as_deref(), Some(data!("chain.crt")));
    // The private key is kept as a secret: never printed, never answered.
    let stored = w.engine.snapshot().unwrap();
    let account = stored.data.account(ACCT).unwrap();
    let debug = format!("{:?}", account.server_certificates);
    assert!(!debug.contains("PRIVATE KEY"), "{debug}");
    assert!(!format!("{got:?}").contains("PRIVATE KEY"));

    // A PKCS#8 key of the same pair is as good; listing filters by path prefix, by name.
    w.ok::<op::UploadServerCertificate>(UploadServerCertificateRequest {
        private_key: keyturn::api::SecretString::new(data!("server.pk8.key")),
        ..upload_server("api", None)
    });
    let list = |prefix: Option<&str>| {
        w.ok::<op::ListServerCertificates>(ListServerCertificatesRequest {
            path_prefix: prefix.map(str::to_owned),
            ..Default::default()
        })
        .server_certificate_metadata_list
        .into_iter()
        .map(|m| m.server_certificate_name)
        .collect::<Vec<_>>()
    };
    assert_eq!(list(None), ["api", "web"]);
    assert_eq!(list(Some("/cloudfront/")), ["web"]);
    assert!(list(Some("/other/")).is_empty());
}

#[test]
fn bad_certificates_keys_and_chains_get_iams_errors() {
    let (w, _) = world();
    let malformed = pair(
        "MalformedCertificate",
        "Unable to parse certificate. Please ensure the certificate is in PEM format.",
    );
    // UploadServerCertificate by its AWS name, with `key` and `chain`.
    let upload = |body: &str, key: &str, chain: Option<&str>| {
        let mut params = vec![
            ("ServerCertificateName", "x"),
            ("CertificateBody", body),
            ("PrivateKey", key),
        ];
        params.extend(chain.map(|c| ("CertificateChain", c)));
        w.refused("UploadServerCertificate", &params)
    };
    let (crt, key) = (data!("server.crt"), data!("server.key"));
    assert_eq!(upload("certbody", key, None), malformed);
    let expired = "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.";
    let e = upload(data!("expired.crt"), key, None);
    assert_eq!(e, pair("MalformedCertificate", expired));
    let mismatch = "Public key certificate and private key doesn't match.";
    let e = upload(crt, data!("other.key"), None);
    assert_eq!(e, pair("KeyPairMismatch", mismatch));
    let e = upload(crt, "privatekey", None);
    assert_eq!(e.0, "MalformedCertificate");
    assert!(
        !e.1.contains("privatekey"),
        "the key is not echoed: {}",
        e.1
    );
    let e = upload(crt, key, Some("certchain"));
    assert_eq!(e.0, "MalformedCertificate");
    assert!(e.1.contains("chain"), "{}", e.1);
    // Nothing of the refused uploads was stored.
    let none = w.ok::<op::ListServerCertificates>(Default::default());
    assert!(none.server_certificate_metadata_list.is_empty());
}

#[test]
fn names_are_unique_ignoring_case_and_an_account_holds_twenty() {
    let (w, _) = world();
    w.ok::<op::UploadServerCertificate>(upload_server("Cert0", None));
    let e = w.err::<op::UploadServerCertificate>(upload_server("cert0", Some("/p/")));
    assert_eq!(
        e,
        pair(
            "EntityAlreadyExists",
            "The Server Certificate with name cert0 already exists."
        )
    );
    for i in 1..20 {
        w.ok::<op::UploadServerCertificate>(upload_server(&format!("Cert{i}"), None));
    }
    let e = w.err::<op::UploadServerCertificate>(upload_server("Cert20", None));
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "Cannot exceed quota for ServerCertificatesPerAccount: 20"
        )
    );
}

#[test]
fn renaming_moving_tagging_and_deleting_a_server_certificate() {
    let (w, _) = world();
    let id = w
        .ok::<op::UploadServerCertificate>(upload_server("old", None))
        .server_certificate_metadata
        .unwrap()
        .server_certificate_id;
    w.ok::<op::UploadServerCertificate>(upload_server("taken", None));
    let e = w.err::<op::UpdateServerCertificate>(UpdateServerCertificateRequest {
        server_certificate_name: "old".into(),
        new_server_certificate_name: Some("TAKEN".into()),
        new_path: None,
    });
    assert_eq!(e.0, "EntityAlreadyExists");
    w.ok::<op::UpdateServerCertificate>(UpdateServerCertificateRequest {
        server_certificate_name: "old".into(),
        new_server_certificate_name: Some("new".into()),
        new_path: Some("/moved/".into()),
    });
    let got = |name: &str| {
        w.call::<op::GetServerCertificate>(
            &w.root(),
            GetServerCertificateRequest {
                server_certificate_name: name.into(),
            },
        )
    };
    let e = got("old").err().unwrap();
    assert_eq!(
        e.message(),
        "The Server Certificate with name old cannot be found."
    );
    let meta = got("new")
        .unwrap()
        .server_certificate
        .server_certificate_metadata;
    assert_eq!(meta.server_certificate_id, id, "the id survives a rename");
    assert_eq!(
        meta.arn,
        format!("arn:aws:iam::{ACCT}:server-certificate/moved/new")
    );

    let new = Tagging {
        query: |action: &str, params: &[(&str, &str)]| w.query(action, params),
        kind: "ServerCertificate",
        entity: ("ServerCertificateName", "new"),
    };
    new.tag(&[("a", "1"), ("b", "2")]).unwrap();
    new.untag(&["A"]).unwrap();
    assert_eq!(new.list(), [pair("b", "2")]);

    w.ok::<op::DeleteServerCertificate>(DeleteServerCertificateRequest {
        server_certificate_name: "new".into(),
    });
    assert!(got("new").is_err());
    let e = w.err::<op::DeleteServerCertificate>(DeleteServerCertificateRequest {
        server_certificate_name: "new".into(),
    });
    assert_eq!(
        e,
        no_such("The Server Certificate with name new cannot be found.")
    );
}

#[test]
fn server_certificates_are_authorized_on_their_arn_with_its_path() {
    let (w, _) = world();
    allow_dave(
        &w,
        "iam:UploadServerCertificate",
        &format!("arn:aws:iam::{ACCT}:server-certificate/web/*"),
    );
    let dave = w.caller(DAVE);
    let ok = w.call::<op::UploadServerCertificate>(&dave, upload_server("a", Some("/web/")));
    assert!(ok.is_ok(), "{ok:?}");
    let e = w
        .call::<op::UploadServerCertificate>(&dave, upload_server("b", None))
        .err()
        .unwrap();
    assert_eq!(e.code(), "AccessDenied");
    assert_eq!(
        e.message(),
        format!(
            "User: {} is not authorized to perform: iam:UploadServerCertificate on resource: arn:aws:iam::{ACCT}:server-certificate/b",
            dave.arn
        )
    );
    // Reading it is another action, denied until granted (on the ARN with the path, which the
    // next request's snapshot has).
    let dave = w.caller(DAVE);
    let e = w
        .call::<op::GetServerCertificate>(
            &dave,
            GetServerCertificateRequest {
                server_certificate_name: "a".into(),
            },
        )
        .err()
        .unwrap();
    assert!(
        e.message().ends_with("server-certificate/web/a"),
        "{}",
        e.message()
    );
}

fn upload_signing(w: &World, user: Option<&str>, body: &str) -> SigningCertificate {
    w.ok::<op::UploadSigningCertificate>(UploadSigningCertificateRequest {
        user_name: user.map(str::to_owned),
        certificate_body: body.to_owned(),
    })
    .certificate
}

#[test]
fn signing_certificates_two_per_user_active_then_inactive_and_unique_in_the_account() {
    let (w, _) = world();
    let c1 = upload_signing(&w, Some("dave"), data!("signing1.crt"));
    assert_eq!(c1.user_name, "dave");
    assert_eq!(c1.status, "Active");
    assert_eq!(c1.certificate_body, data!("signing1.crt"));
    assert_eq!(c1.certificate_id.len(), 32);
    assert!(
        c1.certificate_id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    );
    let e = w.err::<op::UploadSigningCertificate>(UploadSigningCertificateRequest {
        user_name: Some("bob".into()),
        certificate_body: data!("signing1.crt").into(),
    });
    assert_eq!(e.0, "DuplicateCertificate");
    upload_signing(&w, Some("dave"), data!("signing2.crt"));
    let e = w.err::<op::UploadSigningCertificate>(UploadSigningCertificateRequest {
        user_name: Some("dave".into()),
        certificate_body: data!("signing3.crt").into(),
    });
    assert_eq!(
        e,
        pair(
            "LimitExceeded",
            "Cannot exceed quota for CertificatesPerUser: 2"
        )
    );

    w.ok::<op::UpdateSigningCertificate>(UpdateSigningCertificateRequest {
        user_name: Some("dave".into()),
        certificate_id: c1.certificate_id.clone(),
        status: "Inactive".into(),
    });
    let listed = w.ok::<op::ListSigningCertificates>(ListSigningCertificatesRequest {
        user_name: Some("dave".into()),
        ..Default::default()
    });
    assert_eq!(
        listed
            .certificates
            .iter()
            .map(|c| c.status.as_str())
            .collect::<Vec<_>>(),
        ["Inactive", "Active"]
    );
    let fake = "X".repeat(32);
    let e = w.err::<op::UpdateSigningCertificate>(UpdateSigningCertificateRequest {
        user_name: Some("dave".into()),
        certificate_id: fake.clone(),
        status: "Inactive".into(),
    });
    assert_eq!(
        e,
        no_such(&format!("The Certificate with id {fake} cannot be found."))
    );
    let e = w.err::<op::ListSigningCertificates>(ListSigningCertificatesRequest {
        user_name: Some("notauser".into()),
        ..Default::default()
    });
    assert_eq!(e, no_such("The user with name notauser cannot be found."));
    let e = w.err::<op::UploadSigningCertificate>(UploadSigningCertificateRequest {
        user_name: Some("dave".into()),
        certificate_body: "notacert".into(),
    });
    assert_eq!(e.0, "MalformedCertificate");
}

#[test]
fn without_a_user_name_signing_certificates_are_the_callers_own() {
    let (w, _) = world();
    // Root's own (IAM leaves the user name empty).
    let summary = |w: &World| -> std::collections::BTreeMap<String, i32> {
        w.ok::<op::GetAccountSummary>(GetAccountSummaryRequest {})
            .summary_map
            .unwrap()
            .into_iter()
            .collect()
    };
    assert_eq!(summary(&w)["AccountSigningCertificatesPresent"], 0);
    let c = upload_signing(&w, None, data!("signing1.crt"));
    assert_eq!(c.user_name, "");
    let root = w.ok::<op::ListSigningCertificates>(Default::default());
    assert_eq!(root.certificates.len(), 1);
    assert_eq!(summary(&w)["AccountSigningCertificatesPresent"], 1);
    w.ok::<op::UploadServerCertificate>(upload_server("counted", None));
    assert_eq!(summary(&w)["ServerCertificates"], 1);
    // A user's own, authorized on the user's ARN.
    allow_dave(
        &w,
        "iam:*SigningCertificate*",
        &format!("arn:aws:iam::{ACCT}:user/dave"),
    );
    let dave = w.caller(DAVE);
    let mine = w
        .call::<op::UploadSigningCertificate>(
            &dave,
            UploadSigningCertificateRequest {
                user_name: None,
                certificate_body: data!("signing2.crt").into(),
            },
        )
        .unwrap();
    assert_eq!(mine.certificate.user_name, "dave");
    let e = w
        .call::<op::ListSigningCertificates>(
            &dave,
            ListSigningCertificatesRequest {
                user_name: Some("bob".into()),
                ..Default::default()
            },
        )
        .err()
        .unwrap();
    assert_eq!(e.code(), "AccessDenied");
    w.call::<op::DeleteSigningCertificate>(
        &dave,
        DeleteSigningCertificateRequest {
            user_name: None,
            certificate_id: mine.certificate.certificate_id,
        },
    )
    .unwrap();
    let left = w.ok::<op::ListSigningCertificates>(ListSigningCertificatesRequest {
        user_name: Some("dave".into()),
        ..Default::default()
    });
    assert!(left.certificates.is_empty());
}

/// An `ssh-rsa` key of 2,048 bits whose modulus is made from `n` (the parser checks form and
/// size, as IAM does; the key need not be usable).
fn made_up_key(n: u8) -> String {
    use base64::Engine as _;
    let field = |out: &mut Vec<u8>, v: &[u8]| {
        out.extend_from_slice(&u32::try_from(v.len()).unwrap().to_be_bytes());
        out.extend_from_slice(v);
    };
    let mut modulus = vec![0u8, 0xc5];
    modulus.extend(std::iter::repeat_n(n, 255));
    let mut blob = Vec::new();
    field(&mut blob, b"ssh-rsa");
    field(&mut blob, &[1, 0, 1]);
    field(&mut blob, &modulus);
    format!(
        "ssh-rsa {}",
        base64::engine::general_purpose::STANDARD.encode(blob)
    )
}

fn upload_ssh(w: &World, body: &str) -> Result<UploadSSHPublicKeyResponse, keyturn::Error> {
    w.call::<op::UploadSshPublicKey>(
        &w.root(),
        UploadSSHPublicKeyRequest {
            user_name: "dave".into(),
            ssh_public_key_body: body.into(),
        },
    )
}

#[test]
fn ssh_keys_carry_ssh_keygens_fingerprint_and_answer_in_both_encodings() {
    let (w, _) = world();
    let made = upload_ssh(&w, data!("ssh_rsa.pub"))
        .unwrap()
        .ssh_public_key
        .unwrap();
    assert_eq!(made.fingerprint, data!("ssh_rsa.md5").trim());
    assert_eq!(made.ssh_public_key_body, data!("ssh_rsa.pub"));
    assert_eq!(made.status, "Active");
    assert!(made.ssh_public_key_id.starts_with("APKA"));
    assert_eq!(made.ssh_public_key_id.len(), 20);
    let get = |encoding: &str| {
        w.ok::<op::GetSshPublicKey>(GetSSHPublicKeyRequest {
            user_name: "dave".into(),
            ssh_public_key_id: made.ssh_public_key_id.clone(),
            encoding: encoding.into(),
        })
        .ssh_public_key
        .unwrap()
    };
    assert_eq!(get("SSH").ssh_public_key_body, data!("ssh_rsa.pub"));
    let pem = get("PEM").ssh_public_key_body;
    assert!(
        pem.starts_with("---- BEGIN SSH2 PUBLIC KEY ----\n"),
        "{pem}"
    );
    // The same key in its PEM encoding is a duplicate.
    let e = upload_ssh(&w, data!("ssh_rsa.ssh2")).err().unwrap();
    assert_eq!(e.code(), "DuplicateSSHPublicKey");
    assert_eq!(
        upload_ssh(&w, &pem).err().unwrap().code(),
        "DuplicateSSHPublicKey"
    );

    w.ok::<op::UpdateSshPublicKey>(UpdateSSHPublicKeyRequest {
        user_name: "dave".into(),
        ssh_public_key_id: made.ssh_public_key_id.clone(),
        status: "Inactive".into(),
    });
    assert_eq!(get("SSH").status, "Inactive");
    let e = w.err::<op::GetSshPublicKey>(GetSSHPublicKeyRequest {
        user_name: "dave".into(),
        ssh_public_key_id: "APKAAAAAAAAAAAAAAAAA".into(),
        encoding: "SSH".into(),
    });
    assert_eq!(
        e,
        no_such("The Public Key with id APKAAAAAAAAAAAAAAAAA cannot be found.")
    );
}

#[test]
fn ssh_keys_iam_refuses_and_five_per_user() {
    let (w, _) = world();
    let code = |body: &str| upload_ssh(&w, body).err().unwrap().code().to_owned();
    assert_eq!(code(data!("ssh_short.pub")), "InvalidPublicKey");
    assert_eq!(code("ssh-rsa AAAA"), "InvalidPublicKey");
    assert_eq!(
        code(data!("ssh_ed25519.pub")),
        "UnrecognizedPublicKeyEncoding"
    );
    assert_eq!(code(data!("server.crt")), "UnrecognizedPublicKeyEncoding");
    let ids: Vec<String> = (1..=5)
        .map(|n| {
            upload_ssh(&w, &made_up_key(n))
                .unwrap()
                .ssh_public_key
                .unwrap()
                .ssh_public_key_id
        })
        .collect();
    let e = upload_ssh(&w, &made_up_key(6)).err().unwrap();
    assert_eq!(
        (e.code(), e.message()),
        (
            "LimitExceeded",
            "Cannot exceed quota for SSHPublicKeysPerUser: 5"
        )
    );
    let listed = w
        .query("ListSSHPublicKeys", &[("UserName", "dave")])
        .unwrap();
    assert_eq!(xml_texts(&listed, "SSHPublicKeyId"), ids);
    w.ok::<op::DeleteSshPublicKey>(DeleteSSHPublicKeyRequest {
        user_name: "dave".into(),
        ssh_public_key_id: ids[0].clone(),
    });
    assert!(upload_ssh(&w, &made_up_key(6)).is_ok());
}

#[test]
fn a_user_with_signing_certificates_or_ssh_keys_cannot_be_deleted() {
    let (w, _) = world();
    w.ok::<op::CreateUser>(CreateUserRequest {
        user_name: "temp".into(),
        ..Default::default()
    });
    let delete = || {
        w.call::<op::DeleteUser>(
            &w.root(),
            DeleteUserRequest {
                user_name: "temp".into(),
            },
        )
    };
    let cert = upload_signing(&w, Some("temp"), data!("signing1.crt"));
    let e = delete().err().unwrap();
    assert_eq!(
        (e.code(), e.message()),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete signing certificates first."
        )
    );
    w.ok::<op::DeleteSigningCertificate>(DeleteSigningCertificateRequest {
        user_name: Some("temp".into()),
        certificate_id: cert.certificate_id,
    });
    let key = w
        .ok::<op::UploadSshPublicKey>(UploadSSHPublicKeyRequest {
            user_name: "temp".into(),
            ssh_public_key_body: data!("ssh_rsa.pub").into(),
        })
        .ssh_public_key
        .unwrap();
    let e = delete().err().unwrap();
    assert_eq!(
        e.message(),
        "Cannot delete entity, must delete SSH public keys first."
    );
    w.ok::<op::DeleteSshPublicKey>(DeleteSSHPublicKeyRequest {
        user_name: "temp".into(),
        ssh_public_key_id: key.ssh_public_key_id,
    });
    assert!(delete().is_ok());
}

const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

fn report(w: &World) -> Result<GetCredentialReportResponse, keyturn::Error> {
    w.call::<op::GetCredentialReport>(&w.root(), Default::default())
}

fn generate(w: &World) -> String {
    w.ok::<op::GenerateCredentialReport>(Default::default())
        .state
        .unwrap()
}

#[test]
fn the_credential_report_is_made_once_per_four_hours_in_iams_columns() {
    let (w, clock) = world();
    let e = report(&w).err().unwrap();
    assert_eq!(e.code(), "ReportNotPresent");
    upload_signing(&w, Some("dave"), data!("signing1.crt"));
    assert_eq!(generate(&w), "STARTED");
    assert_eq!(generate(&w), "COMPLETE");
    let got = report(&w).unwrap();
    assert_eq!(got.report_format.as_deref(), Some("text/csv"));
    assert_eq!(got.generated_time, Some(datetime!(2026-12-06 12:00 UTC)));
    let csv = String::from_utf8(got.content.unwrap()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], HEADER);
    let columns = HEADER.split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == columns));
    let row = |user: &str| -> Vec<String> {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{user},")))
            .unwrap_or_else(|| panic!("no row for {user}: {csv}"))
            .split(',')
            .map(str::to_owned)
            .collect()
    };
    let root = row("<root_account>");
    assert_eq!(root[1], format!("arn:aws:iam::{ACCT}:root"));
    assert_eq!(root[3], "not_supported");
    assert_eq!(root[8], "true", "root's key is active");
    let admin = row("admin");
    assert_eq!(&admin[3..7], ["false", "N/A", "N/A", "N/A"], "login-less");
    assert_eq!(admin[7], "true", "admin has an MFA device");
    assert_eq!((admin[8].as_str(), admin[13].as_str()), ("true", "false"));
    assert_eq!(admin[10], "N/A", "never used since start");
    let dave = row("dave");
    assert_eq!(dave[1], format!("arn:aws:iam::{ACCT}:user/dave"));
    assert_eq!(
        &dave[18..],
        ["true", "2026-12-06T12:00:00+00:00", "false", "N/A"]
    );

    // Within four hours the report stays as it was; after, it has expired and is made anew.
    clock.advance(time::Duration::hours(3));
    upload_signing(&w, Some("dave"), data!("signing2.crt"));
    assert_eq!(generate(&w), "COMPLETE");
    let cached = String::from_utf8(report(&w).unwrap().content.unwrap()).unwrap();
    assert_eq!(
        cached, csv,
        "the report of four hours ago, without the new certificate"
    );
    clock.advance(time::Duration::hours(1));
    let e = report(&w).err().unwrap();
    assert_eq!(e.code(), "ReportExpired");
    assert_eq!(generate(&w), "STARTED");
    let csv = String::from_utf8(report(&w).unwrap().content.unwrap()).unwrap();
    let dave = csv.lines().find(|l| l.starts_with("dave,")).unwrap();
    assert!(
        dave.ends_with(",true,2026-12-06T12:00:00+00:00,true,2026-12-06T15:00:00+00:00"),
        "{dave}"
    );
}
