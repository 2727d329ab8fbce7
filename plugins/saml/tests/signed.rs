//! Fresh AWS-shaped SAML responses signed by Debian's `xmlsec1` (an independent XML-DSig
//! implementation) with keys made by `openssl`, verified directly, through `verify` with a
//! provider's metadata, and through the C ABI; and the attacks built from them.
//!
//! Needs the `xmlsec1` and `openssl` commands (Debian packages `xmlsec1` and `openssl`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use keyturn_plugin::{PluginError, PluginLibrary, ProviderInfo, VerifyRequest};
use keyturn_saml::{Defaults, SamlError, verify, verify_response};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

type TestResult = Result<(), Box<dyn std::error::Error>>;
type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;
/// A private key file and its certificate file.
type KeyPair = (PathBuf, PathBuf);

const ISSUER: &str = "https://idp.example.org/saml";
const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/Corp";
const ROLE: &str = "arn:aws:iam::123456789012:role/SamlRole";
const NOW: &str = "2026-11-28T12:01:00Z";

fn work() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("saml-signed")
}

fn run(command: &mut Command) -> AnyResult<()> {
    let output = command.output()?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}

/// A key pair and self-signed certificate named `name` (made once per test run).
fn key(name: &str) -> AnyResult<KeyPair> {
    let dir = work();
    std::fs::create_dir_all(&dir)?;
    let (key, cert) = (
        dir.join(format!("{name}.key.pem")),
        dir.join(format!("{name}.cert.pem")),
    );
    if !cert.exists() {
        run(Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "36500", "-subj",
            ])
            .arg(format!("/CN={name}"))
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert))?;
    }
    Ok((key, cert))
}

fn keys() -> AnyResult<&'static (KeyPair, KeyPair)> {
    static KEYS: OnceLock<Result<(KeyPair, KeyPair), String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        Ok((
            key("idp").map_err(|e| e.to_string())?,
            key("attacker").map_err(|e| e.to_string())?,
        ))
    })
    .as_ref()
    .map_err(|e| e.clone().into())
}

fn cert_base64(cert: &Path) -> AnyResult<String> {
    let pem = std::fs::read_to_string(cert)?;
    Ok(pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect::<String>())
}

fn metadata(cert: &Path) -> AnyResult<String> {
    Ok(format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{ISSUER}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#,
        cert_base64(cert)?
    ))
}

/// What to vary in the template.
#[derive(Clone)]
struct Shape {
    sign_response: bool,
    sha1: bool,
    recipient: &'static str,
    name_id: &'static str,
    with_role: bool,
}

impl Default for Shape {
    fn default() -> Self {
        Self {
            sign_response: false,
            sha1: false,
            recipient: "https://signin.aws.amazon.com/saml",
            name_id: "alice.evil@example.org",
            with_role: true,
        }
    }
}

fn signature_template(reference: &str, sha1: bool) -> String {
    let (method, digest) = if sha1 {
        (
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#sha1",
        )
    } else {
        (
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmlenc#sha256",
        )
    };
    format!(
        r##"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{method}"/><ds:Reference URI="#{reference}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature>"##
    )
}

fn template(shape: &Shape) -> String {
    let attribute = |name: &str, values: &[&str]| {
        let values: String = values
            .iter()
            .map(|v| format!("<saml:AttributeValue>{v}</saml:AttributeValue>"))
            .collect();
        format!(r#"<saml:Attribute Name="{name}">{values}</saml:Attribute>"#)
    };
    let aws = "https://aws.amazon.com/SAML/Attributes/";
    let role = if shape.with_role {
        attribute(
            &format!("{aws}Role"),
            &[
                &format!("{ROLE},{PROVIDER}"),
                // Either order is accepted.
                &format!("{PROVIDER},arn:aws:iam::123456789012:role/Other"),
            ],
        )
    } else {
        String::new()
    };
    let attributes = [
        role,
        attribute(&format!("{aws}RoleSessionName"), &["alice@example.org"]),
        attribute(&format!("{aws}SessionDuration"), &["7200"]),
        attribute(&format!("{aws}SourceIdentity"), &["alice"]),
        attribute(&format!("{aws}PrincipalTag:team"), &["blue"]),
        attribute(&format!("{aws}PrincipalTag:cost"), &["42"]),
        attribute(&format!("{aws}TransitiveTagKeys"), &["team"]),
        attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", &["member", "staff"]),
    ]
    .concat();
    let (response_signature, assertion_signature) = if shape.sign_response {
        (signature_template("_response1", shape.sha1), String::new())
    } else {
        (String::new(), signature_template("_assertion1", shape.sha1))
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_response1" Version="2.0" IssueInstant="2026-11-28T12:00:00Z" Destination="https://signin.aws.amazon.com/saml"><saml:Issuer>{ISSUER}</saml:Issuer>{response_signature}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_assertion1" Version="2.0" IssueInstant="2026-11-28T12:00:00Z"><saml:Issuer>{ISSUER}</saml:Issuer>{assertion_signature}<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{name_id}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="2026-11-28T12:05:00Z" Recipient="{recipient}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2026-11-28T11:59:00Z" NotOnOrAfter="2026-11-28T12:05:00Z"><saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="2026-11-28T12:00:00Z" SessionNotOnOrAfter="2026-11-28T20:00:00Z" SessionIndex="_session1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion></samlp:Response>
"#,
        name_id = shape.name_id,
        recipient = shape.recipient,
    )
}

/// The template signed by xmlsec1 with the key `(key, cert)`.
fn sign(shape: &Shape, (key, cert): &KeyPair) -> AnyResult<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = work();
    let input = dir.join(format!("in-{}-{n}.xml", std::process::id()));
    let output = dir.join(format!("out-{}-{n}.xml", std::process::id()));
    std::fs::write(&input, template(shape))?;
    let mut command = Command::new("xmlsec1");
    command
        .arg("--sign")
        .arg("--privkey-pem")
        .arg(format!("{},{}", key.display(), cert.display()))
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
        ])
        .arg("--output")
        .arg(&output)
        .arg(&input);
    run(&mut command)?;
    Ok(std::fs::read_to_string(&output)?)
}

fn idp() -> AnyResult<&'static KeyPair> {
    Ok(&keys()?.0)
}

fn now() -> AnyResult<OffsetDateTime> {
    Ok(OffsetDateTime::parse(NOW, &Rfc3339)?)
}

fn request(xml: &str, settings: serde_json::Value) -> AnyResult<VerifyRequest> {
    Ok(VerifyRequest {
        provider_arn: PROVIDER.to_owned(),
        token: STANDARD.encode(xml),
        role_arn: ROLE.to_owned(),
        now: now()?.unix_timestamp(),
        kind: Some("saml".to_owned()),
        principal_arn: Some(PROVIDER.to_owned()),
        providers: vec![ProviderInfo {
            arn: PROVIDER.to_owned(),
            account_id: "123456789012".to_owned(),
            settings,
        }],
    })
}

fn settings() -> AnyResult<serde_json::Value> {
    Ok(json!({"name": "Corp", "metadata": metadata(&idp()?.1)?}))
}

fn check(xml: &str) -> AnyResult<Result<keyturn_plugin::VerifyResult, SamlError>> {
    Ok(verify(&request(xml, settings()?)?, &Defaults::default()))
}

#[test]
fn an_assertion_signed_by_xmlsec1_verifies_with_everything_aws_reads() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let result = check(&xml)?.map_err(|e| format!("{e:?}"))?;
    assert_eq!(result.subject, "alice.evil@example.org");
    assert_eq!(result.subject_type.as_deref(), Some("persistent"));
    assert_eq!(result.issuer.as_deref(), Some(ISSUER));
    assert_eq!(
        result.audience.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert_eq!(result.provider_arn.as_deref(), Some(PROVIDER));
    let roles: Vec<(&str, &str)> = result
        .roles
        .iter()
        .map(|r| (r.role_arn.as_str(), r.provider_arn.as_str()))
        .collect();
    assert_eq!(
        roles,
        vec![
            (ROLE, PROVIDER),
            ("arn:aws:iam::123456789012:role/Other", PROVIDER)
        ]
    );
    assert_eq!(
        result.role_session_name.as_deref(),
        Some("alice@example.org")
    );
    assert_eq!(result.session_duration, Some(7200));
    assert_eq!(result.source_identity.as_deref(), Some("alice"));
    let mut tags: Vec<(String, String)> = result
        .session_tags
        .iter()
        .map(|t| (t.key.clone(), t.value.clone()))
        .collect();
    tags.sort();
    assert_eq!(
        tags,
        vec![
            ("cost".to_owned(), "42".to_owned()),
            ("team".to_owned(), "blue".to_owned())
        ]
    );
    assert_eq!(result.transitive_tag_keys, vec!["team".to_owned()]);
    assert_eq!(
        result.expires_at,
        Some(OffsetDateTime::parse("2026-11-28T20:00:00Z", &Rfc3339)?.unix_timestamp())
    );
    let key = |k: &str| result.condition_keys.get(k).cloned().unwrap_or_default();
    assert_eq!(key("saml:aud"), vec!["https://signin.aws.amazon.com/saml"]);
    assert_eq!(key("saml:iss"), vec![ISSUER]);
    assert_eq!(key("saml:sub"), vec!["alice.evil@example.org"]);
    assert_eq!(key("saml:sub_type"), vec!["persistent"]);
    assert_eq!(key("saml:doc"), vec!["123456789012/Corp"]);
    assert_eq!(key("saml:eduPersonAffiliation"), vec!["member", "staff"]);
    // Base64(SHA-1("https://idp.example.org/saml" + "123456789012" + "/Corp")), by python's hashlib.
    let expected = Command::new("python3")
        .args([
            "-c",
            "import base64,hashlib;print(base64.b64encode(hashlib.sha1(b'https://idp.example.org/saml123456789012/Corp').digest()).decode())",
        ])
        .output()?;
    assert_eq!(
        key("saml:namequalifier"),
        vec![String::from_utf8(expected.stdout)?.trim().to_owned()]
    );
    Ok(())
}

#[test]
fn a_signed_response_verifies_and_sha1_needs_permission() -> TestResult {
    let shape = Shape {
        sign_response: true,
        ..Shape::default()
    };
    let xml = sign(&shape, idp()?)?;
    assert_eq!(
        check(&xml)?.map_err(|e| format!("{e:?}"))?.subject,
        "alice.evil@example.org"
    );

    let sha1 = sign(
        &Shape {
            sha1: true,
            ..Shape::default()
        },
        idp()?,
    )?;
    assert!(matches!(check(&sha1)?, Err(SamlError::Algorithm(_))));
    let mut allowed = settings()?;
    allowed["allow_sha1"] = json!(true);
    assert!(verify(&request(&sha1, allowed)?, &Defaults::default()).is_ok());
    Ok(())
}

#[test]
fn xmlsec1_verifies_what_it_signed() -> TestResult {
    // Cross-check: the independent implementation accepts the fixture we accept.
    let xml = sign(&Shape::default(), idp()?)?;
    let file = work().join(format!("cross-{}.xml", std::process::id()));
    std::fs::write(&file, &xml)?;
    run(Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-cert-pem")
        .arg(&idp()?.1)
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(&file))?;
    Ok(())
}

#[test]
fn the_role_attribute_is_required() -> TestResult {
    // Which pair the caller may use is the engine's check; an assertion without any is refused.
    let xml = sign(
        &Shape {
            with_role: false,
            ..Shape::default()
        },
        idp()?,
    )?;
    let error = check(&xml)?.err().ok_or("accepted without Role")?;
    assert!(matches!(error, SamlError::Attribute(_)), "{error:?}");
    assert_eq!(error.code(), "InvalidIdentityToken");
    Ok(())
}

#[test]
fn wrong_certificate() -> TestResult {
    let xml = sign(&Shape::default(), &keys()?.1)?;
    assert_eq!(check(&xml)?, Err(SamlError::BadSignature));
    Ok(())
}

#[test]
fn tampered_content() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let tampered = xml.replacen("role/SamlRole", "role/Admin", 1);
    assert_ne!(tampered, xml);
    assert_eq!(check(&tampered)?, Err(SamlError::BadSignature));
    let tampered = xml.replacen("<saml:AttributeValue>blue<", "<saml:AttributeValue>red<", 1);
    assert_eq!(check(&tampered)?, Err(SamlError::BadSignature));
    Ok(())
}

#[test]
fn expired_and_not_yet_valid() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let mut late = request(&xml, settings()?)?;
    late.now = OffsetDateTime::parse("2026-11-28T12:20:00Z", &Rfc3339)?.unix_timestamp();
    let error = verify(&late, &Defaults::default())
        .err()
        .ok_or("expired accepted")?;
    assert_eq!(error, SamlError::Expired);
    assert_eq!(error.code(), "ExpiredTokenException");
    // Within the skew (5 minutes by default) it still passes.
    late.now = OffsetDateTime::parse("2026-11-28T12:08:00Z", &Rfc3339)?.unix_timestamp();
    assert!(verify(&late, &Defaults::default()).is_ok());
    let mut early = request(&xml, settings()?)?;
    early.now = OffsetDateTime::parse("2026-11-28T11:50:00Z", &Rfc3339)?.unix_timestamp();
    assert_eq!(
        verify(&early, &Defaults::default()),
        Err(SamlError::NotYetValid)
    );
    Ok(())
}

#[test]
fn wrong_recipient_and_configured_recipient() -> TestResult {
    let shape = Shape {
        recipient: "https://evil.example.com/acs",
        ..Shape::default()
    };
    let xml = sign(&shape, idp()?)?;
    let error = check(&xml)?.err().ok_or("wrong recipient accepted")?;
    assert_eq!(error, SamlError::Recipient);
    assert_eq!(error.code(), "IDPRejectedClaim");
    // A provider configured for another endpoint refuses AWS's.
    let good = sign(&Shape::default(), idp()?)?;
    let mut other = settings()?;
    other["recipients"] = json!(["https://sts.keyturn.example/saml"]);
    assert_eq!(
        verify(&request(&good, other)?, &Defaults::default()),
        Err(SamlError::Recipient)
    );
    Ok(())
}

#[test]
fn wrapping_a_second_unsigned_assertion() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let evil = r#"<saml:Assertion ID="_evil" Version="2.0" IssueInstant="2026-11-28T12:00:00Z"><saml:Issuer>https://idp.example.org/saml</saml:Issuer><saml:Subject><saml:NameID>admin</saml:NameID></saml:Subject></saml:Assertion>"#;
    let before = xml.replacen("<saml:Assertion ", &format!("{evil}<saml:Assertion "), 1);
    assert_eq!(check(&before)?, Err(SamlError::AssertionCount));
    let after = xml.replacen("</samlp:Response>", &format!("{evil}</samlp:Response>"), 1);
    assert_eq!(check(&after)?, Err(SamlError::AssertionCount));
    Ok(())
}

#[test]
fn wrapping_a_moved_signed_assertion() -> TestResult {
    // The signed assertion moved into an Extensions element, an unsigned one in its place.
    let xml = sign(&Shape::default(), idp()?)?;
    let start = xml.find("<saml:Assertion ").ok_or("no assertion")?;
    let end = xml.find("</saml:Assertion>").ok_or("no assertion end")? + "</saml:Assertion>".len();
    let signed = &xml[start..end];
    let evil = signed
        .replacen("_assertion1", "_evil", 1)
        .replace("role/SamlRole", "role/Admin");
    let moved = format!(
        "{}<samlp:Extensions>{signed}</samlp:Extensions>{evil}{}",
        &xml[..start],
        &xml[end..]
    );
    assert_eq!(check(&moved)?, Err(SamlError::AssertionCount));
    Ok(())
}

#[test]
fn a_duplicate_id() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let duplicate = xml.replacen(
        "<samlp:Status>",
        r#"<samlp:Extensions><x:Thing xmlns:x="urn:x" ID="_assertion1"/></samlp:Extensions><samlp:Status>"#,
        1,
    );
    assert_eq!(check(&duplicate)?, Err(SamlError::DuplicateId));
    Ok(())
}

#[test]
fn a_comment_inside_the_name_id_is_not_a_truncation() -> TestResult {
    // Exclusive c14n drops comments, so the signature still holds; the subject must be the whole
    // signed text, never the text before the comment.
    let xml = sign(&Shape::default(), idp()?)?;
    let commented = xml.replacen("alice.evil@example.org", "alice<!---->.evil@example.org", 1);
    assert_ne!(commented, xml);
    let result = check(&commented)?.map_err(|e| format!("{e:?}"))?;
    assert_eq!(result.subject, "alice.evil@example.org");
    Ok(())
}

#[test]
fn dtds_and_garbage_are_refused() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let with_dtd = xml.replacen(
        "<samlp:Response",
        "<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><samlp:Response",
        1,
    );
    assert!(matches!(check(&with_dtd)?, Err(SamlError::Malformed(_))));
    let mut req = request(&xml, settings()?)?;
    req.token = "%%% not base64".to_owned();
    assert!(matches!(
        verify(&req, &Defaults::default()),
        Err(SamlError::Malformed(_))
    ));
    req.token = "A".repeat(100_004);
    assert_eq!(verify(&req, &Defaults::default()), Err(SamlError::TooLarge));
    Ok(())
}

#[test]
fn an_unknown_provider_or_unusable_metadata() -> TestResult {
    let xml = sign(&Shape::default(), idp()?)?;
    let mut req = request(&xml, settings()?)?;
    req.principal_arn = Some("arn:aws:iam::123456789012:saml-provider/Other".to_owned());
    let error = verify(&req, &Defaults::default()).err().ok_or("accepted")?;
    assert_eq!(error, SamlError::UnknownProvider);
    assert_eq!(error.to_string(), "Specified provider doesn't exist");
    let broken = json!({"name": "Corp", "metadata": "<not-metadata/>"});
    assert_eq!(
        verify(&request(&xml, broken)?, &Defaults::default()),
        Err(SamlError::UnknownProvider)
    );
    // The metadata of another IdP: its certificate and entity id do not match.
    let foreign = json!({"name": "Corp", "metadata": metadata(&keys()?.1 .1)?});
    assert_eq!(
        verify(&request(&xml, foreign)?, &Defaults::default()),
        Err(SamlError::BadSignature)
    );
    // The direct API with the right key but another expected issuer.
    let expect = keyturn_saml::Expectations {
        certificates: vec![STANDARD.decode(cert_base64(&idp()?.1)?)?],
        issuer: Some("https://other-idp.example.org".to_owned()),
        recipients: vec!["https://signin.aws.amazon.com/saml".to_owned()],
        audiences: vec!["urn:amazon:webservices".to_owned()],
        allow_sha1: false,
        skew_seconds: 60,
        min_rsa_bits: 2048,
        encryption_required: false,
        decryption_keys: Vec::new(),
    };
    assert_eq!(
        verify_response(&xml, &expect, now()?),
        Err(SamlError::Issuer)
    );
    Ok(())
}

/// The cdylib next to the test executable.
fn library() -> AnyResult<PathBuf> {
    let exe = std::env::current_exe()?;
    let file = format!(
        "{}keyturn_saml{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    for dir in exe.ancestors().skip(1).take(3) {
        if dir.join(&file).exists() {
            return Ok(dir.join(&file));
        }
    }
    Err(format!("{file} not found near {}", exe.display()).into())
}

#[test]
fn through_the_c_abi() -> TestResult {
    let library = PluginLibrary::load_any(library()?)?;
    assert_eq!(library.name(), "keyturn-saml");
    let plugin = library.identity_provider(&json!({"clock_skew_seconds": 60}))?;
    let xml = sign(&Shape::default(), idp()?)?;
    let result = plugin.verify(&request(&xml, settings()?)?)?;
    assert_eq!(result.subject, "alice.evil@example.org");
    assert_eq!(result.session_duration, Some(7200));
    let tampered = xml.replacen("role/SamlRole", "role/Admin", 1);
    match plugin.verify(&request(&tampered, settings()?)?) {
        Err(PluginError::Rejected { code, message }) => {
            assert_eq!(code, "InvalidIdentityToken");
            assert_eq!(message, "Response signature invalid");
        }
        other => return Err(format!("expected a rejection, got {other:?}").into()),
    }
    // A bad configuration fails create.
    assert!(
        library
            .identity_provider(&json!({"allow_sha1": "yes"}))
            .is_err()
    );
    Ok(())
}
