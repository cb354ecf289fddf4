//! The engine's errors. One enum; `code()` maps each to the closed set of
//! codes that crosses the IPC boundary, so callers never match on text.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a sequence file something is wrong, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for SequenceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: `{}`: {}", self.file, self.line, self.field, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{what} {id} was not found")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Invalid(String),
    #[error("sequence file {0}")]
    Sequence(SequenceError),
    #[error("this draft cannot be approved: the prospect has no value for {}", fields_list(.missing))]
    Blocked { missing: Vec<String> },
    #[error("{0}")]
    Conflict(String),
    #[error("no slot to schedule in within a year: {0}")]
    Unschedulable(String),
    #[error("CSV file: {0}")]
    Csv(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("database: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The database file failed SQLite's check; nothing was written to it.
    #[error("the database {} is damaged ({detail}); Cadence has not written to it", path.display())]
    Damaged { path: PathBuf, detail: String },
    /// The database was made by a newer Cadence; it is not migrated back.
    #[error(
        "the database {} is from a newer Cadence ({}, schema {schema}); this is Cadence {}, which reads schema {supported} at most. \
         Install the newer Cadence, or restore a backup made by this one",
        path.display(), written_by.as_deref().map_or("version not recorded".to_string(), |v| format!("version {v}")), env!("CARGO_PKG_VERSION")
    )]
    TooNew { path: PathBuf, schema: usize, supported: usize, written_by: Option<String> },
    /// The mailbox (SMTP, IMAP, keyring) failed; the text says what and
    /// where, the fault says which kind of failure, for the screen.
    #[error("{message}")]
    Mailbox { fault: MailboxFault, message: String },
}

/// What kind of mailbox failure: each is its own error code, so the screen
/// can say "check the password" apart from "you are offline".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailboxFault {
    /// No mailbox set up, or no password saved for it.
    NotSetUp,
    /// The server refused the login (user name, password or token).
    Auth,
    /// OAuth2: not signed in for these servers, or the provider refused the
    /// saved sign-in; the rep signs in again.
    SignInAgain,
    /// The server could not be reached (offline, wrong host or port).
    Unreachable,
    /// The secure connection failed (certificate, STARTTLS missing).
    Tls,
    /// The server answered but would not take the message.
    Rejected,
    /// The provider's sending limit for the mailbox is used up.
    OverCap,
    /// Anything else: the keyring, an unexpected answer.
    Other,
}

impl MailboxFault {
    pub fn code(self) -> ErrorCode {
        match self {
            MailboxFault::NotSetUp => ErrorCode::MailboxNotSetUp,
            MailboxFault::Auth => ErrorCode::MailboxAuth,
            MailboxFault::SignInAgain => ErrorCode::MailboxSignInAgain,
            MailboxFault::Unreachable => ErrorCode::MailboxUnreachable,
            MailboxFault::Tls => ErrorCode::MailboxTls,
            MailboxFault::Rejected => ErrorCode::MailboxRejected,
            MailboxFault::OverCap => ErrorCode::MailboxOverCap,
            MailboxFault::Other => ErrorCode::Mailbox,
        }
    }
}

fn fields_list(fields: &[String]) -> String {
    fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
}

/// The closed set of error codes that other layers (CLI exit codes, IPC) see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    NotFound,
    Invalid,
    SequenceFile,
    DraftBlocked,
    Conflict,
    Unschedulable,
    BadCsv,
    Io,
    Storage,
    Mailbox,
    MailboxNotSetUp,
    MailboxAuth,
    MailboxSignInAgain,
    MailboxUnreachable,
    MailboxTls,
    MailboxRejected,
    MailboxOverCap,
    Damaged,
    NewerVersion,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::NotFound,
        ErrorCode::Invalid,
        ErrorCode::SequenceFile,
        ErrorCode::DraftBlocked,
        ErrorCode::Conflict,
        ErrorCode::Unschedulable,
        ErrorCode::BadCsv,
        ErrorCode::Io,
        ErrorCode::Storage,
        ErrorCode::Mailbox,
        ErrorCode::MailboxNotSetUp,
        ErrorCode::MailboxAuth,
        ErrorCode::MailboxSignInAgain,
        ErrorCode::MailboxUnreachable,
        ErrorCode::MailboxTls,
        ErrorCode::MailboxRejected,
        ErrorCode::MailboxOverCap,
        ErrorCode::Damaged,
        ErrorCode::NewerVersion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::Invalid => "invalid",
            ErrorCode::SequenceFile => "sequence_file",
            ErrorCode::DraftBlocked => "draft_blocked",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Unschedulable => "unschedulable",
            ErrorCode::BadCsv => "bad_csv",
            ErrorCode::Io => "io",
            ErrorCode::Storage => "storage",
            ErrorCode::Mailbox => "mailbox",
            ErrorCode::MailboxNotSetUp => "mailbox_not_set_up",
            ErrorCode::MailboxAuth => "mailbox_auth",
            ErrorCode::MailboxSignInAgain => "mailbox_sign_in_again",
            ErrorCode::MailboxUnreachable => "mailbox_unreachable",
            ErrorCode::MailboxTls => "mailbox_tls",
            ErrorCode::MailboxRejected => "mailbox_rejected",
            ErrorCode::MailboxOverCap => "mailbox_over_cap",
            ErrorCode::Damaged => "damaged",
            ErrorCode::NewerVersion => "newer_version",
        }
    }
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::Sequence(_) => ErrorCode::SequenceFile,
            Error::Blocked { .. } => ErrorCode::DraftBlocked,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Unschedulable(_) => ErrorCode::Unschedulable,
            Error::Csv(_) => ErrorCode::BadCsv,
            Error::Io { .. } => ErrorCode::Io,
            Error::Store(_) | Error::Migration(_) => ErrorCode::Storage,
            Error::Mailbox { fault, .. } => fault.code(),
            Error::Damaged { .. } => ErrorCode::Damaged,
            Error::TooNew { .. } => ErrorCode::NewerVersion,
        }
    }

    /// A mailbox failure of no particular kind.
    pub fn mailbox(message: impl Into<String>) -> Error {
        Error::Mailbox { fault: MailboxFault::Other, message: message.into() }
    }

    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Error {
        Error::NotFound { what, id: id.to_string() }
    }
}
