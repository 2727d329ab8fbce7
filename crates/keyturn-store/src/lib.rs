#![doc = include_str!("../README.md")]

mod memory;
mod sqlite;

pub use keyturn_core::store::{IamStore, Loaded, StoreError, StoreRead, StoreWrite};
pub use memory::MemoryStore;
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
