//! TODO(owner): config.
