use super::*;

/// RFC 4226 appendix D ("HOTP Algorithm: Test Values"): the secret is the ASCII string
/// "12345678901234567890", the codes have 6 digits; (counter, HOTP value).
const RFC4226_SECRET: &[u8] = b"12345678901234567890";
const RFC4226_APPENDIX_D: [(u64, &str); 10] = [
    (0, "755224"),
    (1, "287082"),
    (2, "359152"),
    (3, "969429"),
    (4, "338314"),
    (5, "254676"),
    (6, "287922"),
    (7, "162583"),
    (8, "399871"),
    (9, "520489"),
];

/// RFC 6238 appendix B ("Test Vectors"): step 30 s, T0 = 0, 8 digits. The seeds are the ASCII
/// strings of the reference implementation in appendix A (20, 32 and 64 bytes for SHA-1,
/// SHA-256 and SHA-512); (Unix time, T in hex, mode, TOTP).
const RFC6238_SEED_SHA1: &[u8] = b"12345678901234567890";
const RFC6238_SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const RFC6238_SEED_SHA512: &[u8] =
    b"1234567890123456789012345678901234567890123456789012345678901234";
#[rustfmt::skip]
const RFC6238_APPENDIX_B: [(u64, &str, OtpAlgorithm, &str); 18] = [
    (59,          "0000000000000001", OtpAlgorithm::Sha1,   "94287082"),
    (59,          "0000000000000001", OtpAlgorithm::Sha256, "46119246"),
    (59,          "0000000000000001", OtpAlgorithm::Sha512, "90693936"),
    (1111111109,  "00000000023523EC", OtpAlgorithm::Sha1,   "07081804"),
    (1111111109,  "00000000023523EC", OtpAlgorithm::Sha256, "68084774"),
    (1111111109,  "00000000023523EC", OtpAlgorithm::Sha512, "25091201"),
    (1111111111,  "00000000023523ED", OtpAlgorithm::Sha1,   "14050471"),
    (1111111111,  "00000000023523ED", OtpAlgorithm::Sha256, "67062674"),
    (1111111111,  "00000000023523ED", OtpAlgorithm::Sha512, "99943326"),
    (1234567890,  "000000000273EF07", OtpAlgorithm::Sha1,   "89005924"),
    (1234567890,  "000000000273EF07", OtpAlgorithm::Sha256, "91819424"),
    (1234567890,  "000000000273EF07", OtpAlgorithm::Sha512, "93441116"),
    (2000000000,  "0000000003F940AA", OtpAlgorithm::Sha1,   "69279037"),
    (2000000000,  "0000000003F940AA", OtpAlgorithm::Sha256, "90698825"),
    (2000000000,  "0000000003F940AA", OtpAlgorithm::Sha512, "38618901"),
    (20000000000, "0000000027BC86AA", OtpAlgorithm::Sha1,   "65353130"),
    (20000000000, "0000000027BC86AA", OtpAlgorithm::Sha256, "77737706"),
    (20000000000, "0000000027BC86AA", OtpAlgorithm::Sha512, "47863826"),
];

#[test]
fn rfc4226_appendix_d_all_rows() {
    for (counter, expected) in RFC4226_APPENDIX_D {
        assert_eq!(
            hotp(OtpAlgorithm::Sha1, RFC4226_SECRET, counter, 6).expect("hotp"),
            expected,
            "counter {counter}"
        );
    }
}

#[test]
fn rfc6238_appendix_b_all_rows() {
    let step = 30;
    for (time, t_hex, algorithm, expected) in RFC6238_APPENDIX_B {
        let seed = match algorithm {
            OtpAlgorithm::Sha1 => RFC6238_SEED_SHA1,
            OtpAlgorithm::Sha256 => RFC6238_SEED_SHA256,
            OtpAlgorithm::Sha512 => RFC6238_SEED_SHA512,
        };
        let params = TotpParams {
            algorithm,
            digits: 8,
            step,
            t0: 0,
        };
        let t = u64::from_str_radix(t_hex, 16).expect("hex");
        assert_eq!(params.time_step(time), t);
        assert_eq!(
            totp(seed, time, &params).expect("totp"),
            expected,
            "{algorithm:?} at {time}"
        );
        // The verifier finds the same code at the same step, with and without drift.
        assert_eq!(verify_totp_with(seed, expected, time, 0, &params), Some(t));
        assert_eq!(
            verify_totp_with(seed, expected, time + step, 1, &params),
            Some(t)
        );
        assert_eq!(
            verify_totp_with(seed, expected, time + 2 * step, 1, &params),
            None
        );
    }
}

#[test]
fn aws_six_digit_codes_verify_within_one_step_of_drift() {
    let seed = decode_seed_base32("JBSWY3DPEHPK3PXP").expect("seed");
    assert_eq!(seed.as_slice(), b"Hello!\xde\xad\xbe\xef");
    let now = 1_700_000_000;
    let step = now / 30;
    let code = totp(&seed, now, &TotpParams::AWS).expect("totp");
    assert_eq!(code.len(), 6);
    assert_eq!(verify_totp(&seed, &code, now, 1), Some(step));
    assert_eq!(verify_totp(&seed, &code, now + 30, 1), Some(step));
    assert_eq!(verify_totp(&seed, &code, now - 30, 1), Some(step));
    assert_eq!(verify_totp(&seed, &code, now + 60, 1), None);
    assert_eq!(verify_totp(&seed, &code, now + 30, 0), None);
    let previous = totp(&seed, now - 30, &TotpParams::AWS).expect("totp");
    assert_eq!(verify_totp(&seed, &previous, now, 1), Some(step - 1));
}

#[test]
fn malformed_codes_are_refused() {
    let seed = b"12345678901234567890";
    let now = 59;
    let good = totp(seed, now, &TotpParams::AWS).expect("totp");
    assert_eq!(verify_totp(seed, &good, now, 0), Some(1));
    assert_eq!(verify_totp(seed, "", now, 1), None);
    assert_eq!(verify_totp(seed, &format!("{good}0"), now, 1), None);
    assert_eq!(verify_totp(seed, &good[..5], now, 1), None);
    assert_eq!(verify_totp(seed, "12a456", now, 1), None);
    assert_eq!(verify_totp(seed, "١٢٣٤٥٦", now, 1), None);
    // Near the epoch the window is clamped at step 0 instead of wrapping around.
    let zero = totp(seed, 0, &TotpParams::AWS).expect("totp");
    assert_eq!(verify_totp(seed, &zero, 0, 1), Some(0));
    // A huge drift is clamped to MAX_DRIFT_STEPS, not looped over.
    assert_eq!(
        verify_totp(seed, &zero, 30 * MAX_DRIFT_STEPS, u64::MAX),
        Some(0)
    );
    assert_eq!(
        verify_totp(seed, &zero, 30 * (MAX_DRIFT_STEPS + 1), u64::MAX),
        None
    );
}

#[test]
fn base32_seeds() {
    assert_eq!(
        decode_seed_base32("jbsw y3dp-ehpk 3pxp")
            .expect("seed")
            .as_slice(),
        b"Hello!\xde\xad\xbe\xef"
    );
    assert_eq!(
        decode_seed_base32("JBSWY3DPEHPK3PXP====")
            .expect("seed")
            .len(),
        10
    );
    assert_eq!(
        decode_seed_base32("JBSWY3DPEHPK3PX1"),
        Err(MfaError::InvalidBase32)
    );
    assert_eq!(decode_seed_base32(""), Err(MfaError::InvalidBase32));
    assert_eq!(
        decode_seed_base32("JBSWY3DPEHPK3PXPA"),
        Err(MfaError::InvalidBase32)
    );
    assert_eq!(
        decode_seed_base32("JBSWY3DP"),
        Err(MfaError::SeedTooShort(5))
    );
    // 40 characters, the length AWS generates for virtual devices.
    let seed = decode_seed_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBV").expect("seed");
    assert_eq!(seed.as_slice(), b"1234567890123456789012345");
}

#[test]
fn unsupported_parameters_are_errors_not_panics() {
    let params = TotpParams {
        digits: 10,
        ..TotpParams::AWS
    };
    assert_eq!(totp(b"k", 0, &params), Err(MfaError::UnsupportedDigits(10)));
    assert_eq!(verify_totp_with(b"k", "0000000000", 0, 1, &params), None);
    let params = TotpParams {
        step: 0,
        ..TotpParams::AWS
    };
    assert_eq!(totp(b"k", 0, &params), Err(MfaError::ZeroStep));
    assert_eq!(
        hotp(OtpAlgorithm::Sha1, b"k", 0, 5),
        Err(MfaError::UnsupportedDigits(5))
    );
    assert_eq!(
        device_serial("222222222222", "alice"),
        "arn:aws:iam::222222222222:mfa/alice"
    );
}
