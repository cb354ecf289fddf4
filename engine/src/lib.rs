//! Cadence's engine: everything but the windows. See ARCHITECTURE.md.
//!
//! [`Engine`] is the façade every front end calls. Nothing in this crate
//! reads the clock: time comes in as `now`.

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
pub mod schedule;
pub mod sequence;
pub mod stats;
pub mod settings;
pub mod store;
pub mod template;
pub mod timezone;

pub use api::Engine;
pub use error::{Error, ErrorCode, MailboxFault, Result};
