//! The trailing checksums of `aws-chunked` bodies (`x-amz-checksum-*`), computed as the data
//! goes by.

use base64::Engine as _;
use sha1::Digest as _;

use crate::crypto::Sha256Stream;

/// A CRC-32 lookup table for the reflected polynomial `poly`.
const fn crc_table(poly: u32) -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        // Lossless: `i` is below 256.
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { (c >> 1) ^ poly } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// CRC-32 (ISO-HDLC, as zlib), reflected polynomial.
const CRC32: [u32; 256] = crc_table(0xEDB8_8320);
/// CRC-32C (Castagnoli), reflected polynomial.
const CRC32C: [u32; 256] = crc_table(0x82F6_3B78);

fn crc_update(table: &[u32; 256], crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in data {
        // The index is the low byte: the cast truncates on purpose.
        c = table[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// One running checksum.
#[derive(Clone)]
pub(crate) enum Checksum {
    Crc32(u32),
    Crc32c(u32),
    Sha1(sha1::Sha1),
    Sha256(Box<Sha256Stream>),
}

impl std::fmt::Debug for Checksum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Checksum {
    /// The checksum a trailer header names (`x-amz-checksum-crc32`, any case), if supported.
    pub(crate) fn for_trailer(name: &str) -> Option<Self> {
        let algorithm = name.to_ascii_lowercase();
        Some(match algorithm.strip_prefix("x-amz-checksum-")? {
            "crc32" => Self::Crc32(0),
            "crc32c" => Self::Crc32c(0),
            "sha1" => Self::Sha1(sha1::Sha1::new()),
            "sha256" => Self::Sha256(Box::new(Sha256Stream::new())),
            _ => return None,
        })
    }

    /// The algorithm's name as S3 writes it in messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::Crc32(_) => "CRC32",
            Self::Crc32c(_) => "CRC32C",
            Self::Sha1(_) => "SHA1",
            Self::Sha256(_) => "SHA256",
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Crc32(c) => *c = crc_update(&CRC32, *c, data),
            Self::Crc32c(c) => *c = crc_update(&CRC32C, *c, data),
            Self::Sha1(h) => h.update(data),
            Self::Sha256(h) => h.update(data),
        }
    }

    /// The checksum's value in base64, as the trailer carries it.
    pub(crate) fn finish_base64(&mut self) -> String {
        let digest: Vec<u8> = match self {
            Self::Crc32(c) | Self::Crc32c(c) => c.to_be_bytes().to_vec(),
            Self::Sha1(h) => h.clone().finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
        };
        base64::engine::general_purpose::STANDARD.encode(digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(name: &str, data: &[u8]) -> String {
        let mut c = Checksum::for_trailer(name).unwrap();
        // In two pieces: the state carries over.
        let (a, b) = data.split_at(data.len() / 2);
        c.update(a);
        c.update(b);
        c.finish_base64()
    }

    #[test]
    fn check_values() {
        // The catalogue's check values: CRC of "123456789".
        let engine = base64::engine::general_purpose::STANDARD;
        assert_eq!(
            b64("x-amz-checksum-crc32", b"123456789"),
            engine.encode(0xCBF4_3926u32.to_be_bytes())
        );
        assert_eq!(
            b64("X-Amz-Checksum-CRC32C", b"123456789"),
            engine.encode(0xE306_9283u32.to_be_bytes())
        );
        assert_eq!(
            b64("x-amz-checksum-sha1", b"abc"),
            "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        );
        assert_eq!(
            b64("x-amz-checksum-sha256", b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert!(Checksum::for_trailer("x-amz-checksum-md5").is_none());
        assert!(Checksum::for_trailer("content-md5").is_none());
    }
}
