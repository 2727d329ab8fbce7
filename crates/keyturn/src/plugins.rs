//! Plugins named in the configuration, loaded through the C ABI and wrapped into the core traits.
