//! `aws-chunked` request bodies (S3's chunked uploads), verified incrementally.
//!
//! A request whose `X-Amz-Content-Sha256` is one of the [`StreamingPayload`] values signs its
//! headers with that literal in place of the body's hash (the *seed* signature); the body is a
//! series of chunks, `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n`, ending with a chunk of
//! size 0, then (trailer forms) trailing headers and an empty line. In the signed forms each
//! chunk's signature chains the previous one:
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD \n <amz date> \n <scope> \n <previous signature> \n
//! <hex SHA-256 of ""> \n <hex SHA-256 of the chunk's data>
//! ```
//!
//! and the trailer's (`x-amz-trailer-signature`) is over `AWS4-HMAC-SHA256-TRAILER`, the same
//! date, scope and previous signature, and the hex SHA-256 of the trailing headers as
//! `name:value\n` lines. The checksum that `X-Amz-Trailer` announces (`x-amz-checksum-crc32`,
//! `-crc32c`, `-sha1`, `-sha256`) is computed over the data and compared with the trailer's.
//!
//! SigV4a requests (`STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]`) chain the same way
//! with `AWS4-ECDSA-P256-SHA256-PAYLOAD` / `-TRAILER` heads and the scope
//! `date/service/aws4_request`; each signature is a DER ECDSA P-256 signature in hex (padded
//! with `*` to 144 characters by AWS's SDKs), checked with the public key derived from the
//! secret, and the previous signature enters the next string to sign without its padding. The
//! algorithm is chosen once, when the body's verifier is built ([`ChunkSigning`]).
//!
//! [`ChunkedBody`] takes the body in pieces of any size as they arrive, hands the decoded data
//! on, and holds only the current line (at most [`MAX_LINE`] bytes) and running hashes: constant
//! memory whatever the body's size. [`crate::Verifier::verify`] returns one in
//! [`crate::Verified::chunked`] for a request that declares a chunked payload (when its
//! configuration allows them), ready with the seed signature and the signing key.

mod checksum;
mod signer;

use thiserror::Error;

use crate::canonical::split_once_byte;
use crate::crypto::{Sha256Stream, SigningKey};
use crate::error::SIGNATURE_MISMATCH_MESSAGE;
use checksum::Checksum;
pub use signer::ChunkSigning;
use signer::{ChunkSigner, Sig};

/// The longest chunk-size line or trailing header accepted.
pub const MAX_LINE: usize = 4096;
/// The most trailing headers accepted.
const MAX_TRAILERS: usize = 16;

/// The `X-Amz-Content-Sha256` values of chunked payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamingPayload {
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: every chunk signed.
    SignedChunks,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: every chunk and the trailer signed.
    SignedChunksWithTrailer,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: chunks unsigned, a trailing checksum.
    UnsignedWithTrailer,
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD`: every chunk signed with SigV4a.
    SignedChunksV4a,
    /// `STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER`: every chunk and the trailer signed
    /// with SigV4a.
    SignedChunksWithTrailerV4a,
}

impl StreamingPayload {
    /// The header value.
    #[must_use]
    pub const fn literal(self) -> &'static str {
        match self {
            Self::SignedChunks => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            Self::SignedChunksWithTrailer => "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
            Self::UnsignedWithTrailer => "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            Self::SignedChunksV4a => "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
            Self::SignedChunksWithTrailerV4a => "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
        }
    }

    /// The payload a header value names, if it is one of these.
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        [
            Self::SignedChunks,
            Self::SignedChunksWithTrailer,
            Self::UnsignedWithTrailer,
            Self::SignedChunksV4a,
            Self::SignedChunksWithTrailerV4a,
        ]
        .into_iter()
        .find(|p| p.literal() == value)
    }

    /// Whether every chunk carries a signature.
    #[must_use]
    pub const fn signed(self) -> bool {
        !matches!(self, Self::UnsignedWithTrailer)
    }

    /// Whether the body ends with trailing headers (a checksum).
    #[must_use]
    pub const fn has_trailer(self) -> bool {
        !matches!(self, Self::SignedChunks | Self::SignedChunksV4a)
    }

    /// Whether the chunks are signed with SigV4a (`AWS4-ECDSA-P256-SHA256`).
    #[must_use]
    pub const fn is_v4a(self) -> bool {
        matches!(
            self,
            Self::SignedChunksV4a | Self::SignedChunksWithTrailerV4a
        )
    }
}

/// Why a chunked body was refused. `Display` is the wire message; [`ChunkError::code`] the
/// AWS error code (S3's).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ChunkError {
    /// A chunk's or the trailer's signature is not the one computed.
    #[error("{}", SIGNATURE_MISMATCH_MESSAGE)]
    SignatureMismatch,
    /// The body ended before its final chunk, or its decoded length is not
    /// `X-Amz-Decoded-Content-Length`.
    #[error("The request body terminated unexpectedly")]
    IncompleteBody,
    /// The chunk framing is broken (a size line, a missing CRLF, data after the end).
    #[error("{0}")]
    Malformed(&'static str),
    /// The trailing checksum differs from the data's.
    #[error("The {0} you specified did not match the calculated checksum.")]
    ChecksumMismatch(&'static str),
    /// The checksum announced in `X-Amz-Trailer` is missing from the trailer, or not supported.
    #[error("{0}")]
    MissingChecksum(String),
}

impl ChunkError {
    /// The AWS error code for this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::SignatureMismatch => "SignatureDoesNotMatch",
            Self::IncompleteBody => "IncompleteBody",
            Self::Malformed(_) | Self::MissingChecksum(_) => "InvalidRequest",
            Self::ChecksumMismatch(_) => "BadDigest",
        }
    }

    /// The HTTP status AWS uses with [`ChunkError::code`].
    #[must_use]
    pub fn http_status(&self) -> u16 {
        match self {
            Self::SignatureMismatch => 403,
            _ => 400,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Reading a chunk-size line.
    Size,
    /// Reading chunk data; this many bytes left.
    Data(u64),
    /// Expecting the CR, then the LF, after chunk data.
    DataCr,
    DataLf,
    /// Reading trailing headers, up to the empty line.
    Trailer,
    /// Past the final empty line.
    Done,
}

/// An `aws-chunked` body being verified as it arrives (see the module documentation).
#[derive(Clone)]
pub struct ChunkedBody {
    payload: StreamingPayload,
    signer: Option<ChunkSigner>,
    state: State,
    line: Vec<u8>,
    chunk_signature: Sig,
    chunk_hash: Sha256Stream,
    decoded: u64,
    decoded_length: Option<u64>,
    /// The announced trailer's name (lowercase) and its running checksum.
    checksum: Option<(String, Checksum)>,
    trailers: Vec<(String, String)>,
    trailer_signature: Option<Sig>,
}

impl std::fmt::Debug for ChunkedBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The signer's key stays out (its own `Debug` is `***` anyway).
        f.debug_struct("ChunkedBody")
            .field("payload", &self.payload)
            .field("state", &self.state)
            .field("decoded", &self.decoded)
            .finish_non_exhaustive()
    }
}

impl ChunkedBody {
    /// A body of `payload` with unsigned chunks, or (`signer`: SigV4 signing key, `X-Amz-Date`,
    /// scope `date/region/service/aws4_request`, seed signature) signed ones; `trailer` is
    /// `X-Amz-Trailer`, `decoded_length` `X-Amz-Decoded-Content-Length`.
    ///
    /// # Errors
    /// As [`Self::with_signing`].
    pub fn new(
        payload: StreamingPayload,
        signer: Option<(SigningKey, &str, &str, [u8; 32])>,
        trailer: Option<&str>,
        decoded_length: Option<u64>,
    ) -> Result<Self, ChunkError> {
        let signer =
            signer.map(|(key, date, scope, seed)| (ChunkSigning::Hmac { key, seed }, date, scope));
        Self::with_signing(payload, signer, trailer, decoded_length)
    }

    /// A body of `payload` with unsigned chunks, or signed ones checked with `signer`: the key
    /// and seed signature of either algorithm ([`ChunkSigning`]), `X-Amz-Date` and the
    /// credential scope without its access key id (SigV4 `date/region/service/aws4_request`,
    /// SigV4a `date/service/aws4_request`); `trailer` is `X-Amz-Trailer`, `decoded_length`
    /// `X-Amz-Decoded-Content-Length`.
    ///
    /// # Errors
    /// [`ChunkError::MissingChecksum`] when a trailer form announces no supported checksum;
    /// [`ChunkError::Malformed`] when a signed form comes without its signer, or with a signer
    /// of the other algorithm.
    pub fn with_signing(
        payload: StreamingPayload,
        signer: Option<(ChunkSigning<'_>, &str, &str)>,
        trailer: Option<&str>,
        decoded_length: Option<u64>,
    ) -> Result<Self, ChunkError> {
        let checksum = match trailer.map(str::trim) {
            Some(name) if payload.has_trailer() => {
                let c = Checksum::for_trailer(name).ok_or_else(|| {
                    ChunkError::MissingChecksum(format!("Unsupported trailer: '{name}'"))
                })?;
                Some((name.to_ascii_lowercase(), c))
            }
            _ if payload.has_trailer() => {
                return Err(ChunkError::MissingChecksum(
                    "x-amz-trailer is required for a trailing checksum".to_owned(),
                ));
            }
            _ => None,
        };
        let signer = match (payload.signed(), signer) {
            (true, Some((signing, amz_date, scope))) => {
                let s = ChunkSigner::new(signing, amz_date, scope)
                    .ok_or(ChunkError::SignatureMismatch)?;
                if s.is_ecdsa() != payload.is_v4a() {
                    return Err(ChunkError::Malformed(if payload.is_v4a() {
                        "STREAMING-AWS4-ECDSA-P256-SHA256 payloads need the AWS4-ECDSA-P256-SHA256 algorithm"
                    } else {
                        "STREAMING-AWS4-HMAC-SHA256 payloads need the AWS4-HMAC-SHA256 algorithm"
                    }));
                }
                Some(s)
            }
            (true, None) => return Err(ChunkError::Malformed("signed chunks need a signer")),
            (false, _) => None,
        };
        Ok(Self {
            payload,
            signer,
            state: State::Size,
            line: Vec::new(),
            chunk_signature: Sig::EMPTY,
            chunk_hash: Sha256Stream::new(),
            decoded: 0,
            decoded_length,
            checksum,
            trailers: Vec::new(),
            trailer_signature: None,
        })
    }

    /// The payload form.
    #[must_use]
    pub fn payload(&self) -> StreamingPayload {
        self.payload
    }

    /// Bytes of decoded data so far.
    #[must_use]
    pub fn decoded_len(&self) -> u64 {
        self.decoded
    }

    /// Feeds the next piece of the body; decoded data goes to `out` (in pieces) as soon as it
    /// is read, before its chunk's signature is checked: a consumer keeps it provisional until
    /// [`Self::finish`] succeeds.
    ///
    /// # Errors
    /// The first [`ChunkError`] met; the body is refused from then on.
    pub fn feed(&mut self, mut input: &[u8], out: &mut dyn FnMut(&[u8])) -> Result<(), ChunkError> {
        while !input.is_empty() {
            match self.state {
                State::Size | State::Trailer => {
                    let Some(line) = self.take_line(&mut input)? else {
                        return Ok(());
                    };
                    if self.state == State::Size {
                        self.size_line(&line)?;
                    } else {
                        self.trailer_line(&line)?;
                    }
                }
                State::Data(left) => {
                    // `left` bounds the slice index, so the cast cannot truncate what is used.
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    let (data, rest) = input.split_at(n);
                    if self.signer.is_some() {
                        self.chunk_hash.update(data);
                    }
                    if let Some((_, c)) = &mut self.checksum {
                        c.update(data);
                    }
                    self.decoded += n as u64;
                    if self.decoded_length.is_some_and(|len| self.decoded > len) {
                        return Err(ChunkError::Malformed(
                            "more data than x-amz-decoded-content-length",
                        ));
                    }
                    out(data);
                    input = rest;
                    self.state = if left == n as u64 {
                        State::DataCr
                    } else {
                        State::Data(left - n as u64)
                    };
                }
                State::DataCr | State::DataLf => {
                    let want = if self.state == State::DataCr {
                        b'\r'
                    } else {
                        b'\n'
                    };
                    if input[0] != want {
                        return Err(ChunkError::Malformed("chunk data must end with CRLF"));
                    }
                    input = &input[1..];
                    if self.state == State::DataCr {
                        self.state = State::DataLf;
                    } else {
                        self.end_chunk()?;
                        self.state = State::Size;
                    }
                }
                State::Done => {
                    return Err(ChunkError::Malformed("data after the final chunk"));
                }
            }
        }
        Ok(())
    }

    /// Moves bytes up to and including the next LF into the line buffer; the line without its
    /// CRLF once complete.
    fn take_line(&mut self, input: &mut &[u8]) -> Result<Option<Vec<u8>>, ChunkError> {
        let (part, complete) = match input.iter().position(|&b| b == b'\n') {
            Some(i) => (&input[..=i], true),
            None => (*input, false),
        };
        if self.line.len() + part.len() > MAX_LINE {
            return Err(ChunkError::Malformed(
                "chunk header or trailer line too long",
            ));
        }
        self.line.extend_from_slice(part);
        *input = &input[part.len()..];
        if !complete {
            return Ok(None);
        }
        let mut line = std::mem::take(&mut self.line);
        line.pop();
        if line.pop() != Some(b'\r') {
            return Err(ChunkError::Malformed("chunk lines must end with CRLF"));
        }
        Ok(Some(line))
    }

    fn size_line(&mut self, line: &[u8]) -> Result<(), ChunkError> {
        let text =
            std::str::from_utf8(line).map_err(|_| ChunkError::Malformed("invalid chunk size"))?;
        let (size, ext) = match split_once_byte(text, b';') {
            Some((s, e)) => (s, Some(e)),
            None => (text, None),
        };
        if size.is_empty() || size.len() > 16 || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ChunkError::Malformed("invalid chunk size"));
        }
        let size = u64::from_str_radix(size, 16)
            .map_err(|_| ChunkError::Malformed("invalid chunk size"))?;
        match (&self.signer, ext) {
            (Some(signer), Some(ext)) => {
                let sig = ext
                    .strip_prefix("chunk-signature=")
                    .and_then(|s| signer.parse(s.as_bytes()))
                    .ok_or(ChunkError::SignatureMismatch)?;
                self.chunk_signature = sig;
            }
            (Some(_), None) => return Err(ChunkError::SignatureMismatch),
            (None, Some(_)) => return Err(ChunkError::Malformed("unexpected chunk extension")),
            (None, None) => {}
        }
        self.chunk_hash = Sha256Stream::new();
        if size == 0 {
            // The final chunk: checked now (it has no data), then the trailer or the end.
            self.end_chunk()?;
            self.state = State::Trailer;
        } else {
            self.state = State::Data(size);
        }
        Ok(())
    }

    /// Checks the chunk just read against its signature, and chains it.
    fn end_chunk(&mut self) -> Result<(), ChunkError> {
        let Some(signer) = &mut self.signer else {
            return Ok(());
        };
        let data_hash = crate::crypto::hex32(&self.chunk_hash.finalize());
        if !signer.check_chunk(&data_hash, &self.chunk_signature) {
            return Err(ChunkError::SignatureMismatch);
        }
        Ok(())
    }

    fn trailer_line(&mut self, line: &[u8]) -> Result<(), ChunkError> {
        if line.is_empty() {
            self.state = State::Done;
            return Ok(());
        }
        let text =
            std::str::from_utf8(line).map_err(|_| ChunkError::Malformed("invalid trailer"))?;
        let (name, value) =
            split_once_byte(text, b':').ok_or(ChunkError::Malformed("invalid trailer"))?;
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        if !self.payload.has_trailer() {
            return Err(ChunkError::Malformed("no trailer was announced"));
        }
        if name == "x-amz-trailer-signature"
            && let Some(signer) = &self.signer
        {
            let sig = signer
                .parse(value.as_bytes())
                .ok_or(ChunkError::SignatureMismatch)?;
            self.trailer_signature = Some(sig);
            return Ok(());
        }
        if self.trailers.len() >= MAX_TRAILERS {
            return Err(ChunkError::Malformed("too many trailers"));
        }
        self.trailers.push((name, value.to_owned()));
        Ok(())
    }

    /// Completes the body: the final chunk and the end were read, the decoded length is the
    /// announced one, the trailer's signature (signed trailer) and checksum match.
    ///
    /// # Errors
    /// The first [`ChunkError`] met.
    pub fn finish(mut self) -> Result<Vec<(String, String)>, ChunkError> {
        if self.state != State::Done {
            return Err(ChunkError::IncompleteBody);
        }
        if self.decoded_length.is_some_and(|n| n != self.decoded) {
            return Err(ChunkError::IncompleteBody);
        }
        if let Some(signer) = &mut self.signer
            && self.payload.has_trailer()
        {
            let mut block = Sha256Stream::<2>::new_buffered();
            for (name, value) in &self.trailers {
                for piece in [name.as_bytes(), b":", value.as_bytes(), b"\n"] {
                    block.update(piece);
                }
            }
            let block = crate::crypto::hex32(&block.finalize());
            match &self.trailer_signature {
                Some(sig) if signer.check_trailer(&block, sig) => {}
                _ => return Err(ChunkError::SignatureMismatch),
            }
        }
        if let Some((name, checksum)) = &mut self.checksum {
            let sent = self
                .trailers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| {
                    ChunkError::MissingChecksum(format!("The trailer {name} is missing"))
                })?;
            if checksum.finish_base64() != sent {
                return Err(ChunkError::ChecksumMismatch(checksum.name()));
            }
        }
        Ok(self.trailers)
    }
}
