//! TODO(owner): module `iam`.
