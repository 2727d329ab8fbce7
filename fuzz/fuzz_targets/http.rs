//! libFuzzer entry of the `http` target; the body is `keyturn_fuzz::http::http` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::http::http(data));
