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

/// What logs in to the mailbox: a password (PLAIN/LOGIN), or an OAuth2
/// access token (XOAUTH2, or OAUTHBEARER where the IMAP server offers it).
/// Never printed: `Debug` shows only which kind.
#[derive(Clone)]
pub enum Secret {
    Password(String),
    Bearer(String),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Secret::Password(_) => "Secret::Password(..)",
            Secret::Bearer(_) => "Secret::Bearer(..)",
        })
    }
}

/// Where the secret for a mailbox's login comes from (the OS keyring and,
/// for OAuth2, the provider's token endpoint, in the application layer).
/// Asked before every connection, so a changed password is used at once.
pub trait Secrets: Send + Sync {
    fn secret(&self, m: &engine::mailbox::MailboxSettings) -> Result<Secret>;
    /// The server refused a token it was given: the next `secret` fetches a
    /// fresh one (refreshes once) instead of the cached one.
    fn refused(&self, _m: &engine::mailbox::MailboxSettings) {}
    /// Asked just before each email goes: `Some(why)` holds it (the team's
    /// do-not-contact list lists the address). The default lets it go.
    fn may_send<'a>(&'a self, _to: &'a str) -> futures::future::BoxFuture<'a, Option<String>> {
        Box::pin(async { None })
    }
}

impl<F: Fn(&engine::mailbox::MailboxSettings) -> Result<Secret> + Send + Sync> Secrets for F {
    fn secret(&self, m: &engine::mailbox::MailboxSettings) -> Result<Secret> {
        self(m)
    }
}

pub type Credentials = Arc<dyn Secrets>;

/// Logs in with the secret `credentials` gives, through `connect`; a token
/// the server refuses is refreshed and tried once more.
async fn login<T, F, Fut>(m: &engine::mailbox::MailboxSettings, credentials: &Credentials, connect: F) -> Result<T>
where
    F: Fn(Secret) -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let secret = credentials.secret(m)?;
    let token = matches!(secret, Secret::Bearer(_));
    match connect(secret).await {
        Err(MailError::Auth { .. }) if token => {
            credentials.refused(m);
            connect(credentials.secret(m)?).await
        }
        other => other,
    }
}

/// Connects to IMAP and logs in (see `login`).
pub async fn imap_login(m: &engine::mailbox::MailboxSettings, credentials: &Credentials) -> Result<imap::Imap> {
    login(m, credentials, |s| async move { imap::Imap::connect(m, &s).await }).await
}

/// Connects to SMTP and logs in (see `login`).
pub async fn smtp_login(m: &engine::mailbox::MailboxSettings, credentials: &Credentials) -> Result<smtp::Smtp> {
    login(m, credentials, |s| async move { smtp::Smtp::connect(m, &s).await }).await
}

/// Runs one engine call under the lock.
pub(crate) fn with<T>(engine: &SharedEngine, f: impl FnOnce(&mut engine::Engine) -> engine::Result<T>) -> Result<T> {
    let mut guard = engine.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard).map_err(MailError::Engine)
}
