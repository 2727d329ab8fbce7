//! libFuzzer entry of the `sigv4` target; the body is `keyturn_fuzz::sigv4::sigv4` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::sigv4::sigv4(data));
