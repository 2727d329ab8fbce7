//! libFuzzer entry of the `config` target; the body is `keyturn_fuzz::config::config` (see docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| keyturn_fuzz::config::config(data));
