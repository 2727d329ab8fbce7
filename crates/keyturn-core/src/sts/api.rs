//! TODO(owner): STS API shapes.
