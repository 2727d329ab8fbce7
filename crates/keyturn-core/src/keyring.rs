//! TODO(owner): module `keyring`.
