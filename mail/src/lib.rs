//! Cadence's mailbox: the network side of sending and reading mail.
//!
//! The engine decides *what* may go and *what* a message means; this crate
//! talks to the servers. `sender` sends what the engine's ledger releases,
//! exactly once; `watcher` reads new mail (IDLE where the server has it)
//! and hands it to the engine. The password (or, later, a token) comes from
//! the caller through [`Credentials`]: the keyring lives in the application
//! layer (`cadence-workspace`), not here.

pub mod compose;
mod error;
pub mod imap;
pub mod runner;
pub mod sender;
pub mod smtp;
mod tls;
pub mod watcher;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

pub use error::{is_sending_limit, MailError, Result};

/// The engine, shared between the front end and the mail tasks. Locks are
/// held for one engine call at a time, never across network I/O.
pub type SharedEngine = Arc<Mutex<engine::Engine>>;

/// Where "now" comes from: the system clock, or a fixed time in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Where the secret for a mailbox's login comes from (the OS keyring in the
/// app and the CLI). Asked before every connection, so a changed password
/// is used at once.
pub type Credentials = Arc<dyn Fn(&engine::mailbox::MailboxSettings) -> Result<String> + Send + Sync>;

/// Runs one engine call under the lock.
pub(crate) fn with<T>(engine: &SharedEngine, f: impl FnOnce(&mut engine::Engine) -> engine::Result<T>) -> Result<T> {
    let mut guard = engine.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard).map_err(MailError::Engine)
}
