//! The in-memory store: for tests, bindings and `store: {memory: true}`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use keyturn_core::iam::IamData;
use keyturn_core::store::{IamStore, Result, check_applicable};

#[derive(Debug, Default)]
struct State {
    data: IamData,
    generation: u64,
    mfa_steps: HashMap<String, u64>,
}

/// An [`IamStore`] in memory. Nothing survives the process. Cheap to create; share it as
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
        store.apply(data)?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` half-written (every write is a
        // single assignment), so a poisoned lock is still safe to use.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl IamStore for MemoryStore {
    fn load(&self) -> Result<IamData> {
        Ok(self.lock().data.clone())
    }

    fn apply(&self, data: &IamData) -> Result<()> {
        check_applicable(data)?;
        let mut state = self.lock();
        if state.data != *data {
            state.data = data.clone();
            state.generation += 1;
        }
        Ok(())
    }

    fn generation(&self) -> u64 {
        self.lock().generation
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
