//! The SAML plugin: a `Response` document through parsing, the signature wrapping and
//! reference checks, XML-DSig verification against python3-saml's IdP certificates (public
//! test data, `data/`), decryption of an `EncryptedAssertion` with its SP key, and the
//! conditions; the plugin's own entry (base64 of the document, the provider's metadata); the
//! metadata parser.
//!
//! Input: the first byte picks the mode; the rest is the XML (or the metadata). The clock is the
//! document's `IssueInstant` plus a minute when it has one, so the python3-saml responses in
//! the corpus verify as they are, and mutations of them start from a verifying document.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use keyturn_plugin::{ProviderInfo, SecretString, VerifyRequest};
use keyturn_saml::{Defaults, Expectations, parse_metadata, verify, verify_response};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::bytes::Bytes;

/// The time when the document has no readable `IssueInstant`: 2015-01-01T00:00:00Z.
const FALLBACK_NOW: i64 = 1_420_070_400;

fn certificates() -> Vec<Vec<u8>> {
    include_str!("../data/saml-idp-certs.txt")
        .lines()
        .filter_map(|line| STANDARD.decode(line.trim()).ok())
        .collect()
}

fn expectations() -> Expectations {
    Expectations {
        certificates: certificates(),
        issuer: None,
        recipients: vec![
            "http://stuff.com/endpoints/endpoints/acs.php".to_owned(),
            "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs".to_owned(),
        ],
        audiences: vec![
            "http://stuff.com/endpoints/metadata.php".to_owned(),
            "https://pitbulk.no-ip.org/newonelogin/demo1/metadata.php".to_owned(),
        ],
        allow_sha1: true,
        skew_seconds: 60,
        min_rsa_bits: 1024,
        encryption_required: false,
        decryption_keys: vec![SecretString::from(include_str!("../data/saml-sp-key.pem"))],
    }
}

/// The document's `IssueInstant` plus a minute, or [`FALLBACK_NOW`].
fn clock(xml: &str) -> OffsetDateTime {
    let fallback =
        OffsetDateTime::from_unix_timestamp(FALLBACK_NOW).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let Some(start) = xml
        .find("IssueInstant=\"")
        .map(|i| i + "IssueInstant=\"".len())
    else {
        return fallback;
    };
    let value = xml
        .get(start..)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("");
    OffsetDateTime::parse(value, &Rfc3339)
        .ok()
        .and_then(|t| t.checked_add(time::Duration::minutes(1)))
        .unwrap_or(fallback)
}

fn metadata() -> String {
    let certs: String = include_str!("../data/saml-idp-certs.txt")
        .lines()
        .map(|c| {
            format!(
                "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{c}\
                 </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
            )
        })
        .collect();
    format!(
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"http://idp.example.com/\">\
         <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
         {certs}</md:IDPSSODescriptor></md:EntityDescriptor>"
    )
}

/// The target.
pub fn saml(data: &[u8]) {
    let mut input = Bytes::new(data);
    let mode = input.byte();
    let text = input.rest_text();
    match mode % 4 {
        0 | 1 => {
            let _ = verify_response(&text, &expectations(), clock(&text));
        }
        2 => {
            let provider = "arn:aws:iam::123456789012:saml-provider/Corp";
            let request = VerifyRequest {
                provider_arn: provider.to_owned(),
                token: STANDARD.encode(&text),
                role_arn: "arn:aws:iam::123456789012:role/Fed".to_owned(),
                now: clock(&text).unix_timestamp(),
                kind: Some("saml".to_owned()),
                principal_arn: Some(provider.to_owned()),
                providers: vec![ProviderInfo {
                    arn: provider.to_owned(),
                    account_id: "123456789012".to_owned(),
                    settings: json!({"name": "Corp", "metadata": metadata(), "allow_sha1": true,
                                     "min_rsa_bits": 1024}),
                }],
            };
            let _ = verify(&request, &Defaults::default());
        }
        _ => {
            let _ = parse_metadata(&text);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fixed_metadata_parses_with_every_certificate() {
        let parsed = keyturn_saml::parse_metadata(&super::metadata());
        assert_eq!(
            parsed.map(|(_, certs)| certs.len()),
            Some(super::certificates().len())
        );
        assert_eq!(super::certificates().len(), 2);
    }
}
