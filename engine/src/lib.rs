//! Cadence's engine: everything but the windows. See ARCHITECTURE.md.

pub mod domain;
pub mod error;
pub mod sequence;
pub mod template;

pub use error::{Error, ErrorCode, Result};
