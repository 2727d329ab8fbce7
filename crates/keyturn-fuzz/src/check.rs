//! The properties every target asserts. A failed check panics: under libFuzzer that is the
//! crash that saves the input; in the replay test it fails the test with the file's name.

#![allow(
    clippy::panic,
    reason = "a fuzz property that does not hold must abort the input (libFuzzer's crash)"
)]

/// Bad input is the sender's fault: an answer of 500 or more is a defect.
pub fn sender_fault(status: u16, code: &str, message: &str) {
    if status >= 500 {
        panic!("a server fault ({status} {code}) for an input: {message}");
    }
}

/// Every document Keyturn writes parses as XML 1.0.
pub fn well_formed(xml: &str) {
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
