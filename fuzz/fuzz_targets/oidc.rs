//! libFuzzer entry of the `oidc` target; the body is `keyturn_fuzz::oidc::oidc` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::oidc::oidc(data));
