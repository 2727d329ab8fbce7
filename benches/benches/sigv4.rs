//! SigV4 verification of a typical STS POST, beside its floor (the hashes it cannot avoid)
//! and AWS's own Rust signer (`aws-sigv4`, behind the `baseline-aws` feature).
//!
//! `cargo bench -p keyturn-benches --features baseline-aws --bench sigv4`
//!
//! For noise-free comparisons, `SIGV4_COUNT=<bench>:<n>` runs one of `cached`, `cold` or
//! `floor_cached` `n` times without criterion; `perf stat -e instructions` on two values of
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
    AmzDate, CredentialLookup, Credentials, HttpRequest, SigningKey, SigningKeyCache,
    SigningParams, SigningSecret, Verifier, VerifierConfig, sign,
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

fn bench(c: &mut Criterion) {
    let at = AmzDate::from_unix(UNIX);
    let now = at.to_offset_date_time().unwrap();
    let creds = Credentials::new(AKID, SECRET);
    let unsigned_headers: Vec<(&str, &[u8])> = vec![("Content-Type", CONTENT_TYPE), ("Host", HOST)];
    let unsigned = HttpRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &unsigned_headers,
        body: BODY,
    };
    let params = SigningParams::new(&creds, "us-east-1", "sts", at);
    let out = sign(&unsigned, &params).unwrap();
    let mut owned: Vec<(&str, Vec<u8>)> = unsigned_headers
        .iter()
        .map(|(n, v)| (*n, v.to_vec()))
        .collect();
    owned.extend(
        out.headers
            .iter()
            .map(|(n, v)| (*n, v.clone().into_bytes())),
    );
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

    if let Ok(spec) = std::env::var("SIGV4_COUNT") {
        let (which, n) = spec.split_once(':').unwrap();
        let n: u64 = n.parse().unwrap();
        let key = SigningKey::derive(&SigningSecret::new(SECRET), "20150830", "us-east-1", "sts");
        let mut ok = 0u64;
        for _ in 0..n {
            ok += u64::from(match which {
                "cached" => cached.verify(black_box(&signed), &lookup, now).is_ok(),
                "cold" => cold.verify(black_box(&signed), &lookup, now).is_ok(),
                "floor_cached" => {
                    let _ = sha256(black_box(BODY));
                    let _ = sha256(black_box(out.canonical_request.as_bytes()));
                    key.sign(black_box(out.string_to_sign.as_bytes()))[0] < 255
                }
                _ => {
                    eprintln!("unknown bench {which}: cached, cold or floor_cached");
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

criterion_group!(benches, bench);
criterion_main!(benches);
