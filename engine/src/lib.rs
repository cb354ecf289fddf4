//! Cadence's engine: everything but the windows. See ARCHITECTURE.md.
//!
//! [`Engine`] is the façade every front end calls. Nothing in this crate
//! reads the clock: time comes in as `now`.

// `store` is private: every type the façade hands out must be re-exported
// (from `api`), or this warns.
#![warn(unnameable_types)]

pub mod activity;
pub mod api;
pub mod domain;
pub mod draft;
pub mod error;
pub mod events;
pub mod holidays;
pub mod import;
pub mod mail;
pub mod mailbox;
pub mod providers;
pub mod schedule;
pub mod sequence;
pub mod settings;
pub mod signal;
pub mod stats;
mod store;
pub mod template;
pub mod timezone;

pub use api::Engine;
pub use error::{Error, ErrorCode, MailboxFault, Result};

/// Raw access for benchmarks and tests (the engine's, and the mail crate's
/// live tests) that check what is stored beneath the façade. Not for front
/// ends: they call [`Engine`].
#[doc(hidden)]
pub mod testing {
    pub use crate::store::open;
    pub use crate::store::prospects::{do_not_contact, email_status, insert_plain};
    pub use crate::store::results::{days_snapshot, rebuild_days, DayCount};
}
