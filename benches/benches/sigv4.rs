//! Bench placeholder; the owner fills it in.
fn main() {}
