//! The write path: IAM write operations turn a snapshot into typed [`Change`]s, which the store
//! commits compare-and-set on the snapshot's generation; the engine then uses the new model at
//! once, so the very next request sees the change.

use std::sync::{Arc, PoisonError};

use super::{Engine, Snapshot};
use crate::Error;
use crate::ErrorCode;
use crate::iam::{Change, IamData};
use crate::store::{CONCURRENT_MODIFICATION_MESSAGE, StoreError};

/// How many times a write is computed again after another process's write came first.
const MAX_ATTEMPTS: u32 = 12;

/// How long to wait before planning again after the `attempt`-th conflict: a random part of a
/// window that doubles each time (1 ms, 2 ms, … up to 128 ms), so that two processes writing in
/// tight loops stop colliding in lockstep.
fn backoff(attempt: u32) -> std::time::Duration {
    let window_us = 1000u64 << attempt.min(7);
    // Jitter from the clock's low bits: it only has to differ between processes.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    std::time::Duration::from_micros(nanos.wrapping_mul(0x9E37_79B9_7F4A_7C15) % window_us)
}

impl Engine {
    /// Computes changes with `plan` from the current model and commits them atomically; returns
    /// what `plan` returned and the snapshot of the model with the changes (the one new
    /// requests now use). `plan` may run more than once: when another process committed first,
    /// it runs again on the newer model (its checks, such as "already exists", see that write).
    /// Writes through one engine take turns. The changed model is compiled before it is stored,
    /// so a change that would make it invalid (a policy the compiler refuses) is refused and
    /// nothing is written; after the commit it is the snapshot every new request uses.
    ///
    /// # Errors
    /// What `plan` returns; `MalformedPolicyDocument` when the changed model does not compile;
    /// `ConcurrentModification` when other writers kept winning; `InternalFailure` when the store
    /// fails; `ServiceFailure` when a change names an account the model does not have.
    pub fn change<R>(
        &self,
        mut plan: impl FnMut(&Snapshot) -> Result<(Vec<Change>, R), Error>,
    ) -> Result<(R, Arc<Snapshot>), Error> {
        let _turn = self
            .write_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for attempt in 0..MAX_ATTEMPTS {
            let current = self.current()?;
            let (changes, result) = plan(&current)?;
            if changes.is_empty() {
                return Ok((result, current));
            }
            let data = Change::apply_all(&current.data, &changes)
                .map_err(|e| Error::new(ErrorCode::ServiceFailure, e.to_string()))?;
            let mut next = Snapshot::build(data, current.generation, &self.keyring)?;
            match self.store.commit(current.generation, &changes) {
                Ok(generation) => {
                    next.generation = generation;
                    let next = Arc::new(next);
                    self.install(Arc::clone(&next));
                    return Ok((result, next));
                }
                Err(StoreError::Conflict { .. }) => {
                    std::thread::sleep(backoff(attempt));
                    self.reload()?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::new(
            ErrorCode::ConcurrentModification,
            CONCURRENT_MODIFICATION_MESSAGE,
        ))
    }

    /// Replaces the whole model with `data` (moto compatibility's `/moto-api/reset`: the world
    /// back to its start), taking its turn with the writes; the very next request sees it.
    ///
    /// # Errors
    /// `MalformedPolicyDocument` when `data` does not compile (nothing is stored);
    /// `InternalFailure` when the store fails.
    pub fn replace_model(&self, data: &IamData) -> Result<Arc<Snapshot>, Error> {
        let _turn = self
            .write_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut next = Snapshot::build(data.clone(), 0, &self.keyring)?;
        next.generation = self.store.replace(None, data)?;
        let next = Arc::new(next);
        self.install(Arc::clone(&next));
        Ok(next)
    }

    /// The snapshot at the store's current generation (reloading when another process wrote).
    fn current(&self) -> Result<Arc<Snapshot>, Error> {
        let stored = self.store.generation()?;
        let ours = self.generation.load(std::sync::atomic::Ordering::Acquire);
        if stored != ours {
            self.reload()?;
        }
        Ok(Arc::clone(
            &self.snapshot.read().unwrap_or_else(PoisonError::into_inner),
        ))
    }
}
