//! libFuzzer entry of the `query` target; the body is `keyturn_fuzz::query::query` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::query::query(data));
