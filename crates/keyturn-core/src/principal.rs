//! TODO(owner): module `principal`.
