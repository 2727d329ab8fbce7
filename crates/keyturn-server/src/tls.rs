//! TLS on the listener: rustls with its `ring` provider, a certificate chain and a private key
//! read from PEM files.
//!
//! A TLS connection is served as a plain one once its handshake is done, with the same limits:
//! it takes a connection slot before the handshake, the handshake must end within the header
//! deadline and the time it took counts against the first request head's (see
//! [`crate::server`]'s `HeadTimer`), and a connection over the cap is refused with a `503` sent
//! inside TLS. Requests over TLS carry `aws:SecureTransport` = `true`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, ServerConfig};

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file could not be read or holds nothing of the kind wanted.
    #[error("{}: {what}: {message}", path.display())]
    Pem {
        /// The file.
        path: PathBuf,
        /// What was looked for in it (`a certificate`, `a private key`).
        what: &'static str,
        /// The cause.
        message: String,
    },
    /// rustls refused the pair (the key does not match the certificate, an unsupported key).
    #[error("the certificate and key cannot serve TLS: {0}")]
    Rejected(String),
}

/// A listener's TLS: the server certificate chain and key, ready to accept handshakes.
#[derive(Clone)]
pub struct Tls {
    acceptor: TlsAcceptor,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

impl Tls {
    /// Reads the certificate chain (`cert`: one or more `CERTIFICATE` blocks, the server's
    /// first) and its private key (`key`: PKCS#8, PKCS#1 or SEC1 PEM). TLS 1.2 and 1.3, HTTP/1.1
    /// by ALPN.
    ///
    /// # Errors
    /// [`TlsError::Pem`] for a file missing, unreadable or without the item;
    /// [`TlsError::Rejected`] when the key does not fit the certificate.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let pem_error = |path: &Path, what: &'static str| {
            let path = path.to_path_buf();
            move |e: rustls_pki_types::pem::Error| TlsError::Pem {
                path,
                what,
                message: match e {
                    rustls_pki_types::pem::Error::NoItemsFound => "none found".to_owned(),
                    other => other.to_string(),
                },
            }
        };
        let chain = CertificateDer::pem_file_iter(cert)
            .map_err(pem_error(cert, "a certificate"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(pem_error(cert, "a certificate"))?;
        if chain.is_empty() {
            return Err(pem_error(cert, "a certificate")(
                rustls_pki_types::pem::Error::NoItemsFound,
            ));
        }
        let private = PrivateKeyDer::from_pem_file(key).map_err(pem_error(key, "a private key"))?;
        let provider = Arc::new(ring_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Rejected(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| TlsError::Rejected(e.to_string()))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }

    /// The acceptor that runs handshakes.
    pub(crate) fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }
}

/// rustls's `ring` provider: its key exchanges lack the post-quantum hybrid that the
/// `aws-lc-rs` provider has (hence rustls's deprecation note), which needs cmake and a long C
/// build here (DEPENDENCIES.md); X25519 and the NIST curves remain.
#[allow(
    deprecated,
    reason = "the ring provider is the chosen one; see the doc comment"
)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// Refuses a TLS connection over the cap: completes the handshake, sends `answer` (a whole
/// HTTP response) without reading the request, closes TLS and waits for the client to close,
/// all within `linger`.
pub(crate) async fn refuse(
    acceptor: TlsAcceptor,
    stream: TcpStream,
    answer: &[u8],
    linger: Duration,
) {
    let _ = tokio::time::timeout(linger, async {
        let mut tls = acceptor.accept(stream).await?;
        tls.write_all(answer).await?;
        tls.shutdown().await?;
        let mut sink = [0u8; 4096];
        while tls.read(&mut sink).await? > 0 {}
        Ok::<(), std::io::Error>(())
    })
    .await;
}
