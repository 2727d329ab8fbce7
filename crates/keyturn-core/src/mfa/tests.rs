use super::*;

const OTP_VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/vectors/otp.json"
));

fn vectors() -> serde_json::Value {
    serde_json::from_str(OTP_VECTORS).expect("otp.json parses")
}

#[test]
fn rfc4226_appendix_d_all_rows() {
    let v = vectors();
    let d = &v["rfc4226_appendix_d"];
    let secret = d["secret_ascii"].as_str().expect("secret");
    let digits = d["digits"].as_u64().expect("digits") as u32;
    let rows = d["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 10);
    for row in rows {
        let counter = row["counter"].as_u64().expect("counter");
        let expected = row["hotp"].as_str().expect("hotp");
        assert_eq!(
            hotp(OtpAlgorithm::Sha1, secret.as_bytes(), counter, digits).expect("hotp"),
            expected,
            "counter {counter}"
        );
    }
}

#[test]
fn rfc6238_appendix_b_all_rows() {
    let v = vectors();
    let b = &v["rfc6238_appendix_b"];
    let step = b["step"].as_u64().expect("step");
    let t0 = b["t0"].as_u64().expect("t0");
    let digits = b["digits"].as_u64().expect("digits") as u32;
    let rows = b["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 18);
    for row in rows {
        let time = row["time"].as_u64().expect("time");
        let algorithm = match row["algo"].as_str().expect("algo") {
            "SHA1" => OtpAlgorithm::Sha1,
            "SHA256" => OtpAlgorithm::Sha256,
            "SHA512" => OtpAlgorithm::Sha512,
            other => panic!("unknown algorithm {other}"),
        };
        let seed = row["seed_ascii"].as_str().expect("seed").as_bytes();
        let expected = row["totp8"].as_str().expect("totp8");
        let params = TotpParams {
            algorithm,
            digits,
            step,
            t0,
        };
        let t_hex = u64::from_str_radix(row["T_hex"].as_str().expect("T"), 16).expect("hex");
        assert_eq!(params.time_step(time), t_hex);
        assert_eq!(
            totp(seed, time, &params).expect("totp"),
            expected,
            "{algorithm:?} at {time}"
        );
        // The verifier finds the same code at the same step, with and without drift.
        assert_eq!(
            verify_totp_with(seed, expected, time, 0, &params),
            Some(t_hex)
        );
        assert_eq!(
            verify_totp_with(seed, expected, time + step, 1, &params),
            Some(t_hex)
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
