//! TODO(owner): module `token`.
