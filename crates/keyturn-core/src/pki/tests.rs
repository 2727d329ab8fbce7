//! Certificates and keys made by Python's `cryptography` and OpenSSH's `ssh-keygen`
//! (`tests/data/pki/`), read as IAM reads them.

use time::macros::datetime;

use super::ssh::SshRsaKey;
use super::*;

const NOW: OffsetDateTime = datetime!(2026-12-06 12:00 UTC);

#[test]
fn a_certificate_gives_its_expiry_and_matches_its_own_key_in_both_encodings() {
    let cert = parse_current_certificate(data!("server.crt"), NOW).expect("parses");
    assert_eq!(cert.not_after, datetime!(2126-01-01 00:00 UTC));
    assert_eq!(cert.rsa.as_ref().map(RsaKey::bits), Some(2048));
    assert_eq!(check_key_pair(&cert, data!("server.key")), Ok(()));
    assert_eq!(check_key_pair(&cert, data!("server.pk8.key")), Ok(()));
    assert_eq!(
        check_key_pair(&cert, data!("other.key")),
        Err(PkiError::Mismatch)
    );
    // An EC key is not an RSA key IAM's check reads.
    assert_eq!(
        check_key_pair(&cert, data!("ec.key")),
        Err(PkiError::PrivateKey)
    );
    assert_eq!(
        check_key_pair(&cert, "privatekey"),
        Err(PkiError::PrivateKey)
    );
}

#[test]
fn bad_expired_and_chained_certificates() {
    assert_eq!(
        parse_current_certificate("certbody", NOW).err(),
        Some(PkiError::Certificate)
    );
    assert_eq!(
        parse_current_certificate(data!("server.key"), NOW).err(),
        Some(PkiError::Certificate)
    );
    assert_eq!(
        parse_current_certificate(data!("expired.crt"), NOW).err(),
        Some(PkiError::Expired)
    );
    // Two certificates are a chain, not a certificate.
    let two = format!("{}{}", data!("server.crt"), data!("chain.crt"));
    assert_eq!(
        parse_current_certificate(&two, NOW).err(),
        Some(PkiError::Certificate)
    );
    assert_eq!(parse_chain(&two), Ok(2));
    assert_eq!(parse_chain(data!("chain.crt")), Ok(1));
    assert_eq!(parse_chain("certchain"), Err(PkiError::Chain));
    assert_eq!(
        parse_chain(&format!("{}junk", data!("chain.crt"))),
        Err(PkiError::Chain)
    );
    assert_eq!(parse_chain(""), Err(PkiError::Chain));
}

#[test]
fn ssh_keys_read_in_every_encoding_give_one_key_and_ssh_keygens_md5() {
    let openssh = SshRsaKey::parse(data!("ssh_rsa.pub")).expect("openssh");
    assert_eq!(openssh.bits(), 2048);
    assert_eq!(openssh.fingerprint(), data!("ssh_rsa.md5").trim());
    for other in [
        data!("ssh_rsa.ssh2"),
        data!("ssh_rsa.spki.pem"),
        data!("ssh_rsa.pkcs1.pem"),
    ] {
        assert_eq!(SshRsaKey::parse(other).as_ref(), Ok(&openssh));
    }
    // Answered back: OpenSSH without the comment; RFC 4716 as ssh-keygen writes it.
    let uploaded = data!("ssh_rsa.pub");
    let without_comment: Vec<&str> = uploaded.split_whitespace().take(2).collect();
    assert_eq!(openssh.openssh(), without_comment.join(" "));
    let keygen: Vec<&str> = data!("ssh_rsa.ssh2")
        .lines()
        .filter(|l| !l.starts_with("Comment:"))
        .collect();
    assert_eq!(openssh.ssh2(), keygen.join("\n"));
    assert_eq!(SshRsaKey::parse(&openssh.ssh2()).as_ref(), Ok(&openssh));
}

#[test]
fn ssh_keys_iam_refuses() {
    let err = |text: &str| SshRsaKey::parse(text).err();
    assert_eq!(err(data!("ssh_short.pub")), Some(PkiError::ShortKey(2048)));
    assert_eq!(
        err(data!("ssh_ed25519.pub")),
        Some(PkiError::UnrecognizedEncoding)
    );
    assert_eq!(
        err(data!("server.crt")),
        Some(PkiError::UnrecognizedEncoding)
    );
    assert_eq!(err("not a key"), Some(PkiError::UnrecognizedEncoding));
    assert_eq!(err(""), Some(PkiError::UnrecognizedEncoding));
    assert_eq!(err("ssh-rsa !!!"), Some(PkiError::InvalidPublicKey));
    // The wire form says another algorithm than the text.
    let ed = data!("ssh_ed25519.pub")
        .split_whitespace()
        .nth(1)
        .unwrap_or_default();
    assert_eq!(
        err(&format!("ssh-rsa {ed}")),
        Some(PkiError::InvalidPublicKey)
    );
    // Truncated wire form.
    let rsa = data!("ssh_rsa.pub")
        .split_whitespace()
        .nth(1)
        .unwrap_or_default();
    assert_eq!(
        err(&format!("ssh-rsa {}", rsa.get(..40).unwrap_or_default())),
        Some(PkiError::InvalidPublicKey)
    );
    assert_eq!(
        err("---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n"),
        Some(PkiError::InvalidPublicKey)
    );
}

mod never_panics {
    use base64::Engine as _;
    use proptest::prelude::*;

    use super::*;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    proptest! {
        #[test]
        fn on_any_text(text in "\\PC{0,300}") {
            let _ = SshRsaKey::parse(&text);
            let _ = parse_certificate(&text);
            let _ = parse_chain(&text);
            let _ = private_key_public_half(&text);
        }

        #[test]
        fn on_any_bytes_in_every_armour(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let body = b64(&bytes);
            let _ = SshRsaKey::parse(&format!("ssh-rsa {body} c"));
            let _ = SshRsaKey::parse(&format!("---- BEGIN SSH2 PUBLIC KEY ----\n{body}\n---- END SSH2 PUBLIC KEY ----"));
            for label in ["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY"] {
                let pem = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
                let _ = SshRsaKey::parse(&pem);
                let _ = parse_certificate(&pem);
                let _ = parse_chain(&pem);
                let _ = private_key_public_half(&pem);
            }
        }

        #[test]
        fn on_a_real_key_or_certificate_cut_anywhere(cut in 0usize..2000) {
            for text in [data!("ssh_rsa.pub"), data!("ssh_rsa.ssh2"), data!("server.crt"), data!("server.key")] {
                let part = text.get(..cut.min(text.len())).unwrap_or_default();
                let _ = SshRsaKey::parse(part);
                let _ = parse_certificate(part);
                let _ = private_key_public_half(part);
            }
        }
    }
}
