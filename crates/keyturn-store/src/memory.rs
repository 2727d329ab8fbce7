//! The in-memory store: for tests, bindings and `store: {memory: true}`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use keyturn_core::iam::{Change, IamData};
use keyturn_core::store::{
    Loaded, Result, StoreRead, StoreWrite, apply_changes, check_applicable, check_generation,
};

#[derive(Debug, Default)]
struct State {
    data: IamData,
    generation: u64,
    mfa_steps: HashMap<String, u64>,
}

/// An [`IamStore`](keyturn_core::store::IamStore) in memory. Nothing survives the process. Cheap to create; share it as
/// `Arc<MemoryStore>` or `Arc<dyn IamStore>`.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    /// An empty store (generation 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `data` (generation 1 if `data` has any account).
    pub fn with_data(data: &IamData) -> Result<Self> {
        let store = Self::new();
        store.replace(None, data)?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` half-written (every write is a
        // single assignment), so a poisoned lock is still safe to use.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl StoreRead for MemoryStore {
    fn load(&self) -> Result<Loaded> {
        let state = self.lock();
        Ok(Loaded {
            generation: state.generation,
            data: state.data.clone(),
        })
    }

    fn generation(&self) -> Result<u64> {
        Ok(self.lock().generation)
    }
}

impl StoreWrite for MemoryStore {
    fn commit(&self, expected: u64, changes: &[Change]) -> Result<u64> {
        let mut state = self.lock();
        check_generation(expected, state.generation)?;
        // Built aside, then one assignment: a failing change leaves the model as it was.
        state.data = apply_changes(&state.data, changes)?;
        state.generation += 1;
        Ok(state.generation)
    }

    fn replace(&self, expected: Option<u64>, data: &IamData) -> Result<u64> {
        check_applicable(data)?;
        let mut state = self.lock();
        if let Some(expected) = expected {
            check_generation(expected, state.generation)?;
        }
        if state.data != *data {
            state.data = data.clone();
            state.generation += 1;
        }
        Ok(state.generation)
    }

    fn consume_mfa_code(&self, serial: &str, time_step: u64) -> Result<bool> {
        let mut state = self.lock();
        match state.mfa_steps.get(serial) {
            Some(&last) if last >= time_step => Ok(false),
            _ => {
                state.mfa_steps.insert(serial.to_owned(), time_step);
                Ok(true)
            }
        }
    }

    fn last_mfa_step(&self, serial: &str) -> Result<Option<u64>> {
        Ok(self.lock().mfa_steps.get(serial).copied())
    }
}
