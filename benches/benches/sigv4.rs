//! SigV4 verification of a typical STS POST, beside its floor (the hashes it cannot avoid)
//! and AWS's own Rust signer (`aws-sigv4`, behind the `baseline-aws` feature); and SigV4a
//! verification of the same POST (group `sigv4a`), with its public key cached and derived
//! per request, beside its parts (key derivation, ECDSA verification alone).
//!
//! `cargo bench -p keyturn-benches --features baseline-aws --bench sigv4`
//!
//! For noise-free comparisons, `SIGV4_COUNT=<bench>:<n>` runs one of `cached`, `cold`,
//! `floor_cached`, `v4a_cached` or `v4a_uncached` `n` times without criterion; `perf stat -e instructions` on two values of
//! `n` gives the instructions per verification. Where there are no hardware counters (VMs),
//! `valgrind --tool=callgrind` on two values of `n` does, per function; valgrind makes `sha2`
//! fall back to its software compression, so count the functions outside it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs,
    reason = "bench set-up"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use keyturn_sigv4::crypto::{hmac, sha256};
use keyturn_sigv4::{
    AmzDate, CredentialLookup, Credentials, HttpRequest, SignatureAlgorithm, SigningKey,
    SigningKeyCache, SigningOutput, SigningParams, SigningSecret, V4aVerifyingKey, Verifier,
    VerifierConfig, sign,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const BODY: &[u8] = b"Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &[u8] = b"application/x-www-form-urlencoded; charset=utf-8";
const HOST: &[u8] = b"sts.us-east-1.amazonaws.com";
const UNIX: i64 = 1_440_938_160; // 20150830T123600Z

struct OneKey(SigningSecret);

impl CredentialLookup for OneKey {
    type Error = ();
    type Identity = ();
    fn lookup(&self, access_key_id: &str, _: Option<&str>) -> Result<(SigningSecret, ()), ()> {
        if access_key_id == AKID {
            Ok((self.0.clone(), ()))
        } else {
            Err(())
        }
    }
}

const UNSIGNED_HEADERS: [(&str, &[u8]); 2] = [("Content-Type", CONTENT_TYPE), ("Host", HOST)];

/// The STS POST before signing.
fn unsigned() -> HttpRequest<'static> {
    HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &UNSIGNED_HEADERS,
        body: BODY,
    }
}

/// The STS POST signed with `algorithm`: its headers (owned) and the signer's output.
fn signed_post(algorithm: SignatureAlgorithm) -> (Vec<(&'static str, Vec<u8>)>, SigningOutput) {
    let creds = Credentials::new(AKID, SECRET);
    let mut params = SigningParams::new(&creds, "us-east-1", "sts", AmzDate::from_unix(UNIX));
    params.algorithm = algorithm;
    let out = sign(&unsigned(), &params).unwrap();
    let mut owned: Vec<(&str, Vec<u8>)> = UNSIGNED_HEADERS
        .iter()
        .map(|(n, v)| (*n, v.to_vec()))
        .collect();
    owned.extend(
        out.headers
            .iter()
            .map(|(n, v)| (*n, v.clone().into_bytes())),
    );
    (owned, out)
}

fn bench(c: &mut Criterion) {
    let at = AmzDate::from_unix(UNIX);
    let now = at.to_offset_date_time().unwrap();
    let creds = Credentials::new(AKID, SECRET);
    let unsigned = unsigned();
    let params = SigningParams::new(&creds, "us-east-1", "sts", at);
    let (owned, out) = signed_post(SignatureAlgorithm::HmacSha256);
    let headers: Vec<(&str, &[u8])> = owned.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    let signed = HttpRequest {
        headers: &headers,
        ..unsigned
    };
    let lookup = OneKey(SigningSecret::new(SECRET));

    let config = VerifierConfig::new("sts").with_region("us-east-1");
    let cached = Verifier::with_cache(config.clone(), SigningKeyCache::new(1024));
    let cold = Verifier::new(config);
    assert!(cached.verify(&signed, &lookup, now).is_ok());
    assert!(cold.verify(&signed, &lookup, now).is_ok());

    if let Some((which, n)) = count_spec() {
        if which.starts_with("v4a_") {
            // Counted in `bench_v4a`.
            return;
        }
        let key = SigningKey::derive(&SigningSecret::new(SECRET), "20150830", "us-east-1", "sts");
        let mut ok = 0u64;
        for _ in 0..n {
            ok += u64::from(match which.as_str() {
                "cached" => cached.verify(black_box(&signed), &lookup, now).is_ok(),
                "cold" => cold.verify(black_box(&signed), &lookup, now).is_ok(),
                "floor_cached" => {
                    let _ = sha256(black_box(BODY));
                    let _ = sha256(black_box(out.canonical_request.as_bytes()));
                    key.sign(black_box(out.string_to_sign.as_bytes()))[0] < 255
                }
                _ => {
                    eprintln!(
                        "unknown bench {which}: cached, cold, floor_cached, v4a_cached or v4a_uncached"
                    );
                    std::process::exit(2)
                }
            });
        }
        println!("{which}: {ok}/{n} ok");
        std::process::exit(0);
    }

    let mut g = c.benchmark_group("sigv4");
    g.bench_function("keyturn_verify_cached_key", |b| {
        b.iter(|| cached.verify(black_box(&signed), &lookup, now).is_ok())
    });
    g.bench_function("keyturn_verify_cold", |b| {
        b.iter(|| cold.verify(black_box(&signed), &lookup, now).is_ok())
    });
    g.bench_function("keyturn_sign", |b| {
        b.iter(|| sign(black_box(&unsigned), &params).map(|o| o.signature.len()))
    });

    // The floor: what any verifier must compute. Body hash, canonical-request hash,
    // string-to-sign HMAC under a ready key state; "cold" adds the four derivation HMACs.
    let creq = out.canonical_request.clone();
    let sts = out.string_to_sign.clone();
    let key = SigningKey::derive(&SigningSecret::new(SECRET), "20150830", "us-east-1", "sts");
    g.bench_function("floor_sha256_64B", |b| {
        b.iter(|| sha256(black_box(&[7u8; 64])))
    });
    g.bench_function("floor_hmac_64B", |b| {
        b.iter(|| hmac(black_box(b"k"), black_box(&[7u8; 64])))
    });
    g.bench_function("floor_verify_cached_key", |b| {
        b.iter(|| {
            let _ = sha256(black_box(BODY));
            let _ = sha256(black_box(creq.as_bytes()));
            key.sign(black_box(sts.as_bytes()))
        })
    });
    g.bench_function("floor_verify_cold", |b| {
        b.iter(|| {
            let _ = sha256(black_box(BODY));
            let _ = sha256(black_box(creq.as_bytes()));
            let k = SigningKey::derive(&SigningSecret::new(SECRET), "20150830", "us-east-1", "sts");
            k.sign(black_box(sts.as_bytes()))
        })
    });

    #[cfg(feature = "baseline-aws")]
    {
        use aws_sigv4::http_request::{
            SignableBody, SignableRequest, SigningSettings, sign as aws_sign,
        };
        use aws_sigv4::sign::v4;
        use aws_smithy_runtime_api::client::identity::Identity;
        let identity: Identity =
            aws_credential_types::Credentials::new(AKID, SECRET, None, None, "bench").into();
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(UNIX as u64);
        let aws_headers = [
            (
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            ),
            ("host", "sts.us-east-1.amazonaws.com"),
        ];
        let params: aws_sigv4::http_request::SigningParams<'_> = v4::SigningParams::builder()
            .identity(&identity)
            .region("us-east-1")
            .name("sts")
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let aws_sig = {
            let r = SignableRequest::new(
                "POST",
                "https://sts.us-east-1.amazonaws.com/",
                aws_headers.iter().copied(),
                SignableBody::Bytes(BODY),
            )
            .unwrap();
            aws_sign(r, &params).unwrap().into_parts().1
        };
        // Cross-check: both signers agree byte for byte.
        assert_eq!(aws_sig, out.signature, "aws-sigv4 and keyturn disagree");
        g.bench_function("aws_sigv4_sign", |b| {
            b.iter(|| {
                let r = SignableRequest::new(
                    "POST",
                    "https://sts.us-east-1.amazonaws.com/",
                    aws_headers.iter().copied(),
                    SignableBody::Bytes(black_box(BODY)),
                )
                .unwrap();
                aws_sign(r, &params).unwrap().into_parts().1
            })
        });
    }
    g.finish();
}

fn bench_v4a(c: &mut Criterion) {
    let now = AmzDate::from_unix(UNIX).to_offset_date_time().unwrap();
    let (owned, out) = signed_post(SignatureAlgorithm::EcdsaP256Sha256);
    let headers: Vec<(&str, &[u8])> = owned.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    let signed = HttpRequest {
        headers: &headers,
        ..unsigned()
    };
    let lookup = OneKey(SigningSecret::new(SECRET));
    let config = VerifierConfig::new("sts").with_region("us-east-1");
    let cached = Verifier::with_cache(config.clone(), SigningKeyCache::new(1024));
    let uncached = Verifier::new(config);
    assert!(cached.verify(&signed, &lookup, now).is_ok());
    assert!(uncached.verify(&signed, &lookup, now).is_ok());
    let secret = SigningSecret::new(SECRET);
    let key = V4aVerifyingKey::derive(AKID, &secret).unwrap();
    let digest = sha256(out.string_to_sign.as_bytes());
    let der = hex_decode(&out.signature);
    assert!(key.verify_digest(&digest, &der));

    if let Some((which, n)) = count_spec() {
        let verifier = if which == "v4a_cached" {
            &cached
        } else {
            &uncached
        };
        let ok = (0..n)
            .filter(|_| verifier.verify(black_box(&signed), &lookup, now).is_ok())
            .count();
        println!("{which}: {ok}/{n} ok");
        std::process::exit(0);
    }

    let mut g = c.benchmark_group("sigv4a");
    g.bench_function("keyturn_verify_cached_key", |b| {
        b.iter(|| cached.verify(black_box(&signed), &lookup, now).is_ok())
    });
    g.bench_function("keyturn_verify_uncached", |b| {
        b.iter(|| uncached.verify(black_box(&signed), &lookup, now).is_ok())
    });
    // The two costs a verification is made of: deriving the public key (an HMAC and a
    // base-point multiplication) and the ECDSA check itself.
    g.bench_function("key_derivation", |b| {
        b.iter(|| V4aVerifyingKey::derive(black_box(AKID), &secret))
    });
    g.bench_function("ecdsa_verify_only", |b| {
        b.iter(|| key.verify_digest(black_box(&digest), black_box(&der)))
    });
    g.finish();
}

/// `SIGV4_COUNT=<bench>:<n>`, if set.
fn count_spec() -> Option<(String, u64)> {
    let spec = std::env::var("SIGV4_COUNT").ok()?;
    let (which, n) = spec.split_once(':')?;
    Some((which.to_owned(), n.parse().ok()?))
}

/// Hex to bytes (the signature as sent).
fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

criterion_group!(benches, bench, bench_v4a);
criterion_main!(benches);
