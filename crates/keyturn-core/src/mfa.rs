//! TODO(owner): module `mfa`.
