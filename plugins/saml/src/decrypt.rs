//! XML Encryption (1.0 and 1.1) of a SAML `EncryptedAssertion`: the content key is unwrapped with
//! one of the provider's RSA private keys (RSA-OAEP: `xmlenc#rsa-oaep-mgf1p`, or `xmlenc11#rsa-oaep`
//! with its `DigestMethod` and `MGF`), then the `EncryptedData` is decrypted (AES-128/192/256 in
//! CBC or GCM mode). The result must be exactly one `saml:Assertion`.
//!
//! RSA PKCS#1 v1.5 key transport (`xmlenc#rsa-1_5`) is refused: XML Encryption 1.1 deprecates it
//! (Bleichenbacher's attack), and AWS documents only AES-GCM and AES-CBC for the content.
//!
//! Every failure to unwrap the content key is the same [`SamlError::Undecryptable`]. Once a key
//! unwraps it, a ciphertext that does not decrypt to one assertion is [`Decrypted::Unreadable`]:
//! for CBC without a Response signature over the ciphertext, the caller answers it exactly as a
//! bad signature, so changed ciphertexts cannot be told apart by how they fail (the XML
//! Encryption CBC attack of Jager and Somorovsky, 2011, reads plaintext from such differences).

use aes::{Aes128, Aes192, Aes256};
use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyIvInit};
use keyturn_plugin::SecretString;
use roxmltree::{Document, Node, ParsingOptions};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Oaep, PrivateKey};
use sha1::Sha1;
use sha2::digest::{Digest, FixedOutputReset};
use sha2::{Sha256, Sha384, Sha512};
use zeroize::Zeroizing;

use crate::SamlError;
use crate::response::{ASSERTION_NS, DSIG_NS, is, one};

/// The XML Encryption 1.0 namespace.
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
/// The XML Encryption 1.1 namespace.
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";
const ELEMENT_TYPE: &str = "http://www.w3.org/2001/04/xmlenc#Element";
const ENCRYPTED_KEY_TYPE: &str = "http://www.w3.org/2001/04/xmlenc#EncryptedKey";
const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
const RSA_OAEP: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
/// The most `EncryptedKey`s tried (each costs one RSA operation per private key).
const MAX_ENCRYPTED_KEYS: usize = 4;

/// The content-encryption algorithm of an `EncryptedData`: AES in CBC or GCM mode, with its key
/// length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Content {
    Cbc(usize),
    Gcm(usize),
}

impl Content {
    /// Whether the algorithm authenticates the ciphertext (GCM does, CBC does not).
    fn authenticated(self) -> bool {
        matches!(self, Self::Gcm(_))
    }

    fn from_uri(uri: &str) -> Option<Self> {
        Some(match uri {
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => Self::Cbc(16),
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => Self::Cbc(24),
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => Self::Cbc(32),
            "http://www.w3.org/2009/xmlenc11#aes128-gcm" => Self::Gcm(16),
            "http://www.w3.org/2009/xmlenc11#aes192-gcm" => Self::Gcm(24),
            "http://www.w3.org/2009/xmlenc11#aes256-gcm" => Self::Gcm(32),
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Self::Cbc(n) | Self::Gcm(n) => n,
        }
    }

    /// The plaintext, or `None` whatever went wrong.
    fn decrypt(self, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
        match self {
            Self::Cbc(16) => cbc_decrypt::<Aes128>(key, data),
            Self::Cbc(24) => cbc_decrypt::<Aes192>(key, data),
            Self::Cbc(32) => cbc_decrypt::<Aes256>(key, data),
            Self::Gcm(16) => gcm_decrypt::<Aes128>(key, data),
            Self::Gcm(24) => gcm_decrypt::<Aes192>(key, data),
            Self::Gcm(32) => gcm_decrypt::<Aes256>(key, data),
            _ => None,
        }
    }
}

/// AES-CBC as XML Encryption uses it: a 16-byte IV first; the last plaintext byte is the padding
/// length (1 to 16), the other padding bytes are arbitrary (not PKCS#7).
fn cbc_decrypt<C>(key: &[u8], data: &[u8]) -> Option<Vec<u8>>
where
    C: BlockCipherDecrypt,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    if data.len() < 32 || !data.len().is_multiple_of(16) {
        return None;
    }
    let (iv, ciphertext) = data.split_at(16);
    let mut buffer = ciphertext.to_vec();
    let length = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded::<NoPadding>(&mut buffer)
        .ok()?
        .len();
    let padding = usize::from(*buffer.get(length.checked_sub(1)?)?);
    if !(1..=16).contains(&padding) {
        return None;
    }
    buffer.truncate(length - padding);
    Some(buffer)
}

/// AES-GCM as XML Encryption 1.1 uses it: a 12-byte IV first, the 16-byte tag last.
fn gcm_decrypt<C>(key: &[u8], data: &[u8]) -> Option<Vec<u8>>
where
    AesGcm<C, U12>: KeyInit + Aead,
{
    if data.len() < 12 + 16 {
        return None;
    }
    let (nonce, ciphertext) = data.split_at(12);
    let cipher = AesGcm::<C, U12>::new_from_slice(key).ok()?;
    cipher.decrypt(nonce.try_into().ok()?, ciphertext).ok()
}

/// A digest of RSA-OAEP (for the label, or for MGF1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The `DigestMethod` URI (absent: SHA-1, the default of both OAEP identifiers).
    fn digest(uri: Option<&str>) -> Option<Self> {
        Some(match uri {
            None | Some("http://www.w3.org/2000/09/xmldsig#sha1") => Self::Sha1,
            Some("http://www.w3.org/2001/04/xmlenc#sha256") => Self::Sha256,
            Some("http://www.w3.org/2001/04/xmldsig-more#sha384") => Self::Sha384,
            Some("http://www.w3.org/2001/04/xmlenc#sha512") => Self::Sha512,
            Some(_) => return None,
        })
    }

    /// The `xenc11:MGF` URI (absent: MGF1 with SHA-1).
    fn mgf(uri: Option<&str>) -> Option<Self> {
        Some(match uri {
            None | Some("http://www.w3.org/2009/xmlenc11#mgf1sha1") => Self::Sha1,
            Some("http://www.w3.org/2009/xmlenc11#mgf1sha256") => Self::Sha256,
            Some("http://www.w3.org/2009/xmlenc11#mgf1sha384") => Self::Sha384,
            Some("http://www.w3.org/2009/xmlenc11#mgf1sha512") => Self::Sha512,
            Some(_) => return None,
        })
    }
}

/// How an `EncryptedKey` wraps the content key: RSA-OAEP with these parameters.
#[derive(Debug, Clone)]
struct Transport {
    digest: Hash,
    mgf: Hash,
    label: Option<Vec<u8>>,
}

impl Transport {
    /// Unwraps `wrapped` with `key` (blinded RSA; `None` on any failure).
    fn unwrap(&self, key: &PrivateKey, wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        fn with_mgf<D: Digest + FixedOutputReset>(
            t: &Transport,
            key: &PrivateKey,
            wrapped: &[u8],
        ) -> Option<Vec<u8>> {
            match t.mgf {
                Hash::Sha1 => oaep::<D, Sha1>(t, key, wrapped),
                Hash::Sha256 => oaep::<D, Sha256>(t, key, wrapped),
                Hash::Sha384 => oaep::<D, Sha384>(t, key, wrapped),
                Hash::Sha512 => oaep::<D, Sha512>(t, key, wrapped),
            }
        }
        fn oaep<D, M>(t: &Transport, key: &PrivateKey, wrapped: &[u8]) -> Option<Vec<u8>>
        where
            D: Digest + FixedOutputReset,
            M: Digest + FixedOutputReset,
        {
            let padding = Oaep::<D, M> {
                digest: D::new(),
                mgf_digest: M::new(),
                label: t.label.clone().map(Vec::into_boxed_slice),
            };
            key.decrypt(padding, wrapped).ok()
        }
        let unwrapped = match self.digest {
            Hash::Sha1 => with_mgf::<Sha1>(self, key, wrapped),
            Hash::Sha256 => with_mgf::<Sha256>(self, key, wrapped),
            Hash::Sha384 => with_mgf::<Sha384>(self, key, wrapped),
            Hash::Sha512 => with_mgf::<Sha512>(self, key, wrapped),
        };
        unwrapped.map(Zeroizing::new)
    }
}

fn optional<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| is(n, ns, name))
}

fn base64(node: Node<'_, '_>) -> Result<Vec<u8>, SamlError> {
    let text: String = node
        .children()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    STANDARD
        .decode(text)
        .map_err(|_| SamlError::Malformed(format!("{} is not base64", node.tag_name().name())))
}

/// The bytes of `CipherData/CipherValue` (a `CipherReference` is refused: nothing is fetched).
fn cipher_value(node: Node<'_, '_>) -> Result<Vec<u8>, SamlError> {
    let data = one(node, XENC_NS, "CipherData")?;
    base64(one(data, XENC_NS, "CipherValue")?)
}

/// The `EncryptionMethod` of `node` and its `Algorithm`.
fn algorithm<'a, 'i>(node: Node<'a, 'i>) -> Result<(Node<'a, 'i>, &'a str), SamlError> {
    let method = one(node, XENC_NS, "EncryptionMethod")?;
    let uri = method
        .attribute("Algorithm")
        .ok_or_else(|| SamlError::Malformed("EncryptionMethod without Algorithm".to_owned()))?;
    Ok((method, uri))
}

/// The key transport of an `EncryptedKey`.
fn transport(encrypted_key: Node<'_, '_>) -> Result<Transport, SamlError> {
    let (method, uri) = algorithm(encrypted_key)?;
    let refused = || SamlError::EncryptionAlgorithm(uri.to_owned());
    let digest_uri =
        optional(method, DSIG_NS, "DigestMethod").and_then(|d| d.attribute("Algorithm"));
    let digest = Hash::digest(digest_uri).ok_or_else(refused)?;
    let mgf = match uri {
        RSA_OAEP_MGF1P => Hash::Sha1,
        RSA_OAEP => {
            Hash::mgf(optional(method, XENC11_NS, "MGF").and_then(|m| m.attribute("Algorithm")))
                .ok_or_else(refused)?
        }
        _ => return Err(refused()),
    };
    let label = optional(method, XENC_NS, "OAEPparams")
        .map(base64)
        .transpose()?
        .filter(|l| !l.is_empty());
    Ok(Transport { digest, mgf, label })
}

/// The `EncryptedKey`s that may wrap the key of `data`: inside its `KeyInfo`, referenced from it
/// by a `RetrievalMethod`, or beside it in the `EncryptedAssertion` (where SAML puts them).
fn encrypted_keys<'a, 'i>(
    encrypted: Node<'a, 'i>,
    data: Node<'a, 'i>,
) -> Result<Vec<Node<'a, 'i>>, SamlError> {
    let mut keys = Vec::new();
    if let Some(info) = optional(data, DSIG_NS, "KeyInfo") {
        for child in info.children().filter(Node::is_element) {
            if is(&child, XENC_NS, "EncryptedKey") {
                keys.push(child);
            } else if is(&child, DSIG_NS, "RetrievalMethod") {
                if child
                    .attribute("Type")
                    .is_some_and(|t| t != ENCRYPTED_KEY_TYPE)
                {
                    continue;
                }
                let id = child
                    .attribute("URI")
                    .and_then(|u| u.strip_prefix('#'))
                    .ok_or_else(|| SamlError::Malformed("RetrievalMethod URI".to_owned()))?;
                let target = encrypted
                    .descendants()
                    .find(|n| is(n, XENC_NS, "EncryptedKey") && n.attribute("Id") == Some(id))
                    .ok_or_else(|| SamlError::Malformed("RetrievalMethod target".to_owned()))?;
                keys.push(target);
            }
        }
    }
    for sibling in encrypted
        .children()
        .filter(|n| is(n, XENC_NS, "EncryptedKey"))
    {
        if !keys.contains(&sibling) {
            keys.push(sibling);
        }
    }
    if keys.is_empty() {
        return Err(SamlError::Malformed("no EncryptedKey".to_owned()));
    }
    if keys.len() > MAX_ENCRYPTED_KEYS {
        return Err(SamlError::Malformed(
            "too many EncryptedKey elements".to_owned(),
        ));
    }
    Ok(keys)
}

/// A provider's private key from its PEM text (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE
/// KEY`; the base64 body is read whatever its line lengths); `None` when it is not an RSA key
/// (the key is then simply never the one that decrypts).
fn private_key(pem: &SecretString) -> Option<PrivateKey> {
    let text = pem.expose().trim();
    let (label, rest) = text.strip_prefix("-----BEGIN ")?.split_once("-----")?;
    let body = rest
        .trim_end()
        .strip_suffix(&format!("-----END {label}-----"))?;
    let compact: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_whitespace()).collect());
    let der = Zeroizing::new(STANDARD.decode(compact.as_bytes()).ok()?);
    match label {
        "PRIVATE KEY" => PrivateKey::from_pkcs8_der(&der).ok(),
        "RSA PRIVATE KEY" => PrivateKey::from_pkcs1_der(&der).ok(),
        _ => None,
    }
}

/// The plaintext of `encrypted` (a `saml:EncryptedAssertion`) with one of `keys` (PEM texts),
/// checked to be exactly one `saml:Assertion` in the namespaces in scope where it sat.
///
/// # Errors
/// [`SamlError::NoDecryptionKey`] when `keys` is empty; [`SamlError::Malformed`] for a structure
/// that is not XML Encryption; [`SamlError::EncryptionAlgorithm`] for an algorithm not accepted;
/// [`SamlError::Undecryptable`] when no key unwraps the content key. What the content key
/// makes of the data is the [`Decrypted`] answer: the caller words a failure (an unreadable CBC
/// ciphertext that no signature covered must not be told apart from a bad signature).
pub fn decrypt_assertion(
    encrypted: Node<'_, '_>,
    keys: &[SecretString],
) -> Result<Decrypted, SamlError> {
    if keys.is_empty() {
        return Err(SamlError::NoDecryptionKey);
    }
    let data = one(encrypted, XENC_NS, "EncryptedData")?;
    if data.attribute("Type").is_some_and(|t| t != ELEMENT_TYPE) {
        return Err(SamlError::Malformed(
            "EncryptedData is not an element".to_owned(),
        ));
    }
    let (_, uri) = algorithm(data)?;
    let content =
        Content::from_uri(uri).ok_or_else(|| SamlError::EncryptionAlgorithm(uri.to_owned()))?;
    let ciphertext = cipher_value(data)?;
    // An EncryptedKey with a refused algorithm is skipped (another may be for us); if none is
    // usable, the first refusal is the answer.
    let mut refusal = None;
    let mut wrapped = Vec::new();
    for key in encrypted_keys(encrypted, data)? {
        match transport(key) {
            Ok(transport) => wrapped.push((transport, cipher_value(key)?)),
            Err(error) => {
                refusal.get_or_insert(error);
            }
        }
    }
    if let (true, Some(error)) = (wrapped.is_empty(), refusal) {
        return Err(error);
    }
    for key in keys.iter().filter_map(private_key) {
        for (transport, cipher) in &wrapped {
            let Some(content_key) = transport.unwrap(&key, cipher) else {
                continue;
            };
            if content_key.len() != content.key_len() {
                continue;
            }
            // RSA-OAEP took the key: this is the content key, and what follows is final.
            let text = content
                .decrypt(&content_key, &ciphertext)
                .and_then(|plaintext| String::from_utf8(plaintext).ok())
                .filter(|text| one_assertion(encrypted, text));
            return Ok(match text {
                Some(text) => Decrypted::Assertion(text),
                None => Decrypted::Unreadable(content.authenticated()),
            });
        }
    }
    Err(SamlError::Undecryptable)
}

/// What the content key made of the `EncryptedData`.
#[derive(Debug)]
pub enum Decrypted {
    /// One assertion (its XML text).
    Assertion(String),
    /// Not one assertion: the ciphertext was changed, or never was one. `true` when the content
    /// algorithm authenticates the ciphertext (GCM): then nothing was learnt from the attempt.
    Unreadable(bool),
}

/// Whether `text`, read where `encrypted` sat (with the namespace declarations in scope there),
/// is one `saml:Assertion` and nothing else but white space.
fn one_assertion(encrypted: Node<'_, '_>, text: &str) -> bool {
    use std::fmt::Write as _;
    let mut wrapper = String::from("<w");
    for ns in encrypted.namespaces().filter(|ns| ns.name() != Some("xml")) {
        let uri = ns
            .uri()
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;");
        let _ = match ns.name() {
            Some(prefix) => write!(wrapper, " xmlns:{prefix}=\"{uri}\""),
            None => write!(wrapper, " xmlns=\"{uri}\""),
        };
    }
    wrapper.push('>');
    wrapper.push_str(text);
    wrapper.push_str("</w>");
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: 100_000,
        ..ParsingOptions::default()
    };
    let Ok(document) = Document::parse_with_options(&wrapper, options) else {
        return false;
    };
    let mut elements = 0;
    for child in document.root_element().children() {
        if is(&child, ASSERTION_NS, "Assertion") {
            elements += 1;
        } else if !(child.is_text() && child.text().is_some_and(|t| t.trim().is_empty())) {
            return false;
        }
    }
    elements == 1
}
