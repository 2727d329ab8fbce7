//! The IAM operations (`2010-05-08`), one [`Operation`](crate::ops::Operation) each.

mod simulate;

pub use simulate::{SimulateCustomPolicy, SimulatePrincipalPolicy};
