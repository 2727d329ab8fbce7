//! libFuzzer entry of the `wire` target; the body is `keyturn_fuzz::wire::wire` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::wire::wire(data));
