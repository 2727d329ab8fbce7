//! The bootstrap of a new virtual MFA device, as CreateVirtualMFADevice answers it: a fresh seed
//! and the QR code of its `otpauth://` URI (Key Uri Format), which authenticator apps scan.
//!
//! IAM's model documents the QR code as "a QR code PNG image that encodes
//! `otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String`"; the account name
//! is the account's alias, else its id. The PNG is 8-bit grayscale, black modules on white, with
//! the four-module quiet zone the QR standard asks for.

use qrcode::{Color, QrCode};

/// Bytes of a new seed: 160 bits, the HMAC-SHA-1 block-size-friendly length RFC 4226 recommends.
pub const SEED_BYTES: usize = 20;

/// Pixels per QR module.
const SCALE: usize = 6;

/// Modules of white border on each side (the QR standard's quiet zone).
const QUIET_ZONE: usize = 4;

/// Why a bootstrap could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BootstrapError {
    /// The operating system's random source failed.
    #[error("the OS random source failed: {0}")]
    Random(String),
    /// The URI does not fit in a QR code.
    #[error("the otpauth URI does not fit in a QR code: {0}")]
    Qr(String),
    /// The PNG encoder failed.
    #[error("the QR code PNG could not be encoded: {0}")]
    Png(String),
}

/// A fresh random seed from the OS, as base32 text (RFC 4648, no padding): what
/// `Base32StringSeed` carries and what the model stores.
///
/// # Errors
/// [`BootstrapError::Random`] when the OS random source fails.
pub fn new_seed_base32() -> Result<String, BootstrapError> {
    let mut seed = zeroize::Zeroizing::new([0u8; SEED_BYTES]);
    getrandom::fill(seed.as_mut_slice()).map_err(|e| BootstrapError::Random(e.to_string()))?;
    Ok(data_encoding::BASE32_NOPAD.encode(seed.as_slice()))
}

/// Percent-encodes what is not unreserved in a URI (RFC 3986), for the label and parameters.
fn uri_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `otpauth://totp/NAME@ACCOUNT?secret=SEED`, as IAM's model documents it, with the label's
/// parts percent-encoded (`@` between them stays as IAM writes it).
pub fn otpauth_uri(device_name: &str, account_name: &str, seed_base32: &str) -> String {
    format!(
        "otpauth://totp/{}@{}?secret={}",
        uri_escape(device_name),
        uri_escape(account_name),
        uri_escape(seed_base32)
    )
}

/// The QR code of `text` as a PNG image.
///
/// # Errors
/// [`BootstrapError::Qr`] when `text` is too long for a QR code; [`BootstrapError::Png`] when
/// encoding fails.
pub fn qr_png(text: &str) -> Result<Vec<u8>, BootstrapError> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| BootstrapError::Qr(e.to_string()))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * SCALE;
    let mut pixels = vec![0xffu8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * SCALE..(my + 1) * SCALE {
            let row = y * side;
            pixels[row + mx * SCALE..row + (mx + 1) * SCALE].fill(0);
        }
    }
    let side = u32::try_from(side).map_err(|e| BootstrapError::Png(e.to_string()))?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let png_error = |e: png::EncodingError| BootstrapError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_error)?;
    writer.write_image_data(&pixels).map_err(png_error)?;
    writer.finish().map_err(png_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_fresh_160_bit_base32() {
        let a = new_seed_base32().expect("seed");
        let b = new_seed_base32().expect("seed");
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert_eq!(
            crate::mfa::decode_seed_base32(&a).expect("decodes").len(),
            SEED_BYTES
        );
    }

    #[test]
    fn uri_escapes_the_label() {
        assert_eq!(
            otpauth_uri("a b", "my-alias", "ABC"),
            "otpauth://totp/a%20b@my-alias?secret=ABC"
        );
    }

    #[test]
    fn png_has_the_qr_matrix() {
        let uri = otpauth_uri("dev", "222222222222", "JBSWY3DPEHPK3PXP");
        let png = qr_png(&uri).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().expect("header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("frame");
        let code = QrCode::new(uri.as_bytes()).expect("qr");
        let side = (code.width() + 2 * QUIET_ZONE) * SCALE;
        assert_eq!(info.width as usize, side);
        // Every module's centre pixel has the module's colour; the quiet zone is white.
        for (i, c) in code.to_colors().iter().enumerate() {
            let x = (i % code.width() + QUIET_ZONE) * SCALE + SCALE / 2;
            let y = (i / code.width() + QUIET_ZONE) * SCALE + SCALE / 2;
            let dark = buf[y * side + x] == 0;
            assert_eq!(dark, *c == Color::Dark, "module {i}");
        }
        assert!(buf[..side * QUIET_ZONE * SCALE].iter().all(|p| *p == 0xff));
    }
}
