//! libFuzzer entry of the `token` target; the body is `keyturn_fuzz::token::token` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::token::token(data));
