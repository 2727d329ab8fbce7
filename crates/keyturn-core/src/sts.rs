//! The STS service: the API's typed requests and responses, and the operations.

pub mod api;
