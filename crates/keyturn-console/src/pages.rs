//! The console's views, each the body of one page.

pub mod audit;
pub mod graph;
pub mod model;
pub mod simulate;
