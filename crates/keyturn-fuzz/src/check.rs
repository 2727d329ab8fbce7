//! The properties every target asserts. A failed check panics: under libFuzzer that is the
//! crash that saves the input; in the replay test it fails the test with the file's name.

#![allow(
    clippy::panic,
    reason = "a fuzz property that does not hold must abort the input (libFuzzer's crash)"
)]

/// Whether the well-formed-XML property is checked: on unless `KEYTURN_FUZZ_XML=off` (for a
/// run on a tree that lacks issue 16's escaping of characters XML cannot carry; see
/// docs/fuzzing.md).
pub fn xml_checked() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var("KEYTURN_FUZZ_XML").map_or(true, |v| v != "off"))
}

/// Bad input is the sender's fault: an answer of 500 or more is a defect.
pub fn sender_fault(status: u16, code: &str, message: &str) {
    if status >= 500 {
        panic!("a server fault ({status} {code}) for an input: {message}");
    }
}

/// Every document Keyturn writes parses as XML 1.0.
pub fn well_formed(xml: &str) {
    if !xml_checked() {
        return;
    }
    if let Err(e) = roxmltree::Document::parse(xml) {
        panic!("not well-formed XML ({e}):\n{xml}");
    }
}

/// A property of the target's own logic (a round trip, a refusal).
pub fn holds(condition: bool, what: impl FnOnce() -> String) {
    if !condition {
        panic!("{}", what());
    }
}
