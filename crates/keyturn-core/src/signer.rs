//! TODO(owner): module `signer`.
