//! What can go wrong with the mailbox, in words a rep can act on. No message
//! here ever contains the password.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum MailError {
    #[error("no mailbox is set up yet: add the address and servers in Settings → Mailbox")]
    NotConfigured,
    #[error("no password is saved for {0}: enter it in Settings → Mailbox")]
    NoPassword(String),
    /// OAuth2: not signed in for these servers yet.
    #[error("{0} is not signed in for these servers: sign in in Settings → Mailbox (or `cadence mailbox signin`)")]
    NotSignedIn(String),
    /// OAuth2: the provider refused the saved sign-in (revoked, password
    /// changed, consent withdrawn). Mail waits until the rep signs in again.
    #[error("sign in again to {account}: {detail}")]
    SignInAgain { account: String, detail: String },
    #[error("the OS keyring is not available: {0}")]
    Keyring(String),
    #[error("cannot reach {server}: {}", plain(detail))]
    Unreachable { server: String, detail: String },
    #[error("secure connection to {server} failed: {detail}")]
    Tls { server: String, detail: String },
    #[error("{server} refused the user name or password: {detail}")]
    Auth { server: String, detail: String },
    /// The server answered but would not take the message.
    #[error("{server} did not take the message: {detail}")]
    Rejected { server: String, detail: String, permanent: bool },
    /// The provider's sending limit for this mailbox is used up for now.
    #[error("{server} says this mailbox has reached its sending limit; Cadence sends the rest later: {detail}")]
    OverCap { server: String, detail: String },
    #[error("{server}: {detail}")]
    Protocol { server: String, detail: String },
    #[error(transparent)]
    Engine(engine::Error),
}

/// The system's words for a failed connection, in a rep's words (what
/// probably happened, what to check), with the system's words after them.
pub fn plain(detail: &str) -> String {
    let d = detail.to_ascii_lowercase();
    let said = if d.contains("lookup address")
        || d.contains("name or service not known")
        || d.contains("no address associated")
        || d.contains("nodename nor servname")
        || d.contains("no such host")
    {
        "no server by that name: check the host name (or whether this computer is online)"
    } else if d.contains("connection refused") {
        "nothing answers on that port: check the port number"
    } else if d.contains("network is unreachable") || d.contains("no route to host") {
        "this computer is offline, or cannot reach that network"
    } else if d.contains("timed out") || d.contains("deadline has elapsed") {
        "no answer in time: the computer may be offline, or a firewall drops the connection"
    } else if d.contains("connection reset") || d.contains("broken pipe") || d.contains("closed the connection") {
        "the server cut the connection"
    } else {
        return detail.to_string();
    };
    format!("{said} ({detail})")
}

impl MailError {
    /// A failure that trying again later may fix (the network, a busy server).
    pub fn is_temporary(&self) -> bool {
        match self {
            MailError::Unreachable { .. } | MailError::Protocol { .. } => true,
            MailError::Rejected { permanent, .. } => !permanent,
            MailError::OverCap { .. } => true,
            _ => false,
        }
    }

    /// Which kind of failure, kept all the way to the screen.
    pub fn fault(&self) -> engine::MailboxFault {
        use engine::MailboxFault as F;
        match self {
            MailError::NotConfigured | MailError::NoPassword(_) | MailError::NotSignedIn(_) => F::NotSetUp,
            MailError::Auth { .. } => F::Auth,
            MailError::SignInAgain { .. } => F::SignInAgain,
            MailError::Unreachable { .. } => F::Unreachable,
            MailError::Tls { .. } => F::Tls,
            MailError::Rejected { .. } => F::Rejected,
            MailError::OverCap { .. } => F::OverCap,
            MailError::Keyring(_) | MailError::Protocol { .. } | MailError::Engine(_) => F::Other,
        }
    }

    /// The error code the screen and `--json` see.
    pub fn code(&self) -> engine::ErrorCode {
        match self {
            MailError::Engine(e) => e.code(),
            other => other.fault().code(),
        }
    }
}

/// An SMTP answer that means "this mailbox has sent too much for now"
/// (Gmail's 5.4.5 daily limit, Microsoft 365's 5.2.2 submission quota, the
/// common 4.5.3 / 4.7.0 rate answers that say so in words).
pub fn is_sending_limit(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    has_status(&d, "5.4.5")
        || d.contains("submission quota")
        || d.contains("sending limit")
        || d.contains("sending quota")
        || d.contains("daily user sending")
        || d.contains("too many messages")
        || (d.contains("rate") && d.contains("limit") && d.contains("exceeded"))
}

pub type Result<T, E = MailError> = std::result::Result<T, E>;

impl From<MailError> for engine::Error {
    fn from(e: MailError) -> Self {
        match e {
            MailError::Engine(inner) => inner,
            other => engine::Error::Mailbox { fault: other.fault(), message: other.to_string() },
        }
    }
}

/// `code` as an enhanced status code on its own, not inside an address
/// like `[185.4.5.20]`.
fn has_status(text: &str, code: &str) -> bool {
    text.match_indices(code).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + code.len()..].chars().next();
        let apart = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_digit() || c == '.'));
        apart(before) && apart(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_failures_read_in_a_reps_words() {
        let e = MailError::Unreachable {
            server: "imap.wrong.example:993".into(),
            detail: "failed to lookup address information: Name or service not known".into(),
        };
        let text = e.to_string();
        assert!(text.starts_with("cannot reach imap.wrong.example:993: no server by that name: check the host name"), "{text}");
        assert!(text.contains("(failed to lookup address information"), "the system's words stay, after: {text}");
        assert!(plain("Connection refused (os error 111)").starts_with("nothing answers on that port"));
        assert!(plain("deadline has elapsed").starts_with("no answer in time"));
        assert_eq!(plain("something new"), "something new");
    }

    #[test]
    fn sending_limits_are_told_from_other_refusals() {
        for limit in [
            "550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to",
            "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Submission quota exceeded",
            "451 4.7.0 Too many messages sent from this account, try again later",
            "421 4.7.0 Sending rate limit exceeded",
        ] {
            assert!(is_sending_limit(limit), "{limit}");
        }
        for other in [
            "550 5.1.1 <x@y> User unknown",
            "554 5.7.1 Message rejected as spam",
            "535 5.7.8 Authentication failed",
            "554 5.7.1 Service unavailable; client host [185.4.5.20] blocked",
        ] {
            assert!(!is_sending_limit(other), "{other}");
        }
    }

    #[test]
    fn each_failure_keeps_its_code() {
        let s = || "mail.example.com:587".to_string();
        let d = || "x".to_string();
        let codes = [
            MailError::Auth { server: s(), detail: d() }.code(),
            MailError::Unreachable { server: s(), detail: d() }.code(),
            MailError::Tls { server: s(), detail: d() }.code(),
            MailError::Rejected { server: s(), detail: d(), permanent: true }.code(),
            MailError::OverCap { server: s(), detail: d() }.code(),
            MailError::NotConfigured.code(),
        ];
        let names: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            names,
            ["mailbox_auth", "mailbox_unreachable", "mailbox_tls", "mailbox_rejected", "mailbox_over_cap", "mailbox_not_set_up"]
        );
        let e: engine::Error = MailError::Auth { server: s(), detail: d() }.into();
        assert_eq!(e.code().as_str(), "mailbox_auth", "the kind survives the conversion to the engine's error");
    }
}
