//! Cadence's engine: everything but the windows. See ARCHITECTURE.md.

pub mod domain;
pub mod error;
pub mod holidays;
pub mod schedule;
pub mod sequence;
pub mod settings;
pub mod template;
pub mod timezone;

pub use error::{Error, ErrorCode, Result};
