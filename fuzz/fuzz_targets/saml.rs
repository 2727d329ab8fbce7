//! libFuzzer entry of the `saml` target; the body is `keyturn_fuzz::saml::saml` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::saml::saml(data));
