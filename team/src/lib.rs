//! Cadence's team client: a team's desktops share one PostgreSQL server.
//! The server holds what must be one for the whole team (the do-not-contact
//! list first); each desktop stays the authority for its own queue and log
//! and works offline. A desktop pushes ops (each with a UUIDv7 the server
//! applies once), pulls a commit-ordered change feed by cursor, and asks the
//! server before an email goes whether the address may be mailed.
//!
//! This crate talks to the server and nothing else: no SQLite, no keyring.
//! `server.rs` sets a server up (migrations, roles); `client.rs` is what a
//! desktop does with it. The workspace runs the loop.

mod client;
mod connect;
mod server;

pub use client::{listen, Claim, Client, FeedRow, MaySend, Op, OpResult, Published, POLL};
pub use connect::{Target, SUPPORTED_SCHEMA};
pub use server::{add_member, init, InitReport, Member};

/// What went wrong, in words a rep can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The connection string cannot be read.
    #[error("the team server address is not valid: {0}")]
    BadUrl(String),
    /// A plain connection to a host that is not this machine.
    #[error("the team server {0} is not on this machine, so the connection must be encrypted (TLS); ask your admin for its TLS address")]
    NeedsTls(String),
    #[error("the team server cannot be reached ({0}); Cadence keeps working and syncs when it is back")]
    Unreachable(String),
    #[error("the team server refused the sign-in for {0}: the secret is wrong, or the rep was removed; ask your admin for a new one")]
    Auth(String),
    #[error("the team server has schema version {server}, and this Cadence knows up to {known}: update Cadence")]
    TooNew { server: i32, known: i32 },
    #[error("the team server is not set up for Cadence yet (or is older than this Cadence): ask your admin to run `cadence team init`")]
    NotSetUp,
    #[error("the team server says: {0}")]
    Server(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A fault of the connection, not of what was asked: worth retrying later.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Unreachable(_))
    }
}

/// Turns a driver error into one of ours.
pub(crate) fn pg(e: tokio_postgres::Error, who: &str) -> Error {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return match code {
            // invalid_password, invalid_authorization_specification
            "28P01" | "28000" => Error::Auth(who.to_string()),
            // undefined_function / undefined_schema: no team schema (yet)
            "42883" | "3F000" => Error::NotSetUp,
            // insufficient_privilege on a manager's function
            "42501" if db.message().contains("function publish") || db.message().contains("function retire") => {
                Error::Server("only a manager publishes or retires team sequences".into())
            }
            "42501" if db.message().contains("function reassign") => Error::Server("only a manager reassigns accounts".into()),
            _ => Error::Server(db.message().to_string()),
        };
    }
    if e.is_closed() {
        return Error::Unreachable("the connection closed".into());
    }
    let text = e.to_string();
    let source = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
    Error::Unreachable(if source.is_empty() { text } else { format!("{text}: {source}") })
}
