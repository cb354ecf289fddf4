//! Cadence's mailbox: the network side of sending and reading mail.
//!
//! The engine decides *what* may go and *what* a message means; this crate
//! talks to the servers. `sender` sends what the engine's ledger releases,
//! exactly once; `watcher` reads new mail (IDLE where the server has it)
//! and hands it to the engine; `secret` keeps the password in the OS keyring.

pub mod compose;
mod error;
pub mod imap;
pub mod runner;
pub mod secret;
pub mod sender;
pub mod smtp;
mod tls;
pub mod watcher;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

pub use error::{MailError, Result};

/// The engine, shared between the front end and the mail tasks. Locks are
/// held for one engine call at a time, never across network I/O.
pub type SharedEngine = Arc<Mutex<engine::Engine>>;

/// Where "now" comes from: the system clock, or a fixed time in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The system clock, or, given a start (`--now`, `CADENCE_NOW`), that start
/// moving on with real time: a fixed instant would never reach a send time.
pub fn clock_from(start: Option<DateTime<Utc>>) -> Clock {
    match start {
        Some(start) => {
            let began = std::time::Instant::now();
            Arc::new(move || start + chrono::Duration::from_std(began.elapsed()).unwrap_or_default())
        }
        None => system_clock(),
    }
}

/// Runs one engine call under the lock.
pub(crate) fn with<T>(engine: &SharedEngine, f: impl FnOnce(&mut engine::Engine) -> engine::Result<T>) -> Result<T> {
    let mut guard = engine.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard).map_err(MailError::Engine)
}
