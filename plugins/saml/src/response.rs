//! The SAML 2.0 `Response`: structure, XML signature and conditions. Everything read from the
//! document after [`verify_response`] succeeds is covered by a signature made with one of the
//! trusted certificates.

use std::collections::{BTreeMap, BTreeSet};

use keyturn_plugin::SecretString;
use roxmltree::{Document, Node, ParsingOptions};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use xml_sec::XmlDocument;
use xml_sec::policy::VerificationPolicy;
use xml_sec::xmldsig::{
    CallerTrustedSignatureKey, DigestAlgorithm, SignatureAlgorithm, VerificationKey,
    VerificationRequest, VerifyContext,
};

use crate::SamlError;
use crate::decrypt::{Decrypted, decrypt_assertion};
use crate::der::spki_from_certificate;

/// The SAML 2.0 protocol namespace.
pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// The SAML 2.0 assertion namespace.
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// The XML-DSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// What the verifier trusts and expects.
#[derive(Debug, Clone)]
pub struct Expectations {
    /// The IdP's signing certificates (DER), from its metadata.
    pub certificates: Vec<Vec<u8>>,
    /// The IdP's entity id (the metadata's `entityID`): the `Issuer` must equal it. `None`: any.
    pub issuer: Option<String>,
    /// Accepted `Recipient`/`Destination` values.
    pub recipients: Vec<String>,
    /// Accepted `Audience` values.
    pub audiences: Vec<String>,
    /// Accept RSA-SHA1 signatures and SHA-1 digests.
    pub allow_sha1: bool,
    /// Clock skew allowed on every time, in seconds.
    pub skew_seconds: i64,
    /// The smallest RSA modulus accepted, in bits (2048 unless a provider's settings lower it;
    /// never below 1024).
    pub min_rsa_bits: usize,
    /// The provider's `AssertionEncryptionMode` is `Required`: a plain assertion is refused.
    pub encryption_required: bool,
    /// The provider's private keys (PEM), tried in turn on an `EncryptedAssertion`.
    pub decryption_keys: Vec<SecretString>,
}

/// A verified assertion: only what a trusted signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAssertion {
    /// The assertion's `Issuer`.
    pub issuer: String,
    /// The `NameID` (its whole text, comments excluded as the signature excludes them).
    pub name_id: String,
    /// The `NameID`'s `Format`, if any.
    pub name_id_format: Option<String>,
    /// The `SubjectConfirmationData`'s `Recipient`.
    pub recipient: String,
    /// The audiences of the `AudienceRestriction`.
    pub audiences: Vec<String>,
    /// Attributes: name to values, in document order.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// The `AuthnStatement`'s `SessionNotOnOrAfter`.
    pub session_not_on_or_after: Option<OffsetDateTime>,
    /// Whether the `Response` (and so everything in it) is signed, or only the `Assertion`.
    pub response_signed: bool,
    /// The key (`SubjectPublicKeyInfo`, DER) of the certificate whose signature verified.
    pub signing_key: Vec<u8>,
    /// Whether the assertion arrived encrypted (an `EncryptedAssertion`).
    pub encrypted: bool,
}

fn malformed(reason: &str) -> SamlError {
    SamlError::Malformed(reason.to_owned())
}

/// Whether `node` is the element `ns:name`.
pub(crate) fn is(node: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(ns)
}

fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |n| is(n, ns, name))
}

/// The only child `ns:name` of `node`.
pub(crate) fn one<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'a str,
    name: &'a str,
) -> Result<Node<'a, 'i>, SamlError> {
    let mut found = children(node, ns, name);
    match (found.next(), found.next()) {
        (Some(child), None) => Ok(child),
        (None, _) => Err(SamlError::Malformed(format!("missing {name}"))),
        (Some(_), Some(_)) => Err(SamlError::Malformed(format!("more than one {name}"))),
    }
}

/// The text of an element made of text only (comments are skipped, as canonicalization without
/// comments skips them); an element child is refused.
fn text(node: Node<'_, '_>) -> Result<String, SamlError> {
    let mut out = String::new();
    for child in node.children() {
        if child.is_element() {
            return Err(malformed("element inside a text value"));
        }
        if child.is_text() {
            out.push_str(child.text().unwrap_or_default());
        }
    }
    Ok(out.trim().to_owned())
}

fn time(node: Node<'_, '_>, attribute: &str) -> Result<Option<OffsetDateTime>, SamlError> {
    node.attribute(attribute)
        .map(|value| {
            OffsetDateTime::parse(value.trim(), &Rfc3339)
                .map_err(|_| SamlError::Malformed(format!("bad {attribute} time")))
        })
        .transpose()
}

fn element_id<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attribute("ID")
}

/// Every ID-like attribute of the document must be unique (signature wrapping relies on
/// duplicates).
fn check_unique_ids(document: &Document<'_>) -> Result<(), SamlError> {
    let mut seen = BTreeSet::new();
    for node in document.descendants().filter(Node::is_element) {
        for attribute in node.attributes() {
            let id_like = match attribute.namespace() {
                None => matches!(attribute.name(), "ID" | "Id" | "id"),
                Some(ns) => ns == XML_NS && attribute.name() == "id",
            };
            if id_like && !seen.insert(attribute.value().to_owned()) {
                return Err(SamlError::DuplicateId);
            }
        }
    }
    Ok(())
}

fn signature_algorithm(uri: &str, allow_sha1: bool) -> Result<SignatureAlgorithm, SamlError> {
    match SignatureAlgorithm::from_uri(uri) {
        Some(
            alg @ (SignatureAlgorithm::RsaSha256
            | SignatureAlgorithm::RsaSha384
            | SignatureAlgorithm::RsaSha512),
        ) => Ok(alg),
        Some(SignatureAlgorithm::RsaSha1) if allow_sha1 => Ok(SignatureAlgorithm::RsaSha1),
        _ => Err(SamlError::Algorithm(uri.to_owned())),
    }
}

fn digest_allowed(uri: &str, allow_sha1: bool) -> bool {
    match uri {
        "http://www.w3.org/2001/04/xmlenc#sha256"
        | "http://www.w3.org/2001/04/xmldsig-more#sha384"
        | "http://www.w3.org/2001/04/xmlenc#sha512" => true,
        "http://www.w3.org/2000/09/xmldsig#sha1" => allow_sha1,
        _ => false,
    }
}

/// A signature found in the document: where it sits and what it claims.
struct FoundSignature {
    /// The element it signs (its parent): the Response or the Assertion.
    signs_response: bool,
    algorithm: SignatureAlgorithm,
}

/// The signature as a child of `parent` must sign exactly `parent` (one Reference, to its ID,
/// with the enveloped-signature and exclusive c14n transforms only).
fn check_signature(
    signature: Node<'_, '_>,
    parent: Node<'_, '_>,
    allow_sha1: bool,
) -> Result<SignatureAlgorithm, SamlError> {
    let signed_info = one(signature, DSIG_NS, "SignedInfo")?;
    let c14n = one(signed_info, DSIG_NS, "CanonicalizationMethod")?;
    if !matches!(
        c14n.attribute("Algorithm"),
        Some(EXC_C14N | EXC_C14N_COMMENTS)
    ) {
        return Err(SamlError::Algorithm(
            c14n.attribute("Algorithm").unwrap_or_default().to_owned(),
        ));
    }
    let method = one(signed_info, DSIG_NS, "SignatureMethod")
        .map_err(|_| SamlError::BadSignature)?
        .attribute("Algorithm")
        .unwrap_or_default();
    let algorithm = signature_algorithm(method, allow_sha1)?;
    let reference = one(signed_info, DSIG_NS, "Reference").map_err(|_| SamlError::BadSignature)?;
    let id = element_id(parent).ok_or_else(|| malformed("signed element without ID"))?;
    let uri = reference.attribute("URI").unwrap_or_default();
    let whole_document = uri.is_empty() && parent.parent().is_some_and(|p| p.is_root());
    if uri.strip_prefix('#') != Some(id) && !whole_document {
        return Err(SamlError::BadSignature);
    }
    if let Ok(transforms) = one(reference, DSIG_NS, "Transforms") {
        for transform in transforms.children().filter(Node::is_element) {
            if !is(&transform, DSIG_NS, "Transform")
                || !matches!(
                    transform.attribute("Algorithm"),
                    Some(ENVELOPED | EXC_C14N | EXC_C14N_COMMENTS)
                )
            {
                return Err(SamlError::BadSignature);
            }
        }
    }
    let digest = one(reference, DSIG_NS, "DigestMethod")?
        .attribute("Algorithm")
        .unwrap_or_default();
    if !digest_allowed(digest, allow_sha1) {
        return Err(SamlError::Algorithm(digest.to_owned()));
    }
    Ok(algorithm)
}

/// Verifies every signature of `xml` with one of the certificates, requiring that `targets`
/// (IDs) are covered; returns the key (`SubjectPublicKeyInfo`) that verified them.
fn verify_signatures(
    xml: &str,
    found: &[FoundSignature],
    target_ids: &[&str],
    expect: &Expectations,
) -> Result<Vec<u8>, SamlError> {
    let mut policy = VerificationPolicy::default();
    let mut algorithms: BTreeSet<SignatureAlgorithm> = [
        SignatureAlgorithm::RsaSha256,
        SignatureAlgorithm::RsaSha384,
        SignatureAlgorithm::RsaSha512,
    ]
    .into();
    let mut digests: BTreeSet<DigestAlgorithm> = [
        DigestAlgorithm::Sha256,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ]
    .into();
    if expect.allow_sha1 {
        algorithms.insert(SignatureAlgorithm::RsaSha1);
        digests.insert(DigestAlgorithm::Sha1);
        policy
            .key_trust
            .allowed_legacy_signature_algorithms
            .insert(SignatureAlgorithm::RsaSha1);
    }
    policy.key_trust.rsa_keys.minimum_modulus_bits = expect.min_rsa_bits.max(1024);
    policy.signature_algorithms = Some(algorithms);
    policy.digest_algorithms = Some(digests);

    for certificate in &expect.certificates {
        let Some(spki) = spki_from_certificate(certificate) else {
            continue;
        };
        let document = XmlDocument::parse(xml.to_owned()).map_err(|_| malformed("XML"))?;
        let context = VerifyContext::new().policy(policy.clone());
        let identities = context
            .signature_identities(&document)
            .map_err(|_| SamlError::BadSignature)?;
        if identities.len() != found.len() {
            return Err(SamlError::BadSignature);
        }
        let keys: Vec<VerificationKey> = found
            .iter()
            .map(|signature| VerificationKey {
                algorithm: signature.algorithm,
                public_key_bytes: spki.to_vec(),
                certificate_der: Some(certificate.clone()),
                name: None,
            })
            .collect();
        let trusted: Vec<CallerTrustedSignatureKey<'_>> = identities
            .iter()
            .zip(&keys)
            .map(|(identity, key)| CallerTrustedSignatureKey {
                signature: *identity,
                key,
            })
            .collect();
        let mut targets = Vec::new();
        for id in target_ids {
            let target = document
                .with_view(|view| view.node_for_id(id, &[]))
                .ok_or(SamlError::DuplicateId)?;
            targets.push(target);
        }
        let request = VerificationRequest {
            expected_targets: &targets,
            trusted_keys: &trusted,
            ..VerificationRequest::default()
        };
        let Ok(evidence) = context.verify_request(&document, &request) else {
            continue;
        };
        if evidence.accepted(&document).unwrap_or(false) {
            return Ok(spki);
        }
    }
    Err(SamlError::BadSignature)
}

/// The document as parsed for reading: no DTD, a bounded number of nodes.
fn parse(xml: &str) -> Result<Document<'_>, SamlError> {
    let upper = xml.to_ascii_uppercase();
    if upper.contains("<!DOCTYPE") || upper.contains("<!ENTITY") {
        return Err(malformed("DTDs are not accepted"));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(xml, options).map_err(|_| malformed("XML"))
}

/// The root `Response` (SAML 2.0) and its ID, with every ID of the document unique.
fn root_response<'a, 'i>(document: &'a Document<'i>) -> Result<(Node<'a, 'i>, &'a str), SamlError> {
    let response = document.root_element();
    if !is(&response, PROTOCOL_NS, "Response") {
        return Err(malformed("not a SAML 2.0 Response"));
    }
    if response.attribute("Version") != Some("2.0") {
        return Err(malformed("not SAML 2.0"));
    }
    let response_id = element_id(response).ok_or_else(|| malformed("Response without ID"))?;
    check_unique_ids(document)?;
    Ok((response, response_id))
}

/// Verifies a SAML `Response` (XML text) at `now`: structure, signature, issuer, status,
/// subject confirmation, conditions, audience; returns the assertion's content.
///
/// An `EncryptedAssertion` is decrypted with the provider's keys first
/// ([`Expectations::decryption_keys`]): a signature of the `Response` is verified over the
/// encrypted form, as it was made; the decrypted assertion then takes the `EncryptedAssertion`'s
/// place (and the verified `Response` signature leaves) and everything else is checked as for a
/// plain assertion, its own signature included.
pub fn verify_response(
    xml: &str,
    expect: &Expectations,
    now: OffsetDateTime,
) -> Result<VerifiedAssertion, SamlError> {
    let document = parse(xml)?;
    let (response, response_id) = root_response(&document)?;
    let encrypted: Vec<Node<'_, '_>> = document
        .descendants()
        .filter(|n| is(n, ASSERTION_NS, "EncryptedAssertion"))
        .collect();
    let [encrypted] = encrypted.as_slice() else {
        if !encrypted.is_empty() {
            return Err(SamlError::AssertionCount);
        }
        if expect.encryption_required {
            return Err(SamlError::EncryptionRequired);
        }
        return verify_plain(xml, &document, expect, now, None);
    };
    let encrypted = *encrypted;
    let plain = document
        .descendants()
        .any(|n| n.is_element() && n.tag_name().name() == "Assertion");
    if plain || encrypted.parent() != Some(response) {
        return Err(SamlError::AssertionCount);
    }
    // The only signature allowed beside the ciphertext is the Response's own.
    let mut signatures = document
        .descendants()
        .filter(|n| is(n, DSIG_NS, "Signature"));
    let signature = signatures.next();
    if signatures.next().is_some() || signature.is_some_and(|s| s.parent() != Some(response)) {
        return Err(SamlError::BadSignature);
    }
    let mut response_key = None;
    if let Some(signature) = signature {
        let algorithm = check_signature(signature, response, expect.allow_sha1)?;
        let found = [FoundSignature {
            signs_response: true,
            algorithm,
        }];
        response_key = Some(verify_signatures(xml, &found, &[response_id], expect)?);
    }
    let authenticated = signature.is_some();
    let assertion = match decrypt_assertion(encrypted, &expect.decryption_keys)? {
        Decrypted::Assertion(text) => text,
        // GCM's tag failed, or the Response signature covered the ciphertext: nothing to hide.
        Decrypted::Unreadable(true) => return Err(SamlError::Undecryptable),
        Decrypted::Unreadable(false) if authenticated => return Err(SamlError::Undecryptable),
        // Unauthenticated CBC: answered as a bad signature (no decryption oracle).
        Decrypted::Unreadable(false) => return Err(SamlError::BadSignature),
    };
    let mut cuts = vec![(encrypted.range(), assertion.as_str())];
    if let Some(signature) = signature {
        cuts.push((signature.range(), ""));
    }
    cuts.sort_by_key(|(range, _)| range.start);
    let mut spliced = String::with_capacity(xml.len() + assertion.len());
    let mut at = 0;
    for (range, with) in cuts {
        spliced.push_str(xml.get(at..range.start).ok_or_else(|| malformed("XML"))?);
        spliced.push_str(with);
        at = range.end;
    }
    spliced.push_str(xml.get(at..).ok_or_else(|| malformed("XML"))?);
    let checked = parse(&spliced).and_then(|document| {
        root_response(&document)?;
        verify_plain(&spliced, &document, expect, now, response_key).map(|assertion| {
            VerifiedAssertion {
                encrypted: true,
                ..assertion
            }
        })
    });
    if authenticated {
        return checked;
    }
    // Nothing signed the ciphertext: until the assertion's own signature has verified, every
    // failure reads as a bad signature, so that a changed ciphertext cannot be told apart by how
    // its plaintext fails (structure, IDs, algorithms).
    checked.map_err(|error| match error {
        SamlError::Malformed(_)
        | SamlError::DuplicateId
        | SamlError::AssertionCount
        | SamlError::Unsupported(_)
        | SamlError::Unsigned
        | SamlError::Algorithm(_) => SamlError::BadSignature,
        other => other,
    })
}

/// The checks of a Response with a plain assertion (`document` is `xml` parsed). With
/// `response_key`, the Response's signature was verified with that key before decryption (and
/// removed): the assertion need not carry its own.
fn verify_plain(
    xml: &str,
    document: &Document<'_>,
    expect: &Expectations,
    now: OffsetDateTime,
    response_key: Option<Vec<u8>>,
) -> Result<VerifiedAssertion, SamlError> {
    let response_verified = response_key.is_some();
    let response = document.root_element();
    let response_id = element_id(response).ok_or_else(|| malformed("Response without ID"))?;

    // Exactly one assertion, a child of the Response; no encrypted parts left.
    let encrypted = document.descendants().any(|n| {
        n.is_element()
            && n.tag_name().namespace() == Some(ASSERTION_NS)
            && n.tag_name().name().starts_with("Encrypted")
    });
    if encrypted {
        return Err(SamlError::Unsupported(
            "encrypted identifiers or attributes",
        ));
    }
    let assertions: Vec<Node<'_, '_>> = document
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Assertion")
        .collect();
    let [assertion] = assertions.as_slice() else {
        return Err(SamlError::AssertionCount);
    };
    let assertion = *assertion;
    if !is(&assertion, ASSERTION_NS, "Assertion") || assertion.parent() != Some(response) {
        return Err(SamlError::AssertionCount);
    }
    if assertion.attribute("Version") != Some("2.0") {
        return Err(malformed("not SAML 2.0"));
    }
    let assertion_id = element_id(assertion).ok_or_else(|| malformed("Assertion without ID"))?;

    // Signatures: only as children of the Response or of the Assertion, each signing its parent.
    let mut found = Vec::new();
    for signature in document
        .descendants()
        .filter(|n| is(n, DSIG_NS, "Signature"))
    {
        let parent = signature.parent().ok_or(SamlError::BadSignature)?;
        let signs_response = parent == response;
        if !signs_response && parent != assertion {
            return Err(SamlError::BadSignature);
        }
        let algorithm = check_signature(signature, parent, expect.allow_sha1)?;
        found.push(FoundSignature {
            signs_response,
            algorithm,
        });
    }
    if found.is_empty() && !response_verified {
        return Err(SamlError::Unsigned);
    }
    let response_signed = response_verified || found.iter().any(|s| s.signs_response);
    let signing_key = if found.is_empty() {
        response_key.unwrap_or_default()
    } else {
        let target = if found.iter().any(|s| s.signs_response) {
            response_id
        } else {
            assertion_id
        };
        verify_signatures(xml, &found, &[target], expect)?
    };

    // From here on, everything read is covered by a trusted signature (the Response's, or the
    // Assertion's for what is inside it); Destination and Status are checked even unsigned.
    if let Some(destination) = response.attribute("Destination")
        && !expect.recipients.iter().any(|r| r == destination)
    {
        return Err(SamlError::Recipient);
    }
    let status = one(response, PROTOCOL_NS, "Status")?;
    let code = one(status, PROTOCOL_NS, "StatusCode")?;
    if code.attribute("Value") != Some(SUCCESS) {
        return Err(SamlError::Status);
    }

    let issuer = text(one(assertion, ASSERTION_NS, "Issuer")?)?;
    // The Response's Issuer is optional in SAML core; AWS's responses carry it, and it must be
    // the assertion's.
    let response_issuer = text(one(response, ASSERTION_NS, "Issuer")?)?;
    if response_issuer != issuer {
        return Err(SamlError::Issuer);
    }
    if let Some(expected) = &expect.issuer
        && &issuer != expected
    {
        return Err(SamlError::Issuer);
    }

    let skew = time::Duration::seconds(expect.skew_seconds);
    let subject = one(assertion, ASSERTION_NS, "Subject")?;
    let name_id = one(subject, ASSERTION_NS, "NameID")?;
    let name_id_text = text(name_id)?;
    if name_id_text.is_empty() {
        return Err(malformed("empty NameID"));
    }
    if let Some(sp) = name_id.attribute("SPNameQualifier")
        && !expect.audiences.iter().any(|a| a == sp)
    {
        return Err(SamlError::Audience);
    }
    let confirmation = one(subject, ASSERTION_NS, "SubjectConfirmation")?;
    if confirmation.attribute("Method") != Some(BEARER) {
        return Err(malformed("SubjectConfirmation is not bearer"));
    }
    let data = one(confirmation, ASSERTION_NS, "SubjectConfirmationData")?;
    let recipient = data.attribute("Recipient").unwrap_or_default();
    if !expect.recipients.iter().any(|r| r == recipient) {
        return Err(SamlError::Recipient);
    }
    let not_on_or_after = time(data, "NotOnOrAfter")?
        .ok_or_else(|| malformed("SubjectConfirmationData without NotOnOrAfter"))?;
    if now >= not_on_or_after + skew {
        return Err(SamlError::Expired);
    }
    if let Some(not_before) = time(data, "NotBefore")?
        && now + skew < not_before
    {
        return Err(SamlError::NotYetValid);
    }

    let conditions = one(assertion, ASSERTION_NS, "Conditions")?;
    if let Some(not_before) = time(conditions, "NotBefore")?
        && now + skew < not_before
    {
        return Err(SamlError::NotYetValid);
    }
    if let Some(not_on_or_after) = time(conditions, "NotOnOrAfter")?
        && now >= not_on_or_after + skew
    {
        return Err(SamlError::Expired);
    }
    let mut audiences = Vec::new();
    for restriction in children(conditions, ASSERTION_NS, "AudienceRestriction") {
        let values = children(restriction, ASSERTION_NS, "Audience")
            .map(text)
            .collect::<Result<Vec<_>, _>>()?;
        // Every restriction must be met (SAML core 2.5.1.4).
        if !values.iter().any(|v| expect.audiences.contains(v)) {
            return Err(SamlError::Audience);
        }
        audiences.extend(values);
    }
    if audiences.is_empty() {
        return Err(SamlError::Audience);
    }

    let authn = one(assertion, ASSERTION_NS, "AuthnStatement")?;
    let session_not_on_or_after = time(authn, "SessionNotOnOrAfter")?;

    let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for statement in children(assertion, ASSERTION_NS, "AttributeStatement") {
        for attribute in children(statement, ASSERTION_NS, "Attribute") {
            let name = attribute
                .attribute("Name")
                .ok_or_else(|| malformed("Attribute without Name"))?;
            let values = children(attribute, ASSERTION_NS, "AttributeValue")
                .map(text)
                .collect::<Result<Vec<_>, _>>()?;
            if attributes.insert(name.to_owned(), values).is_some() {
                return Err(SamlError::DuplicateAttribute(name.to_owned()));
            }
        }
    }

    Ok(VerifiedAssertion {
        issuer,
        name_id: name_id_text,
        name_id_format: name_id.attribute("Format").map(str::to_owned),
        recipient: recipient.to_owned(),
        audiences,
        attributes,
        session_not_on_or_after,
        response_signed,
        signing_key,
        encrypted: false,
    })
}
