//! libFuzzer entry of the `policy` target; the body is `keyturn_fuzz::policy::policy` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::policy::policy(data));
