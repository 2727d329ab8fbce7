//! The AWS SigV4 test suite (38 cases, header and query forms), one test per stage:
//! canonical request, string to sign, signature, signed request, and verification of the
//! suite's signed request with the clock set to the case's timestamp.

#![allow(clippy::panic, reason = "test helpers fail loudly, with the case name")]

#[path = "support/suite.rs"]
mod support;

use keyturn_sigv4::{SignatureAlgorithm, SigningKeyCache, SigningOutput, Verifier, VerifierConfig};
use support::{Context, OneKey, ParsedRequest, read, suite_dir};

fn signed(case: &str, query: bool) -> (ParsedRequest, SigningOutput) {
    let ctx = Context::load(case);
    let req = ParsedRequest::parse(&read(case, "request.txt"));
    let out = ctx.sign(case, &req, query, SignatureAlgorithm::HmacSha256);
    (req, out)
}

/// The suite's file of `stage` for the header or query form (`query-signature.txt`); `None`
/// when the suite is not there (the test then checks nothing).
fn stage_file(query: bool, stage: &str) -> Option<String> {
    suite_dir()?;
    let form = if query { "query" } else { "header" };
    Some(format!("{form}-{stage}.txt"))
}

/// Compares what `pick` takes from the signing output with the suite's file of `stage` (less
/// the newline that ends the signature files).
fn check_stage(case: &str, query: bool, stage: &str, pick: fn(&SigningOutput) -> &str) {
    let Some(file) = stage_file(query, stage) else {
        return;
    };
    let expected = read(case, &file);
    let (_, out) = signed(case, query);
    assert_eq!(pick(&out), expected.trim_end_matches('\n'), "{case}/{file}");
}

fn check_canonical_request(case: &str, query: bool) {
    check_stage(case, query, "canonical-request", |o| &o.canonical_request);
}

fn check_string_to_sign(case: &str, query: bool) {
    check_stage(case, query, "string-to-sign", |o| &o.string_to_sign);
}

fn check_signature(case: &str, query: bool) {
    check_stage(case, query, "signature", |o| &o.signature);
}

fn check_signed_request(case: &str, query: bool) {
    let Some(file) = stage_file(query, "signed-request") else {
        return;
    };
    let (req, out) = signed(case, query);
    let rendered = req.render_signed(&out, query);
    assert_eq!(rendered, read(case, &file), "{case}/{file}");
}

fn check_verify(case: &str, query: bool) {
    let Some(file) = stage_file(query, "signed-request") else {
        return;
    };
    let ctx = Context::load(case);
    let req = ParsedRequest::parse(&read(case, &file));
    let mut config = VerifierConfig::new(ctx.service.clone()).with_region(ctx.region.clone());
    config.settings = ctx.settings();
    config.allow_unsigned_query_session_token = ctx.omit_session_token;
    let lookup = OneKey {
        access_key_id: ctx.access_key_id.clone(),
        secret: ctx.secret.clone(),
        token: ctx.token.clone(),
    };
    let verifiers = [
        Verifier::new(config.clone()),
        Verifier::with_cache(config.clone(), SigningKeyCache::new(8)),
    ];
    req.with_view(|view| {
        for verifier in &verifiers {
            // Twice: the second run hits the cache when there is one.
            for _ in 0..2 {
                let v = verifier
                    .verify(view, &lookup, ctx.now)
                    .unwrap_or_else(|e| panic!("{case}/{file}: {e:?}"));
                assert_eq!(v.access_key_id, ctx.access_key_id);
                assert_eq!(v.region, ctx.region);
                assert_eq!(v.date, ctx.time);
                assert_eq!(v.presigned, query);
                assert_eq!(v.identity, format!("user:{}", ctx.access_key_id));
                assert_eq!(v.session_token.as_deref(), ctx.token.as_deref());
            }
        }
    });
}

macro_rules! cases {
    ($($name:ident => $dir:literal),* $(,)?) => {$(
        mod $name {
            #[test] fn header_canonical_request() { super::check_canonical_request($dir, false) }
            #[test] fn header_string_to_sign() { super::check_string_to_sign($dir, false) }
            #[test] fn header_signature() { super::check_signature($dir, false) }
            #[test] fn header_signed_request() { super::check_signed_request($dir, false) }
            #[test] fn header_verify() { super::check_verify($dir, false) }
            #[test] fn query_canonical_request() { super::check_canonical_request($dir, true) }
            #[test] fn query_string_to_sign() { super::check_string_to_sign($dir, true) }
            #[test] fn query_signature() { super::check_signature($dir, true) }
            #[test] fn query_signed_request() { super::check_signed_request($dir, true) }
            #[test] fn query_verify() { super::check_verify($dir, true) }
        }
    )*};
}

cases! {
    get_header_key_duplicate => "get-header-key-duplicate",
    get_header_value_multiline => "get-header-value-multiline",
    get_header_value_order => "get-header-value-order",
    get_header_value_trim => "get-header-value-trim",
    get_relative_normalized => "get-relative-normalized",
    get_relative_relative_normalized => "get-relative-relative-normalized",
    get_relative_relative_unnormalized => "get-relative-relative-unnormalized",
    get_relative_unnormalized => "get-relative-unnormalized",
    get_slash_dot_slash_normalized => "get-slash-dot-slash-normalized",
    get_slash_dot_slash_unnormalized => "get-slash-dot-slash-unnormalized",
    get_slash_normalized => "get-slash-normalized",
    get_slash_pointless_dot_normalized => "get-slash-pointless-dot-normalized",
    get_slash_pointless_dot_unnormalized => "get-slash-pointless-dot-unnormalized",
    get_slash_unnormalized => "get-slash-unnormalized",
    get_slashes_normalized => "get-slashes-normalized",
    get_slashes_unnormalized => "get-slashes-unnormalized",
    get_space_normalized => "get-space-normalized",
    get_space_unnormalized => "get-space-unnormalized",
    get_unreserved => "get-unreserved",
    get_utf8 => "get-utf8",
    get_vanilla => "get-vanilla",
    get_vanilla_empty_query_key => "get-vanilla-empty-query-key",
    get_vanilla_query => "get-vanilla-query",
    get_vanilla_query_order_encoded => "get-vanilla-query-order-encoded",
    get_vanilla_query_order_key_case => "get-vanilla-query-order-key-case",
    get_vanilla_query_unreserved => "get-vanilla-query-unreserved",
    get_vanilla_utf8_query => "get-vanilla-utf8-query",
    get_vanilla_with_session_token => "get-vanilla-with-session-token",
    post_header_key_case => "post-header-key-case",
    post_header_key_sort => "post-header-key-sort",
    post_header_value_case => "post-header-value-case",
    post_sts_header_after => "post-sts-header-after",
    post_sts_header_before => "post-sts-header-before",
    post_vanilla => "post-vanilla",
    post_vanilla_empty_query_value => "post-vanilla-empty-query-value",
    post_vanilla_query => "post-vanilla-query",
    post_x_www_form_urlencoded => "post-x-www-form-urlencoded",
    post_x_www_form_urlencoded_parameters => "post-x-www-form-urlencoded-parameters",
}

/// Every case directory (one with a `context.json`) is listed above. The aws-sigv4 crate's copy
/// adds two directories of an older format, without one (double-encode-path, double-url-encode).
#[test]
fn every_suite_directory_is_listed() {
    let Some(suite) = suite_dir() else {
        return;
    };
    let listed = include_str!("suite.rs").matches(" => \"").count();
    let on_disk = std::fs::read_dir(&suite.path)
        .map(|d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().join("context.json").is_file())
            })
            .count()
        })
        .unwrap_or(0);
    assert_eq!(listed, on_disk);
    assert_eq!(on_disk, 38);
}
