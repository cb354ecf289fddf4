//! What can go wrong with the mailbox, in words a rep can act on. No message
//! here ever contains the password.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum MailError {
    #[error("no mailbox is set up yet: add the address and servers in Settings → Mailbox")]
    NotConfigured,
    #[error("no password is saved for {0}: enter it in Settings → Mailbox")]
    NoPassword(String),
    #[error("the OS keyring is not available: {0}")]
    Keyring(String),
    #[error("cannot reach {server}: {detail}")]
    Unreachable { server: String, detail: String },
    #[error("secure connection to {server} failed: {detail}")]
    Tls { server: String, detail: String },
    #[error("{server} refused the user name or password: {detail}")]
    Auth { server: String, detail: String },
    /// The server answered but would not take the message.
    #[error("{server} did not take the message: {detail}")]
    Rejected { server: String, detail: String, permanent: bool },
    #[error("{server}: {detail}")]
    Protocol { server: String, detail: String },
    #[error(transparent)]
    Engine(engine::Error),
}

impl MailError {
    /// A failure that trying again later may fix (the network, a busy server).
    pub fn is_temporary(&self) -> bool {
        match self {
            MailError::Unreachable { .. } | MailError::Protocol { .. } => true,
            MailError::Rejected { permanent, .. } => !permanent,
            _ => false,
        }
    }

    /// A stable code for the desktop and JSON output.
    pub fn code(&self) -> &'static str {
        match self {
            MailError::NotConfigured => "not_configured",
            MailError::NoPassword(_) => "no_password",
            MailError::Keyring(_) => "keyring",
            MailError::Unreachable { .. } => "unreachable",
            MailError::Tls { .. } => "tls",
            MailError::Auth { .. } => "auth",
            MailError::Rejected { .. } => "rejected",
            MailError::Protocol { .. } => "protocol",
            MailError::Engine(_) => "engine",
        }
    }
}

pub type Result<T, E = MailError> = std::result::Result<T, E>;

impl From<MailError> for engine::Error {
    fn from(e: MailError) -> Self {
        match e {
            MailError::Engine(inner) => inner,
            other => engine::Error::Mailbox(other.to_string()),
        }
    }
}
