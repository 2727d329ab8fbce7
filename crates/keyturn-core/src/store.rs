//! TODO(owner): module `store`.
