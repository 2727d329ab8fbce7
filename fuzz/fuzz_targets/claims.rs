//! libFuzzer entry of the `claims` target; the body is `keyturn_fuzz::claims::claims` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::claims::claims(data));
