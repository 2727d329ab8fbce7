//! The python3-saml responses (../shared/vectors/saml): every valid one verifies against its
//! IdP certificate; every invalid one is rejected. The responses were made for python3-saml's
//! own service provider, so the expectations are that SP's audiences and endpoints, SHA-1 is
//! allowed explicitly (they date from 2014-2016) and the clock is the response's IssueInstant.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use keyturn_saml::{Expectations, SamlError, verify_response};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// (IdP entity id, certificate DER).
type Idp = (String, Vec<u8>);

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/saml/python3-saml")
}

/// True (after a notice) when ../shared is not beside the project: the tests then pass empty.
fn vectors_absent() -> bool {
    let absent = !vectors().is_dir();
    if absent {
        eprintln!("skipped: ../shared/vectors/saml/python3-saml not found");
    }
    absent
}

/// The IdP certificates and entity ids of every settings file.
fn idps() -> Result<Vec<Idp>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(vectors().join("settings"))? {
        let path = entry?.path();
        let Ok(settings) = serde_json::from_str::<Value>(&std::fs::read_to_string(&path)?) else {
            continue; // settings.json names another file
        };
        let idp = &settings["idp"];
        let entity = idp["entityId"].as_str().unwrap_or_default().to_owned();
        let mut certs: Vec<&str> = idp["x509cert"].as_str().into_iter().collect();
        if let Some(multi) = idp["x509certMulti"]["signing"].as_array() {
            certs.extend(multi.iter().filter_map(Value::as_str));
        }
        for cert in certs {
            let cleaned: String = cert
                .replace("-----BEGIN CERTIFICATE-----", "")
                .replace("-----END CERTIFICATE-----", "")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            if let Ok(der) = STANDARD.decode(cleaned) {
                out.push((entity.clone(), der));
            }
        }
    }
    Ok(out)
}

const SP_AUDIENCES: [&str; 4] = [
    "http://stuff.com/endpoints/metadata.php",
    "https://example.com/newonelogin/demo1/metadata.php",
    "http://pytoolkit.com:8000/metadata/",
    "https://pitbulk.no-ip.org/newonelogin/demo1/metadata.php",
];
const SP_ENDPOINTS: [&str; 4] = [
    "http://stuff.com/endpoints/endpoints/acs.php",
    "https://example.com/newonelogin/demo1/index.php?acs",
    "http://pytoolkit.com:8000/?acs",
    "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs",
];

/// The IdP entity ids of python3-saml's settings; the response's own issuer when it is one of
/// them (so each response meets its IdP), otherwise the first (so a foreign issuer fails).
fn expectations(xml: &str) -> Result<Expectations, Box<dyn std::error::Error>> {
    let idps = idps()?;
    // python3-saml's tests also use this IdP entity id (with the settings' certificates).
    let extra = "https://example.com/simplesaml/saml2/idp/metadata.php".to_owned();
    let issuer = idps
        .iter()
        .map(|(entity, _)| entity.clone())
        .chain([extra])
        .find(|entity| xml.contains(&format!(">{entity}</")))
        .unwrap_or_else(|| "http://idp.example.com/".to_owned());
    Ok(Expectations {
        certificates: idps.into_iter().map(|(_, der)| der).collect(),
        issuer: Some(issuer),
        recipients: SP_ENDPOINTS.iter().map(|s| (*s).to_owned()).collect(),
        audiences: SP_AUDIENCES.iter().map(|s| (*s).to_owned()).collect(),
        allow_sha1: true,
        skew_seconds: 60,
        // The fixtures' IdP keys are 1024-bit RSA.
        min_rsa_bits: 1024,
        encryption_required: false,
        decryption_keys: Vec::new(),
    })
}

fn load(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let path = vectors().join("data/responses").join(name);
    let text = std::fs::read_to_string(&path)?;
    if name.ends_with(".base64") {
        let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Ok(String::from_utf8(STANDARD.decode(cleaned)?)?)
    } else {
        Ok(text)
    }
}

/// The response's IssueInstant plus a minute.
fn clock(xml: &str) -> Result<OffsetDateTime, Box<dyn std::error::Error>> {
    let start = xml.find("IssueInstant=\"").ok_or("no IssueInstant")? + "IssueInstant=\"".len();
    let end = xml[start..].find('"').ok_or("unterminated IssueInstant")? + start;
    Ok(OffsetDateTime::parse(&xml[start..end], &Rfc3339)? + time::Duration::minutes(1))
}

fn check(
    name: &str,
) -> Result<Result<keyturn_saml::VerifiedAssertion, SamlError>, Box<dyn std::error::Error>> {
    let xml = load(name)?;
    let expect = expectations(&xml)?;
    Ok(verify_response(&xml, &expect, clock(&xml)?))
}

const VALID: [&str; 9] = [
    "valid_response.xml.base64",
    "valid_response2.xml.base64",
    "valid_response_with_namequalifier.xml.base64",
    "valid_response_without_inresponseto.xml.base64",
    "signed_message_response.xml.base64",
    "signed_assertion_response.xml.base64",
    "signed_assertion_response2.xml.base64",
    "double_signed_response.xml.base64",
    "double_signed_response2.xml.base64",
];

#[test]
fn every_valid_response_verifies() -> TestResult {
    if vectors_absent() {
        return Ok(());
    }
    for name in VALID {
        let assertion = check(name)?.map_err(|e| format!("{name}: {e:?}"))?;
        assert!(!assertion.name_id.is_empty(), "{name}");
        assert!(
            SP_ENDPOINTS.contains(&assertion.recipient.as_str()),
            "{name}"
        );
    }
    Ok(())
}

/// Every file of `invalids/` with the check that rejects it. Several are unsigned fixtures whose
/// named fault (audience, issuer, subject confirmation, times) sits behind a missing signature:
/// those checks are exercised on freshly signed responses in tests/signed.rs. The SP-initiated
/// faults (InResponseTo, SessionIndex) are not checked by an IdP-initiated consumer like AWS; the
/// fixtures that carry them are rejected anyway, for being unsigned.
const INVALID: [(&str, &str); 38] = [
    ("bad_reference", "BadSignature"),
    ("duplicated_attributes", "DuplicateAttribute"),
    ("empty_destination", "Recipient"),
    ("empty_nameid", "Malformed"),
    ("encrypted_attrs", "Unsupported"),
    ("encrypted_nameID_without_EncMethod", "Unsupported"),
    ("encrypted_nameID_without_keyinfo", "Unsupported"),
    ("invalid_audience", "Unsigned"),
    ("invalid_issuer_assertion", "Unsigned"),
    ("invalid_issuer_message", "Unsigned"),
    ("invalid_sessionindex", "Unsigned"),
    ("invalid_subjectconfirmation_inresponse", "Unsigned"),
    ("invalid_subjectconfirmation_nb", "Unsigned"),
    ("invalid_subjectconfirmation_noa", "Unsigned"),
    ("invalid_subjectconfirmation_recipient", "Unsigned"),
    ("multiple_assertions", "AssertionCount"),
    ("no_authnstatement", "Malformed"),
    ("no_conditions", "Malformed"),
    ("no_id", "Malformed"),
    ("no_issuer_assertion", "Malformed"),
    ("no_issuer_response", "Malformed"),
    ("no_key", "BadSignature"),
    ("no_nameid", "Unsigned"),
    ("no_saml2", "Malformed"),
    ("no_signature", "Unsigned"),
    ("no_status", "Malformed"),
    ("no_status_code", "Recipient"),
    ("no_subjectconfirmation_data", "Unsigned"),
    ("no_subjectconfirmation_method", "Unsigned"),
    ("not_after_failed", "Unsigned"),
    ("not_before_failed", "Malformed"),
    ("response_encrypted_attrs", "Unsupported"),
    ("signature_wrapping_attack", "DuplicateId"),
    ("signature_wrapping_attack2", "AssertionCount"),
    ("signed_assertion_response", "BadSignature"),
    ("status_code_responder", "AssertionCount"),
    ("status_code_responer_and_msg", "AssertionCount"),
    ("wrong_spnamequalifier", "Audience"),
];

#[test]
fn every_invalid_response_is_rejected_for_its_reason() -> TestResult {
    if vectors_absent() {
        return Ok(());
    }
    let on_disk = std::fs::read_dir(vectors().join("data/responses/invalids"))?.count();
    assert_eq!(on_disk, INVALID.len(), "a fixture without an expectation");
    for (name, reason) in INVALID {
        let outcome = check(&format!("invalids/{name}.xml.base64"))?;
        let error = outcome.err().ok_or(format!("{name} accepted"))?;
        let debug = format!("{error:?}");
        assert!(
            debug.starts_with(reason),
            "{name}: expected {reason}, got {debug}"
        );
    }
    Ok(())
}

/// The other responses of the collection that an AWS-style consumer must refuse, with why.
const REFUSED: [(&str, &str); 14] = [
    // Signed by certificates that no settings file trusts.
    ("adfs_response.xml.base64", "BadSignature"),
    ("response_without_reference_uri.xml.base64", "BadSignature"),
    (
        "response_without_assertion_reference_uri.xml.base64",
        "BadSignature",
    ),
    ("wrapped_response_2.xml.base64", "BadSignature"),
    // Templates with {recipient}/{audience} placeholders: signatures over other values.
    ("response_node_text_attack.xml.base64", "BadSignature"),
    (
        "response_with_nested_nameid_values.xml.base64",
        "BadSignature",
    ),
    // No signature at all.
    ("expired_response.xml.base64", "Unsigned"),
    ("no_audience.xml.base64", "Unsigned"),
    ("unsigned_response.xml.base64", "Unsigned"),
    ("valid_unsigned_response.xml.base64", "Unsigned"),
    // Encrypted assertions, and no private key to decrypt them with (see below for the key).
    ("valid_encrypted_assertion.xml.base64", "NoDecryptionKey"),
    (
        "signed_message_encrypted_assertion.xml.base64",
        "NoDecryptionKey",
    ),
    (
        "double_signed_encrypted_assertion.xml.base64",
        "NoDecryptionKey",
    ),
    // Encrypted identifiers are not supported.
    ("response_encrypted_nameid.xml.base64", "Unsupported"),
];

#[test]
fn other_unacceptable_responses_are_refused() -> TestResult {
    if vectors_absent() {
        return Ok(());
    }
    for (name, reason) in REFUSED {
        let error = check(name)?.err().ok_or(format!("{name} accepted"))?;
        let debug = format!("{error:?}");
        assert!(
            debug.starts_with(reason),
            "{name}: expected {reason}, got {debug}"
        );
    }
    Ok(())
}

#[test]
fn sha1_and_small_keys_need_explicit_permission() -> TestResult {
    if vectors_absent() {
        return Ok(());
    }
    let xml = load("valid_response.xml.base64")?;
    let now = clock(&xml)?;
    let mut expect = expectations(&xml)?;
    expect.allow_sha1 = false;
    let error = verify_response(&xml, &expect, now)
        .err()
        .ok_or("SHA-1 accepted")?;
    assert!(matches!(error, SamlError::Algorithm(_)), "{error:?}");
    let mut expect = expectations(&xml)?;
    expect.min_rsa_bits = 2048;
    assert_eq!(
        verify_response(&xml, &expect, now),
        Err(SamlError::BadSignature)
    );
    Ok(())
}

#[test]
fn the_clock_is_checked() -> TestResult {
    if vectors_absent() {
        return Ok(());
    }
    let xml = load("valid_response.xml.base64")?;
    let expect = expectations(&xml)?;
    let now = OffsetDateTime::parse("2054-08-23T06:58:02Z", &Rfc3339)?;
    assert_eq!(verify_response(&xml, &expect, now), Err(SamlError::Expired));
    let now = OffsetDateTime::parse("2014-02-19T01:30:00Z", &Rfc3339)?;
    assert_eq!(
        verify_response(&xml, &expect, now),
        Err(SamlError::NotYetValid)
    );
    Ok(())
}

/// python3-saml's service-provider private key (PKCS#1, from its settings), as PEM.
fn sp_key() -> Result<keyturn_plugin::SecretString, Box<dyn std::error::Error>> {
    let settings: Value = serde_json::from_str(&std::fs::read_to_string(
        vectors().join("settings/settings7.json"),
    )?)?;
    let body = settings["sp"]["privateKey"]
        .as_str()
        .ok_or("no sp.privateKey")?;
    Ok(format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n").into())
}

/// python3-saml's encrypted assertions (made by another XML Encryption implementation, with
/// the SP's public key): the RSA-OAEP ones decrypt with the SP's key and then verify like a
/// plain one, whoever signed (the assertion, the Response over the ciphertext, or both); the
/// RSA 1.5 ones are refused for their key transport; without the key, or with another key, none
/// is read.
#[test]
fn python3_saml_encrypted_assertions_decrypt_with_the_sp_key() -> TestResult {
    if vectors_absent() {
        return Ok(());
    }
    let oaep = [
        "signed_encrypted_assertion2.xml.base64",
        "signed_message_encrypted_assertion2.xml.base64",
        "double_signed_encrypted_assertion2.xml.base64",
    ];
    let pkcs1_v15 = [
        "valid_encrypted_assertion.xml.base64",
        "signed_encrypted_assertion.xml.base64",
        "signed_message_encrypted_assertion.xml.base64",
        "double_signed_encrypted_assertion.xml.base64",
    ];
    for name in oaep {
        let xml = load(name)?;
        let mut expect = expectations(&xml)?;
        expect.decryption_keys = vec![sp_key()?];
        let assertion =
            verify_response(&xml, &expect, clock(&xml)?).map_err(|e| format!("{name}: {e:?}"))?;
        assert!(!assertion.name_id.is_empty(), "{name}");
        assert_eq!(
            assertion.response_signed,
            !name.starts_with("signed_encrypted"),
            "{name}"
        );
        // Required takes it; a plain response is then refused.
        expect.encryption_required = true;
        assert!(
            verify_response(&xml, &expect, clock(&xml)?).is_ok(),
            "{name}"
        );
        // Another key does not decrypt it.
        expect.decryption_keys = vec![other_key()];
        assert_eq!(
            verify_response(&xml, &expect, clock(&xml)?),
            Err(SamlError::Undecryptable),
            "{name}"
        );
    }
    for name in pkcs1_v15 {
        let xml = load(name)?;
        let mut expect = expectations(&xml)?;
        expect.decryption_keys = vec![sp_key()?];
        assert_eq!(
            verify_response(&xml, &expect, clock(&xml)?),
            Err(SamlError::EncryptionAlgorithm(
                "http://www.w3.org/2001/04/xmlenc#rsa-1_5".to_owned()
            )),
            "{name}"
        );
    }
    let xml = load("valid_response.xml.base64")?;
    let mut expect = expectations(&xml)?;
    expect.encryption_required = true;
    assert_eq!(
        verify_response(&xml, &expect, clock(&xml)?),
        Err(SamlError::EncryptionRequired)
    );
    Ok(())
}

/// An RSA key (PKCS#8) that is not python3-saml's SP key: a test key made with
/// `openssl genpkey` for these tests (`second-rsa2048.pem` is another).
fn other_key() -> keyturn_plugin::SecretString {
    include_str!("data/other-rsa2048.pem").into()
}
