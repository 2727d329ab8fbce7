#![doc = include_str!("../README.md")]

mod documents;
mod memory;
pub mod postgres;
mod sqlite;

pub use keyturn_core::store::{IamStore, Loaded, StoreError, StoreRead, StoreWrite};
pub use memory::MemoryStore;
pub use postgres::{PostgresOptions, PostgresStore};
pub use sqlite::{SCHEMA_VERSION, SqliteStore};
