//! TODO(owner): module `ids`.
