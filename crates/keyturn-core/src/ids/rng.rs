//! The userspace CSPRNG behind nonces, key ids and secrets.
//!
//! An OS random call costs more than sealing a token (see DEPENDENCIES.md), so each thread seeds
//! one ChaCha20 generator from the OS once and draws from it afterwards.

use crate::ErrorCode;
use std::cell::RefCell;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

use crate::Error;

thread_local! {
    static THREAD_RNG: RefCell<Option<ChaCha20Rng>> = const { RefCell::new(None) };
}

/// Fills `dest` with cryptographically secure random bytes from this thread's generator.
///
/// The generator is seeded from the OS on first use in a thread; only that seeding can fail.
pub fn fill(dest: &mut [u8]) -> Result<(), Error> {
    THREAD_RNG.with(|cell| {
        let mut slot = cell.borrow_mut();
        let rng = match slot.as_mut() {
            Some(rng) => rng,
            None => {
                let mut seed = [0u8; 32];
                fill_from_os(&mut seed)?;
                slot.insert(ChaCha20Rng::from_seed(seed))
            }
        };
        rng.fill_bytes(dest);
        Ok(())
    })
}

/// An array of `N` random bytes.
pub fn array<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

/// Fills `dest` straight from the operating system's random source: what seeds the thread
/// generators. One call costs more than sealing a token, so the hot paths never use it; it is
/// public as the benchmarks' reference point.
pub fn fill_from_os(dest: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(dest).map_err(|e| {
        Error::new(
            ErrorCode::InternalFailure,
            format!("the system random source failed: {e}"),
        )
    })
}
