//! TODO(owner): module `arn`.
