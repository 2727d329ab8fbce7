//! The AWS SigV4a test suite (`v4a/` beside `v4/`: 40 cases, header and query forms; beside
//! the aws-sigv4 crate's copy of `v4/` when `../shared` is absent), read at run time, one test per stage over every case: canonical request, string to sign, the
//! derived public key, the suite's signatures verified under it, the signed request (all but
//! the signature, which ECDSA randomises), and verification of the suite's signed requests
//! with the clock at the case's timestamp, with and without the key cache.

#![allow(clippy::panic, reason = "test helpers fail loudly, with the case name")]

#[path = "support/suite.rs"]
mod support;

use std::path::PathBuf;

use keyturn_sigv4::{
    SigV4Error, SignatureAlgorithm, SigningKeyCache, SigningOutput, SigningSecret, V4aKeyCache,
    V4aVerifyingKey, Verifier, VerifierConfig, VerifyError, crypto::sha256,
};
use support::{Context, OneKey, ParsedRequest, suite_dir};

/// The `v4a/` directory beside the located `v4/` suite; `None` (after one line) without it.
fn v4a_dir() -> Option<PathBuf> {
    let dir = suite_dir()?.path.with_file_name("v4a");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not found", dir.display());
        None
    }
}

/// Every case (a directory with a `context.json`), sorted.
fn cases() -> Vec<String> {
    let Some(dir) = v4a_dir() else {
        return Vec::new();
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().join("context.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(case: &str, file: &str) -> String {
    let p = v4a_dir()
        .unwrap_or_else(|| panic!("{case}: no suite"))
        .join(case)
        .join(file);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn form(query: bool) -> &'static str {
    if query { "query" } else { "header" }
}

fn signed(case: &str, query: bool) -> (ParsedRequest, SigningOutput) {
    let ctx = Context::parse(case, &read(case, "context.json"));
    let req = ParsedRequest::parse(&read(case, "request.txt"));
    let out = ctx.sign(case, &req, query, SignatureAlgorithm::EcdsaP256Sha256);
    (req, out)
}

/// Runs `check` on every case in both forms that has the file `stage` (`{form}` standing for
/// `header` or `query`); fails listing every case that failed. Two of the 40 cases
/// (get-vanilla-query-order-key and -value) hold only a context and a request: 38 in each
/// form are checked.
fn every_case(stage: &str, check: impl Fn(&str, bool) -> Result<(), String>) {
    let cases = cases();
    if cases.is_empty() {
        return;
    }
    // The aws-sigv4 crate's copy leaves out the two cases that hold only a context and a request.
    let from_crate = suite_dir().is_some_and(|d| d.from_crate);
    assert_eq!(cases.len(), if from_crate { 38 } else { 40 }, "{cases:?}");
    let dir = v4a_dir().unwrap_or_default();
    let runs: Vec<(&String, bool)> = cases
        .iter()
        .flat_map(|c| [(c, false), (c, true)])
        .filter(|(c, q)| {
            dir.join(c)
                .join(stage.replace("{form}", form(*q)))
                .is_file()
        })
        .collect();
    assert_eq!(runs.len(), 76, "{stage}");
    let failures: Vec<String> = runs
        .into_iter()
        .filter_map(|(c, q)| check(c, q).err().map(|e| format!("{c}/{}: {e}", form(q))))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn same(got: &str, want: &str) -> Result<(), String> {
    let want = want.trim_end_matches('\n');
    if got == want {
        Ok(())
    } else {
        Err(format!("got\n{got}\nwant\n{want}"))
    }
}

fn public_key(case: &str) -> V4aVerifyingKey {
    let ctx = Context::parse(case, &read(case, "context.json"));
    V4aVerifyingKey::derive(&ctx.access_key_id, &SigningSecret::new(&ctx.secret))
        .unwrap_or_else(|| panic!("{case}: no key"))
}

/// Every case's `{form}-{stage}.txt` against the part of the signer's output that `pick` takes.
fn every_stage(stage: &str, pick: fn(&SigningOutput) -> &str) {
    every_case(&format!("{{form}}-{stage}.txt"), |case, q| {
        let (_, out) = signed(case, q);
        same(pick(&out), &read(case, &format!("{}-{stage}.txt", form(q))))
    });
}

#[test]
fn canonical_requests() {
    every_stage("canonical-request", |o| &o.canonical_request);
}

#[test]
fn strings_to_sign() {
    every_stage("string-to-sign", |o| &o.string_to_sign);
}

#[test]
fn derived_public_keys() {
    every_case("public-key.json", |case, _| {
        let v: serde_json::Value =
            serde_json::from_str(&read(case, "public-key.json")).map_err(|e| e.to_string())?;
        let (x, y) = public_key(case).coordinates();
        same(
            &format!("{}/{}", hex::encode(x), hex::encode(y)),
            &format!(
                "{}/{}",
                v["X"].as_str().unwrap_or(""),
                v["Y"].as_str().unwrap_or("")
            ),
        )
    });
}

/// The suite's `*-signature.txt` verifies under the derived key over its string to sign;
/// so does ours, and neither over a string to sign changed in one byte.
#[test]
fn signatures_verify_under_the_derived_key() {
    every_case("{form}-signature.txt", |case, q| {
        let key = public_key(case);
        let sts = read(case, &format!("{}-string-to-sign.txt", form(q)));
        let theirs = hex::decode(read(case, &format!("{}-signature.txt", form(q))).trim())
            .map_err(|e| e.to_string())?;
        let (_, out) = signed(case, q);
        let ours = hex::decode(&out.signature).map_err(|e| e.to_string())?;
        let digest = sha256(sts.trim_end_matches('\n').as_bytes());
        let mut tampered = sts.trim_end_matches('\n').as_bytes().to_vec();
        tampered[0] ^= 1;
        let tampered = sha256(&tampered);
        match (
            key.verify_digest(&digest, &theirs),
            key.verify_digest(&digest, &ours),
            key.verify_digest(&tampered, &theirs),
        ) {
            (true, true, false) => Ok(()),
            other => Err(format!("theirs, ours, tampered: {other:?}")),
        }
    });
}

/// Our signed request is the suite's, but for the signature's value.
#[test]
fn signed_requests() {
    let mask = |s: &str| {
        let at = s
            .find("Signature=")
            .map_or(s.len(), |i| i + "Signature=".len());
        let end = s[at..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .map_or(s.len(), |n| at + n);
        format!("{}<sig>{}", &s[..at], &s[end..])
    };
    every_case("{form}-signed-request.txt", |case, q| {
        let (req, out) = signed(case, q);
        let rendered = req.render_signed(&out, q);
        let want = read(case, &format!("{}-signed-request.txt", form(q)));
        // The suite's files end in one newline more or less than the rendering (the empty
        // body's line); the bodies themselves end without one.
        same(
            mask(&rendered).trim_end_matches('\n'),
            mask(&want).trim_end_matches('\n'),
        )
    });
}

fn verifier_config(ctx: &Context, region: &str) -> VerifierConfig {
    let mut config = VerifierConfig::new(ctx.service.clone()).with_region(region);
    config.settings = ctx.settings();
    config.allow_unsigned_query_session_token = ctx.omit_session_token;
    config
}

fn lookup(ctx: &Context) -> OneKey {
    OneKey {
        access_key_id: ctx.access_key_id.clone(),
        secret: ctx.secret.clone(),
        token: ctx.token.clone(),
    }
}

/// The suite's signed requests verify (twice each: the second hits the cache when there is one).
#[test]
fn suite_requests_verify() {
    every_case("{form}-signed-request.txt", |case, q| {
        let ctx = Context::parse(case, &read(case, "context.json"));
        let req = ParsedRequest::parse(&read(case, &format!("{}-signed-request.txt", form(q))));
        let config = verifier_config(&ctx, &ctx.region);
        let verifiers = [
            Verifier::new(config.clone()),
            Verifier::with_cache(config, SigningKeyCache::new(8)),
        ];
        let lookup = lookup(&ctx);
        req.with_view(|view| {
            for v in &verifiers {
                for _ in 0..2 {
                    let ok = v
                        .verify(view, &lookup, ctx.now)
                        .map_err(|e| format!("{e:?}"))?;
                    let got = (
                        &*ok.access_key_id,
                        &*ok.region,
                        ok.region_set.as_deref(),
                        ok.algorithm,
                        ok.presigned,
                        ok.session_token.as_deref(),
                    );
                    let want = (
                        ctx.access_key_id.as_str(),
                        ctx.region.as_str(),
                        Some(ctx.region.as_str()),
                        SignatureAlgorithm::EcdsaP256Sha256,
                        q,
                        ctx.token.as_deref(),
                    );
                    if got != want {
                        return Err(format!("{got:?} != {want:?}"));
                    }
                }
            }
            Ok(())
        })
    });
}

/// A verifier of another region refuses the suite's requests (the region set is `us-east-1`),
/// a wildcard verifier config is not needed for `*` sets, and a changed signature or secret
/// is a mismatch.
#[test]
fn suite_requests_refused_when_altered() {
    every_case("{form}-signed-request.txt", |case, q| {
        let ctx = Context::parse(case, &read(case, "context.json"));
        let text = read(case, &format!("{}-signed-request.txt", form(q)));
        let check = |text: &str, config: VerifierConfig, secret: &str| {
            let req = ParsedRequest::parse(text);
            let v = Verifier::new(config);
            let mut lookup = lookup(&ctx);
            lookup.secret = secret.to_owned();
            req.with_view(|view| match v.verify(view, &lookup, ctx.now) {
                Err(VerifyError::SigV4(e)) => Ok(e),
                other => Err(format!("{:?}", other.map(|v| v.region))),
            })
        };
        let other_region = check(&text, verifier_config(&ctx, "eu-west-1"), &ctx.secret)?;
        if other_region != SigV4Error::WrongRegion("us-east-1".to_owned()) {
            return Err(format!("other region: {other_region:?}"));
        }
        let wrong_secret = check(&text, verifier_config(&ctx, &ctx.region), "not the secret")?;
        // One hex digit of the signature changed (inside the DER integers, after the headers).
        let at = text.find("Signature=").ok_or("no signature")? + "Signature=".len() + 20;
        let mut altered = text.clone().into_bytes();
        altered[at] = if altered[at] == b'0' { b'1' } else { b'0' };
        let altered = String::from_utf8(altered).map_err(|e| e.to_string())?;
        let bad_sig = check(&altered, verifier_config(&ctx, &ctx.region), &ctx.secret)?;
        match (wrong_secret, bad_sig) {
            (SigV4Error::SignatureMismatch, SigV4Error::SignatureMismatch) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
}

#[test]
fn the_key_cache_serves_the_derived_key() {
    let Some(case) = cases().into_iter().find(|c| c == "get-vanilla") else {
        return;
    };
    let ctx = Context::parse(&case, &read(&case, "context.json"));
    let cache = V4aKeyCache::new(4);
    let secret = SigningSecret::new(&ctx.secret);
    assert_eq!(
        cache.get_or_derive(&ctx.access_key_id, &secret),
        Some(public_key(&case))
    );
    assert_eq!(cache.len(), 1);
}
