//! The `keyturn` command.

fn main() {}
